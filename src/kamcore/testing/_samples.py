"""Deterministic sample entities for the conformance suite.

Each builder takes the fields a test varies and fills the rest with fixed values,
so every test reads as "these records, this query, exactly these ids".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

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
)
from kamcore.kernel import (
    ActivityId,
    CategoryId,
    ClientGroupId,
    ClientId,
    ContractId,
    CreditNoteId,
    InvoiceId,
    ManagerId,
    Money,
    OpportunityId,
    OrderId,
    PaymentId,
    PriceListId,
    ProductId,
    TicketId,
)
from kamcore.pricing import PriceItem, PriceList, PriceListKind

__all__ = [
    "DAY",
    "INSTANT",
    "PARIS_WINTER",
    "activity",
    "client",
    "client_group",
    "credit_note",
    "euros",
    "invoice",
    "line",
    "order",
    "payment",
    "price_list",
    "product",
    "ticket",
]

DAY = dt.date(2026, 3, 2)
INSTANT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
PARIS_WINTER = dt.timezone(dt.timedelta(hours=1), "CET")


def euros(amount: str) -> Money:
    """An amount in EUR."""
    return Money(amount, "EUR")


def line(amount: str, description: str = "") -> LineItem:
    """One unit of product ``p-1`` at ``amount`` EUR."""
    return LineItem(
        product=ProductId("p-1"),
        quantity=Decimal(1),
        unit_price=euros(amount),
        description=description,
    )


def client(
    id: str,  # noqa: A002 - mirrors the entity's field
    *,
    manager: str | None = None,
    groups: Iterable[str] = (),
    key_account: bool = False,
    status: ClientStatus = ClientStatus.ACTIVE,
) -> Client:
    """A EUR client with the given portfolio fields."""
    return Client(
        id=ClientId(id),
        name=f"Client {id}",
        currency="EUR",
        locale="en_GB",
        key_account=key_account,
        account_manager=None if manager is None else ManagerId(manager),
        groups=frozenset(ClientGroupId(g) for g in groups),
        status=status,
    )


def client_group(id: str, *, priority: int = 0) -> ClientGroup:  # noqa: A002
    """A client group with ``priority``."""
    return ClientGroup(id=ClientGroupId(id), name=f"Group {id}", priority=priority)


def product(
    id: str,  # noqa: A002 - mirrors the entity's field
    *,
    category: str = "tools",
    active: bool = True,
) -> Product:
    """A product in ``category``."""
    return Product(
        id=ProductId(id),
        name=f"Product {id}",
        category=CategoryId(category),
        active=active,
    )


def price_list(
    id: str,  # noqa: A002 - mirrors the entity's field
    *,
    kind: PriceListKind = PriceListKind.BASE,
    currency: str = "EUR",
) -> PriceList:
    """A ``kind`` list in ``currency`` pricing one unit of ``p-1`` at 10."""
    return PriceList(
        id=PriceListId(id),
        name=f"Price list {id}",
        currency=currency,
        kind=kind,
        items=(PriceItem(product=ProductId("p-1"), unit_price=Money(10, currency)),),
    )


def order(
    id: str,  # noqa: A002 - mirrors the entity's field
    *,
    client: str = "c-1",
    on: dt.date = DAY,
    status: OrderStatus = OrderStatus.OPEN,
    closed: dt.date | None = None,
) -> Order:
    """A one-line EUR 100.00 order placed ``on`` a date (fulfilled or cancelled
    ``closed`` on another, given with any ``status`` but open)."""
    return Order(
        id=OrderId(id),
        client=ClientId(client),
        order_date=on,
        currency="EUR",
        lines=(line("100.00"),),
        status=status,
        closed_on=closed,
    )


def payment(id: str, on: dt.date, amount: str) -> Payment:  # noqa: A002
    """A EUR payment received ``on`` a date."""
    return Payment(id=PaymentId(id), received_on=on, amount=euros(amount))


def credit_note(id: str, on: dt.date, amount: str) -> CreditNote:  # noqa: A002
    """A EUR credit note issued ``on`` a date."""
    return CreditNote(
        id=CreditNoteId(id), issued_on=on, amount=euros(amount), reason="goodwill"
    )


def invoice(
    id: str,  # noqa: A002 - mirrors the entity's field
    *,
    client: str = "c-1",
    issued: dt.date = DAY,
    due: dt.date | None = None,
    payments: Iterable[Payment] = (),
    credit_notes: Iterable[CreditNote] = (),
    status: InvoiceStatus = InvoiceStatus.ISSUED,
    cancelled: dt.date | None = None,
) -> Invoice:
    """A EUR 100.00 invoice, due 30 days after issue unless ``due`` is given
    (cancelled on ``cancelled``, given with the cancelled ``status``)."""
    return Invoice(
        id=InvoiceId(id),
        client=ClientId(client),
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30) if due is None else due,
        currency="EUR",
        lines=(line("100.00"),),
        payments=tuple(payments),
        credit_notes=tuple(credit_notes),
        status=status,
        cancelled_on=cancelled,
    )


def ticket(
    id: str,  # noqa: A002 - mirrors the entity's field
    *,
    client: str = "c-1",
    opened: dt.datetime = INSTANT,
    resolved: dt.datetime | None = None,
) -> Ticket:
    """A ticket opened at an instant, resolved if ``resolved`` is given."""
    return Ticket(
        id=TicketId(id),
        client=ClientId(client),
        subject=f"Ticket {id}",
        opened_at=opened,
        resolved_at=resolved,
    )


def activity(
    id: str,  # noqa: A002 - mirrors the entity's field
    *,
    client: str = "c-1",
    at: dt.datetime = INSTANT,
    opportunity: str | None = None,
    contract: str | None = None,
) -> Activity:
    """A call that occurred ``at`` an instant, optionally tied to a deal."""
    return Activity(
        id=ActivityId(id),
        client=ClientId(client),
        kind=ActivityKind.CALL,
        occurred_at=at,
        summary=f"Call {id}",
        author=ManagerId("m-1"),
        opportunity=None if opportunity is None else OpportunityId(opportunity),
        contract=None if contract is None else ContractId(contract),
    )
