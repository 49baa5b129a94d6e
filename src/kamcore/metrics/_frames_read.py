"""Reading the columns of a DataFrame: pandas, polars or pyarrow, via Arrow.

Every column is read through Arrow (pandas and polars convert to it without a
copy for most types) and checked value by value: a bad value raises a
:class:`~kamcore.errors.ValidationError` whose path names the column and the
row (its position, from 0), ``amount[3]``, and whose value is the one found.
pyarrow is imported here, on use: kamcore itself runs without it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NoReturn

from kamcore.errors import ValidationError
from kamcore.kernel import (
    EXACT,
    MAX_MAGNITUDE_DIGITS,
    ROUNDING,
    billed_problem,
    currency_precision,
    validate_currency,
)

__all__ = ["FLOAT_RULES", "Columns", "currencies_of", "optional_module"]

FLOAT_RULES = ("round-to-minor",)
"""The explicit conversions of float amounts (``floats=``): ``round-to-minor``
reads each float as the shortest decimal that prints it (``repr``: ``2.675``
is ``Decimal('2.675')``), then rounds half up to the currency's minor unit."""


_EPOCH = dt.date(1970, 1, 1).toordinal()
# The days Python's dates hold, counted from 1970-01-01.
FIRST_DAY = dt.date.min.toordinal() - _EPOCH
LAST_DAY = dt.date.max.toordinal() - _EPOCH
TICKS_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


def optional_module(name: str) -> Any:
    """``name`` imported, or an ``ImportError`` that says which extra has it."""
    try:
        return importlib.import_module(name)
    except ImportError as missing:
        msg = (
            f"DataFrames in kamcore need {name}: install the extra with "
            "`pip install 'kamcore[frames]'` (polars: `pip install polars`)"
        )
        raise ImportError(msg, name=name) from missing


def _arrow_table(frame: object, subject: str) -> tuple[Any, Any]:
    """``(table, pandas frame or None)``: pandas columns are read one by one
    (so that an error names its column), everything else as one Arrow table."""
    pa = optional_module("pyarrow")
    if isinstance(frame, pa.Table):
        return frame, None
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame]), None
    package = type(frame).__module__.partition(".")[0]
    if package == "pandas" and hasattr(frame, "columns"):
        return None, frame
    if package == "polars" and hasattr(frame, "to_arrow"):
        return frame.to_arrow(), None
    if hasattr(frame, "__arrow_c_stream__"):
        return pa.table(frame), None
    raise ValidationError.single(
        subject,
        "frame",
        "expected a pandas or polars DataFrame or a pyarrow Table, "
        f"got {type(frame).__name__}",
        type(frame).__name__,
    )


