"""The adapter conformance suite: base test classes every adapter must pass.

An adapter author subclasses a suite in a few lines, and pytest runs every
inherited test against the adapter::

    from collections.abc import Callable

    from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
    from kamcore.ports import UnitOfWork
    from kamcore.testing.conformance import UnitOfWorkConformance


    class TestInMemoryUnitOfWork(UnitOfWorkConformance):
        def make_unit_of_work_factory(self) -> Callable[[], UnitOfWork]:
            store = InMemoryStore()
            return lambda: InMemoryUnitOfWork(store)

The suites:

* :class:`UnitOfWorkConformance` -- everything a unit of work and its
  repositories must do; it combines :class:`CrudConformance`,
  :class:`QueryConformance`, :class:`AtomicityConformance`,
  :class:`ConcurrencyConformance` (each run once per repository) and
  :class:`CrossRepositoryConformance`, which may also be subclassed one by one;
* one suite per repository port, for a host that stores one kind of aggregate
  itself: :class:`ClientRepositoryConformance`,
  :class:`InvoiceRepositoryConformance`... (:class:`RepositoryConformance`
  says how), the same cases run for that repository alone, beside kamcore's
  in-memory repositories;
* :class:`ClockConformance`, :class:`IdSourceConformance` and
  :class:`NotifierConformance` for the other ports.

Test ids name the repository (``[clients]``) and the query and its filters
(``[clients.find-manager-m-1]``), one word each for ``pytest -k``.

The suites are plain pytest classes (no ``unittest``); their names do not start
with ``Test``, so pytest only collects the subclasses. They assert no timings:
performance belongs in benchmarks. Needs the ``kamcore[testing]`` extra.
"""

from __future__ import annotations

import sys

import pytest

# pytest rewrites asserts (to show the values compared) only in test modules and
# in modules registered before their first import: register the suite's own.
_SUITES = (
    "_atomicity",
    "_concurrency",
    "_cross_repository",
    "_crud",
    "_harness",
    "_port_suites",
    "_queries",
    "_repository_suites",
)
for _module in _SUITES:
    if f"kamcore.testing.{_module}" not in sys.modules:
        pytest.register_assert_rewrite(f"kamcore.testing.{_module}")

from kamcore.testing._atomicity import AtomicityConformance  # noqa: E402
from kamcore.testing._concurrency import ConcurrencyConformance  # noqa: E402
from kamcore.testing._cross_repository import CrossRepositoryConformance  # noqa: E402
from kamcore.testing._crud import CrudConformance  # noqa: E402
from kamcore.testing._port_suites import (  # noqa: E402
    ClockConformance,
    IdSourceConformance,
    NotifierConformance,
)
from kamcore.testing._queries import QueryConformance  # noqa: E402
from kamcore.testing._repository_suites import (  # noqa: E402
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

__all__ = [
    "ActivityRepositoryConformance",
    "AtomicityConformance",
    "ClientGroupRepositoryConformance",
    "ClientRepositoryConformance",
    "ClockConformance",
    "ConcurrencyConformance",
    "ContractRepositoryConformance",
    "CrossRepositoryConformance",
    "CrudConformance",
    "DiscountGroupRepositoryConformance",
    "IdSourceConformance",
    "InvoiceRepositoryConformance",
    "MembershipRepositoryConformance",
    "NotifierConformance",
    "OpportunityRepositoryConformance",
    "OrderRepositoryConformance",
    "PriceListRepositoryConformance",
    "ProductRepositoryConformance",
    "ProgrammeRepositoryConformance",
    "ProposalRepositoryConformance",
    "QueryConformance",
    "RenewalAlertRepositoryConformance",
    "RenewalCaseRepositoryConformance",
    "RepositoryConformance",
    "TicketRepositoryConformance",
    "UnitOfWorkConformance",
]


class UnitOfWorkConformance(
    CrudConformance,
    QueryConformance,
    AtomicityConformance,
    ConcurrencyConformance,
    CrossRepositoryConformance,
):
    """Every test a :class:`~kamcore.ports.UnitOfWork` adapter must pass.

    Subclass it (the name must start with ``Test`` for pytest to collect it)
    and implement :meth:`make_unit_of_work_factory`: each call, made once per
    test, returns a factory over fresh, empty storage, and every unit of work
    that factory returns reaches the same storage. Storage that needs closing
    (a connection pool, a temporary file) is closed in :meth:`close_storage`,
    which runs after each test; pytest builds one test-class instance per
    test, so the factory method may keep handles on ``self`` for it::

        class TestSqliteUnitOfWork(UnitOfWorkConformance):
            def make_unit_of_work_factory(self) -> Callable[[], UnitOfWork]:
                self.engine = create_engine("sqlite://")
                return lambda: SqlUnitOfWork(self.engine)

            def close_storage(self) -> None:
                self.engine.dispose()

    What it checks, for every aggregate repository: stored values come back
    exactly, versions start at 1 and go up by one per save, the port errors
    (not found, duplicate, concurrency conflict, transaction misuse) carry the
    documented attributes, every query honours each filter and its bounds and
    order, a block's writes are stored all together or not at all, and two
    threads writing the same aggregate never both win; and, across
    repositories, that a block writing to several stores all of it or none.
    """
