"""What a priced document line keeps: how its price was found, and any ad-hoc
discount granted beside it.

These are records, produced by :mod:`kamcore.pricing` and stored with the line so
that a document keeps its prices and their explanation after the price lists
change.
"""

from __future__ import annotations

import enum

import attrs

from kamcore.kernel import Checks, ManagerId, Money, Percentage

__all__ = [
    "AdHocDiscount",
    "Candidate",
    "CandidateOutcome",
    "PriceExplanation",
    "PricingStep",
]


class CandidateOutcome(enum.Enum):
    """Why a price list item was or was not used."""

    CHOSEN = "chosen"
    NO_ITEM = "no item for the product"
    NOT_YET_VALID = "not yet valid on the pricing date"
    EXPIRED = "expired before the pricing date"
    QUANTITY_TOO_LOW = "quantity below the item's minimum"
    SMALLER_BREAK = "a higher quantity break applies"
    LOWER_PRECEDENCE = "a list of higher precedence priced it"
    SAME_PRICE_TIE = "equal-priority group with the same price"


@attrs.frozen(kw_only=True)
class Candidate:
    """One list (or list item) considered while resolving a price.

    Attributes:
        source: The list id, with the item position when an item was looked at
            (``"acme-2026.items[3]"``).
        kind: The list kind (``"client"``, ``"group"``, ``"base"``).
        outcome: Chosen, or why not.
        unit_price: The unit price it would have given, when it gave one.
        detail: The item's quantity break and window, or the group, in words.
    """

    source: str
    kind: str
    outcome: CandidateOutcome
    unit_price: Money | None = None
    detail: str = ""

    def __str__(self) -> str:
        price = f" {self.unit_price}" if self.unit_price is not None else ""
        detail = f" [{self.detail}]" if self.detail else ""
        return f"{self.source} ({self.kind}){price}: {self.outcome.value}{detail}"


@attrs.frozen(kw_only=True)
class PricingStep:
    """One step from list price to the unit price charged, or on a priced
    line, from the unit price to the line total.

    Attributes:
        label: What happened (``"list price"``, ``"discount group dg-1: 5%"``,
            ``"gross total 3 x 13.7350 EUR"``).
        amount: What the step gives: the unit price after it; for a line's
            steps, the gross total, the ad-hoc discount's value or the line
            total.
        rounding: How it was rounded, if it was (``"4 places, ROUND_HALF_UP"``).
    """

    label: str
    amount: Money
    rounding: str = ""

    def __str__(self) -> str:
        rounding = f" (rounded: {self.rounding})" if self.rounding else ""
        return f"{self.label}: {self.amount}{rounding}"


@attrs.frozen(kw_only=True)
class PriceExplanation:
    """Why a unit price is what it is: the answer to "why did they pay 41.20?".

    Attributes:
        source: The winning list item (``"acme-2026.items[3]"``).
        source_kind: The winning list's kind.
        candidates: Every list and item considered, in precedence order, with the
            reason each was used or not.
        discount: The discount-group rule applied, in words, if any.
        steps: From list price to the unit price charged, with each rounding.
    """

    source: str
    source_kind: str
    candidates: tuple[Candidate, ...]
    steps: tuple[PricingStep, ...]
    discount: str | None = None

    def __str__(self) -> str:
        lines = [f"price from {self.source} ({self.source_kind} list)"]
        lines.extend(f"  considered {candidate}" for candidate in self.candidates)
        if self.discount is not None:
            lines.append(f"  discount: {self.discount}")
        lines.extend(f"  step {step}" for step in self.steps)
        return "\n".join(lines)


@attrs.frozen(kw_only=True)
class AdHocDiscount:
    """A discount granted on one line, kept beside its price, never folded in.

    Exactly one of ``percentage`` (of the line total) and ``amount`` (off the
    line total) is given.

    Attributes:
        reason: Why it was granted.
        granted_by: Who granted it.
        percentage: Percent off the line total, above 0 and at most 100.
        amount: Amount off the line total, positive.
    """

    reason: str
    granted_by: ManagerId
    percentage: Percentage | None = None
    amount: Money | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("AdHocDiscount")
        checks.text("reason", self.reason)
        checks.text("granted_by", self.granted_by)
        if (self.percentage is None) == (self.amount is None):
            checks.fail("percentage", "give exactly one of percentage and amount", None)
        if self.percentage is not None and checks.instance(
            "percentage", self.percentage, Percentage
        ):
            checks.require(
                0 < self.percentage.value <= 100,
                "percentage",
                "must be above 0 and at most 100",
                self.percentage,
            )
        if self.amount is not None and checks.instance("amount", self.amount, Money):
            checks.require(
                self.amount.is_positive(), "amount", "must be positive", self.amount
            )
            checks.billed("amount", self.amount)
        checks.raise_if_any()

    def value_on(self, line_total: Money) -> Money:
        """The discount's value on a line totalling ``line_total``, rounded once."""
        if self.percentage is not None:
            return self.percentage.of(line_total).rounded()
        assert self.amount is not None  # noqa: S101 - exactly one is set, checked above
        return self.amount
