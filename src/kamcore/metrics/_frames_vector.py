"""The vectorised reading of an invoices frame: checked and summed in numpy.

The common case, one currency for every row (``currency=``), no ``kind``
column, client ids as text, issue days as dates or timestamps without a time
zone, and amounts as an Arrow decimal column, is checked and summed column by
column rather than value by value. A bad value is found on the arrays, then
reported as the row-by-row reading reports it (same column, row, message and
value), so the two readings raise the same errors.

A state keeps only the net invoiced per account and month, as whole minor
units in integer matrices (see :mod:`kamcore.metrics._sums`): nothing per
row, per day or per invoice. So the frame becomes three arrays, one entry per
row: the client's code (clients numbered in the order of their first row),
the month key, and the amount in minor units (read exactly from the decimal
column's integers); the state adds each entry to its cell. The accounts are
the ones the rows give one by one, in the same order.

A pandas column of Python strings is numbered by pandas itself
(``pandas.factorize``): converting a million Python strings to Arrow costs
more than pandas' whole computation of the figures. Everything else is read
through Arrow.

Anything else (text days or amounts, minor units, floats, a currency column,
a kind column) returns ``None``: the caller reads the frame value by value.
"""

from __future__ import annotations

import functools
import sys
from decimal import Decimal
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from kamcore.kernel import (
    EXACT,
    MAX_MAGNITUDE_DIGITS,
    ClientId,
    billed_problem,
    currency_precision,
    validate_currency,
)
from kamcore.metrics._frames_read import (
    FIRST_DAY,
    LAST_DAY,
    TICKS_PER_SECOND,
    Columns,
    optional_module,
)
from kamcore.metrics._state import PortfolioState
from kamcore.metrics._sums import INVOICED, Matrix, units_array

__all__ = ["invoices_in_arrow"]

_INT64_DIGITS = 18  # every decimal of at most 18 digits fits in 64 bits
_EPOCH_MONTH = 1970 * 12
_TABLE_DAYS = 400_000  # days spanned beyond which months are worked out per row


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
    coded = _client_codes(columns, client, pc)
    if coded is None:
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
    units = _units(columns, name, array, code, pc)
    codes, clients = coded
    state = PortfolioState()
    sums = state._sums  # the package's own state
    rows = sums.rows_for(cast("list[ClientId]", clients), code)
    sums.add_entries(INVOICED, rows[codes], months, units)
    return state


def _client_codes(
    columns: Columns, client: object, pc: Any
) -> tuple[npt.NDArray[np.int64], list[str]] | None:
    """Each row's client as a code, and the clients by code (in the order of
    their first rows), checked as :meth:`Columns.text` checks them (``None``
    for an empty frame)."""
    series = columns.pandas_column(client)
    if series is not None and series.dtype == object:
        pandas = optional_module("pandas")
        codes, uniques = pandas.factorize(series)
        found = uniques.tolist()
        if codes.min(initial=0) >= 0 and all(
            type(value) is str and value.strip() for value in found
        ):
            return codes.astype(np.int64, copy=False), found
        # A missing, blank or non-text value: reported as Arrow reads it.
    array = columns.column(client, "client")
    if array is None:
        return None
    name = str(client)
    if not columns.is_text(array.type):
        raise columns.wrong_type(name, array.type, "text")
    encoded = pc.dictionary_encode(array)
    clients: list[str] = encoded.dictionary.to_pylist()
    blank = pc.match_substring_regex(encoded.dictionary, _blank_pattern())
    if pc.any(blank).as_py():
        blanks = [value for value in clients if not value.strip()]
        row = min(pc.index(array, value).as_py() for value in blanks)
        columns.fail(name, row, "an empty value", array[row].as_py())
    return np.asarray(encoded.indices).astype(np.int64), clients


@functools.cache
def _blank_pattern() -> str:
    """A regular expression matching the strings Python strips to nothing:
    none but its whitespace (every such character is below U+3001)."""
    spaces = "".join(
        f"\\x{{{ord(c):x}}}" for c in map(chr, range(0x3001)) if c.isspace()
    )
    return f"^[{spaces}]*$"


def _months(columns: Columns, day: object, pc: Any) -> npt.NDArray[np.int64] | None:
    """Each row's month key, from dates or timestamps at midnight without a
    time zone (``None`` for other columns: text days are read one by one)."""
    array = columns.column(day, "issued")
    if array is None:
        return None
    name, kind, types = str(day), array.type, columns.arrow.types
    if types.is_timestamp(kind):
        columns.refuse_zoned(name, kind)
        per_day = 86400 * TICKS_PER_SECOND[kind.unit]
        ticks = np.asarray(array.cast(columns.arrow.int64()))
        if ticks.min() < FIRST_DAY * per_day or ticks.max() >= (LAST_DAY + 1) * per_day:
            return None  # beyond Python's dates: the row-by-row reading says so
        days = ticks // per_day
        off = np.flatnonzero(ticks - days * per_day)
        if off.size:
            scalar = array[int(off[0])]
            columns.fail(name, int(off[0]), f"{scalar} is not at midnight", str(scalar))
    elif types.is_date32(kind):
        days = np.asarray(array.cast(columns.arrow.int32())).astype(np.int64)
        if days.min() < FIRST_DAY or days.max() > LAST_DAY:
            return None  # beyond Python's dates: the row-by-row reading says so
    else:
        return None
    low, high = int(days.min()), int(days.max())
    if high - low < _TABLE_DAYS:  # one month per day of the span, then a lookup
        span = np.arange(low, high + 1).astype("datetime64[D]")
        table = span.astype("datetime64[M]").astype(np.int64) + _EPOCH_MONTH
        found: npt.NDArray[np.int64] = table[days - low]
        return found
    by_row = days.astype("datetime64[D]").astype("datetime64[M]")
    return by_row.astype(np.int64) + _EPOCH_MONTH


def _units(columns: Columns, name: str, array: Any, currency: str, pc: Any) -> Matrix:
    """Each amount in whole minor units of ``currency``, exactly; a bad
    amount is reported with its row (see :func:`_check_amounts`)."""
    kind = array.type
    places = currency_precision(currency)
    types = columns.arrow.types
    small = (
        types.is_decimal128(kind)
        and kind.precision + max(places - kind.scale, 0) <= _INT64_DIGITS
        and sys.byteorder == "little"
    )
    if not small:  # wide decimals: Python reads each one, exactly
        _check_amounts(columns, name, array, currency, pc)
        values: list[Decimal] = array.to_pylist()
        return units_array([int(v.scaleb(places, EXACT)) for v in values])
    # A decimal128 is a 128-bit two's complement integer of the column's
    # scale; at most 18 digits, its low 64 bits are the whole of it.
    words = np.frombuffer(array.buffers()[1], dtype=np.int64)
    start = 2 * array.offset
    raw = words[start : start + 2 * len(array) : 2]
    if kind.scale > places:
        factor = 10 ** (kind.scale - places)
        if np.any(raw % factor):
            _check_amounts(columns, name, array, currency, pc)  # says which row
        return raw // factor  # type: ignore[no-any-return]
    return raw * 10 ** (places - kind.scale)  # type: ignore[no-any-return]


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
