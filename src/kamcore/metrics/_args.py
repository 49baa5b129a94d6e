"""Argument checks shared by the metric functions (every error names its field)."""

from __future__ import annotations

import datetime as dt

from kamcore.errors import ValidationError
from kamcore.kernel import DateRange

__all__ = ["check_count", "check_date", "check_period"]


def check_date(value: object, *, subject: str, path: str = "as_of") -> dt.date:
    """``value`` if it is a date (a datetime is not a business date)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError.single(subject, path, "expected a date", value)
    return value


def check_count(value: object, *, subject: str, path: str, minimum: int) -> int:
    """``value`` if it is an integer (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError.single(
            subject, path, f"must be an integer >= {minimum}", value
        )
    return value


def check_period(period: object, *, subject: str) -> tuple[dt.date, dt.date]:
    """The first and last day of ``period``, a :class:`DateRange` with both ends."""
    if not isinstance(period, DateRange) or period.start is None or period.end is None:
        raise ValidationError.single(
            subject, "period", "expected a DateRange with both ends", period
        )
    return period.start, period.end
