"""Seed workflow 1 end to end: alert -> analysis -> proposal -> negotiation ->
accepted -> contract amended -> signed -> archived, every step time-stamped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from kamcore.accounts import (
    Client,
    Invoice,
    LineItem,
    Order,
    Payment,
    Product,
    Ticket,
)
from kamcore.adapters.archive import InMemoryArchive
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.ids import SequentialIdSource
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.contracts import (
    AlertKind,
    CaseStage,
    Contract,
    ContractStatus,
    RenewalAlert,
    RenewalCase,
    RenewalPricing,
    Signature,
    StrategyKind,
    alert_id,
)
from kamcore.errors import InvalidTransitionError
from kamcore.kernel import (
    AlertId,
    CategoryId,
    ClientId,
    ContractId,
    InvoiceId,
    ManagerId,
    Money,
    OrderId,
    PaymentId,
    Percentage,
    PriceListId,
    ProductId,
    ProposalId,
    RenewalCaseId,
    TicketId,
)
from kamcore.metrics import AccountSelection
from kamcore.pricing import (
    LineRequest,
    PriceItem,
    PriceList,
    PriceListKind,
    PriceNotFoundError,
)
from kamcore.proposals import ProposalStatus
from kamcore.services import (
    amend_renewed_contract,
    analyse_renewal_case,
    archive_renewal,
    decide_renewal,
    lapse_renewal_cases,
    load_pricing_index,
    open_renewal_case,
    propose_renewal,
    run_renewal_scheduler,
    send_renewal_proposal,
    sign_renewal,
    weekly_report,
)

ACME, VALVE, K1 = ClientId("acme"), ProductId("valve"), ContractId("k-1")
ANNA = ManagerId("anna")
START = dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC)  # 60 days before the term end
CASE = RenewalCaseId("renewal_case-000001")


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def order(number: int, day: dt.date, unit_price: str) -> Order:
    line = LineItem(product=VALVE, quantity=Decimal(10), unit_price=eur(unit_price))
    return Order(
        id=OrderId(f"o-{number}"),
        client=ACME,
        order_date=day,
        currency="EUR",
        lines=(line, line),
    )


def invoice(number: int, issued: dt.date, paid: dt.date) -> Invoice:
    line = LineItem(product=VALVE, quantity=Decimal(1), unit_price=eur("100.00"))
    unpaid = Invoice(
        id=InvoiceId(f"i-{number}"),
        client=ACME,
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        currency="EUR",
        lines=(line,),
    )
    return unpaid.with_payment(
        Payment(id=PaymentId(f"pay-{number}"), received_on=paid, amount=eur("100.00"))
    )


def active_contract() -> Contract:
    draft = Contract.draft(
        id=K1,
        client=ACME,
        title="Valve supply",
        start=dt.date(2025, 1, 31),
        term=relativedelta(years=1),
        value=eur("1000.00"),
        price_list=PriceListId("base"),
        recorded_at=dt.datetime(2025, 1, 20, tzinfo=dt.UTC),
        recorded_by=ANNA,
    )
    signed = draft.sign(
        Signature(version=1, signed_on=dt.date(2025, 1, 25), signed_by="Ms Li")
    )
    return signed.move_to(
        ContractStatus.ACTIVE,
        on=dt.date(2025, 1, 31),
        at=dt.datetime(2025, 1, 31, tzinfo=dt.UTC),
        reason="signed",
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    unit = InMemoryUnitOfWork(InMemoryStore())
    with unit:
        unit.products.add(Product(id=VALVE, name="Valve", category=CategoryId("v")))
        unit.price_lists.add(
            PriceList(
                id=PriceListId("base"),
                name="Base",
                currency="EUR",
                kind=PriceListKind.BASE,
                items=(PriceItem(product=VALVE, unit_price=eur("44.80")),),
            )
        )
        unit.clients.add(
            Client(
                id=ACME,
                name="Acme",
                currency="EUR",
                locale="en_GB",
                key_account=True,
                account_manager=ANNA,
            )
        )
        unit.contracts.add(active_contract())
        # 1,000.00 in the previous 12 months, 1,200.00 in the last 12: +20 %.
        unit.orders.add(order(1, dt.date(2024, 6, 3), "50.00"))
        unit.orders.add(order(2, dt.date(2025, 3, 3), "30.00"))
        unit.orders.add(order(3, dt.date(2025, 9, 1), "30.00"))
        # One paid on its due date, one a day late: 50 % on time.
        unit.invoices.add(invoice(1, dt.date(2025, 3, 3), dt.date(2025, 4, 2)))
        unit.invoices.add(invoice(2, dt.date(2025, 9, 1), dt.date(2025, 10, 2)))
        unit.tickets.add(
            Ticket(
                id=TicketId("t-1"),
                client=ACME,
                subject="Leaking valve",
                opened_at=dt.datetime(2025, 11, 20, tzinfo=dt.UTC),
            )
        )
        unit.renewal_alerts.add(
            RenewalAlert(
                id=alert_id(K1, dt.date(2026, 1, 30), AlertKind.RENEWAL),
                contract=K1,
                client=ACME,
                kind=AlertKind.RENEWAL,
                term_end=dt.date(2026, 1, 30),
                deadline=dt.date(2026, 1, 30),
                due_on=dt.date(2025, 12, 1),
                raised_on=dt.date(2025, 12, 1),
                raised_at=START,
                recipient=ANNA,
            )
        )
        unit.commit()
    return unit


def proposal_of(case: RenewalCase) -> ProposalId:
    assert case.proposal is not None
    return case.proposal


def alert_of(case: RenewalCase) -> AlertId:
    assert case.alert is not None
    return case.alert


def run_until_proposed(uow: InMemoryUnitOfWork, clock: FixedClock) -> None:
    ids = SequentialIdSource()
    clock.advance(dt.timedelta(days=2))
    open_renewal_case(uow, ids, clock, contract=K1, by=ANNA)
    clock.advance(dt.timedelta(hours=1))
    analyse_renewal_case(uow, clock, case=CASE, by=ANNA)
    clock.advance(dt.timedelta(hours=1))
    propose_renewal(
        uow,
        ids,
        clock,
        load_pricing_index(uow),
        case=CASE,
        pricing=RenewalPricing(kind=StrategyKind.UPLIFT, uplift=Percentage(3)),
        by=ANNA,
    )


def test_opening_the_case_time_stamps_the_alerts_first_action(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    clock.advance(dt.timedelta(days=2))
    case = open_renewal_case(uow, SequentialIdSource(), clock, contract=K1, by=ANNA)
    with uow:
        alert = uow.renewal_alerts.get(alert_of(case))
        contract = uow.contracts.get(K1)
    assert case.term_end == dt.date(2026, 1, 30)
    assert alert.first_action is not None
    assert (alert.first_action.action, alert.first_action.reference) == (
        "renewal case",
        CASE,
    )
    assert alert.days_to_first_action == 2
    assert contract.status is ContractStatus.RENEWAL_IN_PROGRESS


def test_a_second_case_for_the_same_term_is_refused(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    ids = SequentialIdSource()
    open_renewal_case(uow, ids, clock, contract=K1, by=ANNA)
    with pytest.raises(InvalidTransitionError) as raised:
        open_renewal_case(uow, ids, clock, contract=K1, by=ANNA)
    assert (raised.value.current, raised.value.requested) == (
        ContractStatus.RENEWAL_IN_PROGRESS,
        ContractStatus.RENEWAL_IN_PROGRESS,
    )
    with uow:
        assert len(uow.renewal_cases.all()) == 1


def test_analysis_reads_volume_payments_and_tickets(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    open_renewal_case(uow, SequentialIdSource(), clock, contract=K1, by=ANNA)
    case = analyse_renewal_case(uow, clock, case=CASE, by=ANNA)
    analysis = case.analysis
    assert analysis is not None
    assert (analysis.order_volume, analysis.previous_volume) == (
        eur("1200.00"),
        eur("1000.00"),
    )
    assert analysis.volume_change == Percentage("20.00")
    assert (analysis.invoices_due, analysis.paid_on_time) == (2, 1)
    assert analysis.on_time_ratio == Percentage("50.00")
    assert analysis.open_tickets == 1
    assert analysis.recommended_adjustment == Percentage(3)
    assert case.stage is CaseStage.ANALYSED


def test_the_proposal_is_priced_by_the_engine_with_the_uplift(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    run_until_proposed(uow, clock)
    with uow:
        case = uow.renewal_cases.get(CASE)
        proposal = uow.proposals.get(proposal_of(case))
    [line] = proposal.current.lines
    assert (line.product, line.quantity) == (VALVE, Decimal(40))
    assert line.unit_price == eur("46.1440")
    assert proposal.total == eur("1845.76")
    assert proposal.current.pricing_date == dt.date(2026, 1, 30)
    assert line.explanation is not None
    assert [str(step) for step in line.explanation.steps][-3:] == [
        "renewal: uplift 3%: 46.1440 EUR (rounded: 4 places, ROUND_HALF_UP)",
        "gross total 40 x 46.1440 EUR: 1845.76 EUR (rounded: 2 places, ROUND_HALF_UP)",
        "line total: 1845.76 EUR",
    ]
    assert proposal.valid_until == dt.date(2026, 1, 30)
    assert case.stage is CaseStage.PROPOSED


def test_the_full_workflow_renews_the_contract_on_its_anchor(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    ids = SequentialIdSource()
    archive = InMemoryArchive(clock)
    run_until_proposed(uow, clock)
    send_renewal_proposal(uow, clock, case=CASE, by=ANNA)
    clock.advance(dt.timedelta(days=7))
    cpi = RenewalPricing(
        kind=StrategyKind.INDEX_LINKED,
        index_change=Percentage("6.1"),
        cap=Percentage(4),
        floor=Percentage(0),
        years=2,
    )
    propose_renewal(
        uow, ids, clock, load_pricing_index(uow), case=CASE, pricing=cpi, by=ANNA
    )
    send_renewal_proposal(uow, clock, case=CASE, by=ANNA)
    clock.advance(dt.timedelta(days=3))
    decide_renewal(uow, clock, case=CASE, accepted=True, by=ANNA)
    amend_renewed_contract(uow, clock, case=CASE, by=ANNA)
    clock.advance(dt.timedelta(days=1))
    sign_renewal(uow, clock, case=CASE, signed_by="Ms Li", by=ANNA)
    case = archive_renewal(uow, archive, clock, case=CASE, document=b"%PDF", by=ANNA)

    with uow:
        contract = uow.contracts.get(K1)
        proposal = uow.proposals.get(proposal_of(case))
    assert [s.stage for s in case.steps] == [
        CaseStage.OPENED,
        CaseStage.ANALYSED,
        CaseStage.PROPOSED,
        CaseStage.SENT,
        CaseStage.NEGOTIATING,
        CaseStage.SENT,
        CaseStage.ACCEPTED,
        CaseStage.AMENDED,
        CaseStage.SIGNED,
        CaseStage.ARCHIVED,
    ]
    assert case.reached_at(CaseStage.ACCEPTED) == START + dt.timedelta(days=12, hours=2)
    assert [r.number for r in proposal.revisions] == [1, 2]
    assert [line.unit_price for line in proposal.current.lines] == [
        eur("46.5920"),
        eur("48.4557"),
    ]
    assert proposal.total == eur("3801.91")
    assert proposal.status is ProposalStatus.ACCEPTED
    renewed = contract.current
    assert (renewed.number, renewed.term_start, renewed.term_end) == (
        2,
        dt.date(2026, 1, 31),
        dt.date(2027, 1, 30),
    )
    assert renewed.value == eur("3801.91")
    assert contract.status is ContractStatus.RENEWED
    assert contract.signature_of(2) == Signature(
        version=2,
        signed_on=dt.date(2025, 12, 14),
        signed_by="Ms Li",
        countersigned_by=ANNA,
    )
    [filed] = contract.documents
    assert (filed.version, filed.reference.uri) == (2, "memory://archive/1/k-1-v2.pdf")
    assert archive.load(filed.reference.uri) == b"%PDF"


def test_an_unpriced_product_stores_no_proposal_and_leaves_the_case(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    ids = SequentialIdSource()
    with uow:  # in the catalogue, in no price list
        gasket = ProductId("gasket")
        uow.products.add(Product(id=gasket, name="Gasket", category=CategoryId("g")))
        uow.commit()
    open_renewal_case(uow, ids, clock, contract=K1, by=ANNA)
    analysed = analyse_renewal_case(uow, clock, case=CASE, by=ANNA)
    with pytest.raises(PriceNotFoundError):
        propose_renewal(
            uow,
            ids,
            clock,
            load_pricing_index(uow),
            case=CASE,
            pricing=RenewalPricing(kind=StrategyKind.SAME_PRICES),
            by=ANNA,
            lines=[LineRequest(product=ProductId("gasket"), quantity=Decimal(1))],
        )
    with uow:
        assert uow.proposals.all() == []
        assert uow.renewal_cases.get(CASE) == analysed


def test_amending_before_acceptance_is_refused(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    run_until_proposed(uow, clock)
    with pytest.raises(InvalidTransitionError) as raised:
        amend_renewed_contract(uow, clock, case=CASE, by=ANNA)
    assert (raised.value.current, raised.value.requested) == (
        CaseStage.PROPOSED,
        CaseStage.AMENDED,
    )
    with uow:
        assert len(uow.contracts.get(K1).versions) == 1


def test_an_open_case_lapses_with_its_contract(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    run_until_proposed(uow, clock)
    send_renewal_proposal(uow, clock, case=CASE, by=ANNA)
    with uow:
        contract = uow.contracts.get(K1)
        uow.contracts.save(
            contract.move_to(
                ContractStatus.LAPSED,
                on=dt.date(2026, 1, 31),
                at=clock.now(),
                reason="term ended unrenewed",
            )
        )
        uow.commit()
    [closed] = lapse_renewal_cases(uow, clock, by=ANNA)
    with uow:
        proposal = uow.proposals.get(proposal_of(closed))
    assert closed.stage is CaseStage.LAPSED
    assert proposal.status is ProposalStatus.EXPIRED
    assert lapse_renewal_cases(uow, clock, by=ANNA) == []


def test_a_declined_renewal_rejects_the_proposal_and_closes_the_case(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    run_until_proposed(uow, clock)
    send_renewal_proposal(uow, clock, case=CASE, by=ANNA)
    case = decide_renewal(
        uow, clock, case=CASE, accepted=False, by=ANNA, note="moving to a rival"
    )
    with uow:
        proposal = uow.proposals.get(proposal_of(case))
        contract = uow.contracts.get(K1)
    assert (case.stage, case.is_open) == (CaseStage.DECLINED, False)
    assert proposal.status is ProposalStatus.REJECTED
    assert proposal.history[-1].note == "moving to a rival"
    assert contract.status is ContractStatus.RENEWAL_IN_PROGRESS


def test_a_case_concluded_after_an_auto_renewal_amends_the_new_term(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    with uow:
        contract = uow.contracts.get(K1)
        uow.contracts.save(
            contract.amend(
                effective_from=dt.date(2025, 6, 1),
                recorded_at=START,
                recorded_by=ANNA,
                note="auto-renewal clause added",
                auto_renew=True,
            )
        )
        uow.commit()
    run_until_proposed(uow, clock)
    send_renewal_proposal(uow, clock, case=CASE, by=ANNA)
    decide_renewal(uow, clock, case=CASE, accepted=True, by=ANNA)
    clock.set(dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC))
    with uow:
        contract = uow.contracts.get(K1)
        rolled = contract.renew(recorded_at=clock.now(), recorded_by=ANNA).move_to(
            ContractStatus.RENEWED,
            on=dt.date(2026, 1, 31),
            at=clock.now(),
            reason="auto-renewed",
        )
        uow.contracts.save(rolled)
        uow.commit()
    amend_renewed_contract(uow, clock, case=CASE, by=ANNA)
    case = sign_renewal(uow, clock, case=CASE, signed_by="Ms Li", by=ANNA)
    with uow:
        contract = uow.contracts.get(K1)
    current = contract.current
    assert [v.number for v in contract.versions] == [1, 2, 3, 4]
    assert (current.effective_from, current.term_start, current.term_end) == (
        dt.date(2026, 1, 31),
        dt.date(2026, 1, 31),
        dt.date(2027, 1, 30),
    )
    assert current.value == eur("1845.76")
    assert case.amended_version == 4
    assert contract.status is ContractStatus.RENEWED


def amend_without_signing(uow: InMemoryUnitOfWork, clock: FixedClock) -> None:
    run_until_proposed(uow, clock)
    send_renewal_proposal(uow, clock, case=CASE, by=ANNA)
    decide_renewal(uow, clock, case=CASE, accepted=True, by=ANNA)
    amend_renewed_contract(uow, clock, case=CASE, by=ANNA)


def test_an_amended_renewal_never_signed_lapses_at_the_signed_terms_end(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    amend_without_signing(uow, clock)
    clock.set(dt.datetime(2026, 6, 1, 6, 0, tzinfo=dt.UTC))
    run = run_renewal_scheduler(uow, RecordingNotifier(), clock)
    with uow:
        contract = uow.contracts.get(K1)
    assert [(e.outcome.value, e.term_end, e.on) for e in run.term_ends] == [
        ("lapsed", dt.date(2026, 1, 30), dt.date(2026, 1, 31)),
    ]
    assert contract.status is ContractStatus.LAPSED
    [closed] = lapse_renewal_cases(uow, clock, by=ANNA)
    assert closed.stage is CaseStage.LAPSED


def test_an_unsigned_renewal_that_lapsed_counts_as_expired_unrenewed(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    amend_without_signing(uow, clock)
    clock.set(dt.datetime(2026, 6, 1, 6, 0, tzinfo=dt.UTC))
    run_renewal_scheduler(uow, RecordingNotifier(), clock)
    report = weekly_report(uow, clock, selection=AccountSelection.key_accounts())
    [line] = report.expired.contracts
    assert (line.contract, line.term_end, line.lapsed_on, line.value) == (
        K1,
        dt.date(2026, 1, 30),
        dt.date(2026, 1, 31),
        eur("1000.00"),  # the signed value, not the unsigned renewal's
    )
    assert report.health.expiring.lines == ()


def test_a_renewal_signed_after_the_auto_renewal_takes_over_the_new_term(
    uow: InMemoryUnitOfWork, clock: FixedClock
) -> None:
    with uow:
        contract = uow.contracts.get(K1)
        uow.contracts.save(
            contract.amend(
                effective_from=dt.date(2025, 6, 1),
                recorded_at=START,
                recorded_by=ANNA,
                note="auto-renewal clause added",
                auto_renew=True,
            )
        )
        uow.commit()
    amend_without_signing(uow, clock)
    clock.set(dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC))
    assert run_renewal_scheduler(uow, RecordingNotifier(), clock).renewed == (K1,)
    sign_renewal(uow, clock, case=CASE, signed_by="Ms Li", by=ANNA)
    with uow:
        contract = uow.contracts.get(K1)
    assert [(v.number, v.term_start, str(v.value)) for v in contract.versions] == [
        (1, dt.date(2025, 1, 31), "1000.00 EUR"),
        (2, dt.date(2025, 1, 31), "1000.00 EUR"),
        (3, dt.date(2026, 1, 31), "1845.76 EUR"),  # the case's, signed late
        (4, dt.date(2026, 1, 31), "1000.00 EUR"),  # the clause's, on the old terms
        (5, dt.date(2026, 1, 31), "1845.76 EUR"),  # the signed terms take over
    ]
    assert contract.binding.number == 5
    assert contract.signature_of(3) is not None
    assert contract.status is ContractStatus.RENEWED
