"""DataFrames out: every metric result as an Arrow table, pandas or polars.

One mixin, :class:`FrameExport`, gives a result ``to_arrow()``,
``to_pandas()`` and ``to_polars()``; what goes in the columns is a table of
column specs per result class (:mod:`kamcore.metrics._frames_specs`). Column
types are fixed by the spec, so an empty result has every column:

* amounts: ``decimal128(38, s)``, ``s`` the most decimal places of the
  currencies present (2 when empty) — exact, numeric — next to a
  ``currency`` column;
* percentages: ``decimal128(38, s)``, ``s`` the places the values need
  (2 at least); days: ``date32``; counts: ``int64``;
* reasons, outcomes, kinds and currencies: dictionary (pandas ``category``,
  polars ``Categorical``) columns.

pyarrow (and pandas or polars) are imported on use: kamcore runs without them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kamcore.kernel import Money, Percentage, currency_precision
from kamcore.metrics._frames_read import optional_module

if TYPE_CHECKING:  # optional: imported on use, never at import time
    import pandas as pd
    import polars as pl

__all__ = ["Column", "FrameExport", "arrow_table"]

Column = tuple[str, str, Callable[[Any], Any]]
"""``(name, kind, getter)``: kind is one of ``text``, ``category``, ``date``,
``int``, ``bool``, ``money``, ``percent``; the getter reads a line."""

_PRECISION = 38  # decimal128's most digits; decimal256 holds 76
_DEFAULT_SCALE = 2


class FrameExport:
    """Mixin: the result's lines as a typed table (see the module docstring).

    .. versionadded:: Unreleased
    """

    __slots__ = ()

    def to_arrow(self) -> Any:
        """The lines as a ``pyarrow.Table`` with typed columns."""
        return arrow_table(self)

    def to_pandas(self) -> pd.DataFrame:
        """The lines as a ``pandas.DataFrame``: amounts, percentages, days and
        counts as Arrow-backed columns (exact decimals, nullable integers),
        reasons and currencies as ``category``, text as strings."""
        pandas = optional_module("pandas")
        pa = optional_module("pyarrow")

        def mapped(kind: Any) -> Any:
            if pa.types.is_dictionary(kind) or pa.types.is_string(kind):
                return None
            return pandas.ArrowDtype(kind)

        frame: pd.DataFrame = arrow_table(self).to_pandas(types_mapper=mapped)
        return frame

    def to_polars(self) -> pl.DataFrame:
        """The lines as a ``polars.DataFrame`` (decimals, dates, categoricals)."""
        frame: pl.DataFrame = optional_module("polars").from_arrow(arrow_table(self))
        return frame


def arrow_table(result: object) -> Any:
    """``result``'s lines as a ``pyarrow.Table`` (see the module docstring)."""
    from kamcore.metrics._frames_specs import SPECS  # noqa: PLC0415 - a cycle

    pa = optional_module("pyarrow")
    lines_of, columns = SPECS[type(result).__name__]
    lines = list(lines_of(result))
    arrays = [
        _array(pa, kind, [get(line) for line in lines]) for _, kind, get in columns
    ]
    return pa.table(arrays, names=[name for name, _, _ in columns])


def _array(pa: Any, kind: str, values: list[Any]) -> Any:
    if kind == "text":
        return pa.array(values, type=pa.string())
    if kind == "category":
        plain = [v.value if isinstance(v, enum.Enum) else v for v in values]
        return pa.array(plain, type=pa.string()).dictionary_encode()
    if kind in ("date", "int", "bool"):
        types = {"date": pa.date32(), "int": pa.int64(), "bool": pa.bool_()}
        return pa.array(values, type=types[kind])
    if kind == "money":
        amounts = [None if v is None else _money(v) for v in values]
        places = [currency_precision(v.currency) for v in values if v is not None]
        return _decimals(pa, amounts, max(places, default=_DEFAULT_SCALE))
    if kind == "percent":
        return _decimals(pa, [None if v is None else _percent(v) for v in values], 2)
    raise ValueError(kind)  # pragma: no cover - specs name known kinds


def _money(value: Money) -> Decimal:
    return value.amount


def _percent(value: Percentage | Decimal) -> Decimal:
    return value.value if isinstance(value, Percentage) else value


def _decimals(pa: Any, values: Sequence[Decimal | None], scale: int) -> Any:
    """An exact decimal column: as many places as the values need (at least
    ``scale``), decimal256 when 38 digits are not enough."""
    digits = 1
    for value in values:
        if value is not None:
            exponent = value.as_tuple().exponent  # an int: amounts are finite
            scale = max(scale, -int(exponent))
            digits = max(digits, value.adjusted() + 1)
    precision = digits + scale
    if precision <= _PRECISION:
        kind = pa.decimal128(_PRECISION, scale)
    else:
        kind = pa.decimal256(2 * _PRECISION, scale)
    return pa.array(values, type=kind)
