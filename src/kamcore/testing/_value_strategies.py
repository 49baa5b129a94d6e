"""Strategies for kernel values: money, percentages, dates, instants, ids.

Each strategy is built once per set of arguments and kept (a strategy is an
immutable description): composite strategies call these factories on every
draw, and building a strategy again, with its validation, costs far more than
drawing from it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeAlias, TypeVar

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from kamcore.kernel import DateRange, Money, Percentage, Rate, currency_precision

__all__ = [
    "currencies",
    "date_ranges",
    "dates",
    "days_after",
    "free_text",
    "ids",
    "instants",
    "locales",
    "minor_unit",
    "money",
    "money_in",
    "names",
    "percentages",
    "rates",
    "relativedelta_terms",
]

T = TypeVar("T")
Number: TypeAlias = Decimal | int | str

CURRENCIES = ("EUR", "USD", "JPY", "KWD", "CHF", "GBP", "SEK", "BHD", "ISK")
LOCALES = ("en_US", "en_GB", "de_DE", "de_CH", "fr_FR", "it_IT", "ja_JP", "ar_KW")
_OFFSETS = (0, 60, 120, -300, 330, 540, -210, 765)  # minutes east of UTC
_EARLIEST = dt.date(2000, 1, 1)
_LATEST = dt.date(2099, 12, 31)
_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789-_"

names = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")
"""Non-blank text: names, subjects, reasons."""
free_text = st.text(max_size=60)
"""Any text, empty included: descriptions, references, bodies."""


_CURRENCIES = st.sampled_from(CURRENCIES)
_LOCALES = st.sampled_from(LOCALES)
_ID_TEXTS = st.text(_ID_ALPHABET, min_size=1, max_size=12)
# Enough for every bound a test run draws near the same time; older ones go.
_KEPT = 4096


def currencies() -> st.SearchStrategy[str]:
    """ISO 4217 codes with 0, 2 and 3 minor digits (JPY, EUR, KWD...)."""
    return _CURRENCIES


def locales() -> st.SearchStrategy[str]:
    """Babel locale identifiers (``de_DE``, ``ja_JP``...)."""
    return _LOCALES


def ids(kind: Callable[[str], T]) -> st.SearchStrategy[T]:
    """Non-blank ids of one typed kind: ``ids(ClientId)``."""
    return _ids(kind)


@functools.lru_cache(maxsize=256)
def _ids(kind: Callable[[str], Any]) -> st.SearchStrategy[Any]:
    return _ID_TEXTS.map(kind)


def money(
    currency: str | None = None,
    *,
    min_value: Number | None = None,
    max_value: Number | None = None,
    places: int | None = None,
) -> st.SearchStrategy[Money]:
    """Amounts of money, rounded to the currency's minor unit unless ``places``.

    Args:
        currency: Pin the currency; any of :func:`currencies` otherwise.
        min_value: Smallest amount (default -1 000 000).
        max_value: Largest amount (default 1 000 000).
        places: Decimal places of the amount (default: the currency's).
    """
    low = Decimal(-1_000_000 if min_value is None else min_value)
    high = Decimal(1_000_000 if max_value is None else max_value)
    return _money(currency, low, high, places)


@functools.lru_cache(maxsize=_KEPT)
def _money(
    currency: str | None, low: Decimal, high: Decimal, places: int | None
) -> st.SearchStrategy[Money]:
    if currency is not None:  # as st.just(currency).flatmap(...), one level less
        return money_in(low, high, places, currency)
    return _CURRENCIES.flatmap(functools.partial(money_in, low, high, places))


@functools.lru_cache(maxsize=_KEPT)
def money_in(
    low: Decimal, high: Decimal, places: int | None, code: str
) -> st.SearchStrategy[Money]:
    """:func:`money` in ``code``, from ``low`` to ``high``, kept once built."""
    digits = currency_precision(code) if places is None else places
    amounts = st.decimals(low, high, places=digits)
    return amounts.map(functools.partial(_in_currency, code))


def _in_currency(code: str, amount: Decimal) -> Money:
    return Money(amount, code)


def percentages(
    min_value: Number = 0, max_value: Number = 100, places: int = 2
) -> st.SearchStrategy[Percentage]:
    """Percentages in percent points, 0 to 100 by default."""
    return _percentages(Decimal(min_value), Decimal(max_value), places)


@functools.lru_cache(maxsize=256)
def _percentages(
    min_value: Decimal, max_value: Decimal, places: int
) -> st.SearchStrategy[Percentage]:
    return st.decimals(min_value, max_value, places=places).map(Percentage)


def rates(
    min_value: Number = 0, max_value: Number = 10, places: int = 4
) -> st.SearchStrategy[Rate]:
    """Dimensionless rates (multipliers, points per unit), 0 to 10 by default."""
    return _rates(Decimal(min_value), Decimal(max_value), places)


@functools.lru_cache(maxsize=256)
def _rates(
    min_value: Decimal, max_value: Decimal, places: int
) -> st.SearchStrategy[Rate]:
    return st.decimals(min_value, max_value, places=places).map(Rate)


def _month_end(year_month: tuple[int, int]) -> dt.date:
    year, month = year_month
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _leap_day_near(year: int) -> dt.date:
    """29 February of the last leap year up to ``year`` (year 4 at the earliest)."""
    leap = max(year - year % 4, 4)
    if not calendar.isleap(leap):  # 1900, 2100: centuries skip it
        leap -= 4
    return dt.date(leap, 2, 29)


def dates(
    min_value: dt.date = _EARLIEST, max_value: dt.date = _LATEST
) -> st.SearchStrategy[dt.date]:
    """Business dates in ``[min_value, max_value]``.

    A third of them are month ends and a third 29 February (of a leap year near
    the drawn one), clamped into the bounds: the days calendar arithmetic
    gets wrong.
    """
    return _dates(min_value, max_value)


_MONTHS = st.integers(1, 12)


@functools.lru_cache(maxsize=_KEPT)
def _dates(min_value: dt.date, max_value: dt.date) -> st.SearchStrategy[dt.date]:
    years = st.integers(min_value.year, max_value.year)
    clamp = functools.partial(_clamp, min_value, max_value)
    month_ends = st.tuples(years, _MONTHS).map(_month_end).map(clamp)
    leap_days = years.map(_leap_day_near).map(clamp)
    return st.one_of(st.dates(min_value, max_value), month_ends, leap_days)


def _clamp(min_value: dt.date, max_value: dt.date, day: dt.date) -> dt.date:
    return min(max(day, min_value), max_value)


def days_after(start: dt.date, days: int) -> dt.date:
    """``start`` plus ``days``, stopping at the last representable date."""
    return start + dt.timedelta(days=min(days, (dt.date.max - start).days))


def instants(
    min_value: dt.datetime = dt.datetime(2000, 1, 1),  # noqa: DTZ001 - naive bounds, as st.datetimes wants
    max_value: dt.datetime = dt.datetime(2099, 12, 31, 23, 59, 59),  # noqa: DTZ001
) -> st.SearchStrategy[dt.datetime]:
    """Timezone-aware instants with fixed UTC offsets from -05:00 to +12:45."""
    return _instants(min_value, max_value)


_ZONES = st.sampled_from(
    [dt.timezone(dt.timedelta(minutes=offset)) for offset in _OFFSETS]
)


@functools.lru_cache(maxsize=256)
def _instants(
    min_value: dt.datetime, max_value: dt.datetime
) -> st.SearchStrategy[dt.datetime]:
    return st.datetimes(min_value, max_value, timezones=_ZONES)


_ANY_DATE = dates()
_OPEN_END = st.sampled_from((False, True))


@st.composite
def date_ranges(draw: st.DrawFn) -> DateRange:
    """Date ranges, open at either end or both, ``start <= end``."""
    start, end = sorted([draw(_ANY_DATE), draw(_ANY_DATE)])
    # A bound or none, the bound first (where shrinking goes), as
    # ``sampled_from([bound, None])`` would draw it.
    return DateRange(
        None if draw(_OPEN_END) else start, None if draw(_OPEN_END) else end
    )


@st.composite
def relativedelta_terms(draw: st.DrawFn) -> relativedelta:
    """Positive contract terms in years, months and days (``months=12``...)."""
    years, months, days = draw(_TERMS)
    return relativedelta(years=years, months=months, days=days)


_TERMS = st.tuples(st.integers(0, 5), st.integers(0, 11), st.integers(0, 30)).filter(
    any
)


def minor_unit(code: str) -> Decimal:
    """The smallest billable amount of ``code`` (0.01 for EUR, 1 for JPY)."""
    return Decimal(1).scaleb(-currency_precision(code))
