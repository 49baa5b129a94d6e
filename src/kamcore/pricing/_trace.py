"""What an explanation is made of, collected while the general routine resolves.

The routine takes an optional :class:`Trace`: pricing a line records nothing,
explaining it records every candidate, the discount and each step.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kamcore.accounts import (
    Candidate,
    CandidateOutcome,
    Client,
    PriceExplanation,
    PricingStep,
)
from kamcore.kernel import Money, trusted_money
from kamcore.pricing._discounts import DiscountRule
from kamcore.pricing._lists import PriceListKind
from kamcore.pricing._resolved import ResolvedPrice

__all__ = ["Trace", "explanation", "outcome", "trace_discount"]


class Trace:
    """What an explanation needs, collected while resolving."""

    __slots__ = ("candidates", "discount", "steps")

    def __init__(self) -> None:
        self.candidates: list[Candidate] = []
        self.steps: list[tuple[str, Decimal, str]] = []
        self.discount: str | None = None

    def consider(
        self,
        source: str,
        kind: PriceListKind,
        outcome: CandidateOutcome,
        price: Money | None = None,
        detail: str = "",
    ) -> None:
        """Record a list or item that was looked at, and what became of it."""
        self.candidates.append(
            Candidate(
                source=source,
                kind=kind.value,
                outcome=outcome,
                unit_price=price,
                detail=detail,
            )
        )


def explanation(resolved: ResolvedPrice, trace: Trace) -> PriceExplanation:
    """The explanation of ``resolved``, from the trace of its resolution."""
    currency = resolved.unit_price.currency
    return PriceExplanation(
        source=resolved.source,
        source_kind=resolved.source_kind.value,
        candidates=tuple(trace.candidates),
        steps=tuple(
            # Amounts of exact arithmetic on validated prices, in the
            # client's validated currency: no need to check them again.
            PricingStep(
                label=label,
                amount=trusted_money(amount, currency),
                rounding=rounding,
            )
            for label, amount, rounding in trace.steps
        ),
        discount=trace.discount,
    )


def outcome(
    minimum: Decimal, start: dt.date, end: dt.date, quantity: Decimal, on: dt.date
) -> CandidateOutcome:
    """Why an item does not apply to ``quantity`` on ``on`` (chosen if it does)."""
    if on < start:
        return CandidateOutcome.NOT_YET_VALID
    if on > end:
        return CandidateOutcome.EXPIRED
    if minimum > quantity:
        return CandidateOutcome.QUANTITY_TOO_LOW
    return CandidateOutcome.CHOSEN


def trace_discount(
    trace: Trace,
    client: Client,
    *,
    kind: PriceListKind,
    discountable: bool,
    rule: DiscountRule | None,
    net: Decimal,
) -> None:
    """Say whether and which discount-group rule applied."""
    group = client.discount_group
    if group is None:
        return
    if not discountable:
        trace.discount = (
            f"discount group {group} not applied: this {kind.value} list item is net"
        )
    elif rule is None:
        trace.discount = f"discount group {group}: no rule applies"
    else:
        trace.discount = f"discount group {group}: {rule.describe()}"
        trace.steps.append((f"less {rule.percentage}", net, ""))
