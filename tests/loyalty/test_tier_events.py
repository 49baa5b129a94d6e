"""Tier news: an upgrade told once per tier and period, a downgrade warned of
inside the warning window only."""

from __future__ import annotations

import datetime as dt

from loyalty_builders import AT, ENROLLED, bill, earn, eur, member, programme

from kamcore.kernel import DateRange
from kamcore.loyalty import (
    Membership,
    NoticeKind,
    Programme,
    QualificationWindow,
    TierEvent,
    tier_events,
)

CALENDAR = programme(window=QualificationWindow.CALENDAR_YEAR)
GRACE = programme(window=QualificationWindow.CALENDAR_YEAR, downgrade_grace_days=30)
LIFETIME = programme(window=QualificationWindow.LIFETIME)
YEAR_2025 = DateRange(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
YEAR_2026 = DateRange(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def spent(lp: Programme, *invoices: tuple[dt.date, str]) -> Membership:
    ms = member()
    for number, (day, amount) in enumerate(invoices):
        ms = earn(ms, lp, bill(f"i-{number}", day, amount))
    return ms


def news(
    ms: Membership, lp: Programme, day: dt.date
) -> tuple[Membership, list[tuple[NoticeKind, str]]]:
    told, events = tier_events(ms, lp, as_of=day, at=AT)
    return told, [(e.kind, e.tier.code) for e in events]


def test_an_upgrade_is_told_once() -> None:
    ms = spent(CALENDAR, (dt.date(2025, 3, 1), "10000.00"))
    _, before = news(ms, CALENDAR, dt.date(2025, 2, 28))
    assert before == []
    told, events = tier_events(ms, CALENDAR, as_of=dt.date(2025, 3, 1), at=AT)
    assert events == (
        TierEvent(
            kind=NoticeKind.UPGRADE,
            tier=CALENDAR.tier("gold"),
            on=dt.date(2025, 3, 1),
            period=YEAR_2025,
            spend=eur("10000.00"),
        ),
    )
    assert [(n.kind, n.subject, n.period_start, n.sent_at) for n in told.notices] == [
        (NoticeKind.UPGRADE, "gold", dt.date(2025, 1, 1), AT)
    ]
    again, repeated = news(told, CALENDAR, dt.date(2025, 3, 2))
    assert (again, repeated) == (told, [])


def test_each_tier_is_told_once_per_period_however_often_it_runs() -> None:
    ms = spent(
        CALENDAR, (dt.date(2025, 3, 1), "10000.00"), (dt.date(2025, 5, 1), "40000.00")
    )
    told: list[tuple[dt.date, str]] = []
    day = dt.date(2025, 1, 15)
    while day <= dt.date(2025, 12, 31):
        ms, events = news(ms, CALENDAR, day)
        told += [(day, code) for _, code in events]
        day += dt.timedelta(days=7)
    assert told == [(dt.date(2025, 3, 5), "gold"), (dt.date(2025, 5, 7), "platinum")]


def test_a_tier_kept_into_the_next_period_is_not_told_again() -> None:
    ms = spent(CALENDAR, (dt.date(2025, 3, 1), "10000.00"))
    ms, _ = news(ms, CALENDAR, dt.date(2025, 3, 1))
    assert news(ms, CALENDAR, dt.date(2026, 2, 1))[1] == []


def test_an_upgrade_on_the_first_day_of_a_period_is_told() -> None:
    ms = spent(CALENDAR, (dt.date(2026, 1, 1), "10000.00"))
    told, events = news(ms, CALENDAR, dt.date(2026, 1, 1))
    assert events == [(NoticeKind.UPGRADE, "gold")]
    assert told.notices[0].period_start == dt.date(2026, 1, 1)


def test_regaining_a_tier_lost_in_the_period_is_told() -> None:
    # Gold for 2025 and 2026, lost on 2027-01-31 (after the grace), regained.
    ms = spent(
        GRACE, (dt.date(2025, 3, 1), "10000.00"), (dt.date(2027, 3, 1), "10000.00")
    )
    ms, _ = news(ms, GRACE, dt.date(2025, 3, 1))
    assert news(ms, GRACE, dt.date(2027, 2, 15))[1] == []
    assert news(ms, GRACE, dt.date(2027, 3, 1))[1] == [(NoticeKind.UPGRADE, "gold")]


def test_a_downgrade_is_warned_of_inside_the_warning_window_only() -> None:
    # Gold earned in 2025 holds through 2026; 2 000.00 spent in 2026 will not
    # keep it for 2027. The window is the 30 days before 2026-12-31.
    ms = spent(
        CALENDAR, (dt.date(2025, 3, 1), "10000.00"), (dt.date(2026, 6, 1), "2000.00")
    )
    ms, _ = news(ms, CALENDAR, dt.date(2025, 3, 1))
    assert news(ms, CALENDAR, dt.date(2026, 11, 30))[1] == []
    told, events = tier_events(ms, CALENDAR, as_of=dt.date(2026, 12, 1), at=AT)
    assert events == (
        TierEvent(
            kind=NoticeKind.DOWNGRADE_WARNING,
            tier=CALENDAR.tier("gold"),
            on=dt.date(2026, 12, 1),
            period=YEAR_2026,
            spend=eur("2000.00"),
            needed=eur("8000.00"),
        ),
    )
    assert news(told, CALENDAR, dt.date(2026, 12, 20)) == (told, [])


def test_no_warning_when_the_spend_keeps_the_tier() -> None:
    ms = spent(
        CALENDAR, (dt.date(2025, 3, 1), "10000.00"), (dt.date(2026, 6, 1), "10000.00")
    )
    ms, _ = news(ms, CALENDAR, dt.date(2025, 3, 1))
    assert news(ms, CALENDAR, dt.date(2026, 12, 15))[1] == []


def test_the_first_tier_is_never_warned_of() -> None:
    assert news(member(), CALENDAR, dt.date(2025, 12, 15))[1] == []


def test_a_lifetime_tier_is_never_warned_of() -> None:
    ms = spent(LIFETIME, (dt.date(2025, 3, 1), "10000.00"))
    ms, events = news(ms, LIFETIME, dt.date(2025, 3, 1))
    assert events == [(NoticeKind.UPGRADE, "gold")]
    assert ms.notices[0].period_start == ENROLLED
    assert news(ms, LIFETIME, dt.date(2040, 12, 31))[1] == []
