"""Conformance for the small ports: clocks, id sources and notifiers."""

from __future__ import annotations

import abc
import datetime as dt
import threading
from typing import ClassVar

from kamcore.accounts import Client
from kamcore.kernel import ClientId, InvoiceId
from kamcore.ports import (
    Clock,
    IdSource,
    Notification,
    Notifier,
    Recipient,
    RecipientKind,
)
from kamcore.testing._harness import THREAD_TIMEOUT, run_threads

__all__ = ["ClockConformance", "IdSourceConformance", "NotifierConformance"]


class ClockConformance(abc.ABC):
    """What every :class:`~kamcore.ports.Clock` must do.

    Subclass it, implement :meth:`make_clock` and set :attr:`timezone` to the
    clock's business timezone::

        class TestSystemClock(ClockConformance):
            timezone = ZoneInfo("Europe/Paris")

            def make_clock(self) -> Clock:
                return SystemClock(self.timezone)
    """

    #: The business timezone of the clocks :meth:`make_clock` returns.
    timezone: ClassVar[dt.tzinfo] = dt.UTC

    @abc.abstractmethod
    def make_clock(self) -> Clock:
        """Return the clock under test, in :attr:`timezone`."""

    def test_now_is_timezone_aware(self) -> None:
        now = self.make_clock().now()
        assert type(now) is dt.datetime
        assert now.utcoffset() is not None

    def test_today_is_a_date_not_a_datetime(self) -> None:
        assert type(self.make_clock().today()) is dt.date

    def test_today_is_the_date_of_now_in_the_business_timezone(self) -> None:
        clock = self.make_clock()
        before = clock.now()
        today = clock.today()
        after = clock.now()
        # A running clock may pass midnight between the calls: then today is
        # the date of one of the two instants around it.
        dates = {moment.astimezone(self.timezone).date() for moment in (before, after)}
        assert today in dates


class IdSourceConformance(abc.ABC):
    """What every :class:`~kamcore.ports.IdSource` must do.

    Subclass it and implement :meth:`make_id_source`::

        class TestUuidIdSource(IdSourceConformance):
            def make_id_source(self) -> IdSource:
                return UuidIdSource()
    """

    @abc.abstractmethod
    def make_id_source(self) -> IdSource:
        """Return a fresh id source."""

    def test_a_thousand_ids_are_unique(self) -> None:
        source = self.make_id_source()
        made = [source.new_id(ClientId) for _ in range(1000)]
        assert len(set(made)) == 1000

    def test_ids_are_never_repeated_across_kinds(self) -> None:
        source = self.make_id_source()
        made = [
            source.new_id(kind) for _ in range(500) for kind in (ClientId, InvoiceId)
        ]
        assert len(set(made)) == 1000

    def test_an_id_is_built_by_its_kind(self) -> None:
        built: list[str] = []

        def kind(raw: str) -> str:
            built.append(raw)
            return raw

        made = self.make_id_source().new_id(kind)
        assert built == [made]

    def test_an_id_is_a_non_blank_string_an_entity_accepts(self) -> None:
        made = self.make_id_source().new_id(ClientId)
        assert type(made) is str
        assert made.strip() == made != ""
        assert Client(id=made, name="Acme", currency="EUR", locale="en").id == made

    def test_ids_made_in_several_threads_are_unique(self) -> None:
        source = self.make_id_source()
        barrier = threading.Barrier(8, timeout=THREAD_TIMEOUT)

        def make_many() -> list[ClientId]:
            barrier.wait()
            return [source.new_id(ClientId) for _ in range(250)]

        batches = run_threads([make_many] * 8)
        made = [
            made_id for batch in batches if isinstance(batch, list) for made_id in batch
        ]
        assert len(made) == 2000
        assert len(set(made)) == 2000


def _notification(
    key: str, kind: RecipientKind = RecipientKind.MANAGER
) -> Notification:
    return Notification(
        recipient=Recipient(kind=kind, id="r-1"),
        kind="renewal_alert",
        key=key,
        locale="de_DE",
        subject="Vertrag K-17 endet in 60 Tagen",
        body="Verlängerung bis 31.12.2026 vorbereiten: 12.345,67 €",
        payload={"contract": "K-17", "ends_on": "2026-12-31"},
    )


class NotifierConformance(abc.ABC):
    """What every :class:`~kamcore.ports.Notifier` must do.

    Subclass it and implement :meth:`make_notifier`::

        class TestLogNotifier(NotifierConformance):
            def make_notifier(self) -> Notifier:
                return LogNotifier()
    """

    @abc.abstractmethod
    def make_notifier(self) -> Notifier:
        """Return the notifier under test, ready to send."""

    def test_send_accepts_a_notification_to_a_manager(self) -> None:
        self.make_notifier().send(_notification("renewal_alert:K-17"))

    def test_send_accepts_a_notification_to_a_client(self) -> None:
        self.make_notifier().send(
            _notification("renewal_alert:K-17", RecipientKind.CLIENT)
        )

    def test_sending_the_same_key_twice_is_allowed(self) -> None:
        notifier = self.make_notifier()
        notifier.send(_notification("renewal_alert:K-17"))
        notifier.send(_notification("renewal_alert:K-17"))
