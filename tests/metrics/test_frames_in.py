"""DataFrames in: invoices and orders from pandas, polars and pyarrow frames,
every refusal naming the column, the row and the value."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from kamcore.errors import ValidationError
from kamcore.kernel import ClientId
from kamcore.metrics import PortfolioState, invoices_from_frame, orders_from_frame

JAN = dt.date(2026, 1, 1).year * 12  # month keys: January 2026 is JAN
RECORDS = [
    ("acme", dt.date(2026, 1, 12), Decimal("1200.00")),
    ("acme", dt.date(2026, 1, 30), Decimal("300.00")),
    ("bolt", dt.date(2026, 2, 2), Decimal("80.00")),
]
EXPECTED = PortfolioState.from_invoice_records(RECORDS, currency="EUR")


def text_frame(**changes: Any) -> pd.DataFrame:
    """The records as a CSV gives them with ``dtype=str``."""
    columns: dict[str, list[Any]] = {
        "client": [r[0] for r in RECORDS],
        "issued": [r[1].isoformat() for r in RECORDS],
        "amount": [str(r[2]) for r in RECORDS],
    }
    columns.update(changes)
    return pd.DataFrame(columns)


def refusal(frame: object, **options: Any) -> tuple[str, str, object]:
    with pytest.raises(ValidationError) as caught:
        invoices_from_frame(frame, **options)
    (error,) = caught.value.errors
    return error.path, error.message, error.value


def test_text_columns_from_a_csv_give_the_records_state() -> None:
    state = invoices_from_frame(text_frame(), currency="EUR")
    assert state == EXPECTED
    assert dict(state.accounts[ClientId("acme")].invoiced) == {JAN: Decimal("1500.00")}


def test_typed_arrow_polars_and_pandas_columns_give_the_same_state() -> None:
    table = pa.table(
        {
            "client": [r[0] for r in RECORDS],
            "issued": pa.array([r[1] for r in RECORDS], pa.date32()),
            "amount": pa.array([r[2] for r in RECORDS], pa.decimal128(12, 2)),
        }
    )
    assert invoices_from_frame(table, currency="EUR") == EXPECTED
    assert invoices_from_frame(pl.from_arrow(table), currency="EUR") == EXPECTED
    stamps = text_frame(issued=pd.to_datetime([r[1] for r in RECORDS]))
    assert invoices_from_frame(stamps, currency="EUR") == EXPECTED


def test_integer_minor_units_only_when_said() -> None:
    cents = text_frame(amount=[120000, 30000, 8000])
    state = invoices_from_frame(cents, currency="EUR", minor_units=True)
    assert state == EXPECTED
    path, message, _ = refusal(cents, currency="EUR")
    assert path == "amount"
    assert "pass minor_units=True" in message
    yen = invoices_from_frame(cents, currency="JPY", minor_units=True)
    assert dict(yen.accounts[ClientId("bolt")].invoiced) == {JAN + 1: Decimal(8000)}


def test_floats_are_refused_unless_rounded_explicitly() -> None:
    floats = text_frame(amount=[1.005, 2.675, 80.0])
    path, message, value = refusal(floats, currency="EUR")
    assert (path, value) == ("amount", "double")
    assert "floats='round-to-minor'" in message
    state = invoices_from_frame(floats, currency="EUR", floats="round-to-minor")
    assert dict(state.accounts[ClientId("acme")].invoiced) == {JAN: Decimal("3.69")}
    assert refusal(floats, currency="EUR", floats="nearest")[0] == "floats"


def test_each_bad_value_is_named_by_column_row_and_value() -> None:
    assert refusal(text_frame(client=["acme", None, "bolt"]), currency="EUR") == (
        "client[1]",
        "row 1: a missing value (null)",
        None,
    )
    assert refusal(text_frame(client=["acme", " ", "bolt"]), currency="EUR") == (
        "client[1]",
        "row 1: an empty value",
        " ",
    )
    bad_day = text_frame(issued=["2026-01-12", "2026-01-30", "02/02/2026"])
    assert refusal(bad_day, currency="EUR") == (
        "issued[2]",
        "row 2: '02/02/2026' is not a YYYY-MM-DD date",
        "02/02/2026",
    )
    path, message, value = refusal(
        text_frame(amount=["1200.00", "300.001", "80"]), currency="EUR"
    )
    assert (path, value) == ("amount[1]", "300.001")
    assert message.startswith("row 1: 300.001 EUR has digits below the minor unit")
    path, message, value = refusal(
        text_frame(amount=["1200.00", "NaN", "80"]), currency="EUR"
    )
    assert (path, message, value) == (
        "amount[1]",
        "row 1: 'NaN' is not a finite decimal amount (such as 1200.00)",
        "NaN",
    )


def test_a_pandas_row_is_named_by_position_and_index_label() -> None:
    frame = text_frame(client=["acme", None, "bolt"]).set_axis(["a", "b", "c"])
    assert refusal(frame, currency="EUR")[:2] == (
        "client[1]",
        "row 1 (index 'b'): a missing value (null)",
    )
    decimals = text_frame(amount=[r[2] for r in RECORDS])  # Decimal objects
    assert invoices_from_frame(decimals, currency="EUR") == EXPECTED


def test_thousands_separators_are_not_guessed() -> None:
    assert refusal(
        text_frame(amount=["1,200.00", "300.00", "80.00"]), currency="EUR"
    ) == (
        "amount[0]",
        "row 0: '1,200.00' is not a finite decimal amount (such as 1200.00)",
        "1,200.00",
    )


def test_timestamps_must_be_midnight_without_a_zone() -> None:
    late = text_frame(
        issued=pd.to_datetime(
            ["2026-01-12 00:00", "2026-01-30 09:30", "2026-02-02 00:00"]
        )
    )
    path, message, _ = refusal(late, currency="EUR")
    assert path == "issued[1]"
    # The time as Arrow prints it in the column's unit (seconds here).
    assert message == "row 1: 2026-01-30 09:30:00 is not at midnight"
    zoned = text_frame(
        issued=pd.to_datetime([r[1] for r in RECORDS]).tz_localize("UTC")
    )
    path, message, _ = refusal(zoned, currency="EUR")
    assert path == "issued"
    assert message.startswith("timestamps in time zone UTC are refused")


def test_a_currency_column_and_one_currency_per_account() -> None:
    frame = text_frame(
        currency=["EUR", "EUR", "JPY"], amount=["1200.00", "300.00", "80"]
    )
    state = invoices_from_frame(frame, currency_column="currency")
    assert state.accounts[ClientId("bolt")].currency == "JPY"
    assert dict(state.accounts[ClientId("bolt")].invoiced) == {JAN + 1: Decimal(80)}
    mixed = text_frame(currency=["EUR", "USD", "EUR"])
    assert refusal(mixed, currency_column="currency") == (
        "currency[1]",
        "row 1: client 'acme' is in EUR in an earlier row; "
        "an account holds one currency",
        "USD",
    )
    path, _, value = refusal(
        text_frame(currency=["EUR", "eur", "EUR"]), currency_column="currency"
    )
    assert (path, value) == ("currency[1]", "eur")
    assert refusal(frame, currency="EUR", currency_column="currency")[0] == "currency"
    assert refusal(frame)[0] == "currency"


def test_a_kind_column_takes_credit_notes_away() -> None:
    frame = text_frame(kind=["invoice", "credit_note", "invoice"])
    state = invoices_from_frame(frame, currency="EUR", kind="kind")
    assert dict(state.accounts[ClientId("acme")].invoiced) == {JAN: Decimal("900.00")}
    assert refusal(
        text_frame(kind=["invoice", "refund", "invoice"]), currency="EUR", kind="kind"
    ) == (
        "kind[1]",
        "row 1: 'refund' is not one of ('invoice', 'credit_note')",
        "refund",
    )
    negative = text_frame(kind=["invoice"] * 3, amount=["1.00", "-2.00", "3.00"])
    assert refusal(negative, currency="EUR", kind="kind") == (
        "amount[1]",
        "row 1: negative; the kind column gives the sign",
        Decimal("-2.00"),
    )


def test_missing_columns_and_other_objects_are_refused() -> None:
    assert refusal(text_frame(), currency="EUR", issued="date") == (
        "issued",
        "no column 'date' (columns: ['client', 'issued', 'amount'])",
        "date",
    )
    assert refusal([RECORDS], currency="EUR") == (
        "frame",
        "expected a pandas or polars DataFrame or a pyarrow Table, got list",
        "list",
    )
    assert (
        refusal(text_frame(amount=[True, False, True]), currency="EUR")[0] == "amount"
    )


def test_orders_are_summed_and_counted_per_month() -> None:
    frame = pl.DataFrame(
        {
            "client": ["acme", "acme", "acme", "bolt"],
            "ordered": [
                dt.date(2026, 1, 5),
                dt.date(2026, 1, 9),
                dt.date(2026, 2, 1),
                dt.date(2026, 2, 3),
            ],
            "amount": ["100.00", "250.50", "10.00", "0.00"],
        }
    )
    state = orders_from_frame(frame, currency="EUR")
    acme, bolt = state.accounts[ClientId("acme")], state.accounts[ClientId("bolt")]
    assert dict(acme.ordered) == {JAN: Decimal("350.50"), JAN + 1: Decimal("10.00")}
    assert dict(acme.order_counts) == {JAN: 2, JAN + 1: 1}
    assert (dict(bolt.ordered), dict(bolt.order_counts)) == ({}, {JAN + 1: 1})
    assert dict(acme.invoiced) == {}
    with pytest.raises(ValidationError) as caught:
        orders_from_frame(frame, currency="EUR", ordered="issued")
    assert caught.value.errors[0].path == "ordered"


def test_the_state_reads_frames_as_the_functions_do() -> None:
    invoices = pl.DataFrame(
        {
            "customer": ["acme", "bolt", "acme"],
            "issued": [dt.date(2026, 1, 5), dt.date(2026, 1, 9), dt.date(2026, 2, 1)],
            "amount": ["100.00", "250.50", "-10.00"],
        }
    )
    state = PortfolioState.from_frame(invoices, client="customer", currency="EUR")
    assert state == invoices_from_frame(invoices, client="customer", currency="EUR")
    assert dict(state.accounts[ClientId("acme")].invoiced) == {
        JAN: Decimal("100.00"),
        JAN + 1: Decimal("-10.00"),
    }
    orders = invoices.rename({"issued": "ordered"})
    assert PortfolioState.from_orders_frame(
        orders, client="customer", currency="EUR"
    ) == orders_from_frame(orders, client="customer", currency="EUR")


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


def test_kamcore_imports_without_pyarrow_and_says_which_extra_is_missing() -> None:
    # Without pyarrow, pandas and polars importable (None in sys.modules).
    blocked = (
        "import sys\n"
        "for name in ('pyarrow', 'pandas', 'polars'):\n"
        "    sys.modules[name] = None\n"
        "import kamcore.metrics as m\n"
        "try:\n"
        "    m.invoices_from_frame(None, currency='EUR')\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    done = run_python(blocked)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "DataFrames in kamcore need pyarrow: install the extra with "
        "`pip install 'kamcore[frames]'` (polars: `pip install polars`)\n"
    )
    lazy = "import sys, kamcore.metrics; print('pyarrow' in sys.modules)"
    assert run_python(lazy).stdout == "False\n"


def test_an_empty_frame_gives_an_empty_state() -> None:
    empty = pd.DataFrame({"client": [], "issued": [], "amount": []})
    assert invoices_from_frame(empty, currency="EUR") == PortfolioState()
    assert refusal(empty, currency="EUR", floats="nearest")[0] == "floats"


def test_days_beyond_python_dates_are_refused_naming_the_row() -> None:
    def table(days: Any) -> pa.Table:
        return pa.table(
            {"client": ["acme", "bolt"], "issued": days, "amount": ["1.00", "2.00"]}
        )

    far = pa.array([dt.date(2026, 1, 12), 3_000_000], pa.date32())
    assert refusal(table(far), currency="EUR") == (
        "issued[1]",
        "row 1: 3000000 days from 1970-01-01 is outside years 1 to 9999",
        "3000000 (date32[day])",
    )
    midnight_far = pa.array([0, 86_400 * 10**6 * 10**7], pa.timestamp("us"))
    assert refusal(table(midnight_far), currency="EUR") == (
        "issued[1]",
        "row 1: 10000000 days from 1970-01-01 is outside years 1 to 9999",
        "864000000000000000 (timestamp[us])",
    )
    # date64 holds whole days in milliseconds.
    state = invoices_from_frame(
        table(pa.array([dt.date(2026, 1, 12), dt.date(2026, 1, 30)], pa.date64())),
        currency="EUR",
    )
    assert state == PortfolioState.from_invoice_records(
        [
            ("acme", dt.date(2026, 1, 12), Decimal("1.00")),
            ("bolt", dt.date(2026, 1, 30), Decimal("2.00")),
        ],
        currency="EUR",
    )
