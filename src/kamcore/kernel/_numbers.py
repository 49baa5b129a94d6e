"""Exact numbers from outside: the one rule for reading them, and their bounds.

Every amount, percentage, rate and ratio kamcore accepts is read here, and the
serialization hooks read decimal strings with the same function, so the
constructors and the JSON boundary accept and refuse exactly the same text.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TypeGuard

from kamcore.errors import ValidationError

__all__ = [
    "MAX_DECIMAL_PLACES",
    "MAX_MAGNITUDE_DIGITS",
    "bounded_decimal",
    "decimal_from_text",
    "is_int",
    "shown",
    "to_decimal",
]

MAX_MAGNITUDE_DIGITS = 30
"""Amounts must stay below 10**30 in absolute value.

No business sum comes near it, and the bound keeps every computation inside
the exact 60-digit context, so nothing can fail deep inside arithmetic.
"""

MAX_DECIMAL_PLACES = 30
"""Amounts, percentages, rates and ratios are written with at most 30 decimal
places: with :data:`MAX_MAGNITUDE_DIGITS`, at most 60 digits, which the exact
context holds and Babel displays in full."""

# Plain ASCII decimal notation, as ``str(Decimal)`` writes it: an optional
# minus, digits, an optional fraction, an optional exponent. ``\d`` would also
# accept Arabic-Indic and other digits; Python's Decimal would also accept
# underscores, surrounding whitespace, a plus sign and ".5".
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[+-]?(s?nan[0-9]*|inf|infinity)", re.IGNORECASE)
_SHOWN_CHARACTERS = 40


def is_int(value: object) -> TypeGuard[int]:
    """Whether ``value`` is an ``int`` proper (``bool`` is not a count)."""
    return isinstance(value, int) and not isinstance(value, bool)


def shown(value: object) -> str:
    """``repr(value)``, with text cut after 40 characters, for messages.

    A huge integer is described by its size: Python refuses to write one of
    more than 4300 digits.
    """
    if isinstance(value, str) and len(value) > _SHOWN_CHARACTERS:
        return f"{value[:_SHOWN_CHARACTERS]!r}..."
    if is_int(value) and value.bit_length() > 128:
        return f"an integer of {value.bit_length()} bits"
    return repr(value)


def decimal_from_text(text: str, *, subject: str, path: str) -> Decimal:
    """Read a decimal string: the one rule for amounts written as text.

    Accepted: plain ASCII decimal notation with an optional minus sign and an
    optional exponent (``"12.50"``, ``"-3"``, ``"1E+3"``). Refused: NaN and
    infinities, surrounding whitespace, a plus sign, underscores (``"1_000"``),
    non-ASCII digits, a bare point (``".5"``, ``"5."``), thousands separators.

    Raises:
        ValidationError: naming ``path`` and the text.
    """
    if _NOT_FINITE.fullmatch(text):
        raise ValidationError.single(
            subject, path, f"{shown(text)} is not a finite number", text
        )
    if not _DECIMAL_TEXT.fullmatch(text):
        raise ValidationError.single(
            subject,
            path,
            f"expected a decimal string such as '12.50', got str {shown(text)}",
            text,
        )
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond what Decimal can hold
        raise ValidationError.single(
            subject, path, f"{shown(text)} is out of range", text
        ) from None


def to_decimal(value: object, *, subject: str, path: str) -> Decimal:
    """Convert an exact number to ``Decimal``, refusing floats and non-finite values.

    Accepts ``Decimal``, ``int`` (not ``bool``) and decimal strings as
    :func:`decimal_from_text` reads them (``"12.50"``).

    Raises:
        ValidationError: for floats, booleans, text outside the rule, NaN and
            infinity.
    """
    if isinstance(value, float):
        raise ValidationError.single(
            subject,
            path,
            "floats are refused: pass a Decimal or a decimal string such as "
            f"'{value!r}' to keep the amount exact",
            value,
        )
    if isinstance(value, str):
        return decimal_from_text(value, subject=subject, path=path)
    if is_int(value):
        return Decimal(value)
    if not isinstance(value, Decimal):
        raise ValidationError.single(
            subject,
            path,
            "expected a Decimal, an int or a decimal string, "
            f"got {type(value).__name__}",
            value,
        )
    if not value.is_finite():
        raise ValidationError.single(
            subject, path, f"{value!r} is not a finite number", value
        )
    return value


def bounded_decimal(value: object, *, subject: str, path: str) -> Decimal:
    """:func:`to_decimal`, below ``10**30`` and with at most 30 decimal places.

    Raises:
        ValidationError: as :func:`to_decimal` does, or for a value out of the
            bounds (a ``Decimal`` built from a float is, most often: it gets
            advice on building it exactly).
    """
    if type(value) is Decimal and value.is_finite():
        number = value  # the common case, without to_decimal's type tests
    else:
        number = to_decimal(value, subject=subject, path=path)
    if number and number.adjusted() >= MAX_MAGNITUDE_DIGITS:
        raise ValidationError.single(
            subject,
            path,
            f"must be below 10**{MAX_MAGNITUDE_DIGITS} in absolute value",
            number,
        )
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # noqa: S101 - finite, checked above
    if exponent < -MAX_DECIMAL_PLACES:
        raise ValidationError.single(
            subject,
            path,
            f"has {-exponent} decimal places, more than the {MAX_DECIMAL_PLACES} "
            "kamcore keeps; a Decimal built from a float (Decimal(0.1)) carries "
            "the float's binary error: build it from a string such as '0.1', or "
            "round it explicitly",
            number,
        )
    return number
