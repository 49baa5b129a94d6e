"""Where a membership stands, and what it takes to keep or reach each tier."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from kamcore.errors import ValidationError
from kamcore.kernel import MembershipId, Money
from kamcore.loyalty._ledger import Lot
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import Programme, Tier
from kamcore.loyalty._redemption import redeemable_points
from kamcore.loyalty._tiers import TierStanding, spend_needed, tier_on

__all__ = ["MembershipReport", "TierTarget", "membership_report"]


@attrs.frozen(kw_only=True)
class TierTarget:
    """What a member must still spend to hold a tier in the next period.

    Attributes:
        tier: The tier.
        needed: The qualifying spend still needed by the end of the current
            period (zero: already secured), see
            :func:`~kamcore.loyalty.spend_needed`.
        by: The period's last day (``None`` under a lifetime window: the
            spend reaches the tier whenever it is made).
    """

    tier: Tier
    needed: Money
    by: dt.date | None


@attrs.frozen(kw_only=True)
class MembershipReport:
    """A membership as of a date: tier, points, and what each tier needs.

    Attributes:
        membership: The membership.
        as_of: The date.
        standing: The tier in effect and why (see
            :class:`~kamcore.loyalty.TierStanding`).
        balance: Points usable on ``as_of``.
        pending: Points waiting for their invoices to be paid.
        held: Points reserved on proposals.
        redeemable: Points that may be redeemed now
            (:func:`~kamcore.loyalty.redeemable_points`).
        redeemable_value: Their value at the programme's current rate, rounded
            to the minor unit.
        expiring: Lots with points expiring within the programme's
            ``expiry_warning_days`` after ``as_of``, soonest first.
        targets: For every tier above the first, the spend needed by the end
            of the period to hold it in the next one.
    """

    membership: MembershipId
    as_of: dt.date
    standing: TierStanding
    balance: Decimal
    pending: Decimal
    held: Decimal
    redeemable: Decimal
    redeemable_value: Money
    expiring: tuple[Lot, ...]
    targets: tuple[TierTarget, ...]

    def target(self, tier: str) -> TierTarget:
        """The target for the tier with code ``tier``.

        Raises:
            ValidationError: no tier above the first has that code.
        """
        for target in self.targets:
            if target.tier.code == tier:
                return target
        known = ", ".join(t.tier.code for t in self.targets)
        raise ValidationError.single(
            "MembershipReport",
            "tier",
            f"no target for {tier!r}; targets: {known}",
            tier,
        )


def membership_report(
    membership: Membership, programme: Programme, *, as_of: dt.date
) -> MembershipReport:
    """Report on ``membership`` from its ledger entries dated up to ``as_of``.

    See ``docs/loyalty.md`` for an example.
    """
    standing = tier_on(membership, programme, as_of)
    redeemable = redeemable_points(membership, as_of)
    horizon = as_of + dt.timedelta(days=programme.expiry_warning_days)
    expiring = tuple(
        sorted(
            (
                lot
                for lot in membership.lots(as_of)
                if lot.remaining > 0
                and lot.expires_on is not None
                and as_of < lot.expires_on <= horizon
            ),
            key=lambda lot: (lot.expires_on or as_of, lot.number),
        )
    )
    targets = tuple(
        TierTarget(
            tier=tier,
            needed=spend_needed(membership, programme, tier.code, as_of=as_of),
            by=standing.period.end,
        )
        for tier in programme.tiers[1:]
    )
    return MembershipReport(
        membership=membership.id,
        as_of=as_of,
        standing=standing,
        balance=membership.balance(as_of),
        pending=membership.pending(as_of),
        held=membership.held(),
        redeemable=redeemable,
        redeemable_value=(programme.redemption_rate * redeemable).rounded(),
        expiring=expiring,
        targets=targets,
    )
