"""Price lists and their items: fixed or derived unit prices, quantity breaks,
validity windows."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections import Counter
from decimal import Decimal

import attrs

from kamcore.kernel import (
    EXACT,
    ROUNDING,
    Checks,
    DateRange,
    Money,
    Percentage,
    PriceListId,
    ProductId,
    exactly,
    validate_currency,
)
from kamcore.pricing._conflicts import PricingConfigurationError, PricingConflict

__all__ = ["NO_MINIMUM", "Derivation", "PriceItem", "PriceList", "PriceListKind"]

_NO_ADJUSTMENT = Percentage(0)
NO_MINIMUM = Decimal(0)
"""The minimum quantity of an item that gives none: one object, which the
index tells apart by identity."""
_add = EXACT.add
_multiply = EXACT.multiply


class PriceListKind(enum.Enum):
    """Where a list sits in the precedence: client first, then groups, then base."""

    BASE = "base"
    GROUP = "group"
    CLIENT = "client"


@attrs.frozen(kw_only=True)
class Derivation:
    """A unit price computed from another list's price for the same product.

    ``price = source price x (1 + adjustment) + surcharge``, then rounded to a
    multiple of ``rounding_step`` (``ROUND_HALF_UP``) when one is given. These are
    data, never expressions: no formula is ever evaluated.

    Attributes:
        source: The list the price is derived from (any kind, same currency).
        adjustment: Percentage change, ``Percentage("-8")`` is 8 % below.
        surcharge: Amount added after the adjustment (may be negative).
        rounding_step: Round the result to a multiple of this (e.g. ``0.05``).

    Example:
        >>> rule = Derivation(source=PriceListId("base"), adjustment=Percentage("-8"),
        ...                   rounding_step=Decimal("0.05"))
        >>> rule.apply(Decimal("44.80"))
        Decimal('41.20')
    """

    source: PriceListId
    adjustment: Percentage = _NO_ADJUSTMENT
    surcharge: Decimal = Decimal(0)
    rounding_step: Decimal | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("Derivation")
        checks.text("source", self.source)
        if checks.instance("adjustment", self.adjustment, Percentage):
            checks.require(
                self.adjustment.value >= -100,
                "adjustment",
                "cannot take more than 100 % off",
                self.adjustment,
            )
        checks.decimal("surcharge", self.surcharge)
        if self.rounding_step is not None:
            checks.decimal("rounding_step", self.rounding_step, strictly_positive=True)
        checks.raise_if_any()

    def apply(self, source_price: Decimal) -> Decimal:
        """The derived price for ``source_price`` (exact, then stepped if asked).

        Raises:
            ValidationError: the exact price needs more than the exact
                context's digits, or is out of range.
        """
        # The exact context traps every inexact result: the checked version
        # runs only to name what went wrong (every index build folds
        # thousands of derived prices through the fast one).
        try:
            price = _add(
                _add(
                    source_price,
                    _multiply(source_price, self.adjustment.value.scaleb(-2, EXACT)),
                ),
                self.surcharge,
            )
            step = self.rounding_step
            if step is None:
                return price
            # Half-up to a multiple of the step, exactly: whole steps, plus one
            # more when the remainder is at least half a step.
            steps, remainder = ROUNDING.divmod(price.copy_abs(), step)
            if _multiply(remainder, 2) >= step:
                steps = _add(steps, 1)
            return _multiply(steps.copy_sign(price), step)
        except decimal.DecimalException:
            return self._checked_apply(source_price)

    def _checked_apply(self, source_price: Decimal) -> Decimal:
        """:meth:`apply`, each exact step checked (for the error it raises)."""
        change = exactly(EXACT.multiply, source_price, self.adjustment.fraction)
        price = exactly(
            EXACT.add, exactly(EXACT.add, source_price, change), self.surcharge
        )
        step = self.rounding_step
        if step is None:
            return price
        steps, remainder = ROUNDING.divmod(price.copy_abs(), step)
        if EXACT.multiply(remainder, 2) >= step:
            steps = EXACT.add(steps, 1)
        return exactly(EXACT.multiply, steps.copy_sign(price), step)

    def describe(self) -> str:
        """One line for an explanation: ``base -8% +0.00, step 0.05``."""
        parts = [f"{self.source} {self.adjustment.value:+}%"]
        if self.surcharge:
            parts.append(f"{self.surcharge:+}")
        if self.rounding_step is not None:
            parts.append(f"rounded to a multiple of {self.rounding_step}")
        return ", ".join(parts)


@attrs.frozen(kw_only=True)
class PriceItem:
    """A unit price for a product, from a minimum quantity, within a window.

    Exactly one of ``unit_price`` and ``derived`` is given.

    Attributes:
        product: The product priced.
        unit_price: A fixed unit price in the list's currency.
        derived: A price derived from another list instead.
        min_quantity: Applies from this quantity on (quantity breaks); 0 = always.
        valid_from: First day it applies (inclusive); ``None`` = open.
        valid_to: Last day it applies (inclusive); ``None`` = open.
        discountable: Whether discount-group discounts apply on top; ``None``
            follows the list kind (client lists are net, others are not).
    """

    product: ProductId
    unit_price: Money | None = None
    derived: Derivation | None = None
    min_quantity: Decimal = NO_MINIMUM
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    discountable: bool | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("PriceItem")
        checks.text("product", self.product)
        if (self.unit_price is None) == (self.derived is None):
            checks.fail(
                "unit_price",
                "give exactly one of unit_price and derived",
                self.unit_price,
            )
        if self.unit_price is not None and checks.instance(
            "unit_price", self.unit_price, Money
        ):
            checks.require(
                not self.unit_price.is_negative(),
                "unit_price",
                "must not be negative",
                self.unit_price,
            )
        if self.derived is not None:
            checks.instance("derived", self.derived, Derivation)
        checks.decimal("min_quantity", self.min_quantity, minimum=Decimal(0))
        checks.window("valid_from", self.valid_from, "valid_to", self.valid_to)
        if self.discountable is not None:
            checks.instance("discountable", self.discountable, bool)
        checks.raise_if_any()

    @property
    def window(self) -> DateRange:
        """The inclusive validity window."""
        return DateRange(self.valid_from, self.valid_to)

    def describe(self) -> str:
        """``from qty 10, 2026-01-01..open`` for explanations."""
        start = self.valid_from.isoformat() if self.valid_from else "open"
        end = self.valid_to.isoformat() if self.valid_to else "open"
        return f"from quantity {self.min_quantity}, valid {start}..{end}"


@attrs.frozen(kw_only=True)
class PriceList:
    """A price list in one currency: base, group or client-dedicated.

    Attributes:
        id: The list's id.
        name: Display name.
        currency: Every fixed price and surcharge is in this currency.
        kind: Base, group or client.
        items: The priced items, in any order.
        version: Optimistic-locking version.
    """

    id: PriceListId
    name: str
    currency: str
    kind: PriceListKind
    items: tuple[PriceItem, ...] = ()
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("PriceList")
        checks.text("id", self.id)
        checks.text("name", self.name)
        checks.capture(lambda: validate_currency(self.currency, subject="PriceList"))
        checks.instance("kind", self.kind, PriceListKind)
        checks.each("items", self.items, PriceItem)
        checks.version(self.version)
        checks.raise_if_any()
        for index, item in enumerate(self.items):
            if (
                item.unit_price is not None
                and item.unit_price.currency != self.currency
            ):
                checks.fail(
                    f"items[{index}].unit_price.currency",
                    f"must be the list currency {self.currency}",
                    item.unit_price.currency,
                )
            if item.derived is not None and item.derived.source == self.id:
                checks.fail(
                    f"items[{index}].derived.source",
                    "a list cannot derive from itself",
                    self.id,
                )
        checks.raise_if_any()

    def with_items(self, *items: PriceItem) -> PriceList:
        """The list with ``items`` added (negotiated prices, workflow 3)."""
        return attrs.evolve(self, items=(*self.items, *items))

    def conflicts(self) -> tuple[PricingConflict, ...]:
        """Items of one product with the same minimum quantity whose windows overlap.

        Such items would both apply on some day to some quantity, and nothing says
        which wins: a configuration conflict, reported with both items.
        """
        found: list[PricingConflict] = []
        # Most products have one item: only those with more are looked at.
        products = [item.product for item in self.items]
        if len(set(products)) == len(products):
            return ()
        repeated = {product for product, n in Counter(products).items() if n > 1}
        by_key: dict[tuple[str, Decimal], list[tuple[int, PriceItem]]] = {}
        for index, item in enumerate(self.items):
            if item.product in repeated:
                by_key.setdefault((item.product, item.min_quantity), []).append(
                    (index, item)
                )
        for (product, minimum), group in by_key.items():
            for position, (i, first) in enumerate(group):
                for j, second in group[position + 1 :]:
                    if first.window.overlaps(second.window):
                        found.append(
                            PricingConflict(
                                detail=(
                                    f"two items price {product} from quantity "
                                    f"{minimum} on overlapping dates"
                                ),
                                sources=(
                                    f"{self.id}.items[{i}]",
                                    f"{self.id}.items[{j}]",
                                ),
                            )
                        )
        return tuple(found)

    def validate(self) -> None:
        """Raise if :meth:`conflicts` finds anything.

        Raises:
            PricingConfigurationError: listing every conflict with both sources.
        """
        conflicts = self.conflicts()
        if conflicts:
            raise PricingConfigurationError(conflicts)
