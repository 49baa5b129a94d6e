"""A long catch-up stays linear, and the day counts it works with are bounded."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

from kamcore.contracts import Contract, TermEndOutcome, alerts_due, process_term_ends
from kamcore.errors import ValidationError
from kamcore.testing._contract_samples import active_contract

AT = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
DAILY = relativedelta(days=1)


def daily_since(start: dt.date) -> Contract:
    return active_contract(start=start, term=DAILY, auto_renew=True)


def test_a_catch_up_builds_the_contract_once_however_many_terms_it_covers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each contract built checks its whole history, so building one per term
    # caught up is what made a long catch-up quadratic.
    built = itertools.count()
    checked = Contract.__attrs_post_init__

    def counting(self: Contract) -> None:
        next(built)
        checked(self)

    monkeypatch.setattr(Contract, "__attrs_post_init__", counting)
    contract = daily_since(dt.date(2026, 1, 1))
    before = next(built)
    _, events = process_term_ends(contract, as_of=dt.date(2026, 12, 7), at=AT)
    assert len(events) == 340
    assert next(built) - before == 2  # one contract built, then this count


def test_a_daily_term_since_2000_renews_once_per_day_in_one_version_each() -> None:
    renewed, events = process_term_ends(
        daily_since(dt.date(2000, 1, 1)), as_of=dt.date(2026, 12, 7), at=AT
    )
    days = (dt.date(2026, 12, 7) - dt.date(2000, 1, 1)).days
    assert len(events) == days == 9837
    assert {e.outcome for e in events} == {TermEndOutcome.RENEWED}
    assert (len(renewed.versions), len(renewed.history)) == (days + 1, days + 1)
    assert (renewed.current.term_start, renewed.current.term_end) == (
        dt.date(2026, 12, 7),
        dt.date(2026, 12, 7),
    )


# -- bounded day counts: at most ten years (3,660 days) --------------------------


@pytest.mark.parametrize("field", ["grace_days", "renewal_lead_days"])
def test_a_contract_day_count_above_3660_is_refused(field: str) -> None:
    terms: dict[str, Any] = {field: 3661}
    with pytest.raises(ValidationError) as raised:
        active_contract(**terms)
    [error] = raised.value.errors
    assert (error.path, error.value, error.message) == (
        field,
        3661,
        "expected an integer from 0 to 3660",
    )


@pytest.mark.parametrize("field", ["grace_days", "renewal_lead_days"])
def test_a_contract_day_count_of_3660_is_accepted(field: str) -> None:
    terms: dict[str, Any] = {field: 3660}
    contract = active_contract(**terms)
    assert getattr(contract.current, field) == 3660


def test_a_notice_period_longer_than_ten_years_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        active_contract(auto_renew=True, notice_period=relativedelta(years=10, days=1))
    [error] = raised.value.errors
    assert (error.path, error.value) == (
        "notice_period",
        relativedelta(years=10, days=1),
    )
    assert error.message == (
        "must be at most ten years (3660 days, a year counted as 366 days "
        "and a month as 31)"
    )


def test_a_notice_period_of_ten_years_is_accepted() -> None:
    contract = active_contract(auto_renew=True, notice_period=relativedelta(years=10))
    assert contract.current.notice_deadline == dt.date(2016, 12, 31)


def test_a_portfolio_lead_time_above_3660_days_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        alerts_due(active_contract(), as_of=dt.date(2026, 12, 1), lead_days=3661)
    [error] = raised.value.errors
    assert (error.path, error.value) == ("lead_days", 3661)
