"""Invariants of the pipeline: weighted totals, history, upsell detection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import Client, LineItem, Order, OrderStatus
from kamcore.errors import InvalidTransitionError
from kamcore.kernel import (
    ClientId,
    ManagerId,
    Money,
    OpportunityId,
    OrderId,
    PriceListId,
    ProductId,
    ProposalId,
)
from kamcore.opportunities import (
    Opportunity,
    OpportunityKind,
    Outcome,
    Stage,
    UpsellCriteria,
    detect_upsell,
    weighted_pipeline,
)
from kamcore.pricing import PriceItem, PriceList, PriceListKind, PricingIndex
from kamcore.proposals import Proposal, ProposalStatus
from kamcore.testing import strategies as ks

# -- weighted pipeline --------------------------------------------------------------

pipelines = st.lists(
    ks.opportunities(currency="EUR"), max_size=5, unique_by=lambda o: o.id
)


@given(pipelines, st.randoms(use_true_random=False))
def test_weighted_pipeline_is_order_independent(
    deals: list[Opportunity], random: Random
) -> None:
    shuffled = list(deals)
    random.shuffle(shuffled)
    assert weighted_pipeline(shuffled, currency="EUR") == weighted_pipeline(
        deals, currency="EUR"
    )


@given(pipelines)
def test_weighted_pipeline_is_the_sum_of_its_rows_rounded_once(
    deals: list[Opportunity],
) -> None:
    pipeline = weighted_pipeline(deals, currency="EUR")
    exact = sum(
        (Fraction(d.value.amount) * Fraction(d.probability.value) / 100)
        for d in deals
        if d.outcome is Outcome.OPEN
    )
    assert Fraction(pipeline.exact_total.amount) == exact
    assert pipeline.exact_total == Money.sum((r.weighted for r in pipeline.rows), "EUR")
    assert pipeline.total == pipeline.exact_total.rounded()
    assert len(pipeline.to_rows()) == sum(d.is_open for d in deals)


# -- history only grows ------------------------------------------------------------

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
WHO = ManagerId("m-1")

Step = Callable[[Opportunity, dt.datetime], Opportunity]

steps: st.SearchStrategy[Step] = st.one_of(
    st.sampled_from(Stage).map(
        lambda s: lambda d, at: d.move_to_stage(s, at=at, by=WHO)
    ),
    ks.percentages().map(
        lambda p: lambda d, at: d.override_probability(p, at=at, by=WHO, reason="r")
    ),
    st.just(lambda d, at: d.clear_override(at=at, by=WHO)),
    ks.money("EUR", min_value=0, max_value=10_000).map(
        lambda v: lambda d, at: d.update(at=at, by=WHO, value=v)
    ),
    ks.dates().map(lambda c: lambda d, at: d.update(at=at, by=WHO, close_date=c)),
    st.text(max_size=5).map(lambda n: lambda d, at: d.update(at=at, by=WHO, notes=n)),
    st.just(lambda d, at: d.link_proposal(ProposalId("p-1"), at=at, by=WHO)),
    st.sampled_from([Outcome.WON, Outcome.LOST]).map(
        lambda o: lambda d, at: d.close(o, at=at, by=WHO)
    ),
)


@given(st.lists(steps, max_size=12))
def test_history_only_grows(script: list[Step]) -> None:
    deal = Opportunity.create(
        id=OpportunityId("op-1"),
        client=ClientId("c-1"),
        kind=OpportunityKind.UPSELL,
        title="t",
        owner=WHO,
        value=Money("100.00", "EUR"),
        close_date=dt.date(2026, 6, 30),
        at=START,
    )
    for minutes, step in enumerate(script, start=1):
        at = START + dt.timedelta(minutes=minutes)
        try:
            after = step(deal, at)
        except InvalidTransitionError:
            assert not deal.is_open
            continue
        assert after.changes[: len(deal.changes)] == deal.changes
        assert all(c.at == at for c in after.changes[len(deal.changes) :])
        assert (after is deal) == (after.changes == deal.changes)
        expected = after.override.probability if after.override else None
        assert after.probability == (expected or after.stage_probability)
        deal = after


# -- upsell detection ---------------------------------------------------------------

AS_OF = dt.date(2026, 6, 30)
PRODUCTS = [ProductId("p-1"), ProductId("p-2")]
CLIENTS = [
    Client(id=ClientId(c), name=c, currency="EUR", locale="en_GB")
    for c in ("c-1", "c-2")
]
INDEX = PricingIndex(
    [
        PriceList(
            id=PriceListId("base"),
            name="Base",
            currency="EUR",
            kind=PriceListKind.BASE,
            items=(
                PriceItem(product=PRODUCTS[0], unit_price=Money("10.00", "EUR")),
                PriceItem(
                    product=PRODUCTS[0],
                    unit_price=Money("9.00", "EUR"),
                    min_quantity=Decimal(50),
                ),
                PriceItem(product=PRODUCTS[1], unit_price=Money("25.00", "EUR")),
            ),
        )
    ]
)


@st.composite
def order_books(draw: st.DrawFn) -> list[Order]:
    count = draw(st.integers(0, 14))
    books = []
    for number in range(count):
        placed = draw(st.dates(dt.date(2025, 12, 1), dt.date(2026, 7, 31)))
        status = draw(st.sampled_from(OrderStatus))
        closed = (
            None
            if status is OrderStatus.OPEN
            else placed + dt.timedelta(days=draw(st.integers(0, 60)))
        )
        books.append(_order(draw, number, placed, status, closed))
    return books


def _order(
    draw: st.DrawFn,
    number: int,
    placed: dt.date,
    status: OrderStatus,
    closed: dt.date | None,
) -> Order:
    return Order(
        id=OrderId(f"o-{number:02d}"),
        client=draw(st.sampled_from(CLIENTS)).id,
        order_date=placed,
        currency="EUR",
        lines=tuple(
            LineItem(
                product=product,
                quantity=Decimal(draw(st.integers(1, 40))),
                unit_price=Money("10.00", "EUR"),
            )
            for product in draw(
                st.lists(st.sampled_from(PRODUCTS), min_size=1, max_size=2)
            )
        ),
        status=status,
        closed_on=closed,
    )


@given(order_books(), st.randoms(use_true_random=False), st.integers(2, 4))
def test_upsell_detection_ignores_storage_order(
    orders: list[Order], random: Random, at_least: int
) -> None:
    criteria = UpsellCriteria(min_orders=at_least, dedicated_list_min_orders=4)
    shuffled = list(orders)
    random.shuffle(shuffled)

    def detect(book: list[Order]) -> object:
        return detect_upsell(
            book, clients=CLIENTS, index=INDEX, as_of=AS_OF, criteria=criteria
        )

    assert detect(shuffled) == detect(orders)


@given(order_books(), st.integers(2, 4))
def test_suggestions_rest_on_counted_orders(orders: list[Order], at_least: int) -> None:
    criteria = UpsellCriteria(min_orders=at_least)
    window = criteria.window_ending(AS_OF)
    found = detect_upsell(
        orders, clients=CLIENTS, index=INDEX, as_of=AS_OF, criteria=criteria
    )
    by_id = {o.id: o for o in orders}
    for suggestion in found:
        counted = [by_id[i] for i in suggestion.orders]
        assert suggestion.order_count >= at_least
        # Cancelled as of the detection date: an order cancelled later counted.
        assert all(o.status_on(AS_OF) is not OrderStatus.CANCELLED for o in counted)
        assert all(window.contains(o.order_date) for o in counted)
        assert list(suggestion.order_dates) == sorted(o.order_date for o in counted)
        assert suggestion.total_quantity == sum(
            (
                line.quantity
                for o in counted
                for line in o.lines
                if line.product == suggestion.product
            ),
            Decimal(0),
        )
    assert [(s.client, s.product) for s in found] == sorted(
        (s.client, s.product) for s in found
    )


# -- the strategies honour what they pin -------------------------------------------


@given(ks.opportunities(currency="JPY", outcome=Outcome.OPEN, client=ClientId("c")))
def test_opportunity_strategy_honours_pinned_fields(deal: Opportunity) -> None:
    assert (deal.value.currency, deal.outcome, deal.client) == (
        "JPY",
        Outcome.OPEN,
        "c",
    )
    assert not deal.value.is_negative()


@given(ks.proposals(currency="KWD", status=ProposalStatus.SENT))
def test_proposal_strategy_numbers_revisions_in_one_currency(
    proposal: Proposal,
) -> None:
    assert proposal.status is ProposalStatus.SENT
    assert [r.number for r in proposal.revisions] == list(
        range(1, len(proposal.revisions) + 1)
    )
    assert {
        line.unit_price.currency for r in proposal.revisions for line in r.lines
    } == {"KWD"}
