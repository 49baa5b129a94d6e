"""Price lists, their items and derivations, and discount groups: the model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from kamcore.errors import ConfigurationConflictError, ValidationError
from kamcore.kernel import DiscountGroupId, Money, Percentage, PriceListId, ProductId
from kamcore.pricing import (
    Derivation,
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
    PricingConfigurationError,
    PricingConflict,
)

VALVE = ProductId("valve")
BASE = PriceListId("base")
MARCH_1 = dt.date(2026, 3, 1)
MARCH_31 = dt.date(2026, 3, 31)


def euros(amount: str) -> Money:
    return Money(amount, "EUR")


def item(
    price: str = "44.80",
    *,
    product: str = "valve",
    min_quantity: str = "0",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> PriceItem:
    return PriceItem(
        product=ProductId(product),
        unit_price=euros(price),
        min_quantity=Decimal(min_quantity),
        valid_from=start,
        valid_to=end,
    )


def price_list(*items: PriceItem, list_id: str = "acme") -> PriceList:
    return PriceList(
        id=PriceListId(list_id),
        name="ACME 2026",
        currency="EUR",
        kind=PriceListKind.CLIENT,
        items=items,
    )


def errors_of(build: Callable[[], object]) -> list[str]:
    """The messages of the ValidationError that ``build`` raises."""
    with pytest.raises(ValidationError) as caught:
        build()
    return caught.value.messages


# -- price items --------------------------------------------------------------


def test_an_item_needs_a_fixed_price_or_a_derivation() -> None:
    assert errors_of(lambda: PriceItem(product=VALVE)) == [
        "give exactly one of unit_price and derived @ unit_price"
    ]


def test_an_item_cannot_have_both_a_fixed_price_and_a_derivation() -> None:
    def both() -> PriceItem:
        return PriceItem(
            product=VALVE, unit_price=euros("44.80"), derived=Derivation(source=BASE)
        )

    assert errors_of(both) == [
        "give exactly one of unit_price and derived @ unit_price"
    ]


def test_an_item_price_cannot_be_negative() -> None:
    assert errors_of(lambda: item("-0.01")) == ["must not be negative @ unit_price"]


def test_a_free_item_is_allowed() -> None:
    assert item("0.00").unit_price == euros("0.00")


def test_an_item_minimum_quantity_cannot_be_negative() -> None:
    assert errors_of(lambda: item(min_quantity="-1")) == [
        "must be at least 0 @ min_quantity"
    ]


def test_an_item_window_cannot_end_before_it_starts() -> None:
    assert errors_of(lambda: item(start=MARCH_1, end=dt.date(2026, 2, 28))) == [
        "ends before it starts (2026-03-01) @ valid_to"
    ]


def test_an_item_valid_on_one_day_only_is_allowed() -> None:
    assert item(start=MARCH_1, end=MARCH_1).window.days == 1


def test_an_item_describes_its_break_and_window() -> None:
    assert item(min_quantity="10", start=MARCH_1).describe() == (
        "from quantity 10, valid 2026-03-01..open"
    )


# -- price lists --------------------------------------------------------------


def test_every_item_is_priced_in_the_list_currency() -> None:
    dollars = PriceItem(product=VALVE, unit_price=Money("44.80", "USD"))
    assert errors_of(lambda: price_list(item(), dollars)) == [
        "must be the list currency EUR @ items[1].unit_price.currency"
    ]


def test_a_list_cannot_derive_from_itself() -> None:
    own = PriceItem(product=VALVE, derived=Derivation(source=PriceListId("acme")))
    assert errors_of(lambda: price_list(own)) == [
        "a list cannot derive from itself @ items[0].derived.source"
    ]


def test_a_list_may_derive_from_another_list() -> None:
    derived = PriceItem(product=VALVE, derived=Derivation(source=BASE))
    assert price_list(derived).items == (derived,)


def test_with_items_adds_items_at_the_end() -> None:
    first, second = item("44.80"), item("40.00", min_quantity="10")
    assert price_list(first).with_items(second).items == (first, second)


# -- conflicts within a list ----------------------------------------------------


def test_overlapping_items_of_one_product_and_quantity_conflict() -> None:
    listed = price_list(
        item("44.80", end=MARCH_31),
        item("9.99", product="bolt"),
        item("43.00", start=dt.date(2026, 3, 15)),
    )
    assert listed.conflicts() == (
        PricingConflict(
            detail="two items price valve from quantity 0 on overlapping dates",
            sources=("acme.items[0]", "acme.items[2]"),
        ),
    )


def test_windows_sharing_one_day_conflict() -> None:
    listed = price_list(
        item("44.80", start=MARCH_1, end=MARCH_31),
        item("43.00", start=MARCH_31),
    )
    [conflict] = listed.conflicts()
    assert conflict.sources == ("acme.items[0]", "acme.items[1]")


def test_adjacent_windows_do_not_conflict() -> None:
    listed = price_list(
        item("44.80", end=dt.date(2026, 2, 28)),
        item("43.00", start=MARCH_1, end=MARCH_31),
        item("42.00", start=dt.date(2026, 4, 1)),
    )
    assert listed.conflicts() == ()
    listed.validate()


def test_different_quantity_breaks_do_not_conflict() -> None:
    listed = price_list(item("44.80"), item("41.00", min_quantity="10"))
    assert listed.conflicts() == ()


def test_three_overlapping_items_give_one_conflict_per_pair() -> None:
    listed = price_list(item("1.00"), item("2.00"), item("3.00"))
    assert [c.sources for c in listed.conflicts()] == [
        ("acme.items[0]", "acme.items[1]"),
        ("acme.items[0]", "acme.items[2]"),
        ("acme.items[1]", "acme.items[2]"),
    ]


def test_validate_raises_every_conflict_with_its_sources() -> None:
    listed = price_list(item("44.80"), item("43.00", end=MARCH_31))
    with pytest.raises(PricingConfigurationError) as caught:
        listed.validate()
    error = caught.value
    assert isinstance(error, ConfigurationConflictError)
    assert error.conflicts == listed.conflicts()
    assert error.sources == ("acme.items[0]", "acme.items[1]")
    assert str(error.conflicts[0]) == (
        "two items price valve from quantity 0 on overlapping dates "
        "(acme.items[0], acme.items[1])"
    )


# -- derivations --------------------------------------------------------------


def test_a_derivation_takes_a_percentage_off_and_rounds_to_its_step() -> None:
    rule = Derivation(
        source=BASE, adjustment=Percentage("-8"), rounding_step=Decimal("0.05")
    )
    assert rule.apply(Decimal("44.80")) == Decimal("41.20")
    assert str(rule.apply(Decimal("44.80"))) == "41.20"
    assert rule.describe() == "base -8%, rounded to a multiple of 0.05"


def test_a_derivation_without_a_step_is_exact() -> None:
    rule = Derivation(source=BASE, adjustment=Percentage("-8"))
    assert rule.apply(Decimal("44.80")) == Decimal("41.216")


def test_a_derivation_step_rounds_half_up() -> None:
    rule = Derivation(source=BASE, rounding_step=Decimal("0.05"))
    assert rule.apply(Decimal("10.025")) == Decimal("10.05")
    assert rule.apply(Decimal("10.0249")) == Decimal("10.00")


def test_a_surcharge_is_added_after_the_adjustment() -> None:
    rule = Derivation(
        source=BASE, adjustment=Percentage("10"), surcharge=Decimal("2.50")
    )
    assert rule.apply(Decimal("100")) == Decimal("112.50")
    assert rule.describe() == "base +10%, +2.50"


def test_a_negative_surcharge_takes_an_amount_off() -> None:
    rule = Derivation(
        source=BASE, adjustment=Percentage("-10"), surcharge=Decimal("-0.50")
    )
    assert rule.apply(Decimal("50.00")) == Decimal("44.50")


def test_a_derivation_refuses_more_than_all_off_and_a_non_positive_step() -> None:
    def build() -> Derivation:
        return Derivation(
            source=BASE, adjustment=Percentage("-100.01"), rounding_step=Decimal(0)
        )

    assert errors_of(build) == [
        "cannot take more than 100 % off @ adjustment",
        "must be greater than zero @ rounding_step",
    ]


# -- discount groups ------------------------------------------------------------


def rule(
    scope: DiscountScope = DiscountScope.CATEGORY,
    percentage: str = "5",
    target: str | None = "valves",
    *,
    min_quantity: str = "0",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> DiscountRule:
    return DiscountRule(
        scope=scope,
        percentage=Percentage(percentage),
        target=target,
        min_quantity=Decimal(min_quantity),
        valid_from=start,
        valid_to=end,
    )


@pytest.mark.parametrize("percentage", ["0", "-5", "100.01", "101"])
def test_a_discount_is_above_zero_and_at_most_100(percentage: str) -> None:
    assert errors_of(lambda: rule(percentage=percentage)) == [
        "must be above 0 and at most 100 @ percentage"
    ]


def test_a_whole_discount_is_allowed() -> None:
    assert rule(percentage="100").percentage == Percentage(100)


def test_a_rule_for_all_products_has_no_target() -> None:
    assert errors_of(lambda: rule(DiscountScope.ALL, target="valves")) == [
        "a rule for all products has no target @ target"
    ]


def test_a_product_rule_needs_a_target() -> None:
    assert errors_of(lambda: rule(DiscountScope.PRODUCT, target=None)) == [
        "a product rule needs a target product @ target"
    ]
    assert errors_of(lambda: rule(DiscountScope.PRODUCT, target=" ")) == [
        "must not be empty @ target"
    ]


def test_a_rule_describes_itself() -> None:
    assert rule(min_quantity="10").describe() == (
        "category valves from quantity 10: 5%"
    )
    assert rule(DiscountScope.ALL, "2", None).describe() == (
        "all products from quantity 0: 2%"
    )


def group(*rules: DiscountRule) -> DiscountGroup:
    return DiscountGroup(id=DiscountGroupId("gold"), name="Gold", rules=rules)


def test_rules_of_one_scope_target_and_quantity_on_shared_days_conflict() -> None:
    gold = group(
        rule(end=MARCH_31),
        rule(DiscountScope.PRODUCT, target="valves"),
        rule(min_quantity="10"),
        rule(percentage="7", start=MARCH_31),
    )
    assert gold.conflicts() == (
        PricingConflict(
            detail="two rules for category valves from quantity 0 apply on "
            "overlapping dates",
            sources=("gold.rules[0]", "gold.rules[3]"),
        ),
    )
    with pytest.raises(PricingConfigurationError) as caught:
        gold.validate()
    assert caught.value.conflicts == gold.conflicts()


def test_rules_on_adjacent_windows_do_not_conflict() -> None:
    gold = group(rule(end=dt.date(2026, 2, 28)), rule(percentage="7", start=MARCH_1))
    assert gold.conflicts() == ()
    gold.validate()
