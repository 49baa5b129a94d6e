"""One generic in-memory repository; the per-aggregate classes only add queries."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from kamcore.adapters._versions import at_version
from kamcore.adapters.memory._transaction import Transaction
from kamcore.errors import ConcurrencyConflictError, DuplicateError, NotFoundError
from kamcore.kernel import Checks
from kamcore.ports import Aggregate

__all__ = ["InMemoryRepository"]

AggregateT = TypeVar("AggregateT", bound=Aggregate)
IdT = TypeVar("IdT", bound=str)


class InMemoryRepository(Generic[AggregateT, IdT]):
    """CRUD with optimistic versioning over the calling thread's transaction.

    Implements :class:`kamcore.ports.Repository`. Every call asks the unit of
    work for the current transaction first, so a repository used outside its
    ``with`` block raises :class:`~kamcore.errors.TransactionError`.

    Args:
        entity: The aggregate class; its name is the entity named in errors.
        transaction: Returns the calling thread's active transaction, or raises
            ``TransactionError``.
    """

    def __init__(
        self, entity: type[AggregateT], transaction: Callable[[], Transaction]
    ) -> None:
        self._entity = entity
        self._transaction = transaction

    @property
    def _name(self) -> str:
        return self._entity.__name__

    def get(self, aggregate_id: IdT, /) -> AggregateT:
        """The aggregate with ``aggregate_id``.

        Raises:
            NotFoundError: if there is none.
        """
        [found] = self.get_many([aggregate_id])
        return found

    def get_many(self, ids: Iterable[IdT], /) -> list[AggregateT]:
        """The aggregates with ``ids``, in the order asked.

        Raises:
            NotFoundError: naming every missing id, in the order asked.
        """
        wanted = list(ids)
        found = self._transaction().lookup(self._entity, wanted)
        missing = [i for i, item in zip(wanted, found, strict=True) if item is None]
        if missing:
            raise NotFoundError(self._name, missing)
        return [aggregate for aggregate in found if aggregate is not None]

    def add(self, aggregate: AggregateT, /) -> AggregateT:
        """Stage a new aggregate (version 0); return it at version 1.

        Raises:
            ConcurrencyConflictError: if ``aggregate.version`` is not 0.
            DuplicateError: if the id is taken, committed or pending.
        """
        transaction = self._transaction()
        self._check_type(aggregate)
        if aggregate.version != 0:
            raise ConcurrencyConflictError(
                self._name, aggregate.id, expected=aggregate.version, actual=0
            )
        [existing] = transaction.lookup(self._entity, [aggregate.id])
        if existing is not None:
            raise DuplicateError(self._name, aggregate.id)
        added = at_version(aggregate, 1)
        transaction.stage(self._entity, added, base_version=0)
        return added

    def save(self, aggregate: AggregateT, /) -> AggregateT:
        """Stage a new value of a stored aggregate; return it one version up.

        Raises:
            NotFoundError: if the id was never stored.
            ConcurrencyConflictError: if the version this transaction sees is not
                ``aggregate.version``. The commit checks again against what is
                committed by then.
        """
        transaction = self._transaction()
        self._check_type(aggregate)
        [current] = transaction.lookup(self._entity, [aggregate.id])
        if current is None:
            raise NotFoundError(self._name, [aggregate.id])
        if current.version != aggregate.version:
            raise ConcurrencyConflictError(
                self._name,
                aggregate.id,
                expected=aggregate.version,
                actual=current.version,
            )
        saved = at_version(aggregate, aggregate.version + 1)
        transaction.stage(self._entity, saved, base_version=current.version)
        return saved

    def all(self) -> list[AggregateT]:
        """Every aggregate, ordered by id."""
        return self._select(lambda _: True, lambda aggregate: aggregate.id)

    def _select(
        self,
        keep: Callable[[AggregateT], bool],
        order: Callable[[AggregateT], Any],
    ) -> list[AggregateT]:
        """The aggregates ``keep`` accepts, sorted by ``order``."""
        rows = self._transaction().rows(self._entity).values()
        return sorted((aggregate for aggregate in rows if keep(aggregate)), key=order)

    def _check_type(self, aggregate: object) -> None:
        # The store is keyed by aggregate type: a stray type would land in
        # the wrong table and be silently invisible.
        checks = Checks(f"{self._name} repository")
        checks.instance("aggregate", aggregate, self._entity)
        checks.raise_if_any()
