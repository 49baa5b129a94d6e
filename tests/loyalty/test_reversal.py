"""Credit notes take back their share of an invoice's points, from its lots,
under each reversal policy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from loyalty_builders import (
    AT,
    bill,
    credit,
    earn,
    eur,
    member,
    note,
    programme,
    source,
)

from kamcore.accounts import Invoice
from kamcore.errors import PolicyViolationError, ValidationError
from kamcore.kernel import CategoryId, ProductId, Rate
from kamcore.loyalty import (
    CategoryMultiplier,
    EarnRules,
    EntryKind,
    LotDraw,
    Membership,
    Programme,
    ReversalPolicy,
    expire_points,
    qualifying_spend,
    redeem_points,
    reverse_credit_note,
)

JAN_20 = dt.date(2025, 1, 20)
FEB_1 = dt.date(2025, 2, 1)
MAR_1 = dt.date(2025, 3, 1)
APR_1 = dt.date(2025, 4, 1)
REFUSE = programme(reversal=ReversalPolicy.REFUSE)
CLAW_BACK = programme(reversal=ReversalPolicy.CLAW_BACK)
NEGATIVE = programme(reversal=ReversalPolicy.ALLOW_NEGATIVE)


def reverse(
    membership: Membership, lp: Programme, invoice: Invoice, cn: str
) -> Membership:
    return reverse_credit_note(membership, lp, invoice, note(invoice, cn), at=AT)


def redeem(
    membership: Membership, lp: Programme, points: int, on: dt.date
) -> Membership:
    return redeem_points(
        membership, lp, points=Decimal(points), on=on, source=source(f"r-{on}"), at=AT
    )


def spent_invoice(lp: Programme) -> tuple[Membership, Invoice]:
    """100 points earned on i-1, 60 of them redeemed, then a full credit note."""
    invoice = bill("i-1", FEB_1, "100.00")
    ms = redeem(earn(member(), lp, invoice), lp, 60, MAR_1)
    return ms, credit(invoice, "cn-1", APR_1, "100.00")


def test_a_partial_credit_note_takes_back_its_share() -> None:
    invoice = bill("i-1", FEB_1, "200.00", "100.00")
    ms = earn(member(), CLAW_BACK, invoice)
    invoice = credit(invoice, "cn-1", MAR_1, "100.00")
    ms = reverse(ms, CLAW_BACK, invoice, "cn-1")
    reversal = ms.entries[-1]
    assert reversal.kind is EntryKind.REVERSE
    assert reversal.points == Decimal(-100)
    assert reversal.exact == Decimal(-100)
    assert reversal.on == MAR_1
    assert reversal.draws == (LotDraw(lot=1, points=Decimal(100)),)
    assert reversal.spend == eur("-100.00")
    assert ms.balance() == Decimal(200)
    assert qualifying_spend(ms, CLAW_BACK, MAR_1) == eur("200.00")
    assert qualifying_spend(ms, CLAW_BACK, FEB_1) == eur("300.00")


def test_a_reversal_takes_the_fraction_now_and_carries_it() -> None:
    invoice = bill("i-1", FEB_1, "33.33", "66.67")
    ms = earn(member(), CLAW_BACK, invoice)
    assert [e.points for e in ms.entries] == [Decimal(33), Decimal(67)]
    invoice = credit(invoice, "cn-1", MAR_1, "33.33")
    ms = reverse(ms, CLAW_BACK, invoice, "cn-1")
    assert ms.entries[-1].points == Decimal(-34)
    assert ms.carried() == Decimal("0.67")
    invoice = credit(invoice, "cn-2", APR_1, "66.67")
    ms = reverse(ms, CLAW_BACK, invoice, "cn-2")
    assert ms.entries[-1].points == Decimal(-66)
    assert ms.balance() == Decimal(0)
    assert ms.carried() == Decimal(0)


@pytest.mark.parametrize("lp", [REFUSE, CLAW_BACK, NEGATIVE])
def test_a_full_credit_note_takes_no_more_than_its_invoices_lots_got(
    lp: Programme,
) -> None:
    # a's 10.60 posts 10 (0.60 carried), b's 10.60 posts 11 with it: a point
    # of a's fraction sits in b's lot. Crediting a in full takes a's 10, not
    # 11 -- nothing was spent -- and carries the fraction it could not take.
    a = bill("a", FEB_1, "10.60")
    ms = earn(earn(member(), lp, a), lp, bill("b", FEB_1, "10.60"))
    a = credit(a, "cn-a", MAR_1, "10.60")
    ms = reverse(ms, lp, a, "cn-a")
    reversal = ms.entries[-1]
    assert (reversal.points, reversal.owed, reversal.draws) == (
        Decimal(-10),
        Decimal(0),
        (LotDraw(lot=1, points=Decimal(10)),),
    )
    assert (ms.balance(), ms.owed(), ms.carried()) == (
        Decimal(11),
        Decimal(0),
        Decimal("-0.40"),
    )


def test_credit_notes_adding_up_to_the_invoice_take_back_exactly_its_points() -> None:
    # 2 points over 3.00: every third of the invoice is 0.666666... points.
    lp = programme(
        earn=EarnRules(
            points_per_unit=Rate(1),
            category_multipliers=(
                CategoryMultiplier(category=CategoryId("free"), multiplier=Rate(0)),
            ),
        )
    )
    invoice = bill("i-1", FEB_1, "1.00", "2.00", products=("gift", "pump"))
    ms = earn(member(), lp, invoice, categories={ProductId("gift"): CategoryId("free")})
    assert ms.balance() == Decimal(2)
    for number in (1, 2, 3):
        invoice = credit(invoice, f"cn-{number}", MAR_1, "1.00")
        ms = reverse(ms, lp, invoice, f"cn-{number}")
    reversals = [e for e in ms.entries if e.kind is EntryKind.REVERSE]
    assert [e.exact for e in reversals] == [
        Decimal("-0.666667"),
        Decimal("-0.666666"),
        Decimal("-0.666667"),
    ]
    assert [e.points for e in reversals] == [Decimal(-1), Decimal(-1), Decimal(0)]
    assert ms.balance() == Decimal(0)
    assert ms.owed() == Decimal(0)
    assert ms.carried() == Decimal(0)


def test_points_come_from_the_invoices_own_lots() -> None:
    first, second = bill("i-1", FEB_1, "100.00"), bill("i-2", FEB_1, "100.00")
    ms = earn(earn(member(), REFUSE, first), REFUSE, second)
    ms = redeem(ms, REFUSE, 50, MAR_1)  # the oldest lot first: i-1's
    second = credit(second, "cn-2", APR_1, "100.00")
    ms = reverse(ms, REFUSE, second, "cn-2")
    assert ms.entries[-1].draws == (LotDraw(lot=2, points=Decimal(100)),)
    assert [lot.remaining for lot in ms.lots()] == [Decimal(50), Decimal(0)]
    assert ms.balance() == Decimal(50)


def test_refuse_raises_and_changes_nothing() -> None:
    ms, invoice = spent_invoice(REFUSE)
    with pytest.raises(PolicyViolationError) as caught:
        reverse(ms, REFUSE, invoice, "cn-1")
    assert caught.value.value == Decimal(60)
    assert "'cn-1' must take back 100 points, but 60" in str(caught.value)
    assert ms.balance() == Decimal(40)
    assert len(ms.entries) == 2
    # What the lots still hold can be taken back without refusal.
    partial = credit(bill("i-1", FEB_1, "100.00"), "cn-2", APR_1, "40.00")
    assert reverse(ms, REFUSE, partial, "cn-2").balance() == Decimal(0)


def test_claw_back_takes_the_owed_points_from_the_next_earnings() -> None:
    ms, invoice = spent_invoice(CLAW_BACK)
    ms = reverse(ms, CLAW_BACK, invoice, "cn-1")
    reversal = ms.entries[-1]
    assert (reversal.points, reversal.owed) == (Decimal(-40), Decimal(60))
    assert ms.balance() == Decimal(0)
    assert ms.owed() == Decimal(60)
    ms = earn(ms, CLAW_BACK, bill("i-2", dt.date(2025, 5, 1), "80.00"))
    claw = ms.entries[-1]
    assert claw.kind is EntryKind.CLAW_BACK
    assert claw.points == Decimal(-60)
    assert claw.draws == (LotDraw(lot=4, points=Decimal(60)),)
    assert ms.balance() == Decimal(20)
    assert ms.owed() == Decimal(0)
    ms = earn(ms, CLAW_BACK, bill("i-3", dt.date(2025, 5, 2), "10.00"))
    assert ms.entries[-1].kind is EntryKind.EARN
    assert ms.balance() == Decimal(30)


def test_claw_back_takes_what_the_next_earning_holds_and_waits_for_more() -> None:
    ms, invoice = spent_invoice(CLAW_BACK)
    ms = reverse(ms, CLAW_BACK, invoice, "cn-1")
    ms = earn(ms, CLAW_BACK, bill("i-2", dt.date(2025, 5, 1), "25.00"))
    assert (ms.balance(), ms.owed()) == (Decimal(0), Decimal(35))
    ms = earn(ms, CLAW_BACK, bill("i-3", dt.date(2025, 5, 2), "50.00"))
    assert (ms.balance(), ms.owed()) == (Decimal(15), Decimal(0))


def test_allow_negative_goes_below_zero_and_later_lots_settle_it() -> None:
    ms, invoice = spent_invoice(NEGATIVE)
    ms = reverse(ms, NEGATIVE, invoice, "cn-1")
    assert ms.entries[-1].points == Decimal(-100)
    assert ms.balance() == Decimal(-60)
    assert ms.unbacked() == Decimal(60)
    ms = earn(ms, NEGATIVE, bill("i-2", dt.date(2025, 5, 1), "80.00"))
    settle = ms.entries[-1]
    assert settle.kind is EntryKind.SETTLE
    assert (settle.points, settle.draws) == (
        Decimal(0),
        (LotDraw(lot=4, points=Decimal(60)),),
    )
    assert ms.balance() == Decimal(20)
    assert ms.unbacked() == Decimal(0)
    assert [lot.remaining for lot in ms.lots()] == [Decimal(0), Decimal(20)]


def test_allow_negative_takes_spent_points_from_the_other_lots_first() -> None:
    lp = programme(
        reversal=ReversalPolicy.ALLOW_NEGATIVE, expiry=relativedelta(months=12)
    )
    first, second = bill("i-1", JAN_20, "100.00"), bill("i-2", FEB_1, "100.00")
    ms = earn(earn(member(), lp, first), lp, second)
    ms = redeem(ms, lp, 100, MAR_1)  # all of i-1's lot
    first = credit(first, "cn-1", APR_1, "100.00")
    ms = reverse(ms, lp, first, "cn-1")
    assert ms.entries[-1].draws == (LotDraw(lot=2, points=Decimal(100)),)
    assert (ms.balance(), ms.unbacked()) == (Decimal(0), Decimal(0))
    # i-2's lot is empty: its expiry takes nothing, the balance stays at zero.
    ms = expire_points(ms, lp, as_of=dt.date(2026, 3, 1), at=AT)
    assert ms.balance() == Decimal(0)


@pytest.mark.parametrize("policy", list(ReversalPolicy))
def test_expired_points_are_written_off_not_taken_twice(policy: ReversalPolicy) -> None:
    lp = programme(reversal=policy, expiry=relativedelta(months=12))
    invoice = bill("i-1", FEB_1, "100.00")
    ms = earn(member(), lp, invoice)
    invoice = credit(invoice, "cn-1", dt.date(2026, 3, 1), "40.00")
    expired_first = reverse(
        expire_points(ms, lp, as_of=dt.date(2026, 3, 1), at=AT), lp, invoice, "cn-1"
    )
    reversed_first = expire_points(
        reverse(ms, lp, invoice, "cn-1"), lp, as_of=dt.date(2026, 3, 1), at=AT
    )
    for late in (expired_first, reversed_first):
        reversal = late.entry("reverse:credit_note:cn-1")
        assert reversal is not None
        assert (reversal.points, reversal.written_off, reversal.owed) == (
            Decimal(0),
            Decimal(40),
            Decimal(0),
        )
        assert late.balance() == Decimal(0)
        assert late.owed() == Decimal(0)
        assert late.carried() == Decimal(0)
        assert qualifying_spend(late, lp, dt.date(2026, 3, 1)) == eur("-40.00")


def test_a_reversal_takes_unexpired_points_before_writing_off() -> None:
    lp = programme(expiry=relativedelta(months=12))
    invoice = bill("i-1", FEB_1, "100.00")
    ms = redeem(earn(member(), lp, invoice), lp, 30, MAR_1)
    ms = expire_points(ms, lp, as_of=dt.date(2026, 2, 1), at=AT)
    invoice = credit(invoice, "cn-1", dt.date(2026, 3, 1), "90.00")
    ms = reverse(ms, lp, invoice, "cn-1")
    # 70 expired: written off; the other 20 were spent: owed.
    reversal = ms.entries[-1]
    assert (reversal.written_off, reversal.owed, reversal.points) == (
        Decimal(70),
        Decimal(20),
        Decimal(0),
    )


def test_reversing_a_credit_note_twice_reverses_once() -> None:
    invoice = bill("i-1", FEB_1, "100.00")
    ms = earn(member(), CLAW_BACK, invoice)
    invoice = credit(invoice, "cn-1", MAR_1, "30.00")
    once = reverse(ms, CLAW_BACK, invoice, "cn-1")
    assert reverse(once, CLAW_BACK, invoice, "cn-1") == once
    assert once.balance() == Decimal(70)


def test_a_credit_note_of_another_invoice_is_refused() -> None:
    invoice = bill("i-1", FEB_1, "100.00")
    other = credit(bill("i-2", FEB_1, "100.00"), "cn-9", MAR_1, "10.00")
    ms = earn(member(), CLAW_BACK, invoice)
    with pytest.raises(ValidationError) as caught:
        reverse_credit_note(ms, CLAW_BACK, invoice, note(other, "cn-9"), at=AT)
    assert [(f.path, f.value) for f in caught.value.errors] == [("credit_note", "cn-9")]


def test_an_invoice_that_earned_nothing_is_left_alone() -> None:
    lp = programme(
        earn=EarnRules(points_per_unit=Rate(1), minimum_invoice=eur("50.00"))
    )
    invoice = bill("i-1", FEB_1, "40.00")
    ms = earn(member(), lp, invoice)
    invoice = credit(invoice, "cn-1", MAR_1, "10.00")
    assert reverse(ms, lp, invoice, "cn-1") == ms
    assert qualifying_spend(ms, lp, MAR_1) == eur("0.00")
