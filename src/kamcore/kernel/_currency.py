"""Currency codes and rounding modes, checked (with Babel for the codes)."""

from __future__ import annotations

import functools

from babel import numbers as babel_numbers

from kamcore.errors import ValidationError
from kamcore.kernel._contexts import ROUNDING_MODES
from kamcore.kernel._numbers import shown

__all__ = ["check_rounding", "currency_precision", "validate_currency"]


@functools.lru_cache(maxsize=512)
def _known_currency(code: str) -> bool:
    return babel_numbers.is_currency(code)


def validate_currency(
    code: object, *, subject: str = "Money", path: str = "currency"
) -> str:
    """Return ``code`` if it is an ISO 4217 code Babel knows, else raise.

    Raises:
        ValidationError: naming the field and the value; a lower-case code gets a
            "did you mean" hint rather than a silent upper-casing.
    """
    if not isinstance(code, str):
        raise ValidationError.single(
            subject, path, f"expected a currency code, got {type(code).__name__}", code
        )
    if not _known_currency(code):
        hint = ""
        if _known_currency(code.strip().upper()):
            hint = f" (did you mean {code.strip().upper()!r}?)"
        raise ValidationError.single(
            subject, path, f"unknown ISO 4217 currency code {shown(code)}{hint}", code
        )
    return code


@functools.lru_cache(maxsize=512)
def _precision(code: str) -> int:
    return babel_numbers.get_currency_precision(code)


def currency_precision(code: str) -> int:
    """Decimal places of ``code``'s minor unit, as Babel gives it (EUR 2, JPY 0)."""
    return _precision(validate_currency(code))


def check_rounding(rounding: object, subject: str = "Money") -> str:
    """``rounding`` if it is one of :data:`ROUNDING_MODES`, else raise."""
    if not isinstance(rounding, str) or rounding not in ROUNDING_MODES:
        raise ValidationError.single(
            subject, "rounding", f"unknown rounding mode {shown(rounding)}", rounding
        )
    return rounding
