"""A small catalogue and its builders, shared by the resolution tests.

Valves and pumps, a base list, two group lists (DACH at priority 10, Nordics
at 5), ACME's dedicated list and one discount group, each built with only the
items a test needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from kamcore.accounts import Client, ClientGroup, Product
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

VALVE = ProductId("valve")
PUMP = ProductId("pump")
DAY = dt.date(2026, 3, 15)
BASE, DACH, NORDICS, ACME_LIST = (
    PriceListId("base"),
    PriceListId("dach"),
    PriceListId("nordics"),
    PriceListId("acme-2026"),
)
VOLUME = DiscountGroupId("volume")


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def item(product: ProductId = VALVE, price: str = "10.00", **fields: Any) -> PriceItem:
    return PriceItem(product=product, unit_price=eur(price), **fields)


def price_list(
    list_id: PriceListId, kind: PriceListKind, *items: PriceItem, currency: str = "EUR"
) -> PriceList:
    return PriceList(
        id=list_id, name=list_id, currency=currency, kind=kind, items=items
    )


def base(*items: PriceItem) -> PriceList:
    return price_list(BASE, PriceListKind.BASE, *items)


def group_list(list_id: PriceListId, *items: PriceItem) -> PriceList:
    return price_list(list_id, PriceListKind.GROUP, *items)


def client_list(*items: PriceItem) -> PriceList:
    return price_list(ACME_LIST, PriceListKind.CLIENT, *items)


def group(group_id: str, priority: int, list_id: PriceListId | None) -> ClientGroup:
    return ClientGroup(
        id=ClientGroupId(group_id), name=group_id, priority=priority, price_list=list_id
    )


GROUPS = [group("g-dach", 10, DACH), group("g-nordics", 5, NORDICS)]
PRODUCTS = [
    Product(id=VALVE, name="Valve", category=CategoryId("valves")),
    Product(id=PUMP, name="Pump", category=CategoryId("pumps")),
]
IN_BOTH_GROUPS = frozenset({ClientGroupId("g-dach"), ClientGroupId("g-nordics")})


def client(**fields: Any) -> Client:
    acme = Client(id=ClientId("acme"), name="ACME", currency="EUR", locale="de_DE")
    return attrs.evolve(acme, **fields)


def catalogue_for(lists: Iterable[PriceList]) -> list[Product]:
    """A plain catalogue (no floor, no cost) of every product ``lists`` price:
    document pricing checks floors, which needs the catalogue."""
    ids = sorted({item.product for price_list in lists for item in price_list.items})
    return [
        Product(id=product, name=str(product), category=CategoryId("general"))
        for product in ids
    ]


def index(*lists: PriceList, **kwargs: Any) -> PricingIndex:
    """An index over ``lists`` and the standard groups; a group whose list is
    not given has no list."""
    present = {price_list.id for price_list in lists}
    kwargs.setdefault(
        "client_groups",
        [
            g if g.price_list in present else attrs.evolve(g, price_list=None)
            for g in GROUPS
        ],
    )
    kwargs.setdefault("products", PRODUCTS)
    return PricingIndex(lists, **kwargs)


def unit(
    idx: PricingIndex, who: Client, quantity: str = "1", on: dt.date = DAY
) -> Decimal:
    return idx.resolve(who, VALVE, Decimal(quantity), on).unit_price.amount


def derived(source: PriceListId, adjustment: str, step: str | None = None) -> PriceItem:
    return PriceItem(
        product=VALVE,
        derived=Derivation(
            source=source,
            adjustment=Percentage(adjustment),
            rounding_step=None if step is None else Decimal(step),
        ),
    )


def discounts(*rules: DiscountRule) -> list[DiscountGroup]:
    return [DiscountGroup(id=VOLUME, name="Volume", rules=rules)]


def rule(
    scope: DiscountScope, target: str | None, pct: str, minimum: int = 0
) -> DiscountRule:
    return DiscountRule(
        scope=scope,
        target=target,
        percentage=Percentage(pct),
        min_quantity=Decimal(minimum),
    )
