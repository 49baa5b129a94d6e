"""Committed state shared by every in-memory unit of work built over one store."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import attrs

from kamcore.errors import ConcurrencyConflictError, DuplicateError
from kamcore.ports import Aggregate

__all__ = ["InMemoryStore", "Write"]

AggregateT = TypeVar("AggregateT", bound=Aggregate)


@attrs.frozen
class Write:
    """One pending write: the new value and the stored version it replaces.

    ``base_version`` 0 means "not stored yet" (an add): versions start at 1, so a
    single comparison against the stored version checks adds and saves alike.
    """

    entity: type[Any]
    aggregate: Any
    base_version: int


class InMemoryStore:
    """The in-memory "database": committed aggregates per aggregate type.

    Every :class:`~kamcore.adapters.memory.InMemoryUnitOfWork` built over the
    same store sees the same committed data, like sessions over one database.
    All access goes through one lock, so a store may be shared across threads.
    Stored aggregates are immutable values, so handing them out needs no copy.

    Example:
        >>> from kamcore.adapters.memory import InMemoryUnitOfWork
        >>> store = InMemoryStore()
        >>> writer, reader = InMemoryUnitOfWork(store), InMemoryUnitOfWork(store)

    The methods below are the unit of work's internals; host code only builds a
    store and passes it on.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tables: dict[type[Any], dict[str, Any]] = {}

    def lookup(
        self, entity: type[AggregateT], ids: Sequence[str]
    ) -> list[AggregateT | None]:
        """The committed aggregates with ``ids`` (``None`` where missing), in order."""
        with self._lock:
            table = self._tables.get(entity, {})
            return [table.get(aggregate_id) for aggregate_id in ids]

    def rows(self, entity: type[AggregateT]) -> dict[str, AggregateT]:
        """A copy of every committed aggregate of ``entity``, by id."""
        with self._lock:
            return dict(self._tables.get(entity, {}))

    def apply(self, writes: Iterable[Write]) -> None:
        """Store every write, or none if any is based on a stale version.

        Raises:
            DuplicateError: an added id is stored already.
            ConcurrencyConflictError: a saved aggregate changed since it was read.
        """
        writes = list(writes)
        with self._lock:
            # Check everything before changing anything: all or nothing.
            for write in writes:
                self._check(write)
            for write in writes:
                table = self._tables.setdefault(write.entity, {})
                table[write.aggregate.id] = write.aggregate

    def _check(self, write: Write) -> None:
        stored = self._tables.get(write.entity, {}).get(write.aggregate.id)
        stored_version = 0 if stored is None else stored.version
        if stored_version == write.base_version:
            return
        if write.base_version == 0:
            raise DuplicateError(write.entity.__name__, write.aggregate.id)
        raise ConcurrencyConflictError(
            write.entity.__name__,
            write.aggregate.id,
            expected=write.base_version,
            actual=stored_version,
        )
