"""The tier held by spend, day by day, in one pass over the days it may change.

:func:`~kamcore.loyalty._tiers.held_changes` reads every change from it;
:func:`start_of_day_tiers` reads, for the days asked, the tier each *began*
with: the tier of that day counting only the documents dated before it. That
is the tier an earning dated on that day is multiplied by, so that every
document of a day earns alike, whichever was posted first.

Qualifying spend is summed once (prefix sums over the entries sorted by date),
so a pass costs a logarithm per day evaluated, however long the ledger.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections.abc import Iterable
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from kamcore.kernel import EXACT, DateRange, Money, trusted_money
from kamcore.loyalty._ledger import EntryKind
from kamcore.loyalty._membership import Membership
from kamcore.loyalty._programme import Programme, QualificationWindow, Tier

__all__ = ["HeldTier", "period_of", "start_of_day_tiers"]

_DAY = dt.timedelta(days=1)
_YEAR = relativedelta(years=1)
_ZERO = Decimal(0)


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


class _Spend:
    """The qualifying spend of a ledger by date, summed once."""

    def __init__(self, membership: Membership, programme: Programme) -> None:
        pairs = sorted(
            (entry.on, entry.spend.amount)
            for entry in membership.entries
            if entry.spend is not None and entry.kind is not EntryKind.PENDING
        )
        self._programme = programme
        self._dates = [day for day, _ in pairs]
        self._sums = [_ZERO]
        for _, amount in pairs:
            self._sums.append(EXACT.add(self._sums[-1], amount))

    def _between(self, start: dt.date | None, end: dt.date) -> Decimal:
        high = bisect.bisect_right(self._dates, end)
        low = 0 if start is None else bisect.bisect_left(self._dates, start)
        if high <= low:
            return _ZERO
        return EXACT.subtract(self._sums[high], self._sums[low])

    def qualifying(self, day: dt.date, *, before: bool = False) -> Money:
        """The spend that qualifies on ``day`` (see ``qualifying_spend``);
        ``before``: counting only the entries dated before ``day``."""
        window = self._programme.window
        start: dt.date | None
        if window is QualificationWindow.ROLLING_12_MONTHS:
            start = day - _YEAR + _DAY
        elif window is QualificationWindow.CALENDAR_YEAR:
            start = dt.date(day.year, 1, 1)
        else:
            start = None
        amount = self._between(start, day)
        if before:
            amount = EXACT.subtract(amount, self._between(day, day))
        return trusted_money(amount, self._programme.currency)


def _days_to_evaluate(
    membership: Membership, programme: Programme, day: dt.date
) -> tuple[list[dt.date], set[dt.date]]:
    """The days the held tier may change, as a heap, and the period starts."""
    dates = [membership.enrolled_on]
    rolling = programme.window is QualificationWindow.ROLLING_12_MONTHS
    for entry in membership.entries:
        if entry.spend is None or entry.on > day or entry.kind is EntryKind.PENDING:
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


class HeldTier:
    """The tier held by spend, evaluated day by day up to a horizon.

    Upgrades take effect the day the spend reaches a threshold; downgrades at
    a period's start plus the grace days, unless the member re-qualified in
    between. The spend only changes on the days entries are dated, and, under
    a rolling window, the days a reversal (negative spend) leaves the window:
    those days, the period starts and the downgrade days are all the days
    evaluated.
    """

    def __init__(
        self, membership: Membership, programme: Programme, horizon: dt.date
    ) -> None:
        self._programme = programme
        self._rank = {tier.code: index for index, tier in enumerate(programme.tiers)}
        self._grace = dt.timedelta(days=programme.downgrade_grace_days)
        self._horizon = horizon
        self._spend = _Spend(membership, programme)
        self._queue, self._period_starts = _days_to_evaluate(
            membership, programme, horizon
        )
        self._seen: set[dt.date] = set()
        self.held = self.best = programme.tiers[0]
        self.pending: tuple[dt.date, Tier] | None = None
        self.changes = [(membership.enrolled_on, self.held)]

    def _higher(self, one: Tier, other: Tier) -> bool:
        return self._rank[one.code] > self._rank[other.code]

    def _evaluate(
        self, current: dt.date, *, before: bool, queue: list[dt.date] | None
    ) -> tuple[Tier, Tier, tuple[dt.date, Tier] | None]:
        """The state after ``current`` (held, best, pending downgrade)."""
        held, best, pending = self.held, self.best, self.pending
        tier_for = self._programme.tier_for_spend
        if current in self._period_starts:
            best = self._programme.tiers[0]
            evaluated = tier_for(self._spend.qualifying(current - _DAY))
            if self._higher(held, evaluated):
                pending = (current + self._grace, evaluated)
                if queue is not None and pending[0] <= self._horizon:
                    heapq.heappush(queue, pending[0])
        reached = tier_for(self._spend.qualifying(current, before=before))
        if self._higher(reached, best):
            best = reached
        if pending is not None and not self._higher(held, best):
            pending = None
        if pending is not None and current >= pending[0]:
            held = best if self._higher(best, pending[1]) else pending[1]
            pending = None
        if self._higher(best, held):
            held = best
        return held, best, pending

    def run_before(self, day: dt.date) -> None:
        """Evaluate every day to evaluate before ``day`` (all of them, up to
        the horizon, when ``day`` is after it)."""
        while self._queue and self._queue[0] < day:
            current = heapq.heappop(self._queue)
            if current in self._seen:
                continue
            self._seen.add(current)
            before = self.held
            self.held, self.best, self.pending = self._evaluate(
                current, before=False, queue=self._queue
            )
            if self.held != before:
                self.changes.append((current, self.held))

    def at_start_of(self, day: dt.date) -> Tier:
        """The tier held at the start of ``day``: evaluated on that day with
        the spend of the entries dated before it, every earlier day done
        (call :meth:`run_before` first). Evaluating a day on which nothing
        changes changes nothing, so every day may be asked."""
        held, _, _ = self._evaluate(day, before=True, queue=None)
        return held


def start_of_day_tiers(
    membership: Membership, programme: Programme, days: Iterable[dt.date]
) -> dict[dt.date, Tier]:
    """The tier in effect at the start of each of ``days``: the account
    manager's override of that day, else the tier held by the spend of the
    documents dated before it (the first tier before the enrolment)."""
    wanted = sorted(set(days))
    if not wanted:
        return {}
    engine = HeldTier(membership, programme, wanted[-1])
    tiers: dict[dt.date, Tier] = {}
    for day in wanted:
        override = membership.override_on(day)
        if override is not None and override.tier is not None:
            tiers[day] = programme.tier(override.tier)
            continue
        if day < membership.enrolled_on:
            tiers[day] = programme.tiers[0]
            continue
        engine.run_before(day)
        tiers[day] = engine.at_start_of(day)
    return tiers
