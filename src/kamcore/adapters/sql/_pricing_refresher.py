"""The consumer of pricing change events: a pricing index kept current.

:class:`PricingRefresher` is a :class:`~kamcore.ports.Notifier`: an
:class:`~kamcore.adapters.sql.OutboxDispatcher` hands it the change events,
which it notes; :meth:`PricingRefresher.refresh` then reads the changed
entities back through the unit of work and swaps in
``index.refreshed(...)``. See ``docs/pricing-service.md``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from kamcore.adapters.sql._outbox import OutboxDispatcher
from kamcore.adapters.sql._pricing_events import (
    PRICING_CHANGE,
    PricingChange,
    PricingChangeKind,
    PricingEntity,
)
from kamcore.errors import NotFoundError, TransactionError
from kamcore.ports import Clock, Notification, RecipientKind, UnitOfWork
from kamcore.pricing import PricingIndex, PricingOptions

__all__ = ["PricingRefresher"]

#: Each entity kind's repository on a unit of work, and its name in the
#: arguments of ``PricingIndex.refreshed`` (``price_lists``, ``removed_price_lists``).
_KINDS: dict[PricingEntity, tuple[Callable[[UnitOfWork], Any], str]] = {
    PricingEntity.PRICE_LIST: (lambda uow: uow.price_lists, "price_lists"),
    PricingEntity.CLIENT_GROUP: (lambda uow: uow.client_groups, "client_groups"),
    PricingEntity.DISCOUNT_GROUP: (
        lambda uow: uow.discount_groups,
        "discount_groups",
    ),
    PricingEntity.PRODUCT: (lambda uow: uow.products, "products"),
}


class PricingRefresher:
    """Keeps a :class:`~kamcore.pricing.PricingIndex` current from change events.

    Load the whole catalogue once with :meth:`load`, then let a dispatcher
    hand the refresher the outbox's change events (:meth:`dispatcher` makes
    one that handles those only) and call :meth:`refresh` to apply them::

        refresher = PricingRefresher(uow)
        dispatcher = refresher.dispatcher(engine)
        dispatcher.dispatch()                    # the backlog: in the load
        refresher.load()                         # reads the whole catalogue
        ...
        dispatcher.dispatch()                    # notes the new events
        index = refresher.refresh()              # reads what changed, swaps

    :meth:`refresh` reads the entities that changed, as they stand now,
    through ``uow``'s repositories, and replaces :attr:`index` by
    ``index.refreshed(...)``: one assignment, so a thread reading
    :attr:`index` gets the old index or the new one, whole. An entity that
    is no longer stored (or an event saying it was removed) is removed from
    the index. Applying an event twice changes nothing, so a redelivered
    event is harmless. If the changed catalogue conflicts, :meth:`refresh`
    raises and keeps both the old index and the events it could not apply:
    the next refresh tries them again with whatever came since (the fix).

    Thread-safe: requests may read :attr:`index` while another thread
    dispatches and refreshes.

    Args:
        uow: The unit of work the catalogue is read through (any adapter's).
        options: Unit-price rounding of the index :meth:`load` builds.

    .. versionadded:: Unreleased
    """

    def __init__(
        self, uow: UnitOfWork, *, options: PricingOptions | None = None
    ) -> None:
        self.uow = uow
        self.options = options
        self._index: PricingIndex | None = None
        self._ids: dict[PricingEntity, frozenset[str]] = dict.fromkeys(
            PricingEntity, frozenset()
        )
        self._pending: dict[tuple[PricingEntity, str], PricingChange] = {}
        self._applied = 0
        self._last: PricingChange | None = None
        # One load or refresh at a time (each reads storage, then swaps);
        # events are noted under a lock of their own, so a dispatcher never
        # waits for a refresh's reads.
        self._work = threading.Lock()
        self._notes = threading.Lock()

    # -- the index ----------------------------------------------------------
    @property
    def index(self) -> PricingIndex:
        """The current index.

        Raises:
            TransactionError: before :meth:`load`.
        """
        index = self._index
        if index is None:
            msg = "PricingRefresher.index read before load(): nothing is indexed yet"
            raise TransactionError(msg)
        return index

    @property
    def loaded(self) -> bool:
        """Whether :meth:`load` has built an index."""
        return self._index is not None

    def load(self) -> PricingIndex:
        """Read the whole catalogue and index it.

        The changes noted before are in what it reads (an event is delivered
        only once its change is committed), so they are dropped; those noted
        while it reads stay pending. Dispatching the outbox just before
        loading thus catches up with every change made while no index was
        kept.

        Raises:
            PricingConfigurationError: the stored catalogue has conflicts; the
                index and the pending changes stay as they were.
        """
        with self._work:
            noted = self.pending
            with self.uow:
                price_lists = self.uow.price_lists.all()
                client_groups = self.uow.client_groups.all()
                discount_groups = self.uow.discount_groups.all()
                products = self.uow.products.all()
            index = PricingIndex(
                price_lists,
                client_groups=client_groups,
                discount_groups=discount_groups,
                products=products,
                options=self.options,
            )
            self._ids = {
                PricingEntity.PRICE_LIST: frozenset(i.id for i in price_lists),
                PricingEntity.CLIENT_GROUP: frozenset(i.id for i in client_groups),
                PricingEntity.DISCOUNT_GROUP: frozenset(i.id for i in discount_groups),
                PricingEntity.PRODUCT: frozenset(i.id for i in products),
            }
            self._forget(noted)
            self._index = index
            return index

    # -- events -------------------------------------------------------------
    def send(self, notification: Notification, /) -> None:
        """Note a change event; :meth:`refresh` applies it.

        Raises:
            ValidationError: if ``notification`` is not a pricing change
                event (the dispatcher then leaves it pending, with the error).
        """
        change = PricingChange.from_notification(notification)
        with self._notes:
            # Only the entity's latest state matters: it is read at refresh.
            self._pending[change.entity, change.id] = change

    @property
    def pending(self) -> tuple[PricingChange, ...]:
        """The changes noted and not applied yet, in the order they came."""
        with self._notes:
            return tuple(self._pending.values())

    @property
    def applied(self) -> int:
        """How many changes :meth:`refresh` has applied so far."""
        return self._applied

    @property
    def last_applied(self) -> PricingChange | None:
        """The last change applied, if any."""
        return self._last

    def counts(self) -> Mapping[PricingEntity, int]:
        """How many lists, groups, discount groups and products are indexed."""
        return {entity: len(ids) for entity, ids in self._ids.items()}

    def refresh(self) -> PricingIndex:
        """Apply the pending changes: read what changed, swap in the new index.

        Without pending changes, the index stays as it is.

        Returns:
            The current index.

        Raises:
            TransactionError: before :meth:`load`.
            PricingConfigurationError: the changed catalogue conflicts; the
                old index stays, and so do the pending changes.
        """
        with self._work:
            index = self.index
            changes = list(self.pending)
            if not changes:
                return index
            arguments, saved, removed = self._read(changes)
            refreshed = index.refreshed(**arguments)
            self._ids = {
                entity: (ids | saved[entity]) - removed[entity]
                for entity, ids in self._ids.items()
            }
            self._forget(changes)
            self._applied += len(changes)
            self._last = changes[-1]
            self._index = refreshed
            return refreshed

    def _forget(self, changes: Iterable[PricingChange]) -> None:
        """Drop ``changes`` from the pending ones."""
        with self._notes:
            for change in changes:
                # A newer event for the same entity, noted meanwhile, stays.
                if self._pending.get((change.entity, change.id)) is change:
                    del self._pending[change.entity, change.id]

    def dispatcher(
        self, engine: sa.Engine, *, clock: Clock | None = None
    ) -> OutboxDispatcher:
        """A dispatcher of the outbox at ``engine`` that hands this refresher
        the pricing change events, and nothing else."""
        return OutboxDispatcher(
            engine,
            self,
            clock=clock,
            recipients=[RecipientKind.SERVICE],
            kinds=[PRICING_CHANGE],
        )

    def _read(
        self, changes: Sequence[PricingChange]
    ) -> tuple[
        dict[str, Any],
        dict[PricingEntity, frozenset[str]],
        dict[PricingEntity, frozenset[str]],
    ]:
        """``refreshed()``'s arguments, and the ids saved and removed by kind."""
        arguments: dict[str, Any] = {}
        saved: dict[PricingEntity, frozenset[str]] = {}
        removed: dict[PricingEntity, frozenset[str]] = {}
        with self.uow:
            for entity, (repository, name) in _KINDS.items():
                wanted = _ids(changes, entity, PricingChangeKind.SAVED)
                dropped = _ids(changes, entity, PricingChangeKind.REMOVED)
                found = _stored(repository(self.uow).get_many, wanted)
                dropped += [i for i in wanted if i not in found]
                # An id the index never had is not removed from it.
                dropped = [i for i in dropped if i in self._ids[entity]]
                arguments[name] = list(found.values())
                arguments[f"removed_{name}"] = dropped
                saved[entity] = frozenset(found)
                removed[entity] = frozenset(dropped)
        return arguments, saved, removed


def _ids(
    changes: Iterable[PricingChange], entity: PricingEntity, kind: PricingChangeKind
) -> list[str]:
    return [c.id for c in changes if c.entity is entity and c.kind is kind]


def _stored(
    get_many: Callable[[list[str]], list[Any]], ids: list[str]
) -> dict[str, Any]:
    """The entities of ``ids`` still stored, by id (the others were removed)."""
    if not ids:
        return {}
    try:
        return {item.id: item for item in get_many(ids)}
    except NotFoundError as error:
        missing = set(error.ids)
        present = [i for i in ids if i not in missing]
        return {item.id: item for item in get_many(present)} if present else {}
