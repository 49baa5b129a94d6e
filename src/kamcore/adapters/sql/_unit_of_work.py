"""The SQL unit of work: one database transaction per ``with`` block and thread."""

from __future__ import annotations

import functools
import threading
import weakref
from types import TracebackType
from typing import Any, Final, Self

import sqlalchemy as sa

from kamcore.accounts import (
    Activity,
    Client,
    ClientGroup,
    Invoice,
    Order,
    Product,
    Ticket,
)
from kamcore.adapters.sql._deal_queries import (
    SqlContractRepository,
    SqlMembershipRepository,
    SqlOpportunityRepository,
    SqlProposalRepository,
    SqlRenewalAlertRepository,
    SqlRenewalCaseRepository,
)
from kamcore.adapters.sql._migrations import SCHEMA_VERSION, require_current
from kamcore.adapters.sql._pricing_events import ENTITY_OF, record_change
from kamcore.adapters.sql._queries import (
    SqlActivityRepository,
    SqlClientRepository,
    SqlInvoiceRepository,
    SqlOrderRepository,
    SqlPriceListRepository,
    SqlProductRepository,
    SqlTicketRepository,
)
from kamcore.adapters.sql._repository import SqlRepository
from kamcore.adapters.sql._tables import build_schema, kind_table
from kamcore.adapters.sql._transaction import Transaction
from kamcore.contracts import Contract, RenewalAlert, RenewalCase
from kamcore.errors import TransactionError
from kamcore.loyalty import Membership, Programme
from kamcore.opportunities import Opportunity
from kamcore.ports import (
    ActivityRepository,
    ClientGroupRepository,
    ClientRepository,
    ContractRepository,
    DiscountGroupRepository,
    InvoiceRepository,
    MembershipRepository,
    OpportunityRepository,
    OrderRepository,
    PriceListRepository,
    ProductRepository,
    ProgrammeRepository,
    ProposalRepository,
    RenewalAlertRepository,
    RenewalCaseRepository,
    TicketRepository,
)
from kamcore.pricing import DiscountGroup, PriceList
from kamcore.proposals import Proposal

__all__ = ["SqlUnitOfWork", "active_transaction"]

#: Engines whose schema version was found current: checked once per engine.
_CURRENT: weakref.WeakSet[sa.Engine] = weakref.WeakSet()
_CURRENT_LOCK = threading.Lock()


class _ThreadState(threading.local):
    # A class-level default is what each new thread sees before it enters.
    transaction: Transaction | None = None


