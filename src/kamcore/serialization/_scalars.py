"""Strict structuring hooks for single values: nothing is coerced.

Each hook takes the raw value and the target type, and either returns the
structured value or raises :class:`~kamcore.errors.ValidationError` at ``$``
(the caller places it under the field's path).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from decimal import Decimal
from typing import Any

from kamcore.kernel import (
    Percentage,
    Rate,
    to_decimal,
    validate_currency,
    validate_locale,
)
from kamcore.serialization._errors import describe, refusal

__all__ = [
    "structure_bool",
    "structure_currency",
    "structure_date",
    "structure_datetime",
    "structure_decimal",
    "structure_enum",
    "structure_float",
    "structure_int",
    "structure_locale",
    "structure_percentage",
    "structure_rate",
    "structure_str",
    "unstructure_decimal",
    "unstructure_ratio",
    "unstructure_temporal",
]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?"
)


def structure_str(value: object, cls: Any) -> Any:
    """A string, as is."""
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        # str-based enums inherit this hook through the class hierarchy.
        return structure_enum(value, cls)
    if not isinstance(value, str):
        raise refusal(f"expected a string, got {describe(value)}", value)
    return value


def structure_int(value: object, cls: Any) -> Any:
    """An integer proper: not a bool, a float, or a numeric string."""
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return structure_enum(value, cls)
    if type(value) is not int:
        raise refusal(f"expected an integer, got {describe(value)}", value)
    return value


def structure_bool(value: object, _: Any) -> bool:
    """``true`` or ``false``; not 0, 1 or ``"true"``."""
    if not isinstance(value, bool):
        raise refusal(f"expected true or false, got {describe(value)}", value)
    return value


def structure_float(value: object, _: Any) -> float:
    """A float or an integer; never a string or a bool."""
    if type(value) is not float and type(value) is not int:
        raise refusal(f"expected a number, got {describe(value)}", value)
    return float(value)


def structure_decimal(value: object, _: Any) -> Decimal:
    """A decimal string (``"12.50"``, exact digits kept) or an integer.

    Strings are read by :func:`kamcore.kernel.to_decimal`, the one rule the
    constructors use too (plain ASCII digits, an optional minus sign and
    exponent), so a document accepts exactly the amounts ``Money(...)`` does.
    Floats (and JSON numbers with a fraction or exponent) are refused: they may
    already have lost digits, and an amount must stay exact.
    """
    if type(value) is int:
        return Decimal(value)
    if not isinstance(value, str):
        raise refusal(f"expected a decimal string, got {describe(value)}", value)
    return to_decimal(value, subject="input", path="$")


def unstructure_decimal(value: Decimal) -> str:
    """``str(value)``: exactly the digits (and exponent) the Decimal holds."""
    return str(value)


def structure_date(value: object, _: Any) -> dt.date:
    """A business date written ``YYYY-MM-DD``; a date-time is refused."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise refusal(f"expected a date as 'YYYY-MM-DD', got {describe(value)}", value)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise refusal(f"{value!r} is not a calendar date", value) from None


def structure_datetime(value: object, _: Any) -> dt.datetime:
    """An ISO 8601 instant with a UTC offset (``Z`` or ``+01:00``); naive refused."""
    match = _DATETIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise refusal(
            "expected a date-time as 'YYYY-MM-DDTHH:MM:SS+HH:MM', "
            f"got {describe(value)}",
            value,
        )
    if match["offset"] is None:
        raise refusal(
            f"{value!r} has no UTC offset: naive date-times are refused", value
        )
    try:
        return dt.datetime.fromisoformat(match.string)
    except ValueError:
        raise refusal(f"{value!r} is not a valid date-time", value) from None


def unstructure_temporal(value: dt.date) -> str:
    """ISO 8601: ``2026-01-31`` for a date, with its offset for a date-time."""
    return value.isoformat()


def structure_enum(value: object, cls: type[enum.Enum]) -> Any:
    """An enum member, by value."""
    for member in cls:
        # ``type(...) is`` keeps True from matching a member whose value is 1.
        if type(member.value) is type(value) and member.value == value:
            return member
    choices = ", ".join(repr(member.value) for member in cls)
    raise refusal(f"expected one of {choices}, got {describe(value)}", value)


def structure_currency(value: object, _: Any) -> str:
    """An ISO 4217 code Babel knows (``EUR``).

    Checked here rather than left to the constructor, so that an unknown code is
    reported together with the document's other errors.
    """
    if not isinstance(value, str):
        raise refusal(f"expected a currency code, got {describe(value)}", value)
    return validate_currency(value, subject="input", path="$")


def structure_locale(value: object, _: Any) -> str:
    """A Babel locale identifier (``de_DE``)."""
    if not isinstance(value, str):
        raise refusal(f"expected a locale, got {describe(value)}", value)
    return validate_locale(value, subject="input", path="$")


def structure_percentage(value: object, _: Any) -> Percentage:
    """A percentage in percent points, written as its decimal string (``"8.5"``)."""
    return Percentage(structure_decimal(value, Decimal))


def structure_rate(value: object, _: Any) -> Rate:
    """A rate, written as its decimal string (``"1.5"``)."""
    return Rate(structure_decimal(value, Decimal))


def unstructure_ratio(value: Percentage | Rate) -> str:
    """A percentage or rate as the decimal string of its value."""
    return str(value.value)
