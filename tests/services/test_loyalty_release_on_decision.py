"""Points reserved on a proposal come back when the proposal ends without an
invoice: rejected, declined in a renewal case, expired with its contract, or
its opportunity lost -- in the same unit of work as the decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from kamcore.accounts import Client, LineItem, Product
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.ids import SequentialIdSource
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.contracts import (
    CaseStage,
    CaseStep,
    Contract,
    ContractStatus,
    RenewalCase,
    Signature,
)
from kamcore.kernel import (
    CategoryId,
    ClientId,
    ContractId,
    ManagerId,
    MembershipId,
    Money,
    OpportunityId,
    PriceListId,
    ProductId,
    ProgrammeId,
    ProposalId,
    Rate,
    RenewalCaseId,
)
from kamcore.loyalty import (
    EarnRules,
    Membership,
    Programme,
    ReservationStatus,
    Tier,
    TierBenefits,
    adjust_points,
    reservation_on,
)
from kamcore.opportunities import OpportunityKind, Outcome
from kamcore.proposals import (
    Proposal,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)
from kamcore.services import (
    close_opportunity,
    create_opportunity,
    decide_proposal,
    decide_renewal,
    enrol,
    lapse_renewal_cases,
    release_points,
    reserve_points,
)

ACME, ROSSI = ClientId("acme"), ManagerId("m.rossi")
PARTNER = ProgrammeId("partner")
MEMBERSHIP = MembershipId("membership-000001")
K1, CASE = ContractId("k-1"), RenewalCaseId("rc-1")
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


PROGRAMME = Programme(
    id=PARTNER,
    name="Partner programme",
    currency="EUR",
    earn=EarnRules(points_per_unit=Rate(1)),
    tiers=(
        Tier(
            code="member",
            name="Member",
            threshold=eur("0"),
            benefits=TierBenefits(description="points on every invoice"),
        ),
    ),
    redemption_rate=eur("0.01"),
)


def offer(
    id: str,  # noqa: A002 - mirrors the entity's field
    *,
    opportunity: OpportunityId | None = None,
    contract: ContractId | None = None,
) -> Proposal:
    return Proposal(
        id=ProposalId(id),
        client=ACME,
        purpose=ProposalPurpose.RENEWAL if contract else ProposalPurpose.EXPANSION,
        currency="EUR",
        revisions=(
            ProposalRevision(
                number=1,
                lines=(
                    LineItem(
                        product=ProductId("seal"),
                        quantity=Decimal(100),
                        unit_price=eur("10.00"),
                    ),
                ),
                pricing_date=NOW.date(),
                note="first offer",
                recorded_at=NOW,
                recorded_by=ROSSI,
            ),
        ),
        status=ProposalStatus.SENT,
        opportunity=opportunity,
        contract=contract,
    )


@attrs.define
class World:
    uow: InMemoryUnitOfWork
    clock: FixedClock
    ids: SequentialIdSource

    def membership(self) -> Membership:
        with self.uow:
            return self.uow.memberships.get(MEMBERSHIP)

    def add_offer(self, proposal: Proposal, points: str) -> None:
        with self.uow:
            self.uow.proposals.add(proposal)
            self.uow.commit()
        reserve_points(
            self.uow, self.clock, proposal=proposal.id, points=Decimal(points)
        )

    def status(self, proposal: str) -> ReservationStatus:
        found = reservation_on(self.membership(), ProposalId(proposal))
        assert found is not None
        return found.status


@pytest.fixture
def world() -> World:
    """ACME, a member holding 1,000 points."""
    made = World(
        uow=InMemoryUnitOfWork(InMemoryStore()),
        clock=FixedClock(NOW),
        ids=SequentialIdSource(),
    )
    with made.uow:
        made.uow.clients.add(
            Client(
                id=ACME,
                name="ACME",
                currency="EUR",
                locale="en_GB",
                key_account=True,
                account_manager=ROSSI,
            )
        )
        made.uow.products.add(
            Product(id=ProductId("seal"), name="Seal", category=CategoryId("seals"))
        )
        made.uow.programmes.add(PROGRAMME)
        made.uow.commit()
    member = enrol(
        made.uow,
        made.ids,
        made.clock,
        client=ACME,
        programme=PARTNER,
        enrolled_on=dt.date(2026, 1, 5),
    )
    with made.uow:
        made.uow.memberships.save(
            adjust_points(
                member,
                PROGRAMME,
                points=Decimal(1000),
                on=dt.date(2026, 2, 2),
                reference="welcome",
                reason="welcome points",
                at=NOW,
            )
        )
        made.uow.commit()
    return made


def test_rejecting_a_proposal_releases_the_points_held_on_it(world: World) -> None:
    world.add_offer(offer("pr-1"), "600")
    assert world.membership().available() == Decimal(400)
    decide_proposal(world.uow, world.clock, proposal=ProposalId("pr-1"), accepted=False)
    assert world.status("pr-1") is ReservationStatus.RELEASED
    assert world.membership().available() == Decimal(1000)


def test_accepting_a_proposal_keeps_its_points_held(world: World) -> None:
    world.add_offer(offer("pr-1"), "600")
    decide_proposal(world.uow, world.clock, proposal=ProposalId("pr-1"), accepted=True)
    assert world.status("pr-1") is ReservationStatus.HELD
    assert world.membership().available() == Decimal(400)


def test_rejecting_a_proposal_leaves_the_points_held_on_others(world: World) -> None:
    world.add_offer(offer("pr-1"), "600")
    world.add_offer(offer("pr-2"), "300")
    decide_proposal(world.uow, world.clock, proposal=ProposalId("pr-1"), accepted=False)
    assert (world.status("pr-1"), world.status("pr-2")) == (
        ReservationStatus.RELEASED,
        ReservationStatus.HELD,
    )
    assert world.membership().available() == Decimal(700)


def test_rejecting_a_proposal_with_nothing_reserved_leaves_the_membership(
    world: World,
) -> None:
    with world.uow:
        world.uow.proposals.add(offer("pr-1"))
        world.uow.commit()
    before = world.membership()
    decide_proposal(world.uow, world.clock, proposal=ProposalId("pr-1"), accepted=False)
    assert world.membership() == before


def test_releasing_after_the_rejection_changes_nothing(world: World) -> None:
    world.add_offer(offer("pr-1"), "600")
    decide_proposal(world.uow, world.clock, proposal=ProposalId("pr-1"), accepted=False)
    before = world.membership()
    released = release_points(world.uow, proposal=ProposalId("pr-1"))
    assert released.status is ReservationStatus.RELEASED
    assert world.membership() == before


def test_losing_an_opportunity_releases_the_points_held_on_its_proposals(
    world: World,
) -> None:
    deal = create_opportunity(
        world.uow,
        world.ids,
        world.clock,
        client=ACME,
        kind=OpportunityKind.UPSELL,
        title="More seals",
        owner=ROSSI,
        value=eur("1000.00"),
        close_date=dt.date(2026, 6, 30),
    )
    world.add_offer(offer("pr-1", opportunity=deal.id), "600")
    world.add_offer(offer("pr-2"), "300")
    close_opportunity(
        world.uow,
        world.clock,
        opportunity=deal.id,
        outcome=Outcome.LOST,
        by=ROSSI,
        reason="went to a rival",
    )
    assert (world.status("pr-1"), world.status("pr-2")) == (
        ReservationStatus.RELEASED,
        ReservationStatus.HELD,
    )
    assert world.membership().available() == Decimal(700)


def test_winning_an_opportunity_keeps_the_points_held(world: World) -> None:
    deal = create_opportunity(
        world.uow,
        world.ids,
        world.clock,
        client=ACME,
        kind=OpportunityKind.UPSELL,
        title="More seals",
        owner=ROSSI,
        value=eur("1000.00"),
        close_date=dt.date(2026, 6, 30),
    )
    world.add_offer(offer("pr-1", opportunity=deal.id), "600")
    close_opportunity(
        world.uow, world.clock, opportunity=deal.id, outcome=Outcome.WON, by=ROSSI
    )
    assert world.status("pr-1") is ReservationStatus.HELD


# -- renewal cases ------------------------------------------------------------
def sent_renewal(world: World) -> None:
    """Contract k-1 in renewal, its case's proposal pr-1 sent, 600 points on it."""
    draft = Contract.draft(
        id=K1,
        client=ACME,
        title="Seal supply",
        start=dt.date(2025, 3, 31),
        term=relativedelta(years=1),
        value=eur("1000.00"),
        price_list=PriceListId("base"),
        recorded_at=dt.datetime(2025, 3, 20, tzinfo=dt.UTC),
        recorded_by=ROSSI,
    )
    active = draft.sign(
        Signature(version=1, signed_on=dt.date(2025, 3, 25), signed_by="Ms Li")
    ).move_to(
        ContractStatus.ACTIVE,
        on=dt.date(2025, 3, 31),
        at=dt.datetime(2025, 3, 31, tzinfo=dt.UTC),
        reason="signed",
    )
    in_renewal = active.move_to(
        ContractStatus.RENEWAL_IN_PROGRESS, on=NOW.date(), at=NOW, reason="case"
    )
    steps = tuple(
        CaseStep(stage=stage, at=NOW, by=ROSSI)
        for stage in (
            CaseStage.OPENED,
            CaseStage.ANALYSED,
            CaseStage.PROPOSED,
            CaseStage.SENT,
        )
    )
    with world.uow:
        world.uow.contracts.add(in_renewal)
        world.uow.renewal_cases.add(
            RenewalCase(
                id=CASE,
                contract=K1,
                client=ACME,
                term_end=active.end,
                stage=CaseStage.SENT,
                steps=steps,
                proposal=ProposalId("pr-1"),
            )
        )
        world.uow.commit()
    world.add_offer(offer("pr-1", contract=K1), "600")


def test_declining_a_renewal_releases_the_points_held_on_its_proposal(
    world: World,
) -> None:
    sent_renewal(world)
    decide_renewal(world.uow, world.clock, case=CASE, accepted=False, by=ROSSI)
    assert world.status("pr-1") is ReservationStatus.RELEASED
    assert world.membership().available() == Decimal(1000)


def test_a_lapsed_renewal_releases_the_points_held_on_its_expired_proposal(
    world: World,
) -> None:
    sent_renewal(world)
    with world.uow:
        contract = world.uow.contracts.get(K1)
        world.uow.contracts.save(
            contract.move_to(
                ContractStatus.LAPSED,
                on=dt.date(2026, 3, 31),
                at=NOW,
                reason="term ended unrenewed",
            )
        )
        world.uow.commit()
    [closed] = lapse_renewal_cases(world.uow, world.clock, by=ROSSI)
    assert closed.stage is CaseStage.LAPSED
    with world.uow:
        assert world.uow.proposals.get(ProposalId("pr-1")).status is (
            ProposalStatus.EXPIRED
        )
    assert world.status("pr-1") is ReservationStatus.RELEASED
    assert world.membership().available() == Decimal(1000)
