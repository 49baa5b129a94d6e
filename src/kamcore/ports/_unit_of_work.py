"""The unit of work: one atomic set of writes across repositories."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from kamcore.ports._deal_repositories import (
    ContractRepository,
    OpportunityRepository,
    ProposalRepository,
    RenewalAlertRepository,
    RenewalCaseRepository,
)
from kamcore.ports._loyalty_repositories import (
    MembershipRepository,
    ProgrammeRepository,
)
from kamcore.ports._repository import (
    ActivityRepository,
    ClientGroupRepository,
    ClientRepository,
    DiscountGroupRepository,
    InvoiceRepository,
    OrderRepository,
    PriceListRepository,
    ProductRepository,
    TicketRepository,
)

__all__ = ["Transactional", "UnitOfWork"]


class Transactional(Protocol):
    """A store that runs one transaction per ``with`` block: what a unit of work drives.

    Every :class:`UnitOfWork` is one. So is a host's own store behind a
    repository it plugs into kamcore (a SQLAlchemy session scope, a document
    store's session), given to
    :class:`~kamcore.adapters.composite.CompositeUnitOfWork` beside the
    repository. The contract is the unit of work's: entering begins a
    transaction for the calling thread (entering again in the same thread
    raises :class:`~kamcore.errors.TransactionError`); :meth:`commit` stores
    every write since the block began or since the last commit, all or
    nothing, and a failed commit discards them; leaving the block rolls back
    what was not committed. Repositories bound to the store raise
    ``TransactionError`` outside the block.
    """

    def __enter__(self) -> object: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Store every write made since the block began (or since the last commit)."""
        ...

    def rollback(self) -> None:
        """Discard every write not yet committed."""
        ...


class UnitOfWork(Transactional, Protocol):
    """Atomic access to every repository.

    Use it as a context manager; nothing is stored unless :meth:`commit` is called,
    and leaving the block (normally or by an exception) rolls back whatever was
    not committed::

        with uow:
            client = uow.clients.get(ClientId("acme"))
            uow.clients.save(attrs.evolve(client, name="ACME Corp"))
            uow.commit()

    ``commit`` either stores every write of the block or none of them (raising the
    conflict or duplicate error that prevented it). A failed commit discards the
    block's pending writes, as a database rolls back a failed transaction. After a
    commit, successful or not, the block may go on and commit again. Repositories,
    ``commit`` and ``rollback`` are only usable inside the block; outside it they
    raise :class:`~kamcore.errors.TransactionError`. Entering a unit of work that
    is already active in the same thread raises it too.
    """

    @property
    def clients(self) -> ClientRepository: ...

    @property
    def client_groups(self) -> ClientGroupRepository: ...

    @property
    def products(self) -> ProductRepository: ...

    @property
    def price_lists(self) -> PriceListRepository: ...

    @property
    def discount_groups(self) -> DiscountGroupRepository: ...

    @property
    def orders(self) -> OrderRepository: ...

    @property
    def invoices(self) -> InvoiceRepository: ...

    @property
    def tickets(self) -> TicketRepository: ...

    @property
    def activities(self) -> ActivityRepository: ...

    @property
    def contracts(self) -> ContractRepository: ...

    @property
    def renewal_alerts(self) -> RenewalAlertRepository: ...

    @property
    def renewal_cases(self) -> RenewalCaseRepository: ...

    @property
    def proposals(self) -> ProposalRepository: ...

    @property
    def opportunities(self) -> OpportunityRepository: ...

    @property
    def programmes(self) -> ProgrammeRepository: ...

    @property
    def memberships(self) -> MembershipRepository: ...

    # __exit__, commit and rollback are Transactional's; entering gives the
    # unit of work itself, with its repositories.
    def __enter__(self) -> Self: ...
