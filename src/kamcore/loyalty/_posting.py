"""Posting to the ledger: earn, confirm, reverse, redeem, expire, adjust.

Each function returns the membership with new entries appended, or the same
membership when the posting was already made (every entry has an idempotency
key built from its source). Rounding happens in one place: posted points are
the exact points plus the carried fraction, rounded *down* to the programme's
point places; what is left over stays carried (see
:meth:`Membership.carried`). Proportional reversals are computed to a
millionth of a point before that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

import attrs

from kamcore.accounts import CreditNote, Invoice, InvoiceStatus
from kamcore.errors import PolicyViolationError, ValidationError
from kamcore.kernel import CategoryId, Checks, Money, ProductId, Rate
from kamcore.kernel._money import EXACT, ROUNDING
from kamcore.loyalty._ledger import (
    EntryKind,
    LedgerEntry,
    LotDraw,
    SourceRef,
    draw_oldest_first,
)
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import EarnTrigger, Programme, ReversalPolicy

__all__ = [
    "adjust_points",
    "confirm_invoice",
    "earn_invoice",
    "expire_points",
    "redeem_points",
    "reverse_credit_note",
]

_ZERO = Decimal(0)
_MILLIONTH = Decimal("0.000001")


class _Writer:
    """Appends entries to a membership, numbering them and carrying fractions."""

    def __init__(self, membership: Membership, programme: Programme, at: dt.datetime):
        self.membership = membership
        self.programme = programme
        self.at = at
        self.entries: list[LedgerEntry] = []
        self.carry = membership.carried()

    def post(self, exact: Decimal) -> Decimal:
        """Exact points plus the carry, rounded down to the point places."""
        total = EXACT.add(self.carry, exact)
        posted = total.quantize(self.programme.point_quantum, ROUND_FLOOR, ROUNDING)
        self.carry = EXACT.subtract(total, posted)
        return posted

    def add(self, **fields: object) -> LedgerEntry:
        entry = LedgerEntry(
            number=self.membership.next_number() + len(self.entries),
            recorded_at=self.at,
            **fields,  # type: ignore[arg-type] # the entry's own fields, checked by it
        )
        self.entries.append(entry)
        return entry

    def current(self) -> Membership:
        return attrs.evolve(
            self.membership, entries=(*self.membership.entries, *self.entries)
        )

    def done(self) -> Membership:
        return self.current()


def _expiry(programme: Programme, on: dt.date) -> dt.date | None:
    return None if programme.expiry is None else on + programme.expiry


def _line_key(prefix: str, invoice: Invoice, line: int) -> str:
    return f"{prefix}:invoice:{invoice.id}:line:{line}"


def _check_invoice(
    programme: Programme, membership: Membership, invoice: Invoice
) -> None:
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


def _line_points(
    programme: Programme,
    invoice: Invoice,
    categories: Mapping[ProductId, CategoryId],
    tier_multiplier: Rate,
) -> list[tuple[int, Decimal, Money]]:
    """(line, exact points, spend) for each line of an invoice that earns."""
    minimum = programme.earn.minimum_invoice
    if minimum is not None and invoice.total < minimum:
        return []
    rate = EXACT.multiply(programme.earn.points_per_unit.value, tier_multiplier.value)
    result = []
    for position, line in enumerate(invoice.lines):
        category = categories.get(line.product)
        factor = EXACT.multiply(rate, programme.earn.multiplier_for(category).value)
        result.append((position, EXACT.multiply(line.total.amount, factor), line.total))
    return result


def earn_invoice(
    membership: Membership,
    programme: Programme,
    invoice: Invoice,
    *,
    categories: Mapping[ProductId, CategoryId],
    tier_multiplier: Rate,
    at: dt.datetime,
) -> Membership:
    """Post what an issued invoice earns: one entry per line, tied to it.

    Under :attr:`EarnTrigger.ISSUE` the points are earned on the issue date
    (lots, with their expiry); under :attr:`EarnTrigger.PAYMENT` they are
    *pending* until :func:`confirm_invoice`. Earnings first pay back points
    owed by earlier reversals (claw-back) and unbacked points. A cancelled
    invoice earns nothing. Posting an invoice twice earns once.

    Args:
        membership: The member's membership.
        programme: Its programme.
        invoice: The issued invoice.
        categories: Product categories, for category multipliers.
        tier_multiplier: The member's tier multiplier on the earn date.
        at: When the entries are written.

    Raises:
        ValidationError: the invoice is another client's or in another currency.
    """
    _check_invoice(programme, membership, invoice)
    if invoice.status is InvoiceStatus.CANCELLED:
        return membership
    pending = programme.earn_on is EarnTrigger.PAYMENT
    prefix = "pending" if pending else "earn"
    if membership.entry(_line_key(prefix, invoice, 0)) is not None:
        return membership
    writer = _Writer(membership, programme, at)
    for position, exact, spend in _line_points(
        programme, invoice, categories, tier_multiplier
    ):
        source = SourceRef(kind="invoice", id=invoice.id, line=position)
        if pending:
            writer.add(
                key=_line_key("pending", invoice, position),
                kind=EntryKind.PENDING,
                points=exact.quantize(programme.point_quantum, ROUND_FLOOR, ROUNDING),
                on=invoice.issue_date,
                source=source,
                note="pending until the invoice is paid",
            )
        else:
            _earn(
                writer,
                on=invoice.issue_date,
                source=source,
                exact=exact,
                spend=spend,
                key=_line_key("earn", invoice, position),
            )
    return writer.done()


def _earn(
    writer: _Writer,
    *,
    on: dt.date,
    source: SourceRef,
    exact: Decimal,
    spend: Money,
    key: str,
) -> None:
    points = writer.post(exact)
    lot = writer.add(
        key=key,
        kind=EntryKind.EARN,
        points=points,
        on=on,
        source=source,
        exact=exact,
        spend=spend,
        expires_on=_expiry(writer.programme, on),
    )
    if lot.points > 0:
        _pay_back(writer, lot)


def _pay_back(writer: _Writer, lot: LedgerEntry) -> None:
    """Take owed and unbacked points from a new lot, owed first."""
    current = writer.current()
    left = lot.points
    owed = current.owed()
    if owed > 0:
        taken = min(owed, left)
        writer.add(
            key=f"claw_back:{lot.key}",
            kind=EntryKind.CLAW_BACK,
            points=taken.copy_negate(),
            on=lot.on,
            source=lot.source,
            draws=(LotDraw(lot=lot.number, points=taken),),
            note="points owed by an earlier credit note",
        )
        left = EXACT.subtract(left, taken)
    unbacked = current.unbacked()
    if unbacked > 0 and left > 0:
        taken = min(unbacked, left)
        writer.add(
            key=f"settle:{lot.key}",
            kind=EntryKind.SETTLE,
            points=_ZERO,
            on=lot.on,
            source=lot.source,
            draws=(LotDraw(lot=lot.number, points=taken),),
            note="matched against a negative balance",
        )


def confirm_invoice(
    membership: Membership,
    programme: Programme,
    invoice: Invoice,
    *,
    categories: Mapping[ProductId, CategoryId],
    tier_multiplier: Rate,
    at: dt.datetime,
) -> Membership:
    """Turn an invoice's pending points into earned points once it is settled.

    Only under :attr:`EarnTrigger.PAYMENT`; the points are earned on the day
    the invoice was settled (:meth:`~kamcore.accounts.Invoice.settled_on`). A
    cancelled invoice's pending points are withdrawn instead. Anything else
    (not settled yet, nothing pending, already confirmed) changes nothing.
    """
    _check_invoice(programme, membership, invoice)
    if programme.earn_on is not EarnTrigger.PAYMENT:
        return membership
    pendings = [
        e
        for e in membership.entries
        if e.kind is EntryKind.PENDING
        and e.points > 0
        and e.source.kind == "invoice"
        and e.source.id == invoice.id
    ]
    settled = invoice.settled_on()
    cancelled = invoice.status is InvoiceStatus.CANCELLED
    if not pendings or (settled is None and not cancelled):
        return membership
    if membership.entry(f"cleared:{pendings[0].key}") is not None:
        return membership
    on = settled if settled is not None and not cancelled else invoice.issue_date
    writer = _Writer(membership, programme, at)
    lines = {
        p: (e, s)
        for p, e, s in _line_points(programme, invoice, categories, tier_multiplier)
    }
    for pending in pendings:
        writer.add(
            key=f"cleared:{pending.key}",
            kind=EntryKind.PENDING,
            points=pending.points.copy_negate(),
            on=on,
            source=pending.source,
            note="invoice cancelled" if cancelled else "invoice paid",
        )
        if not cancelled and pending.source.line in lines:
            exact, spend = lines[pending.source.line]
            _earn(
                writer,
                on=on,
                source=pending.source,
                exact=exact,
                spend=spend,
                key=_line_key("earn", invoice, pending.source.line or 0),
            )
    return writer.done()


def reverse_credit_note(
    membership: Membership,
    programme: Programme,
    invoice: Invoice,
    credit_note: CreditNote,
    *,
    at: dt.datetime,
) -> Membership:
    """Take back the points a credit note's share of an invoice earned.

    The points reversed are the invoice's exact earned points times
    ``credit note / invoice total`` (to a millionth of a point, then posted
    like any other points), drawn from the lots the invoice earned. When those
    lots no longer hold enough (the points were spent), the programme's
    :class:`ReversalPolicy` decides: refuse, claw back the rest from later
    earnings, or let the balance go negative. The qualifying spend drops by
    the credit note's amount. Reversing a credit note twice reverses once;
    an invoice whose points are still pending only has its pending points
    reduced.

    Raises:
        ValidationError: the credit note is not on the invoice.
        PolicyViolationError: under ``refuse``, the points were already spent.
    """
    _check_invoice(programme, membership, invoice)
    if credit_note not in invoice.credit_notes:
        raise ValidationError.single(
            "reverse_credit_note",
            "credit_note",
            f"is not a credit note of invoice {invoice.id!r}",
            credit_note.id,
        )
    key = f"reverse:credit_note:{credit_note.id}"
    if membership.entry(key) is not None:
        return membership
    earned = [
        e
        for e in membership.entries
        if e.kind is EntryKind.EARN
        and e.source.kind == "invoice"
        and e.source.id == invoice.id
    ]
    total_exact = sum((e.exact or _ZERO for e in earned), _ZERO)
    share = ROUNDING.divide(
        EXACT.multiply(total_exact, credit_note.amount.amount), invoice.total.amount
    ).quantize(_MILLIONTH, ROUND_HALF_UP, ROUNDING)
    writer = _Writer(membership, programme, at)
    source = SourceRef(kind="credit_note", id=credit_note.id)
    wanted = writer.post(share.copy_negate()).copy_negate()
    lots = [
        lot for lot in membership.lots() if lot.number in {e.number for e in earned}
    ]
    draws: list[LotDraw] = []
    left = wanted
    for lot in lots:
        if left <= 0:
            break
        taken = min(lot.remaining, left)
        if taken > 0:
            draws.append(LotDraw(lot=lot.number, points=taken))
            left = EXACT.subtract(left, taken)
    policy = programme.reversal
    if left > 0 and policy is ReversalPolicy.REFUSE:
        raise PolicyViolationError(
            "loyalty reversal",
            f"credit note {credit_note.id!r} must take back {wanted} points, "
            f"but {left} of them were already spent",
            left,
        )
    drawn = EXACT.subtract(wanted, left)
    owed = left if policy is ReversalPolicy.CLAW_BACK else _ZERO
    points = drawn if policy is ReversalPolicy.CLAW_BACK else wanted
    writer.add(
        key=key,
        kind=EntryKind.REVERSE,
        points=points.copy_negate(),
        on=credit_note.issued_on,
        source=source,
        draws=tuple(draws),
        exact=share.copy_negate(),
        spend=-credit_note.amount,
        owed=owed,
        note=f"credit note on invoice {invoice.id}",
    )
    return writer.done()


def redeem_points(
    membership: Membership,
    programme: Programme,
    *,
    points: Decimal,
    on: dt.date,
    source: SourceRef,
    at: dt.datetime,
    from_reservation: bool = False,
) -> Membership:
    """Spend ``points``, oldest usable lots first.

    Args:
        membership: The member's membership.
        programme: Its programme.
        points: How many (positive, in whole point places).
        on: The redemption date.
        source: The invoice they pay.
        at: When the entry is written.
        from_reservation: The points were held by a reservation being
            committed, so held points count as available.

    Raises:
        ValidationError: points not positive or finer than the point places.
        PolicyViolationError: more than the available balance.
    """
    _check_points(programme, points, "redeem_points")
    key = f"redeem:{source.kind}:{source.id}"
    if membership.entry(key) is not None:
        return membership
    available = membership.balance(on) if from_reservation else membership.available(on)
    draws, short = draw_oldest_first(membership.lots(on), points, on=on)
    if points > available or short > 0:
        raise PolicyViolationError(
            "loyalty redemption",
            f"{points} points asked, {min(available, EXACT.subtract(points, short))} "
            "available",
            points,
        )
    writer = _Writer(membership, programme, at)
    writer.add(
        key=key,
        kind=EntryKind.REDEEM,
        points=points.copy_negate(),
        on=on,
        source=source,
        draws=draws,
    )
    return writer.done()


def expire_points(
    membership: Membership, programme: Programme, *, as_of: dt.date, at: dt.datetime
) -> Membership:
    """Expire what is left of every lot whose expiry date is on or before ``as_of``.

    Each expiry is dated on the lot's expiry date, so balances asked for past
    dates are right even when the run was late. Running it again changes
    nothing.
    """
    writer = _Writer(membership, programme, at)
    for lot in membership.lots():
        if lot.expires_on is None or lot.expires_on > as_of or lot.remaining <= 0:
            continue
        key = f"expire:lot:{lot.number}"
        if membership.entry(key) is not None:
            continue
        writer.add(
            key=key,
            kind=EntryKind.EXPIRE,
            points=lot.remaining.copy_negate(),
            on=lot.expires_on,
            source=SourceRef(kind="expiry", id=f"lot-{lot.number}"),
            draws=(LotDraw(lot=lot.number, points=lot.remaining),),
            note=f"earned {lot.earned_on}, expired {lot.expires_on}",
        )
    return writer.done()


def adjust_points(
    membership: Membership,
    programme: Programme,
    *,
    points: Decimal,
    on: dt.date,
    reference: str,
    reason: str,
    at: dt.datetime,
) -> Membership:
    """A manual correction, with a reason; ``reference`` makes it idempotent.

    A positive adjustment is a new lot (expiring like earned points); a
    negative one takes from the oldest usable lots and may not exceed the
    available balance.

    Raises:
        ValidationError: zero points, points finer than the point places, no
            reason or reference.
        PolicyViolationError: a negative adjustment beyond what is available.
    """
    checks = Checks("adjust_points")
    checks.text("reference", reference)
    checks.text("reason", reason)
    checks.raise_if_any()
    _check_points(programme, points.copy_abs(), "adjust_points")
    key = f"adjust:{reference}"
    if membership.entry(key) is not None:
        return membership
    source = SourceRef(kind="adjustment", id=reference)
    writer = _Writer(membership, programme, at)
    if points > 0:
        lot = writer.add(
            key=key,
            kind=EntryKind.ADJUST,
            points=points,
            on=on,
            source=source,
            expires_on=_expiry(programme, on),
            note=reason,
        )
        _pay_back(writer, lot)
        return writer.done()
    wanted = points.copy_negate()
    draws, short = draw_oldest_first(membership.lots(on), wanted, on=on)
    if wanted > membership.available(on) or short > 0:
        raise PolicyViolationError(
            "loyalty adjustment",
            f"{wanted} points to take, {membership.available(on)} available",
            points,
        )
    writer.add(
        key=key,
        kind=EntryKind.ADJUST,
        points=points,
        on=on,
        source=source,
        draws=draws,
        note=reason,
    )
    return writer.done()


def _check_points(programme: Programme, points: Decimal, subject: str) -> None:
    checks = Checks(subject)
    checks.decimal("points", points, strictly_positive=True)
    checks.raise_if_any()
    checks.require(
        points == points.quantize(programme.point_quantum, ROUND_FLOOR, ROUNDING),
        "points",
        f"must be in steps of {programme.point_quantum}",
        points,
    )
    checks.raise_if_any()
