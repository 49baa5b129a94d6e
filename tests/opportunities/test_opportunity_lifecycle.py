"""Opportunity behaviour: stage probabilities, overrides, updates, closing, history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from kamcore.errors import (
    CurrencyMismatchError,
    InvalidTransitionError,
    ValidationError,
)
from kamcore.kernel import (
    ClientId,
    ManagerId,
    Money,
    OpportunityId,
    Percentage,
    ProposalId,
)
from kamcore.opportunities import (
    DEFAULT_STAGE_PROBABILITIES,
    Opportunity,
    OpportunityChange,
    OpportunityKind,
    Outcome,
    ProbabilityOverride,
    Stage,
    StageProbabilities,
)

CREATED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LATER = CREATED + dt.timedelta(days=3)
ROSSI, BIANCHI = ManagerId("m.rossi"), ManagerId("m.bianchi")


def deal(**overrides: Any) -> Opportunity:
    fields: dict[str, Any] = {
        "id": OpportunityId("op-1"),
        "client": ClientId("acme"),
        "kind": OpportunityKind.UPSELL,
        "title": "Valves: yearly volume",
        "owner": ROSSI,
        "value": Money("12000.00", "EUR"),
        "close_date": dt.date(2026, 6, 30),
        "at": CREATED,
    }
    fields.update(overrides)
    return Opportunity.create(**fields)


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (Stage.QUALIFICATION, Percentage(10)),
        (Stage.NEEDS_ANALYSIS, Percentage(25)),
        (Stage.PROPOSAL, Percentage(50)),
        (Stage.NEGOTIATION, Percentage(75)),
        (Stage.CLOSING, Percentage(90)),
    ],
)
def test_default_probability_per_stage(stage: Stage, expected: Percentage) -> None:
    assert DEFAULT_STAGE_PROBABILITIES.of(stage) == expected
    assert deal(stage=stage).probability == expected


def test_a_custom_table_sets_the_stage_probability() -> None:
    table = StageProbabilities(proposal="40", negotiation=Percentage("62.5"))
    created = deal(stage=Stage.PROPOSAL, probabilities=table)
    assert created.stage_probability == Percentage(40)
    moved = created.move_to_stage(
        Stage.NEGOTIATION, at=LATER, by=ROSSI, probabilities=table
    )
    assert moved.probability == Percentage("62.5")


def test_a_table_refuses_probabilities_outside_0_to_100() -> None:
    with pytest.raises(ValidationError) as error:
        StageProbabilities(qualification=-1, closing=101)
    assert [(e.path, e.value) for e in error.value.errors] == [
        ("qualification", Percentage(-1)),
        ("closing", Percentage(101)),
    ]


def test_creation_starts_open_with_no_change() -> None:
    created = deal()
    assert (created.stage, created.outcome, created.changes) == (
        Stage.QUALIFICATION,
        Outcome.OPEN,
        (),
    )
    assert created.last_changed_at == CREATED
    assert created.closed_at is None


def test_moving_stage_follows_the_default_and_records_both_changes() -> None:
    moved = deal().move_to_stage(Stage.PROPOSAL, at=LATER, by=ROSSI, reason="RFQ in")
    assert (moved.stage, moved.probability) == (Stage.PROPOSAL, Percentage(50))
    assert moved.changes == (
        OpportunityChange(
            at=LATER,
            by=ROSSI,
            field="stage",
            before="qualification",
            after="proposal",
            reason="RFQ in",
        ),
        OpportunityChange(
            at=LATER,
            by=ROSSI,
            field="stage_probability",
            before="10%",
            after="50%",
            reason="RFQ in",
        ),
    )
    assert moved.last_changed_at == LATER


def test_moving_to_the_same_stage_changes_nothing() -> None:
    created = deal(stage=Stage.PROPOSAL)
    assert created.move_to_stage(Stage.PROPOSAL, at=LATER, by=ROSSI) is created


def test_a_stage_may_go_back() -> None:
    back = deal(stage=Stage.NEGOTIATION).move_to_stage(
        Stage.NEEDS_ANALYSIS, at=LATER, by=ROSSI
    )
    assert back.probability == Percentage(25)


def test_an_override_wins_over_the_stage_and_records_who_why_when() -> None:
    overridden = deal(stage=Stage.PROPOSAL).override_probability(
        Percentage("35"), at=LATER, by=BIANCHI, reason="budget frozen until Q3"
    )
    assert overridden.probability == Percentage(35)
    assert overridden.stage_probability == Percentage(50)
    assert overridden.override == ProbabilityOverride(
        probability=Percentage(35),
        by=BIANCHI,
        reason="budget frozen until Q3",
        at=LATER,
    )
    assert overridden.changes == (
        OpportunityChange(
            at=LATER,
            by=BIANCHI,
            field="override",
            before="",
            after="35%",
            reason="budget frozen until Q3",
        ),
    )


def test_an_override_stays_when_the_stage_moves() -> None:
    overridden = deal().override_probability(
        Percentage(60), at=LATER, by=ROSSI, reason="CFO signed off"
    )
    moved = overridden.move_to_stage(Stage.NEGOTIATION, at=LATER, by=ROSSI)
    assert (moved.probability, moved.stage_probability) == (
        Percentage(60),
        Percentage(75),
    )


def test_clearing_the_override_returns_to_the_stage_probability() -> None:
    overridden = deal(stage=Stage.NEGOTIATION).override_probability(
        Percentage(40), at=CREATED, by=ROSSI, reason="competitor"
    )
    cleared = overridden.clear_override(at=LATER, by=BIANCHI, reason="competitor out")
    assert (cleared.override, cleared.probability) == (None, Percentage(75))
    assert cleared.changes[-1] == OpportunityChange(
        at=LATER,
        by=BIANCHI,
        field="override",
        before="40%",
        after="",
        reason="competitor out",
    )


def test_clearing_without_an_override_changes_nothing() -> None:
    created = deal()
    assert created.clear_override(at=LATER, by=ROSSI) is created


def test_an_override_needs_a_reason_and_a_probability_in_range() -> None:
    with pytest.raises(ValidationError) as error:
        deal().override_probability(Percentage(120), at=LATER, by=ROSSI, reason=" ")
    assert [e.path for e in error.value.errors] == ["probability", "reason"]


def test_update_records_one_change_per_changed_field() -> None:
    updated = deal().update(
        at=LATER,
        by=ROSSI,
        value=Money("15500.00", "EUR"),
        close_date=dt.date(2026, 7, 31),
        notes="second plant from September",
        reason="meeting",
    )
    assert [(c.field, c.before, c.after) for c in updated.changes] == [
        ("value", "12000.00 EUR", "15500.00 EUR"),
        ("close_date", "2026-06-30", "2026-07-31"),
        ("notes", "", "second plant from September"),
    ]
    assert updated.value == Money("15500.00", "EUR")


def test_update_skips_fields_that_do_not_change() -> None:
    created = deal()
    same = created.update(at=LATER, by=ROSSI, value=Money("12000.00", "EUR"))
    assert same is created


def test_update_refuses_another_currency() -> None:
    with pytest.raises(CurrencyMismatchError) as error:
        deal().update(at=LATER, by=ROSSI, value=Money("13000.00", "USD"))
    assert (error.value.expected, error.value.actual) == ("EUR", "USD")


def test_update_refuses_a_negative_value() -> None:
    with pytest.raises(ValidationError) as error:
        deal().update(at=LATER, by=ROSSI, value=Money("-1.00", "EUR"))
    assert [e.path for e in error.value.errors] == ["value"]


def test_linking_a_proposal_is_recorded() -> None:
    linked = deal().link_proposal(ProposalId("proposal-1"), at=LATER, by=ROSSI)
    assert linked.proposal == "proposal-1"
    assert [(c.field, c.before, c.after) for c in linked.changes] == [
        ("proposal", "", "proposal-1")
    ]


@pytest.mark.parametrize("outcome", [Outcome.WON, Outcome.LOST])
def test_closing_keeps_the_stage_and_records_the_outcome(outcome: Outcome) -> None:
    closed = deal(stage=Stage.CLOSING).close(
        outcome, at=LATER, by=ROSSI, reason="signed"
    )
    assert (closed.stage, closed.outcome, closed.is_open) == (
        Stage.CLOSING,
        outcome,
        False,
    )
    assert closed.closed_at == LATER
    assert [(c.field, c.before, c.after) for c in closed.changes] == [
        ("outcome", "open", outcome.value)
    ]


def test_closing_as_open_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        deal().close(Outcome.OPEN, at=LATER, by=ROSSI)
    assert error.value.errors[0].path == "outcome"


CHANGES: list[Callable[[Opportunity], Opportunity]] = [
    lambda d: d.move_to_stage(Stage.PROPOSAL, at=LATER, by=ROSSI),
    lambda d: d.override_probability(Percentage(5), at=LATER, by=ROSSI, reason="x"),
    lambda d: d.clear_override(at=LATER, by=ROSSI),
    lambda d: d.update(at=LATER, by=ROSSI, notes="late"),
    lambda d: d.link_proposal(ProposalId("p"), at=LATER, by=ROSSI),
    lambda d: d.close(Outcome.WON, at=LATER, by=ROSSI),
]


@pytest.mark.parametrize("change", CHANGES)
def test_a_closed_opportunity_refuses_every_change(
    change: Callable[[Opportunity], Opportunity],
) -> None:
    lost = deal().close(Outcome.LOST, at=CREATED, by=ROSSI, reason="price")
    with pytest.raises(InvalidTransitionError) as error:
        change(lost)
    assert (error.value.id, error.value.current) == ("op-1", Outcome.LOST)


def test_history_keeps_every_change_in_order() -> None:
    history = (
        deal()
        .move_to_stage(Stage.NEEDS_ANALYSIS, at=CREATED, by=ROSSI)
        .override_probability(Percentage(30), at=LATER, by=BIANCHI, reason="pilot")
        .update(at=LATER, by=ROSSI, value=Money("9000.00", "EUR"))
        .clear_override(at=LATER, by=ROSSI)
        .close(Outcome.WON, at=LATER, by=ROSSI)
    )
    assert [c.field for c in history.changes] == [
        "stage",
        "stage_probability",
        "override",
        "value",
        "override",
        "outcome",
    ]


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        deal().update(at=dt.datetime(2026, 3, 5), by=ROSSI, notes="x")  # noqa: DTZ001
    assert [e.path for e in error.value.errors] == ["at"]


def test_entity_validation_still_holds_after_changes() -> None:
    created = deal()
    with pytest.raises(ValidationError):
        attrs.evolve(created, stage_probability=Percentage(101))
