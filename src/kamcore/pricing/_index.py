"""The pricing index: every list, group and discount rule indexed once in memory.

Built once from the catalogue (validated as a whole on the way), then any number
of lines resolve against it with no repository call. Resolution itself lives in
:mod:`kamcore.pricing._resolution`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import attrs

from kamcore.accounts import ClientGroup, Product
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    DiscountGroupId,
    PriceListId,
    ProductId,
)
from kamcore.kernel._checks import Checks, is_int
from kamcore.kernel._money import EXACT, ROUNDING_MODES
from kamcore.pricing._conflicts import PricingConfigurationError, PricingConflict
from kamcore.pricing._discounts import (
    SPECIFICITY,
    DiscountGroup,
    DiscountRule,
    DiscountScope,
)
from kamcore.pricing._lists import PriceItem, PriceList, PriceListKind

__all__ = ["IndexedList", "PricingOptions", "RuleTable", "Tables", "build_tables"]

_EARLIEST = dt.date.min
_LATEST = dt.date.max


@attrs.frozen(kw_only=True)
class PricingOptions:
    """Where and how pricing rounds.

    Attributes:
        unit_places: Decimal places a resolved unit price is rounded to (default
            4). Line totals always round to the currency's minor unit.
        rounding: The ``decimal`` rounding mode for both (default ``ROUND_HALF_UP``).
    """

    unit_places: int = 4
    rounding: str = ROUND_HALF_UP

    def __attrs_post_init__(self) -> None:
        checks = Checks("PricingOptions")
        checks.require(
            is_int(self.unit_places) and 0 <= self.unit_places <= 10,
            "unit_places",
            "must be an integer from 0 to 10",
            self.unit_places,
        )
        checks.require(
            self.rounding in ROUNDING_MODES,
            "rounding",
            "unknown rounding mode",
            self.rounding,
        )
        checks.raise_if_any()

    @property
    def unit_quantum(self) -> Decimal:
        """``Decimal('0.0001')`` for 4 places."""
        return Decimal(1).scaleb(-self.unit_places)


Entry = tuple[Decimal, dt.date, dt.date, int, PriceItem, str, Decimal | None]
"""One item, flattened for speed: (min_quantity, valid_from, valid_to, position,
item, source label ``"list.items[i]"``, constant price or ``None``).

The constant price is the fixed price, or a derived price whose whole chain does
not depend on quantity or date (each source has one open item from quantity
0), computed once when the index is built."""

RuleEntry = tuple[Decimal, dt.date, dt.date, int, DiscountRule, Decimal]
"""One discount rule, flattened: (min_quantity, valid_from, valid_to, position,
rule, factor ``1 - percentage``)."""


@attrs.frozen
class IndexedList:
    """A price list with its items grouped by product, highest break first."""

    list: PriceList
    by_product: dict[ProductId, tuple[Entry, ...]]

    @classmethod
    def of(cls, price_list: PriceList) -> IndexedList:
        """Index ``price_list``'s items."""
        grouped: dict[ProductId, list[Entry]] = {}
        for position, item in enumerate(price_list.items):
            grouped.setdefault(item.product, []).append(
                (
                    item.min_quantity,
                    item.valid_from or _EARLIEST,
                    item.valid_to or _LATEST,
                    position,
                    item,
                    f"{price_list.id}.items[{position}]",
                    None if item.unit_price is None else item.unit_price.amount,
                )
            )
        return cls(
            price_list,
            {
                product: tuple(sorted(entries, key=lambda e: (-e[0], e[3])))
                for product, entries in grouped.items()
            },
        )


@attrs.frozen
class RuleTable:
    """A discount group's rules by scope, each highest minimum quantity first."""

    by_product: dict[str, tuple[RuleEntry, ...]]
    by_category: dict[str, tuple[RuleEntry, ...]]
    for_all: tuple[RuleEntry, ...]

    @classmethod
    def of(cls, group: DiscountGroup) -> RuleTable:
        """Index ``group``'s rules."""
        grouped: dict[DiscountScope, dict[str, list[RuleEntry]]] = {
            scope: {} for scope in SPECIFICITY
        }
        for position, rule in enumerate(group.rules):
            grouped[rule.scope].setdefault(rule.target or "", []).append(
                (
                    rule.min_quantity,
                    rule.valid_from or _EARLIEST,
                    rule.valid_to or _LATEST,
                    position,
                    rule,
                    EXACT.subtract(Decimal(1), rule.percentage.fraction),
                )
            )

        def ordered(
            table: dict[str, list[RuleEntry]],
        ) -> dict[str, tuple[RuleEntry, ...]]:
            return {
                key: tuple(sorted(entries, key=lambda e: (-e[0], e[3])))
                for key, entries in table.items()
            }

        return cls(
            by_product=ordered(grouped[DiscountScope.PRODUCT]),
            by_category=ordered(grouped[DiscountScope.CATEGORY]),
            for_all=ordered(grouped[DiscountScope.ALL]).get("", ()),
        )


@attrs.frozen
class Tables:
    """Everything resolution reads, as plain dicts."""

    lists: dict[PriceListId, IndexedList]
    base_by_currency: dict[str, PriceListId]
    groups: dict[ClientGroupId, ClientGroup]
    discounts: dict[DiscountGroupId, RuleTable]
    products: dict[ProductId, Product]
    categories: dict[ProductId, CategoryId]


