"""Reports read for people: clients by name when names are given, and one
day, one account, one alert in the singular."""

from __future__ import annotations

import datetime as dt

from sample_portfolio import AS_OF, build_state, group

from kamcore.kernel import DateRange
from kamcore.metrics import days_to_first_action, expiring_contracts, retention_rate


def test_one_day_left_and_one_day_in_grace_are_singular() -> None:
    state, selection = build_state(), group()
    soon = expiring_contracts(state, selection, as_of=dt.date(2027, 1, 9))
    assert soon.report("en_GB", selection.names).splitlines()[2] == (
        "  k-euro Supply euro (Euro): ends 10 Jan 2027, in 1 day, US$12,000.00"
    )
    late = expiring_contracts(state, selection, as_of=dt.date(2026, 11, 1))
    assert late.report("en_GB", selection.names).splitlines() == [
        "Contracts expiring within 60 days: 1",
        "  k-dyna Supply dyna (Dyna): ends 31 Oct 2026, 1 day ago, in grace, "
        "€12,000.00",
    ]


def test_without_names_the_report_shows_ids() -> None:
    late = expiring_contracts(build_state(), group(), as_of=dt.date(2026, 11, 1))
    assert (
        late.report("en_GB").splitlines()[1].startswith("  k-dyna Supply dyna (dyna): ")
    )


def test_alerts_waiting_are_named_by_client() -> None:
    selection = group()
    period = DateRange(dt.date(2024, 1, 1), AS_OF)
    result = days_to_first_action(build_state(), selection, period=period, as_of=AS_OF)
    assert result.report("en_GB", selection.names).splitlines() == [
        "Days to first action on renewal alerts, 1 Jan 2024 to 16 Nov 2026 "
        "(as of 16 Nov 2026): mean 4, median 3 over 5 alerts",
        "Still without action: 2",
        "  k-dyna (Dyna): renewal alert for the term ending 31 Oct 2026, raised "
        "1 Sept 2026, 76 days without action",
        "  k-euro (Euro): renewal alert for the term ending 10 Jan 2027, raised "
        "10 Nov 2026, 6 days without action",
    ]


def test_one_account_renewed_is_singular() -> None:
    period = DateRange(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    result = retention_rate(build_state(), group(), period=period, as_of=AS_OF)
    assert result.report("en_GB") == (
        "Account retention rate, 1 Jan 2026 to 31 Mar 2026 (as of 16 Nov 2026): "
        "100% (1 of 1 account renewed)"
    )
