"""Days to first action on the alerts of every kind: a late alert is a renewal
alert that came late, so it counts, and the report says what each alert is
(its kind and its term) rather than printing its ledger key."""

from __future__ import annotations

import datetime as dt

import attrs
from sample_portfolio import AS_OF, alert, contract, group

from kamcore.contracts import AlertKind, RenewalAlert
from kamcore.kernel import DateRange
from kamcore.metrics import PortfolioState, days_to_first_action

YEAR_2026 = DateRange(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
ACME = contract("k-acme", "acme", dt.date(2025, 11, 1))  # first term ends 2026-10-31


def reaction(*alerts: RenewalAlert) -> list[str]:
    state = PortfolioState()
    for item in alerts:
        state.add_alert(item)
    result = days_to_first_action(state, group(), period=YEAR_2026, as_of=AS_OF)
    return result.report("en_GB").splitlines()[1:]


def test_a_late_alert_counts_in_days_to_first_action() -> None:
    state = PortfolioState()
    state.add_alert(
        alert(ACME, dt.date(2026, 11, 2), dt.date(2026, 11, 6), kind=AlertKind.LATE)
    )
    result = days_to_first_action(state, group(), period=YEAR_2026, as_of=AS_OF)
    assert [(a.kind, a.days) for a in result.alerts] == [(AlertKind.LATE, 4)]
    assert (result.numerator, result.denominator) == (4, 1)


def test_an_open_renewal_alert_is_reported_by_its_kind_and_term() -> None:
    assert reaction(alert(ACME, dt.date(2026, 9, 1))) == [
        "Still without action: 1",
        "  k-acme (acme): renewal alert for the term ending 31 Oct 2026, "
        "raised 1 Sept 2026, 76 days without action",
    ]


def test_an_open_late_alert_says_the_term_ended_unannounced() -> None:
    late = alert(ACME, dt.date(2026, 11, 2), kind=AlertKind.LATE)
    assert reaction(late)[1] == (
        "  k-acme (acme): late alert for the term that ended 31 Oct 2026 "
        "unannounced, raised 2 Nov 2026, 14 days without action"
    )


def test_an_open_late_alert_of_a_stretch_names_its_first_and_last_term() -> None:
    late = attrs.evolve(
        alert(ACME, dt.date(2026, 11, 2), kind=AlertKind.LATE),
        last_term_end=dt.date(2028, 10, 31),
        terms=3,
    )
    assert reaction(late)[1] == (
        "  k-acme (acme): late alert for 3 terms that ended unannounced, "
        "31 Oct 2026 to 31 Oct 2028, raised 2 Nov 2026, 14 days without action"
    )


def test_an_open_notice_deadline_alert_is_reported_by_its_kind_and_term() -> None:
    notice = alert(ACME, dt.date(2026, 9, 1), kind=AlertKind.NOTICE_DEADLINE)
    assert reaction(notice)[1] == (
        "  k-acme (acme): notice deadline alert for the term ending 31 Oct 2026, "
        "raised 1 Sept 2026, 76 days without action"
    )


def test_each_row_names_the_terms_an_alert_is_about() -> None:
    state = PortfolioState()
    state.add_alert(
        attrs.evolve(
            alert(ACME, dt.date(2026, 11, 2), kind=AlertKind.LATE),
            last_term_end=dt.date(2028, 10, 31),
            terms=3,
        )
    )
    result = days_to_first_action(state, group(), period=YEAR_2026, as_of=AS_OF)
    [row] = result.rows()
    assert (row["kind"], row["term_end"], row["last_term_end"], row["terms"]) == (
        "late",
        "2026-10-31",
        "2028-10-31",
        3,
    )
