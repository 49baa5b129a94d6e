"""Credit notes: taking back the points an invoice earned, from its own lots.

A credit note takes back its share of what the invoice earned: the invoice's
exact points times ``credited / invoice total``. Shares are computed on the
*running* total credited (every credit note of the invoice reversed so far,
this one included) to a millionth of a point, less what earlier credit notes
already took, so that however an invoice is credited, in one note or many, the
points taken back add up to what crediting it at once would take -- all of
them, exactly, when it is credited in full.

The points come from the invoice's own lots, as far as those still hold them.
The rest was either

* **expired**: gone from the balance already; it is *written off*, not taken
  a second time (whether the expiry run came before the credit note or not);
* or **spent**: the programme's :class:`ReversalPolicy` decides -- ``refuse``
  (:class:`~kamcore.errors.PolicyViolationError`, nothing written),
  ``claw_back`` (owed, taken from the next earnings), or ``allow_negative``
  (taken from the member's other usable lots, oldest first, and below zero
  for what they do not hold, settled by the next lots).

A reversal is dated on the credit note, or on the day the invoice's points were
earned if that is later (under ``earn on payment`` a credit note may predate
the payment that settled the invoice): points are never taken back before
they were earned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

import attrs

from kamcore.accounts import CreditNote, Invoice
from kamcore.errors import PolicyViolationError, ValidationError
from kamcore.kernel import EXACT, ROUNDING, Money
from kamcore.loyalty._chain import Unit, invoice_posted, reversal_order, units_of
from kamcore.loyalty._ledger import (
    EntryKind,
    LedgerEntry,
    Lot,
    LotDraw,
    SourceRef,
)
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import Programme, ReversalPolicy
from kamcore.loyalty._room import draw_free, make_room
from kamcore.loyalty._writer import (
    Writer,
    check_invoice,
    corrected,
    own_lots,
    pending_lines,
)

__all__ = [
    "Taking",
    "pending_key",
    "reduce_pending",
    "reverse_credit_note",
    "take_back",
]

_ZERO = Decimal(0)
_MILLIONTH = Decimal("0.000001")


def pending_key(credit_note: CreditNote) -> str:
    """The key of the entry reducing an invoice's pending points."""
    return f"pending:credit_note:{credit_note.id}"


def _reverse_key(credit_note: CreditNote) -> str:
    return f"reverse:credit_note:{credit_note.id}"


def reverse_credit_note(
    membership: Membership,
    programme: Programme,
    invoice: Invoice,
    credit_note: CreditNote,
    *,
    at: dt.datetime,
) -> Membership:
    """Take back the points a credit note's share of an invoice earned.

    See the module documentation for the share, the lots it is taken from,
    the expired points written off and the policy for spent points. The
    qualifying spend drops by the credit note's amount. Reversing a credit
    note twice reverses once. An invoice whose points are still pending only
    has its pending points reduced (the credit note is reversed once the
    points are confirmed); an invoice that earned nothing (never posted, or
    below the programme's minimum) is left alone.

    Args:
        membership: The member's membership.
        programme: Its programme.
        invoice: The credited invoice, as the earn rules saw it.
        credit_note: One of its credit notes.
        at: When the entries are written.

    Raises:
        ValidationError: the credit note is not on the invoice, or the invoice
            is another client's or in another currency.
        PolicyViolationError: under ``refuse``, the points were already spent.
    """
    check_invoice(programme, membership, invoice)
    if credit_note not in invoice.credit_notes:
        raise ValidationError.single(
            "reverse_credit_note",
            "credit_note",
            f"is not a credit note of invoice {invoice.id!r}",
            credit_note.id,
        )
    key = _reverse_key(credit_note)
    if membership.entry(key) is not None:
        return membership
    units = units_of(membership)
    earned = [unit for unit in units if unit.is_earning and unit.invoice == invoice.id]
    if not earned:
        return reduce_pending(membership, programme, invoice, credit_note, at=at)
    on = max([credit_note.issued_on, *(unit.entry.on for unit in earned)])
    prior = _prior(membership, invoice, credit_note, _reverse_key)
    writer = Writer(membership, programme, at)
    share = _share(units, invoice, credit_note, prior)
    order = reversal_order(on, invoice.id, key)
    wanted = writer.post(
        share.copy_negate(),
        order=order,
        at_least=invoice_posted(membership, invoice.id, before=order).copy_negate(),
        at_most=_ZERO,
    ).copy_negate()
    taking = take_back(
        writer,
        invoice.id,
        wanted,
        on=on,
        subject=f"credit note {credit_note.id!r}",
        written_off_before=_written_off(membership, [entry for _, entry in prior]),
    )
    writer.add(
        key=key,
        kind=EntryKind.REVERSE,
        points=taking.taken.copy_negate(),
        on=on,
        source=SourceRef(kind="credit_note", id=credit_note.id),
        draws=taking.draws,
        exact=share.copy_negate(),
        spend=-credit_note.amount,
        owed=taking.owed,
        written_off=taking.written_off,
        invoice=invoice.id,
        note=f"credit note on invoice {invoice.id}",
    )
    return writer.done()


