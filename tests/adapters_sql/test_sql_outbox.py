"""The outbox: stored with the change that caused it, delivered at least once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sql_support import private_folder, sqlite_engine

from kamcore.adapters.clock import FixedClock
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.adapters.sql import (
    DispatchReport,
    FailedDelivery,
    OutboxDispatcher,
    OutboxNotifier,
    SqlUnitOfWork,
    upgrade,
)
from kamcore.errors import TransactionError, ValidationError
from kamcore.ports import Notification, Recipient, RecipientKind
from kamcore.testing._samples import client

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine() -> Iterator[sa.Engine]:
    with private_folder() as folder, sqlite_engine(folder) as engine:
        upgrade(engine)
        yield engine


@pytest.fixture
def uow(engine: sa.Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine)


def note(key: str, subject: str = "") -> Notification:
    return Notification(
        recipient=Recipient(kind=RecipientKind.MANAGER, id="m.rossi"),
        kind="renewal_alert",
        key=key,
        locale="de_DE",
        subject=subject or f"Vertrag {key} läuft aus",
        body="Zweizeilig\nund mit Ümlauten",
        payload={"contract": "k-1", "value": "120000.00 EUR"},
    )


class DownNotifier:
    """A notifier whose server is down."""

    def send(self, notification: Notification, /) -> None:
        raise ConnectionError(f"mail server down, {notification.key} not sent")


def stored(uow: SqlUnitOfWork, *notifications: Notification) -> None:
    outbox = OutboxNotifier(uow)
    with uow:
        for notification in notifications:
            outbox.send(notification)
        uow.commit()


def test_sending_outside_the_block_raises(uow: SqlUnitOfWork) -> None:
    with pytest.raises(TransactionError):
        OutboxNotifier(uow).send(note("n-1"))


def test_a_notification_is_stored_only_if_the_block_commits(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    outbox = OutboxNotifier(uow)
    with uow:
        uow.clients.add(client("c-1"))
        outbox.send(note("n-1"))
        uow.rollback()
        outbox.send(note("n-2"))
    with uow:
        outbox.send(note("n-3"))
        uow.commit()
    assert [n.key for n in OutboxDispatcher(engine, RecordingNotifier()).pending()] == [
        "n-3"
    ]


def test_dispatch_delivers_every_pending_notification_once_in_order(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    sent = [note("n-2"), note("n-1"), note("n-3")]
    stored(uow, *sent)
    received = RecordingNotifier()
    dispatcher = OutboxDispatcher(engine, received, clock=FixedClock(NOON))
    report = dispatcher.dispatch()
    assert report == DispatchReport(delivered=("n-2", "n-1", "n-3"))
    assert received.sent == sent
    assert dispatcher.dispatch() == DispatchReport()
    assert dispatcher.pending() == []
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT key, attempts, delivered_at FROM outbox ORDER BY seq")
        ).all()
    assert rows == [(key, 1, "2026-03-02 12:00:00.000000") for key in report.delivered]


def test_a_key_written_twice_is_stored_and_delivered_once(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stored(uow, note("n-1", "first"), note("n-1", "second in the same block"))
    stored(uow, note("n-1", "a re-run"))
    received = RecordingNotifier()
    OutboxDispatcher(engine, received).dispatch()
    stored(uow, note("n-1", "after delivery"))
    OutboxDispatcher(engine, received).dispatch()
    assert [n.subject for n in received.sent] == ["first"]


def test_a_failed_delivery_stays_pending_with_its_error(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stored(uow, note("n-1"), note("n-2"))
    down = OutboxDispatcher(engine, DownNotifier())
    first = down.dispatch()
    second = down.dispatch(limit=1)
    assert first.delivered == ()
    assert first.failed == (
        FailedDelivery("n-1", 1, "ConnectionError: mail server down, n-1 not sent"),
        FailedDelivery("n-2", 1, "ConnectionError: mail server down, n-2 not sent"),
    )
    assert [f.attempts for f in second.failed] == [2]
    received = RecordingNotifier()
    assert OutboxDispatcher(engine, received).dispatch().delivered == ("n-1", "n-2")
    with engine.connect() as connection:
        attempts = connection.execute(
            sa.text("SELECT attempts FROM outbox ORDER BY seq")
        ).all()
    assert attempts == [(3,), (2,)]


def test_a_malformed_row_is_reported_and_the_others_are_delivered(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stored(uow, note("n-1"), note("n-2"))
    with engine.connect() as connection:
        connection.execute(
            sa.text("UPDATE outbox SET document = '{\"key\": 5}' WHERE key = 'n-1'")
        )
        connection.commit()
    received = RecordingNotifier()
    dispatcher = OutboxDispatcher(engine, received)
    report = dispatcher.dispatch()
    assert report.delivered == ("n-2",)
    [failure] = report.failed
    assert failure.key == "n-1"
    assert failure.error.startswith(
        "ValidationError: invalid Notification stored in outbox row 'n-1'"
    )
    with pytest.raises(ValidationError):
        dispatcher.pending()


def test_a_row_whose_key_is_not_its_documents_is_not_delivered(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stored(uow, note("n-1"))
    with engine.connect() as connection:
        connection.execute(sa.text("UPDATE outbox SET key = 'n-9'"))
        connection.commit()
    received = RecordingNotifier()
    [failure] = OutboxDispatcher(engine, received).dispatch().failed
    assert "is not the row's key 'n-9' @ $.key" in failure.error
    assert received.sent == []


def test_a_limit_stops_the_dispatch(uow: SqlUnitOfWork, engine: sa.Engine) -> None:
    stored(uow, note("n-1"), note("n-2"), note("n-3"))
    dispatcher = OutboxDispatcher(engine, RecordingNotifier())
    assert dispatcher.dispatch(limit=2).delivered == ("n-1", "n-2")
    assert [n.key for n in dispatcher.pending()] == ["n-3"]


def test_only_notifications_are_accepted(uow: SqlUnitOfWork) -> None:
    with uow, pytest.raises(ValidationError) as caught:
        OutboxNotifier(uow).send("hello")  # type: ignore[arg-type] # the point
    assert caught.value.messages == ["expected Notification, got str @ notification"]


def test_the_dispatcher_uses_the_system_clock_by_default(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    stored(uow, note("n-1"))
    before = dt.datetime.now(dt.UTC)
    OutboxDispatcher(engine, RecordingNotifier()).dispatch()
    with engine.connect() as connection:
        [(delivered,)] = connection.execute(
            sa.text("SELECT delivered_at FROM outbox")
        ).all()
    assert dt.datetime.fromisoformat(delivered).replace(
        tzinfo=dt.UTC
    ) >= before.replace(microsecond=0)
