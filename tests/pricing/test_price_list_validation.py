"""Checking a set of price lists as a whole, without building an index.

``validate_price_lists`` finds every problem that only shows across lists:
derivation cycles, derivations from a list outside the set or in another
currency, two base lists in one currency, two lists with one id; and each
list's own overlapping items. ``PricingIndex`` runs the very same check.
"""

from __future__ import annotations

import pytest
from pricing_samples import (
    BASE,
    DACH,
    NORDICS,
    VALVE,
    base,
    derived,
    group,
    group_list,
    item,
    price_list,
)

from kamcore.accounts import Product
from kamcore.errors import ValidationError
from kamcore.kernel import CategoryId, PriceListId
from kamcore.pricing import (
    PriceList,
    PriceListKind,
    PricingConfigurationError,
    PricingIndex,
    validate_price_lists,
)


def problems(*lists: object) -> list[tuple[str, tuple[str, ...]]]:
    with pytest.raises(PricingConfigurationError) as caught:
        validate_price_lists(lists)  # type: ignore[arg-type]  # junk is tested too
    return [(c.detail, c.sources) for c in caught.value.conflicts]


def test_a_consistent_set_of_lists_passes() -> None:
    lists = [base(item(price="44.80")), group_list(DACH, derived(BASE, "-8", "0.05"))]
    validate_price_lists(lists)  # raises nothing


def test_a_derivation_cycle_names_every_list_in_it() -> None:
    assert problems(
        base(item(price="1.00")),
        group_list(DACH, derived(NORDICS, "1")),
        group_list(NORDICS, derived(DACH, "1")),
    ) == [
        (
            "derived prices of valve form a cycle: dach -> nordics -> dach",
            ("dach", "nordics"),
        )
    ]


def test_a_derivation_from_a_list_outside_the_set_names_the_item_and_the_id() -> None:
    assert problems(group_list(DACH, derived(PriceListId("gone"), "-5"))) == [
        (
            "dach.items[0] derives from a list that does not exist",
            ("dach.items[0]", "gone"),
        )
    ]


def test_a_derivation_across_currencies_names_the_item_and_its_source() -> None:
    assert problems(
        price_list(BASE, PriceListKind.BASE, currency="CHF"),
        group_list(DACH, derived(BASE, "-5")),
    ) == [
        (
            "dach.items[0] in EUR derives from a list in CHF: kamcore does no "
            "currency conversion",
            ("dach.items[0]", "base"),
        )
    ]


def test_two_base_lists_in_one_currency_are_a_problem() -> None:
    assert problems(
        base(item(price="1.00")),
        price_list(PriceListId("base-2"), PriceListKind.BASE),
    ) == [("two base lists in EUR", ("base", "base-2"))]


def test_one_base_list_per_currency_is_fine() -> None:
    lists = [
        base(item(price="1.00")),
        price_list(PriceListId("base-chf"), PriceListKind.BASE, currency="CHF"),
    ]
    validate_price_lists(lists)  # raises nothing


def test_two_different_lists_with_one_id_are_a_problem() -> None:
    assert problems(base(item(price="1.00")), base(item(price="2.00"))) == [
        ("2 price lists have the id base and differ (at 0, 1)", ("base",))
    ]


def test_the_same_list_given_twice_is_one_list() -> None:
    validate_price_lists([base(item(price="1.00"))] * 2)  # raises nothing


def test_overlapping_items_of_one_list_are_a_problem() -> None:
    assert problems(base(item(price="1.00"), item(price="2.00"))) == [
        (
            "two items price valve from quantity 0 on overlapping dates",
            ("base.items[0]", "base.items[1]"),
        )
    ]


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        base(item(price="1.00"), item(price="2.00")),
        price_list(PriceListId("base-2"), PriceListKind.BASE),
        group_list(DACH, derived(PriceListId("gone"), "-5")),
    )
    assert [sources for _, sources in found] == [
        ("base.items[0]", "base.items[1]"),
        ("base", "base-2"),
        ("dach.items[0]", "gone"),
    ]


def test_the_index_refuses_exactly_what_validation_refuses() -> None:
    lists = [
        base(item(price="1.00"), item(price="2.00")),
        group_list(DACH, derived(NORDICS, "1")),
        group_list(NORDICS, derived(DACH, "1")),
    ]
    with pytest.raises(PricingConfigurationError) as by_index:
        PricingIndex(lists)
    with pytest.raises(PricingConfigurationError) as by_validation:
        validate_price_lists(lists)
    assert by_index.value.conflicts == by_validation.value.conflicts


def test_something_else_than_a_price_list_is_a_validation_error() -> None:
    lists: list[object] = [base(item(price="1.00")), "dach"]
    with pytest.raises(ValidationError) as caught:
        validate_price_lists(lists)  # type: ignore[arg-type]  # the point
    assert caught.value.messages == ["expected PriceList, got str @ lists[1]"]


def test_the_lists_may_come_from_any_iterable() -> None:
    lists: tuple[PriceList, ...] = (base(item(price="1.00")),)
    validate_price_lists(iter(lists))  # raises nothing


# -- the index's other inputs -----------------------------------------------------


def test_two_different_groups_with_one_id_are_a_conflict() -> None:
    with pytest.raises(PricingConfigurationError) as caught:
        PricingIndex(
            [base(item(price="1.00"))],
            client_groups=[group("g", 1, None), group("g", 2, None)],
        )
    assert [c.detail for c in caught.value.conflicts] == [
        "2 client groups have the id g and differ (at 0, 1)"
    ]


def test_two_different_products_with_one_id_are_a_conflict() -> None:
    valve = Product(id=VALVE, name="Valve", category=CategoryId("valves"))
    renamed = Product(id=VALVE, name="Valve", category=CategoryId("pumps"))
    with pytest.raises(PricingConfigurationError) as caught:
        PricingIndex([base(item(price="1.00"))], products=[valve, renamed])
    assert caught.value.sources == ("valve",)


def test_the_index_refuses_something_else_than_a_price_list() -> None:
    lists: list[object] = [base(item(price="1.00")), "dach"]
    with pytest.raises(ValidationError) as caught:
        PricingIndex(lists)  # type: ignore[arg-type]  # the point
    assert caught.value.messages == ["expected PriceList, got str @ price_lists[1]"]


def test_the_index_refuses_a_string_for_its_catalogue() -> None:
    with pytest.raises(ValidationError) as caught:
        PricingIndex([base(item(price="1.00"))], products="valve")  # type: ignore[arg-type]  # the point
    assert caught.value.messages == [
        "expected an iterable of Product, got str @ products"
    ]
