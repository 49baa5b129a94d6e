"""Every reference a client makes must be in the index: never skipped.

A client group, dedicated list, discount group or product the index lacks is
a configuration error naming the client and the missing id, never a price from
whatever is left. A category discount rule needs the product's category: an
index built without the catalogue refuses the line rather than skipping the
rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from catalogue_strategies import (
    CATEGORIES,
    DAYS,
    PRODUCTS,
    Catalogue,
    catalogues,
)
from hypothesis import find, given
from hypothesis import strategies as st
from pricing_samples import (
    ACME_LIST,
    DAY,
    PUMP,
    VALVE,
    VOLUME,
    base,
    client,
    client_list,
    discounts,
    index,
    item,
    rule,
)
from pricing_samples import (
    PRODUCTS as SAMPLE_PRODUCTS,
)

from kamcore.accounts import Client, Product
from kamcore.errors import KamcoreError
from kamcore.kernel import ClientGroupId, DiscountGroupId, PriceListId, ProductId
from kamcore.pricing import (
    DiscountScope,
    PricingConfigurationError,
    PricingIndex,
    ResolvedPrice,
)
from kamcore.pricing._trace import Trace

PUMPS_ONLY = [p for p in SAMPLE_PRODUCTS if p.id == PUMP]


def price(idx: PricingIndex, who: Client) -> ResolvedPrice:
    return idx.resolve(who, VALVE, Decimal(1), DAY)


# -- client groups, lists, discount groups, products ---------------------------


def test_a_client_group_the_index_lacks_is_a_configuration_error() -> None:
    idx = index(base(item(price="12.00")))
    with pytest.raises(PricingConfigurationError) as caught:
        price(idx, client(groups=frozenset({ClientGroupId("ghost")})))
    assert caught.value.sources == ("acme", "ghost")
    assert caught.value.conflicts[0].detail == (
        "client acme is in group ghost, which the index does not have"
    )


def test_a_dedicated_list_the_index_lacks_names_the_client_and_the_list() -> None:
    idx = index(base(item(price="12.00")))
    with pytest.raises(PricingConfigurationError) as caught:
        price(idx, client(price_list=PriceListId("nowhere")))
    assert caught.value.sources == ("acme", "nowhere")


def test_an_unknown_discount_group_is_an_error_even_on_a_net_price() -> None:
    idx = index(base(item(price="12.00")), client_list(item(price="9.00")))
    who = client(price_list=ACME_LIST, discount_group=DiscountGroupId("ghost"))
    with pytest.raises(PricingConfigurationError) as caught:
        price(idx, who)
    assert caught.value.sources == ("acme", "ghost")


def test_a_product_missing_from_the_catalogue_is_a_configuration_error() -> None:
    idx = index(base(item(price="12.00")), products=PUMPS_ONLY)
    with pytest.raises(PricingConfigurationError) as caught:
        price(idx, client())
    assert caught.value.sources == ("acme", "valve")
    assert caught.value.conflicts[0].detail == (
        "product valve is not in the catalogue the index was built with"
    )


def test_every_missing_reference_of_a_line_is_reported_at_once() -> None:
    idx = index(base(item(price="12.00")), products=PUMPS_ONLY)
    who = client(
        groups=frozenset({ClientGroupId("ghost")}),
        price_list=PriceListId("nowhere"),
        discount_group=DiscountGroupId("phantom"),
    )
    with pytest.raises(PricingConfigurationError) as caught:
        price(idx, who)
    assert [c.sources for c in caught.value.conflicts] == [
        ("acme", "nowhere"),
        ("acme", "ghost"),
        ("acme", "phantom"),
        ("acme", "valve"),
    ]


def test_an_explanation_of_a_client_with_a_missing_group_is_refused_too() -> None:
    idx = index(base(item(price="12.00")))
    with pytest.raises(PricingConfigurationError):
        idx.resolve_explained(
            client(groups=frozenset({ClientGroupId("ghost")})), VALVE, Decimal(1), DAY
        )


# -- categories without a catalogue ---------------------------------------------


def test_a_category_rule_without_a_catalogue_is_an_error_not_a_different_price() -> (
    None
):
    rules = discounts(rule(DiscountScope.CATEGORY, "valves", "5"))
    idx = PricingIndex([base(item(price="10.00"))], discount_groups=rules)
    with pytest.raises(PricingConfigurationError) as caught:
        price(idx, client(discount_group=VOLUME))
    assert caught.value.sources == ("valve", "volume")
    assert caught.value.conflicts[0].detail == (
        "the category of valve is unknown (the index was built without products) "
        "and discount group volume has category rules"
    )


def test_an_all_products_rule_is_refused_when_a_category_rule_might_apply() -> None:
    rules = discounts(
        rule(DiscountScope.CATEGORY, "pumps", "10"), rule(DiscountScope.ALL, None, "2")
    )
    idx = PricingIndex([base(item(price="10.00"))], discount_groups=rules)
    with pytest.raises(PricingConfigurationError):
        price(idx, client(discount_group=VOLUME))


def test_a_product_rule_prices_without_a_catalogue() -> None:
    rules = discounts(
        rule(DiscountScope.PRODUCT, "valve", "10"),
        rule(DiscountScope.CATEGORY, "valves", "5"),
    )
    idx = PricingIndex([base(item(price="10.00"))], discount_groups=rules)
    assert price(idx, client(discount_group=VOLUME)).unit_price.amount == Decimal(
        "9.0000"
    )


def test_a_net_price_needs_no_category() -> None:
    rules = discounts(rule(DiscountScope.CATEGORY, "valves", "5"))
    idx = PricingIndex(
        [base(item(price="10.00")), client_list(item(price="9.00"))],
        discount_groups=rules,
    )
    who = client(price_list=ACME_LIST, discount_group=VOLUME)
    assert price(idx, who).unit_price.amount == Decimal("9.0000")


# -- the class: whatever the index lacks, never a price -------------------------

REMOVALS = st.sets(
    st.sampled_from(["groups", "dedicated", "discount", "product", "catalogue"])
)


def attempt(
    idx: PricingIndex,
    who: Client,
    product: ProductId,
    on: dt.date,
    *,
    general: bool,
) -> ResolvedPrice | KamcoreError:
    try:
        if general:
            return idx.resolve_traced(who, product, Decimal(5), on, Trace())
        return idx.resolve(who, product, Decimal(5), on)
    except KamcoreError as error:
        return error


def answer(outcome: ResolvedPrice | KamcoreError) -> object:
    if isinstance(outcome, ResolvedPrice):
        return (str(outcome.unit_price), outcome.source)
    return type(outcome).__name__


@given(
    catalogues(),
    st.sampled_from(PRODUCTS),
    DAYS,
    REMOVALS,
    st.sets(st.integers(0, 2), min_size=1),
)
def test_whatever_the_index_lacks_a_line_gets_its_price_or_an_error(
    catalogue: Catalogue,
    product: ProductId,
    on: dt.date,
    removals: set[str],
    dropped_groups: set[int],
) -> None:
    who = catalogue.client
    catalogue_products = [
        Product(id=p, name=str(p), category=CATEGORIES[p]) for p in PRODUCTS
    ]
    full = PricingIndex(
        catalogue.lists,
        client_groups=catalogue.groups,
        discount_groups=catalogue.discounts,
        products=catalogue_products,
    )
    missing: set[object] = set()
    groups = catalogue.groups
    if "groups" in removals:
        gone = {g.id for i, g in enumerate(groups) if i in dropped_groups}
        groups = tuple(g for g in groups if g.id not in gone)
        missing |= gone & who.groups
    lists = catalogue.lists
    if "dedicated" in removals:
        lists = tuple(lst for lst in lists if lst.id != "client")
        missing |= {who.price_list} - {None}
    discount_groups = catalogue.discounts
    if "discount" in removals:
        discount_groups = ()
        missing |= {who.discount_group} - {None}
    products: list[Product] | None = catalogue_products
    if "catalogue" in removals:
        products = None
    elif "product" in removals:
        products = [p for p in catalogue_products if p.id != product]
        missing.add(product)
    reduced = PricingIndex(
        lists,
        client_groups=groups,
        discount_groups=discount_groups,
        products=products,
    )
    for general in (False, True):
        expected = attempt(full, who, product, on, general=general)
        got = attempt(reduced, who, product, on, general=general)
        if missing:
            assert isinstance(got, PricingConfigurationError)
            assert missing <= set(got.sources)
        elif answer(got) != answer(expected):
            # Only a category the index cannot know may stop a line.
            assert isinstance(got, PricingConfigurationError)
            assert products is None
            assert who.discount_group is not None
            assert any(
                r.scope is DiscountScope.CATEGORY for r in catalogue.discounts[0].rules
            )


def test_the_reference_property_meets_category_rules() -> None:
    # The strategy must draw category rules, or the last branch above is dead.
    found = find(
        catalogues(),
        lambda c: any(r.scope is DiscountScope.CATEGORY for r in c.discounts[0].rules),
    )
    assert found.discounts[0].rules