def build_tables(
    price_lists: Iterable[PriceList],
    client_groups: Iterable[ClientGroup],
    discount_groups: Iterable[DiscountGroup],
    products: Iterable[Product],
) -> Tables:
    """Index the catalogue, validating it as a whole.

    Raises:
        PricingConfigurationError: listing every conflict found: overlapping items,
            conflicting discount rules, unknown or foreign-currency derivation
            sources, derivation cycles, two base lists in one currency, groups
            pointing at missing or non-group lists.
    """
    lists = {price_list.id: IndexedList.of(price_list) for price_list in price_lists}
    catalogue = {product.id: product for product in products}
    conflicts: list[PricingConflict] = []
    base_by_currency: dict[str, PriceListId] = {}
    for list_id in sorted(lists):
        price_list = lists[list_id].list
        conflicts.extend(price_list.conflicts())
        if price_list.kind is PriceListKind.BASE:
            other = base_by_currency.setdefault(price_list.currency, list_id)
            if other != list_id:
                conflicts.append(
                    PricingConflict(
                        detail=f"two base lists in {price_list.currency}",
                        sources=(other, list_id),
                    )
                )
        conflicts.extend(_derivation_conflicts(price_list, lists))
    conflicts.extend(_cycles(lists))
    groups = {group.id: group for group in client_groups}
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
        elif (kind := lists[target].list.kind) is not PriceListKind.GROUP:
            conflicts.append(
                PricingConflict(
                    detail=f"group {group_id} points at a {kind.value} list",
                    sources=(group_id, target),
                )
            )
    discounts: dict[DiscountGroupId, RuleTable] = {}
    for discount_group in discount_groups:
        conflicts.extend(discount_group.conflicts())
        discounts[discount_group.id] = RuleTable.of(discount_group)
    if conflicts:
        raise PricingConfigurationError(conflicts)
    _fold_constant_derivations(lists)
    return Tables(
        lists=lists,
        base_by_currency=base_by_currency,
        groups=groups,
        discounts=discounts,
        products=catalogue,
        categories={pid: product.category for pid, product in catalogue.items()},
    )


def _derivation_conflicts(
    price_list: PriceList, lists: dict[PriceListId, IndexedList]
) -> list[PricingConflict]:
    found: list[PricingConflict] = []
    for position, item in enumerate(price_list.items):
        if item.derived is None:
            continue
        here = f"{price_list.id}.items[{position}]"
        source = lists.get(item.derived.source)
        if source is None:
            found.append(
                PricingConflict(
                    detail=f"{here} derives from a list that does not exist",
                    sources=(here, item.derived.source),
                )
            )
        elif source.list.currency != price_list.currency:
            found.append(
                PricingConflict(
                    detail=(
                        f"{here} in {price_list.currency} derives from a list in "
                        f"{source.list.currency}: kamcore does no currency conversion"
                    ),
                    sources=(here, source.list.id),
                )
            )
    return found


def _cycles(lists: dict[PriceListId, IndexedList]) -> list[PricingConflict]:
    """Derivation cycles, per product: A's price of X from B's, B's from A's.

    Derivations always keep the product, so a cycle is a loop among lists for one
    product. Each cycle is reported once.
    """
    edges: dict[tuple[PriceListId, ProductId], set[PriceListId]] = {}
    for list_id, indexed in lists.items():
        for item in indexed.list.items:
            if item.derived is not None and item.derived.source in lists:
                edges.setdefault((list_id, item.product), set()).add(
                    item.derived.source
                )
    found: list[PricingConflict] = []
    reported: set[tuple[ProductId, frozenset[PriceListId]]] = set()

    def walk(path: list[PriceListId], product: ProductId) -> None:
        for nxt in sorted(edges.get((path[-1], product), ())):
            if nxt not in path:
                walk([*path, nxt], product)
                continue
            loop = path[path.index(nxt) :]
            if (product, frozenset(loop)) in reported:
                continue
            reported.add((product, frozenset(loop)))
            found.append(
                PricingConflict(
                    detail=f"derived prices of {product} form a cycle: "
                    + " -> ".join([*loop, nxt]),
                    sources=tuple(loop),
                )
            )

    for start, product in sorted(edges):
        walk([start], product)
    return found


def _fold_constant_derivations(lists: dict[PriceListId, IndexedList]) -> None:
    """Store each derived price that is the same for every quantity and date.

    A derived item's price is constant when its source list has exactly one item
    for the product, open-ended and from quantity 0, whose own price is constant.
    Resolution then reads it like a fixed price; explanations still walk the
    derivation. Runs after validation, so there is no cycle to follow.
    """
    memo: dict[tuple[PriceListId, int], Decimal | None] = {}

    def constant(list_id: PriceListId, entry: Entry) -> Decimal | None:
        key = (list_id, entry[3])
        if key in memo:
            return memo[key]
        item = entry[4]
        value: Decimal | None = None
        if item.unit_price is not None:
            value = item.unit_price.amount
        elif item.derived is not None:
            source = lists[item.derived.source]
            candidates = source.by_product.get(item.product, ())
            if len(candidates) == 1 and _always_applies(candidates[0]):
                base = constant(source.list.id, candidates[0])
                if base is not None:
                    derived = item.derived.apply(base)
                    # A negative result stays unfolded: resolution reports it.
                    value = derived if derived >= 0 else None
        memo[key] = value
        return value

    for list_id, indexed in lists.items():
        # Fixed items already carry their price; only derived ones need folding.
        for product, entries in indexed.by_product.items():
            if any(entry[6] is None for entry in entries):
                indexed.by_product[product] = tuple(
                    entry
                    if entry[6] is not None
                    else (*entry[:6], constant(list_id, entry))
                    for entry in entries
                )


def _always_applies(entry: Entry) -> bool:
    return entry[0] == 0 and entry[1] == _EARLIEST and entry[2] == _LATEST
