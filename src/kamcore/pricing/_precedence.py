"""Where a client's prices come from: its lists in precedence order and the
discount rule that applies, every reference it makes checked first (SPEC §3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from kamcore.accounts import Client
from kamcore.errors import CurrencyMismatchError
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    DiscountGroupId,
    PriceListId,
    ProductId,
)
from kamcore.pricing._conflicts import PricingConfigurationError, PricingConflict
from kamcore.pricing._index import IndexedList, RuleEntry, RuleTable, Tables

__all__ = ["Level", "Precedence"]

Level = tuple[tuple[IndexedList, str], ...]
"""One precedence level: (list, group id or "") pairs, consulted together."""


class Precedence:
    """A client's lists by precedence and its discount rules, over the tables.

    Levels are cached per client configuration; they never change an answer.
    """

    def __init__(self, tables: Tables) -> None:
        self._tables = tables
        self._cache: dict[
            tuple[PriceListId | None, frozenset[ClientGroupId], str], tuple[Level, ...]
        ] = {}

    def check_references(self, client: Client, product: ProductId | None) -> None:
        """Every list, group and discount group ``client`` names, and
        ``product``, must be in the index: one error lists every one missing.

        Raises:
            PricingConfigurationError: each conflict naming the client and the
                missing id.
        """
        tables = self._tables
        missing: list[tuple[str, str]] = []
        if client.price_list is not None and client.price_list not in tables.lists:
            missing.append(
                (f"has dedicated list {client.price_list}", client.price_list)
            )
        missing.extend(
            (f"is in group {group_id}", group_id)
            for group_id in sorted(client.groups)
            if group_id not in tables.groups
        )
        group = client.discount_group
        if group is not None and group not in tables.discounts:
            missing.append((f"is in discount group {group}", group))
        conflicts = [
            PricingConflict(
                detail=f"client {client.id} {what}, which the index does not have",
                sources=(client.id, ref),
            )
            for what, ref in missing
        ]
        if (
            product is not None
            and tables.products is not None
            and product not in tables.products
        ):
            conflicts.append(
                PricingConflict(
                    detail=(
                        f"product {product} is not in the catalogue the index was "
                        "built with"
                    ),
                    sources=(client.id, product),
                )
            )
        if conflicts:
            raise PricingConfigurationError(conflicts)

    def levels(self, client: Client) -> tuple[Level, ...]:
        """The lists to consult, by precedence: client, group priorities, base.

        Groups of equal priority form one level; within it, each list comes
        once (with the first of its groups by id), in list-id order: the order
        a tie at one net price is settled in, whatever the groups are called.
        Every list is checked once here: it must exist and be in the client's
        currency. Cached per (dedicated list, groups, currency).
        """
        key = (client.price_list, client.groups, client.currency)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        ids: list[tuple[tuple[PriceListId, str], ...]] = []
        if client.price_list is not None:
            ids.append(((client.price_list, ""),))
        by_priority: dict[int, dict[PriceListId, str]] = {}
        for group_id in sorted(client.groups):
            group = self._tables.groups.get(group_id)
            if group is not None and group.price_list is not None:
                by_priority.setdefault(group.priority, {}).setdefault(
                    group.price_list, group_id
                )
        ids.extend(
            tuple(sorted(by_priority[p].items()))
            for p in sorted(by_priority, reverse=True)
        )
        base = self._tables.base_by_currency.get(client.currency)
        if base is not None:
            ids.append(((base, ""),))
        result = tuple(
            tuple(
                (self._list(list_id, client.currency), group)
                for list_id, group in level
            )
            for level in ids
        )
        self._cache[key] = result
        return result

    def discount(
        self, client: Client, product: ProductId, quantity: Decimal, on: dt.date
    ) -> RuleEntry | None:
        """The most specific applicable rule of the client's discount group."""
        group = client.discount_group
        if group is None:
            return None
        table = self._tables.discounts[group]  # see check_references
        # Most specific first; the category is only needed when no product
        # rule applies.
        return (
            _applicable(table.by_product.get(product, ()), quantity, on)
            or _applicable(
                _by_category(table, self._tables.categories, product, group),
                quantity,
                on,
            )
            or _applicable(table.for_all, quantity, on)
        )

    def _list(self, list_id: PriceListId, currency: str) -> IndexedList:
        indexed = self._tables.lists.get(list_id)
        if indexed is None:
            raise PricingConfigurationError(
                [
                    PricingConflict(
                        detail=f"price list {list_id} does not exist",
                        sources=(list_id,),
                    )
                ]
            )
        if indexed.list.currency != currency:
            raise CurrencyMismatchError(
                currency, indexed.list.currency, f"price from list {list_id}"
            )
        return indexed


def _applicable(
    entries: Iterable[RuleEntry], quantity: Decimal, on: dt.date
) -> RuleEntry | None:
    """The first rule that applies to ``quantity`` on ``on``, if any."""
    for entry in entries:
        if entry[1] <= on <= entry[2] and entry[0] <= quantity:
            return entry
    return None


def _by_category(
    table: RuleTable,
    categories: dict[ProductId, CategoryId],
    product: ProductId,
    group: DiscountGroupId,
) -> Iterable[RuleEntry]:
    """The rules for ``product``'s category, asked once no product rule applied.

    Raises:
        PricingConfigurationError: the category is unknown (the index was
            built without products) while the group has category rules: one
            of them might apply, and skipping it would be a different price.
    """
    category = categories.get(product)
    if category is not None:
        return table.by_category.get(category, ())
    if table.by_category:
        raise PricingConfigurationError(
            [
                PricingConflict(
                    detail=(
                        f"the category of {product} is unknown (the index was "
                        f"built without products) and discount group {group} has "
                        "category rules"
                    ),
                    sources=(product, group),
                )
            ]
        )
    return ()
