"""Spending points: redemptions (oldest usable lots first, never beyond what is
available) and manual adjustments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from loyalty_builders import AT, bill, credit, earn, member, note, programme, source

from kamcore.errors import PolicyViolationError, ValidationError
from kamcore.kernel import ProposalId
from kamcore.loyalty import (
    EntryKind,
    LotDraw,
    Membership,
    Programme,
    Reservation,
    adjust_points,
    redeem_points,
    reverse_credit_note,
)

LP = programme(expiry=relativedelta(months=24))
A_EARNED = dt.date(2024, 1, 10)
B_EARNED = dt.date(2024, 6, 10)
A_EXPIRES = dt.date(2026, 1, 10)


def two_lots(lp: Programme = LP) -> Membership:
    """Lot 1: 100 points earned 2024-01-10; lot 2: 50 points earned 2024-06-10."""
    ms = earn(member(enrolled=dt.date(2024, 1, 1)), lp, bill("i-a", A_EARNED, "100.00"))
    return earn(ms, lp, bill("i-b", B_EARNED, "50.00"))


def redeem(
    ms: Membership, points: str, on: dt.date, paying: str = "i-9", **kw: bool
) -> Membership:
    return redeem_points(
        ms, LP, points=Decimal(points), on=on, source=source(paying), at=AT, **kw
    )


def adjust(
    ms: Membership, points: object, on: dt.date, reference: str = "adj-1"
) -> Membership:
    return adjust_points(
        ms,
        LP,
        points=points,  # type: ignore[arg-type] # some tests pass a wrong type
        on=on,
        reference=reference,
        reason="goodwill",
        at=AT,
    )


# -- redemption ------------------------------------------------------------------


def test_a_redemption_takes_the_oldest_lots_first() -> None:
    ms = redeem(two_lots(), "120", dt.date(2025, 1, 1))
    redemption = ms.entries[-1]
    assert redemption.kind is EntryKind.REDEEM
    assert redemption.points == Decimal(-120)
    assert redemption.draws == (
        LotDraw(lot=1, points=Decimal(100)),
        LotDraw(lot=2, points=Decimal(20)),
    )
    assert redemption.key == "redeem:invoice:i-9"
    assert ms.balance() == Decimal(30)


def test_a_redemption_skips_expired_lots_before_the_expiry_run() -> None:
    ms = redeem(two_lots(), "40", A_EXPIRES)
    assert ms.entries[-1].draws == (LotDraw(lot=2, points=Decimal(40)),)


def test_expired_points_not_yet_written_off_cannot_be_redeemed() -> None:
    with pytest.raises(PolicyViolationError) as caught:
        redeem(two_lots(), "60", A_EXPIRES)
    assert "60 points asked, 50 available on 2026-01-10" in str(caught.value)


def test_a_redemption_beyond_the_balance_is_refused() -> None:
    ms = two_lots()
    with pytest.raises(PolicyViolationError) as caught:
        redeem(ms, "151", dt.date(2025, 1, 1))
    assert caught.value.value == Decimal(151)
    assert redeem(ms, "150", dt.date(2025, 1, 1)).balance() == Decimal(0)


def test_points_held_on_proposals_are_not_available() -> None:
    held = Reservation(
        proposal=ProposalId("pr-1"),
        points=Decimal(100),
        rate=LP.redemption_rate,
        reserved_on=dt.date(2024, 12, 1),
    )
    ms = attrs.evolve(two_lots(), reservations=(held,))
    with pytest.raises(PolicyViolationError):
        redeem(ms, "51", dt.date(2025, 1, 1))
    assert redeem(ms, "50", dt.date(2025, 1, 1)).balance() == Decimal(100)
    # Committing the reservation itself may use the points it holds.
    committed = redeem(ms, "150", dt.date(2025, 1, 1), from_reservation=True)
    assert committed.balance() == Decimal(0)


def test_a_redemption_cannot_take_what_a_later_one_took() -> None:
    ms = redeem(two_lots(), "150", dt.date(2025, 3, 1), paying="i-8")
    with pytest.raises(PolicyViolationError):
        redeem(ms, "10", dt.date(2025, 2, 1))


def test_a_redemption_cannot_take_points_earned_after_it() -> None:
    with pytest.raises(PolicyViolationError):
        redeem(two_lots(), "120", dt.date(2024, 3, 1))


def test_redeeming_for_the_same_invoice_twice_redeems_once() -> None:
    once = redeem(two_lots(), "30", dt.date(2025, 1, 1))
    assert redeem(once, "30", dt.date(2025, 1, 1)) == once


@pytest.mark.parametrize("points", ["0", "-5", "1.5"])
def test_redeemed_points_are_positive_whole_points(points: str) -> None:
    with pytest.raises(ValidationError) as caught:
        redeem(two_lots(), points, dt.date(2025, 1, 1))
    assert [f.path for f in caught.value.errors] == ["points"]


def test_redeemed_points_follow_the_point_places() -> None:
    lp = programme(point_places=2)
    ms = redeem_points(
        two_lots(lp),
        lp,
        points=Decimal("0.05"),
        on=dt.date(2025, 1, 1),
        source=source("i-9"),
        at=AT,
    )
    assert ms.balance() == Decimal("149.95")


# -- adjustments -----------------------------------------------------------------


def test_a_positive_adjustment_is_a_new_lot() -> None:
    ms = adjust(two_lots(), Decimal(25), dt.date(2025, 1, 1))
    entry = ms.entries[-1]
    assert (entry.kind, entry.points, entry.note) == (
        EntryKind.ADJUST,
        Decimal(25),
        "goodwill",
    )
    assert entry.expires_on == dt.date(2027, 1, 1)
    assert entry.key == "adjust:adj-1"
    assert [lot.points for lot in ms.lots()] == [
        Decimal(100),
        Decimal(50),
        Decimal(25),
    ]
    assert ms.balance() == Decimal(175)


def test_a_negative_adjustment_takes_the_oldest_lots_first() -> None:
    ms = adjust(two_lots(), Decimal(-110), dt.date(2025, 1, 1))
    assert ms.entries[-1].draws == (
        LotDraw(lot=1, points=Decimal(100)),
        LotDraw(lot=2, points=Decimal(10)),
    )
    assert ms.balance() == Decimal(40)


def test_a_negative_adjustment_beyond_the_balance_is_refused() -> None:
    with pytest.raises(PolicyViolationError):
        adjust(two_lots(), Decimal(-151), dt.date(2025, 1, 1))


def test_a_positive_adjustment_pays_back_owed_points() -> None:
    invoice = bill("i-1", A_EARNED, "100.00")
    ms = earn(member(enrolled=dt.date(2024, 1, 1)), LP, invoice)
    ms = redeem(ms, "100", dt.date(2024, 2, 1))
    invoice = credit(invoice, "cn-1", dt.date(2024, 3, 1), "50.00")
    ms = reverse_credit_note(ms, LP, invoice, note(invoice, "cn-1"), at=AT)
    assert ms.owed() == Decimal(50)
    ms = adjust(ms, Decimal(80), dt.date(2024, 4, 1))
    assert ms.entries[-1].kind is EntryKind.CLAW_BACK
    assert (ms.balance(), ms.owed()) == (Decimal(30), Decimal(0))


def test_adjusting_twice_with_one_reference_adjusts_once() -> None:
    once = adjust(two_lots(), Decimal(10), dt.date(2025, 1, 1))
    assert adjust(once, Decimal(10), dt.date(2025, 1, 1)) == once


@pytest.mark.parametrize("points", [Decimal(0), Decimal("0.5"), 5, 2.5])
def test_adjusted_points_are_whole_nonzero_decimals(points: object) -> None:
    with pytest.raises(ValidationError) as caught:
        adjust(two_lots(), points, dt.date(2025, 1, 1))
    assert [f.path for f in caught.value.errors] == ["points"]


def test_an_adjustment_needs_a_reason_and_a_reference() -> None:
    with pytest.raises(ValidationError) as caught:
        adjust_points(
            two_lots(),
            LP,
            points=Decimal(5),
            on=dt.date(2025, 1, 1),
            reference=" ",
            reason="",
            at=AT,
        )
    assert [f.path for f in caught.value.errors] == ["reference", "reason"]
