"""A small hand-built client history, as of Sunday 15 March 2026 in Paris.

ACME (EUR) has orders, four invoices in different states, tickets either side
of midnight, a public and an internal activity, a signed contract with an
unsigned amendment and an unsigned draft, two opportunities (one lost only
after the as-of date), a proposal sent then revised internally, a draft
proposal, and a loyalty membership. Globex is another client.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from kamcore.accounts import (
    Activity,
    ActivityKind,
    AdHocDiscount,
    Client,
    CreditNote,
    Invoice,
    LineItem,
    Order,
    OrderStatus,
    Payment,
    Ticket,
    TicketPriority,
)
from kamcore.contracts import (
    ArchivedDocument,
    Contract,
    ContractStatus,
    DocumentReference,
    Signature,
)
from kamcore.kernel import (
    ActivityId,
    CategoryId,
    ClientId,
    ContractId,
    CreditNoteId,
    InvoiceId,
    ManagerId,
    MembershipId,
    Money,
    OpportunityId,
    OrderId,
    PaymentId,
    Percentage,
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
    earn_invoice,
    reverse_credit_note,
)
from kamcore.opportunities import Opportunity, OpportunityKind, Outcome, Stage
from kamcore.proposals import (
    Proposal,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)
from kamcore.views import ClientRecords

AS_OF = dt.date(2026, 3, 15)
PARIS = ZoneInfo("Europe/Paris")
ROSSI = ManagerId("m.rossi")
VALVE = ProductId("valve-dn50")
PUMP = ProductId("pump-p200")
SECRET = "~internal~"  # noqa: S105 - a marker, not a password
"""Text placed in every internal field: it must never reach the portal."""


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def line(product: ProductId, quantity: int, price: str, **extra: object) -> LineItem:
    return LineItem(
        product=product,
        quantity=Decimal(quantity),
        unit_price=eur(price),
        **extra,  # type: ignore[arg-type]  # description / ad_hoc, typed by LineItem
    )


ACME = Client(
    id=ClientId("acme"),
    name="ACME Industrial",
    currency="EUR",
    locale="en_GB",
    key_account=True,
    account_manager=ROSSI,
    membership=MembershipId("ms-acme"),
)
GLOBEX = Client(id=ClientId("globex"), name="Globex", currency="EUR", locale="en_GB")


def orders() -> tuple[Order, ...]:
    return (
        Order(
            id=OrderId("O-1"),
            client=ACME.id,
            order_date=dt.date(2026, 1, 10),
            currency="EUR",
            lines=(line(VALVE, 2, "120.00"),),
            status=OrderStatus.FULFILLED,
            closed_on=dt.date(2026, 1, 24),
        ),
        Order(
            id=OrderId("O-2"),
            client=ACME.id,
            order_date=dt.date(2026, 3, 20),
            currency="EUR",
            lines=(line(PUMP, 1, "1000.00"),),
        ),
    )


def invoices() -> tuple[Invoice, ...]:
    discount = AdHocDiscount(
        reason=SECRET, granted_by=ROSSI, percentage=Percentage("10")
    )
    return (
        Invoice(
            id=InvoiceId("INV-1"),
            client=ACME.id,
            issue_date=dt.date(2026, 1, 15),
            due_date=dt.date(2026, 2, 14),
            currency="EUR",
            lines=(line(VALVE, 2, "120.00"),),
            payments=(
                Payment(
                    id=PaymentId("P-1"),
                    received_on=dt.date(2026, 2, 10),
                    amount=eur("240.00"),
                    reference="ACME-REM-001",
                ),
            ),
        ),
        Invoice(
            id=InvoiceId("INV-2"),
            client=ACME.id,
            issue_date=dt.date(2026, 2, 1),
            due_date=dt.date(2026, 3, 3),
            currency="EUR",
            lines=(line(PUMP, 1, "1000.00"),),
            credit_notes=(
                CreditNote(
                    id=CreditNoteId("C-1"),
                    issued_on=dt.date(2026, 2, 20),
                    amount=eur("100.00"),
                    reason=SECRET,
                ),
            ),
            payments=(
                Payment(
                    id=PaymentId("P-2"),
                    received_on=dt.date(2026, 3, 10),
                    amount=eur("400.00"),
                    reference="ACME-REM-002",
                ),
            ),
        ),
        Invoice(
            id=InvoiceId("INV-3"),
            client=ACME.id,
            issue_date=dt.date(2026, 3, 1),
            due_date=dt.date(2026, 3, 31),
            currency="EUR",
            lines=(line(VALVE, 3, "120.00", ad_hoc=discount),),
            payments=(
                Payment(
                    id=PaymentId("P-3"),
                    received_on=dt.date(2026, 3, 20),
                    amount=eur("324.00"),
                ),
            ),
        ),
        Invoice(
            id=InvoiceId("INV-4"),
            client=ACME.id,
            issue_date=dt.date(2026, 3, 16),
            due_date=dt.date(2026, 4, 15),
            currency="EUR",
            lines=(line(VALVE, 1, "120.00"),),
        ),
    )


def tickets() -> tuple[Ticket, ...]:
    return (
        Ticket(
            id=TicketId("T-1"),
            client=ACME.id,
            subject="Valve leaking",
            opened_at=paris(2026, 2, 2, 9, 0),
            priority=TicketPriority.HIGH,
            resolved_at=paris(2026, 2, 5, 17, 0),
        ),
        # 23:30 in Paris on the 15th: still the as-of date there.
        Ticket(
            id=TicketId("T-2"),
            client=ACME.id,
            subject="Late delivery",
            opened_at=paris(2026, 3, 15, 23, 30),
        ),
        # 23:30 UTC on the 15th is 00:30 on the 16th in Paris: after the date.
        Ticket(
            id=TicketId("T-3"),
            client=ACME.id,
            subject="Invoice copy",
            opened_at=utc(2026, 3, 15, 23, 30),
        ),
    )


def activities() -> tuple[Activity, ...]:
    return (
        Activity(
            id=ActivityId("A-1"),
            client=ACME.id,
            kind=ActivityKind.MEETING,
            occurred_at=paris(2026, 1, 20, 10, 0),
            summary="Kick-off for 2026",
            author=ROSSI,
            internal=False,
        ),
        Activity(
            id=ActivityId("A-2"),
            client=ACME.id,
            kind=ActivityKind.NOTE,
            occurred_at=paris(2026, 3, 12, 16, 0),
            summary=SECRET,
            author=ROSSI,
        ),
    )


def contracts() -> tuple[Contract, ...]:
    framework = Contract.draft(
        id=ContractId("K-1"),
        client=ACME.id,
        title="Framework agreement 2026",
        start=dt.date(2026, 1, 1),
        term=relativedelta(months=12),
        value=eur("12000.00"),
        recorded_at=utc(2025, 12, 1, 9, 0),
        recorded_by=ROSSI,
        note=SECRET,
        auto_renew=True,
        notice_period=relativedelta(months=3),
    )
    framework = framework.sign(
        Signature(
            version=1,
            signed_on=dt.date(2025, 12, 15),
            signed_by="J. Smith",
            countersigned_by=ROSSI,
        )
    )
    framework = framework.file_document(
        ArchivedDocument(
            version=1,
            reference=DocumentReference(
                uri="dms://contracts/K-1/v1.pdf",
                digest="sha256:00ff",
                stored_at=utc(2025, 12, 16, 8, 0),
            ),
        )
    )
    framework = framework.move_to(
        ContractStatus.ACTIVE,
        on=dt.date(2026, 1, 1),
        at=utc(2026, 1, 1, 7),
        reason=SECRET,
    )
    framework = framework.amend(
        effective_from=dt.date(2026, 4, 1),
        recorded_at=utc(2026, 3, 1, 10, 0),
        recorded_by=ROSSI,
        note=SECRET,
        value=eur("13200.00"),
    )
    service = Contract.draft(
        id=ContractId("K-2"),
        client=ACME.id,
        title="Service contract",
        start=dt.date(2026, 4, 1),
        term=relativedelta(years=1),
        value=eur("3000.00"),
        recorded_at=utc(2026, 3, 14, 9, 0),
        recorded_by=ROSSI,
        note=SECRET,
    )
    return framework, service


def opportunities() -> tuple[Opportunity, ...]:
    upgrade = Opportunity.create(
        id=OpportunityId("OP-1"),
        client=ACME.id,
        kind=OpportunityKind.UPSELL,
        title="Pump upgrade",
        owner=ROSSI,
        value=eur("5000.00"),
        close_date=dt.date(2026, 4, 30),
        at=paris(2026, 1, 20, 11, 0),
        notes=SECRET,
    )
    upgrade = upgrade.move_to_stage(Stage.PROPOSAL, at=utc(2026, 2, 15, 10), by=ROSSI)
    upgrade = upgrade.override_probability(
        Percentage("60"), at=utc(2026, 3, 1, 9), by=ROSSI, reason=SECRET
    )
    upgrade = upgrade.update(at=utc(2026, 3, 16, 9), by=ROSSI, notes="after the date")
    spares = Opportunity.create(
        id=OpportunityId("OP-2"),
        client=ACME.id,
        kind=OpportunityKind.CROSS_SELL,
        title="Spare parts",
        owner=ROSSI,
        value=eur("800.00"),
        close_date=dt.date(2026, 3, 31),
        at=utc(2025, 11, 1, 9),
    )
    spares = spares.close(Outcome.LOST, at=utc(2026, 3, 20, 9), by=ROSSI)
    return upgrade, spares


def proposals() -> tuple[Proposal, ...]:
    first = ProposalRevision(
        number=1,
        lines=(line(PUMP, 10, "950.00", description="Pump P200"),),
        pricing_date=dt.date(2026, 2, 16),
        note=SECRET,
        recorded_at=utc(2026, 2, 16, 9),
        recorded_by=ROSSI,
    )
    upsell = Proposal(
        id=ProposalId("PR-1"),
        client=ACME.id,
        purpose=ProposalPurpose.UPSELL,
        currency="EUR",
        revisions=(first,),
        valid_until=dt.date(2026, 4, 30),
        opportunity=OpportunityId("OP-1"),
    )
    upsell = upsell.move_to(ProposalStatus.SENT, at=utc(2026, 2, 17, 9), note=SECRET)
    upsell = upsell.revise(
        lines=(line(PUMP, 10, "900.00", description="Pump P200"),),
        pricing_date=dt.date(2026, 3, 5),
        note=SECRET,
        recorded_at=utc(2026, 3, 5, 9),
        recorded_by=ROSSI,
    )
    draft = Proposal(
        id=ProposalId("PR-2"),
        client=ACME.id,
        purpose=ProposalPurpose.RENEWAL,
        currency="EUR",
        revisions=(
            ProposalRevision(
                number=1,
                lines=(line(VALVE, 100, "110.00"),),
                pricing_date=dt.date(2026, 3, 10),
                note=SECRET,
                recorded_at=utc(2026, 3, 10, 9),
                recorded_by=ROSSI,
            ),
        ),
    )
    return upsell, draft


PROGRAMME = Programme(
    id=ProgrammeId("partner"),
    name="Partner Rewards",
    currency="EUR",
    earn=EarnRules(points_per_unit=Rate("1")),
    tiers=(
        Tier(
            code="silver",
            name="Silver",
            threshold=eur("0.00"),
            benefits=TierBenefits(description="Standard service"),
        ),
        Tier(
            code="gold",
            name="Gold",
            threshold=eur("1000.00"),
            benefits=TierBenefits(
                description="5 % off every order, priority support",
                extra_discount=Percentage("5"),
            ),
        ),
    ),
    redemption_rate=eur("0.01"),
)


def membership(bills: tuple[Invoice, ...]) -> Membership:
    member = Membership(
        id=MembershipId("ms-acme"),
        client=ACME.id,
        programme=PROGRAMME.id,
        enrolled_on=dt.date(2026, 1, 1),
    )
    categories = {VALVE: CategoryId("valves"), PUMP: CategoryId("pumps")}
    by_id = {bill.id: bill for bill in bills}
    for number in ("INV-1", "INV-2", "INV-3", "INV-4"):
        member = earn_invoice(
            member,
            PROGRAMME,
            by_id[InvoiceId(number)],
            categories=categories,
            tier_multiplier=Rate("1"),
            at=utc(2026, 3, 16, 6),
        )
    second = by_id[InvoiceId("INV-2")]
    return reverse_credit_note(
        member, PROGRAMME, second, second.credit_notes[0], at=utc(2026, 3, 16, 6)
    )


def acme_records() -> ClientRecords:
    bills = invoices()
    return ClientRecords(
        client=ACME,
        orders=orders(),
        invoices=bills,
        tickets=tickets(),
        activities=activities(),
        contracts=contracts(),
        opportunities=opportunities(),
        proposals=proposals(),
        memberships=(membership(bills),),
        programmes=(PROGRAMME,),
    )


def globex_invoice() -> Invoice:
    return Invoice(
        id=InvoiceId("G-1"),
        client=GLOBEX.id,
        issue_date=dt.date(2026, 2, 1),
        due_date=dt.date(2026, 3, 1),
        currency="EUR",
        lines=(line(VALVE, 1, "120.00"),),
    )
