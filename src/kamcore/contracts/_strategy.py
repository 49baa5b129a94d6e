"""Renewal pricing strategies: how the new term's prices follow from today's.

A strategy is data, never a formula string (SPEC §8). Four kinds:

====================  ==========================================================
``same_prices``        what the client pays on the last day of the current term
``current_list``       what the lists give on the first day of the new term
``uplift``             same prices x (1 + uplift)
``index_linked``       same prices x (1 + index change, clamped to [floor, cap])
====================  ==========================================================

Multi-year renewals compound explicitly: year *y* of the new term is priced at
``base x factor**y`` (year 2 is year 1 times the factor, never base x 2 x
uplift), each year's unit price rounded once to the unit quantum (4 places,
``ROUND_HALF_UP``) from the exact compounded figure.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import attrs

from kamcore.accounts import LineItem, PriceExplanation, PricingStep
from kamcore.kernel import (
    EXACT,
    ROUNDING,
    Checks,
    Money,
    Percentage,
    is_int,
    trusted_money,
)

__all__ = ["RenewalPricing", "StrategyKind"]

_UNIT_QUANTUM = Decimal("0.0001")
_MAX_YEARS = 10
"""Compounding stays exact in kamcore's 60-digit context well past ten years;
longer price schedules are not a renewal, they are a new negotiation."""


class StrategyKind(enum.Enum):
    """The named renewal pricing strategies."""

    SAME_PRICES = "same_prices"
    CURRENT_LIST = "current_list"
    UPLIFT = "uplift"
    INDEX_LINKED = "index_linked"

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class RenewalPricing:
    """A renewal pricing strategy and its parameters.

    Attributes:
        kind: Which strategy.
        uplift: The yearly uplift (``uplift`` only).
        index_change: The published index change, e.g. CPI +6.1 %
            (``index_linked`` only).
        cap: The highest yearly change an index may bring (``index_linked``).
        floor: The lowest (``index_linked``; e.g. 0 % so prices never fall).
        years: How many yearly price steps the new term has (1 to 10).

    Raises:
        ValidationError: a parameter missing for its kind or given to another
            kind, a floor above the cap, or fewer than one year.

    Example:
        >>> cpi = RenewalPricing(
        ...     kind=StrategyKind.INDEX_LINKED,
        ...     index_change=Percentage("6.1"),
        ...     cap=Percentage(4),
        ...     floor=Percentage(0),
        ...     years=2,
        ... )
        >>> cpi.yearly_change
        Percentage('4')
        >>> [str(cpi.unit_price(Money("10.00", "EUR"), year)) for year in (1, 2)]
        ['10.4000 EUR', '10.8160 EUR']
    """

    kind: StrategyKind
    uplift: Percentage | None = None
    index_change: Percentage | None = None
    cap: Percentage | None = None
    floor: Percentage | None = None
    years: int = 1

    def __attrs_post_init__(self) -> None:
        checks = Checks("RenewalPricing")
        checks.instance("kind", self.kind, StrategyKind)
        for name in ("uplift", "index_change", "cap", "floor"):
            value = getattr(self, name)
            if value is not None:
                checks.instance(name, value, Percentage)
        if not is_int(self.years) or not 1 <= self.years <= _MAX_YEARS:
            checks.fail(
                "years", f"expected an integer from 1 to {_MAX_YEARS}", self.years
            )
        checks.raise_if_any()
        wanted = {
            StrategyKind.SAME_PRICES: set[str](),
            StrategyKind.CURRENT_LIST: set[str](),
            StrategyKind.UPLIFT: {"uplift"},
            StrategyKind.INDEX_LINKED: {"index_change", "cap", "floor"},
        }[self.kind]
        for name in ("uplift", "index_change"):
            given = getattr(self, name) is not None
            if name in wanted and not given:
                checks.fail(name, f"is required by the {self.kind} strategy")
            elif given and name not in wanted:
                checks.fail(
                    name,
                    f"does not apply to the {self.kind} strategy",
                    getattr(self, name),
                )
        for name in ("cap", "floor"):
            value = getattr(self, name)
            if value is not None and name not in wanted:
                checks.fail(name, f"does not apply to the {self.kind} strategy", value)
        if self.cap is not None and self.floor is not None and self.floor > self.cap:
            checks.fail("floor", f"is above the cap {self.cap}", self.floor)
        checks.raise_if_any()

    @property
    def yearly_change(self) -> Percentage:
        """The change applied each year: the uplift, or the clamped index
        change; 0 % for the other strategies."""
        # Construction guarantees each kind's parameter is set.
        if self.kind is StrategyKind.UPLIFT and self.uplift is not None:
            return self.uplift
        if self.kind is StrategyKind.INDEX_LINKED and self.index_change is not None:
            change = self.index_change
            if self.cap is not None and change > self.cap:
                change = self.cap
            if self.floor is not None and change < self.floor:
                change = self.floor
            return change
        return Percentage(0)

    @property
    def resolves_at_new_term(self) -> bool:
        """Whether base prices come from the lists at the new term's start
        (``current_list``) rather than the current term's last day."""
        return self.kind is StrategyKind.CURRENT_LIST

    def factor(self, year: int) -> Decimal:
        """The exact compounded factor for ``year`` (1-based): ``(1+c)**year``."""
        base = EXACT.add(Decimal(1), self.yearly_change.fraction)
        result = Decimal(1)
        for _ in range(year):
            result = EXACT.multiply(result, base)
        return result

    def unit_price(self, base: Money, year: int = 1) -> Money:
        """``base`` moved to ``year`` of the new term, rounded once to 4 places."""
        moved = EXACT.multiply(base.amount, self.factor(year))
        return trusted_money(
            moved.quantize(_UNIT_QUANTUM, ROUND_HALF_UP, ROUNDING), base.currency
        )

    def describe(self, year: int = 1) -> str:
        """The strategy in words, for explanations (``"uplift 3% (year 2)"``)."""
        if self.kind is StrategyKind.INDEX_LINKED:
            text = (
                f"index-linked {self.index_change}"
                f" (floor {self.floor or 'none'}, cap {self.cap or 'none'})"
                f" -> {self.yearly_change}"
            )
        elif self.kind is StrategyKind.UPLIFT:
            text = f"uplift {self.uplift}"
        else:
            text = self.kind.value.replace("_", " ")
        return f"{text} (year {year})" if self.years > 1 else text

    def apply_to(self, lines: Iterable[LineItem]) -> tuple[LineItem, ...]:
        """The lines repriced for the new term, one line per product and year.

        Each line's unit price is moved with :meth:`unit_price`, and the move
        is appended to its explanation as a step, so the explanation still
        answers "why this price?". An explanation that went on to the line
        total (:meth:`~kamcore.accounts.LineItem.total_steps`) does so again,
        from the moved price. Lines come year by year, in the order given;
        with more than one year, descriptions start with ``"year N"``.
        Ad-hoc discounts stay beside the price, as on the original line.
        """
        given = tuple(lines)
        moved: list[LineItem] = []
        for year in range(1, self.years + 1):
            for line in given:
                description = line.description
                if self.years > 1:
                    suffix = f": {description}" if description else ""
                    description = f"year {year}{suffix}"
                renewed = attrs.evolve(
                    line,
                    unit_price=self.unit_price(line.unit_price, year),
                    explanation=None,
                    description=description,
                )
                if line.explanation is not None:
                    renewed = attrs.evolve(
                        renewed,
                        explanation=self._explain(
                            line, line.explanation, renewed, year
                        ),
                    )
                moved.append(renewed)
        return tuple(moved)

    def _explain(
        self,
        line: LineItem,
        explanation: PriceExplanation,
        renewed: LineItem,
        year: int,
    ) -> PriceExplanation:
        """``line``'s explanation, moved to ``renewed``'s price for ``year``."""
        steps = explanation.steps
        totals = line.total_steps()
        went_on = steps[-len(totals) :] == totals
        if went_on:
            steps = steps[: -len(totals)]
        step = PricingStep(
            label=f"renewal: {self.describe(year)}",
            amount=renewed.unit_price,
            rounding="4 places, ROUND_HALF_UP",
        )
        after = renewed.total_steps() if went_on else ()
        return attrs.evolve(explanation, steps=(*steps, step, *after))
