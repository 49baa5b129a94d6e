"""The fast path's tables: one record per product.

Why this shape: pricing a line of a large catalogue costs little computation
and many cache misses, about one per object it touches. The general routine
(:mod:`kamcore.pricing._resolution`) reads a dict per precedence level, its
entries and their items. A :data:`Record` holds every item of a product in
every list, and its discount rule chains: a line reads the record, the blocks
it checks, and the objects the answer is made of.

Layout of a record with ``n`` list blocks::

    (codes, rules, block_1, ..., block_n)
    codes[i]   = the code of block i+1's list
    rules      = {discount group code: rule chain} for the discount groups
                 with rules for the product or its category
    list block = an index Entry: (min_quantity, valid_from, valid_to,
                 list price, source label, list kind, discountable,
                 unit price, item)

``codes`` is a str, one character per block, so that a string search
(``code in codes``, then ``codes.index(code)``) finds a list's blocks without a
Python loop. A list's blocks are contiguous
and in the general routine's order (highest break first). A code stands for a
list or a merged level: equal-priority lists that always agree, merged when a
client first needs them. Products of one category without rules of their own
share one ``rules`` dict; a discount group's chain for every other product is
in the client's plan.

A block whose unit price is ``None`` (a derived price that depends on the
line, equal-priority lists that may disagree) defers the line to the general
routine, which prices it or names the conflict, and can explain it.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from kamcore.kernel import DiscountGroupId, Percentage, PriceListId, ProductId
from kamcore.pricing._index import (
    DISCOUNTABLE,
    END,
    ITEM,
    LISTED,
    MIN,
    START,
    IndexedList,
    RuleEntry,
    Tables,
)

__all__ = ["SLOW", "WIDTH", "FastTables", "Plan", "Record", "RuleStep"]

WIDTH = ITEM + 1
"""Fields of a list block: an index entry."""

Record = tuple[Any, ...]
"""A product's codes, rule chains and list blocks (see the module docstring).
Typed loosely: a str, a dict of rule chains by discount group, then blocks."""

RuleStep = tuple[Decimal, dt.date, dt.date, Percentage, Decimal, "RuleStep | None"]
"""A discount rule: (min_quantity, valid_from, valid_to, percentage, factor
``1 - percentage``, next rule to try). A product's chain runs through its own
rules, then its category's, then those for all products, each highest minimum
first: the first that applies is the one the general routine applies."""

Plan = tuple[tuple[str, ...], DiscountGroupId | None, RuleStep | None]
"""What the fast path reads for one kind of client: the codes of its precedence
levels in order, its discount group (``None``: none) and that group's rule
chain for products without rules of their own or of their category."""

SLOW: Plan = ((), None, None)
"""The plan of clients the fast path leaves to the general routine."""

_LAST_CODE = sys.maxunicode
"""The last character a code can be."""

_DEFER = (Decimal("-Infinity"), dt.date.min, dt.date.max, *(None,) * (WIDTH - 3))
"""A block that applies to every line and has no price: it defers the line."""


class FastTables:
    """The records, the discount groups' default chains, and merged levels.

    Built once with the index; a merged level is added the first time a client
    needs it, under a lock, and is in the records before any plan uses it.
    """

    def __init__(self, tables: Tables) -> None:
        self._lock = threading.Lock()
        self._codes: dict[object, str] = {}
        rules, shared_rules, self._defaults = _rules(tables)
        self._own_rules, self._shared_rules = rules, shared_rules
        self._categories = tables.categories
        # Discount groups whose category rules cannot be read without a
        # catalogue.
        self._blind = frozenset(
            group
            for group, table in tables.discounts.items()
            if tables.products is None and table.by_category
        )
        # Gathered as one flat list per product, its codes first (then its
        # rules): one small object per item would make the build pay for the
        # collector's passes over them.
        gathered: dict[str, list[Any]] = {}
        catalogue = tables.products
        for list_id, indexed in tables.lists.items():
            code = self._code(list_id)
            if not code:
                continue
            by_product = indexed.by_product
            found: Iterable[tuple[ProductId, Sequence[Sequence[Any]]]]
            found = by_product.items()
            if catalogue is not None and not by_product.keys() <= catalogue.keys():
                # No record for a product not in the catalogue: the general
                # routine refuses it.
                found = [(key, entries) for key, entries in found if key in catalogue]
            for product, entries in found:
                record = gathered.get(product)
                if record is None:
                    gathered[product] = [code * len(entries), None, *entries]
                else:
                    record[0] += code * len(entries)
                    record.extend(entries)
        rules_of = self._rules_of
        for key, record in gathered.items():
            record[1] = rules_of(key)
        self.records: dict[str, Record] = {
            key: tuple(record) for key, record in gathered.items()
        }

    def plan(
        self,
        levels: Iterable[Sequence[IndexedList]],
        discount_group: DiscountGroupId | None,
    ) -> Plan:
        """The plan of a client with these precedence levels and discount group."""
        with self._lock:
            codes = tuple(
                self._codes[level[0].list.id] if len(level) == 1 else self._merge(level)
                for level in levels
            )
        if "" in codes:
            return SLOW
        if discount_group is None:
            return codes, None, None
        if discount_group not in self._defaults or discount_group in self._blind:
            # An unknown group, or category rules and no catalogue to read
            # categories from: the general routine says what they mean.
            return SLOW
        return codes, discount_group, self._defaults[discount_group]

    def _code(self, owner: object) -> str:
        code = self._codes.get(owner)
        if code is None:
            number = len(self._codes)
            # Past the last character there are no codes left: "" marks an
            # owner whose blocks stay out of the records (and its clients slow).
            code = chr(number) if number <= _LAST_CODE else ""
            self._codes[owner] = code
        return code

    def _merge(self, level: Sequence[IndexedList]) -> str:
        """The code of a level of equal-priority lists, merging it into the
        records (see :func:`_merged`)."""
        ids = tuple(indexed.list.id for indexed in level)
        code = self._codes.get(ids)
        if code is not None:
            return code
        code = self._code(ids)
        if code:
            for key, blocks in _merged(level, None).items():
                record = self.records.get(key)
                if record is None:
                    continue  # a product left to the general routine
                self.records[key] = (
                    record[0] + code * len(blocks),
                    *record[1:],
                    *blocks,
                )
        return code

    def refreshed(
        self, tables: Tables, touched: Iterable[tuple[IndexedList | None, ...]]
    ) -> FastTables:
        """New tables for ``tables``, which differ from this one's only in lists.

        ``touched`` holds each changed list as ``(before, after)``: ``None``
        before for a list added, ``None`` after for one removed. The records
        of the products either version prices are made again, those of every
        other product shared; these tables are left as they are, so that an
        index reading them answers on as before.
        """
        new = FastTables.__new__(FastTables)
        new._lock = threading.Lock()
        new._blind, new._defaults = self._blind, self._defaults
        new._own_rules, new._shared_rules = self._own_rules, self._shared_rules
        new._categories = tables.categories
        with self._lock:  # a merge may be growing them in another thread
            new._codes = dict(self._codes)
            new.records = dict(self.records)
        changed: set[str] = set()
        products: set[str] = set()
        for before, after in touched:
            for version in (before, after):
                if version is not None:
                    changed.add(version.list.id)
                    products.update(version.by_product)
            if after is not None:
                new._code(after.list.id)
        # Merged levels with a changed list: their blocks are merged again for
        # the products touched, over the level's lists the index still has.
        levels = {
            owner: code
            for owner, code in new._codes.items()
            if isinstance(owner, tuple) and changed.intersection(owner) and code
        }
        stale = {new._codes[c] for c in changed if new._codes.get(c)}
        stale.update(levels.values())
        catalogue = tables.products
        for product in products:
            if catalogue is not None and product not in catalogue:
                continue  # no record: the general routine refuses it
            old = new.records.get(product, _NO_BLOCKS)
            codes = "".join(code for code in old[0] if code not in stale)
            blocks = [
                block
                for code, block in zip(old[0], old[2:], strict=True)
                if code not in stale
            ]
            for list_id in changed:
                code = new._codes[list_id]
                indexed = tables.lists.get(PriceListId(list_id))
                entries = (
                    None
                    if indexed is None
                    else indexed.by_product.get(ProductId(product))
                )
                if code and entries:
                    codes += code * len(entries)
                    blocks.extend(entries)
            for owner, code in levels.items():
                present = [tables.lists[i] for i in owner if i in tables.lists]
                merged = _merged(present, product).get(product, ())
                codes += code * len(merged)
                blocks.extend(merged)
            if blocks:
                new.records[product] = (codes, new._rules_of(product), *blocks)
            else:
                new.records.pop(product, None)
        return new

    def _rules_of(self, product: str) -> Rules:
        return self._own_rules.get(product) or self._shared_rules.get(
            self._categories.get(ProductId(product), ""), _NO_RULES
        )


def _merged(
    level: Sequence[IndexedList], product: str | None
) -> dict[str, Sequence[Sequence[Any]]]:
    """The blocks of a level of equal-priority lists, by product (``product``'s
    only, if given).

    A product in one list keeps that list's blocks. A product in several
    keeps the first list's block when each list has a single one, applicable
    from the same quantity on the same days at the same constant price and
    equally discountable: on any line all apply or none does, at one net
    price, and the general routine keeps the first (by list id) without
    conflict. Otherwise the product's line defers.
    """
    merged: dict[str, Sequence[Sequence[Any]]] = {}
    for indexed in level:
        found: Iterable[tuple[ProductId, Sequence[Sequence[Any]]]]
        if product is None:
            found = indexed.by_product.items()
        else:
            entries = indexed.by_product.get(ProductId(product))
            found = () if entries is None else ((ProductId(product), entries),)
        for key, entries in found:
            first = merged.get(key)
            if first is None:
                merged[key] = entries
            elif not _agree(first, entries):
                merged[key] = (_DEFER,)
    return merged


def _agree(first: Sequence[Sequence[Any]], other: Sequence[Sequence[Any]]) -> bool:
    if len(first) != 1 or len(other) != 1:
        return False
    mine, theirs = first[0], other[0]
    listed, other_listed = mine[LISTED], theirs[LISTED]
    # The same list price and the same discountable flag: the same net price,
    # whatever discount applies.
    return (
        listed is not None
        and other_listed is not None
        and listed.amount == other_listed.amount
        and mine[DISCOUNTABLE] == theirs[DISCOUNTABLE]
        and mine[MIN] == theirs[MIN]
        and mine[START] == theirs[START]
        and mine[END] == theirs[END]
    )


Rules = dict[DiscountGroupId, RuleStep | None]
"""A product's rule chain per discount group (groups with rules for it or its
category only)."""

_NO_RULES: Rules = {}

_NO_BLOCKS: Record = ("", _NO_RULES)


def _rules(
    tables: Tables,
) -> tuple[dict[str, Rules], dict[str, Rules], dict[DiscountGroupId, RuleStep | None]]:
    """The rule chains of products with rules of their own, those shared by the
    products of each category, and each discount group's chain for the rest."""
    categories = tables.categories
    defaults: dict[DiscountGroupId, RuleStep | None] = {}
    by_category: dict[str, Rules] = {}
    own: dict[str, Rules] = {}
    for group_id, table in tables.discounts.items():
        for_all = defaults[group_id] = _chain(table.for_all, None)
        tails: dict[str, RuleStep | None] = {}
        for name, entries in table.by_category.items():
            tails[name] = by_category.setdefault(name, {})[group_id] = _chain(
                entries, for_all
            )
        for target, entries in table.by_product.items():
            category = categories.get(ProductId(target))
            tail = for_all if category is None else tails.get(category, for_all)
            own.setdefault(target, {})[group_id] = _chain(entries, tail)
    # A product with rules of its own in one group keeps its category's chains
    # in the others.
    return (
        {
            target: {
                **by_category.get(categories.get(ProductId(target), ""), {}),
                **chains,
            }
            for target, chains in own.items()
        },
        by_category,
        defaults,
    )


def _chain(entries: Iterable[RuleEntry], tail: RuleStep | None) -> RuleStep | None:
    linked = tail
    for minimum, start, end, _, rule, factor in reversed(tuple(entries)):
        linked = (minimum, start, end, rule.percentage, factor, linked)
    return linked
