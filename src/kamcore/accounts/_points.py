"""The points-redemption deduction line of an invoice (seed workflow 4)."""

from __future__ import annotations

from decimal import Decimal

import attrs

from kamcore.kernel import Checks, MembershipId, Money, ProposalId

__all__ = ["PointsRedemption"]


@attrs.frozen(kw_only=True)
class PointsRedemption:
    """Loyalty points redeemed on an invoice: its points-redemption deduction line.

    A first-class line of the invoice, kept apart from the product lines and
    never folded into a price or an ad-hoc discount: the invoice shows the
    points, the rate and the value deducted. Its value is
    ``points x rate`` rounded *once*, here, to the currency's minor unit with
    ``ROUND_HALF_UP`` (see :attr:`amount`).

    Attributes:
        membership: The loyalty membership whose points pay.
        points: How many points (positive).
        rate: The value of one point: the rate locked when the points were
            reserved on a proposal, or the programme's rate when redeemed
            directly.
        proposal: The proposal whose reservation was committed, if any.
        description: What the document prints for the line.

    Raises:
        ValidationError: naming every offending field: points not positive, a
            rate not above zero, or a value that rounds to nothing.

    Example:
        >>> PointsRedemption(membership=MembershipId("ms-1"),
        ...                  points=Decimal("1234"), rate=Money("0.005", "EUR")).amount
        Money('6.17', 'EUR')
    """

    membership: MembershipId
    points: Decimal
    rate: Money
    proposal: ProposalId | None = None
    description: str = "Loyalty points redeemed"

    def __attrs_post_init__(self) -> None:
        checks = Checks("PointsRedemption")
        checks.text("membership", self.membership)
        checks.decimal("points", self.points, strictly_positive=True)
        if checks.instance("rate", self.rate, Money):
            checks.require(
                self.rate.is_positive(), "rate", "must be greater than zero", self.rate
            )
        checks.optional_text("proposal", self.proposal)
        checks.instance("description", self.description, str)
        checks.raise_if_any()
        checks.require(
            self.amount.is_positive(),
            "points",
            f"{self.points} points at {self.rate} are worth nothing once rounded "
            f"to the minor unit",
            self.points,
        )
        checks.raise_if_any()

    @property
    def amount(self) -> Money:
        """The value deducted: ``points x rate``, rounded to the minor unit
        (``ROUND_HALF_UP``)."""
        return (self.rate * self.points).rounded()
