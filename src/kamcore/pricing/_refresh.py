"""Refreshing an index: a changed catalogue, answered exactly as a full rebuild.

:meth:`~kamcore.pricing.PricingIndex.refreshed` describes a change as the
catalogue it leads to (:class:`Catalogue`: the old one with lists, groups,
discount groups and products added, replaced by id or removed). Whatever the
change, the new index must answer every line as an index built from that
catalogue would, errors included. Two ways get there:

* price lists and client groups changed (a list edited in an editor, a group's
  priority moved): the tables are updated in place of a rebuild. Only the
  changed lists, the lists deriving from them (their folded prices may move)
  and the products those price are indexed again; the checks a full build
  makes are made on what the change can reach
  (:mod:`kamcore.pricing._refresh_tables`);
* anything else (discount groups, products), or a change whose checks find a
  conflict: the index is built from the catalogue in full, which raises the
  very error a rebuild raises.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Protocol, TypeVar

import attrs

from kamcore.accounts import ClientGroup, Product
from kamcore.kernel import Checks, ClientGroupId, PriceListId
from kamcore.pricing._discounts import DiscountGroup
from kamcore.pricing._index import (
    PricingOptions,
    Tables,
)
from kamcore.pricing._lists import PriceList
from kamcore.pricing._refresh_tables import Touched, may_conflict, refreshed_tables
from kamcore.pricing._validation import (
    members,
    unique,
)

__all__ = ["Catalogue", "Refresh", "plan_refresh"]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T")
I = TypeVar("I", bound=_Identified)  # noqa: E741 - "I" for "identified"


@attrs.frozen
class Catalogue:
    """What an index is built from, in the order a rebuild is given it."""

    price_lists: tuple[PriceList, ...]
    client_groups: tuple[ClientGroup, ...]
    discount_groups: tuple[DiscountGroup, ...]
    products: tuple[Product, ...] | None


@attrs.frozen
class Refresh:
    """What a change comes to: the catalogue to build the new index from, or
    (``catalogue`` is ``None``) its tables, updated, and the lists indexed
    anew."""

    catalogue: Catalogue | None
    tables: Tables | None = None
    touched: Touched = attrs.field(factory=list)


def plan_refresh(
    tables: Tables,
    options: PricingOptions,
    *,
    price_lists: object,
    client_groups: object,
    discount_groups: object,
    products: object,
    removed_price_lists: object,
    removed_client_groups: object,
    removed_discount_groups: object,
    removed_products: object,
) -> Refresh:
    """The refresh of ``tables`` by these additions and replacements (by id)
    and removals, the arguments of
    :meth:`~kamcore.pricing.PricingIndex.refreshed` checked as it says."""
    checks = Checks("PricingIndex.refreshed")
    new_lists = members(checks, "price_lists", price_lists, PriceList)
    new_groups = members(checks, "client_groups", client_groups, ClientGroup)
    new_discounts = members(checks, "discount_groups", discount_groups, DiscountGroup)
    new_products = members(checks, "products", products, Product)
    removed = {
        name: _removed_ids(checks, f"removed_{name}", ids, known, given)
        for name, ids, known, given in (
            (
                "price_lists",
                removed_price_lists,
                tables.lists,
                {new.id for new in new_lists},
            ),
            (
                "client_groups",
                removed_client_groups,
                tables.groups,
                {new.id for new in new_groups},
            ),
            (
                "discount_groups",
                removed_discount_groups,
                tables.discounts,
                {new.id for new in new_discounts},
            ),
            (
                "products",
                removed_products,
                tables.products or {},
                {new.id for new in new_products},
            ),
        )
    }
    if tables.products is None and (new_products or removed["products"]):
        checks.fail(
            "products",
            "the index was built without a catalogue: build a new one with it",
            len(new_products) + len(removed["products"]),
        )
    checks.raise_if_any()
    return _plan(
        tables,
        options,
        price_lists=new_lists,
        client_groups=new_groups,
        discount_groups=new_discounts,
        products=new_products,
        removed=removed,
    )


def _plan(
    tables: Tables,
    options: PricingOptions,
    *,
    price_lists: tuple[PriceList, ...],
    client_groups: tuple[ClientGroup, ...],
    discount_groups: tuple[DiscountGroup, ...],
    products: tuple[Product, ...],
    removed: Mapping[str, frozenset[str]],
) -> Refresh:
    def rebuild() -> Refresh:
        return Refresh(
            _catalogue(
                tables,
                price_lists=price_lists,
                client_groups=client_groups,
                discount_groups=discount_groups,
                products=products,
                removed=removed,
            )
        )

    given_lists, list_clashes = unique("price lists", price_lists)
    given_groups, group_clashes = unique("client groups", client_groups)
    if (
        discount_groups
        or products
        or removed["discount_groups"]
        or removed["products"]
        or list_clashes
        or group_clashes
    ):
        return rebuild()
    changed = [
        PriceListId(list_id)
        for list_id, price_list in given_lists.items()
        if list_id not in tables.lists
        or tables.lists[PriceListId(list_id)].list != price_list
    ]
    changed.extend(PriceListId(list_id) for list_id in sorted(removed["price_lists"]))
    lists = _Lists(
        tables,
        {list_id: given_lists.get(list_id) for list_id in changed},
    )
    groups = {
        group_id: group
        for group_id, group in tables.groups.items()
        if group_id not in removed["client_groups"]
    }
    groups.update(
        (ClientGroupId(group_id), group) for group_id, group in given_groups.items()
    )
    if may_conflict(tables, lists, groups, changed):
        return rebuild()
    new_tables, touched = refreshed_tables(tables, lists, groups, changed, options)
    return Refresh(None, new_tables, touched)


class _Lists(Mapping[PriceListId, PriceList]):
    """The index's lists with some replaced (or removed: ``None``), without
    copying the others."""

    def __init__(
        self, tables: Tables, changes: Mapping[PriceListId, PriceList | None]
    ) -> None:
        self._tables = tables
        self._changes = changes

    def __getitem__(self, key: PriceListId) -> PriceList:
        if key in self._changes:
            changed = self._changes[key]
            if changed is None:
                raise KeyError(key)
            return changed
        return self._tables.lists[key].list

    def __iter__(self) -> Iterator[PriceListId]:
        for key in self._tables.lists:
            if key not in self._changes or self._changes[key] is not None:
                yield key
        for key, changed in self._changes.items():
            if key not in self._tables.lists and changed is not None:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _catalogue(
    tables: Tables,
    *,
    price_lists: tuple[PriceList, ...],
    client_groups: tuple[ClientGroup, ...],
    discount_groups: tuple[DiscountGroup, ...],
    products: tuple[Product, ...],
    removed: Mapping[str, frozenset[str]],
) -> Catalogue:
    """The catalogue after the change: what is kept, in the index's order,
    then what is given."""

    def kept(
        values: Iterable[tuple[str, T]], given: tuple[I, ...], gone: str
    ) -> list[T]:
        replaced = {value.id for value in given}
        return [
            value
            for key, value in values
            if key not in removed[gone] and key not in replaced
        ]

    return Catalogue(
        price_lists=(
            *kept(
                ((key, indexed.list) for key, indexed in tables.lists.items()),
                price_lists,
                "price_lists",
            ),
            *price_lists,
        ),
        client_groups=(
            *kept(tables.groups.items(), client_groups, "client_groups"),
            *client_groups,
        ),
        discount_groups=(
            *kept(tables.discount_groups.items(), discount_groups, "discount_groups"),
            *discount_groups,
        ),
        products=(
            None
            if tables.products is None
            else (*kept(tables.products.items(), products, "products"), *products)
        ),
    )


def _removed_ids(
    checks: Checks,
    path: str,
    ids: object,
    known: Collection[str],
    given: Collection[str],
) -> frozenset[str]:
    """The ids of ``ids`` to remove, each recorded in ``checks`` unless it is
    a string the index has (``known``) and not also given to add."""
    found: set[str] = set()
    if isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
        checks.fail(path, f"expected an iterable of ids, got {type(ids).__name__}", ids)
        return frozenset()
    for position, value in enumerate(ids):
        here = f"{path}[{position}]"
        if not isinstance(value, str):
            checks.fail(here, f"expected an id, got {type(value).__name__}", value)
        elif value not in known:
            checks.fail(here, "the index has nothing with this id to remove", value)
        elif value in given:
            checks.fail(here, "is both given and removed", value)
        else:
            found.add(value)
    return frozenset(found)
