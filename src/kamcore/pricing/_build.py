"""Building the index's tables from the catalogue, validated as a whole."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

from kamcore.accounts import ClientGroup, Product
from kamcore.kernel import (
    Checks,
    ClientGroupId,
    DiscountGroupId,
    PriceListId,
    ProductId,
    trusted_money,
)
from kamcore.pricing._conflicts import PricingConfigurationError, PricingConflict
from kamcore.pricing._discounts import DiscountGroup
from kamcore.pricing._index import (
    DISCOUNTABLE,
    END,
    ITEM,
    KIND,
    LABEL,
    LISTED,
    MIN,
    START,
    Canonical,
    Entry,
    IndexedList,
    PricingOptions,
    RuleTable,
    Tables,
    UnitPrices,
    always_applies,
)
from kamcore.pricing._lists import PriceList, PriceListKind
from kamcore.pricing._validation import members, price_list_conflicts, unique

__all__ = [
    "bases",
    "build_tables",
    "collector_paused",
    "fold_constant_derivations",
    "group_conflicts",
    "index_lists",
    "sources",
]

_EARLIEST = dt.date.min
_LATEST = dt.date.max


def build_tables(
    price_lists: Iterable[PriceList],
    client_groups: Iterable[ClientGroup],
    discount_groups: Iterable[DiscountGroup],
    products: Iterable[Product] | None,
    options: PricingOptions,
) -> Tables:
    """Index the catalogue, validating it as a whole; ``options`` round unit prices.

    Raises:
        ValidationError: an argument holds something else than its kind
            (``price_lists[2]``, ``products[0]``...).
        PricingConfigurationError: listing every conflict found: the price
            lists' (see :func:`~kamcore.pricing.validate_price_lists`),
            conflicting discount rules, groups pointing at missing or
            non-group lists, two different groups, discount groups or
            products with one id.
    """
    checks = Checks("PricingIndex")
    given_lists = members(checks, "price_lists", price_lists, PriceList)
    given_groups = members(checks, "client_groups", client_groups, ClientGroup)
    given_discounts = members(checks, "discount_groups", discount_groups, DiscountGroup)
    given_products = (
        None if products is None else members(checks, "products", products, Product)
    )
    checks.raise_if_any()
    by_id, conflicts = price_list_conflicts(given_lists)
    unique_groups, more = unique("client groups", given_groups)
    conflicts.extend(more)
    groups = {ClientGroupId(g): group for g, group in unique_groups.items()}
    conflicts.extend(group_conflicts(groups, by_id))
    discount_tables, more = unique("discount groups", given_discounts)
    conflicts.extend(more)
    for discount_group in discount_tables.values():
        conflicts.extend(discount_group.conflicts())
    catalogue: dict[str, Product] | None = None
    if given_products is not None:
        catalogue, more = unique("products", given_products)
        conflicts.extend(more)
    if conflicts:
        raise PricingConfigurationError(conflicts)
    derives_from = {
        list_id: sources(price_list) for list_id, price_list in by_id.items()
    }
    indexed = index_lists(by_id, {}, derives_from, UnitPrices(options), Canonical())
    lists = {list_id: indexed[list_id] for list_id in by_id}
    return Tables(
        lists=lists,
        base_by_currency=bases(by_id.values()),
        groups=groups,
        discounts={
            DiscountGroupId(d): RuleTable.of(group)
            for d, group in discount_tables.items()
        },
        products=(
            None
            if catalogue is None
            else {ProductId(p): product for p, product in catalogue.items()}
        ),
        categories={
            ProductId(p): product.category for p, product in (catalogue or {}).items()
        },
        sources=derives_from,
        discount_groups={
            DiscountGroupId(d): group for d, group in discount_tables.items()
        },
    )


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused, while an index is built.

    A build makes a few objects per item and frees almost none: each time
    the collector runs it walks every object made so far, to find nothing.
    Paused, a large catalogue builds in half the time. Reference counting
    frees memory as usual meanwhile; the collector runs again after, unless
    the caller had paused it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def group_conflicts(
    groups: Mapping[ClientGroupId, ClientGroup],
    lists: Mapping[PriceListId, PriceList],
) -> list[PricingConflict]:
    """Groups pointing at a list that is missing or not a group list, by group id."""
    conflicts: list[PricingConflict] = []
    for group_id in sorted(groups):
        target = groups[group_id].price_list
        if target is None:
            continue
        if target not in lists:
            conflicts.append(
                PricingConflict(
                    detail=f"group {group_id} points at a list that does not exist",
                    sources=(group_id, target),
                )
            )
        elif (kind := lists[target].kind) is not PriceListKind.GROUP:
            conflicts.append(
                PricingConflict(
                    detail=f"group {group_id} points at a {kind.value} list",
                    sources=(group_id, target),
                )
            )
    return conflicts


def bases(lists: Iterable[PriceList]) -> dict[str, PriceListId]:
    """The base list of each currency (validated lists have one at most)."""
    return {
        price_list.currency: price_list.id
        for price_list in lists
        if price_list.kind is PriceListKind.BASE
    }


def sources(price_list: PriceList) -> frozenset[PriceListId]:
    """The lists ``price_list``'s derived items derive from."""
    return frozenset(
        item.derived.source for item in price_list.items if item.derived is not None
    )


