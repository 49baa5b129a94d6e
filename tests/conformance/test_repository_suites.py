"""Each repository's own suite, run on kamcore's repositories one at a time.

Here kamcore's in-memory (and, for two ports, SQLite) repositories stand where
a host's would: each is given with its own unit of work as its store, beside
the suite's in-memory rest. The same cases run in the unit-of-work suites; this
proves the per-repository suites themselves, the composition included.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any

from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade
from kamcore.ports import Transactional, UnitOfWork
from kamcore.testing.conformance import (
    ActivityRepositoryConformance,
    ClientGroupRepositoryConformance,
    ClientRepositoryConformance,
    ContractRepositoryConformance,
    DiscountGroupRepositoryConformance,
    InvoiceRepositoryConformance,
    MembershipRepositoryConformance,
    OpportunityRepositoryConformance,
    OrderRepositoryConformance,
    PriceListRepositoryConformance,
    ProductRepositoryConformance,
    ProgrammeRepositoryConformance,
    ProposalRepositoryConformance,
    RenewalAlertRepositoryConformance,
    RenewalCaseRepositoryConformance,
    RepositoryConformance,
    TicketRepositoryConformance,
)


def _pair(
    uow: UnitOfWork, suite: RepositoryConformance[Any]
) -> tuple[Any, Transactional]:
    [kind] = suite.kinds
    return kind.repository(uow), uow


class InMemoryRepositoryHarness(RepositoryConformance[Any]):
    """A repository of a fresh in-memory store, its unit of work the store."""

    def make_repository_factory(self) -> Callable[[], tuple[Any, Transactional]]:
        store = InMemoryStore()
        return lambda: _pair(InMemoryUnitOfWork(store), self)


class SqliteRepositoryHarness(RepositoryConformance[Any]):
    """A repository of a fresh SQLite database, its unit of work the store."""

    def make_repository_factory(self) -> Callable[[], tuple[Any, Transactional]]:
        self.folder = tempfile.TemporaryDirectory()
        self.engine = create_engine_for(f"sqlite:///{self.folder.name}/k.db")
        upgrade(self.engine)
        return lambda: _pair(SqlUnitOfWork(self.engine), self)

    def close_storage(self) -> None:
        self.engine.dispose()
        self.folder.cleanup()


class TestInMemoryClients(InMemoryRepositoryHarness, ClientRepositoryConformance):
    pass


class TestInMemoryClientGroups(
    InMemoryRepositoryHarness, ClientGroupRepositoryConformance
):
    pass


class TestInMemoryProducts(InMemoryRepositoryHarness, ProductRepositoryConformance):
    pass


class TestInMemoryPriceLists(InMemoryRepositoryHarness, PriceListRepositoryConformance):
    pass


class TestInMemoryDiscountGroups(
    InMemoryRepositoryHarness, DiscountGroupRepositoryConformance
):
    pass


class TestInMemoryOrders(InMemoryRepositoryHarness, OrderRepositoryConformance):
    pass


class TestInMemoryInvoices(InMemoryRepositoryHarness, InvoiceRepositoryConformance):
    pass


class TestInMemoryTickets(InMemoryRepositoryHarness, TicketRepositoryConformance):
    pass


class TestInMemoryActivities(InMemoryRepositoryHarness, ActivityRepositoryConformance):
    pass


class TestInMemoryContracts(InMemoryRepositoryHarness, ContractRepositoryConformance):
    pass


class TestInMemoryRenewalAlerts(
    InMemoryRepositoryHarness, RenewalAlertRepositoryConformance
):
    pass


class TestInMemoryRenewalCases(
    InMemoryRepositoryHarness, RenewalCaseRepositoryConformance
):
    pass


class TestInMemoryProposals(InMemoryRepositoryHarness, ProposalRepositoryConformance):
    pass


class TestInMemoryOpportunities(
    InMemoryRepositoryHarness, OpportunityRepositoryConformance
):
    pass


class TestInMemoryProgrammes(InMemoryRepositoryHarness, ProgrammeRepositoryConformance):
    pass


class TestInMemoryMemberships(
    InMemoryRepositoryHarness, MembershipRepositoryConformance
):
    pass


class TestSqliteClients(SqliteRepositoryHarness, ClientRepositoryConformance):
    pass


class TestSqliteInvoices(SqliteRepositoryHarness, InvoiceRepositoryConformance):
    pass
