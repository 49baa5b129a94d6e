"""Corrections that meet points already redeemed: the redemption draws on the
member's other lots, as it would have had the documents been posted in date
order; points no lot can give follow the programme's reversal policy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from loyalty_builders import AT, bill, credit, member, programme, source

from kamcore.errors import PolicyViolationError
from kamcore.loyalty import (
    EntryKind,
    Membership,
    Programme,
    ReversalPolicy,
    redeem_points,
    sync_invoice,
)

JAN_20, FEB_1 = dt.date(2025, 1, 20), dt.date(2025, 2, 1)
MAR_1, MAR_5, MAR_10 = dt.date(2025, 3, 1), dt.date(2025, 3, 5), dt.date(2025, 3, 10)
REFUSING = programme(reversal=ReversalPolicy.REFUSE)
CLAWING = programme(reversal=ReversalPolicy.CLAW_BACK)

C = bill("c", JAN_20, "1000.00")
A = bill("a", FEB_1, "9000.00")  # 10,000.00 EUR of spend: gold from February 1
B = bill("b", MAR_1, "1000.00")  # 1,500 points as gold
D = bill("d", MAR_5, "2000.00")  # 3,000 points: gold again since b
A_CREDITED = credit(A, "cn-a", FEB_1, "1.00")  # so gold was never reached


def sync(ms: Membership, lp: Programme, *invoices: object) -> Membership:
    for invoice in invoices:
        ms = sync_invoice(ms, lp, invoice, categories={}, at=AT)  # type: ignore[arg-type]
    return ms


def redeem(ms: Membership, lp: Programme, points: str) -> Membership:
    return redeem_points(
        ms, lp, points=Decimal(points), on=MAR_10, source=source("r-1"), at=AT
    )


def lots(ms: Membership) -> list[tuple[str, Decimal]]:
    return [(lot.source.id, lot.remaining) for lot in ms.lots() if lot.remaining]


def test_a_redemption_draws_on_other_lots_when_its_lot_turns_out_smaller() -> None:
    # 11,000 points redeemed on March 10: lots c, a, then 1,000 of b's 1,500.
    before = redeem(sync(member(), REFUSING, C, A, B, D), REFUSING, "11000")
    # a's credit note, dated February 1, means b earned as silver.
    after = sync(before, REFUSING, A_CREDITED)
    in_date_order = redeem(
        sync(member(), REFUSING, C, A_CREDITED, B, D), REFUSING, "11000"
    )
    assert lots(after) == lots(in_date_order) == [("d", Decimal(2999))]
    assert after.balance() == in_date_order.balance() == Decimal(2999)
    moved = [e for e in after.entries if e.kind is EntryKind.CORRECT and e.points == 0]
    assert {after.entries[e.corrects - 1].key for e in moved if e.corrects} == {
        "redeem:invoice:r-1"
    }
    assert all(e.on == MAR_10 for e in moved)


def test_points_a_correction_finds_spent_are_owed_under_claw_back() -> None:
    # Everything redeemed: nothing left to give b's 500 points back from.
    spent = redeem(sync(member(), CLAWING, C, A, B), CLAWING, "11500")
    after = sync(spent, CLAWING, A_CREDITED)
    assert after.balance() == Decimal(0)
    assert after.owed() == Decimal(501)  # 1 for the credit note, 500 for b
    correction = after.entries[-1]
    assert (correction.kind, correction.points, correction.owed, correction.on) == (
        EntryKind.CORRECT,
        Decimal(0),
        Decimal(500),
        MAR_1,
    )


def test_a_posting_whose_correction_finds_points_spent_is_refused_under_refuse() -> (
    None
):
    spent = redeem(sync(member(), REFUSING, C, A, B), REFUSING, "11500")
    # The credit note on a is small enough for a's own lot... but not b's.
    with pytest.raises(PolicyViolationError, match="already spent"):
        sync(spent, REFUSING, A_CREDITED)
