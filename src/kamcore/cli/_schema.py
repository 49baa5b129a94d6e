"""The JSON Schema of the portfolio document, generated from the attrs classes.

The schema describes the *shape* kamcore's converter accepts (types, required
fields, enum values, the formats of decimals, dates and currency codes); the
rules that relate fields (a due date after the issue date, references between
records) are checked by ``kamcore import`` itself. ``docs/portfolio.schema.json``
is this function's output, and a test keeps the two equal.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.cli._portfolio import PortfolioDocument
from kamcore.kernel import TERM_FIELDS, Percentage, Rate

__all__ = ["SCHEMA_ID", "portfolio_schema", "schema_text"]

SCHEMA_ID = "https://kamcore.dev/schemas/portfolio.schema.json"
"""The ``$id`` of the portfolio schema."""

# The formats of kamcore.serialization's scalar hooks, as patterns.
_DECIMAL = {
    "anyOf": [
        {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$"},
        {"type": "integer"},
    ],
    "description": "a decimal written as a string of its digits ('12.50'), "
    "or an integer",
}
_DATE = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_DATETIME = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"
    r"(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2}(:[0-9]{2})?)$",
    "description": "an ISO 8601 instant with its UTC offset",
}
_CURRENCY = {
    "type": "string",
    "pattern": "^[A-Z]{3}$",
    "description": "an ISO 4217 currency code",
}
_LOCALE = {"type": "string", "description": "a locale identifier such as de_DE"}
_TERM = {
    "type": "object",
    "properties": {name: {"type": "integer"} for name in TERM_FIELDS},
    "additionalProperties": False,
    "description": "a calendar term: years, months, days",
}


_SCALARS: dict[Any, dict[str, Any]] = {
    type(None): {"type": "null"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    str: {"type": "string"},
    Decimal: _DECIMAL,
    Percentage: _DECIMAL,
    Rate: _DECIMAL,
    dt.datetime: _DATETIME,
    dt.date: _DATE,
    relativedelta: _TERM,
}


def _scalar(kind: Any, field: str) -> dict[str, Any] | None:
    """The schema of a scalar type, ``None`` for anything else."""
    if kind is Any:
        return {}
    if kind is str and field in ("currency", "locale"):
        return dict(_CURRENCY if field == "currency" else _LOCALE)
    found = _SCALARS.get(kind)
    return None if found is None else dict(found)


class _Builder:
    def __init__(self) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}

    def of(self, kind: Any, *, field: str = "") -> dict[str, Any]:
        """The schema of type ``kind`` (``field``: the attribute's name)."""
        supertype = getattr(kind, "__supertype__", None)
        if supertype is not None:  # a typed id (NewType)
            return self.of(supertype, field=field)
        origin = typing.get_origin(kind)
        if origin is not None:
            return self.generic(origin, typing.get_args(kind), field)
        scalar = _scalar(kind, field)
        if scalar is not None:
            return scalar
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return {"enum": [member.value for member in kind]}
        if isinstance(kind, type) and attrs.has(kind):
            return self.reference(kind)
        msg = f"no JSON Schema for {kind!r}"
        raise TypeError(msg)

    def generic(
        self, origin: Any, arguments: tuple[Any, ...], field: str
    ) -> dict[str, Any]:
        """The schema of a union or a container of ``arguments``."""
        if origin in (typing.Union, types.UnionType):
            return {"anyOf": [self.of(arg, field=field) for arg in arguments]}
        if origin in (tuple, list) and arguments and arguments[-1] is not Ellipsis:
            return {
                "type": "array",
                "prefixItems": [self.of(arg) for arg in arguments],
                "minItems": len(arguments),
                "maxItems": len(arguments),
            }
        if origin in (tuple, list):
            return {"type": "array", "items": self.of(arguments[0])}
        if origin in (frozenset, set):
            items = self.of(arguments[0])
            return {"type": "array", "items": items, "uniqueItems": True}
        if origin in (dict, Mapping):
            return {"type": "object", "additionalProperties": self.of(arguments[1])}
        msg = f"no JSON Schema for {origin!r}{list(arguments)}"
        raise TypeError(msg)

    def reference(self, cls: type[Any]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.definitions:
            self.definitions[name] = {}  # placeholder: recursive classes
            self.definitions[name] = self.record(cls)
        return {"$ref": f"#/$defs/{name}"}

    def record(self, cls: type[Any]) -> dict[str, Any]:
        attrs.resolve_types(cls)
        fields = [field for field in attrs.fields(cls) if field.init]
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {
                field.name: self.of(field.type, field=field.name) for field in fields
            },
            "additionalProperties": False,
        }
        required = [f.name for f in fields if f.default is attrs.NOTHING]
        if required:
            schema["required"] = required
        summary = (cls.__doc__ or "").strip().splitlines()
        if summary:
            schema = {"description": summary[0], **schema}
        return schema


def portfolio_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a portfolio document, as a dict."""
    builder = _Builder()
    document = builder.record(PortfolioDocument)
    document["properties"] = {
        "$schema": {"type": "string", "description": "ignored: for editors"},
        **document["properties"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "kamcore portfolio",
        "description": "What `kamcore import` reads: lists of records, each in "
        "kamcore's JSON format. Every key is optional. See docs/cli.md.",
        "type": "object",
        "properties": document["properties"],
        "additionalProperties": False,
        "$defs": dict(sorted(builder.definitions.items())),
    }


def schema_text() -> str:
    """:func:`portfolio_schema` as JSON text, the way the docs publish it."""
    return json.dumps(portfolio_schema(), indent=2, ensure_ascii=False) + "\n"
