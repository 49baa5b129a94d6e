"""Strategies for the account entities and notifications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeAlias

import attrs
from hypothesis import strategies as st

from kamcore.accounts import (
    Activity,
    ActivityKind,
    Client,
    ClientGroup,
    ClientStatus,
    CreditNote,
    Invoice,
    InvoiceStatus,
    LineItem,
    Order,
    OrderStatus,
    Payment,
    Product,
    Ticket,
    TicketPriority,
)
from kamcore.kernel import (
    ActivityId,
    CategoryId,
    ClientGroupId,
    ClientId,
    ContractId,
    CreditNoteId,
    DiscountGroupId,
    InvoiceId,
    ManagerId,
    MembershipId,
    Money,
    OpportunityId,
    OrderId,
    PaymentId,
    PriceListId,
    ProductId,
    TicketId,
)
from kamcore.ports import Notification, Recipient, RecipientKind
from kamcore.pricing import DiscountGroup, PriceList
from kamcore.testing._pricing_strategies import (
    ad_hoc_discounts,
    discount_groups,
    price_explanations,
    price_lists,
    unit_prices,
)
from kamcore.testing._value_strategies import (
    currencies,
    dates,
    days_after,
    free_text,
    ids,
    instants,
    locales,
    minor_unit,
    money,
    names,
)

__all__ = [
    "AnyAggregate",
    "activities",
    "aggregates",
    "client_groups",
    "clients",
    "credit_notes",
    "invoices",
    "line_items",
    "notifications",
    "orders",
    "payments",
    "products",
    "recipients",
    "tickets",
]

AnyAggregate: TypeAlias = (
    Client
    | ClientGroup
    | Product
    | PriceList
    | DiscountGroup
    | Order
    | Invoice
    | Ticket
    | Activity
)

_MAX_AMOUNT = 100_000


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
    quantity = draw(
        st.one_of(
            st.integers(1, 1000).map(Decimal),
            st.decimals(Decimal("0.001"), 1000, places=3),
        )
    )
    line = LineItem(
        product=draw(ids(ProductId)),
        quantity=quantity,
        unit_price=draw(unit_prices(code)),
        description=draw(free_text),
        explanation=draw(price_explanations(code)) if explained else None,
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
def clients(
    draw: st.DrawFn,
    *,
    key_account: bool | None = None,
    currency: str | None = None,
    status: ClientStatus | None = None,
) -> Client:
    """Client accounts; a key account always has an account manager."""
    key = draw(st.booleans()) if key_account is None else key_account
    manager = ids(ManagerId)
    return Client(
        id=draw(ids(ClientId)),
        name=draw(names),
        currency=_code(draw, currency),
        locale=draw(locales()),
        key_account=key,
        account_manager=draw(manager if key else st.none() | manager),
        groups=draw(st.frozensets(ids(ClientGroupId), max_size=3)),
        discount_group=draw(st.none() | ids(DiscountGroupId)),
        price_list=draw(st.none() | ids(PriceListId)),
        membership=draw(st.none() | ids(MembershipId)),
        status=draw(st.sampled_from(ClientStatus)) if status is None else status,
    )


@st.composite
def client_groups(draw: st.DrawFn) -> ClientGroup:
    """Client groups, with a priority and maybe a price list."""
    return ClientGroup(
        id=draw(ids(ClientGroupId)),
        name=draw(names),
        priority=draw(st.integers(-10, 10)),
        price_list=draw(st.none() | ids(PriceListId)),
    )


@st.composite
def products(
    draw: st.DrawFn, *, active: bool | None = None, currency: str | None = None
) -> Product:
    """Catalogue products, sometimes with a unit cost and a floor price.

    ``currency`` pins the currency of the cost and floor price (both in one).
    """
    code = _code(draw, currency)
    return Product(
        id=draw(ids(ProductId)),
        name=draw(names),
        category=draw(ids(CategoryId)),
        unit=draw(st.sampled_from(["unit", "kg", "licence", "hour"])),
        active=draw(st.booleans()) if active is None else active,
        cost=draw(st.none() | unit_prices(code)),
        floor_price=draw(st.none() | unit_prices(code)),
    )


@st.composite
def orders(
    draw: st.DrawFn,
    *,
    client: ClientId | None = None,
    currency: str | None = None,
    status: OrderStatus | None = None,
) -> Order:
    """Orders of one to five lines, all in the order's currency."""
    code = _code(draw, currency)
    return Order(
        id=draw(ids(OrderId)),
        client=draw(ids(ClientId)) if client is None else client,
        order_date=draw(dates()),
        currency=code,
        lines=tuple(draw(st.lists(line_items(code), min_size=1, max_size=5))),
        status=draw(st.sampled_from(OrderStatus)) if status is None else status,
    )