class Columns:
    """The columns of one frame, read as checked Python values.

    Rows are counted by position from 0; a pandas row whose index label is
    not its position is named by both (``row 1 (index 'b')``).
    """

    def __init__(self, frame: object, subject: str) -> None:
        self.subject = subject
        self.arrow = optional_module("pyarrow")
        self._table, self._pandas = _arrow_table(frame, subject)
        names = self._table.column_names if self._pandas is None else frame.columns  # type: ignore[attr-defined]
        self._names = [str(name) for name in names]
        self.length = len(self._table if self._pandas is None else self._pandas)

    def error(
        self, column: str, row: int | None, message: str, value: Any
    ) -> ValidationError:
        """The error about ``column`` (at ``row``, if any)."""
        path = column if row is None else f"{column}[{row}]"
        where = "" if row is None else f"row {row}: "
        if row is not None and self._pandas is not None:
            label = self._pandas.index[row]
            if label != row:  # a filtered or re-indexed frame: say both
                where = f"row {row} (index {label!r}): "
        return ValidationError.single(self.subject, path, where + message, value)

    def fail(self, column: str, row: int | None, message: str, value: Any) -> NoReturn:
        """Raise the error about ``column`` (at ``row``, if any)."""
        raise self.error(column, row, message, value)

    def column(self, column: object, argument: str) -> Any:
        """The column named ``column`` as one Arrow array, nulls refused
        (``None`` for an empty frame)."""
        pa = self.arrow
        if not isinstance(column, str) or column not in self._names:
            self.fail(
                argument, None, f"no column {column!r} (columns: {self._names})", column
            )
        if self._pandas is not None:
            try:
                array = pa.Array.from_pandas(self._pandas[column])
            except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
                self.fail(column, None, f"cannot be read as one type: {error}", None)
        else:
            array = self._table.column(column).combine_chunks()
        if len(array) == 0:  # an empty frame: whatever type its columns have
            return None
        if array.null_count:
            row = array.is_null().to_pylist().index(True)
            self.fail(column, row, "a missing value (null)", None)
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        return array

    def pandas_column(self, column: object) -> Any:
        """The pandas Series named ``column`` of a pandas frame, as it is;
        ``None`` for other frames, an unknown column or an empty frame."""
        frame = self._pandas
        if frame is None or not isinstance(column, str) or not self.length:
            return None
        if column not in self._names:
            return None
        return frame[column]

    def wrong_type(self, column: str, kind: Any, wanted: str) -> ValidationError:
        message = f"expected {wanted}, the column holds {kind}"
        return self.error(column, None, message, str(kind))

    def text(self, column: object, argument: str) -> list[str]:
        """Non-blank strings."""
        array = self.column(column, argument)
        if array is None:
            return []
        name = str(column)
        if not self.is_text(array.type):
            raise self.wrong_type(name, array.type, "text")
        values: list[str] = array.to_pylist()
        for row, value in enumerate(values):
            if not value.strip():
                self.fail(name, row, "an empty value", value)
        return values

    def is_text(self, kind: Any) -> bool:
        types = self.arrow.types
        return bool(
            types.is_string(kind)
            or types.is_large_string(kind)
            or types.is_string_view(kind)
        )

    def dates(self, column: object, argument: str) -> list[dt.date]:
        """Days: date columns, timestamps without a time zone at midnight, or
        ``YYYY-MM-DD`` text."""
        array = self.column(column, argument)
        if array is None:
            return []
        name, kind, types = str(column), array.type, self.arrow.types
        if types.is_date(kind):
            # Days since 1970 (date64 holds milliseconds of whole days).
            wide = types.is_date64(kind)
            per_day = 86_400_000 if wide else 1
            integers = self.arrow.int64() if wide else self.arrow.int32()
            whole = array.cast(integers).to_pylist()
            return [
                self._day(name, row, value // per_day, f"{value} ({kind})")
                for row, value in enumerate(whole)
            ]
        if types.is_timestamp(kind):
            self.refuse_zoned(name, kind)
            return [self._midnight(name, row, v) for row, v in enumerate(array)]
        if self.is_text(kind):
            return [self._iso_day(name, row, v) for row, v in enumerate(array)]
        raise self.wrong_type(name, kind, "dates, timestamps at midnight or YYYY-MM-DD")

    def refuse_zoned(self, column: str, kind: Any) -> None:
        """Refuse a timestamp column with a time zone: its day depends on it."""
        if kind.tz is not None:
            self.fail(
                column,
                None,
                f"timestamps in time zone {kind.tz} are refused: the day "
                "depends on the zone; convert them to dates first",
                str(kind),
            )

    def _midnight(self, column: str, row: int, scalar: Any) -> dt.date:
        value = scalar.value  # an integer in the column's unit: no pandas needed
        days, rest = divmod(value, 86400 * TICKS_PER_SECOND[scalar.type.unit])
        # The range first: pyarrow cannot show a timestamp beyond it.
        day = self._day(column, row, days, f"{value} ({scalar.type})")
        if rest:
            self.fail(column, row, f"{scalar} is not at midnight", str(scalar))
        return day

    def _day(self, column: str, row: int, days: int, found: str) -> dt.date:
        """The day ``days`` after 1 January 1970, within years 1 to 9999
        (``found``: the value as stored, for the error)."""
        if not FIRST_DAY <= days <= LAST_DAY:
            self.fail(
                column,
                row,
                f"{days} days from 1970-01-01 is outside years 1 to 9999",
                found,
            )
        return dt.date.fromordinal(_EPOCH + days)

    def _iso_day(self, column: str, row: int, scalar: Any) -> dt.date:
        text = scalar.as_py()
        try:
            if len(text) == 10 and text[4] == text[7] == "-":
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
        raise self.error(column, row, f"{text!r} is not a YYYY-MM-DD date", text)

    def amounts(
        self,
        column: object,
        argument: str,
        currencies: list[str],
        *,
        minor_units: bool,
        floats: str | None,
    ) -> list[Decimal]:
        """Exact amounts, each a whole number of its currency's minor units."""
        if floats is not None and floats not in FLOAT_RULES:
            self.fail("floats", None, f"unknown rule; one of {FLOAT_RULES}", floats)
        array = self.column(column, argument)
        if array is None:
            return []
        name = str(column)
        convert = self.converter(
            name, array.type, minor_units=minor_units, floats=floats
        )
        found: list[Decimal] = []
        for row, (value, currency) in enumerate(
            zip(array.to_pylist(), currencies, strict=True)
        ):
            try:
                amount = convert(value, currency)
            except (InvalidOperation, ValueError, OverflowError):
                self.fail(
                    name,
                    row,
                    f"{value!r} is not a finite decimal amount (such as 1200.00)",
                    value,
                )
            problem = _amount_problem(amount, currency)
            if problem is not None:
                self.fail(name, row, problem, value)
            found.append(amount)
        return found

    def converter(
        self, name: str, kind: Any, minor_units: bool, floats: str | None
    ) -> Callable[[Any, str], Decimal]:
        """How the values of an amount column of type ``kind`` become exact."""
        types = self.arrow.types
        if minor_units and not types.is_integer(kind):
            raise self.wrong_type(name, kind, "integers (minor_units=True)")
        if types.is_integer(kind):
            if not minor_units:
                raise self.wrong_type(
                    name,
                    kind,
                    "decimal or text amounts; pass minor_units=True if the "
                    "integers count minor units (cents)",
                )
            return _from_minor
        if types.is_floating(kind):
            if floats is None:
                raise self.wrong_type(
                    name,
                    kind,
                    "decimal or text amounts; floats are not exact: pass "
                    "floats='round-to-minor' to round each half up to the minor unit",
                )
            return _from_float
        if types.is_decimal(kind):
            return _as_is
        if self.is_text(kind):
            return _from_text
        raise self.wrong_type(name, kind, "decimal, text or integer amounts")


def _as_is(value: Decimal, _currency: str) -> Decimal:
    return value


def _from_minor(value: int, currency: str) -> Decimal:
    return Decimal(value).scaleb(-currency_precision(currency), EXACT)


def _from_float(value: float, currency: str) -> Decimal:
    if not math.isfinite(value):
        raise ValueError(value)
    quantum = Decimal(1).scaleb(-currency_precision(currency))
    return Decimal(repr(value)).quantize(quantum, ROUND_HALF_UP, ROUNDING)


def _from_text(value: str, _currency: str) -> Decimal:
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(value)
    return amount


def _amount_problem(amount: Decimal, currency: str) -> str | None:
    if not amount.is_finite():
        return "not a finite amount"
    if amount and amount.adjusted() >= MAX_MAGNITUDE_DIGITS:
        return f"must be below 10**{MAX_MAGNITUDE_DIGITS} in absolute value"
    return billed_problem(amount, currency)


def currencies_of(
    columns: Columns, currency: str | None, currency_column: str | None
) -> list[str]:
    """Each row's currency: ``currency`` for all, or read from its column."""
    if (currency is None) == (currency_column is None):
        columns.fail(
            "currency",
            None,
            "give either currency='EUR' (one currency for every row) or "
            "currency_column='currency' (a column of codes), not both or neither",
            currency if currency is not None else currency_column,
        )
    if currency is not None:
        return [validate_currency(currency, subject=columns.subject)] * columns.length
    codes = columns.text(currency_column, "currency_column")
    known: set[str] = set()
    for row, code in enumerate(codes):
        if code not in known:
            try:
                validate_currency(code, subject=columns.subject)
            except ValidationError as error:
                columns.fail(str(currency_column), row, error.errors[0].message, code)
            known.add(code)
    return codes
