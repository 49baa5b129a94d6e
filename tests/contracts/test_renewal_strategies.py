"""Renewal pricing strategies: exact prices, compounding, clamping, validation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kamcore.accounts import LineItem, PriceExplanation, PricingStep
from kamcore.contracts import RenewalPricing, StrategyKind
from kamcore.errors import ValidationError
from kamcore.kernel import Money, Percentage, ProductId

TEN = Money("10.00", "EUR")


def uplift(points: str, years: int = 1) -> RenewalPricing:
    return RenewalPricing(
        kind=StrategyKind.UPLIFT, uplift=Percentage(points), years=years
    )


def indexed(change: str, *, cap: str | None, floor: str | None) -> RenewalPricing:
    return RenewalPricing(
        kind=StrategyKind.INDEX_LINKED,
        index_change=Percentage(change),
        cap=None if cap is None else Percentage(cap),
        floor=None if floor is None else Percentage(floor),
    )


def test_same_prices_keep_the_price() -> None:
    same = RenewalPricing(kind=StrategyKind.SAME_PRICES)
    assert same.unit_price(Money("13.7350", "EUR")) == Money("13.7350", "EUR")
    assert same.resolves_at_new_term is False


def test_current_list_resolves_at_the_new_term() -> None:
    assert RenewalPricing(kind=StrategyKind.CURRENT_LIST).resolves_at_new_term


def test_uplift_rounds_once_to_four_places_half_up() -> None:
    assert uplift("3").unit_price(Money("13.7355", "EUR")) == Money("14.1476", "EUR")


def test_multi_year_uplift_compounds_explicitly() -> None:
    three_years = uplift("5", years=3)
    assert [three_years.unit_price(TEN, year) for year in (1, 2, 3)] == [
        Money("10.5000", "EUR"),
        Money("11.0250", "EUR"),
        Money("11.5763", "EUR"),
    ]
    assert three_years.factor(3) == Decimal("1.157625")


def test_index_change_above_the_cap_is_capped() -> None:
    assert indexed("6.1", cap="4", floor="0").yearly_change == Percentage(4)


def test_index_change_below_the_floor_is_floored() -> None:
    assert indexed("-2.5", cap="4", floor="0").yearly_change == Percentage(0)


def test_index_change_inside_the_band_applies_as_published() -> None:
    assert indexed("2.7", cap="4", floor="0").unit_price(TEN) == Money("10.2700", "EUR")


def test_index_change_without_bounds_applies_as_published() -> None:
    assert indexed("-1.5", cap=None, floor=None).unit_price(TEN) == Money(
        "9.8500", "EUR"
    )


def test_a_strategy_without_its_parameter_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        RenewalPricing(kind=StrategyKind.UPLIFT)
    assert [e.path for e in raised.value.errors] == ["uplift"]


def test_parameters_of_another_strategy_are_refused_every_one() -> None:
    with pytest.raises(ValidationError) as raised:
        RenewalPricing(
            kind=StrategyKind.SAME_PRICES,
            uplift=Percentage(3),
            cap=Percentage(4),
            floor=Percentage(0),
        )
    assert [e.path for e in raised.value.errors] == ["uplift", "cap", "floor"]


def test_a_floor_above_the_cap_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        indexed("3", cap="2", floor="4")
    assert [(e.path, e.value) for e in raised.value.errors] == [
        ("floor", Percentage(4))
    ]


@pytest.mark.parametrize("years", [0, 11, True])
def test_years_outside_one_to_ten_are_refused(years: int) -> None:
    with pytest.raises(ValidationError) as raised:
        uplift("3", years=years)
    assert [(e.path, e.value) for e in raised.value.errors] == [("years", years)]


def test_describe_names_the_strategy_and_year() -> None:
    assert uplift("3").describe() == "uplift 3%"
    assert uplift("3", years=2).describe(2) == "uplift 3% (year 2)"
    assert indexed("6.1", cap="4", floor=None).describe() == (
        "index-linked 6.1% (floor none, cap 4%) -> 4%"
    )
    assert RenewalPricing(kind=StrategyKind.SAME_PRICES).describe() == "same prices"


def test_apply_to_gives_one_line_per_year_with_the_step_explained() -> None:
    explanation = PriceExplanation(
        source="base.items[0]",
        source_kind="base",
        candidates=(),
        steps=(PricingStep(label="list price", amount=TEN),),
    )
    line = LineItem(
        product=ProductId("valve"),
        quantity=Decimal(3),
        unit_price=TEN,
        description="Valve",
        explanation=explanation,
    )
    first, second = uplift("10", years=2).apply_to([line])
    assert (first.unit_price, first.description) == (
        Money("11.0000", "EUR"),
        "year 1: Valve",
    )
    assert (second.unit_price, second.description, second.total) == (
        Money("12.1000", "EUR"),
        "year 2: Valve",
        Money("36.30", "EUR"),
    )
    assert second.explanation is not None
    assert [str(step) for step in second.explanation.steps] == [
        "list price: 10.00 EUR",
        "renewal: uplift 10% (year 2): 12.1000 EUR (rounded: 4 places, ROUND_HALF_UP)",
    ]


def test_apply_to_explains_the_line_total_again_from_the_renewed_price() -> None:
    plain = LineItem(product=ProductId("valve"), quantity=Decimal(3), unit_price=TEN)
    priced = PriceExplanation(
        source="base.items[0]",
        source_kind="base",
        candidates=(),
        steps=(PricingStep(label="list price", amount=TEN), *plain.total_steps()),
    )
    line = LineItem(
        product=ProductId("valve"),
        quantity=Decimal(3),
        unit_price=TEN,
        explanation=priced,
    )
    [renewed] = uplift("10").apply_to([line])
    assert renewed.explanation is not None
    assert [str(step) for step in renewed.explanation.steps] == [
        "list price: 10.00 EUR",
        "renewal: uplift 10%: 11.0000 EUR (rounded: 4 places, ROUND_HALF_UP)",
        "gross total 3 x 11.0000 EUR: 33.00 EUR (rounded: 2 places, ROUND_HALF_UP)",
        "line total: 33.00 EUR",
    ]
