"""DataFrames in: a portfolio state from a frame of invoices or of orders.

A frame (pandas, polars or pyarrow) is read column by column through Arrow
(see :mod:`kamcore.metrics._frames_read`), all of it checked before anything
is summed: the state returned holds every row or the call raises. Rows have no
id, as with :meth:`PortfolioState.add_invoice_records`: they are summed, not
de-duplicated; merge the state with others (:meth:`PortfolioState.merge`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kamcore.kernel import EXACT, MAX_MAGNITUDE_DIGITS, ClientId
from kamcore.metrics._frames_read import Columns, currencies_of
from kamcore.metrics._frames_vector import invoices_in_arrow
from kamcore.metrics._months import month_key, month_label
from kamcore.metrics._state import PortfolioState

__all__ = ["KINDS", "invoices_from_frame", "orders_from_frame"]

KINDS = ("invoice", "credit_note")
"""The values of a ``kind`` column: an invoice adds its amount, a credit note
takes it away."""

_ZERO = Decimal(0)


def _read(
    columns: Columns,
    names: tuple[object, object, object],
    day_argument: str,
    currency: str | None,
    currency_column: str | None,
    *,
    minor_units: bool,
    floats: str | None,
) -> tuple[list[str], list[dt.date], list[Decimal], list[str]]:
    client, day, amount = names
    currencies = currencies_of(columns, currency, currency_column)
    clients = columns.text(client, "client")
    days = columns.dates(day, day_argument)
    amounts = columns.amounts(
        amount, "amount", currencies, minor_units=minor_units, floats=floats
    )
    if currency_column is not None:
        seen: dict[str, str] = {}
        for row, (who, code) in enumerate(zip(clients, currencies, strict=True)):
            first = seen.setdefault(who, code)
            if first != code:
                columns.fail(
                    currency_column,
                    row,
                    f"client {who!r} is in {first} in an earlier row; an account "
                    "holds one currency",
                    code,
                )
    return clients, days, amounts, currencies


def invoices_from_frame(
    frame: object,
    *,
    client: str = "client",
    issued: str = "issued",
    amount: str = "amount",
    currency: str | None = None,
    currency_column: str | None = None,
    kind: str | None = None,
    minor_units: bool = False,
    floats: str | None = None,
) -> PortfolioState:
    """A state of the net invoiced in ``frame``: one row per invoice or credit
    note (see ``docs/metrics.md``, "DataFrames").

    Args:
        frame: A pandas or polars DataFrame or a pyarrow Table.
        client: The column of the client id (text).
        issued: The column of the issue day (dates, timestamps at midnight
            without a time zone, or ``YYYY-MM-DD`` text).
        amount: The column of the amount (decimal or text; integers with
            ``minor_units=True``; floats only with ``floats=``).
        currency: The one currency of every row, or ``currency_column``: the
            column of each row's currency code.
        kind: A column of ``"invoice"`` or ``"credit_note"``; amounts are
            then not negative, and a credit note's is taken away. Without
            it, each amount is net (a credit note is a negative amount).
        minor_units: Integer amounts count minor units: ``1250`` is 12.50 EUR.
        floats: ``"round-to-minor"``: each float's shortest decimal form,
            rounded half up to the currency's minor unit.

    Raises:
        ValidationError: a missing column, a column of the wrong type, or a
            bad value (null, blank, not a day, not a billed amount), named by
            column and row (``amount[3]``, rows counted from 0) with the value.
        ImportError: pyarrow is not installed (``kamcore[frames]``).

    .. versionadded:: Unreleased
    """
    columns = Columns(frame, "invoices frame")
    if currency is not None and currency_column is None and kind is None:
        fast = invoices_in_arrow(
            columns,
            (client, issued, amount),
            currency,
            minor_units=minor_units,
            floats=floats,
        )
        if fast is not None:
            return fast
    clients, days, amounts, currencies = _read(
        columns,
        (client, issued, amount),
        "issued",
        currency,
        currency_column,
        minor_units=minor_units,
        floats=floats,
    )
    if kind is not None:
        kinds = columns.text(kind, "kind")
        for row, (what, value) in enumerate(zip(kinds, amounts, strict=True)):
            if what not in KINDS:
                columns.fail(kind, row, f"{what!r} is not one of {KINDS}", what)
            if value < 0:
                columns.fail(
                    amount, row, "negative; the kind column gives the sign", value
                )
            if what == "credit_note":
                amounts[row] = EXACT.minus(value)
    by_currency: dict[str, list[tuple[str, dt.date, Decimal]]] = {}
    for record in zip(clients, days, amounts, currencies, strict=True):
        by_currency.setdefault(record[3], []).append(record[:3])
    state = PortfolioState()
    for code, records in by_currency.items():
        state.add_invoice_records(records, currency=code)
    return state


def orders_from_frame(
    frame: object,
    *,
    client: str = "client",
    ordered: str = "ordered",
    amount: str = "amount",
    currency: str | None = None,
    currency_column: str | None = None,
    minor_units: bool = False,
    floats: str | None = None,
) -> PortfolioState:
    """A state of the orders in ``frame``: one row per order (not cancelled),
    its total counted in the month of its ``ordered`` day, with one order.

    The columns and arguments read as for :func:`invoices_from_frame`.

    Raises:
        ValidationError: as :func:`invoices_from_frame`, or a monthly sum of an
            account out of bounds.
        ImportError: pyarrow is not installed (``kamcore[frames]``).

    .. versionadded:: Unreleased
    """
    columns = Columns(frame, "orders frame")
    clients, days, amounts, currencies = _read(
        columns,
        (client, ordered, amount),
        "ordered",
        currency,
        currency_column,
        minor_units=minor_units,
        floats=floats,
    )
    cells: dict[tuple[str, str, int], tuple[Decimal, int]] = {}
    for who, day, value, code in zip(clients, days, amounts, currencies, strict=True):
        key = (who, code, month_key(day))
        total, count = cells.get(key, (_ZERO, 0))
        cells[key] = (EXACT.add(total, value), count + 1)
    for (who, _code, month), (total, _count) in cells.items():
        if total and total.adjusted() >= MAX_MAGNITUDE_DIGITS:
            columns.fail(
                str(amount),
                None,
                f"the orders of {who!r} in {month_label(month)} sum to 10**"
                f"{MAX_MAGNITUDE_DIGITS} or more",
                total,
            )
    state = PortfolioState()
    for (who, code, month), (total, count) in cells.items():
        state._account(ClientId(who), code)
        state._ordered(ClientId(who), month, total, count)
    return state
