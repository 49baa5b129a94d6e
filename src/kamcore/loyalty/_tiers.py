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
import heapq

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.kernel import DateRange, Money
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import Programme, QualificationWindow, Tier

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


def period_of(programme: Programme, membership: Membership, day: dt.date) -> DateRange:
    """The qualification period containing ``day``.

    Calendar year: 1 January to 31 December. Rolling 12 months: membership
    years from the enrolment date, anchored (a member enrolled on 29 February
    has periods starting on 28 February in common years and 29 February in
    leap years). Lifetime: from enrolment, never ending.
    """
    if programme.window is QualificationWindow.CALENDAR_YEAR:
        return DateRange(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    enrolled = membership.enrolled_on
    if programme.window is QualificationWindow.LIFETIME or day < enrolled:
        return DateRange(enrolled, None)
    years = relativedelta(day, enrolled).years
    start = enrolled + relativedelta(years=years)
    return DateRange(start, enrolled + relativedelta(years=years + 1) - _DAY)


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

    Starts with the first tier on the enrolment date (empty before it).
    Upgrades take effect the day the spend reaches a threshold; downgrades at
    a period's start plus the grace days, unless the member re-qualified in
    between. The spend only changes on the days entries are dated, and, under
    a rolling window, the days a reversal (negative spend) leaves the window:
    those days, the period starts and the downgrade days are all the days
    evaluated.
    """
    tiers = programme.tiers
    if day < membership.enrolled_on:
        return []
    rank = {tier.code: index for index, tier in enumerate(tiers)}
    grace = dt.timedelta(days=programme.downgrade_grace_days)
    queue, period_starts = _days_to_evaluate(membership, programme, day)
    held, best = tiers[0], tiers[0]
    changes = [(membership.enrolled_on, held)]
    pending: tuple[dt.date, Tier] | None = None
    seen: set[dt.date] = set()
    while queue:
        current = heapq.heappop(queue)
        if current in seen:
            continue
        seen.add(current)
        before = held
        if current in period_starts:
            best = tiers[0]
            evaluated = programme.tier_for_spend(
                qualifying_spend(membership, programme, current - _DAY)
            )
            if rank[evaluated.code] < rank[held.code]:
                pending = (current + grace, evaluated)
                if pending[0] <= day:
                    heapq.heappush(queue, pending[0])
        reached = programme.tier_for_spend(
            qualifying_spend(membership, programme, current)
        )
        if rank[reached.code] > rank[best.code]:
            best = reached
        if pending is not None and rank[best.code] >= rank[held.code]:
            pending = None
        if pending is not None and current >= pending[0]:
            held = max(pending[1], best, key=lambda tier: rank[tier.code])
            pending = None
        if rank[best.code] > rank[held.code]:
            held = best
        if held != before:
            changes.append((current, held))
    return changes


def _days_to_evaluate(
    membership: Membership, programme: Programme, day: dt.date
) -> tuple[list[dt.date], set[dt.date]]:
    """The days the held tier may change, as a heap, and the period starts."""
    dates = [membership.enrolled_on]
    rolling = programme.window is QualificationWindow.ROLLING_12_MONTHS
    for entry in membership.entries:
        if entry.spend is None or entry.on > day:
            continue
        dates.append(entry.on)
        if rolling and entry.spend.is_negative():
            # The first day it is out of the window, whatever 29 February does.
            dates += [entry.on + _YEAR, entry.on + _YEAR + _DAY]
    period_starts: set[dt.date] = set()
    if programme.window is not QualificationWindow.LIFETIME:
        boundary = period_of(programme, membership, membership.enrolled_on).end
        while boundary is not None and boundary < day:
            period_starts.add(boundary + _DAY)
            boundary = period_of(programme, membership, boundary + _DAY).end
    queue = [d for d in (*dates, *period_starts) if membership.enrolled_on <= d <= day]
    heapq.heapify(queue)
    return queue, period_starts


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
