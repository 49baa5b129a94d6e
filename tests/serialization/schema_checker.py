"""A JSON Schema (draft 2020-12) checker for the keywords kamcore's pricing
schemas use, so that tests can hold the published schemas to real documents
without a dependency.

It refuses a schema that uses any other keyword (:class:`UnknownKeywordError`):
a keyword it silently skipped would let a schema pass documents it should not.
Patterns are read as Python regular expressions, which agree with ECMA-262 on
the ones the schemas use (character classes, anchors, a lookahead) once a
final ``$`` means the end of the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

__all__ = ["UnknownKeywordError", "schema_errors"]

Schema = dict[str, Any]

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}
# Keywords that only annotate: they constrain nothing.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples"}
)


class UnknownKeywordError(Exception):
    """The schema uses a keyword this checker does not implement."""


def schema_errors(value: object, schema: Schema) -> list[str]:
    """Every way ``value`` breaks ``schema``, as ``"<path>: <what>"``.

    Raises:
        UnknownKeywordError: the schema uses a keyword outside the checker's.
    """
    return _Checker(schema).check(value, schema, "$")


def _is(value: object, kind: str) -> bool:
    if kind == "integer" and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[kind])


class _Checker:
    def __init__(self, root: Schema) -> None:
        self.root = root
        self.keywords: dict[str, Callable[[object, Any, Schema, str], list[str]]] = {
            "$ref": self.ref,
            "$defs": lambda *_: [],  # read through $ref
            "type": self.type,
            "enum": self.enum,
            "const": self.const,
            "pattern": self.pattern,
            "format": self.format,
            "minLength": self.min_length,
            "minimum": self.minimum,
            "properties": self.properties,
            "required": self.required,
            "additionalProperties": self.additional,
            "items": self.items,
            "minItems": self.min_items,
            "anyOf": self.any_of,
        }

    def check(self, value: object, schema: Schema, path: str) -> list[str]:
        errors: list[str] = []
        for keyword, argument in schema.items():
            if keyword in _ANNOTATIONS:
                continue
            check = self.keywords.get(keyword)
            if check is None:
                msg = f"keyword {keyword!r} at {path} is not implemented"
                raise UnknownKeywordError(msg)
            errors += check(value, argument, schema, path)
        return errors

    def ref(self, value: object, target: str, _: Schema, path: str) -> list[str]:
        prefix = "#/$defs/"
        if not target.startswith(prefix):
            msg = f"only local $defs references are implemented, not {target!r}"
            raise UnknownKeywordError(msg)
        return self.check(value, self.root["$defs"][target[len(prefix) :]], path)

    def type(self, value: object, kind: str, _: Schema, path: str) -> list[str]:
        if _is(value, kind):
            return []
        return [f"{path}: expected {kind}, got {type(value).__name__}"]

    def enum(
        self, value: object, choices: list[Any], _: Schema, path: str
    ) -> list[str]:
        if any(_same(value, choice) for choice in choices):
            return []
        return [f"{path}: {value!r} is not one of {choices}"]

    def const(self, value: object, expected: object, _: Schema, path: str) -> list[str]:
        return [] if _same(value, expected) else [f"{path}: {value!r} != {expected!r}"]

    def pattern(self, value: object, regex: str, _: Schema, path: str) -> list[str]:
        # ECMA-262's ``$`` is the end of the text; Python's also matches before
        # a final newline, which would let "2026-03-02\n" pass as a date.
        ecma = regex[:-1] + r"\Z" if regex.endswith("$") else regex
        if not isinstance(value, str) or re.search(ecma, value):
            return []
        return [f"{path}: {value!r} does not match {regex!r}"]

    def format(self, value: object, name: str, _: Schema, path: str) -> list[str]:
        # An annotation in 2020-12; the schemas pair each format with a pattern.
        if name not in ("date",):
            msg = f"format {name!r} at {path} is not implemented"
            raise UnknownKeywordError(msg)
        return []

    def min_length(self, value: object, least: int, _: Schema, path: str) -> list[str]:
        if not isinstance(value, str) or len(value) >= least:
            return []
        return [f"{path}: shorter than {least} characters"]

    def minimum(self, value: object, least: int, _: Schema, path: str) -> list[str]:
        if isinstance(value, int) and not isinstance(value, bool) and value < least:
            return [f"{path}: {value!r} is below {least}"]
        return []

    def properties(
        self, value: object, properties: Schema, _: Schema, path: str
    ) -> list[str]:
        if not isinstance(value, dict):
            return []
        return [
            error
            for name, item in value.items()
            if name in properties
            for error in self.check(item, properties[name], f"{path}.{name}")
        ]

    def required(
        self, value: object, names: list[str], _: Schema, path: str
    ) -> list[str]:
        if not isinstance(value, dict):
            return []
        return [f"{path}: {name!r} is required" for name in names if name not in value]

    def additional(
        self, value: object, extra: bool | Schema, schema: Schema, path: str
    ) -> list[str]:
        if not isinstance(value, dict) or extra is True:
            return []
        known = schema.get("properties", {})
        errors: list[str] = []
        for name, item in value.items():
            if name in known:
                continue
            if extra is False:
                errors.append(f"{path}: unknown property {name!r}")
            else:
                errors += self.check(item, extra, f"{path}[{name!r}]")
        return errors

    def items(self, value: object, schema: Schema, _: Schema, path: str) -> list[str]:
        if not isinstance(value, list):
            return []
        return [
            error
            for index, item in enumerate(value)
            for error in self.check(item, schema, f"{path}[{index}]")
        ]

    def min_items(self, value: object, least: int, _: Schema, path: str) -> list[str]:
        if not isinstance(value, list) or len(value) >= least:
            return []
        return [f"{path}: fewer than {least} items"]

    def any_of(
        self, value: object, options: list[Schema], _: Schema, path: str
    ) -> list[str]:
        if any(not self.check(value, option, path) for option in options):
            return []
        return [f"{path}: no alternative matches {json.dumps(value)}"]


def _same(value: object, other: object) -> bool:
    """JSON equality: ``true`` is not ``1``."""
    return type(value) is type(other) and value == other
