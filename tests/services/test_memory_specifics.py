"""What the in-memory unit of work does beyond the conformance suite.

The suite cannot force a conflict to surface at commit rather than at save
(that depends on the adapter); here the interleavings are made deterministic.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from kamcore.accounts import Client, Product
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.errors import (
    ConcurrencyConflictError,
    DuplicateError,
    NotFoundError,
    TransactionError,
    ValidationError,
)
from kamcore.kernel import ClientId, ProductId
from kamcore.ports import UnitOfWork
from kamcore.testing._harness import committed, read, seed
from kamcore.testing._samples import client, product

TIMEOUT = 30.0
C1, C2 = ClientId("c-1"), ClientId("c-2")


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


def factory(store: InMemoryStore) -> Callable[[], UnitOfWork]:
    return lambda: InMemoryUnitOfWork(store)


def stored_clients(store: InMemoryStore) -> list[Client]:
    return read(factory(store), lambda uow: uow.clients.all())


def rename_elsewhere(store: InMemoryStore, original: Client) -> Client:
    """Another unit of work renames and commits, while the test's block is open."""
    return committed(
        factory(store), lambda uow: uow.clients.save(attrs.evolve(original, name="X"))
    )


def test_in_memory_unit_of_work_is_a_unit_of_work() -> None:
    # Checked by mypy: the assignment fails type checking if the protocol drifts.
    uow: UnitOfWork = InMemoryUnitOfWork()
    with uow:
        assert uow.clients.all() == []


def test_units_of_work_without_a_store_do_not_share_state() -> None:
    first, second = InMemoryUnitOfWork(), InMemoryUnitOfWork()
    with first:
        first.clients.add(client("c-1"))
        first.commit()
    with second:
        assert second.clients.all() == []
    assert first.store is not second.store


# -- conflicts found at commit -------------------------------------------------


def test_commit_rechecks_every_version_and_stores_nothing_on_a_conflict(
    store: InMemoryStore,
) -> None:
    first, second = seed(factory(store), client("c-1"), client("c-2"))
    mine = InMemoryUnitOfWork(store)
    with mine:
        mine.clients.save(attrs.evolve(first, name="Mine"))
        mine.clients.add(client("c-3"))
        mine.clients.save(attrs.evolve(second, name="Mine too"))
        won = rename_elsewhere(store, second)
        with pytest.raises(ConcurrencyConflictError) as caught:
            mine.commit()
    error = caught.value
    assert (error.entity, error.id, error.expected, error.actual) == (
        "Client",
        "c-2",
        1,
        2,
    )
    assert stored_clients(store) == [first, won]


def test_commit_checks_against_the_version_the_transaction_started_from(
    store: InMemoryStore,
) -> None:
    [first] = seed(factory(store), client("c-1"))
    mine = InMemoryUnitOfWork(store)
    with mine:
        second = mine.clients.save(attrs.evolve(first, name="v2"))
        mine.clients.save(attrs.evolve(second, name="v3"))
        won = rename_elsewhere(store, first)
        with pytest.raises(ConcurrencyConflictError) as caught:
            mine.commit()
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert stored_clients(store) == [won]


def test_commit_refuses_an_id_another_transaction_added_meanwhile(
    store: InMemoryStore,
) -> None:
    mine = InMemoryUnitOfWork(store)
    with mine:
        mine.products.add(product("p-1"))
        mine.clients.add(client("c-1", manager="m-mine"))
        [won] = seed(factory(store), client("c-1", manager="m-theirs"))
        with pytest.raises(DuplicateError) as caught:
            mine.commit()
    assert (caught.value.entity, caught.value.id) == ("Client", "c-1")
    assert stored_clients(store) == [won]
    assert read(factory(store), lambda uow: uow.products.all()) == []


def test_after_a_failed_commit_the_block_goes_on_empty(store: InMemoryStore) -> None:
    [first] = seed(factory(store), client("c-1"))
    mine = InMemoryUnitOfWork(store)
    with mine:
        mine.clients.save(attrs.evolve(first, name="Mine"))
        mine.clients.add(client("c-2"))
        won = rename_elsewhere(store, first)
        with pytest.raises(ConcurrencyConflictError):
            mine.commit()
        assert mine.clients.all() == [won]
        added = mine.clients.add(client("c-3"))
        mine.commit()
    assert stored_clients(store) == [won, added]


