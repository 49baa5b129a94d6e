"""The per-aggregate in-memory repositories: the generic one plus its queries."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from kamcore.accounts import (
    Activity,
    Client,
    ClientStatus,
    Invoice,
    InvoiceStatus,
    Order,
    OrderStatus,
    Product,
    Ticket,
)
from kamcore.adapters.memory._repository import InMemoryRepository
from kamcore.kernel import (
    ActivityId,
    CategoryId,
    Checks,
    ClientGroupId,
    ClientId,
    ContractId,
    InvoiceId,
    ManagerId,
    OpportunityId,
    OrderId,
    PriceListId,
    ProductId,
    TicketId,
)
from kamcore.pricing import PriceList, PriceListKind

__all__ = [
    "InMemoryActivityRepository",
    "InMemoryClientRepository",
    "InMemoryInvoiceRepository",
    "InMemoryOrderRepository",
    "InMemoryPriceListRepository",
    "InMemoryProductRepository",
    "InMemoryTicketRepository",
]

T = TypeVar("T")
BoundT = TypeVar("BoundT", dt.date, dt.datetime)


def _any_or(wanted: T | None, actual: T) -> bool:
    """A filter left at ``None`` matches anything."""
    return wanted is None or actual == wanted


def _within(value: BoundT, low: BoundT | None, high: BoundT | None) -> bool:
    """``low <= value <= high``, either bound open when ``None``."""
    return (low is None or low <= value) and (high is None or value <= high)


def _before(value: BoundT, low: BoundT | None, before: BoundT | None) -> bool:
    """``low <= value < before``, either bound open when ``None``."""
    return (low is None or low <= value) and (before is None or value < before)


def _check_bounds(
    subject: str,
    dates: dict[str, dt.date | None] | None = None,
    instants: dict[str, dt.datetime | None] | None = None,
) -> None:
    # Comparing a date with a datetime, or a naive with an aware datetime,
    # raises a bare TypeError deep in a sort; refuse such bounds up front.
    checks = Checks(subject)
    for name, day in (dates or {}).items():
        checks.optional_date(name, day)
    for name, instant in (instants or {}).items():
        checks.optional_instant(name, instant)
    checks.raise_if_any()


class InMemoryClientRepository(InMemoryRepository[Client, ClientId]):
    """Client records (:class:`kamcore.ports.ClientRepository`)."""

    def find(
        self,
        *,
        manager: ManagerId | None = None,
        group: ClientGroupId | None = None,
        key_account: bool | None = None,
        status: ClientStatus | None = None,
    ) -> list[Client]:
        """Clients matching every filter given (``None`` = any), ordered by id."""
        return self._select(
            lambda c: (
                _any_or(manager, c.account_manager)
                and (group is None or group in c.groups)
                and _any_or(key_account, c.key_account)
                and _any_or(status, c.status)
            ),
            lambda c: c.id,
        )


class InMemoryProductRepository(InMemoryRepository[Product, ProductId]):
    """The product catalogue (:class:`kamcore.ports.ProductRepository`)."""

    def find(
        self, *, category: CategoryId | None = None, active: bool | None = None
    ) -> list[Product]:
        """Products matching every filter given, ordered by id."""
        return self._select(
            lambda p: _any_or(category, p.category) and _any_or(active, p.active),
            lambda p: p.id,
        )


class InMemoryPriceListRepository(InMemoryRepository[PriceList, PriceListId]):
    """Price lists (:class:`kamcore.ports.PriceListRepository`)."""

    def find(
        self,
        *,
        kind: PriceListKind | None = None,
        currency: str | None = None,
    ) -> list[PriceList]:
        """Price lists matching every filter given (``None`` = any), ordered by id."""
        return self._select(
            lambda pl: _any_or(kind, pl.kind) and _any_or(currency, pl.currency),
            lambda pl: pl.id,
        )


class InMemoryOrderRepository(InMemoryRepository[Order, OrderId]):
    """Orders (:class:`kamcore.ports.OrderRepository`)."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        placed_from: dt.date | None = None,
        placed_to: dt.date | None = None,
        status: OrderStatus | None = None,
        as_of: dt.date | None = None,
    ) -> list[Order]:
        """Orders with ``placed_from <= order_date <= placed_to``.

        ``status`` matches the status on ``as_of`` if given, else the
        current one. Ordered by (order_date, id).

        Raises:
            ValidationError: if a bound or ``as_of`` is not a date.
        """
        _check_bounds(
            "OrderRepository.find",
            dates={"placed_from": placed_from, "placed_to": placed_to, "as_of": as_of},
        )
        return self._select(
            lambda o: (
                _any_or(client, o.client)
                and _within(o.order_date, placed_from, placed_to)
                and _any_or(status, o.status if as_of is None else o.status_on(as_of))
            ),
            lambda o: (o.order_date, o.id),
        )


