"""Invariants of the shared kernel, checked with Hypothesis."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from kamcore.kernel import Money, add_months, currency_precision, term_end, term_start

CURRENCIES = st.sampled_from(["EUR", "JPY", "KWD", "USD", "CHF"])


@st.composite
def amounts(draw: st.DrawFn, currency: str, *, rounded: bool = False) -> Money:
    places = currency_precision(currency) if rounded else draw(st.integers(0, 6))
    units = draw(st.integers(-(10**12), 10**12))
    return Money(Decimal(units).scaleb(-places), currency)


@st.composite
def same_currency_triples(draw: st.DrawFn) -> tuple[Money, Money, Money]:
    currency = draw(CURRENCIES)
    return (draw(amounts(currency)), draw(amounts(currency)), draw(amounts(currency)))


@given(same_currency_triples())
def test_addition_is_associative_and_exact(triple: tuple[Money, Money, Money]) -> None:
    a, b, c = triple
    assert (a + b) + c == a + (b + c)
    assert (a + b).amount == a.amount + b.amount


@given(same_currency_triples())
def test_subtraction_undoes_addition(triple: tuple[Money, Money, Money]) -> None:
    a, b, c = triple
    assert (a + b) - b == a
    assert (a - b) - c == a - (b + c)


@given(
    CURRENCIES.flatmap(lambda c: amounts(c, rounded=True)),
    st.lists(st.integers(0, 1000), min_size=1, max_size=12).filter(any),
)
def test_allocation_sums_exactly_to_the_total(total: Money, ratios: list[int]) -> None:
    parts = total.allocate(ratios)
    assert len(parts) == len(ratios)
    assert Money.sum(parts, total.currency) == total
    assert all(part.is_rounded() for part in parts)
    unit = Decimal(1).scaleb(-total.precision)
    weight = sum(ratios)
    for part, ratio in zip(parts, ratios, strict=True):
        # Every part is within one minor unit of its exact proportional share.
        assert abs(part.amount - total.amount * ratio / weight) < unit


@given(CURRENCIES.flatmap(amounts))
def test_rounding_is_idempotent_and_within_half_a_unit(money: Money) -> None:
    rounded = money.rounded()
    assert rounded.rounded() == rounded
    assert abs(rounded.amount - money.amount) <= Decimal(1).scaleb(-money.precision) / 2


EDGE_STARTS = st.sampled_from(
    [
        dt.date(2024, 2, 29),
        dt.date(2025, 1, 31),
        dt.date(2025, 3, 31),
        dt.date(2025, 8, 31),
        dt.date(2023, 12, 31),
        dt.date(2028, 2, 29),
    ]
)
STARTS = st.one_of(EDGE_STARTS, st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
TERMS = st.one_of(
    st.just(relativedelta(months=12)),
    st.builds(relativedelta, months=st.integers(1, 36)),
    st.builds(relativedelta, years=st.integers(1, 5)),
)


@given(STARTS)
def test_yearly_terms_never_drift_over_a_hundred_terms(start: dt.date) -> None:
    term = relativedelta(months=12)
    for n in range(1, 101):
        end = term_end(start, term, n)
        anniversary_year = start.year + n
        last_day = calendar.monthrange(anniversary_year, start.month)[1]
        anniversary = dt.date(anniversary_year, start.month, min(start.day, last_day))
        assert end == anniversary - dt.timedelta(days=1)


@given(STARTS, TERMS, st.integers(1, 100))
def test_terms_are_contiguous(start: dt.date, term: relativedelta, n: int) -> None:
    assert term_start(start, term, n + 1) == term_end(start, term, n) + dt.timedelta(
        days=1
    )
    assert term_start(start, term, n) <= term_end(start, term, n)


@given(
    STARTS,
    st.one_of(TERMS, st.builds(relativedelta, days=st.integers(1, 400))),
    st.integers(1, 100),
)
def test_anchored_dates_are_the_relativedelta_definition(
    start: dt.date, term: relativedelta, n: int
) -> None:
    # Terms in whole days take a timedelta shortcut: the same dates.
    assert term_start(start, term, n) == start + term * (n - 1)
    assert term_end(start, term, n) == start + term * n - relativedelta(days=1)


@given(STARTS, st.integers(-240, 240))
def test_add_months_keeps_the_day_or_clamps_to_month_end(
    start: dt.date, months: int
) -> None:
    result = add_months(start, months)
    month_index = start.year * 12 + start.month - 1 + months
    year, month_zero_based = divmod(month_index, 12)
    assert (result.year, result.month) == (year, month_zero_based + 1)
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last_day)
