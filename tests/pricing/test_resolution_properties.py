"""Invariants of price resolution over random catalogues."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from unittest import mock

import attrs
from catalogue_strategies import (
    CATEGORIES,
    DAYS,
    PRODUCTS,
    Catalogue,
    assert_fast_matches_general,
    build,
    catalogues,
    fast_outcome,
    general_outcome,
    items,
    outcome,
    tangled_catalogues,
)
from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import Client, Product
from kamcore.errors import KamcoreError
from kamcore.kernel import (
    ClientGroupId,
    PriceListId,
    ProductId,
)
from kamcore.pricing import (
    PriceItem,
    PriceList,
    PriceListKind,
    PricingIndex,
    ResolvedPrice,
    _fastpath,
)

START = dt.date(2026, 1, 1)

QUANTITIES = st.sampled_from(
    [Decimal(1), Decimal("2.5"), Decimal(5), Decimal(10), Decimal(50)]
)


@given(catalogues(), st.sampled_from(PRODUCTS), QUANTITIES, DAYS, st.randoms())
def test_resolution_does_not_depend_on_storage_order(
    catalogue: Catalogue,
    product: ProductId,
    quantity: Decimal,
    on: dt.date,
    rnd: random.Random,
) -> None:
    shuffled = []
    for price_list in catalogue.lists:
        reordered = list(price_list.items)
        rnd.shuffle(reordered)
        shuffled.append(attrs.evolve(price_list, items=tuple(reordered)))
    rnd.shuffle(shuffled)
    expected = outcome(build(catalogue), catalogue.client, product, quantity, on)
    actual = outcome(
        build(catalogue, tuple(shuffled)), catalogue.client, product, quantity, on
    )
    assert actual == expected


@given(catalogues(), st.sampled_from(PRODUCTS), QUANTITIES, DAYS)
def test_resolution_is_deterministic(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    index = build(catalogue)
    first = outcome(index, catalogue.client, product, quantity, on)
    assert outcome(index, catalogue.client, product, quantity, on) == first
    assert outcome(build(catalogue), catalogue.client, product, quantity, on) == first


@given(catalogues(), st.sampled_from(PRODUCTS), QUANTITIES, DAYS)
def test_net_price_is_never_negative(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    try:
        resolved = build(catalogue).resolve(catalogue.client, product, quantity, on)
    except KamcoreError:
        return
    assert not resolved.unit_price.is_negative()
    assert resolved.unit_price <= resolved.list_price.rounded(places=4)


@given(catalogues(), st.sampled_from(PRODUCTS), QUANTITIES, DAYS, items(None))
def test_an_unrelated_list_never_changes_a_price(
    catalogue: Catalogue,
    product: ProductId,
    quantity: Decimal,
    on: dt.date,
    stranger_items: tuple[PriceItem, ...],
) -> None:
    stranger = PriceList(
        id=PriceListId("someone-else"),
        name="another client's list",
        currency="EUR",
        kind=PriceListKind.CLIENT,
        items=stranger_items,
    )
    before = outcome(build(catalogue), catalogue.client, product, quantity, on)
    after = outcome(
        build(catalogue, (*catalogue.lists, stranger)),
        catalogue.client,
        product,
        quantity,
        on,
    )
    assert after == before


@given(catalogues(), st.sampled_from(PRODUCTS), QUANTITIES, DAYS)
def test_explanation_always_agrees_with_the_price(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    try:
        resolved = build(catalogue).resolve(catalogue.client, product, quantity, on)
    except KamcoreError:
        return
    explanation = resolved.explain()
    assert explanation.source == resolved.source
    assert explanation.steps[-1].amount == resolved.unit_price
    chosen = [c for c in explanation.candidates if c.outcome.name == "CHOSEN"]
    assert [c.source for c in chosen] == [resolved.source]


@given(catalogues(), st.sampled_from(PRODUCTS), QUANTITIES, DAYS)
def test_fast_path_gives_exactly_what_the_general_routine_gives(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    assert_fast_matches_general(catalogue, product, quantity, on)


# -- the fast path's own shortcuts ------------------------------------------
# resolve() answers from per-product records (kamcore.pricing._fastpath) and
# hands whatever they cannot answer to the general routine. The tests below
# check that each shortcut gives exactly what the general routine gives, and
# that the fast path does answer the common shapes itself (else the comparison
# above would pass vacuously).


class FastOnly(PricingIndex):
    """An index whose resolve() fails instead of calling the general routine."""

    def _general(
        self,
        client: Client,
        product: ProductId,
        quantity: Decimal,
        on: dt.date,
        currency: str | None,
        *,
        checked: bool = False,
    ) -> ResolvedPrice:
        raise AssertionError("resolve() handed the line to the general routine")


def build_fast_only(catalogue: Catalogue) -> FastOnly:
    return FastOnly(
        catalogue.lists,
        client_groups=catalogue.groups,
        discount_groups=catalogue.discounts,
        products=[Product(id=p, name=str(p), category=CATEGORIES[p]) for p in PRODUCTS],
    )


@given(catalogues(), st.sampled_from(PRODUCTS), QUANTITIES, DAYS)
def test_fast_path_answers_every_fixed_price_of_the_common_shape_itself(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    # catalogues() draws distinct group priorities, a client-kind dedicated list
    # and a known discount group: the records cover every such client.
    general = general_outcome(build(catalogue), catalogue.client, product, quantity, on)
    if general[0] == "error":
        return
    index = build(catalogue)
    resolved = index.resolve(catalogue.client, product, quantity, on)
    list_id, position = resolved.source.split(".items[")
    winner = index.price_list(PriceListId(list_id))
    assert winner is not None
    if winner.items[int(position.rstrip("]"))].unit_price is None:
        return  # a derived price: answered only when constant, tested above
    fast = build_fast_only(catalogue)
    assert fast_outcome(fast, catalogue.client, product, quantity, on) == general


GROUP_IDS = [ClientGroupId(f"group-{i}") for i in range(3)]
EDGE_QUANTITIES = st.sampled_from(
    [Decimal(1), Decimal(5), Decimal("2.5"), Decimal(10), Decimal(0), Decimal(-1)]
)


@given(tangled_catalogues(), st.sampled_from(PRODUCTS), EDGE_QUANTITIES, DAYS)
def test_fast_path_gives_exactly_what_the_general_routine_gives_when_tangled(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    assert_fast_matches_general(catalogue, product, quantity, on)


@given(
    tangled_catalogues(),
    st.lists(
        st.tuples(st.sets(st.sampled_from(GROUP_IDS)), st.sampled_from(PRODUCTS), DAYS)
    ),
)
def test_fast_path_answers_do_not_depend_on_what_was_priced_before(
    catalogue: Catalogue,
    earlier: list[tuple[set[ClientGroupId], ProductId, dt.date]],
) -> None:
    # Records grow a merged level when a client first needs it: whatever other
    # clients were priced first, the answers stay the same.
    fresh = build(catalogue)
    used = build(catalogue)
    for groups, product, on in earlier:
        other = attrs.evolve(catalogue.client, groups=frozenset(groups))
        fast_outcome(used, other, product, Decimal(1), on)
    for product in PRODUCTS:
        assert fast_outcome(used, catalogue.client, product, Decimal(5), START) == (
            fast_outcome(fresh, catalogue.client, product, Decimal(5), START)
        )


@given(tangled_catalogues(), st.sampled_from(PRODUCTS), EDGE_QUANTITIES, DAYS)
def test_lists_past_the_last_code_are_priced_by_the_general_routine(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    # Codes are characters: were there more lists than characters, the lists
    # left without one must still be priced, by the general routine.
    with mock.patch.object(_fastpath, "_LAST_CODE", 1):
        index = build(catalogue)
        fast = fast_outcome(index, catalogue.client, product, quantity, on)
    assert fast == general_outcome(index, catalogue.client, product, quantity, on)
