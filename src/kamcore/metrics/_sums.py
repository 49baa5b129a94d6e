"""Exact monthly sums of every account: integer matrices, accounts x months.

A :class:`MonthlySums` holds one row per account and one column per month seen
(kept sorted), in three matrices: net invoiced, order totals and order counts.
A cell holds a whole number of the account currency's minor units (cents for
EUR, yen for JPY): every amount that reaches a state is billed (SPEC §1), so
the integers are exact, and a metric is array arithmetic over them, read back
as ``Decimal`` only where a result is read.

Cells are 64-bit integers while every one of them stays within
:data:`CELL_LIMIT` (2**47 minor units: 1.4 trillion euros in one account and
month); a window of up to :data:`WIDE` months then sums without overflow. A
cell beyond turns its matrix into one of Python integers (numpy's object
arrays: the same operations, slower, still exact), and a longer window is
summed the same way. Nothing is ever rounded or wrapped.

A cell that comes back to zero holds zero: a state's sums are the same
whatever order its events came in.
"""

from __future__ import annotations

from bisect import bisect_left
from decimal import Decimal
from itertools import repeat
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel import EXACT, ClientId, currency_precision

__all__ = [
    "CELL_LIMIT",
    "COUNTS",
    "INVOICED",
    "KINDS",
    "ORDERED",
    "WIDE",
    "Matrix",
    "MonthlySums",
    "as_decimal",
    "units_array",
]

Matrix = npt.NDArray[Any]
"""A matrix of cells: ``int64``, or ``object`` (Python ints) beyond the limit."""

CELL_LIMIT: Final = 2**47
WIDE: Final = 2**15
INVOICED: Final = 0
ORDERED: Final = 1
COUNTS: Final = 2
KINDS: Final = ("invoiced", "ordered", "order_counts")
_SAFE: Final = 2**62


def as_decimal(units: int, places: int) -> Decimal:
    """``units`` minor units as the exact amount, ``places`` decimals."""
    return Decimal(units).scaleb(-places, EXACT)


def units_array(values: list[int]) -> Matrix:
    """``values`` as an array: 64-bit while they fit well within, else of
    Python ints (never wrapped, never unsigned)."""
    if all(-_SAFE < value < _SAFE for value in values):
        return np.array(values, np.int64)
    array = np.empty(len(values), object)
    array[:] = values
    return array


def _units(amount: Decimal, places: int, what: str) -> int:
    scaled = amount.scaleb(places, EXACT)
    whole = int(scaled)
    if whole != scaled:
        raise ValidationError.single(
            "PortfolioState",
            what,
            f"{amount} is not a whole number of minor units ({places} decimals)",
            amount,
        )
    return whole


