"""An invoice's whole effect on the ledger, in one idempotent call.

:func:`sync_invoice` brings a membership up to date with an invoice as it
stands: earned (or pending) when issued, confirmed once paid, reversed for each
credit note, withdrawn when cancelled. Every step is one of the postings of
:mod:`kamcore.loyalty._posting`, keyed by its source, so calling it again after
nothing changed writes nothing, and calling it after a payment or a credit
note writes only what that adds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from kamcore.accounts import Invoice, InvoiceStatus, LineItem
from kamcore.kernel import CategoryId, ProductId, Rate
from kamcore.loyalty._cancellation import withdraw
from kamcore.loyalty._corrections import reconcile
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._posting import (
    confirm_invoice,
    earn_invoice,
    reverse_credit_note,
)
from kamcore.loyalty._programme import EarnTrigger, Programme
from kamcore.loyalty._reversal import reduce_pending
from kamcore.loyalty._tier_engine import start_of_day_tiers

__all__ = ["earn_multiplier", "earning_basis", "sync_invoice"]

_ONE = Decimal(1)


def earning_basis(invoice: Invoice) -> Invoice:
    """The invoice as the earn rules see it: the money actually invoiced.

    Points paid with points earn nothing: an invoice with a points-redemption
    deduction line earns on its :attr:`~kamcore.accounts.Invoice.total` (the
    lines total less the redemptions), spread over its lines in proportion to
    their totals, to the cent (largest remainders, the earlier line winning a
    tie, see :meth:`~kamcore.kernel.Money.allocate`). Each line keeps its
    product and position, so category multipliers and ledger sources still
    apply; the redemptions are taken off. An invoice without redemptions is
    returned as it is.

    Example:
        >>> from decimal import Decimal
        >>> from kamcore.accounts import PointsRedemption
        >>> from kamcore.kernel import ClientId, InvoiceId, MembershipId, Money
        >>> invoice = Invoice(
        ...     id=InvoiceId("i-1"), client=ClientId("acme"),
        ...     issue_date=dt.date(2026, 3, 2), due_date=dt.date(2026, 4, 1),
        ...     currency="EUR",
        ...     lines=(
        ...         LineItem(product=ProductId("pump"), quantity=Decimal(1),
        ...                  unit_price=Money("300.00", "EUR")),
        ...         LineItem(product=ProductId("seal"), quantity=Decimal(1),
        ...                  unit_price=Money("100.00", "EUR")),
        ...     ),
        ...     redemptions=(PointsRedemption(
        ...         membership=MembershipId("ms-1"), points=Decimal(5000),
        ...         rate=Money("0.01", "EUR")),),
        ... )
        >>> [str(line.total) for line in earning_basis(invoice).lines]
        ['262.50 EUR', '87.50 EUR']
    """
    if not invoice.redemptions:
        return invoice
    shares = invoice.total.allocate([line.total.amount for line in invoice.lines])
    lines = tuple(
        LineItem(
            product=line.product,
            quantity=_ONE,
            unit_price=share,
            description=line.description,
        )
        for line, share in zip(invoice.lines, shares, strict=True)
    )
    return attrs.evolve(invoice, lines=lines, redemptions=())


def earn_multiplier(membership: Membership, programme: Programme, day: dt.date) -> Rate:
    """The tier multiplier for points earned on ``day``: the earn multiplier
    of the tier the member began that day in -- the tier of that day counting
    the documents dated before it (an override's tier included). Every
    document of a day earns alike, whichever is posted first; an invoice that
    reaches a tier earns at it from the next day on.

    .. versionchanged:: Unreleased
       The tier the day began with, not the tier at its end.
    """
    [tier] = start_of_day_tiers(membership, programme, [day]).values()
    return tier.benefits.earn_multiplier


def sync_invoice(
    membership: Membership,
    programme: Programme,
    invoice: Invoice,
    *,
    categories: Mapping[ProductId, CategoryId],
    at: dt.datetime,
) -> Membership:
    """Post everything the invoice's current state means for the ledger.

    In order, each step idempotent:

    1. **earn** (:func:`~kamcore.loyalty.earn_invoice`): on the
       :func:`earning_basis`, at the tier multiplier of the issue date;
       *pending* under ``earn on payment``.
    2. **confirm** (:func:`~kamcore.loyalty.confirm_invoice`), under ``earn
       on payment``: once the invoice is settled, at the tier multiplier of
       the settlement date; a cancelled invoice's pending points are withdrawn.
    3. **reverse** each credit note (:func:`~kamcore.loyalty.reverse_credit_note`),
       oldest first: its share of the points earned, or of the points still
       pending.
    4. **withdraw** a cancelled invoice: what it earned (``earn on issue``)
       is reversed like a credit note of its whole total
       (:func:`~kamcore.loyalty.cancellation_note`), and the points redeemed
       on it go back to the lots they were drawn from (a ``return`` entry per
       lot: the lot keeps its earn and expiry dates; points returned to a lot
       already past its expiry date expire at once), both dated the invoice's
       ``cancelled_on``; the reservation it committed is released.

    A cancelled invoice is earned on as the issued invoice it was (step 1),
    then withdrawn (steps 2 and 4): posted before or only after its
    cancellation, it leaves the same entries, on the same dates, so the
    balance, the qualifying spend and the tier on every day read the same.

    Args:
        membership: The member's membership.
        programme: Its programme.
        invoice: The invoice as stored now.
        categories: The category of each product on the invoice (products
            missing here earn at the base rate).
        at: When the entries are written.

    Raises:
        ValidationError: the invoice is another client's or in another
            currency.
        PolicyViolationError: under the ``refuse`` reversal policy, a credit
            note must take back points that were already spent.

    .. versionchanged:: Unreleased
       No ``on`` argument: a cancellation is reversed on the invoice's own
       ``cancelled_on``, not on the day of the call.
    """
    basis = earning_basis(invoice)
    # A cancelled invoice earned while it was live, from its issue to its
    # cancellation: it is posted as issued, then withdrawn on cancelled_on, so
    # the ledger reads the same whether it was posted before the cancellation
    # or only after it.
    live = (
        basis
        if invoice.cancelled_on is None
        else attrs.evolve(basis, status=InvoiceStatus.ISSUED, cancelled_on=None)
    )
    current = earn_invoice(
        membership,
        programme,
        live,
        categories=categories,
        tier_multiplier=earn_multiplier(membership, programme, invoice.issue_date),
        at=at,
    )
    notes = sorted(invoice.credit_notes, key=lambda c: (c.issued_on, c.id))
    if programme.earn_on is EarnTrigger.PAYMENT:
        settled = invoice.settled_on()
        day = invoice.issue_date if settled is None else settled
        # Credit notes granted while the points were pending reduced them on
        # their day, even if the invoice is only posted once paid.
        for note in notes:
            if settled is None or note.issued_on < settled:
                current = reduce_pending(current, programme, basis, note, at=at)
        current = confirm_invoice(
            current,
            programme,
            basis,
            categories=categories,
            tier_multiplier=earn_multiplier(current, programme, day),
            at=at,
        )
    if invoice.cancelled_on is not None:
        current = withdraw(current, programme, invoice, basis, at=at)
    for note in notes:
        current = reverse_credit_note(current, programme, basis, note, at=at)
    return reconcile(current, programme, at=at)
