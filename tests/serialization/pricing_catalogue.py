"""A small, real catalogue to price documents with, for the JSON form tests.

The docs' worked example (docs/pricing.md) with a second product: ACME, a key
account in the DACH group, gets valves at the base price -8 % rounded to 0.05
(44.80 -> 41.20), 5 % off valves from 10 units; pumps come from the base list
(120.00, 110.00 from 20 units) and have a floor of 100.00 a unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from kamcore.accounts import AdHocDiscount, Client, ClientGroup, Product
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    ClientId,
    DiscountGroupId,
    ManagerId,
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
    DocumentKind,
    FloorRule,
    LineRequest,
    PricedDocument,
    PriceItem,
    PriceList,
    PriceListKind,
    PricingIndex,
    PricingPolicy,
    price_document,
)

DAY = dt.date(2026, 11, 23)
VALVE = ProductId("valve-dn50")
PUMP = ProductId("pump-p4")
MANAGER = ManagerId("m-anna")
# Lines below their floor are flagged, not refused, so that a document can
# carry a finding of each kind.
FLAGGING = PricingPolicy(below_floor=FloorRule.FLAG)

PRODUCTS = (
    Product(id=VALVE, name="Valve DN50", category=CategoryId("valves")),
    Product(
        id=PUMP,
        name="Pump P4",
        category=CategoryId("pumps"),
        floor_price=Money("100.00", "EUR"),
    ),
)
BASE = PriceList(
    id=PriceListId("base-eur"),
    name="Base EUR",
    currency="EUR",
    kind=PriceListKind.BASE,
    items=(
        PriceItem(product=VALVE, unit_price=Money("44.80", "EUR")),
        PriceItem(product=PUMP, unit_price=Money("120.00", "EUR")),
        PriceItem(
            product=PUMP, unit_price=Money("110.00", "EUR"), min_quantity=Decimal(20)
        ),
    ),
)
DACH_LIST = PriceList(
    id=PriceListId("dach"),
    name="DACH",
    currency="EUR",
    kind=PriceListKind.GROUP,
    items=(
        PriceItem(
            product=VALVE,
            derived=Derivation(
                source=BASE.id,
                adjustment=Percentage("-8"),
                rounding_step=Decimal("0.05"),
            ),
        ),
    ),
)
DACH = ClientGroup(
    id=ClientGroupId("dach"), name="DACH", priority=10, price_list=DACH_LIST.id
)
VOLUME = DiscountGroup(
    id=DiscountGroupId("volume"),
    name="Volume",
    rules=(
        DiscountRule(
            scope=DiscountScope.CATEGORY,
            target="valves",
            percentage=Percentage("5"),
            min_quantity=Decimal(10),
        ),
    ),
)
ACME = Client(
    id=ClientId("acme"),
    name="ACME Industrial",
    currency="EUR",
    locale="de_DE",
    key_account=True,
    account_manager=MANAGER,
    groups=frozenset({DACH.id}),
    discount_group=VOLUME.id,
)
INDEX = PricingIndex(
    [BASE, DACH_LIST],
    client_groups=[DACH],
    discount_groups=[VOLUME],
    products=PRODUCTS,
)


def fair_deal(percent: str) -> AdHocDiscount:
    """An ad-hoc discount of ``percent`` granted by ACME's manager."""
    return AdHocDiscount(
        reason="fair deal", granted_by=MANAGER, percentage=Percentage(percent)
    )


def price(
    lines: Sequence[LineRequest], *, kind: DocumentKind = DocumentKind.ORDER
) -> PricedDocument:
    """``lines`` priced for ACME on :data:`DAY`, floors flagged."""
    return price_document(
        INDEX, ACME, lines, pricing_date=DAY, kind=kind, policy=FLAGGING
    )


def line(
    product: ProductId,
    quantity: int | str,
    *,
    ad_hoc: AdHocDiscount | None = None,
    description: str = "",
) -> LineRequest:
    """A line request for ``quantity`` of ``product``."""
    return LineRequest(
        product=product,
        quantity=Decimal(quantity),
        ad_hoc=ad_hoc,
        description=description,
    )
