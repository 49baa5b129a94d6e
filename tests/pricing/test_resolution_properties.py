"""Invariants of price resolution over random catalogues."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import Client, ClientGroup, Product
from kamcore.errors import KamcoreError
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    ClientId,
    DiscountGroupId,
    Money,
    Percentage,
    PriceListId,
    ProductId,
)
from kamcore.pricing import (
    Derivation,
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
    PricingIndex,
)
from kamcore.pricing._resolution import _Trace

PRODUCTS = [ProductId(f"p{i}") for i in range(3)]
CATEGORIES = {product: CategoryId(f"c{i % 2}") for i, product in enumerate(PRODUCTS)}
START = dt.date(2026, 1, 1)
DAYS = st.integers(0, 60).map(lambda n: START + dt.timedelta(days=n))
BREAKS = st.sampled_from([Decimal(0), Decimal(5), Decimal(10), Decimal("2.5")])
PRICES = st.integers(0, 100_000).map(
    lambda cents: Money(Decimal(cents).scaleb(-2), "EUR")
)


@st.composite
def items(draw: st.DrawFn, derive_from: PriceListId | None) -> tuple[PriceItem, ...]:
    """Items with unique (product, break) pairs, so no list conflicts with itself."""
    keys = draw(
        st.lists(st.tuples(st.sampled_from(PRODUCTS), BREAKS), unique=True, max_size=6)
    )
    result = []
    for product, minimum in keys:
        start, end = draw(st.none() | DAYS), draw(st.none() | DAYS)
        if start is not None and end is not None and end < start:
            start, end = end, start
        derived = None
        if derive_from is not None and draw(st.booleans()):
            derived = Derivation(
                source=derive_from,
                adjustment=Percentage(draw(st.integers(-50, 50))),
                rounding_step=draw(st.sampled_from([None, Decimal("0.05")])),
            )
        result.append(
            PriceItem(
                product=product,
                unit_price=None if derived is not None else draw(PRICES),
                derived=derived,
                min_quantity=minimum,
                valid_from=start,
                valid_to=end,
            )
        )
    return tuple(result)


@attrs.frozen
class Catalogue:
    lists: tuple[PriceList, ...]
    groups: tuple[ClientGroup, ...]
    discounts: tuple[DiscountGroup, ...]
    client: Client


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    base = PriceList(
        id=PriceListId("base"),
        name="base",
        currency="EUR",
        kind=PriceListKind.BASE,
        items=draw(items(None)),
    )
    group_count = draw(st.integers(0, 3))
    priorities = draw(
        st.lists(
            st.integers(0, 5), min_size=group_count, max_size=group_count, unique=True
        )
    )
    group_lists = tuple(
        PriceList(
            id=PriceListId(f"g{i}"),
            name=f"g{i}",
            currency="EUR",
            kind=PriceListKind.GROUP,
            items=draw(items(PriceListId("base"))),
        )
        for i in range(group_count)
    )
    groups = tuple(
        ClientGroup(
            id=ClientGroupId(f"group-{i}"),
            name=f"group {i}",
            priority=priorities[i],
            price_list=PriceListId(f"g{i}"),
        )
        for i in range(group_count)
    )
    dedicated = PriceList(
        id=PriceListId("client"),
        name="client",
        currency="EUR",
        kind=PriceListKind.CLIENT,
        items=draw(items(PriceListId("base"))),
    )
    rule_keys = draw(
        st.lists(
            st.sampled_from(
                [(DiscountScope.ALL, None)]
                + [(DiscountScope.PRODUCT, str(p)) for p in PRODUCTS]
                + [(DiscountScope.CATEGORY, str(c)) for c in set(CATEGORIES.values())]
            ),
            unique=True,
            max_size=4,
        )
    )
    discount = DiscountGroup(
        id=DiscountGroupId("dg"),
        name="dg",
        rules=tuple(
            DiscountRule(
                scope=scope,
                target=target,
                percentage=Percentage(draw(st.integers(1, 100))),
                min_quantity=draw(BREAKS),
            )
            for scope, target in rule_keys
        ),
    )
    client = Client(
        id=ClientId("acme"),
        name="ACME",
        currency="EUR",
        locale="en_GB",
        groups=frozenset(g.id for g in groups),
        price_list=dedicated.id if draw(st.booleans()) else None,
        discount_group=discount.id if draw(st.booleans()) else None,
    )
    return Catalogue((base, *group_lists, dedicated), groups, (discount,), client)


def build(
    catalogue: Catalogue, lists: tuple[PriceList, ...] | None = None
) -> PricingIndex:
    return PricingIndex(
        catalogue.lists if lists is None else lists,
        client_groups=catalogue.groups,
        discount_groups=catalogue.discounts,
        products=[Product(id=p, name=str(p), category=CATEGORIES[p]) for p in PRODUCTS],
    )


Outcome = tuple[str, object]


def outcome(
    index: PricingIndex, client: Client, product: ProductId, qty: Decimal, on: dt.date
) -> Outcome:
    """The price and the winning item (not its position), or the error's kind."""
    try:
        resolved = index.resolve(client, product, qty, on)
    except KamcoreError as error:
        return ("error", type(error).__name__)
    list_id, position = resolved.source.split(".items[")
    winner = index.price_list(PriceListId(list_id))
    assert winner is not None
    return (str(resolved.unit_price), winner.items[int(position.rstrip("]"))])


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


def general_outcome(
    index: PricingIndex, client: Client, product: ProductId, qty: Decimal, on: dt.date
) -> Outcome:
    """What the general, traced routine says (the one explanations come from)."""
    try:
        resolved = index.resolve_traced(client, product, qty, on, _Trace())
    except KamcoreError as error:
        return ("error", type(error).__name__)
    return (str(resolved.unit_price), resolved[1:9])


def fast_outcome(
    index: PricingIndex, client: Client, product: ProductId, qty: Decimal, on: dt.date
) -> Outcome:
    try:
        resolved = index.resolve(client, product, qty, on)
    except KamcoreError as error:
        return ("error", type(error).__name__)
    return (str(resolved.unit_price), resolved[1:9])


@given(catalogues(), st.sampled_from(PRODUCTS), QUANTITIES, DAYS)
def test_fast_path_gives_exactly_what_the_general_routine_gives(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    index = build(catalogue)
    assert fast_outcome(index, catalogue.client, product, quantity, on) == (
        general_outcome(index, catalogue.client, product, quantity, on)
    )
