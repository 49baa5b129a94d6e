"""The validating converter and the module-level helpers that share one."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from decimal import Decimal
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ClassValidationError, IterableValidationError
from dateutil.relativedelta import relativedelta

from kamcore.errors import ValidationError
from kamcore.kernel import Percentage, Rate
from kamcore.serialization._composites import (
    attrs_structure_factory,
    attrs_unstructure_factory,
    is_mapping,
    is_sequence,
    is_set,
    mapping_structure_factory,
    sequence_structure_factory,
    set_structure_factory,
    set_unstructure_factory,
    structure_relativedelta,
    unstructure_relativedelta,
)
from kamcore.serialization._errors import collect
from kamcore.serialization._pricing import register_pricing_hooks
from kamcore.serialization._scalars import (
    structure_bool,
    structure_date,
    structure_datetime,
    structure_decimal,
    structure_enum,
    structure_float,
    structure_int,
    structure_percentage,
    structure_rate,
    structure_str,
    unstructure_decimal,
    unstructure_ratio,
    unstructure_temporal,
)

__all__ = ["make_converter", "structure", "type_name", "unstructure"]

T = TypeVar("T")


def type_name(cls: Any) -> str:
    """A short readable name for a target type: ``Invoice``, ``list[Invoice]``."""
    origin = get_origin(cls)
    if origin is not None:
        args = ", ".join(
            "..." if a is Ellipsis else type_name(a) for a in get_args(cls)
        )
        return f"{type_name(origin)}[{args}]"
    return str(getattr(cls, "__name__", cls))


class _ValidatingConverter(cattrs.Converter):
    """A converter whose :meth:`structure` raises only kamcore's ValidationError."""

    __slots__ = ()

    def structure(self, obj: Any, cl: type[T]) -> T:
        """Structure ``obj`` into ``cl``.

        Raises:
            ValidationError: listing every offending field with its ``$`` path.
        """
        try:
            return super().structure(obj, cl)
        except (
            ValidationError,
            ClassValidationError,
            IterableValidationError,
        ) as exc:
            raise ValidationError(type_name(cl), collect(exc, "$")) from None


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def make_converter() -> cattrs.Converter:
    """Build a new validating converter for every kamcore entity and value.

    Structuring is strict: no value is coerced (``5`` is not a string, ``"5"``
    and ``True`` are not integers, a string is not a list), unknown fields are
    refused, and every offending field is reported in one
    :class:`~kamcore.errors.ValidationError`. Each call returns a fresh
    converter, so hooks a caller registers on it affect nobody else.

    Returns:
        A configured :class:`cattrs.Converter`.

    Example:
        >>> from kamcore.kernel import Money
        >>> converter = make_converter()
        >>> converter.unstructure(Money("12.50", "EUR"))
        {'amount': '12.50', 'currency': 'EUR'}
        >>> converter.structure({"amount": "12.50", "currency": "EUR"}, Money)
        Money('12.50', 'EUR')
    """
    converter = _ValidatingConverter(forbid_extra_keys=True, detailed_validation=True)

    # Class hooks take precedence over cattrs' built-in ones, which coerce
    # (``str(5)``, ``int("5")``); ``bool`` needs its own, or ``int``'s would apply.
    for cls, hook in (
        (str, structure_str),
        (int, structure_int),
        (bool, structure_bool),
        (float, structure_float),
        (Decimal, structure_decimal),
        (dt.date, structure_date),
        (dt.datetime, structure_datetime),
        (Percentage, structure_percentage),
        (Rate, structure_rate),
        (relativedelta, structure_relativedelta),
    ):
        converter.register_structure_hook(cls, hook)
    converter.register_structure_hook_func(_is_enum, structure_enum)
    converter.register_structure_hook_factory(is_sequence, sequence_structure_factory)
    converter.register_structure_hook_factory(is_set, set_structure_factory)
    converter.register_structure_hook_factory(is_mapping, mapping_structure_factory)
    converter.register_structure_hook_factory(attrs.has, attrs_structure_factory)

    converter.register_unstructure_hook(Decimal, unstructure_decimal)
    converter.register_unstructure_hook(dt.date, unstructure_temporal)
    converter.register_unstructure_hook(Percentage, unstructure_ratio)
    converter.register_unstructure_hook(Rate, unstructure_ratio)
    converter.register_unstructure_hook(relativedelta, unstructure_relativedelta)
    converter.register_unstructure_hook_factory(is_set, set_unstructure_factory)
    converter.register_unstructure_hook_factory(attrs.has, attrs_unstructure_factory)
    # After the generic hooks: the pricing forms are built from them.
    register_pricing_hooks(converter)
    return converter


@functools.cache
def _shared_converter() -> cattrs.Converter:
    return make_converter()


def structure(data: object, cls: type[T]) -> T:
    """Build a ``cls`` from unstructured ``data`` (as :func:`unstructure` makes it).

    Args:
        data: JSON-like data: dicts, lists, strings, integers, booleans, None.
        cls: The target type (an entity, a value, or ``list[Invoice]``...).

    Returns:
        The structured value.

    Raises:
        ValidationError: listing every offending field, ``$``-rooted
            (``$.lines[2].unit_price.amount``); ``subject`` names ``cls``.
    """
    return _shared_converter().structure(data, cls)


def unstructure(obj: object) -> Any:
    """Turn an entity or value into JSON-ready data (dicts, lists, strings...).

    Example:
        >>> from kamcore.kernel import Percentage
        >>> unstructure(Percentage("8.5"))
        '8.5'
    """
    return _shared_converter().unstructure(obj)
