"""The abstract base of the unit-of-work suites, and the helpers they share."""

from __future__ import annotations

import abc
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, TypeVar

import pytest

from kamcore.ports import Aggregate, UnitOfWork
from kamcore.testing._kinds import KINDS, AggregateKind, kind_of
from kamcore.testing._query_cases import QUERY_CASES

__all__ = [
    "THREAD_TIMEOUT",
    "UnitOfWorkFactory",
    "UnitOfWorkHarness",
    "committed",
    "ids",
    "read",
    "run_threads",
    "seed",
    "snapshot",
]

UnitOfWorkFactory = Callable[[], UnitOfWork]
T = TypeVar("T")

#: Seconds a test waits for a thread (or a barrier) before failing: a deadlock in
#: an adapter fails the suite instead of hanging it. Not a performance bound.
THREAD_TIMEOUT = 30.0


class UnitOfWorkHarness(abc.ABC):
    """What every unit-of-work suite needs from the adapter under test.

    A test that takes a ``kind`` argument runs once per kind of
    :attr:`kinds`, its id the repository's name (``[clients]``); a test that
    takes a ``query_case`` runs once per query case of those repositories,
    its id the query and its filters (``[clients.find-manager-m-1]``). Every
    id is one word for ``pytest -k``.
    """

    #: The aggregate kinds whose repositories the suite checks: all of them
    #: for a unit of work, one for a repository's own suite.
    kinds: ClassVar[tuple[AggregateKind[Any], ...]] = KINDS

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrise ``kind`` and ``query_case`` over this suite's kinds."""
        if "kind" in metafunc.fixturenames:
            ids = [kind.attribute for kind in self.kinds]
            metafunc.parametrize("kind", self.kinds, ids=ids)
        if "query_case" in metafunc.fixturenames:
            names = {kind.attribute for kind in self.kinds}
            cases = [case for case in QUERY_CASES if case.repository in names]
            metafunc.parametrize("query_case", cases, ids=[c.id for c in cases])

    @abc.abstractmethod
    def make_unit_of_work_factory(self) -> UnitOfWorkFactory:
        """Return a factory of units of work over fresh, empty storage.

        Called once per test. Each call of the factory must return a new unit
        of work (some tests hold two open in one thread), and every unit of
        work it returns must reach the same storage, so that one can see what
        another committed.
        """

    def close_storage(self) -> None:  # noqa: B027 - an optional hook, empty on purpose
        """Release what :meth:`make_unit_of_work_factory` opened; runs after each test.

        pytest builds a new test-class instance per test, so the factory
        method may keep handles on ``self`` for this hook to close.
        """

    @pytest.fixture
    def uow_factory(self) -> Iterator[UnitOfWorkFactory]:
        """The factory for one test, closed after it."""
        yield self.make_unit_of_work_factory()
        self.close_storage()


def committed(factory: UnitOfWorkFactory, work: Callable[[UnitOfWork], T]) -> T:
    """Run ``work`` in a new unit of work, commit, and return what it returned."""
    uow = factory()
    with uow:
        result = work(uow)
        uow.commit()
    return result


def read(factory: UnitOfWorkFactory, query: Callable[[UnitOfWork], T]) -> T:
    """Run ``query`` in a new unit of work that commits nothing."""
    uow = factory()
    with uow:
        return query(uow)


def seed(factory: UnitOfWorkFactory, *aggregates: Aggregate) -> list[Any]:
    """Add ``aggregates`` in one committed unit of work; return them as stored."""
    return committed(
        factory, lambda uow: [kind_of(a).repository(uow).add(a) for a in aggregates]
    )


def snapshot(factory: UnitOfWorkFactory) -> dict[str, list[Any]]:
    """Everything stored, per aggregate kind, as a new unit of work reads it."""
    return read(factory, lambda uow: {k.name: k.repository(uow).all() for k in KINDS})


def ids(aggregates: Sequence[Aggregate]) -> list[str]:
    """The ids of ``aggregates``, in order."""
    return [aggregate.id for aggregate in aggregates]


def run_threads(targets: Sequence[Callable[[], object]]) -> list[object]:
    """Run each target in its own thread; return what each returned or raised.

    Raises:
        AssertionError: if a thread is still running after :data:`THREAD_TIMEOUT`.
    """
    outcomes: list[object] = [None] * len(targets)

    def run(index: int) -> None:
        try:
            outcomes[index] = targets[index]()
        except Exception as error:
            # Returned, not raised: the test asserts which error each thread got.
            outcomes[index] = error

    threads = [
        threading.Thread(target=run, args=(i,), daemon=True)
        for i in range(len(targets))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert stuck == [], f"threads still running after {THREAD_TIMEOUT}s: {stuck}"
    return outcomes
