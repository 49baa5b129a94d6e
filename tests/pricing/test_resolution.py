"""Price resolution: precedence, ties, windows, quantity breaks, derivations."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

import pytest
from pricing_samples import (
    ACME_LIST,
    BASE,
    DACH,
    DAY,
    IN_BOTH_GROUPS,
    NORDICS,
    PUMP,
    VALVE,
    VOLUME,
    base,
    client,
    client_list,
    derived,
    discounts,
    eur,
    group,
    group_list,
    index,
    item,
    price_list,
    rule,
    unit,
)

from kamcore.accounts import CandidateOutcome
from kamcore.errors import CurrencyMismatchError
from kamcore.kernel import (
    DiscountGroupId,
    Money,
    Percentage,
    PriceListId,
)
from kamcore.pricing import (
    Derivation,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
    PriceNotFoundError,
    PricingConfigurationError,
    PricingIndex,
    PricingOptions,
)

# -- precedence ---


def test_dedicated_list_beats_group_and_base_lists() -> None:
    idx = index(
        base(item(price="12.00")),
        group_list(DACH, item(price="11.00")),
        client_list(item(price="9.50")),
    )
    who = client(price_list=ACME_LIST, groups=IN_BOTH_GROUPS)
    resolved = idx.resolve(who, VALVE, Decimal(1), DAY)
    assert resolved.unit_price == eur("9.5000")
    assert (resolved.source, resolved.source_kind) == (
        "acme-2026.items[0]",
        PriceListKind.CLIENT,
    )


def test_group_list_beats_base_list() -> None:
    idx = index(base(item(price="12.00")), group_list(DACH, item(price="11.00")))
    assert unit(idx, client(groups=IN_BOTH_GROUPS)) == Decimal("11.0000")


def test_higher_priority_group_wins() -> None:
    idx = index(
        base(item(price="12.00")),
        group_list(DACH, item(price="11.00")),
        group_list(NORDICS, item(price="10.50")),
    )
    resolved = idx.resolve(client(groups=IN_BOTH_GROUPS), VALVE, Decimal(1), DAY)
    assert resolved.unit_price == eur("11.0000")
    assert resolved.source == "dach.items[0]"


def test_lower_priority_group_prices_what_the_higher_one_lacks() -> None:
    idx = index(
        base(item(price="12.00")),
        group_list(DACH, item(PUMP, "900.00")),
        group_list(NORDICS, item(price="10.50")),
    )
    assert unit(idx, client(groups=IN_BOTH_GROUPS)) == Decimal("10.5000")


def test_dedicated_list_without_the_product_falls_through_to_groups() -> None:
    idx = index(
        base(item(price="12.00")),
        group_list(DACH, item(price="11.00")),
        client_list(item(PUMP, "800.00")),
    )
    who = client(price_list=ACME_LIST, groups=IN_BOTH_GROUPS)
    assert unit(idx, who) == Decimal("11.0000")


def test_base_list_prices_a_client_in_no_group() -> None:
    idx = index(base(item(price="12.00")), group_list(DACH, item(price="11.00")))
    assert unit(idx, client()) == Decimal("12.0000")


def test_no_price_anywhere_is_an_error_not_zero() -> None:
    idx = index(base(item(PUMP, "900.00")))
    with pytest.raises(PriceNotFoundError) as caught:
        idx.resolve(client(), VALVE, Decimal(1), DAY)
    assert (caught.value.client, caught.value.product) == ("acme", "valve")
    assert caught.value.reasons == ("base (base): no item for the product",)


def test_equal_priority_groups_with_different_prices_conflict_naming_both() -> None:
    tied = [group("g-dach", 10, DACH), group("g-nordics", 10, NORDICS)]
    idx = index(
        base(item(price="12.00")),
        group_list(DACH, item(price="11.00")),
        group_list(NORDICS, item(price="10.50")),
        client_groups=tied,
    )
    with pytest.raises(PricingConfigurationError) as caught:
        idx.resolve(client(groups=IN_BOTH_GROUPS), VALVE, Decimal(1), DAY)
    assert caught.value.sources == ("dach.items[0]", "nordics.items[0]")
    assert caught.value.conflicts[0].detail == (
        "groups g-dach and g-nordics have the same priority and price valve at "
        "11.0000 and 10.5000 net (list prices 11.00 and 10.50) on 2026-03-15"
    )


def test_equal_priority_groups_that_agree_are_no_conflict() -> None:
    tied = [group("g-dach", 10, DACH), group("g-nordics", 10, NORDICS)]
    idx = index(
        base(item(price="12.00")),
        group_list(DACH, item(price="11.00")),
        group_list(NORDICS, item(price="11.00")),
        client_groups=tied,
    )
    resolved = idx.resolve(client(groups=IN_BOTH_GROUPS), VALVE, Decimal(1), DAY)
    assert resolved.source == "dach.items[0]"
    outcomes = [(c.source, c.outcome) for c in resolved.explain().candidates]
    assert ("nordics.items[0]", CandidateOutcome.SAME_PRICE_TIE) in outcomes


# -- validity windows and quantity breaks ---


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2026, 2, 28), "12.0000"),
        (dt.date(2026, 3, 1), "9.0000"),
        (dt.date(2026, 3, 31), "9.0000"),
        (dt.date(2026, 4, 1), "12.0000"),
    ],
)
def test_validity_window_includes_its_first_and_last_day(
    on: dt.date, expected: str
) -> None:
    promo = item(
        price="9.00", valid_from=dt.date(2026, 3, 1), valid_to=dt.date(2026, 3, 31)
    )
    idx = index(base(item(price="12.00")), group_list(DACH, promo))
    assert unit(idx, client(groups=IN_BOTH_GROUPS), on=on) == Decimal(expected)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [("9.999", "10.0000"), ("10", "9.2000"), ("99", "9.2000"), ("100", "8.7500")],
)
def test_highest_applicable_quantity_break_wins(quantity: str, expected: str) -> None:
    idx = index(
        base(
            item(price="10.00"),
            item(price="9.20", min_quantity=Decimal(10)),
            item(price="8.75", min_quantity=Decimal(100)),
        )
    )
    assert unit(idx, client(), quantity) == Decimal(expected)


def test_expired_break_does_not_hide_the_next_one() -> None:
    idx = index(
        base(
            item(price="10.00"),
            item(price="8.00", min_quantity=Decimal(10), valid_to=dt.date(2026, 1, 31)),
        )
    )
    resolved = idx.resolve(client(), VALVE, Decimal(50), DAY)
    assert resolved.unit_price == eur("10.0000")
    assert [(c.source, c.outcome) for c in resolved.explain().candidates] == [
        ("base.items[1]", CandidateOutcome.EXPIRED),
        ("base.items[0]", CandidateOutcome.CHOSEN),
    ]


def test_two_items_with_the_same_break_on_the_same_day_conflict() -> None:
    with pytest.raises(PricingConfigurationError) as caught:
        index(base(item(price="10.00"), item(price="9.00", valid_from=DAY)))
    assert caught.value.sources == ("base.items[0]", "base.items[1]")


# -- derived lists ---


def test_derived_price_applies_the_percentage_and_rounding_step() -> None:
    idx = index(
        base(item(price="44.80")), group_list(DACH, derived(BASE, "-8", "0.05"))
    )
    assert unit(idx, client(groups=IN_BOTH_GROUPS)) == Decimal("41.2000")


def test_derivation_chains_follow_every_link() -> None:
    idx = index(
        base(item(price="100.00")),
        group_list(NORDICS, derived(BASE, "-10")),
        group_list(DACH, derived(NORDICS, "5", "0.10")),
    )
    resolved = idx.resolve(client(groups=IN_BOTH_GROUPS), VALVE, Decimal(1), DAY)
    assert resolved.unit_price == eur("94.5000")
    assert [str(step) for step in resolved.explain().steps] == [
        "list price base.items[0]: 100.00 EUR",
        "derived at nordics.items[0]: base -10%: 90.0000 EUR",
        "derived at dach.items[0]: nordics +5%, rounded to a multiple of 0.10: "
        "94.50 EUR (rounded: multiple of 0.10, ROUND_HALF_UP)",
        "unit price: 94.5000 EUR (rounded: 4 places, ROUND_HALF_UP)",
    ]


def test_derivation_cycle_is_caught_when_the_lists_are_indexed() -> None:
    with pytest.raises(PricingConfigurationError) as caught:
        index(
            base(item(price="1.00")),
            group_list(DACH, derived(NORDICS, "1")),
            group_list(NORDICS, derived(DACH, "1")),
        )
    assert [c.detail for c in caught.value.conflicts] == [
        "derived prices of valve form a cycle: dach -> nordics -> dach"
    ]
    assert caught.value.sources == ("dach", "nordics")


def test_derivation_from_a_list_in_another_currency_is_refused() -> None:
    with pytest.raises(PricingConfigurationError) as caught:
        index(
            price_list(BASE, PriceListKind.BASE, currency="CHF"),
            group_list(DACH, derived(BASE, "-5")),
        )
    assert caught.value.conflicts[0].detail == (
        "dach.items[0] in EUR derives from a list in CHF: kamcore does no currency "
        "conversion"
    )


def test_derivation_from_a_missing_list_is_refused() -> None:
    with pytest.raises(PricingConfigurationError) as caught:
        index(group_list(DACH, derived(PriceListId("gone"), "-5")))
    assert caught.value.sources == ("dach.items[0]", "gone")


def test_derived_price_below_zero_is_a_configuration_error() -> None:
    surcharge = PriceItem(
        product=VALVE,
        derived=Derivation(source=BASE, surcharge=Decimal("-20")),
    )
    idx = index(base(item(price="10.00")), group_list(DACH, surcharge))
    with pytest.raises(PricingConfigurationError) as caught:
        unit(idx, client(groups=IN_BOTH_GROUPS))
    assert caught.value.conflicts[0].detail == (
        "dach.items[0] derives a negative price -10.0000"
    )


# -- catalogue checks ---


def test_every_catalogue_conflict_is_reported_at_once() -> None:
    with pytest.raises(PricingConfigurationError) as caught:
        index(
            base(item(price="1.00"), item(price="2.00")),
            price_list(PriceListId("base-2"), PriceListKind.BASE),
            client_groups=[group("g", 1, PriceListId("missing")), group("h", 1, BASE)],
        )
    assert [c.sources for c in caught.value.conflicts] == [
        ("base.items[0]", "base.items[1]"),
        ("base", "base-2"),
        ("g", "missing"),
        ("h", "base"),
    ]


def test_client_list_in_another_currency_is_a_currency_mismatch() -> None:
    usd = price_list(ACME_LIST, PriceListKind.CLIENT, currency="USD")
    idx = index(base(item(price="1.00")), usd)
    with pytest.raises(CurrencyMismatchError) as caught:
        unit(idx, client(price_list=ACME_LIST))
    assert (caught.value.expected, caught.value.actual) == ("EUR", "USD")


def test_client_pointing_at_a_missing_list_is_a_configuration_error() -> None:
    idx = index(base(item(price="1.00")))
    with pytest.raises(PricingConfigurationError):
        unit(idx, client(price_list=PriceListId("nowhere")))


# -- discount groups ---


def test_most_specific_discount_rule_applies() -> None:
    rules = discounts(
        rule(DiscountScope.ALL, None, "2"),
        rule(DiscountScope.CATEGORY, "valves", "5"),
        rule(DiscountScope.PRODUCT, "valve", "7.5"),
    )
    idx = index(base(item(price="41.20")), discount_groups=rules)
    resolved = idx.resolve(client(discount_group=VOLUME), VALVE, Decimal(1), DAY)
    assert resolved.unit_price == eur("38.1100")
    assert resolved.discount == Percentage("7.5")


def test_category_rule_applies_when_the_product_rule_needs_more_quantity() -> None:
    rules = discounts(
        rule(DiscountScope.PRODUCT, "valve", "10", minimum=50),
        rule(DiscountScope.CATEGORY, "valves", "5"),
    )
    idx = index(base(item(price="41.20")), discount_groups=rules)
    assert unit(idx, client(discount_group=VOLUME), "49") == Decimal("39.1400")
    assert unit(idx, client(discount_group=VOLUME), "50") == Decimal("37.0800")


def test_dedicated_list_prices_are_net_of_discount_groups() -> None:
    rules = discounts(rule(DiscountScope.ALL, None, "5"))
    idx = index(
        base(item(price="10.00")),
        client_list(item(price="9.00")),
        discount_groups=rules,
    )
    who = client(price_list=ACME_LIST, discount_group=VOLUME)
    resolved = idx.resolve(who, VALVE, Decimal(1), DAY)
    assert (resolved.unit_price, resolved.discount) == (eur("9.0000"), None)
    assert resolved.explain().discount == (
        "discount group volume not applied: this client list item is net"
    )


def test_dedicated_item_may_accept_discounts() -> None:
    rules = discounts(rule(DiscountScope.ALL, None, "5"))
    stacking = item(price="9.00", discountable=True)
    idx = index(base(item(price="10.00")), client_list(stacking), discount_groups=rules)
    assert unit(idx, client(price_list=ACME_LIST, discount_group=VOLUME)) == Decimal(
        "8.5500"
    )


def test_unknown_discount_group_is_a_configuration_error() -> None:
    idx = index(base(item(price="10.00")))
    with pytest.raises(PricingConfigurationError) as caught:
        unit(idx, client(discount_group=DiscountGroupId("ghost")))
    assert caught.value.sources == ("acme", "ghost")


# -- rounding and explanation ---


def test_unit_price_rounds_once_half_up_to_the_unit_places() -> None:
    rules = discounts(rule(DiscountScope.ALL, None, "3"))
    idx = index(base(item(price="13.7350")), discount_groups=rules)
    assert unit(idx, client(discount_group=VOLUME)) == Decimal("13.3230")
    two_places = index(
        base(item(price="13.7350")),
        discount_groups=rules,
        options=PricingOptions(unit_places=2),
    )
    assert unit(two_places, client(discount_group=VOLUME)) == Decimal("13.32")


@pytest.mark.parametrize(("currency", "price"), [("JPY", "1333"), ("KWD", "1.2345")])
def test_prices_resolve_in_the_client_currency(currency: str, price: str) -> None:
    idx = PricingIndex(
        [
            PriceList(
                id=BASE,
                name="base",
                currency=currency,
                kind=PriceListKind.BASE,
                items=(PriceItem(product=VALVE, unit_price=Money(price, currency)),),
            )
        ]
    )
    resolved = idx.resolve(client(currency=currency), VALVE, Decimal(3), DAY)
    assert resolved.unit_price == Money(price, currency)


def test_explanation_lists_every_candidate_in_precedence_order() -> None:
    idx = index(
        base(item(price="12.00")),
        group_list(
            DACH, item(price="11.00", min_quantity=Decimal(10)), item(price="11.50")
        ),
        group_list(NORDICS, item(price="10.50", valid_from=dt.date(2026, 4, 1))),
        client_list(item(PUMP, "800.00")),
    )
    who = client(price_list=ACME_LIST, groups=IN_BOTH_GROUPS)
    explanation = idx.resolve(who, VALVE, Decimal(5), DAY).explain()
    assert str(explanation) == "\n".join(
        [
            "price from dach.items[1] (group list)",
            "  considered acme-2026 (client): no item for the product",
            "  considered dach.items[0] (group): quantity below the item's minimum "
            "[from quantity 10, valid open..open]",
            "  considered dach.items[1] (group) 11.50 EUR: chosen "
            "[from quantity 0, valid open..open]",
            "  considered nordics (group): a list of higher precedence priced it "
            "[no price]",
            "  considered base.items[0] (base) 12.00 EUR: a list of higher precedence "
            "priced it [from quantity 0, valid open..open]",
            "  step list price dach.items[1]: 11.50 EUR",
            "  step unit price: 11.5000 EUR (rounded: 4 places, ROUND_HALF_UP)",
        ]
    )


def test_explanation_agrees_with_the_price() -> None:
    rules = discounts(rule(DiscountScope.CATEGORY, "valves", "5"))
    idx = index(
        base(item(price="44.80")),
        group_list(DACH, derived(BASE, "-8", "0.05")),
        discount_groups=rules,
    )
    resolved = idx.resolve(
        client(groups=IN_BOTH_GROUPS, discount_group=VOLUME), VALVE, Decimal(12), DAY
    )
    explanation = resolved.explain()
    assert resolved.unit_price == eur("39.1400")
    assert explanation.steps[-1].amount == resolved.unit_price
    assert explanation.source == resolved.source == "dach.items[0]"
    assert (
        explanation.discount
        == "discount group volume: category valves from quantity 0: 5%"
    )


# -- independence from the host's decimal settings -------------------------------


def test_resolution_ignores_the_callers_decimal_context() -> None:
    rules = discounts(rule(DiscountScope.ALL, None, "50"))
    idx = index(base(item(price="0.6665")), discount_groups=rules)
    who = client(discount_group=VOLUME)
    expected = unit(idx, who)
    with decimal.localcontext(prec=4):
        assert unit(idx, who) == expected == Decimal("0.3333")
    with decimal.localcontext(prec=3) as strict:
        strict.traps[decimal.Inexact] = True
        assert unit(idx, who) == Decimal("0.3333")


def test_missing_source_price_names_the_client() -> None:
    empty = group_list(NORDICS)
    idx = index(empty, group_list(DACH, derived(NORDICS, "-5")))
    with pytest.raises(PriceNotFoundError) as caught:
        unit(idx, client(groups=IN_BOTH_GROUPS))
    assert caught.value.client == "acme"
    assert caught.value.reasons == (
        "dach.items[0] derives from nordics, which has no price for it",
    )


@pytest.mark.parametrize(
    ("price", "step", "expected"),
    [
        ("10.00", "0.03", "9.99"),
        ("10.005", "0.03", "10.02"),
        ("10.0049", "0.03", "9.99"),
        ("-10.005", "0.03", "-10.02"),
        ("0.025", "0.05", "0.05"),
        ("7", "0.25", "7.00"),
    ],
)
def test_rounding_step_is_exact_half_up(price: str, step: str, expected: str) -> None:
    rounding = Derivation(source=BASE, rounding_step=Decimal(step))
    with decimal.localcontext(prec=2):
        assert rounding.apply(Decimal(price)) == Decimal(expected)


def test_resolve_explained_gives_the_price_and_its_explanation_in_one_pass() -> None:
    rules = discounts(rule(DiscountScope.CATEGORY, "valves", "5"))
    idx = index(
        base(item(price="44.80")),
        group_list(DACH, derived(BASE, "-8", "0.05")),
        discount_groups=rules,
    )
    who = client(groups=IN_BOTH_GROUPS, discount_group=VOLUME)
    resolved, explanation = idx.resolve_explained(who, VALVE, Decimal(12), DAY)
    assert resolved == idx.resolve(who, VALVE, Decimal(12), DAY)
    assert explanation == resolved.explain()
    assert explanation.steps[-1].amount == Money("39.1400", "EUR")
