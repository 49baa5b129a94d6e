"""Random catalogues for the resolution properties, and how to read an outcome.

A catalogue is a base list, group lists and a dedicated list pricing three
products (two categories) with quantity breaks and windows, a discount group
and one client. :func:`catalogues` draws the common shape (distinct group
priorities); :func:`tangled_catalogues` the shapes the fast path must merge or
hand over; :func:`equal_priority_catalogues` groups of one priority whose
lists tie, agree or conflict on net prices.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
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
)
from kamcore.pricing._trace import Trace

PRODUCTS = [ProductId(f"p{i}") for i in range(3)]
CATEGORIES = {product: CategoryId(f"c{i % 2}") for i, product in enumerate(PRODUCTS)}
START = dt.date(2026, 1, 1)
DAYS = st.integers(0, 60).map(lambda n: START + dt.timedelta(days=n))
BREAKS = st.sampled_from([Decimal(0), Decimal(5), Decimal(10), Decimal("2.5")])
DISCOUNTABLE = st.sampled_from([None, None, True, False])
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
                discountable=draw(DISCOUNTABLE),
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


def general_outcome(
    index: PricingIndex, client: Client, product: ProductId, qty: Decimal, on: dt.date
) -> Outcome:
    """What the general, traced routine says (the one explanations come from)."""
    try:
        resolved = index.resolve_traced(client, product, qty, on, Trace())
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


TIE_PRICES = st.sampled_from(["9.50", "10.00"]).map(lambda a: Money(a, "EUR"))
TIED_PRIORITY = 7


@st.composite
def tied_items(draw: st.DrawFn) -> tuple[PriceItem, ...]:
    """Items at 9.50 or 10.00, discountable or net: 10.00 less 5 % is 9.50 net.

    Most products are priced from quantity 0, some from 5 too, so that the
    lists of a level often price the same line.
    """
    result = []
    for product in PRODUCTS:
        breaks = draw(st.sampled_from([(), (0,), (0,), (0, 5), (5,)]))
        for minimum in breaks:
            result.append(
                PriceItem(
                    product=product,
                    unit_price=draw(TIE_PRICES),
                    min_quantity=Decimal(minimum),
                    valid_from=draw(st.none() | st.none() | DAYS),
                    discountable=draw(DISCOUNTABLE),
                )
            )
    return tuple(result)


@st.composite
def equal_priority_catalogues(draw: st.DrawFn) -> Catalogue:
    """Two or three groups of one priority whose lists tie on list or net price.

    Each group has a list of its own (or shares the first one); prices are 9.50
    or 10.00, discountable or not, and the discount group takes 5 % off (10.00
    becomes 9.50 net) or 50 %. The client is in every group and has no
    dedicated list: the tied level decides, or the base list.
    """
    base = PriceList(
        id=PriceListId("base"),
        name="base",
        currency="EUR",
        kind=PriceListKind.BASE,
        items=draw(items(None)),
    )
    count = draw(st.integers(2, 3))
    lists = tuple(
        PriceList(
            id=PriceListId(f"g{i}"),
            name=f"g{i}",
            currency="EUR",
            kind=PriceListKind.GROUP,
            items=draw(tied_items()),
        )
        for i in range(count)
    )
    groups = tuple(
        ClientGroup(
            id=ClientGroupId(f"group-{i}"),
            name=f"group {i}",
            priority=TIED_PRIORITY,
            price_list=draw(st.sampled_from([lists[i].id] * 3 + [lists[0].id])),
        )
        for i in range(count)
    )
    rule_keys = draw(
        st.lists(st.sampled_from(RULE_SCOPES), unique=True, min_size=1, max_size=3)
    )
    discount = DiscountGroup(
        id=DiscountGroupId("dg"),
        name="dg",
        rules=tuple(
            DiscountRule(
                scope=scope,
                target=target,
                percentage=Percentage(draw(st.sampled_from(["5", "5", "5", "50"]))),
                min_quantity=draw(st.sampled_from([Decimal(0), Decimal(5)])),
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
        discount_group=draw(st.sampled_from([None, *[discount.id] * 3])),
    )
    return Catalogue((base, *lists), groups, (discount,), client)
