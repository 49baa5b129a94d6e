"""Strategies for priced documents: lines, orders, invoices and what settles them."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from kamcore.accounts import (
    CreditNote,
    Invoice,
    InvoiceStatus,
    LineItem,
    Order,
    OrderStatus,
    Payment,
    PointsRedemption,
    PriceExplanation,
)
from kamcore.errors import ValidationError
from kamcore.kernel import (
    ClientId,
    CreditNoteId,
    InvoiceId,
    MembershipId,
    Money,
    OrderId,
    PaymentId,
    ProductId,
    ProposalId,
)
from kamcore.testing._pricing_strategies import (
    ad_hoc_discounts,
    price_explanations,
    unit_prices,
)
from kamcore.testing._value_strategies import (
    currencies,
    dates,
    days_after,
    free_text,
    ids,
    minor_unit,
    money,
    names,
)

__all__ = [
    "credit_notes",
    "invoices",
    "line_items",
    "orders",
    "payments",
    "points_redemptions",
]

_MAX_AMOUNT = 100_000
_MAX_RATE = Decimal(10)
_RATE_STEP = Decimal("0.0001")


# Built once: the composites below draw from these on every example.
_QUANTITIES = st.one_of(
    st.integers(1, 1000).map(Decimal),
    st.decimals(Decimal("0.001"), 1000, places=3),
)
_PRODUCT_IDS = ids(ProductId)
_CLIENT_IDS = ids(ClientId)
_ALL_OF_IT = st.sampled_from((False,) * 7 + (True,))
_POINT_PLACES = st.sampled_from([0, 2])
_MAYBE_PROPOSAL = st.none() | ids(ProposalId)
_REDEMPTION_TEXTS = st.just("Loyalty points redeemed") | names
_CREDIT_NOTE_IDS = st.lists(ids(CreditNoteId), max_size=3, unique=True)


@functools.lru_cache(maxsize=256)
def _lines(code: str, most: int) -> st.SearchStrategy[list[LineItem]]:
    """One to ``most`` lines in ``code``."""
    return st.lists(line_items(code), min_size=1, max_size=most)


@functools.lru_cache(maxsize=256)
def _explanations(code: str) -> st.SearchStrategy[PriceExplanation]:
    return price_explanations(code)


@functools.lru_cache(maxsize=4096)
def _payment_lists(code: str, issued: dt.date) -> st.SearchStrategy[list[Payment]]:
    """Up to three payments of an invoice issued on ``issued``, distinct ids."""
    return st.lists(
        payments(code, on_or_after=issued), max_size=3, unique_by=_payment_id
    )


def _payment_id(payment: Payment) -> PaymentId:
    return payment.id


def _code(draw: st.DrawFn, currency: str | None) -> str:
    return draw(currencies()) if currency is None else currency


def _dated(on_or_after: dt.date | None) -> st.SearchStrategy[dt.date]:
    """Any date, or one within a year after ``on_or_after``."""
    if on_or_after is None:
        return dates()
    return dates(on_or_after, days_after(on_or_after, 365))


@st.composite
def line_items(
    draw: st.DrawFn,
    currency: str | None = None,
    *,
    ad_hoc: bool | None = None,
    explained: bool = False,
) -> LineItem:
    """Document lines; unit prices keep the currency's decimals or 4.

    Args:
        draw: Supplied by Hypothesis.
        currency: Pin the currency.
        ad_hoc: With (``True``) or without (``False``) an ad-hoc discount, never
            worth more than the line's gross total; ``None``: sometimes.
        explained: With a price explanation (off by default: documents stay small).
    """
    code = _code(draw, currency)
    quantity = draw(_QUANTITIES)
    line = LineItem(
        product=draw(_PRODUCT_IDS),
        quantity=quantity,
        unit_price=draw(unit_prices(code)),
        description=draw(free_text),
        explanation=draw(_explanations(code)) if explained else None,
    )
    if draw(st.booleans()) if ad_hoc is None else ad_hoc:
        discount = draw(ad_hoc_discounts(max_amount=line.gross_total))
        return attrs.evolve(line, ad_hoc=discount)
    return line


@st.composite
def payments(
    draw: st.DrawFn,
    currency: str | None = None,
    *,
    on_or_after: dt.date | None = None,
) -> Payment:
    """Payments of a positive rounded amount.

    ``on_or_after`` dates them within a year after that day (an invoice's issue).
    """
    code = _code(draw, currency)
    return Payment(
        id=draw(ids(PaymentId)),
        received_on=draw(_dated(on_or_after)),
        amount=draw(money(code, min_value=minor_unit(code), max_value=_MAX_AMOUNT)),
        reference=draw(free_text),
    )


@st.composite
def credit_notes(
    draw: st.DrawFn,
    currency: str | None = None,
    *,
    on_or_after: dt.date | None = None,
    max_amount: Money | None = None,
) -> CreditNote:
    """Credit notes of a positive rounded amount, at most ``max_amount``.

    ``max_amount`` also pins the currency; it must be at least one minor unit.
    ``on_or_after`` dates them within a year after that day.
    """
    code = _code(draw, currency) if max_amount is None else max_amount.currency
    ceiling = _MAX_AMOUNT if max_amount is None else max_amount.amount
    return CreditNote(
        id=draw(ids(CreditNoteId)),
        issued_on=draw(_dated(on_or_after)),
        amount=draw(money(code, min_value=minor_unit(code), max_value=ceiling)),
        reason=draw(names),
    )


@st.composite
def points_redemptions(
    draw: st.DrawFn,
    currency: str | None = None,
    *,
    max_amount: Money | None = None,
    membership: MembershipId | None = None,
) -> PointsRedemption:
    """Points-redemption deduction lines worth at most ``max_amount``.

    The rate (the value of one point) has up to four decimals and is never
    worth more than ``max_amount``; points are whole or carry two decimals.
    Sometimes the points are worth exactly ``max_amount`` (an invoice paid in
    full with points).

    Args:
        draw: Supplied by Hypothesis.
        currency: Pin the currency of the rate.
        max_amount: The most the line may be worth (a whole number of minor
            units, at least one); also pins the currency. Default 100 000.
        membership: Pin the membership whose points pay.
    """
    code = _code(draw, currency) if max_amount is None else max_amount.currency
    ceiling = Decimal(_MAX_AMOUNT) if max_amount is None else max_amount.amount
    minor = minor_unit(code)
    if draw(_ALL_OF_IT):
        # All of it: one minor unit a point, as many points as minor units.
        rate = minor
        points = (ceiling / minor).quantize(Decimal(1))
    else:
        rate = draw(st.decimals(_RATE_STEP, min(_MAX_RATE, ceiling), places=4))
        places = draw(_POINT_PLACES)
        step = Decimal(1).scaleb(-places)
        # At least half a minor unit (it rounds up to one), at most the
        # ceiling: the ceiling is a whole number of minor units, so the
        # rounded value stays within it.
        fewest = (minor / 2 / rate).quantize(step, rounding=ROUND_CEILING)
        most = (ceiling / rate).quantize(step, rounding=ROUND_FLOOR)
        points = draw(st.decimals(fewest, most, places=places))
    return PointsRedemption(
        membership=draw(ids(MembershipId)) if membership is None else membership,
        points=points,
        rate=Money(rate, code),
        proposal=draw(_MAYBE_PROPOSAL),
        description=draw(_REDEMPTION_TEXTS),
    )


@st.composite
def orders(
    draw: st.DrawFn,
    *,
    client: ClientId | None = None,
    currency: str | None = None,
    status: OrderStatus | None = None,
) -> Order:
    """Orders of one to five lines, all in the order's currency.

    A fulfilled or cancelled order is closed on its order date or up to 120
    days after it (``closed_on``); an open one has no ``closed_on``.
    """
    code = _code(draw, currency)
    placed = draw(dates())
    state = draw(st.sampled_from(OrderStatus)) if status is None else status
    closed = (
        None
        if state is OrderStatus.OPEN
        else draw(dates(placed, days_after(placed, 120)))
    )
    return Order(
        id=draw(ids(OrderId)),
        client=draw(_CLIENT_IDS) if client is None else client,
        order_date=placed,
        currency=code,
        lines=tuple(draw(_lines(code, 5))),
        status=state,
        closed_on=closed,
    )


@st.composite
def invoices(
    draw: st.DrawFn,
    *,
    client: ClientId | None = None,
    currency: str | None = None,
    status: InvoiceStatus | None = None,
    redeemed: bool | None = None,
) -> Invoice:
    """Invoices with points redemptions, payments and credit notes that fit them.

    Built the way the entity allows: points are redeemed at invoicing (one
    deduction line per membership, never worth more than the lines), then
    payments and credit notes recorded, dated on or after the issue date, in
    the invoice currency, with distinct ids; credit notes never add up to more
    than the total left after the points. Due on or after the issue date. A
    cancelled invoice has no redemptions, payments or credits; it was
    cancelled on its issue date or up to 180 days after it, before or after
    its due date (``cancelled_on``).

    Args:
        draw: Supplied by Hypothesis.
        client: Pin the client.
        currency: Pin the currency.
        status: Pin the status.
        redeemed: With (``True``: issued, with one or two redemptions) or
            without (``False``) points redeemed; ``None``: sometimes, when
            issued.

    Raises:
        ValidationError: ``redeemed=True`` with a cancelled ``status``.
    """
    if redeemed and status is InvoiceStatus.CANCELLED:
        raise ValidationError.single(
            "invoices",
            "redeemed",
            "points are redeemed on issued invoices only, not with status cancelled",
            redeemed,
        )
    code = _code(draw, currency)
    issued = draw(dates())
    if redeemed:
        status = InvoiceStatus.ISSUED
    invoice = Invoice(
        id=draw(ids(InvoiceId)),
        client=draw(_CLIENT_IDS) if client is None else client,
        issue_date=issued,
        due_date=draw(dates(issued, days_after(issued, 120))),
        currency=code,
        lines=tuple(draw(_lines(code, 4))),
    )
    state = draw(st.sampled_from(InvoiceStatus)) if status is None else status
    if state is InvoiceStatus.CANCELLED:
        return invoice.cancel(on=draw(dates(issued, days_after(issued, 180))))
    if redeemed:
        assume(invoice.total.amount >= minor_unit(code))
    members = draw(
        st.lists(
            ids(MembershipId),
            min_size=1 if redeemed else 0,
            max_size=0 if redeemed is False else 2,
            unique=True,
        )
    )
    for member in members:
        if invoice.total.amount < minor_unit(code):
            break
        invoice = invoice.with_redemption(
            draw(points_redemptions(max_amount=invoice.total, membership=member))
        )
    for paid in draw(_payment_lists(code, issued)):
        invoice = invoice.with_payment(paid)
    for credit_id in draw(_CREDIT_NOTE_IDS):
        left = invoice.total - invoice.credited()
        if left.amount < minor_unit(code):
            break
        note = draw(credit_notes(on_or_after=issued, max_amount=left))
        invoice = invoice.with_credit_note(attrs.evolve(note, id=credit_id))
    return invoice
