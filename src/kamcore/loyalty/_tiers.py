"""The tier engine: which tier a membership holds on any date, and why.

Qualifying spend is the net invoiced money the ledger's earnings (and, negative,
its reversals) record, over the programme's window as of a date. Pending points
count toward nothing, so an unpaid invoice under ``earn on payment`` does not
qualify until it is paid.

* **Upgrades** take effect the day the spend reaches a higher threshold.
* **Downgrades** happen only at the end of a qualification period: the spend at
  its last day decides the tier for the next period, effective after the
  programme's grace days. Re-qualifying during the grace cancels it.
* **Overrides** by the account manager apply between their dates, whatever the
  spend.

The answer for a date depends only on ledger entries dated on or before it.
"""

from __future__ import annotations

import datetime as dt

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.kernel import DateRange, Money
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import Programme, QualificationWindow, Tier
from kamcore.loyalty._tier_engine import HeldTier, period_of

__all__ = [
    "TierStanding",
    "held_changes",
    "period_of",
    "qualifying_spend",
    "spend_needed",
    "tier_on",
]

_DAY = dt.timedelta(days=1)
_YEAR = relativedelta(years=1)


def qualifying_spend(
    membership: Membership, programme: Programme, day: dt.date
) -> Money:
    """The spend that qualifies for tiers on ``day``, by the programme's window."""
    if programme.window is QualificationWindow.ROLLING_12_MONTHS:
        start: dt.date | None = day - _YEAR + _DAY
    elif programme.window is QualificationWindow.CALENDAR_YEAR:
        start = dt.date(day.year, 1, 1)
    else:
        start = None
    return membership.spend_between(start, day, programme.currency)


@attrs.frozen(kw_only=True)
class TierStanding:
    """Where a membership stands on a date.

    Attributes:
        on: The date.
        tier: The tier in effect: the override's if one applies, else ``held``.
        held: The tier earned by spend, with the downgrade rules applied.
        overridden: Whether an account manager's override sets ``tier``.
        period: The qualification period containing ``on``.
        spend: The qualifying spend on ``on``.
        next_tier: The tier above ``held``, if there is one.
        to_next: The spend still needed today to reach ``next_tier``.
    """

    on: dt.date
    tier: Tier
    held: Tier
    overridden: bool
    period: DateRange
    spend: Money
    next_tier: Tier | None
    to_next: Money | None


def held_changes(
    membership: Membership, programme: Programme, day: dt.date
) -> list[tuple[dt.date, Tier]]:
    """Every change of the tier held by spend up to ``day``, oldest first.

    Starts with the first tier on the enrolment date (empty before it). See
    :class:`~kamcore.loyalty._tier_engine.HeldTier` for the rules.
    """
    if day < membership.enrolled_on:
        return []
    engine = HeldTier(membership, programme, day)
    engine.run_before(day + _DAY)
    return engine.changes


def _held_on(membership: Membership, programme: Programme, day: dt.date) -> Tier:
    """The tier earned by spend on ``day``."""
    changes = held_changes(membership, programme, day)
    return changes[-1][1] if changes else programme.tiers[0]


def tier_on(membership: Membership, programme: Programme, day: dt.date) -> TierStanding:
    """The membership's tier on ``day``, from the entries dated up to then and
    the override in effect that day (:meth:`Membership.override_on`), which
    overrides set later never change.

    Example:
        See ``docs/loyalty.md``.
    """
    held = _held_on(membership, programme, day)
    override = membership.override_on(day)
    code = None if override is None else override.tier
    overridden = code is not None
    tier = held if code is None else programme.tier(code)
    spend = qualifying_spend(membership, programme, day)
    position = programme.tiers.index(held)
    following = (
        programme.tiers[position + 1] if position + 1 < len(programme.tiers) else None
    )
    to_next = None
    if following is not None:
        gap = following.threshold - spend
        to_next = gap if gap.is_positive() else Money.zero(programme.currency)
    return TierStanding(
        on=day,
        tier=tier,
        held=held,
        overridden=overridden,
        period=period_of(programme, membership, day),
        spend=spend,
        next_tier=following,
        to_next=to_next,
    )


def spend_needed(
    membership: Membership, programme: Programme, tier: str, *, as_of: dt.date
) -> Money:
    """What the member must still spend by the end of the current period to
    hold ``tier`` for the next one (keep it, or reach it).

    The spend already recorded up to ``as_of`` is projected to the period's
    last day: under a rolling window, spend that will have left the window by
    then no longer counts. Without a period end (lifetime), it is what is
    needed to reach the tier at all. Zero when nothing more is needed.

    Raises:
        ValidationError: no tier has that code.
    """
    target = programme.tier(tier)
    end = period_of(programme, membership, as_of).end
    if end is None:
        projected = qualifying_spend(membership, programme, as_of)
    else:
        recorded = attrs.evolve(
            membership, entries=tuple(e for e in membership.entries if e.on <= as_of)
        )
        projected = qualifying_spend(recorded, programme, end)
    gap = target.threshold - projected
    return gap if gap.is_positive() else Money.zero(programme.currency)
