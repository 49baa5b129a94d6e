"""Anchored calendar arithmetic and date ranges."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from kamcore.errors import ValidationError
from kamcore.kernel import DateRange, add_months, term_end, term_start, validate_term

YEAR = relativedelta(years=1)
MONTH = relativedelta(months=1)


def test_monthly_terms_from_jan_31_do_not_drift() -> None:
    start = dt.date(2025, 1, 31)
    assert [term_start(start, MONTH, n) for n in range(1, 5)] == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
        dt.date(2025, 4, 30),
    ]
    assert term_end(start, MONTH, 1) == dt.date(2025, 2, 27)
    assert term_end(start, MONTH, 2) == dt.date(2025, 3, 30)


def test_yearly_terms_from_feb_29_return_to_feb_29_in_leap_years() -> None:
    start = dt.date(2024, 2, 29)
    assert term_end(start, YEAR, 1) == dt.date(2025, 2, 27)
    assert term_start(start, YEAR, 2) == dt.date(2025, 2, 28)
    assert term_start(start, YEAR, 5) == dt.date(2028, 2, 29)
    assert term_end(start, YEAR, 4) == dt.date(2028, 2, 28)


def test_twelve_month_term_ends_the_day_before_the_anniversary() -> None:
    assert term_end(dt.date(2026, 3, 1), relativedelta(months=12)) == dt.date(
        2027, 2, 28
    )


def test_add_months_is_anchored_and_clamped() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 1, 31), 2) == dt.date(2024, 3, 31)
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)


def test_add_months_refuses_non_integers() -> None:
    with pytest.raises(ValidationError):
        add_months(dt.date(2024, 1, 31), 1.0)


@pytest.mark.parametrize("n", [0, -1, True])
def test_term_number_must_be_a_positive_integer(n: int) -> None:
    with pytest.raises(ValidationError) as caught:
        term_end(dt.date(2024, 1, 1), YEAR, n)
    assert caught.value.errors[0].path == "n"


def test_validate_term_accepts_a_mixed_positive_length() -> None:
    term = relativedelta(years=1, months=6, days=3)
    assert validate_term(term) is term


@pytest.mark.parametrize(
    ("term", "path"),
    [
        (relativedelta(), "term"),
        (relativedelta(months=-1), "term.months"),
        (relativedelta(month=2), "term.month"),
        (relativedelta(hours=5, days=1), "term.hours"),
    ],
)
def test_validate_term_refuses_what_is_not_a_length(
    term: relativedelta, path: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_term(term)
    assert path in [e.path for e in caught.value.errors]


def test_validate_term_refuses_a_timedelta() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_term(dt.timedelta(days=30))  # type: ignore[arg-type]  # under test
    assert caught.value.messages == ["expected a relativedelta, got timedelta @ term"]


def test_date_range_is_inclusive_at_both_ends() -> None:
    january = DateRange(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert january.contains(dt.date(2026, 1, 1))
    assert january.contains(dt.date(2026, 1, 31))
    assert not january.contains(dt.date(2025, 12, 31))
    assert not january.contains(dt.date(2026, 2, 1))
    assert january.days == 31


def test_open_ended_ranges() -> None:
    since = DateRange(start=dt.date(2026, 1, 1))
    assert since.contains(dt.date(2999, 1, 1))
    assert not since.contains(dt.date(2025, 12, 31))
    assert since.days is None
    assert DateRange().contains(dt.date(1900, 1, 1))


def test_overlap_includes_a_shared_single_day() -> None:
    a = DateRange(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert a.overlaps(DateRange(dt.date(2026, 1, 31), dt.date(2026, 2, 28)))
    assert not a.overlaps(DateRange(dt.date(2026, 2, 1), None))
    assert a.overlaps(DateRange(None, dt.date(2026, 1, 1)))
    assert not a.overlaps(DateRange(None, dt.date(2025, 12, 31)))


def test_range_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        DateRange(dt.date(2026, 2, 1), dt.date(2026, 1, 31))
    assert caught.value.messages == ["ends before it starts (2026-02-01) @ end"]


def test_range_refuses_datetimes() -> None:
    with pytest.raises(ValidationError) as caught:
        DateRange(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), None)
    assert caught.value.messages == ["expected a date, got a datetime @ start"]


def test_terms_that_leave_the_calendar_are_a_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        term_end(dt.date(2024, 1, 1), relativedelta(years=10**6))
    assert "falls outside the calendar" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        term_start(dt.date(2024, 1, 1), relativedelta(days=10**10), 2)
    with pytest.raises(ValidationError):
        add_months(dt.date(2024, 1, 1), 10**6)
