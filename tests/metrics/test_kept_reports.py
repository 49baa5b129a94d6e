"""Reports kept on a state for a selection: redone only where the sums changed."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import attrs
import pytest
from sample_portfolio import AS_OF, CLIENTS, build_state, group, invoice, order

from kamcore.errors import ValidationError
from kamcore.kernel import ClientId, Money
from kamcore.metrics import (
    AccountRanking,
    AccountSelection,
    Basis,
    DeclineRule,
    PortfolioState,
    account_ranking,
    order_decline,
)
from kamcore.metrics import _kept as kept


def test_records_in_the_running_month_leave_the_kept_lines_as_they_were() -> None:
    state, selection = build_state(), group()
    before = account_ranking(state, selection, as_of=AS_OF)
    state.add_invoice_records(
        [("acme", dt.date(2026, 11, 2), Decimal("99.00"))], currency="EUR"
    )
    after = account_ranking(state, selection, as_of=AS_OF)
    assert after.lines is before.lines
    assert state._log == []  # read by every kept report, then emptied


def test_records_in_the_window_redo_the_accounts_they_touch() -> None:
    state, selection = build_state(), group()
    before = account_ranking(state, selection, as_of=AS_OF)
    order_decline(state, selection, as_of=AS_OF, basis=Basis.INVOICED)
    state.add_invoice_records(
        [("cora", dt.date(2026, 10, 31), Decimal("20000.00"))], currency="EUR"
    )
    after = account_ranking(state, selection, as_of=AS_OF)
    assert [line.client for line in after.lines][:2] == ["cora", "acme"]
    assert after.lines[2] is before.lines[1]  # bolt's line was kept
    decline = order_decline(state, selection, as_of=AS_OF, basis=Basis.INVOICED)
    fresh = PortfolioState.merge_all([state])  # a copy keeps no reports
    assert decline == order_decline(fresh, selection, as_of=AS_OF, basis=Basis.INVOICED)
    assert after == account_ranking(fresh, selection, as_of=AS_OF)


def test_an_event_for_a_new_account_in_the_window_is_taken_in() -> None:
    state = PortfolioState()
    selection = AccountSelection.clients([ClientId("acme"), ClientId("bolt")]).resolve(
        CLIENTS
    )
    assert [
        str(x.total) for x in account_ranking(state, selection, as_of=AS_OF).lines
    ] == [
        "0.00 EUR",
        "0.00 EUR",
    ]
    state.add_invoice(invoice("i-1", "bolt", dt.date(2026, 5, 1), "10.00"))
    ranking = account_ranking(state, selection, as_of=AS_OF)
    assert [(x.client, str(x.total)) for x in ranking.lines] == [
        ("bolt", "10.00 EUR"),
        ("acme", "0.00 EUR"),
    ]


def test_sums_moving_to_another_currency_drop_the_line() -> None:
    state = PortfolioState()
    selection = AccountSelection.clients([ClientId("acme")]).resolve(CLIENTS)
    account_ranking(state, selection, as_of=AS_OF)
    state.add_invoice(
        invoice("i-1", "acme", dt.date(2026, 5, 1), "10.00", currency="CHF")
    )
    ranking = account_ranking(state, selection, as_of=AS_OF)
    assert (ranking.lines, [e.client for e in ranking.excluded]) == ((), ["acme"])


def test_only_the_latest_reports_are_kept() -> None:
    state = build_state()
    for _ in range(kept.MAX_KEPT + 3):
        account_ranking(
            state, AccountSelection.key_accounts().resolve(CLIENTS), as_of=AS_OF
        )
    assert len(state._reports) == kept.MAX_KEPT


def test_a_log_too_long_drops_the_kept_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept, "MAX_LOG", 1)
    state, selection = build_state(), group()
    account_ranking(state, selection, as_of=AS_OF)
    order_decline(state, selection, as_of=AS_OF)
    state.add_invoice(invoice("i-x", "acme", dt.date(2026, 5, 1), "1.00"))
    state.add_invoice(invoice("i-y", "bolt", dt.date(2026, 5, 1), "1.00"))
    ranking = account_ranking(state, selection, as_of=AS_OF)
    assert (state._reports, state._log) == ({}, [])
    assert ranking == account_ranking(state, selection, as_of=AS_OF)


def test_kept_reports_are_not_part_of_the_state() -> None:
    state = build_state()
    account_ranking(state, group(), as_of=AS_OF)
    copy = pickle.loads(pickle.dumps(state))  # noqa: S301 - our own bytes
    assert copy == state == build_state()
    assert copy._reports == {}


def test_a_new_account_in_another_currency_is_excluded_whatever_its_month() -> None:
    state = PortfolioState()
    selection = AccountSelection.clients([ClientId("acme")]).resolve(CLIENTS)
    account_ranking(state, selection, as_of=AS_OF)
    order_decline(state, selection, as_of=AS_OF)
    state.add_invoice_records(
        [("acme", dt.date(2026, 11, 2), Decimal("1.00"))], currency="CHF"
    )
    assert [
        e.client for e in account_ranking(state, selection, as_of=AS_OF).excluded
    ] == ["acme"]
    assert order_decline(state, selection, as_of=AS_OF).lines == ()


# -- brought up to date from what was added -------------------------------------

OCTOBER = dt.date(2026, 10, 30)  # the last complete month as of AS_OF


def fresh_copy(state: PortfolioState) -> PortfolioState:
    return PortfolioState.merge_all([state])  # a copy keeps no reports


def test_back_dated_records_move_only_the_accounts_they_touch() -> None:
    state, selection = build_state(), group()
    before = account_ranking(state, selection, as_of=AS_OF)
    before_lines = before.lines
    state.add_invoice_records([("bolt", OCTOBER, Decimal("11000.00"))], currency="EUR")
    after = account_ranking(state, selection, as_of=AS_OF)
    assert [(line.client, str(line.total)) for line in after.lines[:2]] == [
        ("bolt", "15000.00 EUR"),
        ("acme", "14500.00 EUR"),
    ]
    assert after.lines[1] is before_lines[0]  # acme's line was kept
    assert after == account_ranking(fresh_copy(state), selection, as_of=AS_OF)


def test_a_result_keeps_the_figures_of_its_moment_whenever_it_is_read() -> None:
    state, selection = build_state(), group()
    then = fresh_copy(state)
    ranking = account_ranking(state, selection, as_of=AS_OF)  # lines not read
    decline = order_decline(state, selection, as_of=AS_OF, basis=Basis.INVOICED)
    state.add_invoice_records([("acme", OCTOBER, Decimal("-9000.00"))], currency="EUR")
    account_ranking(state, selection, as_of=AS_OF)
    order_decline(state, selection, as_of=AS_OF, basis=Basis.INVOICED)
    assert ranking.lines == account_ranking(then, selection, as_of=AS_OF).lines
    assert decline.lines == (
        order_decline(then, selection, as_of=AS_OF, basis=Basis.INVOICED).lines
    )


def test_lines_are_built_once_and_kept_on_the_result() -> None:
    ranking = account_ranking(build_state(), group(), as_of=AS_OF)
    assert ranking.lines is ranking.lines


def test_a_result_with_lines_built_on_read_behaves_like_any_result() -> None:
    kept = account_ranking(build_state(), group(), as_of=AS_OF)
    built = account_ranking(build_state(), group(), as_of=AS_OF)
    eager = AccountRanking(
        as_of=AS_OF,
        months=built.months,
        lines=built.lines,
        names=built.names,
        covered=built.covered,
        excluded=built.excluded,
    )
    assert kept == eager
    assert hash(kept) == hash(eager)
    assert repr(kept) == repr(eager)
    assert attrs.evolve(kept, as_of=dt.date(2026, 11, 17)).lines == eager.lines


def test_a_result_with_lines_built_on_read_pickles_with_its_lines() -> None:
    decline = order_decline(build_state(), group(), as_of=AS_OF)
    copy = pickle.loads(pickle.dumps(decline))  # noqa: S301 - our own bytes
    assert copy == order_decline(build_state(), group(), as_of=AS_OF)
    assert copy.lines == decline.lines


def test_a_result_has_no_other_attribute_than_its_own() -> None:
    ranking = account_ranking(build_state(), group(), as_of=AS_OF)
    with pytest.raises(AttributeError, match="'AccountRanking' object has no"):
        ranking.linez  # type: ignore[attr-defined]  # noqa: B018 - on purpose


def test_totals_a_cent_apart_are_ranked_exactly() -> None:
    state, selection = build_state(), group()
    account_ranking(state, selection, as_of=AS_OF)
    state.add_invoice_records(
        [
            ("cora", OCTOBER, Decimal("13499.98")),  # 14,499.98: below acme
            ("dyna", OCTOBER, Decimal("14499.97")),  # 14,499.99: above cora
        ],
        currency="EUR",
    )
    ranking = account_ranking(state, selection, as_of=AS_OF)
    assert [(line.client, str(line.total)) for line in ranking.lines[:3]] == [
        ("acme", "14500.00 EUR"),
        ("dyna", "14499.99 EUR"),
        ("cora", "14499.98 EUR"),
    ]
    assert ranking == account_ranking(fresh_copy(state), selection, as_of=AS_OF)


def test_back_dated_records_can_raise_and_clear_a_decline_alarm() -> None:
    state, selection = build_state(), group()
    rule = DeclineRule(minimum_base=Money("1000.00", "EUR"))
    first = order_decline(state, selection, as_of=AS_OF, rule=rule)
    assert [line.client for line in first.alarms] == ["bolt"]
    state.add_order(order("o-late-1", "bolt", OCTOBER, "1000.00"))  # -0.2 %
    state.add_order(order("o-late-2", "acme", dt.date(2026, 9, 30), "0.01"))
    second = order_decline(state, selection, as_of=AS_OF, rule=rule)
    assert [line.client for line in second.alarms] == ["acme"]
    assert second.lines[2] is first.lines[2]  # cora's line was kept
    assert second == order_decline(fresh_copy(state), selection, as_of=AS_OF, rule=rule)


def test_a_bad_sum_is_reported_before_an_account_in_another_currency() -> None:
    state = PortfolioState.from_invoice_records(
        [("acme", dt.date(2026, 2, 1), Decimal("1.00"))], currency="USD"
    )
    records = [
        ("acme", dt.date(2026, 2, 1), Decimal("1.00")),
        ("bolt", dt.date(2026, 2, 1), Decimal("Infinity")),
    ]
    with pytest.raises(ValidationError, match="not a finite number"):
        state.add_invoice_records(records, currency="EUR")
    assert list(state.accounts) == ["acme"]
