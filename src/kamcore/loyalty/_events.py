"""What a membership's members and managers must be told, each thing once.

The engine decides *what* happened (an upgrade, a downgrade coming, points about
to expire) and records that it was told in the membership's notices, so a run
repeated, or a tier that flickers within a period, tells nobody twice. The
services turn these events into notifications through the notifier port.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from kamcore.kernel import DateRange, Money
from kamcore.loyalty._ledger import Lot
from kamcore.loyalty._membership import Membership, NoticeKind, TierNotice
from kamcore.loyalty._programme import Programme, Tier
from kamcore.loyalty._tiers import held_changes, spend_needed, tier_on

__all__ = ["ExpiryEvent", "TierEvent", "expiry_events", "tier_events"]

_DAY = dt.timedelta(days=1)


@attrs.frozen(kw_only=True)
class TierEvent:
    """An upgrade, or the warning that a downgrade is coming.

    Attributes:
        kind: :attr:`NoticeKind.UPGRADE` or :attr:`NoticeKind.DOWNGRADE_WARNING`.
        tier: The tier reached (upgrade) or at risk (warning).
        on: The date it was found.
        period: The qualification period it belongs to.
        spend: The qualifying spend on ``on``.
        needed: For a warning, what must still be spent by the period's end
            to keep the tier.
    """

    kind: NoticeKind
    tier: Tier
    on: dt.date
    period: DateRange
    spend: Money
    needed: Money | None = None


@attrs.frozen(kw_only=True)
class ExpiryEvent:
    """Points of one lot about to expire.

    Attributes:
        lot: The lot, as of the run date.
        points: The points that will expire (what the lot has left).
    """

    lot: Lot
    points: Decimal


def tier_events(
    membership: Membership, programme: Programme, *, as_of: dt.date, at: dt.datetime
) -> tuple[Membership, tuple[TierEvent, ...]]:
    """The tier news of ``as_of`` not told yet, and the membership recording it.

    * **Upgrade** ("benefits unlocked"): the tier held by spend is above the
      lowest one held since the current period began (the tier brought into
      it, or the one a downgrade left in it); told once per tier and period.
    * **Downgrade warning**: within the programme's warning days before the
      period ends, the spend recorded so far would not keep the tier held;
      told once per tier and period, with the spend still needed.
    """
    standing = tier_on(membership, programme, as_of)
    period = standing.period
    start = period.start if period.start is not None else membership.enrolled_on
    held = standing.held
    events: list[TierEvent] = []
    notices: list[TierNotice] = []
    lowest = _lowest_since(membership, programme, start, as_of)
    if programme.rank(held.code) > programme.rank(lowest.code) and not (
        membership.notified(NoticeKind.UPGRADE, held.code, start)
    ):
        events.append(
            TierEvent(
                kind=NoticeKind.UPGRADE,
                tier=held,
                on=as_of,
                period=period,
                spend=standing.spend,
            )
        )
        notices.append(
            TierNotice(
                kind=NoticeKind.UPGRADE,
                subject=held.code,
                period_start=start,
                sent_at=at,
            )
        )
    end = period.end
    warn_from = (
        None
        if end is None
        else end - dt.timedelta(days=programme.downgrade_warning_days)
    )
    if (
        warn_from is not None
        and warn_from <= as_of
        and programme.rank(held.code) > 0
        and not membership.notified(NoticeKind.DOWNGRADE_WARNING, held.code, start)
    ):
        needed = spend_needed(membership, programme, held.code, as_of=as_of)
        if needed.is_positive():
            events.append(
                TierEvent(
                    kind=NoticeKind.DOWNGRADE_WARNING,
                    tier=held,
                    on=as_of,
                    period=period,
                    spend=standing.spend,
                    needed=needed,
                )
            )
            notices.append(
                TierNotice(
                    kind=NoticeKind.DOWNGRADE_WARNING,
                    subject=held.code,
                    period_start=start,
                    sent_at=at,
                )
            )
    if not notices:
        return membership, ()
    told = attrs.evolve(membership, notices=(*membership.notices, *notices))
    return told, tuple(events)


def _lowest_since(
    membership: Membership, programme: Programme, start: dt.date, day: dt.date
) -> Tier:
    """The lowest tier held by spend from the day before ``start`` to ``day``."""
    changes = held_changes(membership, programme, day)
    before = [tier for on, tier in changes if on < start]
    held = [before[-1] if before else programme.tiers[0]]
    held += [tier for on, tier in changes if start <= on <= day]
    return min(held, key=lambda tier: programme.rank(tier.code))


def expiry_events(
    membership: Membership, programme: Programme, *, as_of: dt.date, at: dt.datetime
) -> tuple[Membership, tuple[ExpiryEvent, ...]]:
    """Lots expiring within the programme's warning days after ``as_of``, not
    told yet (once per lot), and the membership recording it.

    The points told are what the lot still holds after every draw written so
    far (a redemption dated later has already taken its points).
    """
    horizon = as_of + dt.timedelta(days=programme.expiry_warning_days)
    events: list[ExpiryEvent] = []
    notices: list[TierNotice] = []
    for lot in membership.lots():
        if lot.earned_on > as_of or lot.expires_on is None or lot.remaining <= 0:
            continue
        if not as_of < lot.expires_on <= horizon:
            continue
        subject = f"lot-{lot.number}"
        if membership.notified(NoticeKind.EXPIRY_WARNING, subject, lot.expires_on):
            continue
        events.append(ExpiryEvent(lot=lot, points=lot.remaining))
        notices.append(
            TierNotice(
                kind=NoticeKind.EXPIRY_WARNING,
                subject=subject,
                period_start=lot.expires_on,
                sent_at=at,
            )
        )
    if not notices:
        return membership, ()
    told = attrs.evolve(membership, notices=(*membership.notices, *notices))
    return told, tuple(events)
