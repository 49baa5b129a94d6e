"""Plain, JSON-friendly values for rows and serialised views.

One rule for every view: amounts and other decimals become strings (exact, never
floats; an amount shows at least its currency's decimals), dates and instants
ISO 8601 strings, enums their value, percentages their value in percent points,
contract terms ISO 8601 durations (``"P1Y"``).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeAlias

from dateutil.relativedelta import relativedelta

from kamcore.errors import ValidationError
from kamcore.kernel import TERM_FIELDS, Money, Percentage, Rate

__all__ = ["Plain", "duration", "plain"]

Plain: TypeAlias = str | int | bool | None
"""A JSON scalar as kamcore writes it (decimals as strings, never floats)."""

_LETTERS = {"years": "Y", "months": "M", "days": "D"}


def duration(term: relativedelta) -> str:
    """A contract term as an ISO 8601 duration: ``relativedelta(years=1)`` is
    ``"P1Y"``; only years, months and days (what a term is counted in)."""
    parts = [
        f"{getattr(term, name)}{_LETTERS[name]}"
        for name in TERM_FIELDS
        if getattr(term, name)
    ]
    return "P" + ("".join(parts) or "0D")


def plain(value: object) -> Plain:
    """``value`` as a JSON scalar (see the module rule).

    Raises:
        ValidationError: for a value no view produces (a programming error).
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    for kind, convert in _CONVERSIONS:
        if isinstance(value, kind):
            return convert(value)
    raise ValidationError.single(
        "plain", "value", f"no plain form for {type(value).__name__}", value
    )


def _amount(money: Money) -> str:
    """The amount with at least the currency's decimals (``0`` is ``"0.00"``
    in EUR); more are kept (unit prices may have 4). Never rounds."""
    exponent = money.amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -money.precision:
        return str(money.rounded().amount)  # only adds zeros: exact
    return str(money.amount)


_CONVERSIONS: tuple[tuple[type | tuple[type, ...], Callable[[Any], Plain]], ...] = (
    (Money, _amount),
    (Decimal, str),
    ((Percentage, Rate), lambda ratio: str(ratio.value)),
    (dt.date, lambda day: day.isoformat()),  # a datetime is a date too
    (enum.Enum, lambda member: plain(member.value)),
    (relativedelta, duration),
)
