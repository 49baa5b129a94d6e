"""Turning structuring failures into :class:`~kamcore.errors.FieldError` lists.

Two kinds of failure meet here:

* cattrs' own exception groups (``ClassValidationError`` and
  ``IterableValidationError``), whose members carry a note saying which attribute
  or index failed, plus the bare ``KeyError`` (missing field) and
  ``ForbiddenExtraKeysError`` (unknown field) it raises inside them;
* kamcore's :class:`~kamcore.errors.ValidationError`, raised by our own hooks
  (with ``$``-relative paths) and by entity constructors (with attribute paths
  such as ``lines[1].unit_price.currency``).

:func:`collect` walks both and places every error under the path where the
offending value sits in the input document.
"""

from __future__ import annotations

from decimal import Decimal

from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from kamcore.errors import FieldError, ValidationError

__all__ = ["collect", "describe", "refusal"]

_SHOWN_CHARACTERS = 40


def describe(value: object) -> str:
    """Name the type of ``value`` (and the value itself when it is short).

    Containers are named, never printed: a deeply nested garbage document must
    not make the error message itself fail or run for long.
    """
    if value is None:
        return "null"
    if isinstance(value, bool | int | float):
        return f"{type(value).__name__} {value!r}"
    if isinstance(value, Decimal):
        # Only JSON numbers with a fraction or exponent arrive as Decimal.
        return f"number {value}"
    if isinstance(value, str):
        if len(value) > _SHOWN_CHARACTERS:
            return f"str {value[:_SHOWN_CHARACTERS]!r}..."
        return f"str {value!r}"
    return type(value).__name__


def refusal(message: str, value: object, path: str = "$") -> ValidationError:
    """A one-field :class:`ValidationError` at a ``$``-relative path, to raise."""
    return ValidationError.single("input", path, message, value)


def collect(exc: BaseException, path: str) -> list[FieldError]:
    """Every offending field in ``exc``, with paths rooted at ``path``."""
    if isinstance(exc, ValidationError):
        return [error.under(path) for error in exc.errors]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        errors: list[FieldError] = []
        for member in exc.exceptions:
            errors.extend(_collect_member(member, path))
        return errors
    if isinstance(exc, ForbiddenExtraKeysError):
        return [
            FieldError(path, f"unknown field {name!r}", name)
            for name in sorted(exc.extra_fields)
        ]
    return [FieldError(path, _unexpected(exc), None)]


def _collect_member(member: BaseException, path: str) -> list[FieldError]:
    note = _location(member)
    if isinstance(note, AttributeValidationNote):
        field_path = f"{path}.{note.name}"
        # The generated structuring code reads ``o[name]``; a KeyError naming
        # exactly that field means the key is absent from the input.
        if type(member) is KeyError and member.args == (note.name,):
            return [FieldError(field_path, "required field missing", None)]
        return collect(member, field_path)
    if isinstance(note, IterableValidationNote):
        return collect(member, f"{path}[{note.index!r}]")
    return collect(member, path)


def _location(
    exc: BaseException,
) -> AttributeValidationNote | IterableValidationNote | None:
    """The cattrs note that says where ``exc`` happened, if it has one.

    The last note is the one the group being walked attached.
    """
    for note in reversed(getattr(exc, "__notes__", ())):
        if isinstance(note, AttributeValidationNote | IterableValidationNote):
            return note
    return None


def _unexpected(exc: BaseException) -> str:
    # An entity constructor raised something other than ValidationError; report
    # it as what it is rather than let it escape the input boundary.
    return f"rejected ({type(exc).__name__}: {exc})"
