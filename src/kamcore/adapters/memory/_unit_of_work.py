"""The in-memory unit of work: one transaction per thread over a shared store."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Final, Self

from kamcore.accounts import (
    Activity,
    Client,
    ClientGroup,
    Invoice,
    Order,
    Product,
    Ticket,
)
from kamcore.adapters.memory._deal_queries import (
    InMemoryContractRepository,
    InMemoryMembershipRepository,
    InMemoryOpportunityRepository,
    InMemoryProposalRepository,
    InMemoryRenewalAlertRepository,
    InMemoryRenewalCaseRepository,
)
from kamcore.adapters.memory._queries import (
    InMemoryActivityRepository,
    InMemoryClientRepository,
    InMemoryInvoiceRepository,
    InMemoryOrderRepository,
    InMemoryPriceListRepository,
    InMemoryProductRepository,
    InMemoryTicketRepository,
)
from kamcore.adapters.memory._repository import InMemoryRepository
from kamcore.adapters.memory._store import InMemoryStore
from kamcore.adapters.memory._transaction import Transaction
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

__all__ = ["InMemoryUnitOfWork"]


class _ThreadState(threading.local):
    # A class-level default is what each new thread sees before it enters.
    transaction: Transaction | None = None


class InMemoryUnitOfWork:
    """A :class:`kamcore.ports.UnitOfWork` over an :class:`InMemoryStore`.

    Writes are staged in a transaction and reach the store only on
    :meth:`commit`, all or nothing; leaving the ``with`` block discards what was
    not committed. Reads see the transaction's own writes on top of the
    committed state (read-committed). Each save is checked against the version
    it was based on, once at ``save`` and again at ``commit``.

    The transaction belongs to the calling thread, so one unit of work may be
    shared by several threads, each in its own transaction, like a session
    factory over one database.

    Args:
        store: The committed state to work on; a new, empty store if omitted.
            Units of work built over the same store see each other's commits.

    Attributes:
        store: The store this unit of work commits to.
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
        >>> from kamcore.kernel import CategoryId, ProductId
        >>> uow = InMemoryUnitOfWork()
        >>> bolt = Product(id=ProductId("p-1"), name="Bolt", category=CategoryId("c"))
        >>> with uow:
        ...     stored = uow.products.add(bolt)
        ...     uow.commit()
        >>> stored.version
        1
        >>> with uow:
        ...     uow.products.get(ProductId("p-1")).name
        'Bolt'
    """

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store: Final = InMemoryStore() if store is None else store
        self._state = _ThreadState()
        active = self._active
        self.clients: Final[ClientRepository] = InMemoryClientRepository(Client, active)
        self.client_groups: Final[ClientGroupRepository] = InMemoryRepository(
            ClientGroup, active
        )
        self.products: Final[ProductRepository] = InMemoryProductRepository(
            Product, active
        )
        self.price_lists: Final[PriceListRepository] = InMemoryPriceListRepository(
            PriceList, active
        )
        self.discount_groups: Final[DiscountGroupRepository] = InMemoryRepository(
            DiscountGroup, active
        )
        self.orders: Final[OrderRepository] = InMemoryOrderRepository(Order, active)
        self.invoices: Final[InvoiceRepository] = InMemoryInvoiceRepository(
            Invoice, active
        )
        self.tickets: Final[TicketRepository] = InMemoryTicketRepository(Ticket, active)
        self.activities: Final[ActivityRepository] = InMemoryActivityRepository(
            Activity, active
        )
        self.contracts: Final[ContractRepository] = InMemoryContractRepository(
            Contract, active
        )
        self.renewal_alerts: Final[RenewalAlertRepository] = (
            InMemoryRenewalAlertRepository(RenewalAlert, active)
        )
        self.renewal_cases: Final[RenewalCaseRepository] = (
            InMemoryRenewalCaseRepository(RenewalCase, active)
        )
        self.proposals: Final[ProposalRepository] = InMemoryProposalRepository(
            Proposal, active
        )
        self.opportunities: Final[OpportunityRepository] = (
            InMemoryOpportunityRepository(Opportunity, active)
        )
        self.programmes: Final[ProgrammeRepository] = InMemoryRepository(
            Programme, active
        )
        self.memberships: Final[MembershipRepository] = InMemoryMembershipRepository(
            Membership, active
        )

    def __enter__(self) -> Self:
        """Begin a transaction for the calling thread.

        Raises:
            TransactionError: if this thread is already inside this unit of work.
        """
        if self._state.transaction is not None:
            msg = (
                "this InMemoryUnitOfWork is already active in this thread; "
                "finish the current `with` block before entering it again"
            )
            raise TransactionError(msg)
        self._state.transaction = Transaction(self.store)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """End the thread's transaction, discarding whatever was not committed."""
        self._state.transaction = None

    def commit(self) -> None:
        """Store every write since the block began or since the last commit.

        All or nothing. After a commit, successful or not, the block goes on
        with an empty transaction.

        Raises:
            TransactionError: outside the ``with`` block.
            DuplicateError: an added id was committed by someone else meanwhile.
            ConcurrencyConflictError: a saved aggregate was changed meanwhile.
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
                "InMemoryUnitOfWork used outside its `with` block: repositories, "
                "commit and rollback are only available inside `with uow:`"
            )
            raise TransactionError(msg)
        return transaction