@st.composite
def invoices(
    draw: st.DrawFn,
    *,
    client: ClientId | None = None,
    currency: str | None = None,
    status: InvoiceStatus | None = None,
) -> Invoice:
    """Invoices with payments and credit notes that fit them.

    Due on or after the issue date; payments and credit notes dated on or after
    it, in the invoice currency, with distinct ids; credit notes never add up to
    more than the total. A cancelled invoice has neither payments nor credits.
    """
    code = _code(draw, currency)
    issued = draw(dates())
    lines = tuple(draw(st.lists(line_items(code), min_size=1, max_size=4)))
    state = draw(st.sampled_from(InvoiceStatus)) if status is None else status
    settled: tuple[Payment, ...] = ()
    credited: list[CreditNote] = []
    if state is InvoiceStatus.ISSUED:
        settled = tuple(
            draw(
                st.lists(
                    payments(code, on_or_after=issued),
                    max_size=3,
                    unique_by=lambda p: p.id,
                )
            )
        )
        left = Money.sum((line.total for line in lines), code)
        credit_ids = draw(st.lists(ids(CreditNoteId), max_size=3, unique=True))
        for credit_id in credit_ids:
            if left.amount < minor_unit(code):
                break
            note = draw(credit_notes(on_or_after=issued, max_amount=left))
            credited.append(attrs.evolve(note, id=credit_id))
            left = left - note.amount
    return Invoice(
        id=draw(ids(InvoiceId)),
        client=draw(ids(ClientId)) if client is None else client,
        issue_date=issued,
        due_date=draw(dates(issued, days_after(issued, 120))),
        currency=code,
        lines=lines,
        payments=settled,
        credit_notes=tuple(credited),
        status=state,
    )


@st.composite
def tickets(
    draw: st.DrawFn,
    *,
    client: ClientId | None = None,
    resolved: bool | None = None,
) -> Ticket:
    """Support tickets, resolved (after they were opened) or still open."""
    opened = draw(instants())
    is_resolved = draw(st.booleans()) if resolved is None else resolved
    after = dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 90)))
    return Ticket(
        id=draw(ids(TicketId)),
        client=draw(ids(ClientId)) if client is None else client,
        subject=draw(names),
        opened_at=opened,
        priority=draw(st.sampled_from(TicketPriority)),
        resolved_at=opened + after if is_resolved else None,
    )


@st.composite
def activities(
    draw: st.DrawFn,
    *,
    client: ClientId | None = None,
    kind: ActivityKind | None = None,
) -> Activity:
    """Calls, meetings, emails and notes, maybe tied to a deal or contract."""
    return Activity(
        id=draw(ids(ActivityId)),
        client=draw(ids(ClientId)) if client is None else client,
        kind=draw(st.sampled_from(ActivityKind)) if kind is None else kind,
        occurred_at=draw(instants()),
        summary=draw(names),
        author=draw(ids(ManagerId)),
        opportunity=draw(st.none() | ids(OpportunityId)),
        contract=draw(st.none() | ids(ContractId)),
        internal=draw(st.booleans()),
    )


@st.composite
def recipients(draw: st.DrawFn) -> Recipient:
    """Account managers and client contacts to notify."""
    return Recipient(kind=draw(st.sampled_from(RecipientKind)), id=draw(ids(str)))


@st.composite
def notifications(draw: st.DrawFn, *, kind: str | None = None) -> Notification:
    """Notifications with a string payload."""
    return Notification(
        recipient=draw(recipients()),
        kind=draw(ids(str)) if kind is None else kind,
        key=draw(ids(str)),
        locale=draw(locales()),
        subject=draw(names),
        body=draw(free_text),
        payload=draw(st.dictionaries(ids(str), free_text, max_size=4)),
    )


def aggregates() -> st.SearchStrategy[AnyAggregate]:
    """Any stored aggregate: client, group, product, price list, order..."""
    return st.one_of(
        clients(),
        client_groups(),
        products(),
        price_lists(),
        discount_groups(),
        orders(),
        invoices(),
        tickets(),
        activities(),
    )
