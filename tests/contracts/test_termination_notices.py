"""A client's notice of termination, checked against the notice deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from kamcore.contracts import Contract, ContractStatus, TerminationNotice
from kamcore.errors import InvalidTransitionError, ValidationError
from kamcore.testing._contract_samples import active_contract

QUARTER = relativedelta(months=3)
MONTH = relativedelta(months=1)


def february_end() -> Contract:
    """Auto-renewing, one month's notice, its first term ending 28 February 2026."""
    return active_contract(
        start=dt.date(2025, 3, 1), auto_renew=True, notice_period=MONTH
    )


def test_a_notice_on_the_deadline_day_ends_the_contract_at_the_term_end() -> None:
    contract = active_contract(auto_renew=True, notice_period=QUARTER)
    noticed = contract.receive_termination_notice(
        received_on=dt.date(2026, 9, 30), reason="supplier consolidation"
    )
    assert noticed.termination == TerminationNotice(
        received_on=dt.date(2026, 9, 30),
        deadline=dt.date(2026, 9, 30),
        effective_end=dt.date(2026, 12, 31),
        reason="supplier consolidation",
    )
    assert noticed.termination.in_time


def test_a_notice_one_day_late_ends_the_contract_a_term_later() -> None:
    contract = active_contract(auto_renew=True, notice_period=QUARTER)
    noticed = contract.receive_termination_notice(
        received_on=dt.date(2026, 10, 1), reason="budget cut"
    )
    assert noticed.termination is not None
    assert (
        noticed.termination.deadline,
        noticed.termination.effective_end,
        noticed.termination.in_time,
    ) == (dt.date(2026, 9, 30), dt.date(2027, 12, 31), False)


def test_a_late_notice_on_a_february_29_anchor_ends_on_the_anchored_next_term() -> None:
    contract = active_contract(
        start=dt.date(2024, 2, 29), auto_renew=True, notice_period=QUARTER
    )
    noticed = contract.receive_termination_notice(
        received_on=dt.date(2025, 1, 10), reason="budget cut"
    )
    assert noticed.termination is not None
    assert (noticed.termination.deadline, noticed.termination.effective_end) == (
        dt.date(2024, 11, 27),
        dt.date(2026, 2, 27),
    )


def test_a_late_notice_after_an_explicit_end_ends_a_term_after_that_end() -> None:
    contract = active_contract(
        auto_renew=True, notice_period=QUARTER, end=dt.date(2027, 1, 31)
    )
    noticed = contract.receive_termination_notice(
        received_on=dt.date(2026, 11, 1), reason="budget cut"
    )
    assert noticed.termination is not None
    assert (noticed.termination.deadline, noticed.termination.effective_end) == (
        dt.date(2026, 10, 31),
        dt.date(2028, 1, 31),
    )


def test_without_a_notice_period_any_notice_ends_the_contract_at_the_term_end() -> None:
    contract = active_contract(auto_renew=True)
    noticed = contract.receive_termination_notice(
        received_on=dt.date(2026, 12, 30), reason="moving abroad"
    )
    assert noticed.termination is not None
    assert (
        noticed.termination.deadline,
        noticed.termination.effective_end,
        noticed.termination.in_time,
    ) == (None, dt.date(2026, 12, 31), True)


def test_a_contract_that_does_not_renew_itself_has_no_notice_deadline() -> None:
    contract = active_contract(notice_period=QUARTER)
    assert contract.current.notice_deadline is None
    noticed = contract.receive_termination_notice(
        received_on=dt.date(2026, 12, 1), reason="not renewing"
    )
    assert noticed.termination is not None
    assert noticed.termination.effective_end == dt.date(2026, 12, 31)


def test_a_second_notice_is_refused() -> None:
    contract = active_contract().receive_termination_notice(
        received_on=dt.date(2026, 6, 1), reason="first"
    )
    with pytest.raises(ValidationError) as raised:
        contract.receive_termination_notice(
            received_on=dt.date(2026, 6, 2), reason="second"
        )
    [error] = raised.value.errors
    assert (error.path, error.value) == ("termination", dt.date(2026, 6, 1))


@pytest.mark.parametrize(
    "status", [ContractStatus.DRAFT, ContractStatus.LAPSED, ContractStatus.ARCHIVED]
)
def test_a_contract_not_in_force_cannot_receive_a_notice(
    status: ContractStatus,
) -> None:
    with pytest.raises(InvalidTransitionError) as raised:
        active_contract(status=status).receive_termination_notice(
            received_on=dt.date(2026, 6, 1), reason="leaving"
        )
    assert (raised.value.current, raised.value.requested) == (
        status,
        "receive a termination notice",
    )


def test_a_notice_without_a_reason_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        active_contract().receive_termination_notice(
            received_on=dt.date(2026, 6, 1), reason=" "
        )
    assert [e.path for e in raised.value.errors] == ["reason"]


# -- deadlines anchored on the next term's start (SPEC §4) ------------------------


def test_a_term_ending_28_february_takes_one_months_notice_until_31_january() -> None:
    contract = february_end()
    assert contract.end == dt.date(2026, 2, 28)
    assert contract.current.notice_deadline == dt.date(2026, 1, 31)


def test_a_term_ending_on_30_april_takes_one_months_notice_until_31_march() -> None:
    contract = active_contract(
        start=dt.date(2025, 5, 1), auto_renew=True, notice_period=MONTH
    )
    assert contract.end == dt.date(2026, 4, 30)
    assert contract.current.notice_deadline == dt.date(2026, 3, 31)


def test_notice_on_31_january_ends_a_term_ending_28_february_at_its_end() -> None:
    noticed = february_end().receive_termination_notice(
        received_on=dt.date(2026, 1, 31), reason="budget cut"
    )
    assert noticed.termination is not None
    assert (noticed.termination.in_time, noticed.termination.effective_end) == (
        True,
        dt.date(2026, 2, 28),
    )


def test_notice_on_1_february_for_a_term_ending_28_february_is_late() -> None:
    noticed = february_end().receive_termination_notice(
        received_on=dt.date(2026, 2, 1), reason="budget cut"
    )
    assert noticed.termination is not None
    assert (noticed.termination.in_time, noticed.termination.effective_end) == (
        False,
        dt.date(2027, 2, 28),
    )
