"""Conformance: concurrent writers in threads never silently overwrite each other.

No timing is asserted: threads meet at a barrier, then the test checks which
writer won and what is stored. Every wait has a timeout so that a deadlocked
adapter fails the test instead of hanging the run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from kamcore.errors import ConcurrencyConflictError, DuplicateError
from kamcore.ports import UnitOfWork
from kamcore.testing._harness import (
    THREAD_TIMEOUT,
    UnitOfWorkFactory,
    UnitOfWorkHarness,
    read,
    run_threads,
    seed,
)
from kamcore.testing._kinds import AggregateKind

__all__ = ["ConcurrencyConformance"]

T = TypeVar("T")


def _race(
    factory: UnitOfWorkFactory,
    load: Callable[[UnitOfWork], T],
    write: Callable[[UnitOfWork, T, str], object],
    lost_with: type[Exception],
) -> tuple[str, Any]:
    """Race writers ``"a"`` and ``"b"``; return the winner's tag and the loser's error.

    Each writer, in its own unit of work and thread, runs ``load``, meets the
    other, runs ``write`` with what it loaded and its tag, and commits once the
    other has started writing. So both writes are usually staged before either
    commits, even under the GIL. That wait never blocks an adapter that locks
    at write time: each writer signals before its first write.
    """
    barrier = threading.Barrier(2, timeout=THREAD_TIMEOUT)
    writing = {"a": threading.Event(), "b": threading.Event()}

    def writer(tag: str, other: str) -> Callable[[], str]:
        def run() -> str:
            uow = factory()
            with uow:
                loaded = load(uow)
                barrier.wait()
                writing[tag].set()
                write(uow, loaded, tag)
                assert writing[other].wait(THREAD_TIMEOUT)
                uow.commit()
            return tag

        return run

    outcomes = run_threads([writer("a", "b"), writer("b", "a")])
    won = [outcome for outcome in outcomes if isinstance(outcome, str)]
    lost = [outcome for outcome in outcomes if isinstance(outcome, lost_with)]
    assert (len(won), len(lost)) == (1, 1), f"expected one winner: {outcomes}"
    return won[0], lost[0]


class ConcurrencyConformance(UnitOfWorkHarness):
    """Optimistic locking holds under real concurrency.

    Two writers that loaded the same version race to save it: exactly one
    wins and the other gets :class:`~kamcore.errors.ConcurrencyConflictError`
    (at ``save`` or at ``commit``), and none of the loser's writes is stored;
    two writers adding one id store one. Each test runs once per repository of
    the suite. Part of
    :class:`~kamcore.testing.conformance.UnitOfWorkConformance` and of every
    repository's own suite.
    """

    def test_two_writers_racing_on_one_aggregate_cannot_both_win(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [original] = seed(uow_factory, kind.sample("x-1"))

        def add_and_save(uow: UnitOfWork, loaded: Any, tag: str) -> None:
            repository = kind.repository(uow)
            repository.add(kind.sample(f"new-{tag}"))
            repository.save(kind.label(loaded, tag))

        winner, error = _race(
            uow_factory,
            lambda uow: kind.repository(uow).get("x-1"),
            add_and_save,
            ConcurrencyConflictError,
        )
        assert (error.entity, error.id, error.expected, error.actual) == (
            kind.name,
            "x-1",
            1,
            2,
        )
        # The loser's other write (its add) went down with the conflict.
        assert read(uow_factory, lambda uow: kind.repository(uow).all()) == [
            attrs.evolve(kind.sample(f"new-{winner}"), version=1),
            attrs.evolve(kind.label(original, winner), version=2),
        ]

    def test_two_writers_racing_to_add_one_id_store_one(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        winner, error = _race(
            uow_factory,
            lambda uow: kind.sample("x-1"),
            lambda uow, new, tag: kind.repository(uow).add(kind.label(new, tag)),
            DuplicateError,
        )
        assert (error.entity, error.id) == (kind.name, "x-1")
        assert read(uow_factory, lambda uow: kind.repository(uow).all()) == [
            attrs.evolve(kind.label(kind.sample("x-1"), winner), version=1)
        ]
