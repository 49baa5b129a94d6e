"""Clocks: the system clock for production and a settable one for tests.

Both implement :class:`kamcore.ports.Clock`. This is the only module in kamcore
that reads the system time.
"""

from __future__ import annotations

import datetime as dt
import threading

from kamcore.kernel import Checks

__all__ = ["FixedClock", "SystemClock"]


def _check_timezone(subject: str, timezone: object) -> None:
    checks = Checks(subject)
    checks.instance("timezone", timezone, dt.tzinfo)
    checks.raise_if_any()


def _check_instant(subject: str, instant: object) -> None:
    checks = Checks(subject)
    checks.instant("instant", instant)
    checks.raise_if_any()


class SystemClock:
    """The real time, with business dates in ``timezone``.

    Args:
        timezone: The business's timezone: ``today()`` is the date there.

    Raises:
        ValidationError: if ``timezone`` is not a ``tzinfo``.

    Example:
        >>> clock = SystemClock(dt.timezone.utc)
        >>> clock.now().tzinfo is dt.timezone.utc
        True
    """

    def __init__(self, timezone: dt.tzinfo) -> None:
        _check_timezone("SystemClock", timezone)
        self.timezone = timezone

    def now(self) -> dt.datetime:
        """The current instant, in the business timezone."""
        return dt.datetime.now(self.timezone)

    def today(self) -> dt.date:
        """Today's date in the business timezone."""
        return self.now().date()


class FixedClock:
    """A clock that only moves when told to: reproducible tests and "as of" runs.

    Args:
        instant: The current instant; must be timezone-aware.
        timezone: The business's timezone: ``today()`` is the date there.

    Raises:
        ValidationError: for a naive ``instant`` or a ``timezone`` that is not a
            ``tzinfo``.

    Example:
        >>> from zoneinfo import ZoneInfo
        >>> late = dt.datetime(2026, 1, 1, 23, 30, tzinfo=dt.UTC)
        >>> FixedClock(late, timezone=ZoneInfo("Europe/Paris")).today()
        datetime.date(2026, 1, 2)
    """

    def __init__(self, instant: dt.datetime, timezone: dt.tzinfo = dt.UTC) -> None:
        _check_instant("FixedClock", instant)
        _check_timezone("FixedClock", timezone)
        self.timezone = timezone
        self._instant = instant
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        """The instant the clock is set to, as it was given."""
        with self._lock:
            return self._instant

    def today(self) -> dt.date:
        """The date of :meth:`now` in the business timezone."""
        return self.now().astimezone(self.timezone).date()

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock by ``delta`` (backwards if negative).

        Raises:
            ValidationError: if ``delta`` is not a ``timedelta``.
        """
        checks = Checks("FixedClock.advance")
        checks.instance("delta", delta, dt.timedelta)
        checks.raise_if_any()
        with self._lock:
            self._instant += delta

    def set(self, instant: dt.datetime) -> None:
        """Set the clock to ``instant``.

        Raises:
            ValidationError: if ``instant`` is naive.
        """
        _check_instant("FixedClock.set", instant)
        with self._lock:
            self._instant = instant
