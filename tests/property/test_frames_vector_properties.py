"""The vectorised reading of an invoices frame against the row-by-row one.

* a decimal frame whose sums are done in Arrow (decimal128 narrow enough that
  no sum can overflow) gives the state of its records, with the accounts and
  their months in the same order and every sum with the same exponent;
* on frames with bad values (blank clients, timestamps off midnight, amounts
  below the cent or at 10**30), both readings raise the same error: same
  column, row, message and value; or both give the same state.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamcore.errors import ValidationError
from kamcore.kernel import EXACT
from kamcore.metrics import PortfolioState, invoices_from_frame

NAMES = ("acme", "bolt", "cora", "dyna")
DAYS = st.dates(dt.date(1960, 1, 1), dt.date(2026, 12, 31))
# 29 digits at most: thirty rows sum below 10**31, far inside decimal128's 38.
CENTS = st.one_of(st.integers(-(10**6), 10**6), st.integers(-(10**28), 10**28))
ROWS = st.lists(st.tuples(st.sampled_from(NAMES), DAYS, CENTS), max_size=30)
ROW_BY_ROW = "kamcore.metrics._frames_in.invoices_in_arrow"


def shape(state: PortfolioState) -> list[tuple[str, list[tuple[int, str]]]]:
    """Accounts and months in their order, each sum as written."""
    return [
        (client, [(month, str(sum_)) for month, sum_ in account.invoiced.items()])
        for client, account in state.accounts.items()
    ]


@given(ROWS)
def test_sums_in_arrow_give_the_state_of_the_records(
    rows: list[tuple[str, dt.date, int]],
) -> None:
    records = [(c, d, Decimal(x).scaleb(-2, EXACT)) for c, d, x in rows]
    expected = PortfolioState.from_invoice_records(records, currency="EUR")
    table = pa.table(
        {
            "client": pa.array([r[0] for r in records], pa.string()),
            "issued": pa.array([r[1] for r in records], pa.date32()),
            "amount": pa.array([r[2] for r in records], pa.decimal128(30, 2)),
        }
    )
    state = invoices_from_frame(table, currency="EUR")
    assert state == expected
    assert shape(state) == shape(expected)


BAD_CLIENTS = st.sampled_from((*NAMES, "", "  "))
SECONDS = st.sampled_from((0, 0, 0, 1, 3600))
MILLS = st.one_of(
    st.integers(-(10**7), 10**7),
    st.sampled_from((10**33, -(10**33), 10**33 - 1)),
)


@given(st.lists(st.tuples(BAD_CLIENTS, DAYS, SECONDS, MILLS), max_size=12))
def test_both_readings_raise_the_same_error(
    rows: list[tuple[str, dt.date, int, int]],
) -> None:
    stamps = [
        dt.datetime.combine(d, dt.time()) + dt.timedelta(seconds=s)
        for _c, d, s, _x in rows
    ]
    table = pa.table(
        {
            "client": pa.array([r[0] for r in rows], pa.string()),
            "issued": pa.array(stamps, pa.timestamp("us")),
            "amount": pa.array(
                [Decimal(r[3]).scaleb(-3, EXACT) for r in rows],
                pa.decimal128(37, 3),
            ),
        }
    )
    vectorised = outcome(table)
    with mock.patch(ROW_BY_ROW, return_value=None):
        row_by_row = outcome(table)
    assert vectorised == row_by_row


def outcome(table: pa.Table) -> object:
    try:
        state = invoices_from_frame(table, currency="EUR")
    except ValidationError as error:
        return [(e.path, e.message, e.value) for e in error.errors]
    return shape(state)


def test_an_amount_below_the_cent_is_named_by_row() -> None:
    table = pa.table(
        {
            "client": ["acme", "bolt", "acme"],
            "issued": pa.array([dt.date(2026, 1, 5)] * 3, pa.date32()),
            "amount": pa.array(
                [Decimal("1.000"), Decimal("2.500"), Decimal("0.125")],
                pa.decimal128(10, 3),
            ),
        }
    )
    with pytest.raises(ValidationError) as raised:
        invoices_from_frame(table, currency="EUR")
    (error,) = raised.value.errors
    assert (error.path, error.value) == ("amount[2]", Decimal("0.125"))
    assert error.message.startswith(
        "row 2: 0.125 EUR has digits below the minor unit of EUR (2 decimal places)"
    )
