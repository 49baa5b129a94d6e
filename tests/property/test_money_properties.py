"""Money under hostile input (kamcore errors only, promptly), one text rule, display.

The deadline bounds the time of every example: an operation that hangs (or
grinds through a huge exponent) fails it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kamcore.errors import KamcoreError, ValidationError
from kamcore.kernel import Money, Percentage, Rate
from kamcore.serialization import structure
from kamcore.testing.strategies import amount_texts, hostile_values

PROMPT = settings(deadline=dt.timedelta(seconds=2))

Operation = Callable[[Money, Any, Any], object]

OPERATIONS: dict[str, Operation] = {
    "Money()": lambda _m, x, y: Money(x, y),
    "Money(x, EUR)": lambda _m, x, _y: Money(x, "EUR"),
    "+": lambda m, x, _y: m + x,
    "radd": lambda m, x, _y: x + m,
    "-": lambda m, x, _y: m - x,
    "rsub": lambda m, x, _y: x - m,
    "*": lambda m, x, _y: m * x,
    "rmul": lambda m, x, _y: x * m,
    "/": lambda m, x, _y: m / x,
    "neg abs pos": lambda m, _x, _y: (-m, abs(m), +m),
    "<": lambda m, x, _y: m < x,
    ">=": lambda m, x, _y: m >= x,
    "==": lambda m, x, _y: (m == x, m != x, hash(m)),
    "rounded(places)": lambda m, x, _y: m.rounded(places=x),
    "rounded(rounding)": lambda m, x, _y: m.rounded(rounding=x),
    "rounded(both)": lambda m, x, y: m.rounded(places=x, rounding=y),
    "is_rounded": lambda m, x, _y: m.is_rounded(places=x),
    "allocate": lambda m, x, _y: m.allocate(x),
    "allocate[x, y]": lambda m, x, y: m.allocate([x, y]),
    "split": lambda m, x, _y: m.split(x),
    "format": lambda m, x, _y: m.format(x),
    "format(locale)": lambda m, _x, _y: m.format("de_CH"),
    "from_minor_units": lambda _m, x, y: Money.from_minor_units(x, y),
    "from_minor_units(EUR)": lambda _m, x, _y: Money.from_minor_units(x, "EUR"),
    "to_minor_units": lambda m, _x, _y: m.to_minor_units(),
    "sum": lambda _m, x, y: Money.sum(x, y),
    "sum[m, x]": lambda m, x, _y: Money.sum([m, x], m.currency),
    "zero": lambda _m, x, _y: Money.zero(x),
    "Percentage()": lambda _m, x, _y: Percentage(x),
    "Percentage.from_fraction": lambda _m, x, _y: Percentage.from_fraction(x),
    "Percentage.of": lambda m, x, _y: Percentage(x).of(m),
    "Percentage.format": lambda _m, x, y: Percentage(x).format(y),
    "Percentage <": lambda _m, x, y: Percentage(x) < y,
    "Rate()": lambda _m, x, _y: Rate(x),
    "Rate.apply": lambda _m, x, y: Rate(x).apply(y),
    "Rate >": lambda _m, x, y: Rate(x) > y,
}

MONEY = st.builds(
    Money,
    st.sampled_from(
        [
            Decimal("0"),
            Decimal("-0.00"),
            Decimal("12.34"),
            Decimal("-7.005"),
            Decimal("9" * 30),
            Decimal("1E-30"),
            Decimal("1E+29"),
            Decimal("-" + "9" * 29 + "." + "9" * 30),
        ]
    ),
    st.sampled_from(["EUR", "JPY", "KWD", "CLF"]),
)


@PROMPT
@given(st.sampled_from(sorted(OPERATIONS)), MONEY, hostile_values(), hostile_values())
def test_money_operations_raise_only_kamcore_errors(
    name: str, money: Money, x: object, y: object
) -> None:
    with contextlib.suppress(KamcoreError):
        OPERATIONS[name](money, x, y)


def _accepted(make: Callable[[], Money]) -> Money | None:
    try:
        return make()
    except ValidationError:
        return None


@given(amount_texts() | st.integers() | st.text())
def test_the_constructor_reads_an_amount_exactly_when_the_serializer_does(
    text: str | int,
) -> None:
    built = _accepted(lambda: Money(text, "EUR"))
    read = _accepted(lambda: structure({"amount": text, "currency": "EUR"}, Money))
    assert built == read
    if built is not None and read is not None:
        assert str(built.amount) == str(read.amount)


@st.composite
def displayable(draw: st.DrawFn) -> Decimal:
    """Any amount Money accepts: below 10**30, at most 30 decimal places."""
    places = draw(st.integers(0, 30))
    digits = draw(st.integers(0, 10 ** (30 + places) - 1))
    sign = draw(st.sampled_from(["", "-"]))
    return Decimal(f"{sign}{digits}E-{places}")


def _en_us(amount: Decimal) -> str:
    """What en_US readers expect: every digit (trailing zeros are not digits),
    cents at least, grouped by three."""
    whole, _, fraction = f"{amount.copy_abs():f}".partition(".")
    sign = "-" if amount < 0 else ""
    return f"{sign}€{int(whole):,}.{fraction.rstrip('0').ljust(2, '0')}"


@given(displayable())
def test_formatting_shows_every_digit_of_any_amount_money_accepts(
    amount: Decimal,
) -> None:
    assert Money(amount, "EUR").format("en_US") == _en_us(amount)