@attrs.frozen
class Taking:
    """How points taken back from an invoice's lots were found.

    Attributes:
        draws: What was drawn from its lots (and, under ``allow_negative``,
            from others).
        written_off: What they had lost to expiry: not taken twice.
        owed: What was spent, to claw back (``claw_back``).
        taken: What leaves the balance now (drawn, or below zero).
    """

    draws: tuple[LotDraw, ...]
    written_off: Decimal
    owed: Decimal
    taken: Decimal


def take_back(
    writer: Writer,
    invoice: str,
    wanted: Decimal,
    *,
    on: dt.date,
    subject: str,
    written_off_before: Decimal,
) -> Taking:
    """Find ``wanted`` points in an invoice's lots on ``on``: what they are
    free to give then is drawn (later expiries and redemptions put right
    first, see :mod:`kamcore.loyalty._room`); what they had lost to expiry by
    then (less ``written_off_before``, by the invoice's earlier reversals) is
    written off; the rest was spent, and the programme's policy decides.
    Corrections it needs are written to ``writer``.

    Raises:
        PolicyViolationError: under ``refuse``, some were spent.
    """
    programme = writer.programme
    numbers = own_lots(writer.current(), invoice)

    def own(membership: Membership) -> list[Lot]:
        return [lot for lot in membership.lots() if lot.number in numbers]

    draws, left = draw_free(writer.current(), own(writer.current()), wanted, on=on)
    if left > 0:
        usable = [
            lot.number
            for lot in own(writer.current())
            if lot.earned_on <= on and (lot.expires_on is None or on < lot.expires_on)
        ]
        make_room(writer, usable, wanted, on=on)
        draws, left = draw_free(writer.current(), own(writer.current()), wanted, on=on)
    current = writer.current()
    pool = EXACT.subtract(_expired(current, own(current), on), written_off_before)
    written_off = max(min(pool, left), _ZERO)
    left = EXACT.subtract(left, written_off)
    policy = programme.reversal
    if left > 0 and policy is ReversalPolicy.REFUSE:
        raise PolicyViolationError(
            "loyalty reversal",
            f"{subject} must take back {wanted} points, "
            f"but {left} of them were already spent",
            left,
        )
    taken = EXACT.subtract(wanted, written_off)
    owed = _ZERO
    if policy is ReversalPolicy.CLAW_BACK:
        owed = left
        taken = EXACT.subtract(taken, left)
    elif left > 0:
        others = [lot for lot in current.lots() if lot.number not in numbers]
        more, _ = draw_free(current, others, left, on=on)
        draws = (*draws, *more)
    return Taking(draws, written_off, owed, taken)


def _written_off(membership: Membership, reversals: list[LedgerEntry]) -> Decimal:
    """What ``reversals`` wrote off as expired, their corrections included."""
    numbers = {entry.number for entry in reversals}
    return _total(
        e.written_off
        for e in membership.entries
        if e.number in numbers or e.corrects in numbers
    )


def _prior(
    membership: Membership,
    invoice: Invoice,
    credit_note: CreditNote,
    key_of: Callable[[CreditNote], str],
) -> list[tuple[CreditNote, LedgerEntry]]:
    """The invoice's other credit notes already posted (under ``key_of``),
    with their entries."""
    found = []
    for other in invoice.credit_notes:
        if other.id == credit_note.id:
            continue
        entry = membership.entry(key_of(other))
        if entry is not None:
            found.append((other, entry))
    return found


