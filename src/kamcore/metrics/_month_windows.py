"""Pairs of month windows to compare: H1 against H1, a quarter against the
one before, a month against the same month a year earlier.

A window is given as ``(first, last)``, two dates naming its first and last
month (any day of a month names it), and becomes a ``range`` of month keys.
"""

from __future__ import annotations

import datetime as dt

from kamcore.errors import ValidationError
from kamcore.metrics._months import month_key, month_label
from kamcore.metrics._state import PortfolioState
from kamcore.metrics._sums import INVOICED

__all__ = ["MonthWindow", "compared_windows", "window_text"]

MonthWindow = tuple[dt.date, dt.date]
"""``(first, last)``: the first and the last month of a window, as dates."""


def window_text(months: range) -> str:
    """``"2026-01..2026-06"`` for a window of month keys."""
    return f"{month_label(months[0])}..{month_label(months[-1])}"


def _window(value: object, *, subject: str, path: str) -> range:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(
            isinstance(day, dt.date) and not isinstance(day, dt.datetime)
            for day in value
        )
    ):
        raise ValidationError.single(
            subject, path, "expected a (first, last) pair of dates", value
        )
    first, last = month_key(value[0]), month_key(value[1])
    if last < first:
        raise ValidationError.single(
            subject, path, "its last month is before its first", value
        )
    return range(first, last + 1)


def _first_invoiced_month(state: PortfolioState) -> int | None:
    return state._sums.first_month(INVOICED)  # the package's own state


def compared_windows(
    state: PortfolioState,
    current: object,
    previous: object,
    *,
    as_of: dt.date,
    subject: str,
) -> tuple[range, range]:
    """``current`` and ``previous`` as ranges of month keys, checked.

    Raises:
        ValidationError: a window is not a ``(first, last)`` pair of dates or
            ends before it starts; the two differ in length; ``previous`` does
            not end before ``current`` starts; a window reaches past the last
            complete month before ``as_of`` or starts before the state's first
            invoiced month. The error names the argument and its value.
    """
    now = _window(current, subject=subject, path="current")
    before = _window(previous, subject=subject, path="previous")
    if len(before) != len(now):
        raise ValidationError.single(
            subject,
            "previous",
            f"must be as long as current ({len(now)} months, not {len(before)})",
            previous,
        )
    if before.stop > now.start:
        raise ValidationError.single(
            subject,
            "previous",
            f"must end before current starts ({month_label(now.start)})",
            previous,
        )
    last_complete = month_key(as_of) - 1
    if now.stop - 1 > last_complete:
        raise ValidationError.single(
            subject,
            "current",
            f"reaches past the last complete month as of {as_of.isoformat()} "
            f"({month_label(last_complete)})",
            current,
        )
    first_data = _first_invoiced_month(state)
    if first_data is None:
        raise ValidationError.single(
            subject, "previous", "the state holds no invoiced month", previous
        )
    if before.start < first_data:
        raise ValidationError.single(
            subject,
            "previous",
            f"starts before the state's first invoiced month "
            f"({month_label(first_data)})",
            previous,
        )
    return now, before
