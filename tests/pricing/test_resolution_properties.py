"""Invariants of price resolution over random catalogues."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from unittest import mock

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
    ResolvedPrice,
    _fastpath,
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


RULE_SCOPES = (
    [(DiscountScope.ALL, None)]
    + [(DiscountScope.PRODUCT, str(p)) for p in PRODUCTS]
    + [(DiscountScope.CATEGORY, str(c)) for c in sorted(set(CATEGORIES.values()))]
)


def dedicated_list(draw: st.DrawFn) -> PriceList:
    """The client's own list, its items derived from the base list or fixed."""
    return PriceList(
        id=PriceListId("client"),
        name="client",
        currency="EUR",
        kind=PriceListKind.CLIENT,
        items=draw(items(PriceListId("base"))),
    )


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
    dedicated = dedicated_list(draw)
    rule_keys = draw(st.lists(st.sampled_from(RULE_SCOPES), unique=True, max_size=4))
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
    return exactly(resolved)


def fast_outcome(
    index: PricingIndex, client: Client, product: ProductId, qty: Decimal, on: dt.date
) -> Outcome:
    try:
        resolved = index.resolve(client, product, qty, on)
    except KamcoreError as error:
        return ("error", type(error).__name__)
    return exactly(resolved)


def exactly(resolved: ResolvedPrice) -> Outcome:
    """Every field, amounts as written: 9.5 and 9.50 are equal Money, not equal
    answers."""
    return (
        str(resolved.unit_price),
        (str(resolved.list_price), repr(resolved.discount), *resolved[2:9]),
    )


def assert_fast_matches_general(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    index = build(catalogue)
    assert fast_outcome(index, catalogue.client, product, quantity, on) == (
        general_outcome(index, catalogue.client, product, quantity, on)
    )


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
        self, client: Client, product: ProductId, quantity: Decimal, on: dt.date
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


@st.composite
def tangled_catalogues(draw: st.DrawFn) -> Catalogue:
    """Catalogues whose precedence the records must merge or hand over.

    Groups of equal priority (their lists sharing some items, so that they
    agree on some lines and conflict on others), groups sharing one list, a
    dedicated list that is a group's list, discount rules with windows and
    volume breaks, and clients in an unknown discount group.
    """
    drawn = draw(items(None))
    # An open item from 0 for every product, so that most lines find a price.
    fallback = tuple(
        PriceItem(product=product, unit_price=draw(PRICES))
        for product in PRODUCTS
        if all((i.product, i.min_quantity) != (product, Decimal(0)) for i in drawn)
    )
    base = PriceList(
        id=PriceListId("base"),
        name="base",
        currency="EUR",
        kind=PriceListKind.BASE,
        items=drawn + fallback,
    )
    group_count = draw(st.integers(1, 3))
    first_items = draw(items(PriceListId("base")))
    group_lists = [
        PriceList(
            id=PriceListId("g0"),
            name="g0",
            currency="EUR",
            kind=PriceListKind.GROUP,
            items=first_items,
        )
    ]
    for i in range(1, group_count):
        shared = (
            draw(st.lists(st.sampled_from(first_items), unique=True))
            if first_items
            else []
        )
        taken = {(item.product, item.min_quantity) for item in shared}
        own = [
            item
            for item in draw(items(PriceListId("base")))
            if (item.product, item.min_quantity) not in taken
        ]
        group_lists.append(
            PriceList(
                id=PriceListId(f"g{i}"),
                name=f"g{i}",
                currency="EUR",
                kind=PriceListKind.GROUP,
                items=(*shared, *own),
            )
        )
    groups = tuple(
        ClientGroup(
            id=ClientGroupId(f"group-{i}"),
            name=f"group {i}",
            priority=draw(st.integers(0, 1)),
            price_list=draw(st.sampled_from([PriceListId(f"g{i}"), PriceListId("g0")])),
        )
        for i in range(group_count)
    )
    dedicated = dedicated_list(draw)
    rule_keys = draw(
        st.lists(
            st.tuples(
                st.sampled_from(RULE_SCOPES),
                BREAKS,
            ),
            unique=True,
            max_size=6,
        )
    )
    rules = []
    for (scope, target), minimum in rule_keys:
        start, end = draw(st.none() | DAYS), draw(st.none() | DAYS)
        if start is not None and end is not None and end < start:
            start, end = end, start
        rules.append(
            DiscountRule(
                scope=scope,
                target=target,
                percentage=Percentage(draw(st.sampled_from(["2", "7.5", "33", "100"]))),
                min_quantity=minimum,
                valid_from=start,
                valid_to=end,
            )
        )
    discount = DiscountGroup(id=DiscountGroupId("dg"), name="dg", rules=tuple(rules))
    client = Client(
        id=ClientId("acme"),
        name="ACME",
        currency="EUR",
        locale="en_GB",
        groups=draw(
            st.just(frozenset(g.id for g in groups))
            | st.frozensets(st.sampled_from([g.id for g in groups]))
        ),
        price_list=draw(
            st.sampled_from([None, dedicated.id, dedicated.id, PriceListId("g0")])
        ),
        discount_group=draw(
            st.sampled_from([None, discount.id, discount.id, DiscountGroupId("nope")])
        ),
    )
    return Catalogue((base, *group_lists, dedicated), groups, (discount,), client)


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
