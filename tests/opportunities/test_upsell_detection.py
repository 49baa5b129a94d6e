"""Upsell detection: repeat buyers in an anchored window, and the pricing hint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

from kamcore.accounts import Client, LineItem, Order, OrderStatus, Product
from kamcore.errors import NotFoundError, ValidationError
from kamcore.kernel import (
    CategoryId,
    ClientId,
    DateRange,
    DiscountGroupId,
    Money,
    OrderId,
    Percentage,
    PriceListId,
    ProductId,
)
from kamcore.opportunities import (
    PricingHint,
    UpsellCriteria,
    UpsellSuggestion,
    detect_upsell,
)
from kamcore.pricing import (
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
    PricingIndex,
)

VALVE, PUMP, GASKET = ProductId("valve"), ProductId("pump"), ProductId("gasket")
AS_OF = dt.date(2026, 6, 30)
FIRST_DAY, LAST_DAY = dt.date(2026, 1, 1), AS_OF


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


BASE = PriceList(
    id=PriceListId("base"),
    name="Base",
    currency="EUR",
    kind=PriceListKind.BASE,
    items=(
        PriceItem(product=VALVE, unit_price=eur("44.80")),
        PriceItem(product=VALVE, unit_price=eur("42.00"), min_quantity=Decimal(100)),
        PriceItem(product=PUMP, unit_price=eur("1840.00")),
    ),
)
GLOBEX_LIST = PriceList(
    id=PriceListId("globex-2026"),
    name="Globex 2026",
    currency="EUR",
    kind=PriceListKind.CLIENT,
    items=(PriceItem(product=VALVE, unit_price=eur("40.00")),),
)
VOLUME = DiscountGroup(
    id=DiscountGroupId("volume"),
    name="Volume",
    rules=(
        DiscountRule(
            scope=DiscountScope.PRODUCT,
            target=PUMP,
            percentage=Percentage(5),
            min_quantity=Decimal(10),
        ),
    ),
)
INDEX = PricingIndex(
    [BASE, GLOBEX_LIST],
    discount_groups=[VOLUME],
    products=[
        Product(id=p, name=p.title(), category=CategoryId("parts"))
        for p in (VALVE, PUMP, GASKET)
    ],
)


def client(id: str, **fields: Any) -> Client:  # noqa: A002
    return Client(
        id=ClientId(id),
        name=id.title(),
        currency="EUR",
        locale="en_GB",
        **fields,
    )


CLIENTS = [
    client("acme"),
    client("globex", price_list=PriceListId("globex-2026")),
    client("hooli"),
    client("umbrella", discount_group=DiscountGroupId("volume")),
]

_numbers = iter(range(1, 1000))


def order(
    who: str,
    on: dt.date,
    *lines: tuple[ProductId, str, str],
    status: OrderStatus = OrderStatus.FULFILLED,
    closed: dt.date | None = None,
) -> Order:
    """An order; a fulfilled or cancelled one is closed on ``closed`` (default:
    its order date)."""
    if closed is None and status is not OrderStatus.OPEN:
        closed = on
    return Order(
        id=OrderId(f"o-{next(_numbers):03d}"),
        client=ClientId(who),
        order_date=on,
        currency="EUR",
        lines=tuple(
            LineItem(product=p, quantity=Decimal(q), unit_price=eur(price))
            for p, q, price in lines
        ),
        status=status,
        closed_on=closed,
    )


def detect(orders: list[Order], **criteria: Any) -> list[UpsellSuggestion]:
    return detect_upsell(
        orders,
        clients=CLIENTS,
        index=INDEX,
        as_of=AS_OF,
        criteria=UpsellCriteria(**criteria),
    )


def valves(who: str, *days_and_quantities: tuple[dt.date, str]) -> list[Order]:
    return [order(who, day, (VALVE, q, "44.80")) for day, q in days_and_quantities]


# -- the window ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "window", "start"),
    [
        (dt.date(2026, 6, 30), relativedelta(months=6), dt.date(2026, 1, 1)),
        (dt.date(2026, 2, 28), relativedelta(months=6), dt.date(2025, 9, 1)),
        (dt.date(2026, 8, 30), relativedelta(months=6), dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), relativedelta(years=1), dt.date(2023, 3, 1)),
    ],
)
def test_the_window_is_anchored_on_the_day_after_as_of(
    as_of: dt.date, window: relativedelta, start: dt.date
) -> None:
    criteria = UpsellCriteria(window=window)
    assert criteria.window_ending(as_of) == DateRange(start, as_of)


def test_exactly_n_orders_on_the_window_edges_count() -> None:
    orders = valves(
        "acme", (FIRST_DAY, "30"), (dt.date(2026, 3, 15), "40"), (LAST_DAY, "50")
    )
    [found] = detect(orders)
    assert (found.client, found.product, found.order_count) == ("acme", "valve", 3)
    assert found.order_dates == (FIRST_DAY, dt.date(2026, 3, 15), LAST_DAY)
    assert found.window == DateRange(FIRST_DAY, LAST_DAY)


def test_n_minus_one_orders_do_not_count() -> None:
    assert detect(valves("acme", (FIRST_DAY, "30"), (LAST_DAY, "50"))) == []


def test_a_day_outside_the_window_does_not_count() -> None:
    orders = valves(
        "acme",
        (FIRST_DAY - dt.timedelta(days=1), "30"),
        (dt.date(2026, 3, 15), "40"),
        (LAST_DAY + dt.timedelta(days=1), "50"),
        (LAST_DAY, "50"),
    )
    assert detect(orders) == []


def test_cancelled_orders_are_ignored() -> None:
    orders = [
        *valves("acme", (FIRST_DAY, "30"), (LAST_DAY, "50")),
        order("acme", AS_OF, (VALVE, "40", "44.80"), status=OrderStatus.CANCELLED),
    ]
    assert detect(orders) == []


def test_an_order_cancelled_after_the_detection_date_counts() -> None:
    orders = [
        *valves("acme", (FIRST_DAY, "30"), (LAST_DAY, "50")),
        order(
            "acme",
            AS_OF,
            (VALVE, "40", "44.80"),
            status=OrderStatus.CANCELLED,
            closed=AS_OF + dt.timedelta(days=1),
        ),
    ]
    assert [s.order_count for s in detect(orders)] == [3]


def test_open_orders_count() -> None:
    orders = [
        *valves("acme", (FIRST_DAY, "30"), (LAST_DAY, "50")),
        order("acme", AS_OF, (VALVE, "40", "44.80"), status=OrderStatus.OPEN),
    ]
    assert [s.order_count for s in detect(orders)] == [3]


def test_two_lines_of_one_product_in_one_order_count_once() -> None:
    orders = [
        order("acme", FIRST_DAY, (VALVE, "10", "44.80"), (VALVE, "5", "44.80")),
        *valves("acme", (LAST_DAY, "50")),
    ]
    assert detect(orders) == []
    [found] = detect(orders, min_orders=2)
    assert (found.order_count, found.total_quantity) == (2, Decimal(65))


def test_the_count_is_configurable() -> None:
    orders = valves("acme", (FIRST_DAY, "30"), (LAST_DAY, "50"))
    assert [s.order_count for s in detect(orders, min_orders=2)] == [2]


# -- evidence and hints ----------------------------------------------------------


def test_small_orders_below_a_quantity_break_warrant_a_volume_discount() -> None:
    orders = valves(
        "acme", (FIRST_DAY, "30"), (dt.date(2026, 3, 15), "40"), (LAST_DAY, "50")
    )
    [found] = detect(orders)
    assert found.total_quantity == Decimal(120)
    assert found.average_quantity == Decimal("40.000")
    assert found.spent == eur("5376.00")
    assert (found.current_unit_price, found.price_source) == (
        eur("44.8000"),
        "base.items[0]",
    )
    assert found.volume_unit_price == eur("42.0000")
    assert found.hint is PricingHint.VOLUME_DISCOUNT
    assert found.reason == (
        "3 orders of 40.000 units on average pay 44.8000 EUR per unit "
        "(base.items[0]); the 120 units of the window in one order would pay "
        "42.0000 EUR (base.items[1]): a volume discount for the client's "
        "cumulative volume is warranted"
    )


def test_a_volume_discount_rule_the_orders_stay_below_is_a_volume_hint() -> None:
    orders = [
        order("umbrella", day, (PUMP, q, "1840.00"))
        for day, q in ((FIRST_DAY, "4"), (dt.date(2026, 2, 1), "3"), (LAST_DAY, "4"))
    ]
    [found] = detect(orders)
    assert found.average_quantity == Decimal("3.667")
    assert (found.current_unit_price, found.volume_unit_price) == (
        eur("1840.0000"),
        eur("1748.0000"),
    )
    assert found.hint is PricingHint.VOLUME_DISCOUNT
    assert "(base.items[2], 5% off)" in found.reason


def test_steady_demand_at_list_prices_warrants_a_dedicated_list() -> None:
    orders = [
        order("hooli", dt.date(2026, month, 10), (PUMP, "2", "1840.00"))
        for month in range(1, 7)
    ]
    [found] = detect(orders)
    assert (found.order_count, found.spent) == (6, eur("22080.00"))
    assert found.hint is PricingHint.DEDICATED_PRICE_LIST
    assert found.reason == (
        "6 orders (at least 6) for 22080.00 EUR, all at 1840.0000 EUR per unit "
        "(base.items[2]): steady demand warrants a dedicated price list"
    )


def test_a_spend_threshold_holds_the_dedicated_hint_back() -> None:
    orders = [
        order("hooli", dt.date(2026, month, 10), (PUMP, "2", "1840.00"))
        for month in range(1, 7)
    ]
    [below] = detect(orders, dedicated_list_min_spend=(eur("22080.01"),))
    assert below.hint is PricingHint.NONE
    assert below.reason.endswith(
        "and 22080.00 EUR spent, below 22080.01 EUR for a dedicated price list"
    )
    [exactly] = detect(orders, dedicated_list_min_spend=(eur("22080.00"),))
    assert exactly.hint is PricingHint.DEDICATED_PRICE_LIST
    [other] = detect(orders, dedicated_list_min_spend=(Money("1", "CHF"),))
    assert other.hint is PricingHint.DEDICATED_PRICE_LIST


def test_too_few_orders_for_a_dedicated_list_give_no_hint() -> None:
    orders = [
        order("hooli", dt.date(2026, month, 10), (PUMP, "2", "1840.00"))
        for month in range(1, 6)
    ]
    [found] = detect(orders)
    assert found.hint is PricingHint.NONE
    assert found.reason == (
        "no quantity break or volume discount lowers 1840.0000 EUR per unit "
        "(base.items[2]) for the window's 10 units, and 5 orders, below 6 for a "
        "dedicated price list"
    )


def test_a_client_on_its_dedicated_list_gets_no_hint() -> None:
    orders = [
        order("globex", day, (VALVE, "200", "40.00"))
        for day in (FIRST_DAY, dt.date(2026, 2, 1), LAST_DAY)
    ]
    [found] = detect(orders)
    assert found.hint is PricingHint.NONE
    assert found.reason == (
        "already on the client's dedicated list at 40.0000 EUR per unit "
        "(globex-2026.items[0])"
    )


def test_a_product_without_a_price_gets_no_hint() -> None:
    orders = [
        order("acme", day, (GASKET, "1", "2.00"))
        for day in (FIRST_DAY, dt.date(2026, 2, 1), LAST_DAY)
    ]
    [found] = detect(orders)
    assert (found.current_unit_price, found.volume_unit_price, found.hint) == (
        None,
        None,
        PricingHint.NONE,
    )
    assert found.reason == "no price list prices gasket for acme"


def test_suggestions_come_by_client_then_product() -> None:
    days = (FIRST_DAY, dt.date(2026, 2, 1), LAST_DAY)
    orders = [
        *(
            order("hooli", d, (PUMP, "1", "1840.00"), (VALVE, "1", "44.80"))
            for d in days
        ),
        *(order("acme", d, (VALVE, "1", "44.80")) for d in days),
    ]
    assert [(s.client, s.product) for s in detect(orders)] == [
        ("acme", "valve"),
        ("hooli", "pump"),
        ("hooli", "valve"),
    ]


def test_a_suggestion_turns_into_a_plain_row() -> None:
    orders = valves(
        "acme", (FIRST_DAY, "30"), (dt.date(2026, 3, 15), "40"), (LAST_DAY, "50")
    )
    row = detect(orders)[0].row()
    assert {k: row[k] for k in list(row)[:13]} == {
        "client": "acme",
        "product": "valve",
        "window_start": "2026-01-01",
        "window_end": "2026-06-30",
        "order_count": 3,
        "first_order": "2026-01-01",
        "last_order": "2026-06-30",
        "total_quantity": "120",
        "average_quantity": "40.000",
        "currency": "EUR",
        "spent": "5376.00",
        "current_unit_price": "44.8000",
        "volume_unit_price": "42.0000",
    }
    assert row["hint"] == "volume_discount"


def test_an_unknown_client_is_named() -> None:
    orders = [order("wayne", d, (VALVE, "1", "44.80")) for d in (FIRST_DAY,) * 3]
    with pytest.raises(NotFoundError) as error:
        detect(orders)
    assert error.value.ids == ("wayne",)


def test_the_same_order_twice_is_refused() -> None:
    [single] = valves("acme", (FIRST_DAY, "1"))
    with pytest.raises(ValidationError):
        detect([single, single])


def test_criteria_are_validated() -> None:
    with pytest.raises(ValidationError) as error:
        UpsellCriteria(
            min_orders=1,
            dedicated_list_min_orders=0,
            dedicated_list_min_spend=(eur("1.00"), eur("2.00")),
        )
    assert [e.path for e in error.value.errors] == [
        "min_orders",
        "dedicated_list_min_orders",
    ]
    with pytest.raises(ValidationError) as twice:
        UpsellCriteria(dedicated_list_min_spend=(eur("1.00"), eur("2.00")))
    assert [e.path for e in twice.value.errors] == ["dedicated_list_min_spend[1]"]
    with pytest.raises(ValidationError) as window:
        UpsellCriteria(window=relativedelta(months=-1))
    assert window.value.errors[0].path == "term.months"