def index_lists(
    price_lists: Mapping[PriceListId, PriceList],
    indexed: Mapping[PriceListId, IndexedList],
    derives_from: Mapping[PriceListId, frozenset[PriceListId]],
    unit_prices: UnitPrices,
    canonical: Canonical,
) -> dict[PriceListId, IndexedList]:
    """``price_lists`` indexed, their constant derived prices folded in.

    ``indexed`` holds the other lists, already indexed (they derive from
    none of ``price_lists``); ``derives_from`` the lists each of
    ``price_lists`` derives from. Each list is indexed after those it derives
    from, so that its derived items read their sources' folded prices as it
    goes (see :meth:`IndexedList.of`). Lists on a loop of derivations (for
    different products: validated lists have no cycle), or deriving from
    one, are indexed last and folded after (:func:`fold_constant_derivations`).
    Returned in the order indexed.
    """
    ready = {
        list_id: other
        for list_id, other in indexed.items()
        if list_id not in price_lists
    }
    waiting = {
        list_id: {
            source
            for source in derives_from[list_id]
            if source in price_lists and source != list_id
        }
        for list_id in price_lists
    }
    dependents: dict[PriceListId, list[PriceListId]] = {}
    for list_id, awaited in waiting.items():
        for source in awaited:
            dependents.setdefault(source, []).append(list_id)
    queue = [list_id for list_id, awaited in waiting.items() if not awaited]
    done: dict[PriceListId, IndexedList] = {}
    for list_id in queue:  # grows as lists become ready
        done[list_id] = ready[list_id] = IndexedList.of(
            price_lists[list_id], unit_prices, canonical, ready
        )
        for dependent in dependents.get(list_id, ()):
            awaited = waiting[dependent]
            awaited.discard(list_id)
            if not awaited:
                queue.append(dependent)
    looped = [list_id for list_id in price_lists if list_id not in done]
    for list_id in looped:
        done[list_id] = ready[list_id] = IndexedList.of(
            price_lists[list_id], unit_prices, canonical
        )
    fold_constant_derivations(ready, unit_prices, looped)
    return done


def fold_constant_derivations(
    lists: Mapping[PriceListId, IndexedList],
    unit_prices: UnitPrices,
    only: Iterable[PriceListId],
) -> None:
    """Store each derived price of the lists ``only`` names that is the same for
    every quantity and date (their entries are replaced in place: call it on
    lists indexed for this purpose, never on lists an index already reads).

    A derived item's price is constant when its source list has exactly one item
    for the product, open-ended and from quantity 0, whose own price is constant.
    Resolution then reads it like a fixed price; explanations still walk the
    derivation. Runs after validation, so there is no cycle to follow.
    """
    memo: dict[str, Decimal | None] = {}

    def constant(entry: Entry) -> Decimal | None:
        key = entry[LABEL]  # one per item
        if key in memo:
            return memo[key]
        item = entry[ITEM]
        value: Decimal | None = None
        if item.unit_price is not None:
            value = item.unit_price.amount
        elif item.derived is not None:
            source = lists[item.derived.source]
            candidates = source.by_product.get(item.product, ())
            if len(candidates) == 1 and always_applies(candidates[0]):
                base = constant(candidates[0])
                if base is not None:
                    derived = item.derived.apply(base)
                    # A negative result stays unfolded: resolution reports it.
                    value = derived if derived >= 0 else None
        memo[key] = value
        return value

    def with_price(entry: Entry, price: Decimal | None, currency: str) -> Entry:
        if price is None:
            return entry
        return (
            entry[MIN],
            entry[START],
            entry[END],
            trusted_money(price, currency),
            entry[LABEL],
            entry[KIND],
            entry[DISCOUNTABLE],
            unit_prices.of(price, currency),
            entry[ITEM],
        )

    for list_id in only:
        indexed = lists[list_id]
        currency = indexed.list.currency
        # Fixed items already carry their price; only derived ones need folding.
        derived = {item.product for item in indexed.list.items if item.derived}
        for product in derived:
            indexed.by_product[product] = tuple(
                entry
                if entry[LISTED] is not None
                else with_price(entry, constant(entry), currency)
                for entry in indexed.by_product[product]
            )
