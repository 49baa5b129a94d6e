"""A cancelled invoice puts the points redeemed on it back where they came from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from loyalty_builders import AT, bill, credit, earn, member, programme

from kamcore.accounts import LineItem
from kamcore.kernel import ManagerId, Money, ProductId, ProposalId
from kamcore.loyalty import (
    EntryKind,
    LotDraw,
    Membership,
    Programme,
    ReservationStatus,
    adjust_points,
    cancellation_note,
    earning_basis,
    expire_points,
    redeem_on_invoice,
    reservation_on,
    reserve_on_proposal,
    reverse_credit_note,
    sync_invoice,
)
from kamcore.proposals import (
    Proposal,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)

FEB_1, MAR_1 = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
MAR_15, APR_1, APR_10 = dt.date(2026, 3, 15), dt.date(2026, 4, 1), dt.date(2026, 4, 10)
YEARLY = programme(expiry=relativedelta(months=12))
TWO_MONTHS = programme(expiry=relativedelta(months=2))


def two_lots(lp: Programme) -> Membership:
    """1,000 points earned on February 1 (lot 1), 500 on March 1 (lot 2)."""
    first = earn(member(), lp, bill("a", FEB_1, "1000.00"))
    return earn(first, lp, bill("b", MAR_1, "500.00"))


def redeemed_then_cancelled(
    lp: Programme, issued: dt.date, cancelled_on: dt.date
) -> tuple[Membership, Membership]:
    """1,200 points redeemed on invoice x (2,000.00 EUR), which is posted and
    then cancelled: the membership before the cancellation and after it."""
    redeemed, deducted = redeem_on_invoice(
        two_lots(lp), lp, bill("x", issued, "2000.00"), at=AT, points=Decimal(1200)
    )
    posted = sync_invoice(redeemed, lp, deducted, categories={}, at=AT)
    cancelled = deducted.cancel(on=cancelled_on)
    return posted, sync_invoice(posted, lp, cancelled, categories={}, at=AT)


def test_a_cancelled_invoice_returns_its_redeemed_points_to_their_lots() -> None:
    posted, cancelled = redeemed_then_cancelled(YEARLY, APR_1, APR_10)
    added = cancelled.entries[len(posted.entries) :]
    assert [(e.kind, e.points, e.on, e.returns) for e in added] == [
        (EntryKind.REVERSE, Decimal(-1988), APR_10, ()),
        (
            EntryKind.RETURN,
            Decimal(1000),
            APR_10,
            (LotDraw(lot=1, points=Decimal(1000)),),
        ),
        (
            EntryKind.RETURN,
            Decimal(200),
            APR_10,
            (LotDraw(lot=2, points=Decimal(200)),),
        ),
    ]
    assert [e.key for e in added[1:]] == [
        "return:invoice:x:lot:1",
        "return:invoice:x:lot:2",
    ]


def test_the_returned_points_keep_their_lots_earn_and_expiry_dates() -> None:
    _, cancelled = redeemed_then_cancelled(YEARLY, APR_1, APR_10)
    assert [
        (lot.number, lot.earned_on, lot.expires_on, lot.remaining)
        for lot in cancelled.lots()
        if lot.remaining > 0
    ] == [
        (1, FEB_1, dt.date(2027, 2, 1), Decimal(1000)),
        (2, MAR_1, dt.date(2027, 3, 1), Decimal(500)),
    ]
    assert (cancelled.balance(APR_1), cancelled.balance(APR_10)) == (
        Decimal(2288),  # 1,500 - 1,200 redeemed + 1,988 earned on x
        Decimal(1500),
    )


def test_posting_the_cancelled_invoice_again_returns_nothing_more() -> None:
    redeemed, deducted = redeem_on_invoice(
        two_lots(YEARLY),
        YEARLY,
        bill("x", APR_1, "2000.00"),
        at=AT,
        points=Decimal(1200),
    )
    cancelled = deducted.cancel(on=APR_10)
    once = sync_invoice(redeemed, YEARLY, cancelled, categories={}, at=AT)
    assert sync_invoice(once, YEARLY, cancelled, categories={}, at=AT) is once


def test_points_returned_to_an_expired_lot_expire_on_the_cancellation_date() -> None:
    # Lot 1 (February 1) expires on April 1, before the cancellation.
    posted, cancelled = redeemed_then_cancelled(TWO_MONTHS, MAR_15, APR_10)
    added = cancelled.entries[len(posted.entries) :]
    assert [(e.kind, e.points, e.on, e.key) for e in added[1:]] == [
        (EntryKind.RETURN, Decimal(1000), APR_10, "return:invoice:x:lot:1"),
        (EntryKind.EXPIRE, Decimal(-1000), APR_10, "expire:return:invoice:x:lot:1"),
        (EntryKind.RETURN, Decimal(200), APR_10, "return:invoice:x:lot:2"),
    ]
    assert cancelled.balance(APR_10) == Decimal(500)
    assert [(lot.number, lot.remaining) for lot in cancelled.lots()][:2] == [
        (1, Decimal(0)),
        (2, Decimal(500)),
    ]


def test_the_expiry_run_does_not_expire_the_returned_points_twice() -> None:
    _, cancelled = redeemed_then_cancelled(TWO_MONTHS, MAR_15, APR_10)
    run = expire_points(cancelled, TWO_MONTHS, as_of=dt.date(2026, 5, 1), at=AT)
    assert [(e.key, e.points, e.on) for e in run.entries[len(cancelled.entries) :]] == [
        ("expire:lot:2", Decimal(-500), dt.date(2026, 5, 1)),
    ]


def offer() -> Proposal:
    return Proposal(
        id=ProposalId("pr-1"),
        client=member().client,
        purpose=ProposalPurpose.EXPANSION,
        currency="EUR",
        revisions=(
            ProposalRevision(
                number=1,
                lines=(
                    LineItem(
                        product=ProductId("p-0"),
                        quantity=Decimal(1),
                        unit_price=Money("2000.00", "EUR"),
                    ),
                ),
                pricing_date=MAR_15,
                note="first offer",
                recorded_at=AT,
                recorded_by=ManagerId("m-1"),
            ),
        ),
        status=ProposalStatus.SENT,
    )


def test_the_reservation_committed_on_a_cancelled_invoice_is_released() -> None:
    held = reserve_on_proposal(
        two_lots(YEARLY), YEARLY, offer(), points=Decimal(1200), on=MAR_15
    )
    committed, deducted = redeem_on_invoice(
        held, YEARLY, bill("x", APR_1, "2000.00"), at=AT, proposal=ProposalId("pr-1")
    )
    cancelled = sync_invoice(
        committed, YEARLY, deducted.cancel(on=APR_10), categories={}, at=AT
    )
    reservation = reservation_on(cancelled, ProposalId("pr-1"))
    assert reservation is not None
    assert (reservation.status, reservation.invoice) == (
        ReservationStatus.RELEASED,
        "x",
    )
    assert (cancelled.held(), cancelled.available(APR_10)) == (
        Decimal(0),
        Decimal(1500),
    )


def test_a_ledger_that_gave_the_points_back_as_a_new_lot_is_left_as_it_was() -> None:
    # Before points went back to their lots, a cancellation gave them back as
    # an adjustment: such a stored ledger is not given them a second time.
    redeemed, deducted = redeem_on_invoice(
        two_lots(YEARLY),
        YEARLY,
        bill("x", APR_1, "2000.00"),
        at=AT,
        points=Decimal(1200),
    )
    posted = sync_invoice(redeemed, YEARLY, deducted, categories={}, at=AT)
    cancelled = deducted.cancel(on=APR_10)
    note = cancellation_note(cancelled, APR_10)
    credited = earning_basis(deducted).with_credit_note(note)
    old = reverse_credit_note(posted, YEARLY, credited, note, at=AT)
    old = adjust_points(
        old,
        YEARLY,
        points=Decimal(1200),
        on=APR_10,
        reference="cancelled:invoice:x",
        reason="points redeemed on invoice x, cancelled",
        at=AT,
    )
    assert sync_invoice(old, YEARLY, cancelled, categories={}, at=AT) is old


def test_a_redemption_moved_by_a_back_dated_credit_note_goes_back_where_it_moved() -> (
    None
):
    # 1,000 points redeemed on x (April 1) drew all of lot 1. A credit note of
    # 300.00 on invoice a, dated March 15, takes 300 points back from lot 1:
    # the redemption moves 300 of its points onto lot 2 (never onto lot 3, the
    # points x itself earned). Cancelling x gives 700 back to lot 1 and 300 to
    # lot 2, where the redemption holds them.
    redeemed, deducted = redeem_on_invoice(
        two_lots(YEARLY),
        YEARLY,
        bill("x", APR_1, "2000.00"),
        at=AT,
        points=Decimal(1000),
    )
    posted = sync_invoice(redeemed, YEARLY, deducted, categories={}, at=AT)
    credited = sync_invoice(
        posted,
        YEARLY,
        credit(bill("a", FEB_1, "1000.00"), "cn-a", MAR_15, "300.00"),
        categories={},
        at=AT,
    )
    [moved] = [e for e in credited.entries if e.kind is EntryKind.CORRECT]
    assert (moved.corrects, moved.returns, moved.draws) == (
        3,  # the redemption
        (LotDraw(lot=1, points=Decimal(300)),),
        (LotDraw(lot=2, points=Decimal(300)),),
    )
    cancelled = sync_invoice(
        credited, YEARLY, deducted.cancel(on=APR_10), categories={}, at=AT
    )
    returns = [e for e in cancelled.entries if e.kind is EntryKind.RETURN]
    assert [e.returns for e in returns] == [
        (LotDraw(lot=1, points=Decimal(700)),),
        (LotDraw(lot=2, points=Decimal(300)),),
    ]
    assert [
        (lot.number, lot.expires_on, lot.remaining)
        for lot in cancelled.lots(APR_10)
        if lot.remaining
    ] == [
        (1, dt.date(2027, 2, 1), Decimal(700)),
        (2, dt.date(2027, 3, 1), Decimal(500)),
    ]
    assert cancelled.balance(APR_10) == Decimal(1200)
