"""Percentage and Rate value types."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kamcore.errors import ValidationError
from kamcore.kernel import Money, Percentage, Rate


def test_percentage_is_in_percent_points() -> None:
    assert Percentage("8").fraction == Decimal("0.08")
    assert Percentage("12.5").fraction == Decimal("0.125")


def test_percentage_from_fraction() -> None:
    assert Percentage.from_fraction("0.08") == Percentage("8")
    assert Percentage.from_fraction(Decimal("0.125")).value == Decimal("12.5")


def test_percentage_of_money_is_exact_and_unrounded() -> None:
    assert Percentage("8").of(Money("41.20", "EUR")) == Money("3.2960", "EUR")


def test_percentage_refuses_floats() -> None:
    with pytest.raises(ValidationError) as caught:
        Percentage(8.0)  # type: ignore[arg-type]  # the refusal under test
    assert caught.value.subject == "Percentage"
    assert caught.value.errors[0].path == "value"


def test_percentages_order_by_value() -> None:
    assert Percentage("5") < Percentage("12.5")
    assert sorted([Percentage("3"), Percentage("-1")]) == [
        Percentage("-1"),
        Percentage("3"),
    ]


def test_percentage_formats_for_a_locale() -> None:
    assert Percentage("8.5").format("fr_FR") == "8,5\xa0%"
    assert Percentage("8.5").format("en_US") == "8.5%"


def test_percentage_str_and_repr() -> None:
    assert str(Percentage("8")) == "8%"
    assert repr(Percentage("8")) == "Percentage('8')"


def test_rate_applies_exactly() -> None:
    assert Rate("1.5").apply(Decimal("10")) == Decimal("15.0")
    assert Rate("0.1").apply(Decimal("41.20")) == Decimal("4.120")


def test_rate_refuses_floats_and_non_numbers() -> None:
    with pytest.raises(ValidationError):
        Rate(0.1)  # type: ignore[arg-type]  # the refusal under test
    with pytest.raises(ValidationError):
        Rate("ten")


def test_rate_str_and_repr() -> None:
    assert str(Rate("1.08")) == "1.08"
    assert repr(Rate("1.08")) == "Rate('1.08')"
