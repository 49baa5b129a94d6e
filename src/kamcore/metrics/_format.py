"""Plain rows and Babel-formatted text for metric results.

Rows are JSON-friendly: amounts and percentages as exact decimal strings
(``"1234.50"``, ``"-12.50"``), dates as ISO strings, counts as ints, missing
values as ``None``. Reports are English sentences whose numbers, amounts,
percentages and dates are formatted with Babel for the reader's locale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from kamcore.kernel import (
    ClientId,
    DateRange,
    Money,
    Percentage,
    currency_precision,
    trusted_money,
    validate_locale,
)
from kamcore.metrics._months import canonical, month_start

__all__ = [
    "Row",
    "client_text",
    "date_text",
    "iso",
    "money_of",
    "money_text",
    "months_text",
    "number_text",
    "percent_text",
    "percentage_of",
    "period_text",
    "plural",
    "text",
]

Row = dict[str, str | int | bool | None]
"""One plain, JSON-friendly row."""


def money_of(amount: Decimal, currency: str) -> Money:
    """``amount`` (an exact sum of validated amounts) as Money, one spelling
    per value (see :func:`canonical`)."""
    return trusted_money(canonical(amount, currency_precision(currency)), currency)


_new = object.__new__
_set = object.__setattr__


def percentage_of(value: Decimal) -> Percentage:
    """``value`` percent points, from exact arithmetic (already a finite
    ``Decimal``): built without re-running the converter's checks, which cost
    more than the figure on a report of thousands of accounts."""
    percentage: Percentage = _new(Percentage)
    _set(percentage, "value", value)
    return percentage


def text(value: Money | Percentage | Decimal | None) -> str | None:
    """The exact figure as a string (no currency, no percent sign)."""
    if value is None:
        return None
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, Percentage):
        return str(value.value)
    return str(value)


def iso(day: dt.date | None) -> str | None:
    """The ISO form of ``day``, or ``None``."""
    return None if day is None else day.isoformat()


def checked_locale(locale: str) -> str:
    """``locale`` if Babel knows it; raises ``ValidationError`` otherwise."""
    return validate_locale(locale, subject="report")


def money_text(value: Money, locale: str) -> str:
    """``'1.234,50\xa0€'`` in de_DE."""
    return value.format(locale)


def percent_text(value: Percentage | None, locale: str) -> str:
    """``'12,5\xa0%'`` in de_DE; ``'n/a'`` for none."""
    return "n/a" if value is None else value.format(locale)


def number_text(value: Decimal | int, locale: str) -> str:
    """A plain number for ``locale`` (``'2,5'`` in de_DE), every digit kept."""
    return babel_numbers.format_decimal(
        value, locale=locale, decimal_quantization=False
    )


def client_text(client: ClientId, names: Mapping[ClientId, str] | None) -> str:
    """The name of ``client`` in ``names``, or its id when not named there."""
    if names is None:
        return client
    return names.get(client, client)


def plural(count: int, word: str) -> str:
    """``'1 account'``, ``'2 accounts'``: ``count`` and ``word``, with an
    ``s`` unless one."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def date_text(day: dt.date, locale: str) -> str:
    """A medium date for ``locale`` (``'16.11.2026'`` in de_DE)."""
    return babel_dates.format_date(day, "medium", locale=locale)


def period_text(period: DateRange, locale: str) -> str:
    """``'1 Jan 2026 to 31 Mar 2026'`` for ``locale`` (open ends say so)."""
    start = "the beginning" if period.start is None else date_text(period.start, locale)
    end = "now" if period.end is None else date_text(period.end, locale)
    return f"{start} to {end}"


def months_text(months: range, locale: str) -> str:
    """A window of months for ``locale``: ``'Nov 2025 to Oct 2026'``."""
    first = babel_dates.format_skeleton("yMMM", month_start(months[0]), locale=locale)
    last = babel_dates.format_skeleton("yMMM", month_start(months[-1]), locale=locale)
    return first if first == last else f"{first} to {last}"
