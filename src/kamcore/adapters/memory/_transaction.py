"""One thread's pending writes on top of a store's committed state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from kamcore.adapters.memory._store import InMemoryStore, Write
from kamcore.ports import Aggregate

__all__ = ["Transaction"]

AggregateT = TypeVar("AggregateT", bound=Aggregate)


class Transaction:
    """A write set over an :class:`InMemoryStore`, read-committed.

    Reads see this transaction's own pending writes on top of whatever is
    committed at the time of the read. Nothing reaches the store before
    :meth:`commit`.
    """

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._pending: dict[type[Any], dict[str, Write]] = {}

    def lookup(
        self, entity: type[AggregateT], ids: Sequence[str]
    ) -> list[AggregateT | None]:
        """The aggregates with ``ids`` as this transaction sees them, in order."""
        pending = self._pending.get(entity, {})
        committed = self._store.lookup(entity, ids)
        return [
            pending[aggregate_id].aggregate if aggregate_id in pending else found
            for aggregate_id, found in zip(ids, committed, strict=True)
        ]

    def rows(self, entity: type[AggregateT]) -> dict[str, AggregateT]:
        """Every aggregate of ``entity`` as this transaction sees it, by id."""
        rows = self._store.rows(entity)
        for aggregate_id, write in self._pending.get(entity, {}).items():
            rows[aggregate_id] = write.aggregate
        return rows

    def stage(self, entity: type[Any], aggregate: Aggregate, base_version: int) -> None:
        """Record a write of ``aggregate``, based on stored ``base_version``.

        A second write of the same aggregate keeps the first write's base: the
        commit must still find the version this transaction started from.
        """
        table = self._pending.setdefault(entity, {})
        earlier = table.get(aggregate.id)
        base = base_version if earlier is None else earlier.base_version
        table[aggregate.id] = Write(entity, aggregate, base)

    def commit(self) -> None:
        """Apply every pending write to the store, all or nothing; then start empty.

        A failed commit discards the pending writes too, as a database rolls
        back a transaction whose commit failed.
        """
        writes = [write for table in self._pending.values() for write in table.values()]
        self._pending.clear()
        self._store.apply(writes)

    def rollback(self) -> None:
        """Discard every pending write."""
        self._pending.clear()
