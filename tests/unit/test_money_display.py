"""Formatting money and percentages: every digit, at every magnitude kamcore accepts."""

from __future__ import annotations

import decimal

import pytest

from kamcore.errors import ValidationError
from kamcore.kernel import Money, Percentage


def test_an_amount_above_ten_to_the_twenty_six_shows_every_digit() -> None:
    money = Money("123456789012345678901234567.89", "EUR")
    assert money.format("en_US") == "€123,456,789,012,345,678,901,234,567.89"


def test_the_largest_amount_shows_every_digit() -> None:
    money = Money("-" + "9" * 30, "EUR")
    assert money.format("en_US") == "-€" + ",".join(["999"] * 10) + ".00"


def test_an_amount_with_thirty_decimals_is_not_rounded_on_display() -> None:
    money = Money("0.123456789012345678901234567891", "EUR")
    assert money.format("en_US") == "€0.123456789012345678901234567891"


def test_the_widest_amount_shows_all_sixty_digits() -> None:
    money = Money("9" * 29 + "." + "9" * 30, "EUR")
    assert money.format("en_US") == "€" + "99," + ",".join(["999"] * 9) + "." + (
        "9" * 30
    )


def test_formatting_ignores_the_callers_decimal_context() -> None:
    with decimal.localcontext(prec=4):
        assert Money("1234567.89", "EUR").format("de_DE") == "1.234.567,89\xa0€"


def test_an_amount_written_with_an_exponent_formats_as_its_value() -> None:
    assert Money("1E+3", "EUR").format("en_US") == "€1,000.00"


def test_negative_zero_formats_as_zero() -> None:
    assert (-Money.zero("EUR")).format("en_US") == "€0.00"


def test_an_unknown_locale_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1", "EUR").format("xx")
    assert caught.value.subject == "Money.format"
    assert caught.value.messages == ["unknown locale 'xx' @ locale"]
    assert caught.value.errors[0].value == "xx"


def test_a_locale_that_is_not_text_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Money("1", "EUR").format(None)  # type: ignore[arg-type]  # under test
    assert caught.value.messages == ["unknown locale None @ locale"]


def test_a_percentage_with_thirty_decimals_is_not_rounded_on_display() -> None:
    percentage = Percentage("0." + "1" * 30)
    assert percentage.format("en_US") == "0." + "1" * 30 + "%"


def test_a_huge_percentage_shows_every_digit() -> None:
    assert Percentage("9" * 29).format("en_US") == ",".join(["99"] + ["999"] * 9) + "%"


def test_a_percentage_refuses_an_unknown_locale() -> None:
    with pytest.raises(ValidationError) as caught:
        Percentage("8").format("xx")
    assert caught.value.subject == "Percentage.format"
    assert caught.value.messages == ["unknown locale 'xx' @ locale"]
