"""Discount groups: percentage discounts per product, per category or for all."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs

from kamcore.kernel import Checks, DateRange, DiscountGroupId, Percentage
from kamcore.pricing._conflicts import PricingConfigurationError, PricingConflict

__all__ = ["DiscountGroup", "DiscountRule", "DiscountScope"]


class DiscountScope(enum.Enum):
    """What a rule covers; the most specific applicable rule wins."""

    PRODUCT = "product"
    CATEGORY = "category"
    ALL = "all"


SPECIFICITY = (DiscountScope.PRODUCT, DiscountScope.CATEGORY, DiscountScope.ALL)
"""Scopes from most to least specific."""


@attrs.frozen(kw_only=True)
class DiscountRule:
    """A percentage off list prices, for a product, a category or everything.

    Attributes:
        scope: Product, category or all products.
        target: The product id or category for those scopes; ``None`` for all.
        percentage: The discount, above 0 and at most 100 %.
        min_quantity: Applies from this quantity on (volume discounts).
        valid_from: First day it applies; ``None`` = open.
        valid_to: Last day it applies; ``None`` = open.
    """

    scope: DiscountScope
    percentage: Percentage
    target: str | None = None
    min_quantity: Decimal = Decimal(0)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("DiscountRule")
        checks.instance("scope", self.scope, DiscountScope)
        if checks.instance("percentage", self.percentage, Percentage):
            checks.require(
                0 < self.percentage.value <= 100,
                "percentage",
                "must be above 0 and at most 100",
                self.percentage,
            )
        if self.scope is DiscountScope.ALL:
            checks.require(
                self.target is None,
                "target",
                "a rule for all products has no target",
                self.target,
            )
        elif self.target is None:
            checks.fail(
                "target", f"a {self.scope.value} rule needs a target {self.scope.value}"
            )
        else:
            checks.text("target", self.target)
        checks.decimal("min_quantity", self.min_quantity, minimum=Decimal(0))
        checks.window("valid_from", self.valid_from, "valid_to", self.valid_to)
        checks.raise_if_any()

    @property
    def window(self) -> DateRange:
        """The inclusive validity window."""
        return DateRange(self.valid_from, self.valid_to)

    def describe(self) -> str:
        """``category valves from quantity 10: 5%`` for explanations."""
        what = (
            "all products"
            if self.target is None
            else f"{self.scope.value} {self.target}"
        )
        return f"{what} from quantity {self.min_quantity}: {self.percentage}"


@attrs.frozen(kw_only=True)
class DiscountGroup:
    """A named set of discount rules, assigned to clients.

    Attributes:
        id: The group's id.
        name: Display name.
        rules: Its rules, in any order.
        version: Optimistic-locking version.
    """

    id: DiscountGroupId
    name: str
    rules: tuple[DiscountRule, ...] = ()
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("DiscountGroup")
        checks.text("id", self.id)
        checks.text("name", self.name)
        checks.each("rules", self.rules, DiscountRule)
        checks.version(self.version)
        checks.raise_if_any()

    def conflicts(self) -> tuple[PricingConflict, ...]:
        """Two rules with the same scope, target and minimum quantity on shared days."""
        found: list[PricingConflict] = []
        seen: dict[tuple[DiscountScope, str | None, Decimal], list[int]] = {}
        for index, rule in enumerate(self.rules):
            key = (rule.scope, rule.target, rule.min_quantity)
            for other in seen.get(key, []):
                if self.rules[other].window.overlaps(rule.window):
                    found.append(
                        PricingConflict(
                            detail=(
                                f"two rules for {rule.describe().split(':')[0]} "
                                "apply on overlapping dates"
                            ),
                            sources=(
                                f"{self.id}.rules[{other}]",
                                f"{self.id}.rules[{index}]",
                            ),
                        )
                    )
            seen.setdefault(key, []).append(index)
        return tuple(found)

    def validate(self) -> None:
        """Raise if :meth:`conflicts` finds anything.

        Raises:
            PricingConfigurationError: listing every conflict with both sources.
        """
        conflicts = self.conflicts()
        if conflicts:
            raise PricingConfigurationError(conflicts)
