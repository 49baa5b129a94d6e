"""Conformance: all-or-nothing writes, isolation and the ``with`` block rules."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from kamcore.accounts import ClientStatus
from kamcore.errors import (
    ConcurrencyConflictError,
    DuplicateError,
    NotFoundError,
    TransactionError,
)
from kamcore.kernel import ClientId
from kamcore.ports import UnitOfWork
from kamcore.testing._crud import each_kind
from kamcore.testing._harness import (
    UnitOfWorkFactory,
    UnitOfWorkHarness,
    committed,
    ids,
    read,
    seed,
    snapshot,
)
from kamcore.testing._kinds import AggregateKind
from kamcore.testing._samples import client, invoice, order, product

__all__ = ["AtomicityConformance"]


class _BlockFailedError(Exception):
    """The failure a test raises inside a ``with`` block."""


def _write_then_fail(uow: UnitOfWork) -> None:
    with uow:
        uow.clients.add(client("c-2"))
        uow.clients.save(attrs.evolve(uow.clients.get(ClientId("c-1")), name="Gone"))
        raise _BlockFailedError


def _write_without_commit(uow: UnitOfWork) -> None:
    with uow:
        uow.clients.add(client("c-2"))
        uow.clients.save(attrs.evolve(uow.clients.get(ClientId("c-1")), name="Gone"))


class AtomicityConformance(UnitOfWorkHarness):
    """A unit of work stores all of its writes or none of them.

    Covers: exceptions and a missing commit leave nothing behind; a write that
    fails takes the block's other writes with it; ``rollback``; committing
    twice in one block; reading one's own writes; not seeing another unit of
    work's uncommitted writes; ``TransactionError`` outside the block and on
    re-entry. Part of :class:`~kamcore.testing.conformance.UnitOfWorkConformance`.
    """

    def test_an_exception_inside_the_block_stores_nothing(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        seed(uow_factory, client("c-1"))
        before = snapshot(uow_factory)
        with pytest.raises(_BlockFailedError):
            _write_then_fail(uow_factory())
        assert snapshot(uow_factory) == before

    def test_leaving_the_block_without_commit_stores_nothing(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        seed(uow_factory, client("c-1"))
        before = snapshot(uow_factory)
        _write_without_commit(uow_factory())
        assert snapshot(uow_factory) == before

    def test_a_conflicting_write_takes_every_write_of_the_block_with_it(
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

    def test_a_duplicate_takes_every_write_of_the_block_with_it(
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

    def test_rollback_discards_the_writes_made_so_far(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        uow = uow_factory()
        with uow:
            uow.clients.add(client("c-1"))
            uow.rollback()
            with pytest.raises(NotFoundError):
                uow.clients.get(ClientId("c-1"))
            uow.clients.add(client("c-2"))
            uow.commit()
        assert ids(read(uow_factory, lambda uow: uow.clients.all())) == ["c-2"]

    def test_a_block_may_commit_twice(self, uow_factory: UnitOfWorkFactory) -> None:
        uow = uow_factory()
        with uow:
            added = uow.clients.add(client("c-1"))
            uow.commit()
            saved = uow.clients.save(attrs.evolve(added, name="Second commit"))
            uow.clients.add(client("c-2"))
            uow.commit()
        stored = read(uow_factory, lambda uow: uow.clients.all())
        assert stored == [saved, attrs.evolve(client("c-2"), version=1)]
        assert saved.version == 2

    def test_writes_committed_before_an_exception_stay(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        def commit_then_fail(uow: UnitOfWork) -> None:
            with uow:
                uow.clients.add(client("c-1"))
                uow.commit()
                uow.clients.add(client("c-2"))
                raise _BlockFailedError

        with pytest.raises(_BlockFailedError):
            commit_then_fail(uow_factory())
        assert ids(read(uow_factory, lambda uow: uow.clients.all())) == ["c-1"]

    def test_reads_see_the_blocks_own_writes(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        [first] = seed(uow_factory, client("c-1"))
        uow = uow_factory()
        with uow:
            added = uow.clients.add(client("c-2", manager="m-1"))
            closed = uow.clients.save(attrs.evolve(first, status=ClientStatus.CLOSED))
            assert uow.clients.get(ClientId("c-2")) == added
            assert uow.clients.get_many([ClientId("c-1"), ClientId("c-2")]) == [
                closed,
                added,
            ]
            assert uow.clients.all() == [closed, added]
            assert uow.clients.find(manager=added.account_manager) == [added]
            assert uow.clients.find(status=ClientStatus.CLOSED) == [closed]
            assert uow.clients.find(status=ClientStatus.ACTIVE) == [added]

    def test_another_unit_of_work_does_not_see_uncommitted_writes(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        [first] = seed(uow_factory, client("c-1"))
        writer = uow_factory()
        with writer:
            writer.clients.add(client("c-2"))
            writer.clients.save(attrs.evolve(first, name="Uncommitted"))
            assert read(uow_factory, lambda uow: uow.clients.all()) == [first]
            writer.commit()
        assert ids(read(uow_factory, lambda uow: uow.clients.all())) == ["c-1", "c-2"]

    @each_kind
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
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        uow = uow_factory()
        with uow:
            with pytest.raises(TransactionError):
                uow.__enter__()
            # The refused re-entry leaves the outer block usable.
            uow.clients.add(client("c-1"))
            uow.commit()
        assert ids(read(uow_factory, lambda uow: uow.clients.all())) == ["c-1"]

    def test_a_unit_of_work_can_be_used_for_several_blocks(
        self, uow_factory: UnitOfWorkFactory
    ) -> None:
        uow = uow_factory()
        with uow:
            uow.clients.add(client("c-1"))
        with uow:
            assert uow.clients.all() == []
            uow.clients.add(client("c-2"))
            uow.commit()
        with uow:
            assert ids(uow.clients.all()) == ["c-2"]
