"""Locale identifiers, checked with Babel."""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError

from kamcore.errors import ValidationError

__all__ = ["validate_locale"]


@functools.lru_cache(maxsize=256)
def _parses(identifier: str) -> bool:
    try:
        Locale.parse(identifier)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def validate_locale(
    identifier: object, *, subject: str = "locale", path: str = "locale"
) -> str:
    """Return ``identifier`` if Babel knows it (``"de_DE"``, ``"fr"``), else raise."""
    if not isinstance(identifier, str) or not _parses(identifier):
        hint = ""
        if isinstance(identifier, str) and "-" in identifier:
            hint = f" (use underscores: {identifier.replace('-', '_')!r})"
        shown = repr(identifier)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        raise ValidationError.single(
            subject, path, f"unknown locale {shown}{hint}", identifier
        )
    return identifier
