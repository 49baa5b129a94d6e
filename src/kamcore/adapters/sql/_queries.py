"""SQL repositories for clients, products, price lists, orders, invoices, tickets
and activities: each port query as one indexed ``SELECT``."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from kamcore.accounts import (
    Activity,
    Client,
    ClientStatus,
    Invoice,
    Order,
    OrderStatus,
    Product,
    Ticket,
)
from kamcore.adapters.sql._repository import SqlRepository, check_bounds, equal, within
from kamcore.kernel import (
    ActivityId,
    CategoryId,
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
    "SqlActivityRepository",
    "SqlClientRepository",
    "SqlInvoiceRepository",
    "SqlOrderRepository",
    "SqlPriceListRepository",
    "SqlProductRepository",
    "SqlTicketRepository",
]


class SqlClientRepository(SqlRepository[Client, ClientId]):
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
            [
                *equal(self.c.account_manager, manager),
                *self._having("groups", group),
                *equal(self.c.key_account, key_account),
                *equal(self.c.status, status),
            ]
        )


class SqlProductRepository(SqlRepository[Product, ProductId]):
    """The product catalogue (:class:`kamcore.ports.ProductRepository`)."""

    def find(
        self, *, category: CategoryId | None = None, active: bool | None = None
    ) -> list[Product]:
        """Products matching every filter given, ordered by id."""
        return self._select(
            [*equal(self.c.category, category), *equal(self.c.active, active)]
        )


class SqlPriceListRepository(SqlRepository[PriceList, PriceListId]):
    """Price lists (:class:`kamcore.ports.PriceListRepository`)."""

    def find(
        self,
        *,
        kind: PriceListKind | None = None,
        currency: str | None = None,
    ) -> list[PriceList]:
        """Price lists matching every filter given (``None`` = any), ordered by id."""
        return self._select(
            [*equal(self.c.kind, kind), *equal(self.c.currency, currency)]
        )


class SqlOrderRepository(SqlRepository[Order, OrderId]):
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

        ``status`` matches the status on ``as_of`` if given (from the
        ``closed_on`` column: open before it), else the current one.
        Ordered by (order_date, id).

        Raises:
            ValidationError: if a bound or ``as_of`` is not a date.
        """
        check_bounds(
            "OrderRepository.find",
            dates={"placed_from": placed_from, "placed_to": placed_to, "as_of": as_of},
        )
        return self._select(
            [
                *equal(self.c.client, client),
                *within(self.c.order_date, placed_from, placed_to),
                *self._status_on(status, as_of),
            ],
            [self.c.order_date],
        )

    def _status_on(
        self, status: OrderStatus | None, as_of: dt.date | None
    ) -> list[sa.ColumnElement[bool]]:
        if status is None or as_of is None:
            return equal(self.c.status, status)
        closed = self.c.closed_on
        if status is OrderStatus.OPEN:
            return [sa.or_(closed.is_(None), closed > as_of)]
        return [self.c.status == status.value, closed <= as_of]


class SqlInvoiceRepository(SqlRepository[Invoice, InvoiceId]):
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
        check_bounds(
            "InvoiceRepository.find",
            dates={"issued_from": issued_from, "issued_to": issued_to},
        )
        return self._select(
            [
                *equal(self.c.client, client),
                *within(self.c.issue_date, issued_from, issued_to),
            ],
            [self.c.issue_date],
        )

    def outstanding(
        self, *, as_of: dt.date, client: ClientId | None = None
    ) -> list[Invoice]:
        """Issued invoices with a positive balance on ``as_of`` (open or overdue).

        Invoices cancelled on or before ``as_of`` and invoices issued after it
        are left out; payments and credit notes dated after ``as_of`` do not
        count yet, nor does a cancellation (the ``cancelled_on`` column).
        Ordered by (due_date, id).

        The balance on a date is not a column: SQL keeps the issued invoices
        not yet settled for good on ``as_of`` (the stored ``settled_from``
        day, after which a balance never rises again), and
        :meth:`Invoice.balance <kamcore.accounts.Invoice.balance>` -- the
        method the in-memory adapter uses -- decides on what remains.

        Raises:
            ValidationError: if ``as_of`` is not a date.
        """
        check_bounds("InvoiceRepository.outstanding", dates={"as_of": as_of})
        settled, cancelled = self.c.settled_from, self.c.cancelled_on
        return self._select(
            [
                *equal(self.c.client, client),
                sa.or_(cancelled.is_(None), cancelled > as_of),
                self.c.issue_date <= as_of,
                sa.or_(settled.is_(None), settled > as_of),
            ],
            [self.c.due_date],
            keep=lambda invoice: invoice.balance(as_of).is_positive(),
        )


class SqlTicketRepository(SqlRepository[Ticket, TicketId]):
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
        check_bounds("TicketRepository.find", instants={"open_at": open_at})
        conditions = equal(self.c.client, client)
        if open_at is not None:
            resolved = self.c.resolved_at
            conditions += [
                self.c.opened_at <= open_at,
                sa.or_(resolved.is_(None), resolved > open_at),
            ]
        return self._select(conditions, [self.c.opened_at])


class SqlActivityRepository(SqlRepository[Activity, ActivityId]):
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
        check_bounds(
            "ActivityRepository.find",
            instants={
                "occurred_from": occurred_from,
                "occurred_before": occurred_before,
            },
        )
        occurred = self.c.occurred_at
        conditions = [
            *equal(self.c.client, client),
            *equal(self.c.opportunity, opportunity),
            *equal(self.c.contract, contract),
        ]
        if occurred_from is not None:
            conditions.append(occurred >= occurred_from)
        if occurred_before is not None:
            conditions.append(occurred < occurred_before)
        return self._select(conditions, [occurred])
