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

from kamcore.accounts import CreditNote, Invoice
from kamcore.errors import PolicyViolationError, ValidationError
from kamcore.kernel import EXACT, ROUNDING, Money
from kamcore.loyalty._ledger import (
    EntryKind,
    LedgerEntry,
    Lot,
    SourceRef,
    draw_oldest_first,
)
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import Programme, ReversalPolicy
from kamcore.loyalty._writer import Writer, check_invoice, lots_on, pending_lines

__all__ = ["pending_key", "reverse_credit_note"]

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
    earned = [
        e
        for e in membership.entries
        if e.kind is EntryKind.EARN
        and e.source.kind == "invoice"
        and e.source.id == invoice.id
    ]
    if not earned:
        return _reduce_pending(membership, programme, invoice, credit_note, at=at)
    on = max([credit_note.issued_on, *(e.on for e in earned)])
    prior = _prior(membership, invoice, credit_note, _reverse_key)
    writer = Writer(membership, programme, at)
    share = _share(earned, invoice, credit_note, prior)
    wanted = writer.post(share.copy_negate()).copy_negate()
    numbers = {e.number for e in earned}
    lots = membership.lots()
    draws, left = draw_oldest_first(
        [lot for lot in lots if lot.number in numbers], wanted, on=on
    )
    pool = EXACT.subtract(
        _expired(membership, [lot for lot in lots if lot.number in numbers], on),
        _total(entry.written_off for _, entry in prior),
    )
    written_off = max(min(pool, left), _ZERO)
    left = EXACT.subtract(left, written_off)
    policy = programme.reversal
    if left > 0 and policy is ReversalPolicy.REFUSE:
        raise PolicyViolationError(
            "loyalty reversal",
            f"credit note {credit_note.id!r} must take back {wanted} points, "
            f"but {left} of them were already spent",
            left,
        )
    taken = EXACT.subtract(wanted, written_off)
    owed = _ZERO
    if policy is ReversalPolicy.CLAW_BACK:
        owed = left
        taken = EXACT.subtract(taken, left)
    elif left > 0:
        others = [lot for lot in lots_on(membership, on) if lot.number not in numbers]
        more, _ = draw_oldest_first(others, left, on=on)
        draws = (*draws, *more)
    writer.add(
        key=key,
        kind=EntryKind.REVERSE,
        points=taken.copy_negate(),
        on=on,
        source=SourceRef(kind="credit_note", id=credit_note.id),
        draws=draws,
        exact=share.copy_negate(),
        spend=-credit_note.amount,
        owed=owed,
        written_off=written_off,
        note=f"credit note on invoice {invoice.id}",
    )
    return writer.done()


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
    earned: list[LedgerEntry],
    invoice: Invoice,
    credit_note: CreditNote,
    prior: list[tuple[CreditNote, LedgerEntry]],
) -> Decimal:
    """This credit note's exact points: the running share less what the
    earlier credit notes took."""
    exact = _total(e.exact or _ZERO for e in earned)
    credited = _credited(invoice, credit_note, prior)
    if credited >= invoice.total:
        target = exact
    else:
        target = ROUNDING.divide(
            EXACT.multiply(exact, credited.amount), invoice.total.amount
        ).quantize(_MILLIONTH, ROUND_HALF_UP, ROUNDING)
    taken = _total((entry.exact or _ZERO).copy_negate() for _, entry in prior)
    return EXACT.subtract(target, taken)


def _expired(membership: Membership, lots: list[Lot], on: dt.date) -> Decimal:
    """What the lots lost to expiry by ``on``: expiry entries written, and
    what is left in lots past their expiry date the run has not reached yet."""
    numbers = {lot.number for lot in lots}
    total = _ZERO
    for entry in membership.entries:
        if entry.kind is EntryKind.EXPIRE:
            for draw in entry.draws:
                if draw.lot in numbers:
                    total = EXACT.add(total, draw.points)
    for lot in lots:
        if lot.expires_on is not None and lot.expires_on <= on:
            total = EXACT.add(total, lot.remaining)
    return total


def _total(values: Iterable[Decimal]) -> Decimal:
    total = _ZERO
    for value in values:
        total = EXACT.add(total, value)
    return total


def _reduce_pending(
    membership: Membership,
    programme: Programme,
    invoice: Invoice,
    credit_note: CreditNote,
    *,
    at: dt.datetime,
) -> Membership:
    """Reduce an invoice's pending points by the credit note's share, rounded
    down on the running total credited, like a reversal."""
    lines = pending_lines(membership, invoice.id)
    key = pending_key(credit_note)
    if (
        not lines
        or membership.entry(key) is not None
        or membership.entry(f"cleared:{lines[0].key}") is not None
    ):
        return membership
    pending = _total(e.points for e in lines)
    prior = _prior(membership, invoice, credit_note, pending_key)
    credited = _credited(invoice, credit_note, prior)
    if credited >= invoice.total:
        target = pending
    else:
        target = ROUNDING.divide(
            EXACT.multiply(pending, credited.amount), invoice.total.amount
        ).quantize(programme.point_quantum, ROUND_FLOOR, ROUNDING)
    reduced = _total(entry.points for _, entry in prior)
    writer = Writer(membership, programme, at)
    writer.add(
        key=key,
        kind=EntryKind.PENDING,
        points=EXACT.add(target, reduced).copy_negate(),
        on=credit_note.issued_on,
        source=SourceRef(kind="credit_note", id=credit_note.id),
        note=f"credit note on invoice {invoice.id}, still pending",
    )
    return writer.done()
