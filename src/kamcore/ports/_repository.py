"""Repository protocols: one per aggregate, with keyword-only queries.

Contract shared by every adapter (the conformance suite in
:mod:`kamcore.testing` checks it):

* ``get`` raises :class:`~kamcore.errors.NotFoundError`; ``get_many`` returns the
  aggregates in the order asked and raises one ``NotFoundError`` listing *every*
  missing id.
* ``add`` stores a new aggregate (its ``version`` must be 0) and returns it at
  version 1; an id already taken raises :class:`~kamcore.errors.DuplicateError`.
* ``save`` replaces the stored aggregate whose version equals the one given and
  returns it with the version incremented; a stale version raises
  :class:`~kamcore.errors.ConcurrencyConflictError` (at ``save`` or at
  ``commit``, whichever first sees the conflict). Saving an id that was never
  stored raises ``NotFoundError``.
* Date bounds are inclusive on both ends; instant bounds are half-open
  ``[from, before)``. Results come in a documented, deterministic order.
* Aggregates are immutable values: what a repository returns is never changed by
  later writes, and changing state means saving a new value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

from kamcore.accounts import (
    Activity,
    Client,
    ClientGroup,
    ClientStatus,
    Invoice,
    Order,
    OrderStatus,
    Product,
    Ticket,
)
from kamcore.kernel import (
    ActivityId,
    CategoryId,
    ClientGroupId,
    ClientId,
    ContractId,
    DiscountGroupId,
    InvoiceId,
    ManagerId,
    OpportunityId,
    OrderId,
    PriceListId,
    ProductId,
    TicketId,
)
from kamcore.pricing import DiscountGroup, PriceList, PriceListKind

__all__ = [
    "ActivityRepository",
    "Aggregate",
    "ClientGroupRepository",
    "ClientRepository",
    "DiscountGroupRepository",
    "InvoiceRepository",
    "OrderRepository",
    "PriceListRepository",
    "ProductRepository",
    "Repository",
    "TicketRepository",
]


class Aggregate(Protocol):
    """What every stored aggregate has: a string-based id and a version."""

    @property
    def id(self) -> str: ...

    @property
    def version(self) -> int: ...


AggregateT = TypeVar("AggregateT", bound=Aggregate)
IdT_contra = TypeVar("IdT_contra", bound=str, contravariant=True)


class Repository(Protocol[AggregateT, IdT_contra]):
    """Generic CRUD with optimistic versioning. No deletes: records are closed."""

    def get(self, aggregate_id: IdT_contra, /) -> AggregateT:
        """The aggregate with ``id``; raises ``NotFoundError``."""
        ...

    def get_many(self, ids: Iterable[IdT_contra], /) -> list[AggregateT]:
        """The aggregates in the order asked.

        Raises ``NotFoundError`` naming every missing id."""
        ...

    def add(self, aggregate: AggregateT, /) -> AggregateT:
        """Store a new aggregate (version 0); returns it at version 1."""
        ...

    def save(self, aggregate: AggregateT, /) -> AggregateT:
        """Replace stored version ``aggregate.version``; return it one version up."""
        ...

    def all(self) -> list[AggregateT]:
        """Every aggregate, ordered by id."""
        ...


class ClientRepository(Repository[Client, ClientId], Protocol):
    """Client records."""

    def find(
        self,
        *,
        manager: ManagerId | None = None,
        group: ClientGroupId | None = None,
        key_account: bool | None = None,
        status: ClientStatus | None = None,
    ) -> list[Client]:
        """Clients matching every filter given (``None`` = any), ordered by id."""
        ...


class ClientGroupRepository(Repository[ClientGroup, ClientGroupId], Protocol):
    """Client groups."""


class ProductRepository(Repository[Product, ProductId], Protocol):
    """The product catalogue."""

    def find(
        self, *, category: CategoryId | None = None, active: bool | None = None
    ) -> list[Product]:
        """Products matching every filter given, ordered by id."""
        ...


class PriceListRepository(Repository[PriceList, PriceListId], Protocol):
    """Price lists: base, group and client-dedicated."""

    def find(
        self,
        *,
        kind: PriceListKind | None = None,
        currency: str | None = None,
    ) -> list[PriceList]:
        """Price lists matching every filter given (``None`` = any), ordered by id."""
        ...


class DiscountGroupRepository(Repository[DiscountGroup, DiscountGroupId], Protocol):
    """Discount groups and their rules."""


class OrderRepository(Repository[Order, OrderId], Protocol):
    """Orders."""

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

        ``status`` matches the status the order had on ``as_of``
        (:meth:`Order.status_on <kamcore.accounts.Order.status_on>`: open
        before its ``closed_on``), or its current status without ``as_of``.
        Ordered by (order_date, id).

        .. versionchanged:: Unreleased
           ``as_of``.
        """
        ...


class InvoiceRepository(Repository[Invoice, InvoiceId], Protocol):
    """Invoices, with their payments and credit notes."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        issued_from: dt.date | None = None,
        issued_to: dt.date | None = None,
    ) -> list[Invoice]:
        """Invoices with ``issued_from <= issue_date <= issued_to``.

        Ordered by (issue_date, id)."""
        ...

    def outstanding(
        self, *, as_of: dt.date, client: ClientId | None = None
    ) -> list[Invoice]:
        """Issued on or before ``as_of``, not cancelled on ``as_of`` (an invoice
        cancelled later still counts) and with a positive balance on ``as_of``
        (open or overdue), ordered by (due date, id)."""
        ...


class TicketRepository(Repository[Ticket, TicketId], Protocol):
    """Support tickets."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        open_at: dt.datetime | None = None,
    ) -> list[Ticket]:
        """Tickets, ordered by (opened_at, id).

        With ``open_at``, only tickets open at that instant: opened at or before
        it and not resolved by then (one resolved exactly at ``open_at`` is
        closed), as :meth:`~kamcore.accounts.Ticket.is_open_at` says."""
        ...


class ActivityRepository(Repository[Activity, ActivityId], Protocol):
    """Calls, meetings, emails and notes."""

    def find(
        self,
        *,
        client: ClientId | None = None,
        opportunity: OpportunityId | None = None,
        contract: ContractId | None = None,
        occurred_from: dt.datetime | None = None,
        occurred_before: dt.datetime | None = None,
    ) -> list[Activity]:
        """Activities with ``occurred_from <= occurred_at < occurred_before``,
        ordered by (occurred_at, id)."""
        ...
