"""The pricing service's state, free of any web framework.

:class:`PricingService` holds the pricing index and keeps it current: it loads
the whole catalogue once (:meth:`~PricingService.start`), then a background
thread hands the outbox's pricing change events to a
:class:`~kamcore.adapters.sql.PricingRefresher` every few seconds, which swaps
in a refreshed index. :meth:`~PricingService.refresh_now` does the same at
once (the tests call it). Quoting reads the client record (storage: a short
read) and prices on the index (CPU only, no storage).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Sequence

import attrs
import sqlalchemy as sa

from kamcore.accounts import Client
from kamcore.adapters.clock import SystemClock
from kamcore.adapters.sql import PricingEntity, PricingRefresher, SqlUnitOfWork
from kamcore.errors import NotFoundError
from kamcore.kernel import ClientId, ProductId
from kamcore.ports import Clock
from kamcore.pricing import (
    PricedDocument,
    PricingIndex,
    PricingPolicy,
    QuoteRequest,
    price_document,
)

__all__ = ["PricingService", "Refresh", "UnknownProductError"]

log = logging.getLogger(__name__)


@attrs.frozen(kw_only=True)
class Refresh:
    """What one refresh did.

    Attributes:
        delivered: Change events the outbox handed over.
        applied: Changes applied to the index (several events for one entity
            are one change).
        error: Why the refresh failed, if it did: the index stays as it was,
            and the changes not applied are tried again next time.
    """

    delivered: int
    applied: int
    error: str | None = None


class UnknownProductError(NotFoundError):
    """A quote asks for products the catalogue does not have.

    Attributes:
        paths: Where each is in the request (``$.lines[2].product``).
    """

    def __init__(self, unknown: Sequence[tuple[int, ProductId]]) -> None:
        super().__init__("Product", [product for _, product in unknown])
        self.paths = tuple(f"$.lines[{position}].product" for position, _ in unknown)


class PricingService:
    """A pricing index kept current from change events, and quotes priced on it.

    Args:
        engine: The catalogue's database (its schema already upgraded).
        refresh_every: Seconds between two background refreshes; ``0`` starts
            no thread (call :meth:`refresh_now`).
        policy: The pricing policy quotes are checked against (kamcore's
            default, ``PricingPolicy()``, if omitted).
        clock: Time-stamps the index and refreshes (UTC system time if omitted).
    """

    def __init__(
        self,
        engine: sa.Engine,
        *,
        refresh_every: float = 5.0,
        policy: PricingPolicy | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.engine = engine
        self.refresh_every = refresh_every
        self.policy = PricingPolicy() if policy is None else policy
        self.clock: Clock = SystemClock(dt.UTC) if clock is None else clock
        # Reads only: the service writes nothing but the outbox's delivery marks.
        self.uow = SqlUnitOfWork(engine)
        self.refresher = PricingRefresher(self.uow)
        self.dispatcher = self.refresher.dispatcher(engine, clock=self.clock)
        self.index_since: dt.datetime | None = None
        self.last_refresh: dt.datetime | None = None
        self.last_error: str | None = None
        self._refreshing = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifetime -------------------------------------------------------------
    def start(self) -> None:
        """Load the whole catalogue (storage I/O), then start refreshing.

        Raises:
            PricingConfigurationError: the stored catalogue has conflicts.
        """
        # Events of changes made while no index was kept are in the catalogue
        # the load reads: delivered first, they are dropped by the load.
        self.dispatcher.dispatch()
        self.refresher.load()
        self.index_since = self.last_refresh = self.clock.now()
        if self.refresh_every > 0 and self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._refresh_regularly, name="pricing-refresh", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """Stop the background refresh and wait for it to finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _refresh_regularly(self) -> None:
        while not self._stop.wait(self.refresh_every):
            self.refresh_now()

    # -- refreshing -----------------------------------------------------------
    @property
    def index(self) -> PricingIndex:
        """The current index: read it once per request, and price on that."""
        return self.refresher.index

    def refresh_now(self) -> Refresh:
        """Hand the pending change events to the refresher, and apply them.

        Never raises: a failure (a conflicting catalogue, the database out of
        reach) is logged, kept for :meth:`health`, and returned.
        """
        with self._refreshing:
            delivered = applied = 0
            try:
                report = self.dispatcher.dispatch()
                delivered = len(report.delivered)
                before = self.refresher.index
                applied = len(self.refresher.pending)
                if self.refresher.refresh() is not before:
                    self.index_since = self.clock.now()
            except Exception as error:  # kept for /health; the old index serves on
                log.exception("pricing refresh failed; the index stays as it was")
                self.last_error = f"{type(error).__name__}: {error}"
                return Refresh(delivered=delivered, applied=0, error=self.last_error)
            self.last_refresh = self.clock.now()
            self.last_error = None
            return Refresh(delivered=delivered, applied=applied)

    # -- quoting --------------------------------------------------------------
    def client(self, client_id: ClientId) -> Client:
        """The client record, read from storage (in an async host: in a thread).

        Raises:
            NotFoundError: no client has this id.
        """
        with self.uow:
            return self.uow.clients.get(client_id)

    def price(
        self, request: QuoteRequest, client: Client, *, explain: bool = False
    ) -> PricedDocument:
        """Price ``request`` for ``client`` on the current index: CPU only.

        Args:
            request: The quote request.
            client: Its client's record (:meth:`client`).
            explain: Explain every line, whatever the request says.

        Raises:
            UnknownProductError: naming every product the catalogue lacks.
            ValidationError, PriceNotFoundError, PricingConfigurationError,
            CurrencyMismatchError, PolicyViolationError: from
            :func:`~kamcore.pricing.price_document`.
        """
        index = self.refresher.index  # one read: the whole request prices on it
        unknown = [
            (position, line.product)
            for position, line in enumerate(request.lines)
            if index.product(line.product) is None
        ]
        if unknown:
            raise UnknownProductError(unknown)
        return price_document(
            index,
            client,
            request.line_requests(),
            pricing_date=request.pricing_date,
            kind=request.kind,
            currency=request.currency,
            policy=self.policy,
            explain=explain or request.explain,
        )

    # -- health ---------------------------------------------------------------
    def health(self) -> dict[str, object]:
        """The index's age and size, and how refreshing goes, as JSON values."""
        now = self.clock.now()
        since, last = self.index_since, self.last_refresh
        counts = self.refresher.counts() if self.refresher.loaded else {}
        changed = self.refresher.last_applied
        return {
            "status": "ok" if self.refresher.loaded else "loading",
            "index_since": None if since is None else since.isoformat(),
            "index_age_seconds": (
                None if since is None else round((now - since).total_seconds(), 3)
            ),
            "counts": {entity.value: counts.get(entity, 0) for entity in PricingEntity},
            "changes_applied": self.refresher.applied,
            "last_change": None
            if changed is None
            else {
                "entity": changed.entity.value,
                "id": changed.id,
                "change": changed.kind.value,
                "version": changed.version,
            },
            "changes_pending": len(self.refresher.pending),
            "last_refresh": None if last is None else last.isoformat(),
            "refresh_every_seconds": self.refresh_every,
            "last_error": self.last_error,
        }
