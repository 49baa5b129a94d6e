"""The contract lifecycle: the allowed transitions, and every other one refused."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from kamcore.contracts import (
    CLOSED,
    IN_FORCE,
    TRANSITIONS,
    ContractStatus,
    StatusChange,
    check_transition,
)
from kamcore.errors import InvalidTransitionError
from kamcore.testing._contract_samples import active_contract

S = ContractStatus
AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
ON = dt.date(2026, 3, 2)

ALLOWED = sorted(
    ((before, after) for before, targets in TRANSITIONS.items() for after in targets),
    key=lambda pair: (pair[0].value, pair[1].value),
)
REFUSED = [
    (before, after) for before in S for after in S if after not in TRANSITIONS[before]
]


def named(pair: tuple[ContractStatus, ContractStatus]) -> str:
    return f"{pair[0]}->{pair[1]}"


def test_the_transition_table_is_the_specified_lifecycle() -> None:
    assert {k.value: sorted(s.value for s in v) for k, v in TRANSITIONS.items()} == {
        "draft": ["active", "terminated"],
        "active": ["lapsed", "renewal_in_progress", "renewed", "terminated"],
        "renewal_in_progress": ["lapsed", "renewed", "terminated"],
        "renewed": ["lapsed", "renewal_in_progress", "renewed", "terminated"],
        "lapsed": ["archived"],
        "terminated": ["archived"],
        "archived": [],
    }


def test_in_force_and_closed_statuses_do_not_overlap() -> None:
    assert sorted(s.value for s in IN_FORCE) == [
        "active",
        "renewal_in_progress",
        "renewed",
    ]
    assert sorted(s.value for s in CLOSED) == ["archived", "lapsed", "terminated"]


@pytest.mark.parametrize(("before", "after"), ALLOWED, ids=map(named, ALLOWED))
def test_an_allowed_transition_is_kept_in_the_history(
    before: ContractStatus, after: ContractStatus
) -> None:
    contract = attrs.evolve(active_contract(), status=before, history=())
    moved = contract.move_to(after, on=ON, at=AT, reason="because")
    assert moved.status is after
    assert moved.history == (
        StatusChange(status=after, on=ON, at=AT, reason="because"),
    )


@pytest.mark.parametrize(("before", "after"), REFUSED, ids=map(named, REFUSED))
def test_every_other_transition_raises_naming_both_states(
    before: ContractStatus, after: ContractStatus
) -> None:
    contract = attrs.evolve(active_contract(), status=before)
    with pytest.raises(InvalidTransitionError) as raised:
        contract.move_to(after, on=ON, at=AT, reason="because")
    error = raised.value
    assert (error.entity, error.id, error.current, error.requested) == (
        "Contract",
        "k-1",
        before,
        after,
    )
    assert str(error) == f"Contract 'k-1' cannot go from {before} to {after}"


def test_fifteen_transitions_are_allowed_and_the_other_thirty_four_refused() -> None:
    assert (len(ALLOWED), len(REFUSED)) == (15, 34)


def test_check_transition_accepts_what_the_table_allows() -> None:
    check_transition("k-1", S.RENEWED, S.RENEWED)
    with pytest.raises(InvalidTransitionError):
        check_transition("k-1", S.ARCHIVED, S.ACTIVE)


def test_the_history_keeps_every_status_change_in_order() -> None:
    contract = active_contract(status=S.ARCHIVED)
    assert [(c.status, c.reason) for c in contract.history] == [
        (S.TERMINATED, "sample: terminated"),
        (S.ARCHIVED, "sample: archived"),
    ]
