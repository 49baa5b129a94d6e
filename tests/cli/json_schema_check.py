"""A small JSON Schema checker: the keywords kamcore's portfolio schema uses.

Enough to prove the published schema describes real documents (``type``,
``properties``, ``required``, ``additionalProperties``, ``items``,
``prefixItems``, ``enum``, ``pattern``, ``anyOf``, ``uniqueItems``, local
``$ref``) without a dependency for it.
"""

from __future__ import annotations

import json
import re
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}


def _is(value: object, kind: str) -> bool:
    if kind == "integer" and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[kind])


def schema_errors(value: object, schema: dict[str, Any]) -> list[str]:
    """Every way ``value`` breaks ``schema``, as ``"<path>: <what>"``."""
    return _check(value, schema, schema, "$")


def _check(  # noqa: PLR0912 - one branch per keyword, as the spec lists them
    value: object, schema: dict[str, Any], root: dict[str, Any], path: str
) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return _check(value, root["$defs"][name], root, path)
    errors: list[str] = []
    if "anyOf" in schema:
        if all(_check(value, option, root, path) for option in schema["anyOf"]):
            errors.append(f"{path}: no alternative matches {json.dumps(value)}")
        return errors
    kind = schema.get("type")
    if kind is not None and not _is(value, kind):
        return [f"{path}: expected {kind}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
    pattern = schema.get("pattern")
    if pattern is not None and isinstance(value, str) and not re.search(pattern, value):
        errors.append(f"{path}: {value!r} does not match {schema['pattern']!r}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [
            f"{path}: {name!r} is required"
            for name in schema.get("required", [])
            if name not in value
        ]
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                errors += _check(item, properties[name], root, f"{path}.{name}")
            elif extra is False:
                errors.append(f"{path}: unknown property {name!r}")
            elif isinstance(extra, dict):
                errors += _check(item, extra, root, f"{path}[{name!r}]")
    if isinstance(value, list):
        fixed = schema.get("prefixItems")
        if fixed is not None and len(value) != len(fixed):
            errors.append(f"{path}: expected {len(fixed)} items, got {len(value)}")
        for index, item in enumerate(value):
            item_schema = (
                fixed[index] if fixed and index < len(fixed) else schema.get("items")
            )
            if item_schema is not None:
                errors += _check(item, item_schema, root, f"{path}[{index}]")
        if schema.get("uniqueItems"):
            seen = [json.dumps(item, sort_keys=True) for item in value]
            if len(set(seen)) != len(seen):
                errors.append(f"{path}: items are not unique")
    return errors
