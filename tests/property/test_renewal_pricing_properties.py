"""Renewal pricing invariants: compounding is explicit and never drifts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import LineItem
from kamcore.contracts import RenewalPricing, StrategyKind
from kamcore.kernel import Money, Percentage, ProductId

bases = st.decimals(
    min_value=Decimal("0.0001"), max_value=Decimal(10000), places=4
).map(lambda amount: Money(amount, "EUR"))
uplifts = st.decimals(min_value=Decimal(0), max_value=Decimal(25), places=2).map(
    Percentage
)
years = st.integers(min_value=1, max_value=10)


@given(bases, uplifts, years)
def test_year_n_is_the_base_times_the_factor_to_the_n_rounded_once(
    base: Money, uplift: Percentage, count: int
) -> None:
    pricing = RenewalPricing(kind=StrategyKind.UPLIFT, uplift=uplift, years=count)
    # The oracle computes with enough digits to be exact, then rounds once.
    with localcontext(prec=200):
        factor = Decimal(1) + uplift.value / 100
        expected = [
            (base.amount * factor**year).quantize(Decimal("0.0001"), ROUND_HALF_UP)
            for year in range(1, count + 1)
        ]
    assert [pricing.unit_price(base, year).amount for year in range(1, count + 1)] == (
        expected
    )


@given(bases, uplifts, years)
def test_prices_never_fall_from_one_year_to_the_next_with_an_uplift(
    base: Money, uplift: Percentage, count: int
) -> None:
    pricing = RenewalPricing(kind=StrategyKind.UPLIFT, uplift=uplift, years=count)
    prices = [pricing.unit_price(base, year) for year in range(1, count + 1)]
    assert prices == sorted(prices)


@given(st.lists(bases, min_size=1, max_size=4), uplifts, years)
def test_apply_to_prices_every_line_for_every_year(
    prices: list[Money], uplift: Percentage, count: int
) -> None:
    pricing = RenewalPricing(kind=StrategyKind.UPLIFT, uplift=uplift, years=count)
    lines = [
        LineItem(product=ProductId(f"p-{i}"), quantity=Decimal(2), unit_price=price)
        for i, price in enumerate(prices)
    ]
    moved = pricing.apply_to(lines)
    assert len(moved) == count * len(lines)
    for year in range(1, count + 1):
        block = moved[(year - 1) * len(lines) : year * len(lines)]
        assert [line.unit_price for line in block] == [
            pricing.unit_price(price, year) for price in prices
        ]
        assert [line.product for line in block] == [line.product for line in lines]
