"""Contracts as effective-dated versions: amendments, anchored renewals, signatures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from kamcore.contracts import Contract, ContractStatus, Signature
from kamcore.errors import InvalidTransitionError, PolicyViolationError, ValidationError
from kamcore.kernel import ClientId, ContractId, ManagerId, Money
from kamcore.testing._contract_samples import RECORDED_AT, active_contract

MONTH = relativedelta(months=1)
YEAR = relativedelta(years=1)
LATER = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
M1 = ManagerId("m-1")


def draft(start: dt.date, term: relativedelta, **terms: Any) -> Contract:
    return Contract.draft(
        id=ContractId("k-1"),
        client=ClientId("c-1"),
        title="Framework agreement",
        start=start,
        term=term,
        value=Money("1200.00", "EUR"),
        recorded_at=RECORDED_AT,
        recorded_by=M1,
        **terms,
    )


def renewed(contract: Contract, times: int) -> Contract:
    for _ in range(times):
        contract = contract.renew(recorded_at=LATER, recorded_by=M1)
    return contract


def test_a_draft_has_one_version_ending_a_term_after_its_start() -> None:
    contract = draft(dt.date(2026, 1, 1), YEAR)
    assert [v.number for v in contract.versions] == [1]
    assert (contract.start, contract.end) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert contract.status is ContractStatus.DRAFT


def test_an_amendment_adds_a_version_and_keeps_the_previous_one() -> None:
    before = draft(dt.date(2026, 1, 1), YEAR)
    after = before.amend(
        effective_from=dt.date(2026, 4, 1),
        recorded_at=LATER,
        recorded_by=ManagerId("m-2"),
        note="uplift",
        value=Money("1500.00", "EUR"),
    )
    assert after.versions[0] == before.versions[0]
    assert [(v.number, v.effective_from, v.value) for v in after.versions] == [
        (1, dt.date(2026, 1, 1), Money("1200.00", "EUR")),
        (2, dt.date(2026, 4, 1), Money("1500.00", "EUR")),
    ]
    assert (after.current.note, after.current.recorded_by) == ("uplift", "m-2")
    assert after.end == dt.date(2026, 12, 31)


def test_the_version_in_effect_changes_on_the_amendment_day() -> None:
    contract = draft(dt.date(2026, 1, 1), YEAR).amend(
        effective_from=dt.date(2026, 4, 1),
        recorded_at=LATER,
        recorded_by=M1,
        note="uplift",
        value=Money("1500.00", "EUR"),
    )
    assert contract.version_on(dt.date(2025, 12, 31)) is None
    assert contract.version_on(dt.date(2026, 3, 31)) == contract.versions[0]
    assert contract.version_on(dt.date(2026, 4, 1)) == contract.versions[1]


def test_an_amendment_of_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        draft(dt.date(2026, 1, 1), YEAR).amend(
            effective_from=dt.date(2026, 4, 1),
            recorded_at=LATER,
            recorded_by=M1,
            note="move the anchor",
            anchor=dt.date(2026, 2, 1),
        )
    [error] = raised.value.errors
    assert (error.path, error.value) == ("anchor", dt.date(2026, 2, 1))


def test_an_amendment_effective_before_the_previous_version_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        draft(dt.date(2026, 1, 1), YEAR).amend(
            effective_from=dt.date(2025, 12, 31),
            recorded_at=LATER,
            recorded_by=M1,
            note="backdated",
            grace_days=5,
        )
    [error] = raised.value.errors
    assert (error.path, error.value) == (
        "versions[1].effective_from",
        dt.date(2025, 12, 31),
    )


def test_a_lapsed_contract_cannot_be_amended() -> None:
    contract = active_contract(status=ContractStatus.LAPSED)
    with pytest.raises(InvalidTransitionError) as raised:
        contract.amend(
            effective_from=dt.date(2026, 4, 1),
            recorded_at=LATER,
            recorded_by=M1,
            note="too late",
            grace_days=5,
        )
    assert (raised.value.id, raised.value.current, raised.value.requested) == (
        "k-1",
        ContractStatus.LAPSED,
        "amend",
    )


def test_amending_the_term_counts_the_new_length_from_the_current_term_start() -> None:
    contract = renewed(draft(dt.date(2024, 1, 1), YEAR), 2).amend(
        effective_from=dt.date(2026, 3, 1),
        recorded_at=LATER,
        recorded_by=M1,
        note="two-year term",
        term=relativedelta(years=2),
    )
    current = contract.current
    assert (current.anchor, current.term_number) == (dt.date(2026, 1, 1), 1)
    assert (current.term_start, current.term_end) == (
        dt.date(2026, 1, 1),
        dt.date(2027, 12, 31),
    )


def test_monthly_renewals_from_january_31_never_drift() -> None:
    contract = renewed(draft(dt.date(2025, 1, 31), MONTH), 12)
    assert [(v.term_start, v.term_end) for v in contract.versions[:4]] == [
        (dt.date(2025, 1, 31), dt.date(2025, 2, 27)),
        (dt.date(2025, 2, 28), dt.date(2025, 3, 30)),
        (dt.date(2025, 3, 31), dt.date(2025, 4, 29)),
        (dt.date(2025, 4, 30), dt.date(2025, 5, 30)),
    ]
    assert [v.term_end for v in contract.versions[4:]] == [
        dt.date(2025, 6, 29),
        dt.date(2025, 7, 30),
        dt.date(2025, 8, 30),
        dt.date(2025, 9, 29),
        dt.date(2025, 10, 30),
        dt.date(2025, 11, 29),
        dt.date(2025, 12, 30),
        dt.date(2026, 1, 30),
        dt.date(2026, 2, 27),
    ]
    assert {v.anchor for v in contract.versions} == {dt.date(2025, 1, 31)}


def test_yearly_renewals_from_february_29_come_back_to_it_in_leap_years() -> None:
    contract = renewed(draft(dt.date(2024, 2, 29), YEAR), 8)
    assert [(v.term_start, v.term_end) for v in contract.versions] == [
        (dt.date(2024, 2, 29), dt.date(2025, 2, 27)),
        (dt.date(2025, 2, 28), dt.date(2026, 2, 27)),
        (dt.date(2026, 2, 28), dt.date(2027, 2, 27)),
        (dt.date(2027, 2, 28), dt.date(2028, 2, 28)),
        (dt.date(2028, 2, 29), dt.date(2029, 2, 27)),
        (dt.date(2029, 2, 28), dt.date(2030, 2, 27)),
        (dt.date(2030, 2, 28), dt.date(2031, 2, 27)),
        (dt.date(2031, 2, 28), dt.date(2032, 2, 28)),
        (dt.date(2032, 2, 29), dt.date(2033, 2, 27)),
    ]


def test_a_renewal_is_effective_from_the_first_day_of_the_next_term() -> None:
    contract = renewed(draft(dt.date(2024, 1, 31), MONTH), 1)
    assert contract.current.effective_from == dt.date(2024, 2, 29)
    assert (contract.current.number, contract.current.term_number) == (2, 2)
    assert contract.current.note == "renewed for one more term"


def test_a_renewal_on_an_explicit_base_date_restarts_the_count_there() -> None:
    contract = draft(dt.date(2025, 1, 1), YEAR).renew(
        recorded_at=LATER,
        recorded_by=M1,
        base_date=dt.date(2025, 10, 15),
        note="early renewal",
    )
    current = contract.current
    assert (current.anchor, current.term_number) == (dt.date(2025, 10, 15), 1)
    assert (current.effective_from, current.term_end) == (
        dt.date(2025, 10, 15),
        dt.date(2026, 10, 14),
    )
    again = renewed(contract, 1).current
    assert (again.term_start, again.term_end) == (
        dt.date(2026, 10, 15),
        dt.date(2027, 10, 14),
    )


def test_a_renewal_after_an_explicit_end_starts_the_day_after_it() -> None:
    contract = draft(dt.date(2025, 1, 1), YEAR, end=dt.date(2026, 1, 31))
    current = renewed(contract, 1).current
    assert (current.anchor, current.term_number, current.end) == (
        dt.date(2026, 2, 1),
        1,
        None,
    )
    assert (current.term_start, current.term_end) == (
        dt.date(2026, 2, 1),
        dt.date(2027, 1, 31),
    )


def test_an_explicit_end_on_the_anchored_day_keeps_the_anchor() -> None:
    contract = draft(dt.date(2025, 1, 31), MONTH, end=dt.date(2025, 2, 27))
    current = renewed(contract, 1).current
    assert (current.anchor, current.term_number, current.term_end) == (
        dt.date(2025, 1, 31),
        2,
        dt.date(2025, 3, 30),
    )


def test_a_renewal_with_a_new_term_length_counts_from_the_next_term_start() -> None:
    contract = draft(dt.date(2025, 1, 1), YEAR).renew(
        recorded_at=LATER, recorded_by=M1, term=relativedelta(months=6)
    )
    current = contract.current
    assert (current.anchor, current.term_number) == (dt.date(2026, 1, 1), 1)
    assert current.term_end == dt.date(2026, 6, 30)


def test_a_signature_binds_to_one_version() -> None:
    contract = (
        draft(dt.date(2026, 1, 1), YEAR)
        .sign(Signature(version=1, signed_on=dt.date(2025, 12, 20), signed_by="CFO"))
        .amend(
            effective_from=dt.date(2026, 4, 1),
            recorded_at=LATER,
            recorded_by=M1,
            note="uplift",
            value=Money("1500.00", "EUR"),
        )
    )
    assert contract.signature_of(1) == Signature(
        version=1, signed_on=dt.date(2025, 12, 20), signed_by="CFO"
    )
    assert contract.signature_of(2) is None


def test_a_version_is_signed_once() -> None:
    signature = Signature(version=1, signed_on=dt.date(2025, 12, 20), signed_by="CFO")
    contract = draft(dt.date(2026, 1, 1), YEAR).sign(signature)
    with pytest.raises(ValidationError) as raised:
        contract.sign(attrs.evolve(signature, signed_by="CEO"))
    [error] = raised.value.errors
    assert (error.path, error.value) == ("signature.version", 1)


def test_a_signature_of_a_version_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        draft(dt.date(2026, 1, 1), YEAR).sign(
            Signature(version=2, signed_on=dt.date(2025, 12, 20), signed_by="CFO")
        )
    [error] = raised.value.errors
    assert (error.path, error.value) == ("signatures[0].version", 2)


def test_activating_an_unsigned_contract_is_refused() -> None:
    with pytest.raises(PolicyViolationError) as raised:
        draft(dt.date(2026, 1, 1), YEAR).move_to(
            ContractStatus.ACTIVE, on=dt.date(2026, 1, 1), at=LATER, reason="go"
        )
    assert (raised.value.policy, raised.value.value) == ("contract signature", 1)


def test_activation_needs_the_current_version_signed() -> None:
    contract = (
        draft(dt.date(2026, 1, 1), YEAR)
        .sign(Signature(version=1, signed_on=dt.date(2025, 12, 20), signed_by="CFO"))
        .amend(
            effective_from=dt.date(2026, 1, 1),
            recorded_at=LATER,
            recorded_by=M1,
            note="last-minute change",
            grace_days=10,
        )
    )
    with pytest.raises(PolicyViolationError) as raised:
        contract.move_to(
            ContractStatus.ACTIVE, on=dt.date(2026, 1, 1), at=LATER, reason="go"
        )
    assert raised.value.value == 2
