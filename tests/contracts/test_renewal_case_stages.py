"""The renewal case's stages: the allowed moves, and every other one refused."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from kamcore.contracts import CASE_TRANSITIONS, CaseStage, CaseStep, RenewalCase
from kamcore.errors import InvalidTransitionError, ValidationError
from kamcore.kernel import ClientId, ContractId, ManagerId, RenewalCaseId

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ANNA = ManagerId("anna")


def case_in(stage: CaseStage) -> RenewalCase:
    steps = [CaseStep(stage=CaseStage.OPENED, at=AT, by=ANNA)]
    if stage is not CaseStage.OPENED:
        steps.append(CaseStep(stage=stage, at=AT, by=ANNA))
    return RenewalCase(
        id=RenewalCaseId("rc-1"),
        contract=ContractId("k-1"),
        client=ClientId("acme"),
        term_end=dt.date(2026, 4, 30),
        stage=stage,
        steps=tuple(steps),
    )


ILLEGAL = [
    (current, requested)
    for current in CaseStage
    for requested in CaseStage
    if requested not in CASE_TRANSITIONS[current]
]


@pytest.mark.parametrize(("current", "requested"), ILLEGAL)
def test_every_move_outside_the_table_is_refused(
    current: CaseStage, requested: CaseStage
) -> None:
    with pytest.raises(InvalidTransitionError) as raised:
        case_in(current).advance(requested, at=AT, by=ANNA)
    error = raised.value
    assert (error.entity, error.id, error.current, error.requested) == (
        "RenewalCase",
        "rc-1",
        current,
        requested,
    )


def test_the_happy_path_is_allowed_step_by_step() -> None:
    case = case_in(CaseStage.OPENED)
    path = [
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
    for hour, stage in enumerate(path, start=1):
        case = case.advance(stage, at=AT + dt.timedelta(hours=hour), by=ANNA)
    assert case.stage is CaseStage.ARCHIVED
    assert case.is_open is False
    assert case.reached_at(CaseStage.SENT) == AT + dt.timedelta(hours=3)
    assert case.reached_at(CaseStage.DECLINED) is None
    assert case.opened_at == AT


def test_a_signed_case_is_still_open_until_filed() -> None:
    assert case_in(CaseStage.SIGNED).is_open


def test_a_case_must_start_with_its_opened_step() -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(
            case_in(CaseStage.ANALYSED),
            steps=(CaseStep(stage=CaseStage.ANALYSED, at=AT, by=ANNA),),
        )
    assert [e.path for e in raised.value.errors] == ["steps"]


def test_the_stage_must_be_the_latest_steps() -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(case_in(CaseStage.ANALYSED), stage=CaseStage.SENT)
    assert [(e.path, e.value) for e in raised.value.errors] == [
        ("stage", CaseStage.SENT)
    ]
