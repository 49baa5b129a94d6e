"""Anchored calendar arithmetic (SPEC §1).

Terms are computed from the *original* start date, never by adding a month to the
previous result: repeated addition drifts at month ends (Jan 31 -> Feb 28 ->
Mar 28), anchoring does not (Jan 31 -> Feb 28 -> Mar 31).
"""

from __future__ import annotations

import datetime as dt

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.errors import ValidationError
from kamcore.kernel._checks import Checks
from kamcore.kernel._numbers import is_int

__all__ = [
    "NON_TERM_FIELDS",
    "TERM_FIELDS",
    "DateRange",
    "add_months",
    "term_end",
    "term_start",
    "validate_term",
]

TERM_FIELDS = ("years", "months", "days")
"""The ``relativedelta`` parts a term is counted in (weeks are stored as days)."""

_FORBIDDEN = ("hours", "minutes", "seconds", "microseconds", "leapdays")
_ABSOLUTE = (
    "year",
    "month",
    "day",
    "weekday",
    "hour",
    "minute",
    "second",
    "microsecond",
)
NON_TERM_FIELDS = _FORBIDDEN + _ABSOLUTE
"""Every other ``relativedelta`` part: time of day, leap days, absolute fields."""


def validate_term(term: relativedelta, *, subject: str = "term") -> relativedelta:
    """Return ``term`` if it is a usable contract term, else raise.

    A term is a positive calendar length in years, months, weeks and days.
    Absolute fields (``month=2``), weekdays and time-of-day parts are refused
    because they do not describe a length.

    Raises:
        ValidationError: naming every offending part.
    """
    if not isinstance(term, relativedelta):
        raise ValidationError.single(
            subject,
            "term",
            f"expected a relativedelta, got {type(term).__name__}",
            term,
        )
    if _plain_length(term):
        # The common case, checked without building a report: terms are
        # validated on every anchored date computed.
        return term
    checks = Checks(subject)
    for name in _ABSOLUTE:
        value = getattr(term, name)
        checks.require(
            value is None, f"term.{name}", "absolute fields are not a length", value
        )
    for name in _FORBIDDEN:
        value = getattr(term, name)
        checks.require(
            not value, f"term.{name}", "a term is counted in whole days or more", value
        )
    for name in TERM_FIELDS:
        value = getattr(term, name)
        checks.require(value >= 0, f"term.{name}", "must not be negative", value)
    checks.require(
        any(getattr(term, name) for name in TERM_FIELDS),
        "term",
        "must be longer than zero",
        term,
    )
    checks.raise_if_any()
    return term


def _plain_length(term: relativedelta) -> bool:
    """Whether ``term`` is a positive length in years, months and days only."""
    # Spelled out rather than looped over _ABSOLUTE and _FORBIDDEN: this runs
    # for every anchored date computed.
    return (
        term.year is None
        and term.month is None
        and term.day is None
        and term.weekday is None
        and term.hour is None
        and term.minute is None
        and term.second is None
        and term.microsecond is None
        and not (term.hours or term.minutes or term.seconds or term.microseconds)
        and not term.leapdays
        and term.years >= 0
        and term.months >= 0
        and term.days >= 0
        and bool(term.years or term.months or term.days)
    )


def _positive_count(n: object, name: str) -> None:
    if not is_int(n) or n < 1:
        raise ValidationError.single("term", name, "must be an integer >= 1", n)


def _shift(anchor: dt.date, offset: relativedelta) -> dt.date:
    """``anchor + offset``, with an out-of-calendar result reported, not crashed."""
    try:
        return anchor + offset
    except (ValueError, OverflowError):
        raise ValidationError.single(
            "term",
            "term",
            f"{anchor} + {offset} falls outside the calendar (years 1 to 9999)",
            offset,
        ) from None


def _advance(start: dt.date, term: relativedelta, count: int, back: int = 0) -> dt.date:
    """``start + count * term - back days``, reported if it leaves the calendar.

    A term of whole days (and weeks) adds as a ``timedelta``: the same date
    as the ``relativedelta`` arithmetic, at a fraction of its cost, which a
    long catch-up of daily terms pays thousands of times.
    """
    if term.years or term.months:
        offset = term * count
        return _shift(start, offset - relativedelta(days=back) if back else offset)
    days = term.days * count - back
    try:
        return start + dt.timedelta(days=days)
    except OverflowError:
        raise ValidationError.single(
            "term",
            "term",
            f"{start} + {days} days falls outside the calendar (years 1 to 9999)",
            term,
        ) from None


def add_months(anchor: dt.date, months: object) -> dt.date:
    """``anchor`` plus ``months`` calendar months, clamped to the month's last day.

    Always pass the original anchor date, not a previous result:
    ``add_months(date(2024, 1, 31), 2)`` is 2024-03-31.
    """
    if not is_int(months):
        raise ValidationError.single(
            "add_months", "months", "must be an integer", months
        )
    return _shift(anchor, relativedelta(months=months))


def term_start(start: dt.date, term: relativedelta, n: int = 1) -> dt.date:
    """First day of term ``n`` (1-based) of an agreement that began on ``start``."""
    validate_term(term)
    _positive_count(n, "n")
    return _advance(start, term, n - 1)


def term_end(start: dt.date, term: relativedelta, n: int = 1) -> dt.date:
    """Last day (inclusive) of term ``n``: ``start + n * term - 1 day``.

    Example:
        >>> term_end(dt.date(2024, 2, 29), relativedelta(years=1), 4)
        datetime.date(2028, 2, 28)
        >>> term_start(dt.date(2024, 2, 29), relativedelta(years=1), 5)
        datetime.date(2028, 2, 29)
    """
    validate_term(term)
    _positive_count(n, "n")
    return _advance(start, term, n, back=1)


@attrs.frozen
class DateRange:
    """An inclusive range of business dates; either end may be open (``None``).

    Example:
        >>> january = DateRange(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
        >>> january.contains(dt.date(2026, 1, 31))
        True
    """

    start: dt.date | None = None
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("DateRange")
        checks.window("start", self.start, "end", self.end)
        checks.raise_if_any()

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the range, both ends included."""
        return (self.start is None or self.start <= day) and (
            self.end is None or day <= self.end
        )

    def overlaps(self, other: DateRange) -> bool:
        """Whether the two ranges share at least one day."""
        starts_before_other_ends = (
            self.start is None or other.end is None or self.start <= other.end
        )
        ends_after_other_starts = (
            self.end is None or other.start is None or other.start <= self.end
        )
        return starts_before_other_ends and ends_after_other_starts

    @property
    def days(self) -> int | None:
        """Number of days in the range, ends included; ``None`` when open."""
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1
