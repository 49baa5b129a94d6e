"""Reports kept on a state for a selection: redone only where the sums changed."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest
from sample_portfolio import AS_OF, CLIENTS, build_state, group, invoice

from kamcore.kernel import ClientId
from kamcore.metrics import (
    AccountSelection,
    Basis,
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
