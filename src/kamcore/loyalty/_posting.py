"""Posting to the ledger: earn, confirm, reverse, redeem, expire, adjust.

Each function returns the membership with new entries appended, or the same
membership when the posting was already made (every entry has an idempotency
key built from its source). Rounding happens in one place
(:class:`~kamcore.loyalty._writer.Writer`): posted points are the exact points
plus the carried fraction, rounded *down* to the programme's point places;
what is left over stays carried (see :meth:`Membership.carried`). Credit notes
are in :mod:`kamcore.loyalty._reversal`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal

import attrs

from kamcore.accounts import Invoice, InvoiceStatus
from kamcore.errors import PolicyViolationError
from kamcore.kernel import (
    EXACT,
    ROUNDING,
    CategoryId,
    Checks,
    InvoiceId,
    Money,
    ProductId,
    Rate,
)
from kamcore.loyalty._chain import earning_order
from kamcore.loyalty._ledger import (
    EntryKind,
    LotDraw,
    SourceRef,
    draw_oldest_first,
)
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import EarnTrigger, Programme
from kamcore.loyalty._reversal import pending_key, reverse_credit_note
from kamcore.loyalty._writer import (
    Writer,
    check_invoice,
    corrected,
    expiry_of,
    line_key,
    lots_on,
    pay_back,
    pending_lines,
)

__all__ = [
    "adjust_points",
    "confirm_invoice",
    "earn_invoice",
    "expire_points",
    "redeem_points",
    "reverse_credit_note",
]

_ZERO = Decimal(0)


@attrs.frozen
class _Line:
    """What an invoice line earns: its base points (before the tier
    multiplier), its exact points and its money."""

    position: int
    base: Decimal
    exact: Decimal
    spend: Money


def _line_points(
    programme: Programme,
    invoice: Invoice,
    categories: Mapping[ProductId, CategoryId],
    tier_multiplier: Rate,
) -> list[_Line]:
    """Each line of an invoice that earns."""
    minimum = programme.earn.minimum_invoice
    if minimum is not None and invoice.total < minimum:
        return []
    result = []
    for position, line in enumerate(invoice.lines):
        category = categories.get(line.product)
        factor = EXACT.multiply(
            programme.earn.points_per_unit.value,
            programme.earn.multiplier_for(category).value,
        )
        base = EXACT.multiply(line.total.amount, factor)
        exact = EXACT.multiply(base, tier_multiplier.value)
        result.append(_Line(position, base, exact, line.total))
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
    check_invoice(programme, membership, invoice)
    if invoice.status is InvoiceStatus.CANCELLED:
        return membership
    pending = programme.earn_on is EarnTrigger.PAYMENT
    prefix = "pending" if pending else "earn"
    if membership.entry(line_key(prefix, invoice.id, 0)) is not None:
        return membership
    writer = Writer(membership, programme, at)
    for line in _line_points(programme, invoice, categories, tier_multiplier):
        if pending:
            writer.add(
                key=line_key("pending", invoice.id, line.position),
                kind=EntryKind.PENDING,
                points=line.exact.quantize(
                    programme.point_quantum, ROUND_FLOOR, ROUNDING
                ),
                on=invoice.issue_date,
                source=SourceRef(kind="invoice", id=invoice.id, line=line.position),
                # The line's money, recorded: pending, it counts toward nothing.
                spend=line.spend,
                base=line.base,
                note="pending until the invoice is paid",
            )
        else:
            _earn(writer, invoice.id, line, on=invoice.issue_date)
    return writer.done()


def _earn(writer: Writer, invoice: InvoiceId, line: _Line, *, on: dt.date) -> None:
    key = line_key("earn", invoice, line.position)
    points = writer.post(
        line.exact,
        order=earning_order(on, invoice, line.position, key),
        at_least=_ZERO,
    )
    lot = writer.add(
        key=key,
        kind=EntryKind.EARN,
        points=points,
        on=on,
        source=SourceRef(kind="invoice", id=invoice, line=line.position),
        exact=line.exact,
        spend=line.spend,
        base=line.base,
        expires_on=expiry_of(writer.programme, on),
    )
    if lot.points > 0:
        pay_back(writer, lot)


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
    the invoice was settled (:meth:`~kamcore.accounts.Invoice.settled_on`),
    every line of it, those whose pending points rounded to nothing included
    (their fractions are carried like any other). Pending reductions by credit
    notes are cleared with them: the credit notes are reversed from the
    confirmed points (:func:`reverse_credit_note`). A cancelled invoice's
    pending points are withdrawn instead, on its ``cancelled_on``. Anything else
    (not settled yet, nothing pending, already confirmed) changes nothing.

    Raises:
        ValidationError: the invoice is another client's or in another currency.
    """
    check_invoice(programme, membership, invoice)
    if programme.earn_on is not EarnTrigger.PAYMENT:
        return membership
    pendings = pending_lines(membership, invoice.id)
    settled = invoice.settled_on()
    cancelled = invoice.status is InvoiceStatus.CANCELLED
    if not pendings or (settled is None and not cancelled):
        return membership
    if membership.entry(f"cleared:{pendings[0].key}") is not None:
        return membership
    reductions = [
        entry
        for entry in (membership.entry(pending_key(c)) for c in invoice.credit_notes)
        if entry is not None
    ]
    if invoice.cancelled_on is not None:
        on = invoice.cancelled_on
    else:
        on = settled if settled is not None else invoice.issue_date
    writer = Writer(membership, programme, at)
    for pending in (*pendings, *reductions):
        writer.add(
            key=f"cleared:{pending.key}",
            kind=EntryKind.PENDING,
            points=corrected(membership, pending).copy_negate(),
            on=on,
            source=pending.source,
            note="invoice cancelled" if cancelled else "invoice paid",
        )
    if not cancelled:
        for line in _line_points(programme, invoice, categories, tier_multiplier):
            _earn(writer, invoice.id, line, on=on)
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
    available = _spendable(membership, on, held=not from_reservation)
    draws, short = draw_oldest_first(lots_on(membership, on), points, on=on)
    if points > available or short > 0:
        usable = min(available, EXACT.subtract(points, short))
        raise PolicyViolationError(
            "loyalty redemption",
            f"{points} points asked, {usable} available on {on}",
            points,
        )
    writer = Writer(membership, programme, at)
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
    nothing. A lot that holds points again after its expiry (a correction gave
    some back) expires them under the next key (``expire:lot:<n>:2``...).
    """
    writer = Writer(membership, programme, at)
    for lot in membership.lots():
        if lot.expires_on is None or lot.expires_on > as_of or lot.remaining <= 0:
            continue
        key = f"expire:lot:{lot.number}"
        count = 1
        while membership.entry(key) is not None:
            count += 1
            key = f"expire:lot:{lot.number}:{count}"
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
    checks.decimal("points", points)
    checks.raise_if_any()
    _check_points(programme, points, "adjust_points", signed=True)
    key = f"adjust:{reference}"
    if membership.entry(key) is not None:
        return membership
    source = SourceRef(kind="adjustment", id=reference)
    writer = Writer(membership, programme, at)
    if points > 0:
        lot = writer.add(
            key=key,
            kind=EntryKind.ADJUST,
            points=points,
            on=on,
            source=source,
            expires_on=expiry_of(programme, on),
            note=reason,
        )
        pay_back(writer, lot)
        return writer.done()
    wanted = points.copy_negate()
    available = _spendable(membership, on, held=True)
    draws, short = draw_oldest_first(lots_on(membership, on), wanted, on=on)
    if wanted > available or short > 0:
        usable = min(available, EXACT.subtract(wanted, short))
        raise PolicyViolationError(
            "loyalty adjustment",
            f"{wanted} points to take, {usable} available on {on}",
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


def _spendable(membership: Membership, on: dt.date, *, held: bool) -> Decimal:
    """What may be taken on ``on``: the lower of the balance on ``on`` and the
    balance with every entry (a later-dated entry already took its points),
    less the points held on proposals when ``held``."""
    balance = min(membership.balance(on), membership.balance())
    return EXACT.subtract(balance, membership.held()) if held else balance


def _check_points(
    programme: Programme, points: Decimal, subject: str, *, signed: bool = False
) -> None:
    """Points are a Decimal above zero (or, ``signed``, not zero) in steps of
    the programme's point places."""
    checks = Checks(subject)
    if signed:
        checks.require(points != 0, "points", "must not be zero", points)
    else:
        checks.decimal("points", points, strictly_positive=True)
    checks.raise_if_any()
    checks.require(
        points == points.quantize(programme.point_quantum, ROUND_FLOOR, ROUNDING),
        "points",
        f"must be in steps of {programme.point_quantum}",
        points,
    )
    checks.raise_if_any()