class MonthlySums:
    """The sums of a portfolio's accounts (see the module docstring).

    Rows are accounts in the order they were first seen; ``rows`` finds one.
    The matrices have spare rows, all zero: row ``len(clients)`` always
    exists and reads as an account with nothing (see :meth:`rows_of`).
    """

    __slots__ = (
        "clients",
        "columns",
        "currencies",
        "matrices",
        "months",
        "places",
        "rows",
    )

    def __init__(self) -> None:
        self.clients: list[ClientId] = []
        self.rows: dict[ClientId, int] = {}
        self.currencies: list[str] = []
        self.places: list[int] = []
        self.months: list[int] = []  # sorted month keys, one per column
        self.columns: dict[int, int] = {}
        self.matrices: list[Matrix] = [np.zeros((1, 0), np.int64) for _ in KINDS]

    # -- accounts and months ------------------------------------------------
    def check(self, client: ClientId, currency: str, what: str) -> None:
        """Raise unless ``client`` is unknown or held in ``currency``."""
        row = self.rows.get(client)
        if row is not None and self.currencies[row] != currency:
            raise CurrencyMismatchError(
                self.currencies[row], currency, f"add {what} to account {client!r} in"
            )

    def row(self, client: ClientId, currency: str) -> int:
        """``client``'s row, made (all zero) if new; the currency is checked
        by the caller (:meth:`check`)."""
        row = self.rows.get(client)
        if row is None:
            row = len(self.clients)
            self._append([client], currency)
        return row

    def rows_for(self, clients: list[ClientId], currency: str) -> npt.NDArray[np.int64]:
        """The rows of ``clients`` (distinct, all in ``currency``, checked by
        the caller), made if new."""
        start = len(self.clients)
        if not start:  # a fresh state: every client is new, in order
            self._append(clients, currency)
            return np.arange(len(clients), dtype=np.int64)
        found = list(map(self.rows.get, clients))
        new = [c for c, row in zip(clients, found, strict=True) if row is None]
        if new:
            self._append(new, currency)
            found = list(map(self.rows.__getitem__, clients))
        return np.array(found, np.int64)

    def _append(self, clients: list[ClientId], currency: str) -> None:
        start = len(self.clients)
        self.rows.update(zip(clients, range(start, start + len(clients)), strict=True))
        self.clients.extend(clients)
        self.currencies.extend([currency] * len(clients))
        self.places.extend([currency_precision(currency)] * len(clients))
        if len(self.clients) >= self.matrices[0].shape[0]:
            # Doubling, so that rows made one by one cost little; a batch
            # into a fresh state gets exactly its rows and the zero row.
            self._grow(max(len(self.clients) + 1, 2 * start))

    def _grow(self, capacity: int) -> None:
        for kind, matrix in enumerate(self.matrices):
            grown = np.zeros((capacity, matrix.shape[1]), matrix.dtype)
            grown[: matrix.shape[0]] = matrix
            self.matrices[kind] = grown

    def column(self, month: int) -> int:
        """``month``'s column, inserted (all zero) in order if new."""
        column = self.columns.get(month)
        if column is None:
            self.columns_for([month])
            column = self.columns[month]
        return column

    def columns_for(self, months: list[int]) -> None:
        """Insert the columns of ``months`` not there yet, in order."""
        new = sorted(set(months).difference(self.columns))
        if not new:
            return
        months = sorted([*self.months, *new])
        place = {month: n for n, month in enumerate(months)}
        kept = [place[month] for month in self.months]  # where the old columns go
        for kind, matrix in enumerate(self.matrices):
            wider = np.zeros((matrix.shape[0], len(months)), matrix.dtype)
            wider[:, kept] = matrix
            self.matrices[kind] = wider
        self.months = months
        self.columns = place

    def span(self, months: range) -> slice:
        """The columns of the months in ``months`` (a range of month keys)."""
        return slice(
            bisect_left(self.months, months.start),
            bisect_left(self.months, months.stop),
        )

    # -- changing -----------------------------------------------------------
    def add_amount(
        self, kind: int, client: ClientId, month: int, amount: Decimal, what: str
    ) -> None:
        """Add ``amount`` (in the account's currency) to one cell."""
        row = self.rows[client]
        self.add_units(kind, row, month, _units(amount, self.places[row], what))

    def add_units(self, kind: int, row: int, month: int, units: int) -> None:
        """Add ``units`` to the cell of ``row`` and ``month``."""
        column = self.column(month)
        matrix = self.matrices[kind]
        total = int(matrix[row, column]) + units
        if matrix.dtype != object and not -CELL_LIMIT <= total <= CELL_LIMIT:
            matrix = self.matrices[kind] = matrix.astype(object)
        matrix[row, column] = total

    def add_entries(
        self,
        kind: int,
        rows: npt.NDArray[np.int64],
        months: npt.NDArray[np.int64],
        units: Matrix,
    ) -> None:
        """Add each of ``units`` to the cell of its row and month (several
        entries may share a cell), exactly; the rows exist."""
        if not len(units):
            return
        columns = self._columns_of(months)
        matrix = self.matrices[kind]
        if object not in {matrix.dtype, units.dtype}:
            peak = int(np.abs(units).max())
            if peak * len(units) < _SAFE:  # the entries' sums cannot overflow
                if not matrix.flags.c_contiguous:
                    matrix = self.matrices[kind] = np.ascontiguousarray(matrix)
                cells = matrix.reshape(-1)  # a view of a contiguous matrix
                at = rows * matrix.shape[1] + columns
                np.add.at(cells, at, units)  # each cell stays below 2**63
                if int(np.abs(cells[at]).max()) <= CELL_LIMIT:
                    return
                np.subtract.at(cells, at, units)  # back as it was, exactly
        if matrix.dtype != object:
            matrix = self.matrices[kind] = matrix.astype(object)
        np.add.at(matrix, (rows, columns), units.astype(object))

    def _columns_of(self, months: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The column of each of ``months``, inserting the new ones."""
        low, high = int(months.min()), int(months.max())
        if high - low < len(months):  # a table of the span: no sort
            seen = np.bincount(months - low, minlength=high - low + 1)
            present = (np.flatnonzero(seen) + low).tolist()
            self.columns_for(present)
            table = np.full(high - low + 1, -1, np.int64)
            table[np.asarray(present) - low] = [self.columns[m] for m in present]
            return table[months - low]
        self.columns_for(np.unique(months).tolist())
        return np.searchsorted(np.asarray(self.months, np.int64), months)

    def absorb(self, other: MonthlySums) -> None:
        """Add ``other``'s sums, account by account (currencies checked first)."""
        pairs = list(zip(other.clients, other.currencies, strict=True))
        for client, currency in pairs:
            self.check(client, currency, f"amounts in {currency}")
        rows = np.array([self.row(c, k) for c, k in pairs], np.int64)
        months = np.asarray(other.months, np.int64)
        for kind, matrix in enumerate(other.matrices):
            found, columns = np.nonzero(matrix[: len(pairs)])
            units = matrix[found, columns]
            self.add_entries(kind, rows[found], months[columns], units)

    # -- reading --------------------------------------------------------------
    def rows_of(self, clients: tuple[ClientId, ...]) -> npt.NDArray[np.int64]:
        """The rows of ``clients``; an unknown client reads the zero row."""
        known = map(self.rows.get, clients, repeat(len(self.clients)))
        return np.fromiter(known, np.int64, len(clients))

    def window(self, kind: int, rows: npt.NDArray[np.int64], months: range) -> Matrix:
        """Each row's sum over ``months``: ints, or Python ints when needed."""
        span = self.span(months)
        block = self.matrices[kind][rows, span]
        if block.dtype != object and span.stop - span.start > WIDE:
            block = block.astype(object)
        if block.shape[1] == 0:
            return np.zeros(len(rows), block.dtype)
        sums: Matrix = block.sum(axis=1)
        return sums

    def cell(self, kind: int, rows: npt.NDArray[np.int64], month: int) -> Matrix:
        """Each row's cell of ``month`` (zero when the month was never seen)."""
        column = self.columns.get(month)
        matrix = self.matrices[kind]
        if column is None:
            return np.zeros(len(rows), matrix.dtype)
        cells: Matrix = matrix[rows, column]
        return cells

    def any_nonzero(self, kind: int, rows: npt.NDArray[np.int64]) -> bool:
        """Whether any of ``rows`` has a non-zero cell, in any month."""
        return bool(np.any(self.matrices[kind][rows] != 0))

    def first_month(self, kind: int) -> int | None:
        """The earliest month with a non-zero cell in any row, if any."""
        block = self.matrices[kind][: len(self.clients)]
        used = np.flatnonzero(np.any(block != 0, axis=0))
        return self.months[int(used[0])] if used.size else None

    def first_months(
        self, kind: int, rows: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """Each row's earliest month with a non-zero cell, ``-1`` for none."""
        if not self.months or not len(rows):
            return np.full(len(rows), -1, np.int64)
        nonzero = self.matrices[kind][rows] != 0
        months = np.asarray([*self.months, -1], np.int64)
        # The first non-zero column; a row without one reads the -1 after.
        first = np.where(nonzero.any(axis=1), nonzero.argmax(axis=1), len(self.months))
        found: npt.NDArray[np.int64] = months[first]
        return found

    def cells(self, kind: int, row: int) -> dict[int, int]:
        """``row``'s non-zero cells, by month."""
        line = self.matrices[kind][row]
        return {self.months[int(c)]: int(line[c]) for c in np.flatnonzero(line != 0)}

    def canonical(self) -> dict[ClientId, tuple[str, tuple[dict[int, int], ...]]]:
        """Every account with its currency and non-zero cells: what two equal
        sums share, whatever their row and column order."""
        return {
            client: (
                self.currencies[row],
                tuple(self.cells(kind, row) for kind in range(len(KINDS))),
            )
            for row, client in enumerate(self.clients)
        }

    def copy(self) -> MonthlySums:
        """An independent copy."""
        twin = MonthlySums()
        twin.clients = list(self.clients)
        twin.rows = dict(self.rows)
        twin.currencies = list(self.currencies)
        twin.places = list(self.places)
        twin.months = list(self.months)
        twin.columns = dict(self.columns)
        twin.matrices = [matrix.copy() for matrix in self.matrices]
        return twin

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MonthlySums):
            return NotImplemented
        return self.canonical() == other.canonical()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __getstate__(self) -> dict[str, Any]:
        used = len(self.clients)
        return {
            "clients": self.clients,
            "currencies": self.currencies,
            "months": self.months,
            "matrices": [matrix[:used] for matrix in self.matrices],
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.clients = state["clients"]
        self.currencies = state["currencies"]
        self.places = [currency_precision(code) for code in self.currencies]
        self.rows = {client: row for row, client in enumerate(self.clients)}
        self.months = state["months"]
        self.columns = {month: n for n, month in enumerate(self.months)}
        self.matrices = list(state["matrices"])
        self._grow(len(self.clients) + 1)  # and the zero row
