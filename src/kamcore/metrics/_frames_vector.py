"""The vectorised reading of an invoices frame: checked and summed in Arrow.

The common case, one currency for every row (``currency=``), no ``kind``
column, client ids as text, issue days as dates or timestamps without a time
zone, and amounts as an Arrow decimal column, is checked with
``pyarrow.compute`` rather than value by value. A bad value is found with
compute, then reported as the row-by-row reading reports it (same column,
row, message and value), so the two readings raise the same errors.

A state keeps only the net invoiced per account and month (see
:class:`~kamcore.metrics._account.AccountState`): nothing per row, per day or
per invoice. The rows are therefore summed per (client, month) in Arrow,
whose decimal128 sums are exact integers of the column's scale, and the sums
go into the state as the bulk path puts its own (bounds checked, zero sums
left out), in the order in which their first row came: the state is the one
the rows give one by one, its accounts and months in the same order. When a
sum could overflow 38 digits the rows go through the bulk path one by one
instead (dated the first of their month: a state keeps months, not days).

Anything else (text days or amounts, minor units, floats, a currency column,
a kind column) returns ``None``: the caller reads the frame value by value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kamcore.kernel import (
    MAX_MAGNITUDE_DIGITS,
    ClientId,
    billed_problem,
    currency_precision,
    validate_currency,
)
from kamcore.metrics._bulk import add_monthly_sums
from kamcore.metrics._frames_read import (
    FIRST_DAY,
    LAST_DAY,
    TICKS_PER_SECOND,
    Columns,
    optional_module,
)
from kamcore.metrics._state import PortfolioState

__all__ = ["invoices_in_arrow"]

_DECIMAL128_DIGITS = 38


def invoices_in_arrow(
    columns: Columns,
    names: tuple[object, object, object],
    currency: str,
    *,
    minor_units: bool,
    floats: str | None,
) -> PortfolioState | None:
    """The state of the invoices frame read by ``columns``, or ``None`` when
    the frame is not of the vectorised kind (read it value by value)."""
    pa = columns.arrow
    pc = optional_module("pyarrow.compute")
    client, day, amount = names
    code = validate_currency(currency, subject=columns.subject)
    clients = _clients(columns, client, pc)
    if clients is None:
        return None
    months = _months(columns, day, pc)
    if months is None or minor_units or floats is not None:
        return None
    array = columns.column(amount, "amount")
    if array is None:
        return None
    name = str(amount)
    columns.converter(name, array.type, minor_units=False, floats=None)
    if not (pa.types.is_decimal128(array.type) or pa.types.is_decimal256(array.type)):
        return None
    _check_amounts(columns, name, array, code, pc)
    state = PortfolioState()
    digits = array.type.precision + len(str(len(array)))
    if pa.types.is_decimal128(array.type) and digits <= _DECIMAL128_DIGITS:
        add_monthly_sums(state._accounts, _sums(pa, pc, clients, months, array), code)
    else:  # a sum could overflow in Arrow: Python sums the rows exactly
        starts = _month_starts()
        records = zip(
            clients.to_pylist(),
            map(starts, months.to_pylist()),
            array.to_pylist(),
            strict=True,
        )
        state.add_invoice_records(records, currency=code)
    return state


def _clients(columns: Columns, client: object, pc: Any) -> Any:
    """The client column, checked as :meth:`Columns.text` checks it, blanks
    found among its distinct values (``None`` for an empty frame)."""
    array = columns.column(client, "client")
    if array is None:
        return None
    name = str(client)
    if not columns.is_text(array.type):
        raise columns.wrong_type(name, array.type, "text")
    blanks = [v for v in pc.unique(array).to_pylist() if not v.strip()]
    if blanks:
        row = min(pc.index(array, value).as_py() for value in blanks)
        columns.fail(name, row, "an empty value", array[row].as_py())
    return array


def _months(columns: Columns, day: object, pc: Any) -> Any:
    """Each row's month key, from dates or timestamps at midnight without a
    time zone (``None`` for other columns: text days are read one by one)."""
    array = columns.column(day, "issued")
    if array is None:
        return None
    name, kind, types = str(day), array.type, columns.arrow.types
    if types.is_timestamp(kind):
        columns.refuse_zoned(name, kind)
        ticks = 86400 * TICKS_PER_SECOND[kind.unit]
        low, high = pc.min_max(array.cast(columns.arrow.int64())).values()
        if low.as_py() < FIRST_DAY * ticks or high.as_py() >= (LAST_DAY + 1) * ticks:
            return None  # beyond Python's dates: the row-by-row reading says so
        off = pc.not_equal(pc.floor_temporal(array, unit="day"), array)
        row = pc.index(off, value=True).as_py()
        if row >= 0:
            scalar = array[row]
            columns.fail(name, row, f"{scalar} is not at midnight", str(scalar))
    elif not types.is_date32(kind):
        return None
    years = pc.year(array)
    low, high = pc.min_max(years).values()
    if low.as_py() < dt.MINYEAR or high.as_py() > dt.MAXYEAR:
        return None  # beyond Python's dates: the row-by-row reading says so
    return pc.subtract(pc.add(pc.multiply(years, 12), pc.month(array)), 1)


def _check_amounts(
    columns: Columns, name: str, array: Any, currency: str, pc: Any
) -> None:
    """Every amount below ``10**30`` and a whole number of minor units; the
    first row that is not is reported with its value."""
    kind = array.type
    places = currency_precision(currency)
    bad = None
    if kind.precision - kind.scale > MAX_MAGNITUDE_DIGITS:
        bound = columns.arrow.scalar(Decimal(10) ** MAX_MAGNITUDE_DIGITS, kind)
        bad = pc.greater_equal(pc.abs(array), bound)
    if kind.scale > places:
        whole = pc.round(array, ndigits=places, round_mode="towards_zero")
        below = pc.not_equal(whole, array)
        bad = below if bad is None else pc.or_(bad, below)
    if bad is None:
        return
    row = pc.index(bad, value=True).as_py()
    if row < 0:
        return
    value: Decimal = array[row].as_py()
    if value.adjusted() >= MAX_MAGNITUDE_DIGITS:
        problem = f"must be below 10**{MAX_MAGNITUDE_DIGITS} in absolute value"
    else:
        problem = billed_problem(value, currency) or "not a billed amount"
    columns.fail(name, row, problem, value)


def _sums(
    pa: Any, pc: Any, clients: Any, months: Any, amounts: Any
) -> dict[ClientId, dict[int, Decimal]]:
    """The exact sum of each client and month, clients and their months in
    the order of their first rows."""
    encoded = pc.dictionary_encode(clients)
    low, high = (m.as_py() for m in pc.min_max(months).values())
    span = high - low + 1  # one integer key per (client, month)
    keys = pc.add(
        pc.multiply(pc.cast(encoded.indices, pa.int64()), span),
        pc.subtract(months, low),
    )
    ones = pa.nulls(len(amounts), pa.int64()).fill_null(1)
    rows = pc.subtract(pc.cumulative_sum(ones), 1)  # 0, 1, 2...: no Python loop
    table = pa.table({"key": keys, "amount": amounts, "row": rows})
    cells = (
        table.group_by("key", use_threads=False)
        .aggregate([("amount", "sum"), ("row", "min")])
        .sort_by("row_min")
    )
    names = encoded.dictionary.to_pylist()
    # Arrow writes a decimal exactly (digits and exponent): read back as is.
    sums = map(Decimal, pc.cast(cells.column("amount_sum"), pa.string()).to_pylist())
    batch: dict[ClientId, dict[int, Decimal]] = {}
    for key, total in zip(cells.column("key").to_pylist(), sums, strict=True):
        client, month = divmod(key, span)
        name = names[client]
        found = batch.get(name)
        if found is None:
            found = batch[name] = {}
        found[month + low] = total
    return batch


def _month_starts() -> Any:
    """A function from a month key to the first day of that month (cached)."""
    known: dict[int, dt.date] = {}

    def start(month: int) -> dt.date:
        first = known.get(month)
        if first is None:
            year, index = divmod(month, 12)
            first = known[month] = dt.date(year, index + 1, 1)
        return first

    return start
