"""Money: exactness, currencies, rounding, allocation."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest

from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel import Money, currency_precision


def test_amount_keeps_its_exact_digits() -> None:
    assert str(Money("12.50", "EUR").amount) == "12.50"
    assert Money(7, "EUR").amount == Decimal(7)


def test_float_amount_is_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationError) as caught:
        Money(12.5, "EUR")  # type: ignore[arg-type]  # the refusal under test
    assert caught.value.messages == [
        "floats are refused: pass a Decimal or a decimal string such as '12.5' "
        "to keep the amount exact @ amount"
    ]
    assert caught.value.errors[0].value == 12.5


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "twelve", ""])
def test_non_finite_or_non_numeric_amounts_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Money(bad, "EUR")
    assert caught.value.errors[0].path == "amount"
    assert caught.value.errors[0].value == bad


def test_bool_amount_is_refused() -> None:
    with pytest.raises(ValidationError):
        Money(True, "EUR")  # noqa: FBT003 - the refusal under test


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1", "EUX")
    assert caught.value.messages == ["unknown ISO 4217 currency code 'EUX' @ currency"]


def test_lower_case_currency_is_refused_with_a_hint() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1", "eur")
    assert caught.value.messages == [
        "unknown ISO 4217 currency code 'eur' (did you mean 'EUR'?) @ currency"
    ]


def test_non_string_currency_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1", 978)  # type: ignore[arg-type]  # the refusal under test
    assert caught.value.messages == ["expected a currency code, got int @ currency"]


@pytest.mark.parametrize(
    ("currency", "places"), [("EUR", 2), ("JPY", 0), ("KWD", 3), ("CLF", 4)]
)
def test_minor_unit_comes_from_babel(currency: str, places: int) -> None:
    assert currency_precision(currency) == places


def test_same_currency_arithmetic_is_exact() -> None:
    total = Money("0.10", "EUR") + Money("0.20", "EUR") - Money("0.05", "EUR")
    assert total == Money("0.25", "EUR")
    assert str(total.amount) == "0.25"


def test_multiplication_does_not_round() -> None:
    assert (Money("13.7350", "EUR") * Decimal(3)).amount == Decimal("41.2050")
    assert (2 * Money("0.005", "EUR")).amount == Decimal("0.010")


def test_multiplying_by_a_float_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1", "EUR") * 1.5  # type: ignore[operator]  # the refusal under test
    assert caught.value.errors[0].path == "factor"


def test_adding_different_currencies_raises_with_both_codes() -> None:
    with pytest.raises(CurrencyMismatchError) as caught:
        Money("1", "EUR") + Money("1", "USD")
    assert (caught.value.expected, caught.value.actual) == ("EUR", "USD")
    assert caught.value.operation == "add"


def test_comparing_different_currencies_raises() -> None:
    with pytest.raises(CurrencyMismatchError):
        _ = Money("1", "EUR") < Money("2", "GBP")


def test_equal_amounts_compare_equal_whatever_their_digits() -> None:
    assert Money("1.0", "EUR") == Money("1.00", "EUR")
    assert hash(Money("1.0", "EUR")) == hash(Money("1.00", "EUR"))
    assert Money("1", "EUR") != Money("1", "USD")


def test_ordering_within_one_currency() -> None:
    assert Money("1.99", "EUR") < Money("2", "EUR") <= Money("2.00", "EUR")
    assert max(Money("3", "EUR"), Money("10", "EUR")) == Money("10", "EUR")


def test_negation_and_absolute_value() -> None:
    assert -Money("5.10", "EUR") == Money("-5.10", "EUR")
    assert abs(Money("-5.10", "EUR")) == Money("5.10", "EUR")
    assert +Money("5.10", "EUR") == Money("5.10", "EUR")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.345", "EUR", "2.35"),
        ("2.344", "EUR", "2.34"),
        ("-2.345", "EUR", "-2.35"),
        ("1234.5", "JPY", "1235"),
        ("1.2345", "KWD", "1.235"),
        ("0.0005", "KWD", "0.001"),
    ],
)
def test_rounding_is_half_up_to_the_minor_unit(
    amount: str, currency: str, expected: str
) -> None:
    rounded = Money(amount, currency).rounded()
    assert str(rounded.amount) == expected


def test_rounding_mode_and_places_are_configurable() -> None:
    assert (
        str(Money("2.345", "EUR").rounded(rounding=decimal.ROUND_HALF_EVEN).amount)
        == "2.34"
    )
    assert str(Money("13.73456", "EUR").rounded(places=4).amount) == "13.7346"


def test_unknown_rounding_mode_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1", "EUR").rounded(rounding="ROUND_SOMETIMES")
    assert caught.value.errors[0].path == "rounding"


def test_negative_places_are_refused() -> None:
    with pytest.raises(ValidationError):
        Money("1", "EUR").rounded(places=-1)


def test_minor_units_round_trip() -> None:
    assert Money("12.34", "EUR").to_minor_units() == 1234
    assert Money.from_minor_units(1234, "EUR") == Money("12.34", "EUR")
    assert Money.from_minor_units(1234, "JPY") == Money("1234", "JPY")
    assert Money.from_minor_units(-1, "KWD") == Money("-0.001", "KWD")


def test_minor_units_of_an_unrounded_amount_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("12.345", "EUR").to_minor_units()
    assert "round it first" in caught.value.messages[0]


def test_from_minor_units_refuses_non_integers() -> None:
    with pytest.raises(ValidationError):
        Money.from_minor_units(Decimal("1.5"), "EUR")


def test_sum_of_nothing_is_zero_in_the_given_currency() -> None:
    assert Money.sum([], "JPY") == Money.zero("JPY")
    assert Money.sum([Money("1.10", "EUR"), Money("2.20", "EUR")], "EUR") == Money(
        "3.30", "EUR"
    )


def test_predicates() -> None:
    assert Money("0.00", "EUR").is_zero()
    assert Money("-0.01", "EUR").is_negative()
    assert Money("0.01", "EUR").is_positive()
    assert Money("0.010", "EUR").is_rounded()
    assert not Money("0.011", "EUR").is_rounded()


def test_allocation_gives_leftover_cents_to_the_first_parts() -> None:
    parts = Money("100.00", "EUR").allocate([1, 1, 1])
    assert parts == (
        Money("33.34", "EUR"),
        Money("33.33", "EUR"),
        Money("33.33", "EUR"),
    )


def test_allocation_follows_the_ratios() -> None:
    parts = Money("0.05", "EUR").allocate([Decimal("0.3"), Decimal("0.7")])
    assert parts == (Money("0.02", "EUR"), Money("0.03", "EUR"))


def test_allocation_with_a_zero_ratio_gives_that_part_nothing() -> None:
    assert Money("10", "JPY").allocate([0, 1, 1]) == (
        Money("0", "JPY"),
        Money("5", "JPY"),
        Money("5", "JPY"),
    )


def test_negative_amounts_allocate_symmetrically() -> None:
    assert Money("-0.05", "EUR").split(3) == (
        Money("-0.02", "EUR"),
        Money("-0.02", "EUR"),
        Money("-0.01", "EUR"),
    )


def test_allocation_refuses_bad_ratios() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1.00", "EUR").allocate([1, -1, -2])
    assert [e.path for e in caught.value.errors] == ["ratios[1]", "ratios[2]"]
    with pytest.raises(ValidationError):
        Money("1.00", "EUR").allocate([])
    with pytest.raises(ValidationError):
        Money("1.00", "EUR").allocate([0, 0])
    with pytest.raises(ValidationError):
        Money("1.00", "EUR").allocate([0.5, 0.5])  # type: ignore[list-item]  # floats refused


def test_allocation_of_an_unrounded_amount_is_refused() -> None:
    with pytest.raises(ValidationError):
        Money("1.005", "EUR").allocate([1, 1])


def test_split_refuses_a_non_positive_count() -> None:
    with pytest.raises(ValidationError):
        Money("1.00", "EUR").split(0)


def test_arithmetic_that_would_need_rounding_raises() -> None:
    many_digits = Money("1" * 29, "EUR")
    with pytest.raises(ValidationError) as caught:
        many_digits * Decimal("1." + "1" * 40)
    assert "60 significant digits" in caught.value.messages[0]


def test_formatting_uses_the_locale() -> None:
    assert Money("1234.5", "EUR").format("de_DE") == "1.234,50\xa0€"
    assert Money("1234.5", "EUR").format("en_IE") == "€1,234.50"
    assert Money("1234", "JPY").format("ja_JP") == "￥1,234"


def test_str_and_repr() -> None:
    assert str(Money("12.50", "EUR")) == "12.50 EUR"
    assert repr(Money("12.50", "EUR")) == "Money('12.50', 'EUR')"


def test_money_is_immutable() -> None:
    money = Money("1", "EUR")
    with pytest.raises(AttributeError):
        money.amount = Decimal(2)  # type: ignore[misc]  # frozen: the refusal under test


def test_amounts_beyond_ten_to_the_thirty_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1E+30", "EUR")
    assert caught.value.messages == ["must be below 10**30 in absolute value @ amount"]
    largest = Money("-" + "9" * 30, "EUR")
    assert largest.rounded(places=10).amount == largest.amount


def test_products_that_grow_past_the_bound_are_refused_not_crashed() -> None:
    with pytest.raises(ValidationError):
        Money("1E+29", "EUR") * 100


def test_rounding_to_many_places_stays_exact() -> None:
    money = Money("1E+29", "EUR") + Money("0." + "0" * 20 + "1", "EUR")
    assert money.rounded(places=21).amount == money.amount
    assert str(money.rounded().amount) == "1" + "0" * 29 + ".00"


def test_minor_units_ignore_the_callers_decimal_context() -> None:
    with decimal.localcontext(prec=3):
        assert Money.from_minor_units(123456, "EUR").amount == Decimal("1234.56")
        assert Money.from_minor_units(-1, "KWD").amount == Decimal("-0.001")
