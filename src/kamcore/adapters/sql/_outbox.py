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

The outbox also holds events for services (recipient kind
:attr:`~kamcore.ports.RecipientKind.SERVICE`, such as the pricing change events
of :class:`~kamcore.adapters.sql.PricingChange`). A dispatcher delivers only
people's notifications unless it is given ``recipients=``, so a mail notifier
never receives an event meant for a program.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from typing import Any

import attrs
import sqlalchemy as sa

from kamcore.adapters.clock import SystemClock
from kamcore.adapters.sql._engine import begin_write, insert_unless_present
from kamcore.adapters.sql._outbox_rows import notification_of, outbox_row, outbox_table
from kamcore.adapters.sql._unit_of_work import SqlUnitOfWork, active_transaction
from kamcore.errors import ValidationError
from kamcore.kernel import Checks
from kamcore.ports import Clock, Notification, Notifier, RecipientKind

__all__ = ["DispatchReport", "FailedDelivery", "OutboxDispatcher", "OutboxNotifier"]

#: Longest error text kept in ``outbox.last_error``.
_ERROR_CHARS = 2000


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
            transaction.writer(), outbox_table(), outbox_row(notification), "key"
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

    A dispatcher handles the notifications of the recipient kinds and
    notification kinds it is given, and leaves the others pending for the
    dispatchers that handle them: by default, every notification for a
    person (a manager or a client contact) and none for a service.

    Args:
        engine: The database holding the outbox.
        notifier: Where notifications are delivered.
        clock: Time-stamps deliveries; the system clock (UTC) if omitted.
        recipients: The recipient kinds handled; default: the people's
            (:attr:`RecipientKind.is_person <kamcore.ports.RecipientKind.is_person>`).
        kinds: The notification kinds handled (``{"pricing_change"}``);
            default: every kind.

            .. versionadded:: Unreleased ``recipients`` and ``kinds``

    Raises:
        ValidationError: if ``recipients`` holds something other than a
            recipient kind, or ``kinds`` something other than a text, or
            either is empty (nothing would ever be delivered).
    """

    def __init__(
        self,
        engine: sa.Engine,
        notifier: Notifier,
        *,
        clock: Clock | None = None,
        recipients: Iterable[RecipientKind] | None = None,
        kinds: Iterable[str] | None = None,
    ) -> None:
        self.engine = engine
        self.notifier = notifier
        self.clock: Clock = SystemClock(dt.UTC) if clock is None else clock
        self.recipients: frozenset[RecipientKind] = _recipients(recipients)
        self.kinds: frozenset[str] | None = _kinds(kinds)
        self._lock = threading.Lock()

    def _handled(self) -> list[sa.ColumnElement[bool]]:
        """The conditions on the rows this dispatcher handles."""
        outbox = outbox_table()
        handled: list[sa.ColumnElement[bool]] = [
            outbox.c.recipient_kind.in_(sorted(k.value for k in self.recipients))
        ]
        if self.kinds is not None:
            handled.append(outbox.c.kind.in_(sorted(self.kinds)))
        return handled

    def pending(self) -> list[Notification]:
        """The notifications not delivered yet, oldest first.

        Raises:
            ValidationError: if a stored notification is malformed.
        """
        outbox = outbox_table()
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(outbox.c.key, outbox.c.document)
                .where(outbox.c.delivered_at.is_(None), *self._handled())
                .order_by(outbox.c.seq)
            ).all()
        return [notification_of(row) for row in rows]

    def dispatch(self, *, limit: int | None = None) -> DispatchReport:
        """Deliver pending notifications, oldest first, each at most once per call.

        Args:
            limit: Stop after this many attempts (default: every pending one).

        Returns:
            The keys delivered and the deliveries that failed.
        """
        outbox = outbox_table()
        handled = self._handled()
        delivered: list[str] = []
        failed: list[FailedDelivery] = []
        with self._lock, self.engine.connect() as connection:
            after = 0
            while limit is None or len(delivered) + len(failed) < limit:
                query = (
                    sa.select(outbox.c.seq)
                    .where(
                        outbox.c.delivered_at.is_(None),
                        outbox.c.seq > after,
                        *handled,
                    )
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
        outbox = outbox_table()
        row = connection.execute(
            sa.select(outbox.c.key, outbox.c.document, outbox.c.attempts)
            .where(outbox.c.seq == seq, outbox.c.delivered_at.is_(None))
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:  # delivered meanwhile, or being delivered elsewhere
            connection.rollback()
            return None
        try:
            self.notifier.send(notification_of(row))
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
        outbox = outbox_table()
        text = f"{type(error).__name__}: {error}"[:_ERROR_CHARS]
        begin_write(connection)
        connection.execute(
            sa.update(outbox)
            .where(outbox.c.seq == seq)
            .values(attempts=outbox.c.attempts + 1, last_error=text)
        )
        connection.commit()
        return FailedDelivery(key=str(row.key), attempts=row.attempts + 1, error=text)


def _recipients(given: Iterable[RecipientKind] | None) -> frozenset[RecipientKind]:
    if given is None:
        return frozenset(kind for kind in RecipientKind if kind.is_person)
    chosen = tuple(given)
    checks = Checks("OutboxDispatcher")
    checks.each("recipients", chosen, RecipientKind)
    checks.require(bool(chosen), "recipients", "needs at least one kind", chosen)
    checks.raise_if_any()
    return frozenset(chosen)


def _kinds(given: Iterable[str] | None) -> frozenset[str] | None:
    if given is None:
        return None
    if isinstance(given, str):
        raise ValidationError.single(
            "OutboxDispatcher", "kinds", "expected a collection of kinds", given
        )
    chosen = tuple(given)
    checks = Checks("OutboxDispatcher")
    checks.each("kinds", chosen, str, checks.text)
    checks.require(bool(chosen), "kinds", "needs at least one kind", chosen)
    checks.raise_if_any()
    return frozenset(chosen)
