"""How term outcomes are read from a contract (ContractFacts)."""

from __future__ import annotations

import datetime as dt

import attrs
from dateutil.relativedelta import relativedelta
from sample_portfolio import AT, ROSSI, contract, renew_signed, run_scheduler

from kamcore.contracts import Contract, ContractStatus, Signature
from kamcore.metrics import ContractFacts, Outcome, TermOutcome
from kamcore.testing._contract_samples import active_contract

START = dt.date(2025, 1, 1)


def outcomes(agreement: Contract) -> list[tuple[dt.date, Outcome, dt.date]]:
    return [(o.term_end, o.outcome, o.on) for o in ContractFacts.of(agreement).outcomes]


def test_an_automatic_renewal_renews_on_the_new_terms_first_day() -> None:
    renewed = run_scheduler(
        contract("k", "c", START, auto_renew=True), dt.date(2026, 1, 2)
    )
    assert outcomes(renewed) == [
        (dt.date(2025, 12, 31), Outcome.RENEWED, dt.date(2026, 1, 1)),
    ]


def test_a_contract_left_for_two_terms_renews_twice() -> None:
    renewed = run_scheduler(
        contract("k", "c", START, auto_renew=True), dt.date(2027, 1, 2)
    )
    assert [o[2] for o in outcomes(renewed)] == [
        dt.date(2026, 1, 1),
        dt.date(2027, 1, 1),
    ]
    facts = ContractFacts.of(renewed)
    assert facts.term_ends == (
        dt.date(2025, 12, 31),
        dt.date(2026, 12, 31),
        dt.date(2027, 12, 31),
    )


def test_a_renewal_signed_late_within_grace_renews_on_its_signing_date() -> None:
    within = run_scheduler(
        contract("k", "c", START, grace_days=30), dt.date(2026, 1, 20)
    )
    renewed = renew_signed(within, dt.date(2026, 1, 20))
    assert outcomes(renewed) == [
        (dt.date(2025, 12, 31), Outcome.RENEWED, dt.date(2026, 1, 20)),
    ]


def test_an_early_renewal_on_a_new_base_date_renews_the_running_term() -> None:
    agreement = contract("k", "c", START)
    early = (
        agreement.renew(
            recorded_at=AT, recorded_by=ROSSI, base_date=dt.date(2025, 10, 1)
        )
        .sign(Signature(version=2, signed_on=dt.date(2025, 9, 15), signed_by="CFO"))
        .move_to(
            ContractStatus.RENEWED, on=dt.date(2025, 9, 15), at=AT, reason="signed"
        )
    )
    assert outcomes(early) == [
        (dt.date(2025, 12, 31), Outcome.RENEWED, dt.date(2025, 9, 15)),
    ]


def test_a_lapse_ends_the_term_on_the_day_after_grace() -> None:
    lapsed = run_scheduler(
        contract("k", "c", START, grace_days=10), dt.date(2026, 2, 1)
    )
    assert outcomes(lapsed) == [
        (dt.date(2025, 12, 31), Outcome.LAPSED, dt.date(2026, 1, 11)),
    ]


def test_a_termination_by_notice_ends_the_term() -> None:
    notice = contract("k", "c", START, auto_renew=True).receive_termination_notice(
        received_on=dt.date(2025, 6, 1), reason="moving on"
    )
    ended = run_scheduler(notice, dt.date(2026, 1, 5))
    assert outcomes(ended) == [
        (dt.date(2025, 12, 31), Outcome.TERMINATED, dt.date(2026, 1, 1)),
    ]


def test_an_early_termination_ends_the_term_the_day_before() -> None:
    ended = contract("k", "c", START).move_to(
        ContractStatus.TERMINATED, on=dt.date(2025, 5, 1), at=AT, reason="breach"
    )
    assert outcomes(ended) == [
        (dt.date(2025, 4, 30), Outcome.TERMINATED, dt.date(2025, 5, 1)),
    ]


def test_a_recorded_but_unsigned_renewal_is_not_a_renewal_yet() -> None:
    recorded = contract("k", "c", START).renew(recorded_at=AT, recorded_by=ROSSI)
    facts = ContractFacts.of(recorded)
    assert facts.outcomes == ()
    assert facts.term_end_on(dt.date(2025, 12, 1)) == dt.date(2025, 12, 31)


def test_a_contract_never_in_force_has_no_outcomes() -> None:
    draft = Contract.draft(
        id=contract("k", "c", START).id,
        client=contract("k", "c", START).client,
        title="Draft",
        start=START,
        term=relativedelta(years=1),
        value=contract("k", "c", START).current.value,
        recorded_at=AT,
        recorded_by=ROSSI,
    ).move_to(ContractStatus.TERMINATED, on=START, at=AT, reason="never signed")
    facts = ContractFacts.of(draft)
    assert (facts.active_on, facts.outcomes) == (None, ())
    assert not facts.in_force_on(dt.date(2025, 6, 1))


def test_an_amendment_within_a_term_does_not_start_a_new_term() -> None:
    amended = contract("k", "c", START).amend(
        effective_from=dt.date(2025, 6, 1),
        recorded_at=AT,
        recorded_by=ROSSI,
        note="extended",
        end=dt.date(2026, 3, 31),
    )
    assert ContractFacts.of(amended).term_ends == (dt.date(2026, 3, 31),)


def test_in_force_and_term_end_are_read_as_of_a_date() -> None:
    renewed = run_scheduler(
        contract("k", "c", START, auto_renew=True), dt.date(2026, 1, 2)
    )
    facts = ContractFacts.of(renewed)
    assert not facts.in_force_on(dt.date(2024, 12, 31))
    assert facts.term_end_on(dt.date(2025, 12, 31)) == dt.date(2025, 12, 31)
    assert facts.term_end_on(dt.date(2026, 1, 1)) == dt.date(2026, 12, 31)
    lapsed = run_scheduler(contract("k", "c", START), dt.date(2026, 1, 2))
    assert ContractFacts.of(lapsed).in_force_on(dt.date(2025, 12, 31))
    assert not ContractFacts.of(lapsed).in_force_on(dt.date(2026, 1, 1))


def test_an_outcome_is_a_plain_value() -> None:
    lapsed = run_scheduler(contract("k", "c", START), dt.date(2026, 1, 2))
    [outcome] = ContractFacts.of(lapsed).outcomes
    assert outcome == TermOutcome(
        contract=lapsed.id,
        client=lapsed.client,
        term_end=dt.date(2025, 12, 31),
        outcome=Outcome.LAPSED,
        on=dt.date(2026, 1, 1),
    )
    assert attrs.evolve(outcome, on=dt.date(2026, 1, 2)) != outcome
    assert str(Outcome.LAPSED) == "lapsed"


def test_a_contract_renewed_every_day_for_years_has_one_outcome_per_term() -> None:
    daily = run_scheduler(
        active_contract(
            start=dt.date(2020, 1, 1), term=relativedelta(days=1), auto_renew=True
        ),
        dt.date(2026, 12, 7),
    )
    found = outcomes(daily)
    assert len(found) == (dt.date(2026, 12, 7) - dt.date(2020, 1, 1)).days
    assert found[0] == (dt.date(2020, 1, 1), Outcome.RENEWED, dt.date(2020, 1, 2))
    assert found[-1] == (dt.date(2026, 12, 6), Outcome.RENEWED, dt.date(2026, 12, 7))
