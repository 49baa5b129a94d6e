"""Conformance of a whole unit of work: what no single repository's suite shows."""

from __future__ import annotations

import threading
import time

import attrs
import pytest

from kamcore.accounts import ClientStatus
from kamcore.errors import ConcurrencyConflictError, DuplicateError
from kamcore.kernel import ClientGroupId
from kamcore.ports import UnitOfWork
from kamcore.testing._harness import (
    THREAD_TIMEOUT,
    UnitOfWorkFactory,
    UnitOfWorkHarness,
    committed,
    read,
    run_threads,
    seed,
    snapshot,
)
from kamcore.testing._samples import client, client_group, invoice, order, product

__all__ = ["CrossRepositoryConformance"]

WRITERS = 8
INCREMENTS_PER_WRITER = 5
#: A writer gives up after this many conflicts: an adapter that conflicts
#: forever fails the test rather than spinning.
MAX_RETRIES = 10_000


def _increment_priority(uow: UnitOfWork) -> None:
    group = uow.client_groups.get(ClientGroupId("g-1"))
    uow.client_groups.save(attrs.evolve(group, priority=group.priority + 1))
    # Hand the interpreter to the other writers between save and commit: short
    # transactions would otherwise run one after the other under the GIL and
    # never overlap. A yield, not a timing.
    time.sleep(0)


class CrossRepositoryConformance(UnitOfWorkHarness):
    """A block writing to several repositories stores all of it or none of it.

    One conflicting or duplicate write among writes to clients, orders,
    invoices and products leaves every repository as it was; many writers
    retrying on conflict lose no update. Part of
    :class:`~kamcore.testing.conformance.UnitOfWorkConformance`; a unit of
    work over two stores that are not one database cannot pass it (see
    :class:`~kamcore.adapters.composite.CompositeUnitOfWork`).
    """

    def test_a_conflicting_write_takes_every_repositorys_writes_with_it(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        first, stale = seed(uow_factory, client("c-1"), product("p-1"))
        committed(
            uow_factory,
            lambda uow: uow.products.save(attrs.evolve(stale, name="Renamed")),
        )
        before = snapshot(uow_factory)

        def writes(uow: UnitOfWork) -> None:
            uow.clients.add(client("c-2"))
            uow.clients.save(attrs.evolve(first, status=ClientStatus.CLOSED))
            uow.orders.add(order("o-1"))
            uow.invoices.add(invoice("i-1"))
            uow.products.save(attrs.evolve(stale, name="Stale rename"))

        with pytest.raises(ConcurrencyConflictError) as caught:
            committed(uow_factory, writes)
        error = caught.value
        assert (error.entity, error.id, error.expected, error.actual) == (
            "Product",
            "p-1",
            1,
            2,
        )
        assert snapshot(uow_factory) == before

    def test_a_duplicate_takes_every_repositorys_writes_with_it(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        first, _ = seed(uow_factory, client("c-1"), product("p-1"))
        before = snapshot(uow_factory)

        def writes(uow: UnitOfWork) -> None:
            uow.clients.save(attrs.evolve(first, name="Renamed"))
            uow.orders.add(order("o-1"))
            uow.products.add(product("p-1", category="food"))

        with pytest.raises(DuplicateError) as caught:
            committed(uow_factory, writes)
        assert (caught.value.entity, caught.value.id) == ("Product", "p-1")
        assert snapshot(uow_factory) == before

    def test_many_writers_retrying_on_conflict_lose_no_update(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        seed(uow_factory, client_group("g-1", priority=0))
        barrier = threading.Barrier(WRITERS, timeout=THREAD_TIMEOUT)

        def writer() -> str:
            barrier.wait()
            for _ in range(INCREMENTS_PER_WRITER):
                for _attempt in range(MAX_RETRIES):
                    try:
                        committed(uow_factory, _increment_priority)
                        break
                    except ConcurrencyConflictError:
                        continue
                else:
                    return f"gave up after {MAX_RETRIES} conflicts"
            return "done"

        outcomes = run_threads([writer] * WRITERS)
        assert outcomes == ["done"] * WRITERS
        group = read(
            uow_factory, lambda uow: uow.client_groups.get(ClientGroupId("g-1"))
        )
        increments = WRITERS * INCREMENTS_PER_WRITER
        assert (group.priority, group.version) == (increments, increments + 1)
