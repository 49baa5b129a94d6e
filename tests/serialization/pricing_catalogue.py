"""A small, real catalogue to price documents with, for the JSON form tests.

The docs' worked example (docs/pricing.md) with a second product: ACME, a key
account in the DACH group, gets valves at the base price -8 % rounded to 0.05
(44.80 -> 41.20), 5 % off valves from 10 units; pumps come from the base list
(120.00, 110.00 from 20 units) and have a floor of 100.00 a unit.

:func:`cases` draws random catalogues, clients and lines for the properties,
:func:`quote_requests` any valid quote request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs
from hypothesis import strategies as st

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
    QuoteLine,
    QuoteRequest,
    price_document,
)
from kamcore.testing import strategies as ks

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
    lines: Sequence[LineRequest],
    *,
    kind: DocumentKind = DocumentKind.ORDER,
    explain: bool = False,
) -> PricedDocument:
    """``lines`` priced for ACME on :data:`DAY`, floors flagged."""
    return price_document(
        INDEX,
        ACME,
        lines,
        pricing_date=DAY,
        kind=kind,
        policy=FLAGGING,
        explain=explain,
    )


def line(
    product: ProductId,
    quantity: int | str,
    *,
    ad_hoc: AdHocDiscount | None = None,
    description: str = "",
    explain: bool = False,
) -> LineRequest:
    """A line request for ``quantity`` of ``product``."""
    return LineRequest(
        product=product,
        quantity=Decimal(quantity),
        ad_hoc=ad_hoc,
        description=description,
        explain=explain,
    )


@attrs.frozen
class Case:
    """One generated pricing question: a catalogue, a client and lines."""

    index: PricingIndex
    client: Client
    lines: tuple[LineRequest, ...]
    policy: PricingPolicy
    explain: bool

    def document(self) -> PricedDocument:
        return price_document(
            self.index,
            self.client,
            self.lines,
            pricing_date=DAY,
            kind=DocumentKind.ORDER,
            policy=self.policy,
            explain=self.explain,
        )


QUANTITIES = st.one_of(
    st.integers(1, 5_000).map(Decimal),
    st.decimals(min_value=Decimal("0.001"), max_value=1_000, places=3),
)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A base list in any currency pricing one to three products (with a
    quantity break), maybe floors, maybe a discount group for all products, a
    client that may be a key account, and one to eight lines, some with an
    ad-hoc percentage: documents with and without findings, explained in
    full, in part or not at all."""
    currency = draw(ks.currencies())
    products = [ProductId(f"p{n}") for n in range(draw(st.integers(1, 3)))]
    items = [
        PriceItem(product=product, unit_price=draw(ks.unit_prices(currency)))
        for product in products
    ]
    items += [
        PriceItem(
            product=product,
            unit_price=draw(ks.unit_prices(currency)),
            min_quantity=Decimal(10),
        )
        for product in products
        if draw(st.booleans())
    ]
    catalogue = [
        Product(
            id=product,
            name=product,
            category=CategoryId("all"),
            floor_price=draw(st.none() | ks.unit_prices(currency)),
        )
        for product in products
    ]
    discounts = DiscountGroup(
        id=DiscountGroupId("dg"),
        name="DG",
        rules=(
            DiscountRule(
                scope=DiscountScope.ALL,
                percentage=draw(ks.percentages(Decimal("0.01"), 100)),
            ),
        ),
    )
    with_discounts = draw(st.booleans())
    key_account = draw(st.booleans())
    client = Client(
        id=ClientId("c-1"),
        name="C",
        currency=currency,
        locale="en_GB",
        key_account=key_account,
        account_manager=MANAGER if key_account else None,
        discount_group=discounts.id if with_discounts else None,
    )
    index = PricingIndex(
        [
            PriceList(
                id=PriceListId("base"),
                name="Base",
                currency=currency,
                kind=PriceListKind.BASE,
                items=tuple(items),
            )
        ],
        discount_groups=[discounts],
        products=catalogue,
    )
    ad_hoc = st.none() | st.integers(1, 100).map(lambda p: fair_deal(str(p)))
    lines = draw(
        st.lists(
            st.builds(
                LineRequest,
                product=st.sampled_from(products),
                quantity=QUANTITIES,
                ad_hoc=ad_hoc,
                explain=st.booleans(),
            ),
            min_size=1,
            max_size=8,
        )
    )
    return Case(index, client, tuple(lines), FLAGGING, draw(st.booleans()))


@st.composite
def quote_lines(draw: st.DrawFn) -> QuoteLine:
    """Any valid quote line: any positive quantity, maybe an ad-hoc discount."""
    return QuoteLine(
        product=draw(ks.ids(ProductId)),
        quantity=draw(
            st.decimals(min_value=Decimal("1E-6"), max_value=10**9, places=6)
            | st.integers(1, 10**12).map(Decimal)
        ),
        ad_hoc=draw(st.none() | ks.ad_hoc_discounts()),
        description=draw(st.text(max_size=12)),
        explain=draw(st.booleans()),
    )


@st.composite
def quote_requests(draw: st.DrawFn) -> QuoteRequest:
    """Any valid quote request."""
    return QuoteRequest(
        client=draw(ks.ids(ClientId)),
        pricing_date=draw(ks.dates()),
        lines=tuple(draw(st.lists(quote_lines(), min_size=1, max_size=3))),
        kind=draw(st.sampled_from(DocumentKind)),
        currency=draw(st.none() | ks.currencies()),
        explain=draw(st.booleans()),
    )
