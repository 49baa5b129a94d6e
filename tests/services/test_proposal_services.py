"""Proposals through the ports: priced, sent, revised, accepted, converted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

from kamcore.accounts import Client, Order, Product
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.ids import SequentialIdSource
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.errors import InvalidTransitionError, ValidationError
from kamcore.kernel import (
    CategoryId,
    ClientId,
    ManagerId,
    Money,
    PriceListId,
    ProductId,
    ProposalId,
)
from kamcore.opportunities import Opportunity, OpportunityKind, Outcome
from kamcore.pricing import (
    LineRequest,
    PriceItem,
    PriceList,
    PriceListKind,
    PriceNotFoundError,
)
from kamcore.proposals import Proposal, ProposalPurpose, ProposalStatus
from kamcore.services import (
    close_opportunity,
    convert_proposal_to_order,
    create_opportunity,
    create_proposal,
    decide_proposal,
    revise_proposal,
    send_proposal,
)

ACME, GLOBEX = ClientId("acme"), ClientId("globex")
ROSSI = ManagerId("m.rossi")
VALVE, PUMP = ProductId("valve"), ProductId("pump")
BASE = PriceListId("base")
NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 30)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def base_list(pump: str = "1840.00", valve: str = "44.80") -> PriceList:
    return PriceList(
        id=BASE,
        name="Base",
        currency="EUR",
        kind=PriceListKind.BASE,
        items=(
            PriceItem(product=VALVE, unit_price=eur(valve)),
            PriceItem(
                product=VALVE, unit_price=eur("42.00"), min_quantity=Decimal(100)
            ),
            PriceItem(product=PUMP, unit_price=eur(pump)),
        ),
    )


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    unit = InMemoryUnitOfWork(InMemoryStore())
    with unit:
        for product in (VALVE, PUMP):
            unit.products.add(
                Product(id=product, name=product, category=CategoryId("parts"))
            )
        unit.price_lists.add(base_list())
        for client in (ACME, GLOBEX):
            unit.clients.add(
                Client(
                    id=client,
                    name=client.title(),
                    currency="EUR",
                    locale="en_GB",
                    account_manager=ROSSI,
                )
            )
        unit.commit()
    return unit


@pytest.fixture
def ids() -> SequentialIdSource:
    return SequentialIdSource()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def reprice_base(uow: InMemoryUnitOfWork, **prices: str) -> None:
    with uow:
        current = uow.price_lists.get(BASE)
        uow.price_lists.save(attrs.evolve(base_list(**prices), version=current.version))
        uow.commit()


def lines(**quantities: int) -> list[LineRequest]:
    return [
        LineRequest(product=ProductId(product), quantity=Decimal(quantity))
        for product, quantity in quantities.items()
    ]


def deal(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> Opportunity:
    return create_opportunity(
        uow,
        ids,
        clock,
        client=ACME,
        kind=OpportunityKind.UPSELL,
        title="Valves: yearly volume",
        owner=ROSSI,
        value=eur("9000.00"),
        close_date=dt.date(2026, 9, 30),
    )


def draft(
    uow: InMemoryUnitOfWork,
    ids: SequentialIdSource,
    clock: FixedClock,
    **fields: Any,
) -> Proposal:
    arguments: dict[str, Any] = {"valid_until": dt.date(2026, 7, 31), **fields}
    proposal, _ = create_proposal(
        uow,
        ids,
        clock,
        client=ACME,
        purpose=ProposalPurpose.UPSELL,
        lines=lines(valve=60, pump=2),
        pricing_date=TODAY,
        author=ROSSI,
        **arguments,
    )
    return proposal


def stored(uow: InMemoryUnitOfWork) -> tuple[list[Proposal], list[Order]]:
    with uow:
        return uow.proposals.all(), uow.orders.all()


def test_proposal_sent_revised_accepted_and_converted_with_exact_totals(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    opportunity = deal(uow, ids, clock)
    created = draft(uow, ids, clock, opportunity=opportunity.id)
    assert (created.id, created.status, created.total) == (
        "proposal-000001",
        ProposalStatus.DRAFT,
        eur("6368.00"),
    )
    assert [line.total for line in created.current.lines] == [
        eur("2688.00"),
        eur("3680.00"),
    ]
    first = created.current.lines[0].explanation
    assert first is not None
    assert first.source == "base.items[0]"

    clock.advance(dt.timedelta(days=1))
    sent = send_proposal(uow, clock, proposal=created.id, note="by email")
    assert sent.status is ProposalStatus.SENT

    # Prices change while the client negotiates: the revision is re-priced.
    reprice_base(uow, pump="1900.00")
    clock.advance(dt.timedelta(days=6))
    revised, priced = revise_proposal(
        uow,
        clock,
        proposal=created.id,
        lines=lines(valve=120, pump=2),
        pricing_date=dt.date(2026, 7, 7),
        author=ROSSI,
        note="Client doubles the valves; pump at the new list price",
    )
    assert (revised.status, len(revised.revisions)) == (
        ProposalStatus.NEGOTIATING,
        2,
    )
    assert revised.revisions[0] == created.revisions[0]
    assert [line.unit_price for line in revised.current.lines] == [
        eur("42.0000"),
        eur("1900.0000"),
    ]
    assert priced.total == revised.total == eur("8840.00")

    send_proposal(uow, clock, proposal=created.id)
    accepted = decide_proposal(
        uow, clock, proposal=created.id, accepted=True, note="PO to follow"
    )
    assert accepted.status is ProposalStatus.ACCEPTED

    # A later list change does not touch what was accepted.
    reprice_base(uow, valve="50.00", pump="2000.00")
    clock.advance(dt.timedelta(days=2))
    order = convert_proposal_to_order(
        uow, ids, clock, proposal=created.id, order_date=dt.date(2026, 7, 9)
    )
    assert (order.id, order.client, order.order_date, order.total) == (
        "order-000001",
        ACME,
        dt.date(2026, 7, 9),
        eur("8840.00"),
    )
    assert order.lines == revised.current.lines

    [proposal], [stored_order] = stored(uow)
    assert stored_order == order
    assert (proposal.status, proposal.order) == (ProposalStatus.CONVERTED, order.id)
    assert [event.status for event in proposal.history] == [
        ProposalStatus.SENT,
        ProposalStatus.NEGOTIATING,
        ProposalStatus.SENT,
        ProposalStatus.ACCEPTED,
        ProposalStatus.CONVERTED,
    ]
    with uow:
        won = uow.opportunities.get(opportunity.id)
    assert (won.outcome, won.proposal, won.closed_at) == (
        Outcome.WON,
        created.id,
        clock.now(),
    )
    assert (
        won.changes[-1].reason
        == "proposal proposal-000001 converted to order order-000001"
    )


def test_creating_links_the_opportunity(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    opportunity = deal(uow, ids, clock)
    proposal = draft(uow, ids, clock, opportunity=opportunity.id)
    with uow:
        linked = uow.opportunities.get(opportunity.id)
    assert (linked.proposal, linked.changes[-1].field) == (proposal.id, "proposal")


def test_another_clients_opportunity_is_refused_and_nothing_stored(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    opportunity = deal(uow, ids, clock)
    with pytest.raises(ValidationError) as error:
        create_proposal(
            uow,
            ids,
            clock,
            client=GLOBEX,
            purpose=ProposalPurpose.UPSELL,
            lines=lines(valve=1),
            pricing_date=TODAY,
            author=ROSSI,
            opportunity=opportunity.id,
        )
    assert error.value.errors[0].path == "opportunity"
    assert stored(uow) == ([], [])
    with uow:
        assert uow.opportunities.get(opportunity.id) == opportunity


def test_an_unpriced_product_stores_nothing(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    with uow:  # in the catalogue, in no price list
        gasket = ProductId("gasket")
        uow.products.add(
            Product(id=gasket, name="Gasket", category=CategoryId("parts"))
        )
        uow.commit()
    with pytest.raises(PriceNotFoundError):
        create_proposal(
            uow,
            ids,
            clock,
            client=ACME,
            purpose=ProposalPurpose.CROSS_SELL,
            lines=lines(gasket=1),
            pricing_date=TODAY,
            author=ROSSI,
        )
    assert stored(uow) == ([], [])


def test_valid_until_cannot_precede_the_pricing_date(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    with pytest.raises(ValidationError) as error:
        draft(uow, ids, clock, valid_until=dt.date(2026, 6, 29))
    assert error.value.errors[0].path == "valid_until"


def test_an_offer_cannot_be_accepted_after_it_expired(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    proposal = draft(uow, ids, clock)
    send_proposal(uow, clock, proposal=proposal.id)
    clock.set(dt.datetime(2026, 8, 1, 9, 0, tzinfo=dt.UTC))
    with pytest.raises(InvalidTransitionError) as error:
        decide_proposal(uow, clock, proposal=proposal.id, accepted=True)
    assert error.value.requested is ProposalStatus.ACCEPTED
    rejected = decide_proposal(uow, clock, proposal=proposal.id, accepted=False)
    assert rejected.status is ProposalStatus.REJECTED


def test_the_last_valid_day_still_accepts(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    proposal = draft(uow, ids, clock)
    send_proposal(uow, clock, proposal=proposal.id)
    clock.set(dt.datetime(2026, 7, 31, 17, 0, tzinfo=dt.UTC))
    assert (
        decide_proposal(uow, clock, proposal=proposal.id, accepted=True).status
        is ProposalStatus.ACCEPTED
    )


def test_a_rejection_leaves_the_opportunity_open(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    opportunity = deal(uow, ids, clock)
    proposal = draft(uow, ids, clock, opportunity=opportunity.id)
    send_proposal(uow, clock, proposal=proposal.id)
    decide_proposal(uow, clock, proposal=proposal.id, accepted=False)
    with uow:
        assert uow.opportunities.get(opportunity.id).is_open


def test_only_an_accepted_proposal_converts(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    proposal = draft(uow, ids, clock)
    send_proposal(uow, clock, proposal=proposal.id)
    with pytest.raises(InvalidTransitionError) as error:
        convert_proposal_to_order(
            uow, ids, clock, proposal=proposal.id, order_date=TODAY
        )
    assert (error.value.current, error.value.requested) == (
        ProposalStatus.SENT,
        ProposalStatus.CONVERTED,
    )
    assert stored(uow)[1] == []


def test_a_lost_opportunity_blocks_the_conversion(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    opportunity = deal(uow, ids, clock)
    proposal = draft(uow, ids, clock, opportunity=opportunity.id)
    send_proposal(uow, clock, proposal=proposal.id)
    decide_proposal(uow, clock, proposal=proposal.id, accepted=True)
    close_opportunity(
        uow, clock, opportunity=opportunity.id, outcome=Outcome.LOST, by=ROSSI
    )
    with pytest.raises(InvalidTransitionError):
        convert_proposal_to_order(
            uow, ids, clock, proposal=proposal.id, order_date=TODAY
        )
    proposals, orders = stored(uow)
    assert (proposals[0].status, orders) == (ProposalStatus.ACCEPTED, [])


def test_a_decided_proposal_cannot_be_revised(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    proposal = draft(uow, ids, clock)
    send_proposal(uow, clock, proposal=proposal.id)
    decide_proposal(uow, clock, proposal=proposal.id, accepted=True)
    with pytest.raises(InvalidTransitionError):
        revise_proposal(
            uow,
            clock,
            proposal=ProposalId(proposal.id),
            lines=lines(valve=1),
            pricing_date=TODAY,
            author=ROSSI,
            note="too late",
        )
