"""The account 360 and client portal services over the in-memory adapters."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from kamcore.accounts import (
    Activity,
    ActivityKind,
    Client,
    Invoice,
    LineItem,
    Payment,
    Ticket,
)
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.contracts import Contract, ContractStatus, Signature
from kamcore.errors import NotFoundError
from kamcore.kernel import (
    ActivityId,
    ClientId,
    ContractId,
    InvoiceId,
    ManagerId,
    MembershipId,
    Money,
    OpportunityId,
    PaymentId,
    ProductId,
    ProgrammeId,
    ProposalId,
    Rate,
    TicketId,
)
from kamcore.loyalty import (
    EarnRules,
    Membership,
    Programme,
    Tier,
    TierBenefits,
    adjust_points,
)
from kamcore.opportunities import Opportunity, OpportunityKind
from kamcore.proposals import (
    Proposal,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)
from kamcore.services import account_360, client_portal
from kamcore.views import ClientRecords, EventKind, build_account_360

AS_OF = dt.date(2026, 6, 30)
ROSSI = ManagerId("m.rossi")
ACME, GLOBEX = ClientId("acme"), ClientId("globex")


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=dt.UTC)


def invoice(number: str, client: ClientId, issued: dt.date, price: str) -> Invoice:
    return Invoice(
        id=InvoiceId(number),
        client=client,
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        currency="EUR",
        lines=(
            LineItem(
                product=ProductId("valve"),
                quantity=Decimal(1),
                unit_price=Money(price, "EUR"),
            ),
        ),
    )


def contract(number: str, client: ClientId) -> Contract:
    drafted = Contract.draft(
        id=ContractId(number),
        client=client,
        title=f"Agreement {number}",
        start=dt.date(2026, 1, 1),
        term=relativedelta(years=1),
        value=Money("10000.00", "EUR"),
        recorded_at=at(1, 2),
        recorded_by=ROSSI,
    ).sign(Signature(version=1, signed_on=dt.date(2026, 1, 5), signed_by="CFO"))
    return drafted.move_to(
        ContractStatus.ACTIVE, on=dt.date(2026, 1, 5), at=at(1, 5), reason="signed"
    )


def activity(number: str, client: ClientId) -> Activity:
    return Activity(
        id=ActivityId(number),
        client=client,
        kind=ActivityKind.CALL,
        occurred_at=at(3, 3),
        summary=f"call {number}",
        author=ROSSI,
    )


PROGRAMME = Programme(
    id=ProgrammeId("club"),
    name="Club",
    currency="EUR",
    earn=EarnRules(points_per_unit=Rate(1)),
    tiers=(
        Tier(
            code="member",
            name="Member",
            threshold=Money("0.00", "EUR"),
            benefits=TierBenefits(description="Newsletter"),
        ),
    ),
    redemption_rate=Money("0.01", "EUR"),
)


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork(InMemoryStore())
    membership = adjust_points(
        Membership(
            id=MembershipId("ms-acme"),
            client=ACME,
            programme=PROGRAMME.id,
            enrolled_on=dt.date(2026, 1, 1),
        ),
        PROGRAMME,
        points=Decimal(500),
        on=dt.date(2026, 2, 1),
        reference="welcome",
        reason="welcome bonus",
        at=at(2, 1),
    )
    proposal = Proposal(
        id=ProposalId("PR-1"),
        client=ACME,
        purpose=ProposalPurpose.UPSELL,
        currency="EUR",
        revisions=(
            ProposalRevision(
                number=1,
                lines=invoice("x", ACME, AS_OF, "900.00").lines,
                pricing_date=dt.date(2026, 4, 1),
                note="first offer",
                recorded_at=at(4, 1),
                recorded_by=ROSSI,
            ),
        ),
    ).move_to(ProposalStatus.SENT, at=at(4, 2))
    with uow:
        for client in (ACME, GLOBEX):
            uow.clients.add(
                Client(id=client, name=client.title(), currency="EUR", locale="en_GB")
            )
        paid = invoice("A-1", ACME, dt.date(2026, 2, 1), "100.00").with_payment(
            Payment(
                id=PaymentId("PAY-1"),
                received_on=dt.date(2026, 2, 15),
                amount=Money("100.00", "EUR"),
            )
        )
        for bill in (
            paid,
            invoice("A-2", ACME, dt.date(2026, 5, 1), "250.00"),
            invoice("A-3", ACME, dt.date(2026, 7, 1), "75.00"),
            invoice("G-1", GLOBEX, dt.date(2026, 5, 1), "999.00"),
        ):
            uow.invoices.add(bill)
        uow.contracts.add(contract("K-A", ACME))
        uow.contracts.add(contract("K-G", GLOBEX))
        uow.activities.add(activity("ACT-A", ACME))
        uow.activities.add(activity("ACT-G", GLOBEX))
        uow.tickets.add(
            Ticket(id=TicketId("T-A"), client=ACME, subject="Leak", opened_at=at(6, 1))
        )
        uow.opportunities.add(
            Opportunity.create(
                id=OpportunityId("OP-A"),
                client=ACME,
                kind=OpportunityKind.UPSELL,
                title="More valves",
                owner=ROSSI,
                value=Money("5000.00", "EUR"),
                close_date=dt.date(2026, 9, 30),
                at=at(3, 3),
                notes="they will pay more",
            )
        )
        uow.proposals.add(proposal)
        uow.programmes.add(PROGRAMME)
        uow.memberships.add(membership)
        uow.commit()
    return uow


class SpyUnitOfWork(InMemoryUnitOfWork):
    """Records which repositories a service touches, and whether it commits."""

    def __init__(self, store: InMemoryStore) -> None:
        super().__init__(store)
        self.touched: set[str] = set()
        self.commits = 0

    def __getattribute__(self, name: str) -> object:
        if name in {
            "orders",
            "invoices",
            "tickets",
            "activities",
            "contracts",
            "opportunities",
            "proposals",
            "memberships",
            "programmes",
            "products",
            "price_lists",
        }:
            self.touched.add(name)
        return super().__getattribute__(name)

    def commit(self) -> None:
        self.commits += 1
        super().commit()


def test_the_360_service_reads_every_record_of_the_client(
    uow: InMemoryUnitOfWork,
) -> None:
    view = account_360(uow, client=ACME, as_of=AS_OF)
    assert sorted({event.source for event in view.events}) == [
        "A-1",
        "A-2",
        "ACT-A",
        "K-A",
        "OP-A",
        "PR-1",
        "T-A",
        "ms-acme",
    ]
    summary = view.summary
    assert summary.open_balance == (Money("250.00", "EUR"),)
    assert (summary.open_tickets, summary.contracts_in_force) == (1, ("K-A",))
    assert [(s.tier, s.points) for s in summary.loyalty] == [("member", Decimal(500))]


def test_the_360_service_is_the_pure_builder_on_the_stored_records(
    uow: InMemoryUnitOfWork,
) -> None:
    with uow:
        records = ClientRecords(
            client=uow.clients.get(ACME),
            invoices=tuple(uow.invoices.find(client=ACME)),
            tickets=tuple(uow.tickets.find(client=ACME)),
            activities=tuple(uow.activities.find(client=ACME)),
            contracts=tuple(uow.contracts.find(client=ACME)),
            opportunities=tuple(uow.opportunities.find(client=ACME)),
            proposals=tuple(uow.proposals.find(client=ACME)),
            memberships=tuple(uow.memberships.find(client=ACME)),
            programmes=(uow.programmes.get(PROGRAMME.id),),
        )
    assert account_360(uow, client=ACME, as_of=AS_OF) == build_account_360(
        records, as_of=AS_OF
    )


def test_the_timezone_decides_the_date_of_an_instant(
    uow: InMemoryUnitOfWork,
) -> None:
    # The call was at 09:00 UTC on 3 March: 23:00 on 2 March in Honolulu.
    honolulu = dt.timezone(dt.timedelta(hours=-10))
    day_before = dt.date(2026, 3, 2)
    there = account_360(uow, client=ACME, as_of=day_before, timezone=honolulu)
    [call] = there.of_kind(EventKind.ACTIVITY)
    assert call.on == day_before
    here = account_360(uow, client=ACME, as_of=day_before, timezone=dt.UTC)
    assert here.of_kind(EventKind.ACTIVITY) == ()


def test_the_portal_service_shows_only_the_clients_own_data(
    uow: InMemoryUnitOfWork,
) -> None:
    data = client_portal(uow, client=ACME, as_of=AS_OF).to_dict()
    assert [i["id"] for i in data["invoices"]] == ["A-1", "A-2"]
    assert [c["id"] for c in data["contracts"]] == ["K-A"]
    assert [p["id"] for p in data["proposals"]] == ["PR-1"]
    assert data["loyalty"][0]["points_value"] == "5.00"
    text = json.dumps(data)
    for foreign in ("globex", "G-1", "K-G", "ACT-G"):
        assert foreign not in text
    for internal in ("OP-A", "they will pay more", "call ACT-A", "first offer"):
        assert internal not in text


def test_the_portal_service_never_reads_internal_records(
    uow: InMemoryUnitOfWork,
) -> None:
    spy = SpyUnitOfWork(uow.store)
    client_portal(spy, client=ACME, as_of=AS_OF)
    assert spy.touched == {
        "invoices",
        "contracts",
        "proposals",
        "memberships",
        "programmes",
    }
    assert spy.commits == 0


def test_the_views_write_nothing(uow: InMemoryUnitOfWork) -> None:
    spy = SpyUnitOfWork(uow.store)
    account_360(spy, client=ACME, as_of=AS_OF)
    client_portal(spy, client=ACME, as_of=AS_OF)
    assert spy.commits == 0
    with uow:
        assert {c.version for c in uow.contracts.all()} == {1}
        assert {i.version for i in uow.invoices.all()} == {1}


def test_an_unknown_client_is_not_found(uow: InMemoryUnitOfWork) -> None:
    with pytest.raises(NotFoundError) as raised:
        client_portal(uow, client=ClientId("nobody"), as_of=AS_OF)
    assert raised.value.ids == ("nobody",)
    with pytest.raises(NotFoundError):
        account_360(uow, client=ClientId("nobody"), as_of=AS_OF)
