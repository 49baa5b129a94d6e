"""What a priced line keeps beside its price: ad-hoc discounts; and the cost and
floor price of a product."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest

from kamcore.accounts import AdHocDiscount, Invoice, LineItem, Order, Product
from kamcore.errors import ValidationError
from kamcore.kernel import (
    CategoryId,
    ClientId,
    InvoiceId,
    ManagerId,
    Money,
    OrderId,
    Percentage,
    ProductId,
)

ROSSI = ManagerId("m.rossi")


def euros(amount: str) -> Money:
    return Money(amount, "EUR")


def errors_of(build: Callable[[], object]) -> list[str]:
    """The messages of the ValidationError that ``build`` raises."""
    with pytest.raises(ValidationError) as caught:
        build()
    return caught.value.messages


def percent_off(value: str) -> AdHocDiscount:
    return AdHocDiscount(
        reason="late delivery", granted_by=ROSSI, percentage=Percentage(value)
    )


def amount_off(amount: Money) -> AdHocDiscount:
    return AdHocDiscount(reason="goodwill", granted_by=ROSSI, amount=amount)


def line(
    quantity: str, unit_price: str, ad_hoc: AdHocDiscount | None = None
) -> LineItem:
    return LineItem(
        product=ProductId("valve"),
        quantity=Decimal(quantity),
        unit_price=euros(unit_price),
        ad_hoc=ad_hoc,
    )


# -- ad-hoc discounts -------------------------------------------------------------


def test_an_ad_hoc_discount_needs_a_percentage_or_an_amount() -> None:
    assert errors_of(lambda: AdHocDiscount(reason="r", granted_by=ROSSI)) == [
        "give exactly one of percentage and amount @ percentage"
    ]


def test_an_ad_hoc_discount_cannot_have_both() -> None:
    def both() -> AdHocDiscount:
        return AdHocDiscount(
            reason="r",
            granted_by=ROSSI,
            percentage=Percentage(5),
            amount=euros("1.00"),
        )

    assert errors_of(both) == ["give exactly one of percentage and amount @ percentage"]


def test_an_ad_hoc_discount_says_why_and_who() -> None:
    def anonymous() -> AdHocDiscount:
        return AdHocDiscount(
            reason=" ", granted_by=ManagerId(""), percentage=Percentage(5)
        )

    assert errors_of(anonymous) == [
        "must not be empty @ reason",
        "must not be empty @ granted_by",
    ]


@pytest.mark.parametrize("value", ["0", "-1", "100.5"])
def test_an_ad_hoc_percentage_is_above_zero_and_at_most_100(value: str) -> None:
    assert errors_of(lambda: percent_off(value)) == [
        "must be above 0 and at most 100 @ percentage"
    ]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0.00", "must be positive @ amount"),
        ("-1.00", "must be positive @ amount"),
        (
            "0.005",
            "0.005 EUR has digits below the minor unit of EUR (2 decimal "
            "places); kamcore never rounds a billed amount silently: round it "
            "explicitly with Money(...).rounded(), or build the Decimal from a "
            "string such as '0.10', not from a float @ amount",
        ),
    ],
)
def test_an_ad_hoc_amount_is_positive_and_rounded(amount: str, message: str) -> None:
    assert errors_of(lambda: amount_off(euros(amount))) == [message]


def test_a_percentage_is_rounded_once_half_up() -> None:
    assert percent_off("7.5").value_on(euros("34.34")) == euros("2.58")  # 2.5755
    assert percent_off("10").value_on(euros("0.25")) == euros("0.03")  # 0.025
    assert percent_off("10").value_on(euros("0.24")) == euros("0.02")  # 0.024
    assert percent_off("10").value_on(Money("5", "JPY")) == Money("1", "JPY")  # 0.5


def test_an_amount_is_its_own_value() -> None:
    assert amount_off(euros("5.00")).value_on(euros("34.34")) == euros("5.00")


# -- lines with an ad-hoc discount ------------------------------------------------


def test_a_line_keeps_its_price_and_records_the_discount_beside_it() -> None:
    discounted = line("2.5", "13.7350", percent_off("7.5"))
    assert discounted.unit_price == euros("13.7350")
    assert discounted.gross_total == euros("34.34")  # 34.3375
    assert discounted.ad_hoc_value == euros("2.58")
    assert discounted.total == euros("31.76")


def test_a_line_without_an_ad_hoc_discount_charges_its_gross_total() -> None:
    plain = line("3", "13.7350")
    assert (plain.gross_total, plain.ad_hoc_value, plain.total) == (
        euros("41.21"),
        euros("0.00"),
        euros("41.21"),
    )


def test_an_ad_hoc_amount_may_take_the_whole_line_off() -> None:
    free = line("2", "0.50", amount_off(euros("1.00")))
    assert (free.ad_hoc_value, free.total) == (euros("1.00"), euros("0.00"))
    assert line("2", "0.50", percent_off("100")).total == euros("0.00")


def test_an_ad_hoc_amount_larger_than_the_line_is_refused() -> None:
    assert errors_of(lambda: line("2", "0.50", amount_off(euros("1.01")))) == [
        "is more than the line total 1.00 EUR @ ad_hoc.amount"
    ]


def test_an_ad_hoc_amount_in_another_currency_is_refused() -> None:
    dollars = amount_off(Money("1.00", "USD"))
    assert errors_of(lambda: line("2", "10.00", dollars)) == [
        "must be the line currency EUR @ ad_hoc.amount.currency"
    ]


def test_an_invoice_total_reflects_the_ad_hoc_discounts() -> None:
    invoice = Invoice(
        id=InvoiceId("INV-1"),
        client=ClientId("acme"),
        issue_date=dt.date(2026, 3, 1),
        due_date=dt.date(2026, 3, 31),
        currency="EUR",
        lines=(
            line("2.5", "13.7350", percent_off("7.5")),  # 34.34 - 2.58
            line("1", "100.00", amount_off(euros("15.00"))),  # 100.00 - 15.00
            line("3", "13.7350"),  # 41.21
        ),
    )
    assert invoice.total == euros("157.97")  # 31.76 + 85.00 + 41.21
    assert invoice.balance() == euros("157.97")


def test_an_order_total_reflects_the_ad_hoc_discounts() -> None:
    order = Order(
        id=OrderId("O-1"),
        client=ClientId("acme"),
        order_date=dt.date(2026, 3, 1),
        currency="EUR",
        lines=(line("1", "100.00", percent_off("12.5")), line("1", "0.10")),
    )
    assert order.total == euros("87.60")


# -- products: cost and floor price ------------------------------------------------


def product(*, cost: Money | None = None, floor_price: Money | None = None) -> Product:
    return Product(
        id=ProductId("valve"),
        name="Valve DN50",
        category=CategoryId("valves"),
        cost=cost,
        floor_price=floor_price,
    )


def test_a_product_has_no_cost_or_floor_by_default() -> None:
    assert (product().cost, product().floor_price) == (None, None)


def test_a_cost_and_floor_may_keep_four_decimals() -> None:
    valve = product(cost=euros("31.4875"), floor_price=euros("38.0000"))
    assert (valve.cost, valve.floor_price) == (euros("31.4875"), euros("38.0000"))


def test_a_cost_or_floor_of_zero_is_allowed() -> None:
    assert product(cost=euros("0.00")).cost == euros("0.00")
    assert product(floor_price=euros("0")).floor_price == euros("0")


def test_a_cost_and_floor_cannot_be_negative() -> None:
    assert errors_of(
        lambda: product(cost=euros("-0.01"), floor_price=euros("-1.00"))
    ) == ["must not be negative @ cost", "must not be negative @ floor_price"]


def test_a_cost_and_floor_share_one_currency() -> None:
    assert errors_of(
        lambda: product(cost=euros("31.00"), floor_price=Money("38.00", "USD"))
    ) == ["must be the cost currency EUR @ floor_price.currency"]


def test_a_cost_must_be_money() -> None:
    def bare() -> Product:
        # A bare Decimal where Money belongs: mypy refuses it, the check must too.
        return attrs.evolve(product(), cost=Decimal("31.00"))  # type: ignore[arg-type]

    assert errors_of(bare) == ["expected Money, got Decimal @ cost"]
