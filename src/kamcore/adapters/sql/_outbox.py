"""The outbox: notifications stored with the change that caused them, then delivered.

:class:`OutboxNotifier` is the notifier a service is given: its ``send`` writes
the notification into the ``outbox`` table, in the transaction of the
service's ``with uow:`` block, so the notification is committed, or rolled
back, with the change that caused it. :class:`OutboxDispatcher` then hands each
stored notification to the real notifier (email, chat, a queue) and marks it
delivered. A crash between delivering and marking delivers that notification
again on the next run: delivery is *at least once*, and receivers
de-duplicate by :attr:`Notification.key <kamcore.ports.Notification.key>`.
The outbox itself keeps one row per key: writing a key again (a service
re-run after a failure) stores nothing new.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import attrs
import sqlalchemy as sa

from kamcore.adapters.clock import SystemClock
from kamcore.adapters.sql._engine import begin_write, insert_unless_present
from kamcore.adapters.sql._migrations import SCHEMA_VERSION
from kamcore.adapters.sql._tables import build_schema
from kamcore.adapters.sql._unit_of_work import SqlUnitOfWork, active_transaction
from kamcore.errors import ValidationError
from kamcore.kernel import Checks
from kamcore.ports import Clock, Notification, Notifier
from kamcore.serialization import from_json, to_json

__all__ = ["DispatchReport", "FailedDelivery", "OutboxDispatcher", "OutboxNotifier"]

#: Longest error text kept in ``outbox.last_error``.
_ERROR_CHARS = 2000


def _outbox() -> sa.Table:
    table = build_schema(SCHEMA_VERSION).outbox
    assert table is not None  # noqa: S101 - the current schema has the outbox
    return table


class OutboxNotifier:
    """A :class:`kamcore.ports.Notifier` that stores notifications in the outbox.

    Give it to a service together with the unit of work it wraps::

        run_renewal_scheduler(uow, OutboxNotifier(uow), clock)
        OutboxDispatcher(engine, email_notifier).dispatch()

    Args:
        uow: The unit of work whose transaction the notifications join.
    """

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow

    def send(self, notification: Notification, /) -> None:
        """Store ``notification`` in the calling thread's transaction.

        A key already in the outbox (delivered or not, or written earlier in
        this transaction) stores nothing: the notification is sent once.

        Raises:
            TransactionError: outside the unit of work's ``with`` block.
            ValidationError: if ``notification`` is not a Notification.
        """
        transaction = active_transaction(self.uow)
        checks = Checks("OutboxNotifier.send")
        checks.instance("notification", notification, Notification)
        checks.raise_if_any()
        insert_unless_present(
            transaction.writer(),
            _outbox(),
            {
                "key": notification.key,
                "kind": notification.kind,
                "recipient_kind": notification.recipient.kind.value,
                "recipient": notification.recipient.id,
                "document": to_json(notification),
                "attempts": 0,
            },
            "key",
        )


@attrs.frozen
class FailedDelivery:
    """A notification the dispatcher could not deliver; it stays pending.

    Attributes:
        key: The notification's key.
        attempts: Delivery attempts so far, this one included.
        error: What went wrong: the notifier's exception, or why the stored
            row could not be read back.
    """

    key: str
    attempts: int
    error: str


@attrs.frozen
class DispatchReport:
    """What one :meth:`OutboxDispatcher.dispatch` did.

    Attributes:
        delivered: The keys delivered, in outbox order.
        failed: The notifications that failed, in outbox order.
    """

    delivered: tuple[str, ...] = ()
    failed: tuple[FailedDelivery, ...] = ()


class OutboxDispatcher:
    """Delivers the outbox's pending notifications to a notifier, oldest first.

    Each notification is read back through kamcore's converter (a malformed row
    is reported, never delivered), handed to ``notifier``, then marked
    delivered with the clock's time. A notifier that raises leaves it pending,
    with its attempt count and error recorded, and the dispatcher goes on
    with the next one; :meth:`dispatch` tries each pending notification at
    most once per call. Run it after each commit, on a schedule, or both.

    On PostgreSQL each notification is locked while it is delivered
    (``FOR UPDATE SKIP LOCKED``), so several dispatchers may run at once and
    each notification goes to one of them. On SQLite, run one dispatcher per
    database: two at once may deliver a notification twice (still at least
    once, and receivers de-duplicate by key).

    Args:
        engine: The database holding the outbox.
        notifier: Where notifications are delivered.
        clock: Time-stamps deliveries; the system clock (UTC) if omitted.
    """

    def __init__(
        self, engine: sa.Engine, notifier: Notifier, *, clock: Clock | None = None
    ) -> None:
        self.engine = engine
        self.notifier = notifier
        self.clock: Clock = SystemClock(dt.UTC) if clock is None else clock
        self._lock = threading.Lock()

    def pending(self) -> list[Notification]:
        """The notifications not delivered yet, oldest first.

        Raises:
            ValidationError: if a stored notification is malformed.
        """
        outbox = _outbox()
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(outbox.c.key, outbox.c.document)
                .where(outbox.c.delivered_at.is_(None))
                .order_by(outbox.c.seq)
            ).all()
        return [_notification(row) for row in rows]

    def dispatch(self, *, limit: int | None = None) -> DispatchReport:
        """Deliver pending notifications, oldest first, each at most once per call.

        Args:
            limit: Stop after this many attempts (default: every pending one).

        Returns:
            The keys delivered and the deliveries that failed.
        """
        outbox = _outbox()
        delivered: list[str] = []
        failed: list[FailedDelivery] = []
        with self._lock, self.engine.connect() as connection:
            after = 0
            while limit is None or len(delivered) + len(failed) < limit:
                query = (
                    sa.select(outbox.c.seq)
                    .where(outbox.c.delivered_at.is_(None), outbox.c.seq > after)
                    .order_by(outbox.c.seq)
                    .limit(1)
                )
                seq = connection.execute(query).scalar_one_or_none()
                connection.rollback()
                if seq is None:
                    break
                after = seq
                outcome = self._deliver(connection, seq)
                if isinstance(outcome, FailedDelivery):
                    failed.append(outcome)
                elif outcome is not None:
                    delivered.append(outcome)
        return DispatchReport(tuple(delivered), tuple(failed))

    def _deliver(
        self, connection: sa.Connection, seq: int
    ) -> str | FailedDelivery | None:
        """Deliver row ``seq``; its key, a failure, or ``None`` if it is taken."""
        outbox = _outbox()
        row = connection.execute(
            sa.select(outbox.c.key, outbox.c.document, outbox.c.attempts)
            .where(outbox.c.seq == seq, outbox.c.delivered_at.is_(None))
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:  # delivered meanwhile, or being delivered elsewhere
            connection.rollback()
            return None
        try:
            self.notifier.send(_notification(row))
        except Exception as error:  # recorded and reported, never lost
            connection.rollback()
            return self._record_failure(connection, seq, row, error)
        begin_write(connection)
        connection.execute(
            sa.update(outbox)
            .where(outbox.c.seq == seq)
            .values(delivered_at=self.clock.now(), attempts=row.attempts + 1)
        )
        connection.commit()
        return str(row.key)

    def _record_failure(
        self, connection: sa.Connection, seq: int, row: Any, error: Exception
    ) -> FailedDelivery:
        outbox = _outbox()
        text = f"{type(error).__name__}: {error}"[:_ERROR_CHARS]
        begin_write(connection)
        connection.execute(
            sa.update(outbox)
            .where(outbox.c.seq == seq)
            .values(attempts=outbox.c.attempts + 1, last_error=text)
        )
        connection.commit()
        return FailedDelivery(key=str(row.key), attempts=row.attempts + 1, error=text)


def _notification(row: Any) -> Notification:
    """The notification stored in an outbox row, validated; its key must be the row's.

    Raises:
        ValidationError: if the row is malformed.
    """
    subject = f"Notification stored in outbox row {row.key!r}"
    try:
        notification = from_json(row.document, Notification)
    except ValidationError as error:
        raise ValidationError(subject, error.errors) from None
    if notification.key != row.key:
        raise ValidationError.single(
            subject, "$.key", f"is not the row's key {row.key!r}", notification.key
        )
    return notification
