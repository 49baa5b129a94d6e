"""DataFrame laws over random records.

* a state read from a frame (pandas text, pyarrow decimals, polars, integer
  minor units) equals the state built from the same records one by one;
* a state's monthly table gives back every monthly sum exactly (Decimal in,
  Decimal out), and its pandas and polars frames hold the same values;
* a metric result's amounts in Arrow are its lines' amounts, exactly;
* orders read in two pieces and merged equal the orders read at once, and
  every row counts once; a kind column equals signed amounts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import reduce

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import Client
from kamcore.errors import ValidationError
from kamcore.kernel import EXACT, ClientId, ManagerId
from kamcore.metrics import (
    AccountSelection,
    PortfolioState,
    account_ranking,
    invoices_from_frame,
    month_start,
    orders_from_frame,
)

Record = tuple[str, dt.date, Decimal]

INT64 = 2**63 - 1
NAMES = ("acme", "bolt", "cora", "dyna")
CLIENTS = st.sampled_from(NAMES)
ACCOUNTS = [
    Client(
        id=ClientId(name),
        name=name.capitalize(),
        currency="EUR",
        locale="en_GB",
        key_account=True,
        account_manager=ManagerId("m.rossi"),
    )
    for name in NAMES
]
DAYS = st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31))
# Up to 10**26 EUR a row: thirty rows stay below the state's 10**30 bound.
CENTS = st.one_of(st.integers(-(10**6), 10**6), st.integers(-(10**28), 10**28))


@st.composite
def records(draw: st.DrawFn) -> list[tuple[str, dt.date, int]]:
    """``(client, day, cents)`` rows."""
    return draw(st.lists(st.tuples(CLIENTS, DAYS, CENTS), max_size=30))


def as_records(rows: list[tuple[str, dt.date, int]]) -> list[Record]:
    return [(c, d, Decimal(cents).scaleb(-2, EXACT)) for c, d, cents in rows]


@given(records(), st.sampled_from(["pandas-text", "arrow", "polars", "minor"]))
def test_a_frame_gives_the_state_of_its_records(
    rows: list[tuple[str, dt.date, int]], form: str
) -> None:
    if form == "minor":  # int64 minor units: the amounts that fit in one
        rows = [(c, d, max(-INT64, min(INT64, x))) for c, d, x in rows]
    plain = as_records(rows)
    expected = PortfolioState.from_invoice_records(plain, currency="EUR")
    table = pa.table(
        {
            "client": pa.array([r[0] for r in plain], pa.string()),
            "issued": pa.array([r[1] for r in plain], pa.date32()),
            "amount": pa.array([r[2] for r in plain], pa.decimal128(38, 2)),
        }
    )
    frame: object = table
    minor = form == "minor"
    if form == "pandas-text":
        frame = pd.DataFrame(
            {
                "client": [r[0] for r in plain],
                "issued": [r[1].isoformat() for r in plain],
                "amount": [str(r[2]) for r in plain],
            },
            dtype=str,
        )
    elif form == "polars":
        frame = pl.from_arrow(table)
    elif minor:
        frame = table.set_column(
            2, "amount", pa.array([r[2] for r in rows], pa.int64())
        )
    state = invoices_from_frame(frame, currency="EUR", minor_units=minor)
    assert state == expected


@given(records())
def test_the_monthly_table_gives_back_every_sum_exactly(
    rows: list[tuple[str, dt.date, int]],
) -> None:
    state = PortfolioState.from_invoice_records(as_records(rows), currency="EUR")
    table = state.to_arrow()
    found = {
        (row["account"], row["month"]): row["invoiced"] for row in table.to_pylist()
    }
    expected = {
        (client, month_start(month)): amount
        for client, account in state.accounts.items()
        for month, amount in account.invoiced.items()
    }
    assert found == expected
    assert list(state.to_pandas()["invoiced"]) == list(
        table.column("invoiced").to_pylist()
    )
    assert (
        state.to_polars()["invoiced"].to_list() == table.column("invoiced").to_pylist()
    )


@given(records())
def test_ranking_amounts_are_the_lines_amounts(
    rows: list[tuple[str, dt.date, int]],
) -> None:
    state = PortfolioState.from_invoice_records(as_records(rows), currency="EUR")
    selection = AccountSelection.key_accounts().resolve(ACCOUNTS)
    result = account_ranking(state, selection, as_of=dt.date(2027, 1, 4))
    table = result.to_arrow()
    totals = [line.total.amount for line in result.lines]
    assert len(totals) == len(NAMES)
    assert table.column("total").to_pylist() == totals


def order_frame(rows: list[tuple[str, dt.date, int]]) -> pa.Table:
    return pa.table(
        {
            "client": pa.array([r[0] for r in rows], pa.string()),
            "ordered": pa.array([r[1] for r in rows], pa.date32()),
            "amount": pa.array(
                [Decimal(abs(r[2])).scaleb(-2, EXACT) for r in rows],
                pa.decimal128(38, 2),
            ),
        }
    )


@given(records(), st.integers(0, 30))
def test_orders_split_anywhere_merge_to_the_whole(
    rows: list[tuple[str, dt.date, int]], cut: int
) -> None:
    whole = orders_from_frame(order_frame(rows), currency="EUR")
    first = orders_from_frame(order_frame(rows[:cut]), currency="EUR")
    rest = orders_from_frame(order_frame(rows[cut:]), currency="EUR")
    assert first.merge(rest) == whole
    accounts = whole.accounts.values()
    assert sum(sum(a.order_counts.values()) for a in accounts) == len(rows)
    sums = (v for a in accounts for v in a.ordered.values())
    total = reduce(EXACT.add, sums, Decimal(0))
    assert total == Decimal(sum(abs(r[2]) for r in rows)).scaleb(-2, EXACT)


@given(records())
def test_a_kind_column_equals_signed_amounts(
    rows: list[tuple[str, dt.date, int]],
) -> None:
    plain = as_records(rows)
    signed = PortfolioState.from_invoice_records(plain, currency="EUR")
    kinds = pd.DataFrame(
        {
            "client": [r[0] for r in plain],
            "issued": [r[1] for r in plain],
            "amount": [str(abs(r[2])) for r in plain],
            "kind": ["credit_note" if r[2] < 0 else "invoice" for r in plain],
        },
        dtype=object,
    )
    assert invoices_from_frame(kinds, currency="EUR", kind="kind") == signed


@given(st.integers(-(2**31), 2**31 - 1))
def test_any_day_count_is_read_or_refused_with_a_kamcore_error(days: int) -> None:
    table = pa.table(
        {
            "client": ["acme"],
            "issued": pa.array([days], pa.date32()),
            "amount": ["1.00"],
        }
    )
    ordinal = dt.date(1970, 1, 1).toordinal() + days
    if not dt.date.min.toordinal() <= ordinal <= dt.date.max.toordinal():
        with pytest.raises(ValidationError) as refused:
            invoices_from_frame(table, currency="EUR")
        assert [error.path for error in refused.value.errors] == ["issued[0]"]
        return
    state = invoices_from_frame(table, currency="EUR")
    assert state == PortfolioState.from_invoice_records(
        [("acme", dt.date.fromordinal(ordinal), Decimal("1.00"))], currency="EUR"
    )


@given(
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from(["s", "ms", "us", "ns"]),
    st.sampled_from([pa.string(), pa.decimal128(12, 2)]),
)
def test_any_timestamp_is_read_or_refused_with_a_kamcore_error(
    value: int, unit: str, amounts: pa.DataType
) -> None:
    # Text amounts are read row by row, decimal ones in Arrow: the same answer.
    table = pa.table(
        {
            "client": ["acme"],
            "issued": pa.array([value], pa.timestamp(unit)),
            "amount": pa.array(["1.00"]).cast(amounts),
        }
    )
    ticks = 86_400 * {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit]
    days, rest = divmod(value, ticks)
    ordinal = dt.date(1970, 1, 1).toordinal() + days
    if rest or not dt.date.min.toordinal() <= ordinal <= dt.date.max.toordinal():
        with pytest.raises(ValidationError) as refused:
            invoices_from_frame(table, currency="EUR")
        assert [error.path for error in refused.value.errors] == ["issued[0]"]
        return
    state = invoices_from_frame(table, currency="EUR")
    assert state == PortfolioState.from_invoice_records(
        [("acme", dt.date.fromordinal(ordinal), Decimal("1.00"))], currency="EUR"
    )
