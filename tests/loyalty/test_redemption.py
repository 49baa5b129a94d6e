"""Redemption at invoicing: reservations, the deduction line, the limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from kamcore.accounts import (
    CreditNote,
    Invoice,
    InvoiceStatus,
    LineItem,
    Payment,
    PointsRedemption,
)
from kamcore.errors import (
    InvalidTransitionError,
    NotFoundError,
    PolicyViolationError,
    ValidationError,
)
from kamcore.kernel import (
    ClientId,
    CreditNoteId,
    InvoiceId,
    ManagerId,
    MembershipId,
    Money,
    PaymentId,
    Percentage,
    ProductId,
    ProgrammeId,
    ProposalId,
    Rate,
)
from kamcore.loyalty import (
    EarnRules,
    EntryKind,
    LotDraw,
    Membership,
    Programme,
    ReservationStatus,
    Tier,
    TierBenefits,
    adjust_points,
    earn_invoice,
    earning_basis,
    max_redemption,
    redeem_on_invoice,
    redeemable_points,
    release_reservation,
    reservation_on,
    reserve_on_proposal,
    sync_invoice,
)
from kamcore.proposals import (
    Proposal,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)

AT = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)
ACME = ClientId("acme")
JAN_10, FEB_1, FEB_10 = dt.date(2026, 1, 10), dt.date(2026, 2, 1), dt.date(2026, 2, 10)


def euros(amount: str) -> Money:
    return Money(amount, "EUR")


def programme(**changes: Any) -> Programme:
    """One point per euro, a point is worth 0.01 EUR, points pay at most 20 %."""
    base = Programme(
        id=ProgrammeId("lp"),
        name="Partner programme",
        currency="EUR",
        earn=EarnRules(points_per_unit=Rate(1)),
        tiers=(
            Tier(
                code="member",
                name="Member",
                threshold=euros("0"),
                benefits=TierBenefits(description="points on every invoice"),
            ),
            Tier(
                code="gold",
                name="Gold",
                threshold=euros("50000"),
                benefits=TierBenefits(
                    description="points x1.5", earn_multiplier=Rate("1.5")
                ),
            ),
        ),
        expiry=relativedelta(months=24),
        redemption_rate=euros("0.01"),
        max_redemption_share=Percentage(20),
    )
    return attrs.evolve(base, **changes)


LP = programme()


def member(points: str = "30000") -> Membership:
    """ACME with one lot of ``points`` adjusted in on January 10."""
    empty = Membership(
        id=MembershipId("ms-1"), client=ACME, programme=LP.id, enrolled_on=JAN_10
    )
    return adjust_points(
        empty,
        LP,
        points=Decimal(points),
        on=JAN_10,
        reference="welcome",
        reason="welcome bonus",
        at=AT,
    )


def lines(total: str = "1000.00") -> tuple[LineItem, ...]:
    return (
        LineItem(
            product=ProductId("pump"), quantity=Decimal(1), unit_price=euros(total)
        ),
    )


def proposal(id: str = "pr-1", total: str = "1000.00") -> Proposal:  # noqa: A002
    return Proposal(
        id=ProposalId(id),
        client=ACME,
        purpose=ProposalPurpose.EXPANSION,
        currency="EUR",
        revisions=(
            ProposalRevision(
                number=1,
                lines=lines(total),
                pricing_date=FEB_1,
                note="first offer",
                recorded_at=AT,
                recorded_by=ManagerId("m.rossi"),
            ),
        ),
        status=ProposalStatus.SENT,
    )


def invoice(id: str = "i-1", total: str = "1000.00") -> Invoice:  # noqa: A002
    return Invoice(
        id=InvoiceId(id),
        client=ACME,
        issue_date=FEB_10,
        due_date=dt.date(2026, 3, 12),
        currency="EUR",
        lines=lines(total),
    )


def redemption(points: str, rate: str = "0.01") -> PointsRedemption:
    return PointsRedemption(
        membership=MembershipId("ms-1"), points=Decimal(points), rate=euros(rate)
    )


# -- the deduction line on the invoice ----------------------------------------
def test_the_deduction_line_is_valued_at_its_rate_rounded_half_up() -> None:
    assert redemption("1235", "0.005").amount == euros("6.18")  # 6.175
    assert redemption("1234", "0.005").amount == euros("6.17")


def test_the_invoice_total_is_the_lines_total_less_the_redemptions() -> None:
    deducted = invoice().with_redemption(redemption("15000"))
    assert (deducted.lines_total, deducted.redeemed, deducted.total) == (
        euros("1000.00"),
        euros("150.00"),
        euros("850.00"),
    )
    paid = deducted.with_payment(
        Payment(id=PaymentId("pay-1"), received_on=FEB_10, amount=euros("850.00"))
    )
    assert paid.balance() == euros("0.00")
    assert paid.settled_on() == FEB_10


def test_credit_notes_credit_the_amount_after_the_deduction() -> None:
    deducted = invoice().with_redemption(redemption("15000"))
    note = CreditNote(
        id=CreditNoteId("cn-1"),
        issued_on=FEB_10,
        amount=euros("850.00"),
        reason="returned",
    )
    assert deducted.with_credit_note(note).net_total() == euros("0.00")
    with pytest.raises(ValidationError) as error:
        deducted.with_credit_note(attrs.evolve(note, amount=euros("850.01")))
    assert error.value.messages == [
        "credit notes total 850.01 EUR, more than the invoice total 850.00 EUR "
        "(after 150.00 EUR of points redeemed) @ credit_notes"
    ]


def test_points_are_redeemed_before_anything_is_paid() -> None:
    paid = invoice().with_payment(
        Payment(id=PaymentId("pay-1"), received_on=FEB_10, amount=euros("10.00"))
    )
    with pytest.raises(ValidationError, match="already has payments or credit notes"):
        paid.with_redemption(redemption("100"))
    with pytest.raises(InvalidTransitionError):
        invoice().cancel(on=FEB_10).with_redemption(redemption("100"))


def test_an_invoice_refuses_redemptions_it_cannot_carry() -> None:
    with pytest.raises(ValidationError) as error:
        attrs.evolve(
            invoice(total="100.00"),
            redemptions=(
                redemption("100", "0.5"),
                attrs.evolve(redemption("20000"), rate=Money("0.01", "USD")),
            ),
        )
    assert error.value.messages == [
        "must be the invoice currency EUR @ redemptions[1].rate.currency",
        "appears twice: one redemption per membership and invoice "
        "@ redemptions[1].membership",
    ]
    with pytest.raises(ValidationError) as error:
        attrs.evolve(invoice(total="100.00"), redemptions=(redemption("20000"),))
    assert error.value.messages == [
        "points redeemed are worth 200.00 EUR, more than the lines total "
        "100.00 EUR @ redemptions"
    ]


def test_a_redemption_worth_nothing_is_refused() -> None:
    with pytest.raises(ValidationError, match="worth nothing once rounded"):
        redemption("1", "0.004")


# -- reserve, release, commit -------------------------------------------------
def test_reserving_holds_points_at_the_rate_of_the_day() -> None:
    held = reserve_on_proposal(
        member(), LP, proposal(), points=Decimal(15000), on=FEB_1
    )
    reservation = reservation_on(held, ProposalId("pr-1"))
    assert reservation is not None
    assert (reservation.points, reservation.rate, reservation.status) == (
        Decimal(15000),
        euros("0.01"),
        ReservationStatus.HELD,
    )
    assert (held.balance(), held.held(), redeemable_points(held, FEB_1)) == (
        Decimal(30000),
        Decimal(15000),
        Decimal(15000),
    )
    assert held.entries == member().entries  # nothing is spent yet


def test_reserving_again_the_same_points_changes_nothing() -> None:
    held = reserve_on_proposal(member(), LP, proposal(), points=Decimal(100), on=FEB_1)
    assert (
        reserve_on_proposal(held, LP, proposal(), points=Decimal(100), on=FEB_1) is held
    )
    with pytest.raises(ValidationError, match="already holds 100 points"):
        reserve_on_proposal(held, LP, proposal(), points=Decimal(200), on=FEB_1)


def test_committing_a_reservation_keeps_the_locked_rate() -> None:
    held = reserve_on_proposal(
        member(), LP, proposal(), points=Decimal(15000), on=FEB_1
    )
    dearer = programme(redemption_rate=euros("0.02"))
    redeemed, deducted = redeem_on_invoice(
        held, dearer, invoice(), at=AT, proposal=ProposalId("pr-1")
    )
    assert deducted.redemptions == (
        PointsRedemption(
            membership=MembershipId("ms-1"),
            points=Decimal(15000),
            rate=euros("0.01"),
            proposal=ProposalId("pr-1"),
        ),
    )
    assert (deducted.redeemed, deducted.total) == (euros("150.00"), euros("850.00"))
    entry = redeemed.entries[-1]
    assert (entry.key, entry.kind, entry.points, entry.on, entry.draws) == (
        "redeem:invoice:i-1",
        EntryKind.REDEEM,
        Decimal(-15000),
        FEB_10,
        (LotDraw(lot=1, points=Decimal(15000)),),
    )
    reserved = reservation_on(held, ProposalId("pr-1"))
    assert reserved is not None
    assert reservation_on(redeemed, ProposalId("pr-1")) == attrs.evolve(
        reserved, status=ReservationStatus.COMMITTED, invoice=InvoiceId("i-1")
    )
    assert (redeemed.balance(), redeemed.held()) == (Decimal(15000), Decimal(0))


def test_redeeming_directly_uses_the_programme_rate_of_the_day() -> None:
    dearer = programme(redemption_rate=euros("0.02"))
    _, deducted = redeem_on_invoice(
        member(), dearer, invoice(), at=AT, points=Decimal(5000)
    )
    assert (deducted.redemptions[0].rate, deducted.redeemed) == (
        euros("0.02"),
        euros("100.00"),
    )


def test_the_same_redemption_twice_changes_nothing() -> None:
    redeemed, deducted = redeem_on_invoice(
        member(), LP, invoice(), at=AT, points=Decimal(5000)
    )
    assert redeem_on_invoice(redeemed, LP, deducted, at=AT, points=Decimal(5000)) == (
        redeemed,
        deducted,
    )
    with pytest.raises(ValidationError, match="already redeemed points on invoice"):
        redeem_on_invoice(redeemed, LP, deducted, at=AT, points=Decimal(6000))


def test_releasing_gives_the_points_back_once() -> None:
    held = reserve_on_proposal(
        member(), LP, proposal(), points=Decimal(15000), on=FEB_1
    )
    released = release_reservation(held, proposal=ProposalId("pr-1"))
    reservation = reservation_on(released, ProposalId("pr-1"))
    assert reservation is not None
    assert reservation.status is ReservationStatus.RELEASED
    assert redeemable_points(released, FEB_1) == Decimal(30000)
    assert release_reservation(released, proposal=ProposalId("pr-1")) is released
    with pytest.raises(InvalidTransitionError) as error:
        redeem_on_invoice(released, LP, invoice(), at=AT, proposal=ProposalId("pr-1"))
    assert (error.value.current, error.value.requested) == (
        ReservationStatus.RELEASED,
        "committed on invoice i-1",
    )


def test_a_committed_reservation_cannot_be_released() -> None:
    held = reserve_on_proposal(member(), LP, proposal(), points=Decimal(100), on=FEB_1)
    redeemed, _ = redeem_on_invoice(
        held, LP, invoice(), at=AT, proposal=ProposalId("pr-1")
    )
    with pytest.raises(InvalidTransitionError):
        release_reservation(redeemed, proposal=ProposalId("pr-1"))
    with pytest.raises(NotFoundError):
        release_reservation(redeemed, proposal=ProposalId("pr-9"))


def test_a_closed_proposal_takes_no_reservation() -> None:
    lost = attrs.evolve(proposal(), status=ProposalStatus.REJECTED)
    with pytest.raises(PolicyViolationError, match="proposal 'pr-1' is rejected"):
        reserve_on_proposal(member(), LP, lost, points=Decimal(100), on=FEB_1)


# -- the limits ---------------------------------------------------------------
def test_the_maximum_share_rounds_down_to_the_cent() -> None:
    assert max_redemption(LP, euros("1000.00")) == euros("200.00")
    assert max_redemption(LP, euros("999.99")) == euros("199.99")  # 199.998


def test_a_redemption_exactly_at_the_maximum_share_is_accepted() -> None:
    _, deducted = redeem_on_invoice(
        member(), LP, invoice(), at=AT, points=Decimal(20000)
    )
    assert (deducted.redeemed, deducted.total) == (euros("200.00"), euros("800.00"))


def test_a_redemption_one_cent_over_the_maximum_share_is_refused() -> None:
    with pytest.raises(PolicyViolationError) as error:
        redeem_on_invoice(member(), LP, invoice(), at=AT, points=Decimal(20001))
    assert error.value.detail == (
        "20001 points at 0.01 EUR on invoice i-1 is worth 200.01 EUR, more than "
        "the programme's maximum share of 20% of 1000.00 EUR (at most 200.00 EUR)"
    )
    assert error.value.value == euros("200.01")


def test_a_reservation_over_the_share_of_the_proposal_is_refused() -> None:
    with pytest.raises(PolicyViolationError, match=r"at most 100\.00 EUR"):
        reserve_on_proposal(
            member(), LP, proposal(total="500.00"), points=Decimal(10001), on=FEB_1
        )


def test_a_redemption_above_the_available_balance_is_refused() -> None:
    held = reserve_on_proposal(
        member(), LP, proposal("pr-2"), points=Decimal(15000), on=FEB_1
    )
    with pytest.raises(PolicyViolationError) as error:
        redeem_on_invoice(held, LP, invoice(), at=AT, points=Decimal(15001))
    assert error.value.detail == (
        "15001 points asked, 15000 available on 2026-02-10 "
        "(balance 30000, 15000 held on proposals)"
    )
    assert error.value.value == Decimal(15001)
    with pytest.raises(PolicyViolationError, match="15000 available on 2026-02-01"):
        reserve_on_proposal(held, LP, proposal(), points=Decimal(15001), on=FEB_1)


def test_committing_a_reservation_does_not_count_its_own_points_twice() -> None:
    held = reserve_on_proposal(
        member(), LP, proposal(), points=Decimal(20000), on=FEB_1
    )
    held = reserve_on_proposal(
        held, LP, proposal("pr-2"), points=Decimal(10000), on=FEB_1
    )
    redeemed, _ = redeem_on_invoice(
        held, LP, invoice(), at=AT, proposal=ProposalId("pr-1")
    )
    assert (redeemed.balance(), redeemed.held()) == (Decimal(10000), Decimal(10000))


def test_points_past_their_expiry_are_not_redeemable() -> None:
    later = attrs.evolve(
        invoice(), issue_date=dt.date(2028, 1, 10), due_date=dt.date(2028, 2, 10)
    )
    assert redeemable_points(member(), dt.date(2028, 1, 9)) == Decimal(30000)
    with pytest.raises(PolicyViolationError, match="0 available on 2028-01-10"):
        redeem_on_invoice(member(), LP, later, at=AT, points=Decimal(100))


def test_points_are_redeemed_before_the_invoice_earns() -> None:
    earned = earn_invoice(
        member(), LP, invoice(), categories={}, tier_multiplier=Rate(1), at=AT
    )
    with pytest.raises(PolicyViolationError, match="has already earned points"):
        redeem_on_invoice(earned, LP, invoice(), at=AT, points=Decimal(100))


def test_another_clients_invoice_is_refused() -> None:
    theirs = attrs.evolve(invoice(), client=ClientId("globex"))
    with pytest.raises(ValidationError, match="is not the member 'acme'"):
        redeem_on_invoice(member(), LP, theirs, at=AT, points=Decimal(100))


def test_give_either_a_proposal_or_points() -> None:
    with pytest.raises(ValidationError, match="give either the proposal"):
        redeem_on_invoice(member(), LP, invoice(), at=AT)
    with pytest.raises(ValidationError, match="give either the proposal"):
        redeem_on_invoice(
            member(),
            LP,
            invoice(),
            at=AT,
            points=Decimal(1),
            proposal=ProposalId("pr-1"),
        )


# -- what a redeemed invoice earns --------------------------------------------
def test_points_paid_with_points_earn_nothing() -> None:
    redeemed, deducted = redeem_on_invoice(
        member(), LP, invoice(), at=AT, points=Decimal(15000)
    )
    assert [line.total for line in earning_basis(deducted).lines] == [euros("850.00")]
    earned = sync_invoice(redeemed, LP, deducted, categories={}, at=AT)
    entry = earned.entries[-1]
    assert (entry.kind, entry.points, entry.spend) == (
        EntryKind.EARN,
        Decimal(850),
        euros("850.00"),
    )


def test_a_cancelled_invoice_gives_its_redeemed_points_back() -> None:
    redeemed, deducted = redeem_on_invoice(
        member(), LP, invoice(), at=AT, points=Decimal(15000)
    )
    earned = sync_invoice(redeemed, LP, deducted, categories={}, at=AT)
    cancelled = deducted.cancel(on=FEB_10)
    assert cancelled.status is InvoiceStatus.CANCELLED
    undone = sync_invoice(earned, LP, cancelled, categories={}, at=AT)
    assert [(e.kind, e.points) for e in undone.entries[len(earned.entries) :]] == [
        (EntryKind.REVERSE, Decimal(-850)),
        (EntryKind.RETURN, Decimal(15000)),
    ]
    assert undone.balance() == Decimal(30000)
    assert sync_invoice(undone, LP, cancelled, categories={}, at=AT) == (undone)


def test_a_cancellation_is_reversed_on_its_own_date() -> None:
    redeemed, deducted = redeem_on_invoice(
        member(), LP, invoice(), at=AT, points=Decimal(15000)
    )
    earned = sync_invoice(redeemed, LP, deducted, categories={}, at=AT)
    cancelled_on = dt.date(2026, 3, 20)
    undone = sync_invoice(
        earned, LP, deducted.cancel(on=cancelled_on), categories={}, at=AT
    )
    assert [
        (e.kind, e.points, e.on) for e in undone.entries[len(earned.entries) :]
    ] == [
        (EntryKind.REVERSE, Decimal(-850), cancelled_on),
        (EntryKind.RETURN, Decimal(15000), cancelled_on),
    ]
