"""The weighted pipeline (exact, rounded once) and the daily review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel import (
    ClientId,
    ManagerId,
    Money,
    OpportunityId,
    Percentage,
)
from kamcore.opportunities import (
    Attention,
    Opportunity,
    OpportunityKind,
    Outcome,
    Stage,
    review_opportunities,
    weighted_pipeline,
)

CREATED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ROSSI = ManagerId("m.rossi")


def deal(
    id: str,  # noqa: A002 - mirrors the entity's field
    value: str,
    currency: str = "EUR",
    **overrides: Any,
) -> Opportunity:
    fields: dict[str, Any] = {
        "id": OpportunityId(id),
        "client": ClientId("acme"),
        "kind": OpportunityKind.EXPANSION,
        "title": f"Deal {id}",
        "owner": ROSSI,
        "value": Money(value, currency),
        "close_date": dt.date(2026, 6, 30),
        "at": CREATED,
    }
    fields.update(overrides)
    return Opportunity.create(**fields)


def portfolio() -> list[Opportunity]:
    return [
        deal("op-c", "333.33", stage=Stage.NEEDS_ANALYSIS),
        deal("op-b", "4999.99", stage=Stage.NEGOTIATION).override_probability(
            Percentage("62.5"), at=CREATED, by=ROSSI, reason="budget split"
        ),
        deal("op-a", "12000.00", close_date=dt.date(2026, 5, 31)),
        deal("op-won", "80000.00").close(Outcome.WON, at=CREATED, by=ROSSI),
    ]


def test_weighted_pipeline_is_exact_and_rounded_once() -> None:
    pipeline = weighted_pipeline(portfolio())
    assert [(r.opportunity, r.weighted) for r in pipeline.rows] == [
        ("op-a", Money("1200.0000", "EUR")),
        ("op-b", Money("3124.99375", "EUR")),
        ("op-c", Money("83.3325", "EUR")),
    ]
    assert pipeline.exact_total == Money("4408.32625", "EUR")
    # Rounded once at the end: rounding each row first would give 4408.32.
    assert pipeline.total == Money("4408.33", "EUR")
    assert str(pipeline.total.amount) == "4408.33"
    assert pipeline.value == Money("17333.32", "EUR")


def test_rows_say_where_the_probability_came_from() -> None:
    rows = weighted_pipeline(portfolio()).rows
    assert [(r.probability, r.overridden) for r in rows] == [
        (Percentage(10), False),
        (Percentage("62.5"), True),
        (Percentage(25), False),
    ]


def test_pipeline_turns_into_plain_rows() -> None:
    assert weighted_pipeline(portfolio()).to_rows()[1] == {
        "opportunity": "op-b",
        "client": "acme",
        "owner": "m.rossi",
        "title": "Deal op-b",
        "stage": "negotiation",
        "probability": "62.5",
        "overridden": True,
        "currency": "EUR",
        "value": "4999.99",
        "weighted": "3124.99375",
        "close_date": "2026-06-30",
    }


def test_total_rounds_half_up() -> None:
    # 0.05 x 10 % = 0.005: exactly half a cent, up.
    pipeline = weighted_pipeline([deal("op-1", "0.05")])
    assert (pipeline.exact_total, pipeline.total) == (
        Money("0.0050", "EUR"),
        Money("0.01", "EUR"),
    )


def test_closed_opportunities_do_not_count() -> None:
    closed = [
        deal("op-1", "100.00").close(Outcome.WON, at=CREATED, by=ROSSI),
        deal("op-2", "100.00").close(Outcome.LOST, at=CREATED, by=ROSSI),
    ]
    pipeline = weighted_pipeline(closed, currency="EUR")
    assert (pipeline.rows, pipeline.total) == ((), Money("0.00", "EUR"))


def test_mixing_currencies_raises() -> None:
    dollars = deal("op-usd", "100.00", "USD")
    with pytest.raises(CurrencyMismatchError) as error:
        weighted_pipeline([deal("op-eur", "100.00"), dollars])
    assert (error.value.expected, error.value.actual) == ("EUR", "USD")


def test_a_given_currency_must_match() -> None:
    with pytest.raises(CurrencyMismatchError):
        weighted_pipeline([deal("op-eur", "100.00")], currency="CHF")


def test_a_closed_deal_in_another_currency_is_ignored() -> None:
    won = deal("op-usd", "1.00", "USD").close(Outcome.WON, at=CREATED, by=ROSSI)
    assert weighted_pipeline([won, deal("op-eur", "10.00")]).total == Money(
        "1.00", "EUR"
    )


def test_an_empty_pipeline_needs_a_currency() -> None:
    with pytest.raises(ValidationError) as error:
        weighted_pipeline([])
    assert error.value.errors[0].path == "currency"


def test_the_same_opportunity_twice_is_refused() -> None:
    with pytest.raises(ValidationError):
        weighted_pipeline([deal("op-1", "1.00"), deal("op-1", "1.00")])


# -- the daily review ------------------------------------------------------------

TODAY = dt.date(2026, 6, 10)
NOW = dt.datetime(2026, 6, 10, 8, 0, tzinfo=dt.UTC)


def test_review_flags_each_reason_on_its_boundary() -> None:
    fresh = NOW - dt.timedelta(days=1)
    deals = [
        deal("op-passed", "1.00", close_date=dt.date(2026, 6, 9), at=fresh),
        deal("op-today", "1.00", close_date=TODAY, at=fresh),
        deal("op-in-7", "1.00", close_date=dt.date(2026, 6, 17), at=fresh),
        deal("op-in-8", "1.00", close_date=dt.date(2026, 6, 18), at=fresh),
        deal(
            "op-stale-14",
            "1.00",
            close_date=dt.date(2026, 9, 30),
            at=NOW - dt.timedelta(days=14),
        ),
        deal(
            "op-13-days",
            "1.00",
            close_date=dt.date(2026, 9, 30),
            at=NOW - dt.timedelta(days=14) + dt.timedelta(seconds=1),
        ),
    ]
    review = review_opportunities(deals, today=TODAY, now=NOW)
    assert [(i.opportunity.id, i.attention) for i in review.items] == [
        ("op-passed", (Attention.CLOSE_DATE_PASSED,)),
        ("op-today", (Attention.CLOSING_SOON,)),
        ("op-in-7", (Attention.CLOSING_SOON,)),
        ("op-in-8", ()),
        ("op-13-days", ()),
        ("op-stale-14", (Attention.NO_RECENT_CHANGE,)),
    ]
    assert [i.opportunity.id for i in review.needing_attention] == [
        "op-passed",
        "op-today",
        "op-in-7",
        "op-stale-14",
    ]


def test_a_change_resets_the_staleness() -> None:
    old = deal("op-1", "1.00", at=NOW - dt.timedelta(days=30))
    touched = old.update(at=NOW - dt.timedelta(days=2), by=ROSSI, notes="called")
    [item] = review_opportunities([touched], today=TODAY, now=NOW).items
    assert (item.days_since_change, item.attention) == (2, ())


def test_review_rows_are_plain() -> None:
    overdue = deal(
        "op-1",
        "2500.00",
        close_date=dt.date(2026, 5, 31),
        at=NOW - dt.timedelta(days=20),
    )
    review = review_opportunities(
        [overdue], today=TODAY, now=NOW, closing_within_days=None
    )
    assert review.rows() == [
        {
            "opportunity": "op-1",
            "client": "acme",
            "owner": "m.rossi",
            "kind": "expansion",
            "title": "Deal op-1",
            "stage": "qualification",
            "probability": "10",
            "currency": "EUR",
            "value": "2500.00",
            "close_date": "2026-05-31",
            "days_to_close": -10,
            "days_since_change": 20,
            "attention": "close_date_passed,no_recent_change",
        }
    ]


def test_review_leaves_closed_deals_out_and_filters_by_kind() -> None:
    deals = [
        deal("op-won", "1.00").close(Outcome.WON, at=CREATED, by=ROSSI),
        deal("op-up", "1.00", kind=OpportunityKind.UPSELL),
        deal("op-ex", "1.00"),
    ]
    review = review_opportunities(
        deals, today=TODAY, now=NOW, kind=OpportunityKind.UPSELL
    )
    assert [i.opportunity.id for i in review.items] == ["op-up"]


def test_review_refuses_bad_thresholds() -> None:
    with pytest.raises(ValidationError) as error:
        review_opportunities(
            [],
            today=TODAY,
            now=dt.datetime(2026, 6, 10),  # noqa: DTZ001 - naive on purpose
            stale_after_days=0,
            closing_within_days=-1,
        )
    assert [e.path for e in error.value.errors] == [
        "now",
        "stale_after_days",
        "closing_within_days",
    ]


def test_weighted_values_keep_every_digit() -> None:
    row = weighted_pipeline([deal("op-1", "0.01")]).rows[0]
    assert row.weighted.amount == Decimal("0.0010")