def _credited(
    invoice: Invoice,
    credit_note: CreditNote,
    prior: list[tuple[CreditNote, LedgerEntry]],
) -> Money:
    """The running total credited: the earlier credit notes and this one."""
    return Money.sum(
        [credit_note.amount, *(note.amount for note, _ in prior)], invoice.currency
    )


def _share(
    units: list[Unit],
    invoice: Invoice,
    credit_note: CreditNote,
    prior: list[tuple[CreditNote, LedgerEntry]],
) -> Decimal:
    """This credit note's exact points: the running share of what the
    invoice earned, less what the earlier credit notes took (corrections
    included in both)."""
    exact = _total(u.exact for u in units if u.is_earning and u.invoice == invoice.id)
    credited = _credited(invoice, credit_note, prior)
    if credited >= invoice.total:
        target = exact
    else:
        target = ROUNDING.divide(
            EXACT.multiply(exact, credited.amount), invoice.total.amount
        ).quantize(_MILLIONTH, ROUND_HALF_UP, ROUNDING)
    numbers = {entry.number for _, entry in prior}
    taken = _total(u.exact.copy_negate() for u in units if u.entry.number in numbers)
    return EXACT.subtract(target, taken)


def _expired(membership: Membership, lots: list[Lot], on: dt.date) -> Decimal:
    """What the lots lost to expiry by ``on``: expiry entries dated by then
    (less what corrections of them gave back), and what is left in lots past
    their expiry date the run has not reached yet."""
    numbers = {lot.number for lot in lots}
    expiries: set[int] = set()
    total = _ZERO
    for entry in membership.entries:
        # An expiry, or a correction of one (points given back to a lot that
        # turned out to hold fewer when it expired).
        if entry.on > on:
            continue
        if entry.kind is EntryKind.EXPIRE or entry.corrects in expiries:
            expiries.add(entry.number)
            for draw in entry.draws:
                if draw.lot in numbers:
                    total = EXACT.add(total, draw.points)
            for back in entry.returns:
                if back.lot in numbers:
                    total = EXACT.subtract(total, back.points)
    for lot in lots:
        if lot.expires_on is not None and lot.expires_on <= on:
            total = EXACT.add(total, lot.remaining)
    return total


def _total(values: Iterable[Decimal]) -> Decimal:
    total = _ZERO
    for value in values:
        total = EXACT.add(total, value)
    return total


def reduce_pending(
    membership: Membership,
    programme: Programme,
    invoice: Invoice,
    credit_note: CreditNote,
    *,
    at: dt.datetime,
) -> Membership:
    """Reduce an invoice's pending points by the share of a credit note granted
    before it was paid, rounded down on the running total credited, like a
    reversal, on the credit note's date. If the pending points were already
    cleared (the payment was posted first), the reduction is cleared with them,
    on the same day: the pending points read as if posted in date order."""
    lines = pending_lines(membership, invoice.id)
    key = pending_key(credit_note)
    if not lines or membership.entry(key) is not None:
        return membership
    cleared = membership.entry(f"cleared:{lines[0].key}")
    if cleared is not None and credit_note.issued_on >= cleared.on:
        return membership
    pending = _total(corrected(membership, e) for e in lines)
    prior = _prior(membership, invoice, credit_note, pending_key)
    credited = _credited(invoice, credit_note, prior)
    if credited >= invoice.total:
        target = pending
    else:
        target = ROUNDING.divide(
            EXACT.multiply(pending, credited.amount), invoice.total.amount
        ).quantize(programme.point_quantum, ROUND_FLOOR, ROUNDING)
    reduced = _total(corrected(membership, entry) for _, entry in prior)
    writer = Writer(membership, programme, at)
    reduction = writer.add(
        key=key,
        kind=EntryKind.PENDING,
        points=EXACT.add(target, reduced).copy_negate(),
        on=credit_note.issued_on,
        source=SourceRef(kind="credit_note", id=credit_note.id),
        # The money credited, recorded: pending, it counts toward nothing.
        spend=-credit_note.amount,
        invoice=invoice.id,
        note=f"credit note on invoice {invoice.id}, still pending",
    )
    if cleared is not None:
        writer.add(
            key=f"cleared:{key}",
            kind=EntryKind.PENDING,
            points=reduction.points.copy_negate(),
            on=cleared.on,
            source=reduction.source,
            note=cleared.note,
        )
    return writer.done()
