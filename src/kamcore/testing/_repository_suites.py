"""A conformance suite per repository port, for a host's own repositories.

A host that stores one kind of aggregate itself -- its CRM's clients behind
its own :class:`~kamcore.ports.ClientRepository` -- proves that repository
alone: the suite runs it with kamcore's in-memory repositories for the rest,
in a :class:`~kamcore.adapters.composite.CompositeUnitOfWork`, as the host
will run it in production. The cases are the unit-of-work suite's own, run
for one repository.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import pytest

from kamcore.adapters.composite import CompositeUnitOfWork
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.errors import ConcurrencyConflictError, PartialCommitError
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
    Transactional,
    UnitOfWork,
)
from kamcore.testing._atomicity import AtomicityConformance
from kamcore.testing._concurrency import ConcurrencyConformance
from kamcore.testing._crud import CrudConformance
from kamcore.testing._harness import UnitOfWorkFactory, committed, read, seed
from kamcore.testing._kinds import AggregateKind, kind_named
from kamcore.testing._queries import QueryConformance

__all__ = [
    "ActivityRepositoryConformance",
    "ClientGroupRepositoryConformance",
    "ClientRepositoryConformance",
    "ContractRepositoryConformance",
    "DiscountGroupRepositoryConformance",
    "InvoiceRepositoryConformance",
    "MembershipRepositoryConformance",
    "OpportunityRepositoryConformance",
    "OrderRepositoryConformance",
    "PriceListRepositoryConformance",
    "ProductRepositoryConformance",
    "ProgrammeRepositoryConformance",
    "ProposalRepositoryConformance",
    "RenewalAlertRepositoryConformance",
    "RenewalCaseRepositoryConformance",
    "RepositoryConformance",
    "TicketRepositoryConformance",
]

RepositoryT = TypeVar("RepositoryT")


class RepositoryConformance(
    CrudConformance, AtomicityConformance, ConcurrencyConformance, Generic[RepositoryT]
):
    """Every test one repository and its store must pass.

    Subclass the suite of the repository's port (the name must start with
    ``Test``) and implement :meth:`make_repository_factory`::

        class TestCrmClients(ClientRepositoryConformance):
            def make_repository_factory(
                self,
            ) -> Callable[[], tuple[ClientRepository, Transactional]]:
                self.engine = create_engine("sqlite:///...")   # fresh storage
                def make() -> tuple[ClientRepository, Transactional]:
                    scope = SessionScope(self.engine)
                    return CrmClientRepository(scope), scope
                return make

            def close_storage(self) -> None:
                self.engine.dispose()

    Besides the CRUD, query, atomicity and concurrency cases of the unit-of-work
    suite (for this repository), it shows what a block over this store and
    kamcore's cannot do: commit both atomically.
    """

    @abc.abstractmethod
    def make_repository_factory(
        self,
    ) -> Callable[[], tuple[RepositoryT, Transactional]]:
        """Return a factory of ``(repository, store)`` pairs over fresh, empty storage.

        Called once per test. Each call of the factory returns a new store (a
        :class:`~kamcore.ports.Transactional`: one transaction per ``with``
        block) and the repository bound to it; every pair it returns reaches
        the same storage. Some tests hold two pairs open in one thread, and
        some use pairs from several threads at once.
        """

    def make_unit_of_work_factory(self) -> UnitOfWorkFactory:
        """Units of work over the repository under test and kamcore's in-memory rest."""
        make_pair = self.make_repository_factory()
        [kind] = self.kinds
        #: Where kamcore's own repositories keep what the tests write there.
        self.kamcore_store = InMemoryStore()

        def make() -> UnitOfWork:
            repository, store = make_pair()
            mine: dict[str, Any] = {kind.attribute: repository}
            return CompositeUnitOfWork(
                InMemoryUnitOfWork(self.kamcore_store), stores=[store], **mine
            )

        return make

    def test_this_store_commits_before_kamcores_and_stays_if_kamcores_refuses(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        # Two stores that are not one database cannot commit atomically: when
        # kamcore's store refuses after this one committed, this one's writes
        # stay, and PartialCommitError says so.
        other = _another_kind(kind)
        [stale] = seed(uow_factory, other.sample("y-1"))
        uow = uow_factory()
        with uow:
            added = kind.repository(uow).add(kind.sample("x-1"))
            other.repository(uow).save(other.label(stale, "in the block"))
            meanwhile = committed(
                lambda: InMemoryUnitOfWork(self.kamcore_store),
                lambda rival: other.repository(rival).save(
                    other.label(stale, "meanwhile")
                ),
            )
            with pytest.raises(PartialCommitError) as caught:
                uow.commit()
        error = caught.value
        # The store under test committed; kamcore's (named after its type) failed.
        assert (len(error.committed), error.rolled_back) == (1, ())
        assert error.failed.startswith("InMemoryUnitOfWork")
        assert isinstance(error.__cause__, ConcurrencyConflictError)
        assert read(uow_factory, lambda u: kind.repository(u).all()) == [added]
        assert read(uow_factory, lambda u: other.repository(u).all()) == [meanwhile]

    def test_when_this_store_refuses_nothing_is_stored_in_kamcores(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        other = _another_kind(kind)
        stale, theirs = seed(uow_factory, kind.sample("x-1"), other.sample("y-1"))
        fresh = committed(
            uow_factory, lambda uow: kind.repository(uow).save(kind.label(stale, "1"))
        )

        def writes(uow: UnitOfWork) -> None:
            other.repository(uow).save(other.label(theirs, "in the block"))
            kind.repository(uow).save(kind.label(stale, "stale"))

        with pytest.raises(ConcurrencyConflictError):
            committed(uow_factory, writes)
        assert read(uow_factory, lambda u: kind.repository(u).all()) == [fresh]
        assert read(uow_factory, lambda u: other.repository(u).all()) == [theirs]


def _another_kind(kind: AggregateKind[Any]) -> AggregateKind[Any]:
    """A kind kept in kamcore's store while ``kind`` is under test."""
    return kind_named("products" if kind.attribute != "products" else "clients")


class QueriedRepositoryConformance(
    RepositoryConformance[RepositoryT], QueryConformance
):
    """The suite of a repository that has queries: its query cases too."""


class ClientRepositoryConformance(QueriedRepositoryConformance[ClientRepository]):
    """Every test a :class:`~kamcore.ports.ClientRepository` must pass."""

    kinds = (kind_named("clients"),)


class ClientGroupRepositoryConformance(RepositoryConformance[ClientGroupRepository]):
    """Every test a :class:`~kamcore.ports.ClientGroupRepository` must pass."""

    kinds = (kind_named("client_groups"),)


class ProductRepositoryConformance(QueriedRepositoryConformance[ProductRepository]):
    """Every test a :class:`~kamcore.ports.ProductRepository` must pass."""

    kinds = (kind_named("products"),)


class PriceListRepositoryConformance(QueriedRepositoryConformance[PriceListRepository]):
    """Every test a :class:`~kamcore.ports.PriceListRepository` must pass."""

    kinds = (kind_named("price_lists"),)


class DiscountGroupRepositoryConformance(
    RepositoryConformance[DiscountGroupRepository]
):
    """Every test a :class:`~kamcore.ports.DiscountGroupRepository` must pass."""

    kinds = (kind_named("discount_groups"),)


class OrderRepositoryConformance(QueriedRepositoryConformance[OrderRepository]):
    """Every test an :class:`~kamcore.ports.OrderRepository` must pass."""

    kinds = (kind_named("orders"),)


class InvoiceRepositoryConformance(QueriedRepositoryConformance[InvoiceRepository]):
    """Every test an :class:`~kamcore.ports.InvoiceRepository` must pass."""

    kinds = (kind_named("invoices"),)


class TicketRepositoryConformance(QueriedRepositoryConformance[TicketRepository]):
    """Every test a :class:`~kamcore.ports.TicketRepository` must pass."""

    kinds = (kind_named("tickets"),)


class ActivityRepositoryConformance(QueriedRepositoryConformance[ActivityRepository]):
    """Every test an :class:`~kamcore.ports.ActivityRepository` must pass."""

    kinds = (kind_named("activities"),)


class ContractRepositoryConformance(QueriedRepositoryConformance[ContractRepository]):
    """Every test a :class:`~kamcore.ports.ContractRepository` must pass."""

    kinds = (kind_named("contracts"),)


class RenewalAlertRepositoryConformance(
    QueriedRepositoryConformance[RenewalAlertRepository]
):
    """Every test a :class:`~kamcore.ports.RenewalAlertRepository` must pass."""

    kinds = (kind_named("renewal_alerts"),)


class RenewalCaseRepositoryConformance(
    QueriedRepositoryConformance[RenewalCaseRepository]
):
    """Every test a :class:`~kamcore.ports.RenewalCaseRepository` must pass."""

    kinds = (kind_named("renewal_cases"),)


class ProposalRepositoryConformance(QueriedRepositoryConformance[ProposalRepository]):
    """Every test a :class:`~kamcore.ports.ProposalRepository` must pass."""

    kinds = (kind_named("proposals"),)


class OpportunityRepositoryConformance(
    QueriedRepositoryConformance[OpportunityRepository]
):
    """Every test an :class:`~kamcore.ports.OpportunityRepository` must pass."""

    kinds = (kind_named("opportunities"),)


class ProgrammeRepositoryConformance(RepositoryConformance[ProgrammeRepository]):
    """Every test a :class:`~kamcore.ports.ProgrammeRepository` must pass."""

    kinds = (kind_named("programmes"),)


class MembershipRepositoryConformance(
    QueriedRepositoryConformance[MembershipRepository]
):
    """Every test a :class:`~kamcore.ports.MembershipRepository` must pass."""

    kinds = (kind_named("memberships"),)