def test_reads_see_commits_made_during_the_block(store: InMemoryStore) -> None:
    mine = InMemoryUnitOfWork(store)
    with mine:
        assert mine.clients.all() == []
        [added] = seed(factory(store), client("c-1"))
        assert mine.clients.get(C1) == added


# -- one unit of work shared by threads ------------------------------------------


def test_threads_sharing_one_unit_of_work_each_have_their_own_transaction() -> None:
    shared = InMemoryUnitOfWork()
    staged, other_done = threading.Event(), threading.Event()
    seen_by_other: list[object] = []

    def other_thread() -> None:
        assert staged.wait(TIMEOUT)
        with shared:
            try:
                shared.clients.get(C1)
            except NotFoundError as error:
                seen_by_other.append(error.ids)
            shared.clients.add(client("c-2"))
            shared.commit()
        other_done.set()

    thread = threading.Thread(target=other_thread, daemon=True)
    thread.start()
    with shared:
        mine = shared.clients.add(client("c-1"))
        staged.set()
        assert other_done.wait(TIMEOUT)
        theirs = shared.clients.get(C2)
        shared.commit()
    thread.join(TIMEOUT)
    assert seen_by_other == [("c-1",)]
    with shared:
        assert shared.clients.all() == [mine, theirs]


def test_another_thread_outside_the_block_gets_a_transaction_error() -> None:
    shared = InMemoryUnitOfWork()
    outcome: list[BaseException] = []

    def outside() -> None:
        try:
            shared.clients.all()
        except TransactionError as error:
            outcome.append(error)

    with shared:
        thread = threading.Thread(target=outside, daemon=True)
        thread.start()
        thread.join(TIMEOUT)
    assert [type(error) for error in outcome] == [TransactionError]


# -- misuse ------------------------------------------------------------------------


def test_commit_and_rollback_outside_the_block_raise() -> None:
    uow = InMemoryUnitOfWork()
    with pytest.raises(TransactionError, match="outside its `with` block"):
        uow.commit()
    with pytest.raises(TransactionError, match="outside its `with` block"):
        uow.rollback()


def test_entering_twice_says_what_to_do() -> None:
    uow = InMemoryUnitOfWork()
    with uow, pytest.raises(TransactionError, match="already active in this thread"):
        uow.__enter__()


def test_a_repository_refuses_another_aggregate_type() -> None:
    uow = InMemoryUnitOfWork()
    stray: Any = product("p-1")  # Any: the runtime check is what is under test
    with uow, pytest.raises(ValidationError) as caught:
        uow.clients.add(stray)
    assert caught.value.messages == ["expected Client, got Product @ aggregate"]


def test_queries_refuse_naive_instants_and_datetimes_as_dates() -> None:
    uow = InMemoryUnitOfWork()
    naive = dt.datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - the naive value under test
    with uow:
        with pytest.raises(ValidationError) as naive_error:
            uow.activities.find(occurred_from=naive)
        with pytest.raises(ValidationError) as date_error:
            uow.orders.find(placed_to=naive)
    assert naive_error.value.messages == [
        "naive datetimes are refused: give a timezone-aware datetime @ occurred_from"
    ]
    assert date_error.value.messages == ["expected a date, got a datetime @ placed_to"]


def test_returned_aggregates_are_not_changed_by_later_writes(
    store: InMemoryStore,
) -> None:
    uow = InMemoryUnitOfWork(store)
    with uow:
        added = uow.products.add(product("p-1"))
        uow.commit()
        uow.products.save(attrs.evolve(added, name="Renamed"))
        uow.commit()
        current = uow.products.get(ProductId("p-1"))
    assert (added.name, added.version) == ("Product p-1", 1)
    assert current == attrs.evolve(added, name="Renamed", version=2)
    assert isinstance(current, Product)