class SqlUnitOfWork:
    """A :class:`kamcore.ports.UnitOfWork` on a SQL database (SQLite or PostgreSQL).

    Each ``with`` block checks a connection out of the engine's pool and runs
    one database transaction on it, for the calling thread: one unit of work
    may be shared by several threads, each in its own transaction. Nothing is
    stored unless :meth:`commit` is called; leaving the block rolls back what
    was not committed, and gives the connection back.

    Writes go to the database as they are made, inside the transaction, so a
    conflict shows at once: ``add`` of a taken id raises
    :class:`~kamcore.errors.DuplicateError`, ``save`` of a stale version
    raises :class:`~kamcore.errors.ConcurrencyConflictError` (its ``UPDATE``
    names the version it replaces). A concurrent transaction writing the same
    row is waited for first, so two writers never both win. Reads see the
    transaction's own writes and whatever others committed before (read
    committed).

    On SQLite the first write of a transaction takes the database's write
    lock (``BEGIN IMMEDIATE``) and keeps it until commit or rollback: SQLite
    runs one writing transaction at a time, and the others wait (up to the
    engine's ``sqlite_timeout``). Keep write blocks short.

    Args:
        engine: The database, as :func:`~kamcore.adapters.sql.create_engine_for`
            makes it, with its schema at :data:`~kamcore.adapters.sql.SCHEMA_VERSION`
            (see :func:`~kamcore.adapters.sql.upgrade`).
        pricing_events: Whether every price list, client group, discount group
            and product added or saved also stores a pricing change event in
            the outbox, in the same transaction (see
            :class:`~kamcore.adapters.sql.PricingChange`). Off by default:
            events are rows that pile up until a dispatcher delivers them.

            .. versionadded:: Unreleased

    Attributes:
        engine: The engine this unit of work uses.
        pricing_events: Whether pricing change events are stored.
        clients: Client records.
        client_groups: Client groups.
        products: The product catalogue.
        price_lists: Price lists: base, group and client-dedicated.
        discount_groups: Discount groups and their rules.
        orders: Orders.
        invoices: Invoices.
        tickets: Support tickets.
        activities: Calls, meetings, emails and notes.
        contracts: Contracts, with their versions.
        renewal_alerts: The renewal alert ledger.
        renewal_cases: Renewal cases, step by step.
        proposals: Proposals, with their revisions.
        opportunities: The opportunity pipeline.
        programmes: Loyalty programmes.
        memberships: Loyalty memberships and their ledgers.

    Example:
        >>> import tempfile
        >>> from kamcore.accounts import Product
        >>> from kamcore.adapters.sql import create_engine_for, upgrade
        >>> from kamcore.kernel import CategoryId, ProductId
        >>> folder = tempfile.TemporaryDirectory()
        >>> engine = create_engine_for(f"sqlite:///{folder.name}/kamcore.db")
        >>> upgrade(engine)
        (1, 2, 3, 4, 5)
        >>> uow = SqlUnitOfWork(engine)
        >>> bolt = Product(id=ProductId("p-1"), name="Bolt", category=CategoryId("c"))
        >>> with uow:
        ...     stored = uow.products.add(bolt)
        ...     uow.commit()
        >>> with uow:
        ...     uow.products.get(ProductId("p-1")) == stored
        True
        >>> engine.dispose(); folder.cleanup()
    """

    def __init__(self, engine: sa.Engine, *, pricing_events: bool = False) -> None:
        self.engine: Final = engine
        self.pricing_events: Final = pricing_events
        self._state = _ThreadState()
        schema = build_schema(SCHEMA_VERSION)
        active = self._active

        def repository(cls: type[Any], entity: type[Any]) -> Any:
            events = ENTITY_OF.get(entity) if pricing_events else None
            written = (
                None if events is None else functools.partial(record_change, events)
            )
            return cls(kind_table(entity), schema, active, written=written)

        self.clients: Final[ClientRepository] = repository(SqlClientRepository, Client)
        self.client_groups: Final[ClientGroupRepository] = repository(
            SqlRepository, ClientGroup
        )
        self.products: Final[ProductRepository] = repository(
            SqlProductRepository, Product
        )
        self.price_lists: Final[PriceListRepository] = repository(
            SqlPriceListRepository, PriceList
        )
        self.discount_groups: Final[DiscountGroupRepository] = repository(
            SqlRepository, DiscountGroup
        )
        self.orders: Final[OrderRepository] = repository(SqlOrderRepository, Order)
        self.invoices: Final[InvoiceRepository] = repository(
            SqlInvoiceRepository, Invoice
        )
        self.tickets: Final[TicketRepository] = repository(SqlTicketRepository, Ticket)
        self.activities: Final[ActivityRepository] = repository(
            SqlActivityRepository, Activity
        )
        self.contracts: Final[ContractRepository] = repository(
            SqlContractRepository, Contract
        )
        self.renewal_alerts: Final[RenewalAlertRepository] = repository(
            SqlRenewalAlertRepository, RenewalAlert
        )
        self.renewal_cases: Final[RenewalCaseRepository] = repository(
            SqlRenewalCaseRepository, RenewalCase
        )
        self.proposals: Final[ProposalRepository] = repository(
            SqlProposalRepository, Proposal
        )
        self.opportunities: Final[OpportunityRepository] = repository(
            SqlOpportunityRepository, Opportunity
        )
        self.programmes: Final[ProgrammeRepository] = repository(
            SqlRepository, Programme
        )
        self.memberships: Final[MembershipRepository] = repository(
            SqlMembershipRepository, Membership
        )

    def __enter__(self) -> Self:
        """Begin a transaction for the calling thread.

        Raises:
            TransactionError: if this thread is already inside this unit of work.
            SchemaVersionError: if the database's schema is not this kamcore's
                (checked once per engine).
        """
        if self._state.transaction is not None:
            msg = (
                "this SqlUnitOfWork is already active in this thread; "
                "finish the current `with` block before entering it again"
            )
            raise TransactionError(msg)
        connection = self.engine.connect()
        try:
            self._check_schema(connection)
        except BaseException:
            connection.close()
            raise
        self._state.transaction = Transaction(connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """End the thread's transaction, rolling back whatever was not committed."""
        transaction, self._state.transaction = self._state.transaction, None
        if transaction is not None:
            transaction.close()

    def commit(self) -> None:
        """Commit every write since the block began or since the last commit.

        After a commit, successful or not, the block goes on in a new transaction.

        Raises:
            TransactionError: outside the ``with`` block.
        """
        self._active().commit()

    def rollback(self) -> None:
        """Discard every write not yet committed.

        Raises:
            TransactionError: outside the ``with`` block.
        """
        self._active().rollback()

    def _active(self) -> Transaction:
        transaction = self._state.transaction
        if transaction is None:
            msg = (
                "SqlUnitOfWork used outside its `with` block: repositories, "
                "commit, rollback and the outbox are only available inside "
                "`with uow:`"
            )
            raise TransactionError(msg)
        return transaction

    def _check_schema(self, connection: sa.Connection) -> None:
        with _CURRENT_LOCK:
            if self.engine in _CURRENT:
                return
        require_current(connection)
        connection.rollback()
        with _CURRENT_LOCK:
            _CURRENT.add(self.engine)


def active_transaction(uow: SqlUnitOfWork) -> Transaction:
    """The calling thread's transaction in ``uow`` (for the outbox).

    Raises:
        TransactionError: outside the ``with`` block.
    """
    return uow._active()  # the outbox is part of this adapter
