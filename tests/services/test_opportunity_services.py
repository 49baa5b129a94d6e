"""The pipeline through the ports: meetings, the daily review, upsell detection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from kamcore.accounts import (
    Activity,
    ActivityKind,
    Client,
    ClientStatus,
    LineItem,
    Order,
    Product,
)
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.ids import SequentialIdSource
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.errors import (
    DuplicateError,
    InvalidTransitionError,
    NotFoundError,
    ValidationError,
)
from kamcore.kernel import (
    ActivityId,
    CategoryId,
    ClientId,
    ManagerId,
    Money,
    OpportunityId,
    OrderId,
    Percentage,
    PriceListId,
    ProductId,
)
from kamcore.opportunities import (
    Attention,
    Opportunity,
    OpportunityKind,
    Outcome,
    PricingHint,
    Stage,
)
from kamcore.pricing import PriceItem, PriceList, PriceListKind
from kamcore.services import (
    close_opportunity,
    create_opportunity,
    open_opportunity_review,
    record_meeting,
    suggest_upsell,
    update_opportunity,
)

ACME, GLOBEX, INITECH = ClientId("acme"), ClientId("globex"), ClientId("initech")
ROSSI, BIANCHI = ManagerId("m.rossi"), ManagerId("m.bianchi")
VALVE, PUMP = ProductId("valve"), ProductId("pump")
NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    unit = InMemoryUnitOfWork(InMemoryStore())
    with unit:
        for product in (VALVE, PUMP):
            unit.products.add(
                Product(id=product, name=product, category=CategoryId("parts"))
            )
        unit.price_lists.add(
            PriceList(
                id=PriceListId("base"),
                name="Base",
                currency="EUR",
                kind=PriceListKind.BASE,
                items=(
                    PriceItem(product=VALVE, unit_price=eur("44.80")),
                    PriceItem(
                        product=VALVE,
                        unit_price=eur("42.00"),
                        min_quantity=Decimal(100),
                    ),
                    PriceItem(product=PUMP, unit_price=eur("1840.00")),
                ),
            )
        )
        for client, manager in ((ACME, ROSSI), (GLOBEX, BIANCHI), (INITECH, None)):
            unit.clients.add(
                Client(
                    id=client,
                    name=client.title(),
                    currency="EUR",
                    locale="en_GB",
                    key_account=manager is not None,
                    account_manager=manager,
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


def add_deal(
    uow: InMemoryUnitOfWork,
    ids: SequentialIdSource,
    clock: FixedClock,
    **fields: Any,
) -> Opportunity:
    defaults: dict[str, Any] = {
        "client": ACME,
        "kind": OpportunityKind.EXPANSION,
        "title": "Second plant",
        "owner": ROSSI,
        "value": eur("48000.00"),
        "close_date": dt.date(2026, 9, 30),
    }
    defaults.update(fields)
    return create_opportunity(uow, ids, clock, **defaults)


def stored(uow: InMemoryUnitOfWork, opportunity: OpportunityId) -> Opportunity:
    with uow:
        return uow.opportunities.get(opportunity)


def activities(uow: InMemoryUnitOfWork) -> list[Activity]:
    with uow:
        return uow.activities.all()


# -- create, update, close -------------------------------------------------------


def test_create_stores_an_open_deal_at_the_stage_probability(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    deal = add_deal(uow, ids, clock, stage=Stage.PROPOSAL)
    assert (deal.id, deal.version, deal.probability, deal.created_at) == (
        "opportunity-000001",
        1,
        Percentage(50),
        NOW,
    )
    assert stored(uow, deal.id) == deal


def test_create_needs_a_stored_client(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    with pytest.raises(NotFoundError):
        add_deal(uow, ids, clock, client=ClientId("nobody"))


def test_the_daily_update_moves_stage_then_overrides(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    deal = add_deal(uow, ids, clock)
    clock.advance(dt.timedelta(hours=2))
    updated = update_opportunity(
        uow,
        clock,
        opportunity=deal.id,
        by=BIANCHI,
        stage=Stage.NEGOTIATION,
        probability=Percentage(60),
        reason="legal review pending",
    )
    assert (updated.stage, updated.stage_probability, updated.probability) == (
        Stage.NEGOTIATION,
        Percentage(75),
        Percentage(60),
    )
    assert [c.field for c in updated.changes] == [
        "stage",
        "stage_probability",
        "override",
    ]
    assert updated.override is not None
    assert (updated.override.by, updated.override.at) == (BIANCHI, clock.now())
    assert stored(uow, deal.id).version == 2


def test_setting_and_clearing_together_is_refused(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    deal = add_deal(uow, ids, clock)
    with pytest.raises(ValidationError):
        update_opportunity(
            uow,
            clock,
            opportunity=deal.id,
            by=ROSSI,
            probability=Percentage(5),
            clear_override=True,
            reason="x",
        )


def test_close_refuses_a_second_outcome(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    deal = add_deal(uow, ids, clock)
    lost = close_opportunity(
        uow,
        clock,
        opportunity=deal.id,
        outcome=Outcome.LOST,
        by=ROSSI,
        reason="went with a competitor",
    )
    assert (lost.outcome, lost.closed_at) == (Outcome.LOST, NOW)
    with pytest.raises(InvalidTransitionError):
        close_opportunity(
            uow, clock, opportunity=deal.id, outcome=Outcome.WON, by=ROSSI
        )
    assert stored(uow, deal.id) == lost


# -- the post-meeting update -------------------------------------------------------


def test_a_meeting_stores_the_changes_and_the_activity_together(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    deal = add_deal(uow, ids, clock)
    clock.advance(dt.timedelta(days=1))
    updated, activity = record_meeting(
        uow,
        ids,
        clock,
        opportunity=deal.id,
        author=ROSSI,
        summary="Plant visit: volumes confirmed, budget in Q3",
        value=eur("52500.00"),
        close_date=dt.date(2026, 10, 31),
        notes="Procurement changes in September",
        stage=Stage.NEEDS_ANALYSIS,
    )
    assert activity == Activity(
        id=ActivityId("activity-000001"),
        client=ACME,
        kind=ActivityKind.MEETING,
        occurred_at=clock.now(),
        summary="Plant visit: volumes confirmed, budget in Q3",
        author=ROSSI,
        opportunity=deal.id,
        version=1,
    )
    assert [(c.field, c.before, c.after) for c in updated.changes] == [
        ("stage", "qualification", "needs_analysis"),
        ("stage_probability", "10%", "25%"),
        ("value", "48000.00 EUR", "52500.00 EUR"),
        ("close_date", "2026-09-30", "2026-10-31"),
        ("notes", "", "Procurement changes in September"),
    ]
    assert {c.reason for c in updated.changes} == {"meeting activity-000001"}
    assert stored(uow, deal.id) == updated
    assert activities(uow) == [activity]


def test_a_failing_activity_leaves_the_opportunity_unchanged(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    deal = add_deal(uow, ids, clock)
    with uow:
        # The id source's next activity id is already taken.
        uow.activities.add(
            Activity(
                id=ActivityId("activity-000001"),
                client=ACME,
                kind=ActivityKind.CALL,
                occurred_at=NOW,
                summary="Earlier call",
                author=ROSSI,
            )
        )
        uow.commit()
    with pytest.raises(DuplicateError):
        record_meeting(
            uow,
            ids,
            clock,
            opportunity=deal.id,
            author=ROSSI,
            summary="Visit",
            value=eur("1.00"),
        )
    assert stored(uow, deal.id) == deal
    assert [a.summary for a in activities(uow)] == ["Earlier call"]


def test_a_blank_summary_stores_nothing(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    deal = add_deal(uow, ids, clock)
    with pytest.raises(ValidationError) as error:
        record_meeting(
            uow,
            ids,
            clock,
            opportunity=deal.id,
            author=ROSSI,
            summary="  ",
            stage=Stage.CLOSING,
        )
    assert [e.path for e in error.value.errors] == ["summary"]
    assert stored(uow, deal.id) == deal
    assert activities(uow) == []


def test_a_meeting_without_changes_only_records_the_activity(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    deal = add_deal(uow, ids, clock)
    won = close_opportunity(
        uow, clock, opportunity=deal.id, outcome=Outcome.WON, by=ROSSI
    )
    same, activity = record_meeting(
        uow, ids, clock, opportunity=deal.id, author=ROSSI, summary="Kick-off"
    )
    assert same == won
    assert activity.opportunity == deal.id


def test_a_meeting_cannot_change_a_closed_deal(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    deal = add_deal(uow, ids, clock)
    won = close_opportunity(
        uow, clock, opportunity=deal.id, outcome=Outcome.WON, by=ROSSI
    )
    with pytest.raises(InvalidTransitionError):
        record_meeting(
            uow,
            ids,
            clock,
            opportunity=deal.id,
            author=ROSSI,
            summary="Late",
            notes="reopen?",
        )
    assert stored(uow, deal.id) == won
    assert activities(uow) == []


# -- the daily review ---------------------------------------------------------------


def test_the_review_lists_an_owners_open_deals_with_what_needs_doing(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    overdue = add_deal(uow, ids, clock, close_date=dt.date(2026, 7, 15))
    idle = add_deal(uow, ids, clock, close_date=dt.date(2026, 12, 31))
    add_deal(uow, ids, clock, owner=BIANCHI, client=GLOBEX)
    won = add_deal(uow, ids, clock)
    close_opportunity(uow, clock, opportunity=won.id, outcome=Outcome.WON, by=ROSSI)
    clock.advance(dt.timedelta(days=20))
    review = open_opportunity_review(uow, clock, owner=ROSSI)
    assert review.as_of == dt.date(2026, 7, 20)
    assert [(i.opportunity.id, i.attention) for i in review.items] == [
        (overdue.id, (Attention.CLOSE_DATE_PASSED, Attention.NO_RECENT_CHANGE)),
        (idle.id, (Attention.NO_RECENT_CHANGE,)),
    ]
    assert [i.days_since_change for i in review.items] == [20, 20]


# -- upsell detection ---------------------------------------------------------------


def orders_of(client: ClientId, product: ProductId, *months: int) -> list[Order]:
    return [
        Order(
            id=OrderId(f"o-{client}-{product}-{month:02d}"),
            client=client,
            order_date=dt.date(2026, month, 15),
            currency="EUR",
            lines=(
                LineItem(
                    product=product, quantity=Decimal(40), unit_price=eur("44.80")
                ),
            ),
        )
        for month in months
    ]


def seed_orders(uow: InMemoryUnitOfWork, *batches: list[Order]) -> None:
    with uow:
        for batch in batches:
            for order in batch:
                uow.orders.add(order)
        uow.commit()


def test_upsell_opens_one_opportunity_per_repeat_buyer(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    seed_orders(uow, orders_of(ACME, VALVE, 2, 4, 6), orders_of(GLOBEX, VALVE, 5, 6))
    run = suggest_upsell(uow, ids, clock)
    [created] = run.created
    assert (created.id, created.client, created.kind, created.product) == (
        "opportunity-000001",
        ACME,
        OpportunityKind.UPSELL,
        VALVE,
    )
    assert (created.owner, created.value, created.close_date) == (
        ROSSI,
        eur("5376.00"),
        dt.date(2026, 9, 28),
    )
    assert (created.stage, created.probability) == (
        Stage.QUALIFICATION,
        Percentage(10),
    )
    assert created.title == "Upsell valve: 3 orders since 2026-01-01"
    assert created.notes.startswith("volume_discount: 3 orders of 40.000 units")
    assert [s.hint for s in run.suggestions] == [PricingHint.VOLUME_DISCOUNT]
    assert run.rows()[0]["opportunity"] == "opportunity-000001"


def test_upsell_reruns_create_nothing_new(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    seed_orders(uow, orders_of(ACME, VALVE, 2, 4, 6))
    first = suggest_upsell(uow, ids, clock)
    again = suggest_upsell(uow, ids, clock)
    assert (len(again.created), again.skipped) == (0, first.suggestions)
    with uow:
        assert [o.id for o in uow.opportunities.all()] == ["opportunity-000001"]


def test_upsell_reopens_after_the_last_one_closed(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    seed_orders(uow, orders_of(ACME, VALVE, 2, 4, 6))
    [first] = suggest_upsell(uow, ids, clock).created
    close_opportunity(
        uow, clock, opportunity=first.id, outcome=Outcome.LOST, by=ROSSI, reason="no"
    )
    [second] = suggest_upsell(uow, ids, clock).created
    assert second.id == "opportunity-000002"


def test_upsell_needs_an_owner_and_stores_nothing_without_one(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    seed_orders(uow, orders_of(ACME, VALVE, 2, 4, 6), orders_of(INITECH, PUMP, 1, 2, 3))
    with pytest.raises(ValidationError) as error:
        suggest_upsell(uow, ids, clock)
    assert error.value.errors[0].path == "default_owner"
    with uow:
        assert uow.opportunities.all() == []
    run = suggest_upsell(uow, ids, clock, default_owner=BIANCHI)
    assert [(o.client, o.owner) for o in run.created] == [
        (ACME, ROSSI),
        (INITECH, BIANCHI),
    ]


def test_upsell_for_one_managers_portfolio(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    seed_orders(uow, orders_of(ACME, VALVE, 2, 4, 6), orders_of(GLOBEX, PUMP, 1, 2, 3))
    run = suggest_upsell(uow, ids, clock, manager=BIANCHI)
    assert [(o.client, o.product) for o in run.created] == [(GLOBEX, PUMP)]


def test_upsell_leaves_closed_clients_out(
    uow: InMemoryUnitOfWork, ids: SequentialIdSource, clock: FixedClock
) -> None:
    seed_orders(uow, orders_of(ACME, VALVE, 2, 4, 6))
    with uow:
        acme = uow.clients.get(ACME)
        uow.clients.save(
            Client(
                id=acme.id,
                name=acme.name,
                currency="EUR",
                locale="en_GB",
                status=ClientStatus.CLOSED,
                version=acme.version,
            )
        )
        uow.commit()
    assert suggest_upsell(uow, ids, clock).suggestions == ()
