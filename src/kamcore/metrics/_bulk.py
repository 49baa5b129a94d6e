"""The bulk path: plain invoice records summed per account and month.

Built to cost little more than the cheapest pure-Python pass: one dict
lookup turns a date into its month (the same ``date`` objects repeat across
a million records), one finds the account's month dict, and one exact
``Decimal`` addition in kamcore's ``EXACT`` context updates the cell. Types
are checked as records stream past (each new date and account once, each
amount by an identity test and, for whole minor units, by its exponent:
``12.34`` has the exponent of a cent, anything else is checked by value);
anything wrong is reported by re-examining the offending record, off the hot
loop. The sums per account and month then go into the state's matrices as
whole minor units (see :mod:`kamcore.metrics._sums`), in one step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from typing import cast

import numpy as np

from kamcore.errors import ValidationError
from kamcore.kernel import (
    EXACT,
    MAX_MAGNITUDE_DIGITS,
    ROUNDING,
    ClientId,
    billed_problem,
    currency_precision,
    validate_currency,
)
from kamcore.metrics._account import ZERO
from kamcore.metrics._sums import INVOICED, MonthlySums, units_array

__all__ = ["InvoiceRecord", "add_invoice_records"]

InvoiceRecord = tuple[str, dt.date, Decimal]
"""``(client id, issue date, net amount)``: one invoice, or a credit note as a
negative amount. The amount is billed: a whole number of the currency's minor
units (``Decimal("12.30")``, not ``Decimal(12.3)``)."""

_SUBJECT = "invoice records"


def _problem(record: object, currency: str) -> str:
    """What is wrong with ``record`` (called only once something failed)."""
    if not isinstance(record, tuple) or len(record) != 3:
        return "expected a (client, issue_date, net_amount) tuple"
    client, day, amount = record
    if not isinstance(client, str) or not client.strip():
        return "the client must be a non-empty string"
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        return "the issue date must be a datetime.date"
    if type(amount) is not Decimal:
        return f"the net amount must be a Decimal, got {type(amount).__name__}"
    problem = _amount_problem(amount, currency)
    if problem is not None:
        return f"the net amount of {record!r}: {problem}"
    return "an account's sum needs more than 60 significant digits"


def _amount_problem(amount: Decimal, currency: str) -> str | None:
    if not amount.is_finite():
        return "it is not a finite number"
    if amount and amount.adjusted() >= MAX_MAGNITUDE_DIGITS:
        return f"it must be below 10**{MAX_MAGNITUDE_DIGITS} in absolute value"
    return billed_problem(amount, currency)


def _whole(amount: Decimal, quantum: Decimal) -> bool:
    """Whether ``amount`` is a whole number of ``quantum``s, by value; raises
    ``ArithmeticError`` for an amount not finite or too large to quantize."""
    return amount.quantize(quantum, rounding=ROUND_DOWN, context=ROUNDING) == amount


def _month_of(day: object) -> int:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise TypeError(day)
    return day.year * 12 + day.month - 1


def _sum(
    records: Iterable[InvoiceRecord], currency: str
) -> dict[str, dict[int, Decimal]]:
    quantum = Decimal(1).scaleb(-currency_precision(currency))
    same_quantum = Decimal.same_quantum
    batch: dict[str, dict[int, Decimal]] = {}
    months: dict[dt.date, int] = {}
    get_cells = batch.get
    get_month = months.get
    add = EXACT.add
    decimal_type = Decimal
    record: InvoiceRecord | None = None
    try:
        for record in records:
            client, day, amount = record
            month = get_month(day)
            if month is None:
                month = months[day] = _month_of(day)
            cells = get_cells(client)
            if cells is None:
                if type(client) is not str or not client.strip():
                    raise TypeError(client)
                cells = batch[client] = {}
            if amount.__class__ is not decimal_type or not (
                same_quantum(amount, quantum) or _whole(amount, quantum)
            ):
                raise TypeError(amount)
            cells[month] = add(cells.get(month, ZERO), amount)
    except (TypeError, ValueError, AttributeError, ArithmeticError):
        raise ValidationError.single(
            _SUBJECT, "records", _problem(record, currency), record
        ) from None
    return batch


def add_invoice_records(
    sums: MonthlySums, records: Iterable[InvoiceRecord], currency: str
) -> None:
    """Add ``records`` (all in ``currency``) to ``sums``, all or nothing.

    Raises:
        ValidationError: a malformed record (named in the error: one with
            digits below the currency's minor unit, among others), an unknown
            currency, or a sum out of bounds.
        CurrencyMismatchError: an account already holds another currency.
    """
    validate_currency(currency, subject=_SUBJECT)
    # A record's client string is the account's id.
    batch = cast("dict[ClientId, dict[int, Decimal]]", _sum(records, currency))
    _add_monthly_sums(sums, batch, currency)


def _add_monthly_sums(
    sums: MonthlySums, batch: dict[ClientId, dict[int, Decimal]], currency: str
) -> None:
    """Add ``batch``, exact sums of billed amounts in ``currency`` by account
    and month, to ``sums``, all or nothing.

    Raises:
        ValidationError: a sum out of bounds.
        CurrencyMismatchError: an account already holds another currency.
    """
    get, held = sums.rows.get, sums.currencies
    for client in batch:
        row = get(client)
        if row is not None and held[row] != currency:
            sums.check(client, currency, "invoice records")
    places = currency_precision(currency)
    # Sums of whole minor units: exactly integers once scaled.
    units = [
        int(amount.scaleb(places, EXACT))
        for cells in batch.values()
        for amount in cells.values()
    ]
    array = units_array(units)
    if array.dtype == object:  # beyond 64 bits: within the bound?
        _check_bound(batch)
    rows = sums.rows_for(list(batch), currency)
    sums.add_entries(
        INVOICED,
        np.repeat(rows, [len(cells) for cells in batch.values()]),
        np.fromiter(
            (m for cells in batch.values() for m in cells), np.int64, len(units)
        ),
        array,
    )


def _check_bound(batch: dict[ClientId, dict[int, Decimal]]) -> None:
    limit = MAX_MAGNITUDE_DIGITS
    for client, cells in batch.items():
        for amount in cells.values():
            if amount and amount.adjusted() >= limit:
                raise ValidationError.single(
                    _SUBJECT,
                    f"records[{client!r}]",
                    f"a monthly sum must be below 10**{limit} in absolute value",
                    amount,
                )
