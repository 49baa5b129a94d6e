"""Billed amounts are whole minor units; unit prices keep at most 10 places.

SPEC §1: a billed amount handed in from outside (a payment, a credit note, an
explicit line amount, a metric record) with more decimals than its currency's
minor unit is refused with an error, never rounded or kept.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kamcore.accounts import (
    AdHocDiscount,
    CreditNote,
    LineItem,
    Payment,
    Product,
)
from kamcore.errors import ValidationError
from kamcore.kernel import (
    MAX_UNIT_PLACES,
    CategoryId,
    ClientId,
    CreditNoteId,
    ManagerId,
    Money,
    PaymentId,
    ProductId,
    billed_problem,
)
from kamcore.metrics import PortfolioState
from kamcore.pricing import PricingOptions
from kamcore.serialization import structure

DAY = dt.date(2026, 3, 2)
# What ``Decimal(float)`` sums of a pandas column look like.
FLOATY = Decimal("161751.2799999999970168573782")
ADVICE = (
    "kamcore never rounds a billed amount silently: round it explicitly with "
    "Money(...).rounded(), or build the Decimal from a string such as '0.10', "
    "not from a float"
)


def test_a_payment_with_digits_below_the_cent_is_refused_with_advice() -> None:
    with pytest.raises(ValidationError) as caught:
        Payment(id=PaymentId("P-1"), received_on=DAY, amount=Money(FLOATY, "EUR"))
    assert caught.value.subject == "Payment"
    assert caught.value.messages == [
        f"161751.2799999999970168573782 EUR has digits below the minor unit of EUR "
        f"(2 decimal places); {ADVICE} @ amount"
    ]
    assert caught.value.errors[0].value == Money(FLOATY, "EUR")


def test_a_credit_note_with_digits_below_the_minor_unit_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        CreditNote(
            id=CreditNoteId("CN-1"),
            issued_on=DAY,
            amount=Money("12.345", "KWD").rounded() + Money("0.0001", "KWD"),
            reason="return",
        )
    assert caught.value.subject == "CreditNote"
    assert caught.value.messages[0].startswith(
        "12.3451 KWD has digits below the minor unit of KWD (3 decimal places)"
    )


def test_an_ad_hoc_amount_with_digits_below_the_minor_unit_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        AdHocDiscount(
            reason="goodwill",
            granted_by=ManagerId("m.rossi"),
            amount=Money("100.5", "JPY"),
        )
    assert caught.value.messages == [
        "100.5 JPY has digits below the minor unit of JPY (0 decimal places); "
        "kamcore never rounds a billed amount silently: round it explicitly with "
        "Money(...).rounded(), or build the Decimal from a string such as '10', "
        "not from a float @ amount"
    ]


def test_trailing_zeros_below_the_minor_unit_are_not_digits() -> None:
    payment = Payment(
        id=PaymentId("P-1"), received_on=DAY, amount=Money("12.3400", "EUR")
    )
    assert payment.amount == Money("12.34", "EUR")


def test_the_problem_of_a_billed_amount_is_none_when_it_is_whole_minor_units() -> None:
    assert billed_problem(Decimal("12.30"), "EUR") is None
    assert billed_problem(Decimal("1E+3"), "JPY") is None
    assert billed_problem(Decimal("0.005"), "EUR") == (
        f"0.005 EUR has digits below the minor unit of EUR (2 decimal places); {ADVICE}"
    )


# -- unit prices --------------------------------------------------------------


def test_a_unit_price_keeps_ten_places() -> None:
    line = LineItem(
        product=ProductId("valve"),
        quantity=Decimal(3),
        unit_price=Money("13.7350000001", "EUR"),
    )
    assert line.total == Money("41.21", "EUR")
    assert MAX_UNIT_PLACES == 10


def test_a_unit_price_with_more_than_ten_places_is_refused_with_advice() -> None:
    with pytest.raises(ValidationError) as caught:
        LineItem(
            product=ProductId("valve"),
            quantity=Decimal(3),
            unit_price=Money("123456789012.339996337890625", "EUR"),
        )
    assert caught.value.messages == [
        "123456789012.339996337890625 EUR has digits beyond 10 decimal places, the "
        "most a unit price keeps; round it explicitly with "
        "Money(...).rounded(places=4), "
        "or build the Decimal from a string such as '13.7350', not from a float "
        "@ unit_price"
    ]


def test_pricing_rounds_unit_prices_to_at_most_the_places_a_line_keeps() -> None:
    options = PricingOptions(unit_places=MAX_UNIT_PLACES)
    assert options.unit_quantum == Decimal("1E-10")
    with pytest.raises(ValidationError):
        PricingOptions(unit_places=MAX_UNIT_PLACES + 1)


def test_a_product_cost_and_floor_keep_at_most_ten_places() -> None:
    with pytest.raises(ValidationError) as caught:
        Product(
            id=ProductId("valve"),
            name="Valve",
            category=CategoryId("valves"),
            cost=Money("1.00000000001", "EUR"),
            floor_price=Money("2.00000000001", "EUR"),
        )
    assert [error.path for error in caught.value.errors] == ["cost", "floor_price"]


# -- input documents --------------------------------------------------------------


def test_a_payment_document_with_digits_below_the_cent_is_refused_by_path() -> None:
    with pytest.raises(ValidationError) as caught:
        structure(
            {
                "id": "P-1",
                "received_on": "2026-03-02",
                "amount": {"amount": "12.345", "currency": "EUR"},
            },
            Payment,
        )
    assert caught.value.messages == [
        f"12.345 EUR has digits below the minor unit of EUR (2 decimal places); "
        f"{ADVICE} @ $.amount"
    ]


# -- metric records -------------------------------------------------------------


def test_a_metric_record_with_digits_below_the_cent_is_refused_naming_it() -> None:
    record = ("acme", DAY, FLOATY)
    with pytest.raises(ValidationError) as caught:
        PortfolioState.from_invoice_records([record], currency="EUR")
    assert caught.value.subject == "invoice records"
    assert caught.value.messages == [
        f"the net amount of ('acme', {DAY!r}, {FLOATY!r}): "
        "161751.2799999999970168573782 EUR has digits below the minor unit of EUR "
        f"(2 decimal places); {ADVICE} @ records"
    ]
    assert caught.value.errors[0].value == record


def test_a_refused_metric_record_leaves_the_state_unchanged() -> None:
    state = PortfolioState.from_invoice_records(
        [("acme", DAY, Decimal("10.00"))], currency="EUR"
    )
    before = state.copy()
    with pytest.raises(ValidationError):
        state.add_invoice_records(
            [("acme", DAY, Decimal("5.00")), ("bolt", DAY, Decimal("0.001"))],
            currency="EUR",
        )
    assert state == before


def test_metric_records_in_whole_units_with_any_exponent_are_summed() -> None:
    state = PortfolioState.from_invoice_records(
        [
            ("acme", DAY, Decimal("12.3400")),
            ("acme", DAY, Decimal("1E+2")),
            ("acme", DAY, Decimal("7")),
        ],
        currency="EUR",
    )
    assert state.accounts[ClientId("acme")].invoiced_in(range(24314, 24315)) == Decimal(
        "119.34"
    )


def test_a_yen_metric_record_with_a_fraction_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        PortfolioState.from_invoice_records(
            [("acme", DAY, Decimal("1200.5"))], currency="JPY"
        )
    assert "minor unit of JPY (0 decimal places)" in caught.value.messages[0]
