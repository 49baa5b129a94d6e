"""Updating an index's tables for changed price lists and client groups.

What :mod:`kamcore.pricing._refresh` uses when a change can be refreshed in
place of a rebuild: :func:`may_conflict` makes the checks a full build makes,
on what the change can reach; :func:`refreshed_tables` indexes the changed
lists and those deriving from them again and shares every other list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from kamcore.accounts import ClientGroup
from kamcore.kernel import ClientGroupId, PriceListId
from kamcore.pricing._build import group_conflicts, index_lists, sources
from kamcore.pricing._index import (
    Canonical,
    IndexedList,
    PricingOptions,
    Tables,
    UnitPrices,
)
from kamcore.pricing._lists import PriceList, PriceListKind
from kamcore.pricing._validation import (
    derivation_conflicts,
    find_cycles,
)

__all__ = ["Touched", "may_conflict", "refreshed_tables"]

Touched = list[tuple[IndexedList | None, IndexedList | None]]
"""Each list indexed anew, as ``(before, after)`` (``None``: absent)."""


def may_conflict(
    tables: Tables,
    lists: Mapping[PriceListId, PriceList],
    groups: Mapping[ClientGroupId, ClientGroup],
    changed: Sequence[PriceListId],
) -> bool:
    """Whether the catalogue of ``lists`` may have a conflict the old one had not.

    The old catalogue had none (its index was built), so a new conflict needs
    a changed list: its own overlapping items, its derivations, a cycle
    through it, a list deriving from it (a source gone or in another
    currency), a second base list, a group pointing at a list now missing or
    of another kind. All of those are checked; nothing else can have changed.
    """
    if group_conflicts(groups, lists):
        return True
    if _bases(tables, lists, changed) is None:
        return True
    gone = set(changed)
    reached = {
        list_id
        for list_id, derives_from in tables.sources.items()
        if list_id in lists and not gone.isdisjoint(derives_from)
    }
    for list_id in (*changed, *sorted(reached)):
        price_list = lists.get(list_id)
        if price_list is None:
            continue  # removed
        if list_id in gone and price_list.conflicts():
            return True
        if derivation_conflicts(price_list, lists):
            return True
    return bool(find_cycles(_closure(tables, lists, changed)))


def refreshed_tables(
    tables: Tables,
    lists: Mapping[PriceListId, PriceList],
    groups: Mapping[ClientGroupId, ClientGroup],
    changed: Sequence[PriceListId],
    options: PricingOptions,
) -> tuple[Tables, Touched]:
    """Tables for ``lists`` and ``groups`` whose ``changed`` lists differ from
    ``tables``'; with each list indexed anew as ``(before, after)``.

    The lists deriving from a changed one, however indirectly, are indexed
    anew as well: their constant prices were folded from its items. Every
    other list keeps its index, shared with ``tables`` (never modified).
    """
    dependents = _dependents(tables, set(changed))
    again = [*changed, *sorted(dependents - set(changed))]
    present = {
        price_list.id: price_list
        for price_list in (lists.get(list_id) for list_id in again)
        if price_list is not None
    }
    all_sources = dict(tables.sources)
    for list_id in again:
        if list_id not in present:
            all_sources.pop(list_id, None)
    all_sources.update(
        (list_id, sources(price_list)) for list_id, price_list in present.items()
    )
    renewed = index_lists(
        present,
        {
            list_id: kept
            for list_id, kept in tables.lists.items()
            if list_id not in again
        },
        all_sources,
        UnitPrices(options),
        Canonical(),
    )
    indexed = dict(tables.lists)
    touched: Touched = []
    for list_id in again:
        if list_id not in present:
            del indexed[list_id]
            touched.append((tables.lists.get(list_id), None))
    for list_id in present:
        indexed[list_id] = renewed[list_id]
    touched.extend((tables.lists.get(i), indexed[i]) for i in present)
    return (
        attrs.evolve(
            tables,
            lists=indexed,
            base_by_currency=_bases(tables, lists, changed) or {},
            groups=dict(groups),
            sources=all_sources,
        ),
        touched,
    )


def _bases(
    tables: Tables,
    lists: Mapping[PriceListId, PriceList],
    changed: Sequence[PriceListId],
) -> dict[str, PriceListId] | None:
    """The base list of each currency after the change; ``None`` if a
    currency now has two."""
    found = {
        currency: list_id
        for currency, list_id in tables.base_by_currency.items()
        if list_id not in changed
    }
    for list_id in changed:
        price_list = lists.get(list_id)
        if price_list is None or price_list.kind is not PriceListKind.BASE:
            continue
        if price_list.currency in found:
            return None
        found[price_list.currency] = list_id
    return found


def _dependents(tables: Tables, changed: set[PriceListId]) -> set[PriceListId]:
    """Every list deriving from a ``changed`` one, directly or not."""
    found: set[PriceListId] = set()
    frontier = set(changed)
    while frontier:
        frontier = {
            list_id
            for list_id, derives_from in tables.sources.items()
            if list_id not in found
            and list_id not in changed
            and not frontier.isdisjoint(derives_from)
        }
        found.update(frontier)
    return found


def _closure(
    tables: Tables,
    lists: Mapping[PriceListId, PriceList],
    changed: Sequence[PriceListId],
) -> dict[PriceListId, PriceList]:
    """The ``changed`` lists and every list they derive from, directly or not:
    where a derivation cycle through a changed list must lie. Lists deriving
    from none are left out: no cycle passes through them."""
    found: dict[PriceListId, PriceList] = {}
    frontier = [list_id for list_id in changed if list_id in lists]
    renewed = set(frontier)
    while frontier:
        list_id = frontier.pop()
        price_list = lists.get(list_id)
        if price_list is None or list_id in found:
            continue
        derives_from = (
            sources(price_list)
            if list_id in renewed
            else tables.sources.get(list_id, frozenset())
        )
        if derives_from:
            found[list_id] = price_list
            frontier.extend(derives_from)
    return found
