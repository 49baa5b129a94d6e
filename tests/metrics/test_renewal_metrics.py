"""Account retention rate, expired unrenewed contracts and days to first action,
on the hand-computed portfolio of sample_portfolio.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sample_portfolio import (
    AS_OF,
    K_ACME,
    alert,
    build_state,
    contract,
    group,
    renew_signed,
    run_scheduler,
)

from kamcore.errors import ValidationError
from kamcore.kernel import ClientId, DateRange, Percentage
from kamcore.metrics import (
    AccountSelection,
    Exclusion,
    Outcome,
    PortfolioState,
    days_to_first_action,
    expired_unrenewed,
    retention_rate,
)

PERIOD = DateRange(dt.date(2026, 1, 1), dt.date(2026, 10, 31))
YEAR_2026 = DateRange(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def reasons(excluded: tuple[Exclusion, ...]) -> dict[str, str]:
    return {e.client: e.reason.value for e in excluded}


# -- account retention rate ------------------------------------------------------


def test_retention_counts_accounts_that_renewed_at_least_one_contract() -> None:
    result = retention_rate(build_state(), group(), period=PERIOD, as_of=AS_OF)
    assert result.value == Percentage("66.67")
    assert (result.numerator, result.denominator) == (2, 3)
    assert result.retained == ("acme", "cora")
    assert result.lost == ("bolt",)
    assert result.covered == ("acme", "bolt", "cora")


def test_retention_says_why_each_other_account_is_left_out() -> None:
    result = retention_rate(build_state(), group(), period=PERIOD, as_of=AS_OF)
    assert reasons(result.excluded) == {
        "dyna": "renewal_pending",  # ended 2026-10-31, grace running
        "euro": "no_renewal_due",
        "fizz": "not_key_account",
        "gone": "account_closed",
    }
    assert result.excluded[0].detail == "outcome not known yet: k-dyna"


def test_retention_lists_every_term_that_came_up_with_its_outcome() -> None:
    result = retention_rate(build_state(), group(), period=PERIOD, as_of=AS_OF)
    assert [(t.contract, t.term_end, t.outcome, t.on) for t in result.terms] == [
        ("k-cora", dt.date(2026, 2, 28), Outcome.RENEWED, dt.date(2026, 3, 1)),
        ("k-bolt", dt.date(2026, 5, 31), Outcome.LAPSED, dt.date(2026, 6, 1)),
        ("k-cora2", dt.date(2026, 8, 14), Outcome.LAPSED, dt.date(2026, 8, 15)),
        ("k-acme", dt.date(2026, 9, 30), Outcome.RENEWED, dt.date(2026, 10, 20)),
        ("k-dyna", dt.date(2026, 10, 31), None, None),
    ]


def test_a_late_renewal_within_grace_is_pending_until_signed_then_renewed() -> None:
    state = PortfolioState()
    state.add_contract(K_ACME)
    acme = AccountSelection.clients([ClientId("acme")]).resolve(group().clients)
    before = retention_rate(state, acme, period=PERIOD, as_of=dt.date(2026, 10, 19))
    assert (before.value, reasons(before.excluded)) == (
        None,
        {"acme": "renewal_pending"},
    )
    assert before.reason == "no key account had a renewal outcome in the period"
    after = retention_rate(state, acme, period=PERIOD, as_of=dt.date(2026, 10, 20))
    assert (after.value, after.retained) == (Percentage("100.00"), ("acme",))


def test_a_renewal_after_the_period_does_not_count_for_a_later_term() -> None:
    renewed = run_scheduler(
        renew_signed(
            run_scheduler(
                contract("k-x", "acme", dt.date(2025, 1, 1)), dt.date(2025, 12, 1)
            ),
            dt.date(2025, 12, 1),
        ),
        AS_OF,
    )
    state = PortfolioState()
    state.add_contract(renewed)
    result = retention_rate(
        state,
        AccountSelection.key_accounts().resolve(group().clients),
        period=DateRange(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        as_of=AS_OF,
    )
    assert [(t.term_end, t.outcome) for t in result.terms] == [
        (dt.date(2025, 12, 31), Outcome.RENEWED)
    ]


def test_retention_needs_a_closed_period() -> None:
    with pytest.raises(ValidationError) as raised:
        retention_rate(
            build_state(), group(), period=DateRange(dt.date(2026, 1, 1)), as_of=AS_OF
        )
    assert raised.value.errors[0].path == "period"


def test_retention_rows_and_report() -> None:
    result = retention_rate(build_state(), group(), period=PERIOD, as_of=AS_OF)
    assert result.rows()[0] == {
        "contract": "k-cora",
        "client": "cora",
        "term_end": "2026-02-28",
        "outcome": "renewed",
        "on": "2026-03-01",
    }
    assert result.summary_row()["value"] == "66.67"
    assert result.report("de_DE") == (
        "Kundenbindungsrate, 01.01.2026 bis 31.10.2026 (Stand 16.11.2026): "
        "66,67\xa0% (2 von 3 Kunden verlängert)"
    )
    assert "key accounts" in result.definition


# -- expired unrenewed contracts --------------------------------------------------


def test_expired_unrenewed_counts_the_contracts_that_lapsed_in_the_period() -> None:
    result = expired_unrenewed(build_state(), group(), period=PERIOD, as_of=AS_OF)
    assert result.value == result.numerator == 2
    assert result.denominator == 4  # acme and cora renewed, bolt and cora2 lapsed
    assert [(c.contract, c.term_end, c.lapsed_on) for c in result.contracts] == [
        ("k-bolt", dt.date(2026, 5, 31), dt.date(2026, 6, 1)),
        ("k-cora2", dt.date(2026, 8, 14), dt.date(2026, 8, 15)),
    ]


def test_a_lapse_after_the_as_of_date_was_not_known_yet() -> None:
    result = expired_unrenewed(
        build_state(), group(), period=PERIOD, as_of=dt.date(2026, 7, 1)
    )
    assert [c.contract for c in result.contracts] == ["k-bolt"]
    assert result.denominator == 2  # k-cora renewed in March, k-bolt lapsed


def test_expired_unrenewed_rows_and_report() -> None:
    result = expired_unrenewed(build_state(), group(), period=PERIOD, as_of=AS_OF)
    assert result.rows()[0] == {
        "contract": "k-bolt",
        "client": "bolt",
        "title": "Supply bolt",
        "term_end": "2026-05-31",
        "lapsed_on": "2026-06-01",
        "currency": "EUR",
        "value": "12000.00",
    }
    assert result.summary_row()["denominator"] == 4
    assert result.report("en_GB").splitlines() == [
        "Expired unrenewed contracts, 1 Jan 2026 to 31 Oct 2026 (as of 16 Nov 2026): "
        "2 of 4 term outcomes in the period",
        "  k-bolt Supply bolt (bolt): lapsed on 1 Jun 2026, €12,000.00 per term",
        "  k-cora2 Supply cora (cora): lapsed on 15 Aug 2026, €12,000.00 per term",
    ]


# -- days to first action ------------------------------------------------------------


def test_days_to_first_action_mean_and_median() -> None:
    result = days_to_first_action(build_state(), group(), period=YEAR_2026, as_of=AS_OF)
    assert [(a.contract, a.days) for a in result.alerts] == [
        ("k-euro", 2),  # the notice-deadline alert of March
        ("k-bolt", 10),
        ("k-cora2", 2),
        ("k-acme", 3),
    ]
    assert (result.numerator, result.denominator) == (17, 4)
    assert result.value == Decimal("4.25")
    assert result.median == Decimal("2.5")


def test_alerts_still_without_action_are_reported_with_their_age() -> None:
    result = days_to_first_action(build_state(), group(), period=YEAR_2026, as_of=AS_OF)
    assert [(a.contract, a.raised_on, a.age) for a in result.open_alerts] == [
        ("k-dyna", dt.date(2026, 9, 1), 76),
        ("k-euro", dt.date(2026, 11, 10), 6),  # acted on 2026-11-20: not yet
    ]


def test_without_any_action_there_is_no_mean_and_a_reason() -> None:
    result = days_to_first_action(
        build_state(),
        group(),
        period=DateRange(dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
        as_of=AS_OF,
    )
    assert (result.value, result.median, result.denominator) == (None, None, 0)
    assert result.reason == "no alert raised in the period was acted on yet"
    assert "n/a (no alert raised in the period was acted on yet)" in result.report(
        "en_GB"
    )


def test_the_mean_is_rounded_once_half_up() -> None:
    state = PortfolioState()
    for index, days in enumerate((1, 1, 2)):
        agreement = contract(f"k-{index}", "acme", dt.date(2025, 1, 1))
        state.add_alert(
            alert(agreement, dt.date(2026, 3, 1), dt.date(2026, 3, 1 + days))
        )
    result = days_to_first_action(state, group(), period=YEAR_2026, as_of=AS_OF)
    assert (result.numerator, result.denominator) == (4, 3)
    assert result.value == Decimal("1.33")
    assert result.median == Decimal(1)


def test_days_to_first_action_rows_and_report() -> None:
    result = days_to_first_action(build_state(), group(), period=YEAR_2026, as_of=AS_OF)
    assert result.rows()[-1] == {
        "alert": "k-euro/2027-01-10/renewal",
        "contract": "k-euro",
        "client": "euro",
        "kind": "renewal",
        "term_end": "2027-01-10",
        "last_term_end": "2027-01-10",
        "terms": 1,
        "raised_on": "2026-11-10",
        "first_action_on": None,
        "days_to_first_action": None,
        "age_without_action": 6,
    }
    assert result.summary_row()["median"] == "2.5"
    assert (
        result.report("fr_FR")
        .splitlines()[0]
        .endswith("(au 16 nov. 2026)\xa0: moyenne 4,25, médiane 2,5 sur 4 alertes")
    )
