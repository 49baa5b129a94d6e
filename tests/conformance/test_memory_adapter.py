"""The conformance suites, run against kamcore's own adapters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kamcore.adapters.clock import FixedClock, SystemClock
from kamcore.adapters.ids import SequentialIdSource, UuidIdSource
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import LogNotifier, RecordingNotifier
from kamcore.ports import Clock, IdSource, Notifier, UnitOfWork
from kamcore.testing.conformance import (
    ClockConformance,
    IdSourceConformance,
    NotifierConformance,
    UnitOfWorkConformance,
)

# Fixed offsets rather than ZoneInfo: the suite must not depend on the host's
# timezone database.
PLUS_ONE = dt.timezone(dt.timedelta(hours=1), "CET")
MINUS_TEN = dt.timezone(dt.timedelta(hours=-10), "HST")


class TestInMemoryUnitOfWork(UnitOfWorkConformance):
    def make_unit_of_work_factory(self) -> Callable[[], UnitOfWork]:
        store = InMemoryStore()
        return lambda: InMemoryUnitOfWork(store)


class TestSystemClock(ClockConformance):
    timezone = PLUS_ONE

    def make_clock(self) -> Clock:
        return SystemClock(self.timezone)


class TestFixedClockAcrossMidnight(ClockConformance):
    timezone = MINUS_TEN

    def make_clock(self) -> Clock:
        return FixedClock(dt.datetime(2026, 1, 1, 5, 30, tzinfo=dt.UTC), self.timezone)


class TestUuidIdSource(IdSourceConformance):
    def make_id_source(self) -> IdSource:
        return UuidIdSource()


class TestSequentialIdSource(IdSourceConformance):
    def make_id_source(self) -> IdSource:
        return SequentialIdSource()


class TestRecordingNotifier(NotifierConformance):
    def make_notifier(self) -> Notifier:
        return RecordingNotifier()


class TestLogNotifier(NotifierConformance):
    def make_notifier(self) -> Notifier:
        return LogNotifier()
