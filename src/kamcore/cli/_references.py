"""The references a record holds to other records, for ``kamcore import`` to
resolve in the import or the database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["references"]

_CLIENT_RECORDS = (
    "orders",
    "invoices",
    "tickets",
    "activities",
    "contracts",
    "proposals",
    "opportunities",
)

# kind -> (field, kind it refers to) for the single-id references of a record.
_SINGLE_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "clients": (
        ("price_list", "price_lists"),
        ("discount_group", "discount_groups"),
        ("membership", "memberships"),
    ),
    "client_groups": (("price_list", "price_lists"),),
    "memberships": (("programme", "programmes"), ("client", "clients")),
    "renewal_alerts": (("contract", "contracts"), ("client", "clients")),
    "renewal_cases": (
        ("contract", "contracts"),
        ("client", "clients"),
        ("alert", "renewal_alerts"),
        ("proposal", "proposals"),
    ),
    **dict.fromkeys(_CLIENT_RECORDS, (("client", "clients"),)),
    "opportunities": (
        ("client", "clients"),
        ("product", "products"),
        ("contract", "contracts"),
        ("proposal", "proposals"),
    ),
    "activities": (
        ("client", "clients"),
        ("opportunity", "opportunities"),
        ("contract", "contracts"),
    ),
    "proposals": (
        ("client", "clients"),
        ("contract", "contracts"),
        ("opportunity", "opportunities"),
        ("order", "orders"),
    ),
}


def references(kind: str, entity: Any) -> Iterator[tuple[str, str, str]]:
    """(field suffix, kind referred to, id) for every reference a record holds."""
    for field, target in _SINGLE_REFERENCES.get(kind, ()):
        if getattr(entity, field) is not None:
            yield f".{field}", target, getattr(entity, field)
    if kind == "clients":
        for group in sorted(entity.groups):
            yield ".groups", "client_groups", group
    yield from _nested_references(kind, entity)


def _nested_references(kind: str, entity: Any) -> Iterator[tuple[str, str, str]]:
    """The references held by the items, lines and versions of a record."""
    if kind == "price_lists":
        for index, item in enumerate(entity.items):
            at = f".items[{index}]"
            yield f"{at}.product", "products", item.product
            if item.derived is not None:
                yield f"{at}.derived.source", "price_lists", item.derived.source
    if kind in ("orders", "invoices"):
        for index, line in enumerate(entity.lines):
            yield f".lines[{index}].product", "products", line.product
    if kind == "contracts":
        for index, version in enumerate(entity.versions):
            if version.price_list is not None:
                at = f".versions[{index}].price_list"
                yield at, "price_lists", version.price_list
    if kind == "proposals":
        for index, revision in enumerate(entity.revisions):
            for number, line in enumerate(revision.lines):
                at = f".revisions[{index}].lines[{number}].product"
                yield at, "products", line.product
