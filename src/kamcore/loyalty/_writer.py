"""Appending to a ledger: numbering entries, carrying fractions, paying debts.

Shared by the postings (:mod:`kamcore.loyalty._posting`), the reversals
(:mod:`kamcore.loyalty._reversal`) and the corrections. Rounding of new postings
happens here: posted points are the exact points plus the fraction carried by
the units before them in the canonical order (:mod:`kamcore.loyalty._chain`),
rounded *down* to the programme's point places; what is left over stays carried
(see :meth:`Membership.carried`).

Draws never take from a lot dated after them, and always see every draw on it
written so far, whatever its date: a posting dated before others (an invoice
posted late) can neither overdraw a lot nor make a balance on a past date
negative.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal

import attrs

from kamcore.accounts import Invoice
from kamcore.kernel import EXACT, ROUNDING, Checks, InvoiceId
from kamcore.loyalty._chain import Order, carry_before
from kamcore.loyalty._ledger import EntryKind, LedgerEntry, Lot, LotDraw
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import Programme

__all__ = [
    "Writer",
    "check_invoice",
    "corrected",
    "expiry_of",
    "line_key",
    "lots_on",
    "own_lots",
    "pay_back",
    "pending_lines",
]

_ZERO = Decimal(0)


class Writer:
    """Appends entries to a membership, numbering them and carrying fractions."""

    def __init__(
        self, membership: Membership, programme: Programme, at: dt.datetime
    ) -> None:
        self.membership = membership
        self.programme = programme
        self.at = at
        self.entries: list[LedgerEntry] = []
        self.carry: Decimal | None = None

    def post(
        self,
        exact: Decimal,
        *,
        order: Order,
        at_least: Decimal | None = None,
        at_most: Decimal | None = None,
    ) -> Decimal:
        """Exact points plus the carry, rounded down to the point places.

        The carry is the fraction the units before ``order`` (the canonical
        place of the first unit posted; the next ones follow it) left over.
        The posted points are never below ``at_least`` (an earning posts no
        less than nothing, a reversal takes no more than its invoice's lots
        got) nor above ``at_most`` (a reversal gives nothing); the difference
        is carried. Units posted out of order may find a carry the
        corrections will then put right (:mod:`kamcore.loyalty._corrections`).
        """
        if self.carry is None:
            self.carry = carry_before(self.current(), order)
        total = EXACT.add(self.carry, exact)
        posted = total.quantize(self.programme.point_quantum, ROUND_FLOOR, ROUNDING)
        if at_least is not None:
            posted = max(posted, at_least)
        if at_most is not None:
            posted = min(posted, at_most)
        self.carry = EXACT.subtract(total, posted)
        return posted

    def add(self, **fields: object) -> LedgerEntry:
        """Append one entry, numbered after the others."""
        entry = LedgerEntry(
            number=self.membership.next_number() + len(self.entries),
            recorded_at=self.at,
            **fields,  # type: ignore[arg-type] # the entry's own fields, checked by it
        )
        self.entries.append(entry)
        return entry

    def current(self) -> Membership:
        """The membership with what was appended so far (validated)."""
        if not self.entries:
            return self.membership
        return attrs.evolve(
            self.membership, entries=(*self.membership.entries, *self.entries)
        )

    def done(self) -> Membership:
        """The membership to return: the same object when nothing was written."""
        return self.current()


def expiry_of(programme: Programme, on: dt.date) -> dt.date | None:
    """The first day points earned on ``on`` are no longer usable."""
    return None if programme.expiry is None else on + programme.expiry


def lots_on(membership: Membership, on: dt.date) -> list[Lot]:
    """The lots earned on or before ``on``, oldest first, with what every draw
    written so far (of any date) left in them."""
    return [lot for lot in membership.lots() if lot.earned_on <= on]


def corrected(membership: Membership, entry: LedgerEntry) -> Decimal:
    """An entry's points with the corrections written to it since."""
    total = entry.points
    for other in membership.entries:
        if other.corrects == entry.number:
            total = EXACT.add(total, other.points)
    return total


def own_lots(membership: Membership, invoice: str) -> set[int]:
    """The lots an invoice's earnings (and their corrections) created."""
    return {
        entry.number
        for entry in membership.entries
        if entry.is_lot
        and entry.kind in (EntryKind.EARN, EntryKind.CORRECT)
        and entry.source.kind == "invoice"
        and entry.source.id == invoice
    }


def line_key(prefix: str, invoice: InvoiceId, line: int) -> str:
    """The key of an invoice line's entry: ``earn:invoice:i-1:line:0``."""
    return f"{prefix}:invoice:{invoice}:line:{line}"


def pending_lines(membership: Membership, invoice: InvoiceId) -> list[LedgerEntry]:
    """The entries that made an invoice's lines pending, in line order."""
    return [
        e
        for e in membership.entries
        if e.kind is EntryKind.PENDING
        and e.source.kind == "invoice"
        and e.source.id == invoice
        and e.source.line is not None
        and e.key == line_key("pending", invoice, e.source.line)
    ]


def check_invoice(
    programme: Programme, membership: Membership, invoice: Invoice
) -> None:
    """Refuse an invoice of another client or in another currency.

    Raises:
        ValidationError: naming ``invoice.client`` or ``invoice.currency``.
    """
    checks = Checks("loyalty posting")
    checks.instance("invoice", invoice, Invoice)
    checks.raise_if_any()
    checks.require(
        invoice.client == membership.client,
        "invoice.client",
        f"is not the member {membership.client!r}",
        invoice.client,
    )
    checks.require(
        invoice.currency == programme.currency,
        "invoice.currency",
        f"must be the programme currency {programme.currency}",
        invoice.currency,
    )
    checks.raise_if_any()


def _debt_dated(membership: Membership, lot: LedgerEntry) -> dt.date:
    """The day a new lot can pay a debt: not before the lot, nor before the
    reversals that ran it up (a lot may be posted late, dated earlier)."""
    dates = [
        e.on
        for e in membership.entries
        if e.kind in (EntryKind.REVERSE, EntryKind.CORRECT)
        and (e.owed > 0 or e.drawn < -e.points)
    ]
    return max([lot.on, *dates])


def pay_back(writer: Writer, lot: LedgerEntry) -> None:
    """Take owed points (claw-back), then unbacked points (a negative balance),
    from what a new lot still holds."""
    current = writer.current()
    left = next((x.remaining for x in current.lots() if x.number == lot.number), _ZERO)
    owed = current.owed()
    unbacked = current.unbacked()
    if left <= 0 or (owed <= 0 and unbacked <= 0):
        return
    on = _debt_dated(current, lot)
    if owed > 0:
        taken = min(owed, left)
        writer.add(
            key=f"claw_back:{lot.key}",
            kind=EntryKind.CLAW_BACK,
            points=taken.copy_negate(),
            on=on,
            source=lot.source,
            draws=(LotDraw(lot=lot.number, points=taken),),
            note="points owed by an earlier credit note",
        )
        left = EXACT.subtract(left, taken)
    # A claw-back entry takes points and draws as many: it leaves the
    # unbacked points as they were.
    if unbacked > 0 and left > 0:
        taken = min(unbacked, left)
        writer.add(
            key=f"settle:{lot.key}",
            kind=EntryKind.SETTLE,
            points=_ZERO,
            on=on,
            source=lot.source,
            draws=(LotDraw(lot=lot.number, points=taken),),
            note="matched against a negative balance",
        )
