"""Expiry: each lot on its own anchored date, dated on that day, run once;
and the warnings before it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from loyalty_builders import AT, bill, earn, member, programme, source

from kamcore.loyalty import (
    EntryKind,
    LotDraw,
    Membership,
    NoticeKind,
    expire_points,
    expiry_events,
    redeem_points,
)

LP = programme(expiry=relativedelta(months=24), expiry_warning_days=30)
A_EARNED = dt.date(2024, 1, 10)
B_EARNED = dt.date(2024, 6, 10)
A_EXPIRES = dt.date(2026, 1, 10)
B_EXPIRES = dt.date(2026, 6, 10)


def two_lots() -> Membership:
    """Lot 1: 100 points earned 2024-01-10; lot 2: 50 points earned 2024-06-10."""
    ms = earn(member(enrolled=dt.date(2024, 1, 1)), LP, bill("i-a", A_EARNED, "100.00"))
    return earn(ms, LP, bill("i-b", B_EARNED, "50.00"))


def expire(ms: Membership, as_of: dt.date) -> Membership:
    return expire_points(ms, LP, as_of=as_of, at=AT)


def test_lots_expire_after_the_programme_expiry() -> None:
    assert [lot.expires_on for lot in two_lots().lots()] == [A_EXPIRES, B_EXPIRES]


def test_nothing_expires_the_day_before() -> None:
    ms = two_lots()
    assert expire(ms, A_EXPIRES - dt.timedelta(days=1)) == ms


def test_the_oldest_lot_expires_on_its_expiry_day() -> None:
    ms = expire(two_lots(), A_EXPIRES)
    expiry = ms.entries[-1]
    assert expiry.kind is EntryKind.EXPIRE
    assert (expiry.points, expiry.on) == (Decimal(-100), A_EXPIRES)
    assert expiry.draws == (LotDraw(lot=1, points=Decimal(100)),)
    assert expiry.key == "expire:lot:1"
    assert ms.balance() == Decimal(50)
    assert [lot.remaining for lot in ms.lots()] == [Decimal(0), Decimal(50)]


def test_a_late_run_dates_each_expiry_on_its_day() -> None:
    ms = expire(two_lots(), dt.date(2026, 9, 1))
    assert [(e.on, e.points) for e in ms.entries[2:]] == [
        (A_EXPIRES, Decimal(-100)),
        (B_EXPIRES, Decimal(-50)),
    ]
    assert ms.balance(A_EXPIRES - dt.timedelta(days=1)) == Decimal(150)
    assert ms.balance(A_EXPIRES) == Decimal(50)
    assert ms.balance(B_EXPIRES) == Decimal(0)


def test_only_what_is_left_of_a_lot_expires() -> None:
    ms = redeem_points(
        two_lots(),
        LP,
        points=Decimal(30),
        on=dt.date(2025, 1, 1),
        source=source("i-9"),
        at=AT,
    )
    ms = expire(ms, A_EXPIRES)
    assert ms.entries[-1].points == Decimal(-70)
    assert ms.balance() == Decimal(50)


def test_running_the_expiry_again_changes_nothing() -> None:
    once = expire(two_lots(), dt.date(2026, 9, 1))
    assert expire(once, dt.date(2026, 9, 1)) == once
    assert expire(once, dt.date(2027, 1, 1)) == once


def test_points_that_never_expire_stay() -> None:
    lp = programme()
    ms = earn(member(), lp, bill("i-1", dt.date(2025, 2, 1), "10.00"))
    assert expire_points(ms, lp, as_of=dt.date(2099, 1, 1), at=AT) == ms


# -- warnings ----------------------------------------------------------------------


def test_points_expiring_soon_are_told_once_per_lot() -> None:
    ms = two_lots()
    quiet, events = expiry_events(ms, LP, as_of=dt.date(2025, 12, 10), at=AT)
    assert (quiet, events) == (ms, ())
    told, events = expiry_events(ms, LP, as_of=dt.date(2025, 12, 11), at=AT)
    assert [(e.lot.number, e.points) for e in events] == [(1, Decimal(100))]
    assert [(n.kind, n.subject) for n in told.notices] == [
        (NoticeKind.EXPIRY_WARNING, "lot-1")
    ]
    again, events = expiry_events(told, LP, as_of=dt.date(2025, 12, 20), at=AT)
    assert (again, events) == (told, ())


def test_an_expiry_warning_tells_what_the_lot_still_holds() -> None:
    # A redemption dated after the run has already taken its points.
    ms = redeem_points(
        two_lots(),
        LP,
        points=Decimal(40),
        on=dt.date(2025, 12, 20),
        source=source("i-9"),
        at=AT,
    )
    _, events = expiry_events(ms, LP, as_of=dt.date(2025, 12, 15), at=AT)
    assert [(e.lot.number, e.points) for e in events] == [(1, Decimal(60))]


def test_an_expired_or_empty_lot_is_not_told() -> None:
    ms = expire(two_lots(), A_EXPIRES)
    _, events = expiry_events(ms, LP, as_of=A_EXPIRES, at=AT)
    assert events == ()
