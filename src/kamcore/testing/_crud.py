"""Conformance: add, get, get_many, save and all, for every aggregate kind."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from kamcore.errors import ConcurrencyConflictError, DuplicateError, NotFoundError
from kamcore.testing._harness import (
    UnitOfWorkFactory,
    UnitOfWorkHarness,
    committed,
    ids,
    read,
    seed,
)
from kamcore.testing._kinds import AggregateKind

__all__ = ["CrudConformance"]


class CrudConformance(UnitOfWorkHarness):
    """Every repository stores, returns and versions aggregates exactly.

    Each test runs once per repository of the suite. Part of
    :class:`~kamcore.testing.conformance.UnitOfWorkConformance` and of every
    repository's own suite; subclass it alone to run only these tests.
    """

    def test_add_returns_the_aggregate_at_version_1(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        sample = kind.sample("x-1")
        added = committed(uow_factory, lambda uow: kind.repository(uow).add(sample))
        assert added == attrs.evolve(sample, version=1)

    def test_get_returns_exactly_what_was_added(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [added] = seed(uow_factory, kind.sample("x-1"))
        assert read(uow_factory, lambda uow: kind.repository(uow).get("x-1")) == added

    def test_each_save_adds_one_to_the_version(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [added] = seed(uow_factory, kind.sample("x-1"))
        second = committed(
            uow_factory, lambda uow: kind.repository(uow).save(kind.label(added, "2"))
        )
        third = committed(
            uow_factory, lambda uow: kind.repository(uow).save(kind.label(second, "3"))
        )
        assert second == attrs.evolve(kind.label(added, "2"), version=2)
        assert third == attrs.evolve(kind.label(added, "3"), version=3)
        assert read(uow_factory, lambda uow: kind.repository(uow).get("x-1")) == third

    def test_saving_twice_in_one_transaction_counts_both_saves(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [added] = seed(uow_factory, kind.sample("x-1"))
        uow = uow_factory()
        with uow:
            repository = kind.repository(uow)
            second = repository.save(kind.label(added, "once"))
            third = repository.save(kind.label(second, "twice"))
            uow.commit()
        assert (second.version, third.version) == (2, 3)
        assert read(uow_factory, lambda uow: kind.repository(uow).get("x-1")) == third

    def test_get_many_returns_the_aggregates_in_the_order_asked(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        stored = seed(uow_factory, *(kind.sample(i) for i in ["x-1", "x-2", "x-3"]))
        found = read(
            uow_factory,
            lambda uow: kind.repository(uow).get_many(["x-3", "x-1", "x-2"]),
        )
        assert found == [stored[2], stored[0], stored[1]]

    def test_get_many_of_no_ids_is_empty(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        seed(uow_factory, kind.sample("x-1"))
        assert read(uow_factory, lambda uow: kind.repository(uow).get_many([])) == []

    def test_get_of_an_unknown_id_raises_not_found(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        seed(uow_factory, kind.sample("x-1"))
        with pytest.raises(NotFoundError) as caught:
            read(uow_factory, lambda uow: kind.repository(uow).get("x-404"))
        assert (caught.value.entity, caught.value.ids) == (kind.name, ("x-404",))

    def test_get_many_names_every_missing_id_in_the_order_asked(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        seed(uow_factory, kind.sample("x-1"), kind.sample("x-2"))
        asked = ["x-9", "x-1", "x-0", "x-2", "x-5"]
        with pytest.raises(NotFoundError) as caught:
            read(uow_factory, lambda uow: kind.repository(uow).get_many(asked))
        assert caught.value.entity == kind.name
        assert caught.value.ids == ("x-9", "x-0", "x-5")

    def test_save_of_an_id_never_stored_raises_not_found(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        seed(uow_factory, kind.sample("x-1"))
        never_stored = attrs.evolve(kind.sample("x-404"), version=1)
        with pytest.raises(NotFoundError) as caught:
            committed(uow_factory, lambda uow: kind.repository(uow).save(never_stored))
        assert (caught.value.entity, caught.value.ids) == (kind.name, ("x-404",))

    def test_add_of_a_committed_id_raises_duplicate(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [added] = seed(uow_factory, kind.sample("x-1"))
        again = kind.label(kind.sample("x-1"), "again")
        with pytest.raises(DuplicateError) as caught:
            committed(uow_factory, lambda uow: kind.repository(uow).add(again))
        assert (caught.value.entity, caught.value.id) == (kind.name, "x-1")
        assert read(uow_factory, lambda uow: kind.repository(uow).get("x-1")) == added

    def test_adding_one_id_twice_in_one_transaction_raises_duplicate(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        uow = uow_factory()
        with uow:
            kind.repository(uow).add(kind.sample("x-1"))
            with pytest.raises(DuplicateError) as caught:
                kind.repository(uow).add(kind.label(kind.sample("x-1"), "again"))
        assert (caught.value.entity, caught.value.id) == (kind.name, "x-1")
        assert read(uow_factory, lambda uow: kind.repository(uow).all()) == []

    def test_add_refuses_an_aggregate_that_has_a_version(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        versioned = attrs.evolve(kind.sample("x-1"), version=3)
        with pytest.raises(ConcurrencyConflictError) as caught:
            committed(uow_factory, lambda uow: kind.repository(uow).add(versioned))
        error = caught.value
        assert (error.entity, error.id, error.expected, error.actual) == (
            kind.name,
            "x-1",
            3,
            0,
        )
        assert read(uow_factory, lambda uow: kind.repository(uow).all()) == []

    def test_saving_a_stale_version_raises_a_conflict(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        [stale] = seed(uow_factory, kind.sample("x-1"))
        first = kind.label(stale, "first writer")
        second = kind.label(stale, "second writer")
        fresh = committed(uow_factory, lambda uow: kind.repository(uow).save(first))
        with pytest.raises(ConcurrencyConflictError) as caught:
            committed(uow_factory, lambda uow: kind.repository(uow).save(second))
        error = caught.value
        assert (error.entity, error.id, error.expected, error.actual) == (
            kind.name,
            "x-1",
            1,
            2,
        )
        assert read(uow_factory, lambda uow: kind.repository(uow).get("x-1")) == fresh

    def test_all_lists_every_aggregate_ordered_by_id(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        stored = seed(uow_factory, *(kind.sample(i) for i in ["x-2", "x-3", "x-1"]))
        everything = read(uow_factory, lambda uow: kind.repository(uow).all())
        assert ids(everything) == ["x-1", "x-2", "x-3"]
        assert everything == [stored[2], stored[0], stored[1]]

    def test_all_of_an_empty_repository_is_empty(
        self, uow_factory: UnitOfWorkFactory, kind: AggregateKind[Any]
    ) -> None:
        assert read(uow_factory, lambda uow: kind.repository(uow).all()) == []
