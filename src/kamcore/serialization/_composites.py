"""Strict hooks for containers, attrs classes and calendar terms.

Containers check their own shape before looking inside: cattrs' defaults would
iterate a string into characters or call ``.items()`` on a list. Element errors
are collected, not raised at the first one, and placed under ``$[index]``.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, get_args, get_origin

import attrs
from cattrs import BaseConverter
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from dateutil.relativedelta import relativedelta

from kamcore.errors import FieldError, ValidationError
from kamcore.kernel import NON_TERM_FIELDS, TERM_FIELDS
from kamcore.ports import Notification
from kamcore.serialization._errors import collect, describe, refusal
from kamcore.serialization._scalars import structure_currency, structure_locale

__all__ = [
    "attrs_structure_factory",
    "attrs_unstructure_factory",
    "is_mapping",
    "is_sequence",
    "is_set",
    "mapping_structure_factory",
    "sequence_structure_factory",
    "set_structure_factory",
    "set_unstructure_factory",
    "structure_relativedelta",
    "unstructure_relativedelta",
]

StructureHook = Callable[[Any, Any], Any]
UnstructureHook = Callable[[Any], Any]

# cattrs types a generator's ``**overrides`` together with its boolean options,
# so passing a dict of overrides cannot be checked; these take them untyped.
_generate_structure: Callable[..., StructureHook] = make_dict_structure_fn
_generate_unstructure: Callable[..., UnstructureHook] = make_dict_unstructure_fn


def _origin(cls: Any) -> Any:
    return get_origin(cls) or cls


def is_sequence(cls: Any) -> bool:
    """``tuple[...]``, ``list[...]`` and ``deque[...]`` (bare or parametrised)."""
    return _origin(cls) in (tuple, list, deque)


def is_set(cls: Any) -> bool:
    """``frozenset[...]`` and ``set[...]``."""
    return _origin(cls) in (frozenset, set)


def is_mapping(cls: Any) -> bool:
    """``dict[...]`` and ``Mapping[...]``."""
    return _origin(cls) in (dict, Mapping)


def _structure_items(
    value: list[Any] | tuple[Any, ...], hooks: list[tuple[StructureHook, Any]]
) -> list[Any]:
    """Structure item ``i`` with ``hooks[i]``, collecting the errors of all items."""
    items: list[Any] = []
    errors: list[FieldError] = []
    for index, (item, (hook, item_type)) in enumerate(zip(value, hooks, strict=True)):
        try:
            items.append(hook(item, item_type))
        except Exception as exc:  # every failure becomes a FieldError
            errors.extend(collect(exc, f"$[{index}]"))
    if errors:
        raise ValidationError("input", errors)
    return items


def sequence_structure_factory(cls: Any, converter: BaseConverter) -> StructureHook:
    """A JSON list into a tuple, list or deque; strings and objects are refused."""
    container = _origin(cls)
    args = get_args(cls)
    fixed = None  # a fixed-length tuple has one type per position
    if args and args[-1] is not Ellipsis and container is tuple:
        fixed = [(converter.get_structure_hook(arg), arg) for arg in args]
    item_type = args[0] if args else Any
    same = (converter.get_structure_hook(item_type), item_type)

    def structure_sequence(value: object, _: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise refusal(f"expected a list, got {describe(value)}", value)
        if fixed is not None and len(value) != len(fixed):
            raise refusal(
                f"expected a list of {len(fixed)} items, got {len(value)}", value
            )
        hooks = fixed if fixed is not None else [same] * len(value)
        return container(_structure_items(value, hooks))

    return structure_sequence


def set_structure_factory(cls: Any, converter: BaseConverter) -> StructureHook:
    """A JSON list of distinct items into a frozenset or set."""
    container = _origin(cls)
    args = get_args(cls)
    item_type = args[0] if args else Any
    hook = converter.get_structure_hook(item_type)

    def structure_set(value: object, _: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise refusal(f"expected a list, got {describe(value)}", value)
        items = _structure_items(value, [(hook, item_type)] * len(value))
        seen: set[Any] = set()
        duplicates: list[FieldError] = []
        for index, item in enumerate(items):
            if item in seen:
                duplicates.append(
                    FieldError(f"$[{index}]", "appears twice", value[index])
                )
            seen.add(item)
        if duplicates:
            raise ValidationError("input", duplicates)
        return container(items)

    return structure_set


def set_unstructure_factory(cls: Any, converter: BaseConverter) -> UnstructureHook:
    """A set as a sorted JSON list, so equal sets serialise identically."""
    args = get_args(cls)
    hook = converter.get_unstructure_hook(args[0] if args else Any)

    def unstructure_set(value: Any) -> list[Any]:
        items = [hook(item) for item in value]
        try:
            return sorted(items)
        except TypeError:  # objects: order by their canonical JSON text
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))

    return unstructure_set


def mapping_structure_factory(cls: Any, converter: BaseConverter) -> StructureHook:
    """A JSON object into a dict, checking every key and value."""
    key_type, value_type = get_args(cls) or (Any, Any)
    key_hook = converter.get_structure_hook(key_type)
    value_hook = converter.get_structure_hook(value_type)

    def structure_mapping(value: object, _: Any) -> dict[Any, Any]:
        if not isinstance(value, Mapping):
            raise refusal(f"expected an object, got {describe(value)}", value)
        result: dict[Any, Any] = {}
        errors: list[FieldError] = []
        for key, item in value.items():
            try:
                result[key_hook(key, key_type)] = value_hook(item, value_type)
            except Exception as exc:  # every failure becomes a FieldError
                errors.extend(collect(exc, f"$[{key!r}]"))
        if errors:
            raise ValidationError("input", errors)
        return result

    return structure_mapping


def structure_relativedelta(value: object, _: Any) -> relativedelta:
    """``{"years": 1, "months": 6, "days": 0}``; any subset, integers only."""
    if not isinstance(value, Mapping):
        raise refusal(f"expected an object, got {describe(value)}", value)
    errors = [
        FieldError(f"$.{name}", f"expected an integer, got {describe(value[name])}")
        for name in TERM_FIELDS
        if name in value and type(value[name]) is not int
    ]
    errors.extend(
        FieldError("$", f"unknown field {key!r}", key)
        for key in sorted(value, key=repr)
        if key not in TERM_FIELDS
    )
    if errors:
        raise ValidationError("relativedelta", errors)
    return relativedelta(**{name: value[name] for name in TERM_FIELDS if name in value})


def unstructure_relativedelta(value: relativedelta) -> dict[str, int]:
    """The non-zero years, months and days of ``value``.

    Raises:
        ValidationError: if it holds anything else (hours, an absolute month...),
            which this format cannot carry.
    """
    extra = [
        FieldError(f"$.{name}", "cannot be serialised: only years, months and days can")
        for name in NON_TERM_FIELDS
        if getattr(value, name) not in (None, 0)
    ]
    if extra:
        raise ValidationError("relativedelta", extra)
    return {name: getattr(value, name) for name in TERM_FIELDS if getattr(value, name)}


def _payload_to_pairs(converter: BaseConverter) -> StructureHook:
    as_dict = converter.get_structure_hook(dict[str, str])

    def structure_payload(value: object, _: Any) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(as_dict(value, dict[str, str]).items()))

    return structure_payload


def _structure_overrides(cls: type[Any], converter: BaseConverter) -> dict[str, Any]:
    """Field hooks that depend on the field, not only on its type."""
    overrides: dict[str, Any] = {}
    for field in attrs.fields(cls):
        # A plain ``str`` named currency or locale is a code: check it with the
        # document's other fields instead of waiting for the constructor.
        if field.type is str and field.name == "currency":
            overrides[field.name] = override(struct_hook=structure_currency)
        elif field.type is str and field.name == "locale":
            overrides[field.name] = override(struct_hook=structure_locale)
    if cls is Notification:
        overrides["payload"] = override(struct_hook=_payload_to_pairs(converter))
    return overrides


def attrs_structure_factory(cls: type[Any], converter: BaseConverter) -> StructureHook:
    """cattrs' generated hook for ``cls``, behind a check that the input is an
    object whose keys are strings (the generated code assumes both)."""
    attrs.resolve_types(cls)
    generated = _generate_structure(
        cls, converter, **_structure_overrides(cls, converter)
    )

    def structure_attrs(value: object, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise refusal(f"expected an object, got {describe(value)}", value)
        odd = [key for key in value if not isinstance(key, str)]
        if odd:
            raise ValidationError(
                "input",
                [
                    FieldError(
                        "$", f"field names must be strings, got {describe(k)}", k
                    )
                    for k in odd
                ],
            )
        return generated(value, cls)

    return structure_attrs


def attrs_unstructure_factory(
    cls: type[Any], converter: BaseConverter
) -> UnstructureHook:
    """cattrs' generated unstructuring hook; a notification's payload is an object."""
    attrs.resolve_types(cls)
    overrides: dict[str, Any] = {}
    if cls is Notification:
        overrides["payload"] = override(unstruct_hook=dict)
    return _generate_unstructure(cls, converter, **overrides)
