"""The weekly report passes the ranking's top and the growth windows on."""

from __future__ import annotations

import datetime as dt

from kamcore._sample import load_sample_portfolio
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.metrics import AccountSelection, account_ranking, revenue_growth
from kamcore.services import load_portfolio_state, weekly_report

MONDAY = FixedClock(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))
# The sample portfolio invoices from August 2026: September against October.
SEPTEMBER = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def test_the_weekly_report_ranks_the_top_and_compares_the_windows_given() -> None:
    uow = InMemoryUnitOfWork(InMemoryStore())
    load_sample_portfolio(uow)
    report = weekly_report(
        uow,
        MONDAY,
        selection=AccountSelection.key_accounts(),
        top=1,
        growth_current=OCTOBER,
        growth_previous=SEPTEMBER,
    )
    state = load_portfolio_state(uow)
    with uow:
        selection = AccountSelection.key_accounts().resolve(uow.clients.all())
    today = MONDAY.today()
    assert report.health.ranking.lines == (
        account_ranking(state, selection, as_of=today, top=1).lines
    )
    assert [(r["client"], r["rank"]) for r in report.tables()["ranking"]] == [
        ("helvetia", 1),
        ("acme", 1),
    ]
    assert report.growth == revenue_growth(
        state, selection, as_of=today, current=OCTOBER, previous=SEPTEMBER
    )
    assert [len(report.growth.current_months), len(report.growth.base_months)] == [1, 1]
    assert report.tables()["growth"] == report.growth.rows()
