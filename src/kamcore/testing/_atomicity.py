"""Conformance: all-or-nothing writes, isolation and the ``with`` block rules."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from kamcore.errors import (
    ConcurrencyConflictError,
    DuplicateError,
    NotFoundError,
    TransactionError,
)
from kamcore.ports import UnitOfWork
from kamcore.testing._harness import (
    UnitOfWorkFactory,
    UnitOfWorkHarness,
    committed,
    ids,
    read,
    seed,
)
from kamcore.testing._kinds import AggregateKind

__all__ = ["AtomicityConformance", "BlockFailedError"]


class BlockFailedError(Exception):
    """The failure a test raises inside a ``with`` block."""


def _stored(factory: UnitOfWorkFactory, kind: AggregateKind[Any]) -> list[Any]:
    return read(factory, lambda uow: kind.repository(uow).all())


def _write_then_fail(uow: UnitOfWork, kind: AggregateKind[Any], first: Any) -> None:
    with uow:
        kind.repository(uow).add(kind.sample("x-2"))
        kind.repository(uow).save(kind.label(first, "gone"))
        raise BlockFailedError


def _commit_then_fail(uow: UnitOfWork, kind: AggregateKind[Any]) -> None:
    with uow:
        kind.repository(uow).add(kind.sample("x-1"))
        uow.commit()
        kind.repository(uow).add(kind.sample("x-2"))
        raise BlockFailedError


class AtomicityConformance(UnitOfWorkHarness):
    """A block stores all of its writes to a repository or none of them.

    Each test runs once per repository of the suite. Covers: exceptions and a
    missing commit leave nothing behind; a write that fails takes the block's
    other writes with it; ``rollback``; committing twice in one block; reading
    one's own writes; not seeing another unit of work's uncommitted writes;
    ``TransactionError`` outside the block and on re-entry. Part of
    :class:`~kamcore.testing.conformance.UnitOfWorkConformance` and of every
    repository's own suite.
    """

    def test_an_exception_inside_the_block_stores_nothing(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [first] = seed(uow_factory, kind.sample("x-1"))
        with pytest.raises(BlockFailedError):
            _write_then_fail(uow_factory(), kind, first)
        assert _stored(uow_factory, kind) == [first]

    def test_leaving_the_block_without_commit_stores_nothing(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [first] = seed(uow_factory, kind.sample("x-1"))
        uow = uow_factory()
        with uow:
            kind.repository(uow).add(kind.sample("x-2"))
            kind.repository(uow).save(kind.label(first, "gone"))
        assert _stored(uow_factory, kind) == [first]

    def test_a_conflicting_write_takes_every_write_of_the_block_with_it(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        first, stale = seed(uow_factory, kind.sample("x-1"), kind.sample("x-2"))
        committed(
            uow_factory,
            lambda uow: kind.repository(uow).save(kind.label(stale, "renamed")),
        )
        before = _stored(uow_factory, kind)

        def writes(uow: UnitOfWork) -> None:
            repository = kind.repository(uow)
            repository.add(kind.sample("x-3"))
            repository.save(kind.label(first, "changed"))
            repository.save(kind.label(stale, "stale rename"))

        with pytest.raises(ConcurrencyConflictError) as caught:
            committed(uow_factory, writes)
        error = caught.value
        assert (error.entity, error.id, error.expected, error.actual) == (
            kind.name,
            "x-2",
            1,
            2,
        )
        assert _stored(uow_factory, kind) == before

    def test_a_duplicate_takes_every_write_of_the_block_with_it(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [first] = seed(uow_factory, kind.sample("x-1"))

        def writes(uow: UnitOfWork) -> None:
            repository = kind.repository(uow)
            repository.save(kind.label(first, "renamed"))
            repository.add(kind.sample("x-2"))
            repository.add(kind.label(kind.sample("x-1"), "again"))

        with pytest.raises(DuplicateError) as caught:
            committed(uow_factory, writes)
        assert (caught.value.entity, caught.value.id) == (kind.name, "x-1")
        assert _stored(uow_factory, kind) == [first]

    def test_rollback_discards_the_writes_made_so_far(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        uow = uow_factory()
        with uow:
            kind.repository(uow).add(kind.sample("x-1"))
            uow.rollback()
            with pytest.raises(NotFoundError):
                kind.repository(uow).get("x-1")
            kind.repository(uow).add(kind.sample("x-2"))
            uow.commit()
        assert ids(_stored(uow_factory, kind)) == ["x-2"]

    def test_a_block_may_commit_twice(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        uow = uow_factory()
        with uow:
            added = kind.repository(uow).add(kind.sample("x-1"))
            uow.commit()
            saved = kind.repository(uow).save(kind.label(added, "second commit"))
            kind.repository(uow).add(kind.sample("x-2"))
            uow.commit()
        assert _stored(uow_factory, kind) == [
            saved,
            attrs.evolve(kind.sample("x-2"), version=1),
        ]
        assert saved.version == 2

    def test_writes_committed_before_an_exception_stay(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        with pytest.raises(BlockFailedError):
            _commit_then_fail(uow_factory(), kind)
        assert ids(_stored(uow_factory, kind)) == ["x-1"]

    def test_reads_see_the_blocks_own_writes(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [first] = seed(uow_factory, kind.sample("x-1"))
        uow = uow_factory()
        with uow:
            repository = kind.repository(uow)
            added = repository.add(kind.sample("x-2"))
            changed = repository.save(kind.label(first, "changed"))
            assert repository.get("x-2") == added
            assert repository.get_many(["x-1", "x-2"]) == [changed, added]
            assert repository.all() == [changed, added]
            find = getattr(repository, "find", None)
            if find is not None:  # the queries see them too, in their own order
                assert sorted(find(), key=lambda a: a.id) == [changed, added]

    def test_another_unit_of_work_does_not_see_uncommitted_writes(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [first] = seed(uow_factory, kind.sample("x-1"))
        writer = uow_factory()
        with writer:
            kind.repository(writer).add(kind.sample("x-2"))
            kind.repository(writer).save(kind.label(first, "uncommitted"))
            assert _stored(uow_factory, kind) == [first]
            writer.commit()
        assert ids(_stored(uow_factory, kind)) == ["x-1", "x-2"]

    def test_repositories_raise_outside_the_block(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        seed(uow_factory, kind.sample("x-1"))
        uow = uow_factory()
        with pytest.raises(TransactionError):
            kind.repository(uow).get("x-1")
        with uow:
            repository = kind.repository(uow)
            assert repository.get("x-1").version == 1
        with pytest.raises(TransactionError):
            repository.all()
        with pytest.raises(TransactionError):
            kind.repository(uow).add(kind.sample("x-2"))

    def test_entering_an_active_unit_of_work_again_raises(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        uow = uow_factory()
        with uow:
            with pytest.raises(TransactionError):
                uow.__enter__()
            # The refused re-entry leaves the outer block usable.
            kind.repository(uow).add(kind.sample("x-1"))
            uow.commit()
        assert ids(_stored(uow_factory, kind)) == ["x-1"]

    def test_a_unit_of_work_can_be_used_for_several_blocks(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        uow = uow_factory()
        with uow:
            kind.repository(uow).add(kind.sample("x-1"))
        with uow:
            assert kind.repository(uow).all() == []
            kind.repository(uow).add(kind.sample("x-2"))
            uow.commit()
        with uow:
            assert ids(kind.repository(uow).all()) == ["x-2"]
