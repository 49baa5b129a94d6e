"""Money, Percentage and Rate refuse bad input with kamcore errors, promptly.

Every call either answers or raises a :class:`~kamcore.errors.KamcoreError`
naming the argument and the value: never a ``decimal`` signal, a Babel error,
a bare ``TypeError``, or a computation that runs for minutes.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest

from kamcore.errors import ValidationError
from kamcore.kernel import (
    MAX_DECIMAL_PLACES,
    MAX_PARTS,
    Money,
    Percentage,
    Rate,
)

ten_euros = Money("10.00", "EUR")


# -- one rule for amounts written as text ------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1_000", "expected a decimal string such as '12.50', got str '1_000'"),
        ("١٢٣", "expected a decimal string such as '12.50', got str '١٢٣'"),
        (" 1", "expected a decimal string such as '12.50', got str ' 1'"),
        ("1\n", "expected a decimal string such as '12.50', got str '1\\n'"),
        ("+1", "expected a decimal string such as '12.50', got str '+1'"),
        (".5", "expected a decimal string such as '12.50', got str '.5'"),
        ("5.", "expected a decimal string such as '12.50', got str '5.'"),
        ("sNaN", "'sNaN' is not a finite number"),
        ("-Infinity", "'-Infinity' is not a finite number"),
    ],
)
def test_an_amount_text_outside_the_one_rule_is_refused(
    text: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Money(text, "EUR")
    assert caught.value.messages == [f"{message} @ amount"]
    assert caught.value.errors[0].value == text


@pytest.mark.parametrize(
    ("text", "amount"),
    [("-12.50", "-12.50"), ("1E+2", "1E+2"), ("25e-1", "2.5"), ("007", "7")],
)
def test_plain_ascii_decimal_text_is_read_exactly(text: str, amount: str) -> None:
    assert str(Money(text, "EUR").amount) == amount


def test_a_percentage_follows_the_same_text_rule() -> None:
    with pytest.raises(ValidationError) as caught:
        Percentage("1_0")
    assert caught.value.errors[0].path == "value"


# -- bounds -------------------------------------------------------------------


def test_an_amount_with_more_than_thirty_decimals_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1E-31", "EUR")
    assert caught.value.messages == [
        "has 31 decimal places, more than the 30 kamcore keeps; a Decimal built "
        "from a float (Decimal(0.1)) carries the float's binary error: build it "
        "from a string such as '0.1', or round it explicitly @ amount"
    ]


def test_a_decimal_built_from_a_float_is_refused_as_an_amount() -> None:
    with pytest.raises(ValidationError) as caught:
        Money(Decimal(0.1), "EUR")  # noqa: RUF032 - the float idiom under test
    assert caught.value.messages[0].startswith("has 55 decimal places")


def test_an_amount_with_a_huge_negative_exponent_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1E-999999999", "EUR")
    assert caught.value.messages[0].startswith("has 999999999 decimal places")


def test_the_decimal_places_bound_is_thirty() -> None:
    assert MAX_DECIMAL_PLACES == 30
    assert Money("1E-30", "EUR").amount == Decimal("1E-30")


def test_a_huge_integer_amount_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money(10**5000, "EUR")
    assert caught.value.messages == ["must be below 10**30 in absolute value @ amount"]


# -- arithmetic ----------------------------------------------------------------


@pytest.mark.parametrize("factor", ["sNaN", "NaN", "Infinity", "-Infinity"])
def test_a_non_finite_factor_is_refused_naming_the_factor(factor: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros * Decimal(factor)
    assert caught.value.subject == "Money"
    assert caught.value.errors[0].path == "factor"


def test_a_factor_that_overflows_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1E+29", "EUR") * Decimal("1E+999999")
    assert caught.value.errors[0].path == "factor"


def test_a_product_with_more_than_thirty_decimals_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros * Decimal(0.1)  # noqa: RUF032 - the float idiom under test
    assert caught.value.messages[0].startswith("has 57 decimal places")


@pytest.mark.parametrize("factor", [True, "2", None, [2]])
def test_multiplying_by_anything_but_a_decimal_or_an_int_is_refused(
    factor: object,
) -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros * factor  # type: ignore[operator]  # the refusal under test
    assert caught.value.errors[0].path == "factor"


def test_multiplying_two_amounts_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros * ten_euros  # type: ignore[operator]  # the refusal under test
    assert caught.value.messages == [
        "multiply Money by a Decimal or an int, not by Money @ factor"
    ]


@pytest.mark.parametrize("other", [5, Decimal("5"), "5", None])
def test_adding_anything_but_money_is_refused(other: object) -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros + other  # type: ignore[operator]  # the refusal under test
    assert caught.value.errors[0].path == "other"


def test_adding_money_to_a_number_is_refused_with_a_hint() -> None:
    with pytest.raises(ValidationError) as caught:
        sum([ten_euros, ten_euros])  # type: ignore[list-item]  # sum starts from 0
    assert caught.value.messages == [
        "cannot add Money to int; add amounts with Money.sum(amounts, currency) @ other"
    ]


@pytest.mark.parametrize("other", [5, Decimal("5"), None])
def test_subtracting_anything_but_money_is_refused(other: object) -> None:
    with pytest.raises(ValidationError):
        ten_euros - other  # type: ignore[operator]  # the refusal under test
    with pytest.raises(ValidationError):
        other - ten_euros  # type: ignore[operator]  # the refusal under test


@pytest.mark.parametrize("other", [5, Decimal("5"), None])
def test_ordering_against_anything_but_money_is_refused(other: object) -> None:
    with pytest.raises(ValidationError):
        _ = ten_euros < other  # type: ignore[operator]  # the refusal under test
    with pytest.raises(ValidationError):
        _ = other >= ten_euros  # type: ignore[operator]  # the refusal under test


def test_money_equals_no_number() -> None:
    assert ten_euros != Decimal("10.00")


def test_dividing_money_is_refused_with_a_hint() -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros / 3  # type: ignore[operator]  # the refusal under test
    assert caught.value.messages == [
        "Money is never divided (the quotient may not be exact): use "
        "split(parts) or allocate(ratios) @ divisor"
    ]


# -- rounding -----------------------------------------------------------------


def test_rounding_to_more_than_thirty_places_is_refused_promptly() -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros.rounded(places=10**8)
    assert caught.value.messages == ["must be an integer from 0 to 30 @ places"]


def test_an_unhashable_rounding_mode_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros.rounded(rounding=[decimal.ROUND_UP])  # type: ignore[arg-type]  # under test
    assert caught.value.errors[0].path == "rounding"


# -- minor units and sums -------------------------------------------------------


def test_minor_units_beyond_the_bound_are_refused_naming_them() -> None:
    with pytest.raises(ValidationError) as caught:
        Money.from_minor_units(10**100 + 1, "EUR")
    assert caught.value.messages == [
        "must be below 10**32 minor units of EUR in absolute value @ units"
    ]


def test_minor_units_in_a_currency_that_is_not_text_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money.from_minor_units(1, ["EUR"])  # type: ignore[arg-type]  # under test
    assert caught.value.errors[0].path == "currency"


def test_summing_something_that_is_not_money_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError) as caught:
        Money.sum([ten_euros, Decimal("1")], "EUR")  # type: ignore[list-item]  # under test
    assert caught.value.subject == "Money.sum"
    assert caught.value.messages == ["expected Money, got Decimal @ amounts[1]"]


def test_summing_something_that_is_not_iterable_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money.sum(5, "EUR")  # type: ignore[arg-type]  # the refusal under test
    assert caught.value.errors[0].path == "amounts"


# -- allocation ----------------------------------------------------------------


def test_splitting_into_more_than_a_million_parts_is_refused_promptly() -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros.split(10**8)
    assert caught.value.messages == [
        "must be a positive integer of at most 1000000 @ parts"
    ]
    assert MAX_PARTS == 10**6


def test_a_million_parts_split_exactly() -> None:
    parts = Money("10000.00", "EUR").split(MAX_PARTS)
    assert parts[0] == Money("0.01", "EUR")
    assert parts[-1] == Money("0.01", "EUR")
    assert Money.sum(parts, "EUR") == Money("10000.00", "EUR")


def test_allocating_over_more_than_a_million_ratios_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros.allocate(range(MAX_PARTS + 1))
    assert caught.value.messages == [
        "needs from 1 to 1000000 ratios, got 1000001 @ ratios"
    ]


@pytest.mark.parametrize(
    "ratio", [Decimal("1E+999999"), Decimal("1E-999999"), Decimal("1E+30")]
)
def test_a_ratio_of_extreme_magnitude_is_refused_promptly(ratio: Decimal) -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros.allocate([ratio, Decimal(1)])
    assert caught.value.subject == "Money.allocate"
    assert caught.value.errors[0].path == "ratios[0]"


def test_ratios_at_the_bounds_allocate_exactly() -> None:
    parts = ten_euros.allocate([Decimal("9" * 29), Decimal("1E-30")])
    assert parts == (Money("10.00", "EUR"), Money("0.00", "EUR"))


@pytest.mark.parametrize("ratios", ["123", None, 5, {1: 2}])
def test_ratios_that_are_not_a_list_are_refused(ratios: object) -> None:
    with pytest.raises(ValidationError) as caught:
        ten_euros.allocate(ratios)  # type: ignore[arg-type]  # the refusal under test
    assert caught.value.errors[0].path == "ratios"


# -- percentages and rates -----------------------------------------------------


def test_a_percentage_beyond_the_bounds_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Percentage("1E+999999999")
    assert caught.value.messages == ["must be below 10**30 in absolute value @ value"]


def test_a_percentage_from_a_huge_fraction_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Percentage.from_fraction("1E+999999")
    assert caught.value.subject == "Percentage"


def test_a_percentage_of_something_that_is_not_money_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Percentage("8").of(Decimal("10"))  # type: ignore[arg-type]  # under test
    assert caught.value.messages == ["expected Money, got Decimal @ amount"]


def test_ordering_a_percentage_against_a_number_is_refused() -> None:
    with pytest.raises(ValidationError):
        _ = Percentage("8") < 5  # type: ignore[operator]  # the refusal under test


def test_a_rate_applied_to_a_non_number_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Rate("1.5").apply("x")  # type: ignore[arg-type]  # the refusal under test
    assert caught.value.subject == "Rate.apply"
    assert caught.value.errors[0].path == "quantity"


def test_a_rate_applied_to_a_signalling_nan_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Rate("1.5").apply(Decimal("sNaN"))
    assert caught.value.errors[0].path == "quantity"


def test_ordering_a_rate_against_a_number_is_refused() -> None:
    with pytest.raises(ValidationError):
        _ = Rate("1") > 0  # type: ignore[operator]  # the refusal under test
