"""The pricing index: every list, group and discount rule indexed once in memory.

Built once from the catalogue (validated as a whole on the way, by
:mod:`kamcore.pricing._build`), then any number of lines resolve against it with
no repository call. Resolution itself lives in :mod:`kamcore.pricing._resolution`
and :mod:`kamcore.pricing._general`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import attrs

from kamcore.accounts import ClientGroup, Product
from kamcore.kernel import (
    EXACT,
    ROUNDING,
    ROUNDING_MODES,
    CategoryId,
    Checks,
    ClientGroupId,
    DiscountGroupId,
    Money,
    PriceListId,
    ProductId,
    is_int,
    trusted_money,
)
from kamcore.pricing._discounts import (
    SPECIFICITY,
    DiscountGroup,
    DiscountRule,
    DiscountScope,
)
from kamcore.pricing._lists import NO_MINIMUM, PriceItem, PriceList, PriceListKind

__all__ = [
    "Canonical",
    "IndexedList",
    "PricingOptions",
    "RuleTable",
    "Tables",
    "UnitPrices",
    "always_applies",
]

_EARLIEST = dt.date.min
_LATEST = dt.date.max
_ZERO = Decimal(0)


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


class UnitPrices:
    """List prices rounded to unit prices as :class:`PricingOptions` say.

    Used when the index is built, for every constant price: the fast path then
    returns the entry's unit price as it is, with nothing to round or allocate.
    Prices written alike share one unit price, so memory grows with distinct
    prices, not with items. They are told apart by their written form: it
    fixes the value and the sign (``-0`` rounds to ``-0.0000``), and a
    string's hash costs a fraction of a ``Decimal``'s, which is computed
    anew for every item's own price.
    """

    def __init__(self, options: PricingOptions) -> None:
        self._quantum = options.unit_quantum
        self._rounding = options.rounding
        self._known: dict[str, dict[str, Money]] = {}

    def known(self, currency: str) -> dict[str, Money]:
        """The unit prices of ``currency`` so far, by written price."""
        return self._known.setdefault(currency, {})

    def of(self, price: Decimal, currency: str) -> Money:
        """``price`` rounded to the unit places, as Money in ``currency``."""
        unit = self.known(currency).get(str(price))
        return self.round(price, currency) if unit is None else unit

    def round(self, price: Decimal, currency: str) -> Money:
        """``price`` rounded to the unit places, as Money in ``currency``."""
        unit = trusted_money(
            price.quantize(self._quantum, rounding=self._rounding, context=ROUNDING),
            currency,
        )
        self.known(currency)[str(price)] = unit
        return unit


class Canonical:
    """One shared object per distinct minimum quantity and validity date.

    Items built one by one each carry their own ``Decimal(50)`` and
    ``date(2026, 4, 1)``. Resolution compares a line against every candidate's
    minimum and dates, and a few hundred shared objects stay in the processor's
    cache where a hundred thousand private copies do not: sharing them makes
    the index's hot path markedly faster (see benchmarks/bench_pricing.py).
    A minimum is shared only with one written the same way (``50`` and
    ``50.0`` are equal but print differently in conflict messages): minimums
    are found by their written form, which is also cheaper to hash than a
    ``Decimal`` met for the first time.
    """

    def __init__(self) -> None:
        self._quantities: dict[str, Decimal] = {}
        self._days: dict[dt.date, dt.date] = {}

    def quantity(self, value: Decimal) -> Decimal:
        """The shared object equal to ``value`` and written like it."""
        return self._quantities.setdefault(str(value), value)

    def day(self, value: dt.date | None, default: dt.date) -> dt.date:
        """The shared object equal to ``value``; ``default`` for ``None``."""
        if value is None:
            return default
        return self._days.setdefault(value, value)


Entry = tuple[
    Decimal,
    dt.date,
    dt.date,
    Money | None,
    str,
    PriceListKind,
    bool,
    Money | None,
    PriceItem,
]
"""One item, flattened for speed: (min_quantity, valid_from, valid_to, list price,
source label ``"list.items[i]"``, list kind, discountable, unit price, item);
name the fields with the constants below.

