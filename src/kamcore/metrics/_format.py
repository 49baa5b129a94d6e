"""Plain rows and Babel-formatted text for metric results.

Rows are JSON-friendly: amounts and percentages as exact decimal strings
(``"1234.50"``, ``"-12.50"``), dates as ISO strings, counts as ints, missing
values as ``None``. Reports are sentences in the reader's language (kamcore's
catalogues, :mod:`kamcore.i18n`) whose numbers, amounts, percentages and dates
are formatted with Babel for the reader's locale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from kamcore.i18n import NC_, Translator, translator
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
    "NOT_AVAILABLE",
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
    "stored_text",
    "text",
]

Row = dict[str, str | int | bool | None]
"""One plain, JSON-friendly row."""

NOT_AVAILABLE = NC_("missing figure", "n/a")
"""What a report shows in place of a figure that has no value."""


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
    """``'12,5\xa0%'`` in de_DE; ``'n/a'`` for none, in the reader's language."""
    if value is None:
        return translator(locale)(NOT_AVAILABLE)
    return value.format(locale)


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


def stored_text(text: str | None, _: Translator) -> str:
    """A text a result keeps in English (a reason, a selection's
    description), for the reader of ``_``.

    It stays English in the result: it is data, in its rows and JSON. Each
    such text kamcore writes is marked (``N_``), so its English is the message:
    it reads translated here. Any other text (a result built by hand) reads as
    it is.
    """
    if not text:  # gettext("") would be the catalogue's header
        return str(text)
    return _(text)


def date_text(day: dt.date, locale: str) -> str:
    """A medium date for ``locale`` (``'16.11.2026'`` in de_DE)."""
    return babel_dates.format_date(day, "medium", locale=locale)


def period_text(period: DateRange, locale: str) -> str:
    """``'1 Jan 2026 to 31 Mar 2026'`` for ``locale`` (open ends say so).

    A period is a value put into a report's sentences, as a date is: one
    message per shape of period, in the reader's language.
    """
    _ = translator(locale)
    start = None if period.start is None else date_text(period.start, locale)
    end = None if period.end is None else date_text(period.end, locale)
    if start is not None and end is not None:
        return _between(_, start, end)
    if start is not None:
        # Translators: a period still running, e.g. "1 Jan 2026 to now".
        return _.pgettext("period", "{start} to now", start=start)
    if end is not None:
        # Translators: a period open at its start, e.g. "the beginning to 31 Mar 2026".
        return _.pgettext("period", "the beginning to {end}", end=end)
    return _.pgettext("period", "the beginning to now")


def months_text(months: range, locale: str) -> str:
    """A window of months for ``locale``: ``'Nov 2025 to Oct 2026'`` (one
    month alone: ``'Oct 2026'``)."""
    first = babel_dates.format_skeleton("yMMM", month_start(months[0]), locale=locale)
    last = babel_dates.format_skeleton("yMMM", month_start(months[-1]), locale=locale)
    return first if first == last else _between(translator(locale), first, last)


def _between(_: Translator, start: str, end: str) -> str:
    """The period from ``start`` to ``end`` (two days or months, formatted)."""
    # Translators: a period from its first to its last day or month, put into
    # a report's sentence: "1 Jan 2026 to 31 Mar 2026", "Nov 2025 to Oct 2026".
    return _.pgettext("period", "{start} to {end}", start=start, end=end)