class InMemoryInvoiceRepository(InMemoryRepository[Invoice, InvoiceId]):
    """Invoices (:class:`kamcore.ports.InvoiceRepository`)."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        issued_from: dt.date | None = None,
        issued_to: dt.date | None = None,
    ) -> list[Invoice]:
        """Invoices with ``issued_from <= issue_date <= issued_to``.

        Ordered by (issue_date, id).

        Raises:
            ValidationError: if a bound is not a date.
        """
        _check_bounds(
            "InvoiceRepository.find",
            dates={"issued_from": issued_from, "issued_to": issued_to},
        )
        return self._select(
            lambda i: (
                _any_or(client, i.client)
                and _within(i.issue_date, issued_from, issued_to)
            ),
            lambda i: (i.issue_date, i.id),
        )

    def outstanding(
        self, *, as_of: dt.date, client: ClientId | None = None
    ) -> list[Invoice]:
        """Issued invoices with a positive balance on ``as_of`` (open or overdue).

        Invoices cancelled on or before ``as_of`` and invoices issued after it
        are left out; payments and credit notes dated after ``as_of`` do not
        count yet, nor does a cancellation. Ordered by (due_date, id).

        Raises:
            ValidationError: if ``as_of`` is not a date.
        """
        _check_bounds("InvoiceRepository.outstanding", dates={"as_of": as_of})
        return self._select(
            lambda i: (
                _any_or(client, i.client)
                and i.status_on(as_of) is InvoiceStatus.ISSUED
                and i.issue_date <= as_of
                and i.balance(as_of).is_positive()
            ),
            lambda i: (i.due_date, i.id),
        )


class InMemoryTicketRepository(InMemoryRepository[Ticket, TicketId]):
    """Support tickets (:class:`kamcore.ports.TicketRepository`)."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        open_at: dt.datetime | None = None,
    ) -> list[Ticket]:
        """Tickets (open at ``open_at`` if given), ordered by (opened_at, id).

        A ticket opened exactly at ``open_at`` is open; one resolved exactly at
        ``open_at`` is not.

        Raises:
            ValidationError: if ``open_at`` is naive.
        """
        _check_bounds("TicketRepository.find", instants={"open_at": open_at})
        return self._select(
            lambda t: (
                _any_or(client, t.client) and (open_at is None or t.is_open_at(open_at))
            ),
            lambda t: (t.opened_at, t.id),
        )


class InMemoryActivityRepository(InMemoryRepository[Activity, ActivityId]):
    """Calls, meetings, emails and notes (:class:`kamcore.ports.ActivityRepository`)."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        opportunity: OpportunityId | None = None,
        contract: ContractId | None = None,
        occurred_from: dt.datetime | None = None,
        occurred_before: dt.datetime | None = None,
    ) -> list[Activity]:
        """Activities with ``occurred_from <= occurred_at < occurred_before``.

        Ordered by (occurred_at, id).

        Raises:
            ValidationError: if a bound is naive.
        """
        _check_bounds(
            "ActivityRepository.find",
            instants={
                "occurred_from": occurred_from,
                "occurred_before": occurred_before,
            },
        )
        return self._select(
            lambda a: (
                _any_or(client, a.client)
                and _any_or(opportunity, a.opportunity)
                and _any_or(contract, a.contract)
                and _before(a.occurred_at, occurred_from, occurred_before)
            ),
            lambda a: (a.occurred_at, a.id),
        )