The list price is the item's constant price as Money: its fixed price, or a
derived price whose whole chain does not depend on quantity or date (each
source has one open item from quantity 0), computed once when the index is
built. It is ``None`` otherwise, and then so is the unit price (the list price
rounded to the unit places). Kind and discountable (the item's flag, else "not
a client list") are copied in: the fast path reads nothing but the entry. No
more fields than that: every field is one more reference for the garbage
collector to follow, on every pass, for every item."""

# The fields of an Entry (Final, so that mypy types entry[ITEM] as the item).
MIN: Final = 0
START: Final = 1
END: Final = 2
LISTED: Final = 3
LABEL: Final = 4
KIND: Final = 5
DISCOUNTABLE: Final = 6
UNIT: Final = 7
ITEM: Final = 8

RuleEntry = tuple[Decimal, dt.date, dt.date, int, DiscountRule, Decimal]
"""One discount rule, flattened: (min_quantity, valid_from, valid_to, position,
rule, factor ``1 - percentage``)."""


@attrs.frozen
class IndexedList:
    """A price list with its items grouped by product, highest break first."""

    list: PriceList
    by_product: dict[ProductId, tuple[Entry, ...]]

    @classmethod
    def of(
        cls,
        price_list: PriceList,
        unit_prices: UnitPrices,
        canonical: Canonical,
        sources: Mapping[PriceListId, IndexedList] | None = None,
    ) -> IndexedList:
        """Index ``price_list``'s items, sharing equal values through ``canonical``.

        A derived item whose source list is in ``sources`` (indexed, its own
        constant prices folded) gets its constant price now, if it has one:
        when the source has exactly one item for the product, open-ended and
        from quantity 0, at a constant price. Resolution then reads it like a
        fixed price; explanations still walk the derivation. A negative
        result stays unfolded: resolution reports it. Derived items of other
        sources are left for :func:`~kamcore.pricing._build.fold_constant_derivations`.
        """
        currency = price_list.currency
        kind = price_list.kind
        net_by_default = kind is PriceListKind.CLIENT
        units = unit_prices.known(currency)
        quantity = canonical.quantity
        day = canonical.day
        prefix = f"{price_list.id}.items["
        # Most items keep the default minimum: one object, shared as it is.
        default_minimum = NO_MINIMUM
        shared_default = quantity(default_minimum)
        grouped: dict[ProductId, tuple[Entry, ...]] = {}
        unsorted: set[ProductId] = set()
        # Everything below runs for every item: calls are inlined, and the
        # default minimum and open dates are told apart by identity first.
        for position, item in enumerate(price_list.items):
            listed = item.unit_price
            if listed is None and sources is not None:
                listed = _folded(item, sources, currency)
            unit = None
            if listed is not None:
                # UnitPrices.of, inlined.
                price = listed.amount
                unit = units.get(str(price))
                if unit is None:
                    unit = unit_prices.round(price, currency)
            minimum = item.min_quantity
            start = item.valid_from
            end = item.valid_to
            discountable = item.discountable
            entry = (
                shared_default if minimum is default_minimum else quantity(minimum),
                _EARLIEST if start is None else day(start, _EARLIEST),
                _LATEST if end is None else day(end, _LATEST),
                listed,
                f"{prefix}{position}]",
                kind,
                not net_by_default if discountable is None else discountable,
                unit,
                item,
            )
            product = item.product
            entries = grouped.get(product)
            if entries is None:
                grouped[product] = (entry,)
            elif len(entries) == 1:
                # A quantity break: two items, ordered here.
                first = entries[0]
                grouped[product] = (
                    (entry, first) if entry[MIN] > first[MIN] else (first, entry)
                )
            else:
                grouped[product] = (*entries, entry)
                unsorted.add(product)
        for product in unsorted:
            grouped[product] = tuple(sorted(grouped[product], key=_highest_break_first))
        return cls(price_list, grouped)


def _folded(
    item: PriceItem, sources: Mapping[PriceListId, IndexedList], currency: str
) -> Money | None:
    """``item``'s constant derived price, if its source is in ``sources`` and
    it has one (see :meth:`IndexedList.of`)."""
    derived = item.derived
    assert derived is not None  # noqa: S101 - an item without a price derives
    source = sources.get(derived.source)
    if source is None:
        return None
    candidates = source.by_product.get(item.product)
    if candidates is None or len(candidates) != 1:
        return None
    first = candidates[0]
    base = first[LISTED]
    if base is None or not always_applies(first):
        return None
    price = derived.apply(base.amount)
    return trusted_money(price, currency) if price >= _ZERO else None


def always_applies(entry: Entry) -> bool:
    """Whether ``entry`` applies to every quantity on every day."""
    return entry[MIN] == 0 and entry[START] == _EARLIEST and entry[END] == _LATEST


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
    """Everything resolution reads, as plain dicts.

    ``products`` is ``None`` when the index was built without a catalogue:
    then no product is refused as unknown, but no category is known either.
    ``sources`` holds, for each list, the lists its derived items derive
    from, and ``discount_groups`` the groups the rule tables were made of:
    what a refresh needs to know which lists a change reaches.
    """

    lists: dict[PriceListId, IndexedList]
    base_by_currency: dict[str, PriceListId]
    groups: dict[ClientGroupId, ClientGroup]
    discounts: dict[DiscountGroupId, RuleTable]
    products: dict[ProductId, Product] | None
    categories: dict[ProductId, CategoryId]
    sources: dict[PriceListId, frozenset[PriceListId]]
    discount_groups: dict[DiscountGroupId, DiscountGroup]


def _highest_break_first(entry: Entry) -> Decimal:
    # sorted() is stable: equal breaks keep the order of the list's items.
    return -entry[MIN]
