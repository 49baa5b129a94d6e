"""JSON text in and out, exact for decimals and strict about the document."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, TypeVar

from kamcore.errors import ValidationError
from kamcore.serialization._converter import structure, type_name, unstructure
from kamcore.serialization._errors import describe

__all__ = ["from_json", "to_json"]

T = TypeVar("T")


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python's parser accepts them unless told.
    msg = f"{name} is not a JSON value"
    raise ValueError(msg)


def _exact_number(text: str) -> Decimal:
    # A JSON number with a fraction or exponent, kept exact so that the field
    # that refuses it can quote the digits the sender wrote.
    try:
        return Decimal(text)
    except ArithmeticError:
        msg = f"number {text} is out of range"
        raise ValueError(msg) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would keep the last of two equal keys; that is silent loss.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            msg = f"duplicate key {key!r} in an object"
            raise ValueError(msg)
        result[key] = value
    return result


def to_json(obj: object) -> str:
    """Serialise an entity or value to JSON text.

    Example:
        >>> from kamcore.kernel import Money
        >>> to_json(Money("12.50", "EUR"))
        '{"amount": "12.50", "currency": "EUR"}'
    """
    return json.dumps(unstructure(obj), allow_nan=False)


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Parse JSON text and structure it into ``cls``.

    JSON numbers with a fraction or an exponent are parsed as exact ``Decimal``
    values only so that error messages can quote them: every field refuses them
    (a decimal is written as a string, ``"12.50"``).

    Raises:
        ValidationError: for text that is not JSON (including ``NaN``, duplicate
            keys, nesting too deep to parse) and for every offending field.

    Example:
        >>> from kamcore.kernel import Money
        >>> from_json('{"amount": "12.50", "currency": "EUR"}', Money)
        Money('12.50', 'EUR')
    """
    if not isinstance(text, str | bytes):
        raise ValidationError.single(
            type_name(cls), "$", f"expected JSON text, got {describe(text)}", text
        )
    try:
        data = json.loads(
            text,
            parse_float=_exact_number,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_keys,
        )
    except (ValueError, RecursionError) as exc:
        # ValueError covers JSONDecodeError, bad UTF-8 and over-long integers.
        raise ValidationError.single(
            type_name(cls), "$", f"not valid JSON: {exc}", None
        ) from None
    return structure(data, cls)
