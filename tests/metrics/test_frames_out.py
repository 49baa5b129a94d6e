"""DataFrames out: every metric result as a typed Arrow, pandas and polars
table, on the portfolio of sample_portfolio.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
from sample_portfolio import AS_OF, build_state, group

from kamcore.kernel import DateRange
from kamcore.metrics import (
    AccountSelection,
    PortfolioState,
    account_ranking,
    average_value,
    days_to_first_action,
    expired_unrenewed,
    expiring_contracts,
    monday_health_check,
    order_decline,
    retention_rate,
    revenue_growth,
)

YEAR_2026 = DateRange(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
EUR2 = pa.decimal128(38, 2)
CATEGORY = pa.dictionary(pa.int32(), pa.string())


def test_revenue_growth_columns_and_values() -> None:
    table = revenue_growth(build_state(), group(), as_of=AS_OF).to_arrow()
    assert table.schema == pa.schema(
        [
            ("client", pa.string()),
            ("current", EUR2),
            ("currency", CATEGORY),
            ("base", EUR2),
            ("growth_percent", EUR2),
            ("reason", CATEGORY),
        ]
    )
    assert table.slice(0, 2).to_pylist() == [
        {
            "client": "acme",
            "current": Decimal("14500.00"),
            "currency": "EUR",
            "base": Decimal("10000.00"),
            "growth_percent": Decimal("45.00"),
            "reason": None,
        },
        {
            "client": "bolt",
            "current": Decimal("4000.00"),
            "currency": "EUR",
            "base": Decimal("0.00"),
            "growth_percent": None,
            "reason": "new_account",
        },
    ]


def test_ranking_in_pandas_and_polars_keeps_exact_typed_columns() -> None:
    ranking = account_ranking(build_state(), group(), as_of=AS_OF)
    frame = ranking.to_pandas()
    assert list(frame.columns) == ["rank", "client", "name", "total", "currency"]
    assert frame["total"].dtype == pd.ArrowDtype(EUR2)
    assert isinstance(frame["currency"].dtype, pd.CategoricalDtype)
    assert list(frame["total"]) == [
        Decimal("14500.00"),
        Decimal("4000.00"),
        Decimal("1000.00"),
        Decimal("0.02"),
        Decimal("5000.00"),
    ]
    assert list(frame["rank"]) == [1, 2, 3, 4, 1]
    polars = ranking.to_polars()
    assert polars.schema["total"] == pl.Decimal(38, 2)
    assert polars.schema["currency"] == pl.Categorical
    assert polars["client"].to_list() == ["acme", "bolt", "cora", "dyna", "euro"]


def test_decline_and_the_health_check_table() -> None:
    state = build_state()
    decline = order_decline(state, group(), as_of=AS_OF).to_arrow()
    assert decline.column("change_percent").to_pylist()[:3] == [
        Decimal("-20.00"),
        Decimal("-20.20"),
        Decimal("-40.00"),
    ]
    assert decline.column("alarm").to_pylist()[:3] == [False, True, False]
    check = monday_health_check(state, group(), as_of=AS_OF).to_arrow()
    assert check.column_names == [
        "client",
        "name",
        "rank",
        "total",
        "currency",
        "previous",
        "last",
        "change_percent",
        "alarm",
        "reason",
        "expiring",
    ]
    rows = {row["client"]: row for row in check.to_pylist()}
    assert rows["bolt"] == {
        "client": "bolt",
        "name": "Bolt",
        "rank": 2,
        "total": Decimal("4000.00"),
        "currency": "EUR",
        "previous": Decimal("5000.00"),
        "last": Decimal("3990.00"),
        "change_percent": Decimal("-20.20"),
        "alarm": True,
        "reason": None,
        "expiring": 0,
    }
    assert (rows["dyna"]["expiring"], rows["euro"]["expiring"]) == (1, 1)


def test_contract_and_alert_results_have_date_and_category_columns() -> None:
    state = build_state()
    expiring = expiring_contracts(state, group(), as_of=AS_OF).to_arrow()
    assert expiring.schema.field("term_end").type == pa.date32()
    assert expiring.column("days_left").to_pylist() == [-16, 55]
    assert expiring.column("currency").to_pylist() == ["EUR", "USD"]
    lapsed = expired_unrenewed(state, group(), period=YEAR_2026, as_of=AS_OF)
    assert lapsed.to_arrow().column("lapsed_on").to_pylist() == [
        dt.date(2026, 6, 1),
        dt.date(2026, 8, 15),
    ]
    retention = retention_rate(state, group(), period=YEAR_2026, as_of=AS_OF)
    terms = retention.to_arrow()
    assert terms.schema.field("outcome").type == CATEGORY
    assert terms.column("outcome").to_pylist()[:3] == ["renewed", "lapsed", "lapsed"]
    alerts = days_to_first_action(state, group(), period=YEAR_2026, as_of=AS_OF)
    table = alerts.to_arrow()
    assert table.num_rows == len(alerts.alerts) + len(alerts.open_alerts)
    assert table.column("days").to_pylist()[:3] == [2, 10, 2]
    average = average_value(state, group(), as_of=AS_OF, currency="EUR").to_arrow()
    assert average.column("total").to_pylist() == [
        Decimal("14500.00"),
        Decimal("4000.00"),
        Decimal("1000.00"),
        Decimal("0.02"),
    ]


def test_an_empty_result_has_its_columns() -> None:
    nobody = AccountSelection.clients([]).resolve([])
    table = account_ranking(PortfolioState(), nobody, as_of=AS_OF).to_arrow()
    assert table.num_rows == 0
    assert table.schema == pa.schema(
        [
            ("rank", pa.int64()),
            ("client", pa.string()),
            ("name", pa.string()),
            ("total", EUR2),
            ("currency", CATEGORY),
        ]
    )
    assert PortfolioState().to_pandas().columns.tolist() == [
        "account",
        "currency",
        "month",
        "invoiced",
        "ordered",
        "count",
    ]


def test_a_state_is_a_long_monthly_series() -> None:
    table = build_state().to_arrow()
    acme = [row for row in table.to_pylist() if row["account"] == "acme"]
    assert acme[:2] == [
        {
            "account": "acme",
            "currency": "EUR",
            "month": dt.date(2025, 3, 1),
            "invoiced": Decimal("10000.00"),
            "ordered": Decimal("0.00"),
            "count": 0,
        },
        {
            "account": "acme",
            "currency": "EUR",
            "month": dt.date(2026, 2, 1),
            "invoiced": Decimal("12000.00"),
            "ordered": Decimal("0.00"),
            "count": 0,
        },
    ]
    september = [row for row in acme if row["month"] == dt.date(2026, 9, 1)]
    assert september == [
        {
            "account": "acme",
            "currency": "EUR",
            "month": dt.date(2026, 9, 1),
            "invoiced": Decimal("0.00"),
            "ordered": Decimal("10000.00"),
            "count": 1,
        }
    ]


def test_yen_amounts_keep_no_places_of_their_own() -> None:
    state = PortfolioState.from_invoice_records(
        [("kobe", dt.date(2026, 1, 5), Decimal(1500))], currency="JPY"
    )
    table = state.to_arrow()
    assert table.schema.field("invoiced").type == pa.decimal128(38, 0)
    assert table.column("invoiced").to_pylist() == [Decimal(1500)]
