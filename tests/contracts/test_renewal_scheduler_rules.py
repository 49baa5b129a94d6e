"""The pure renewal scheduler: which alerts are due, what a term end does."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from kamcore.contracts import (
    AlertKind,
    Contract,
    ContractStatus,
    DueAlert,
    Signature,
    TermEnd,
    TermEndOutcome,
    alerts_due,
    process_term_ends,
    schedule_renewals,
)
from kamcore.errors import ValidationError
from kamcore.kernel import AlertId, ClientId, ContractId, ManagerId, Money
from kamcore.testing._contract_samples import active_contract

S = ContractStatus
END = dt.date(2026, 12, 31)  # the sample contract's first term end
AT = dt.datetime(2027, 1, 4, 6, 0, tzinfo=dt.UTC)
QUARTER = relativedelta(months=3)
DAY = dt.timedelta(days=1)


def due_alert(kind: AlertKind, deadline: dt.date, due_on: dt.date) -> DueAlert:
    return DueAlert(
        contract=ContractId("k-1"),
        client=ClientId("c-1"),
        kind=kind,
        term_end=END,
        deadline=deadline,
        due_on=due_on,
        lead_days=(deadline - due_on).days,
    )


def process(contract: Contract, as_of: dt.date) -> tuple[Contract, tuple[TermEnd, ...]]:
    return process_term_ends(contract, as_of=as_of, at=AT)


def term_end(outcome: TermEndOutcome, end: dt.date, on: dt.date) -> TermEnd:
    return TermEnd(
        contract=ContractId("k-1"),
        client=ClientId("c-1"),
        outcome=outcome,
        term_end=end,
        on=on,
    )


# -- renewal alerts -----------------------------------------------------------


def test_a_term_ending_exactly_sixty_days_ahead_is_due() -> None:
    found = alerts_due(active_contract(), as_of=dt.date(2026, 11, 1))
    assert found == (due_alert(AlertKind.RENEWAL, END, dt.date(2026, 11, 1)),)
    assert found[0].id == "k-1/2026-12-31/renewal"


def test_a_term_ending_sixty_one_days_ahead_is_not_due_yet() -> None:
    assert alerts_due(active_contract(), as_of=dt.date(2026, 10, 31)) == ()


def test_a_missed_alert_is_still_due_with_its_original_due_date() -> None:
    found = alerts_due(active_contract(), as_of=dt.date(2026, 12, 20))
    assert [a.due_on for a in found] == [dt.date(2026, 11, 1)]


def test_an_alert_already_in_the_ledger_is_not_due_again() -> None:
    raised = {AlertId("k-1/2026-12-31/renewal")}
    assert (
        alerts_due(active_contract(), as_of=dt.date(2026, 11, 5), raised=raised) == ()
    )


def test_the_portfolio_lead_time_replaces_the_sixty_day_default() -> None:
    contract = active_contract()
    assert alerts_due(contract, as_of=dt.date(2026, 12, 1), lead_days=29) == ()
    found = alerts_due(contract, as_of=dt.date(2026, 12, 1), lead_days=30)
    assert [a.due_on for a in found] == [dt.date(2026, 12, 1)]


def test_a_contract_lead_time_overrides_the_portfolio_one() -> None:
    contract = active_contract(renewal_lead_days=90)
    found = alerts_due(contract, as_of=dt.date(2026, 10, 2), lead_days=30)
    assert [a.due_on for a in found] == [dt.date(2026, 10, 2)]
    assert alerts_due(contract, as_of=dt.date(2026, 10, 1), lead_days=30) == ()


def test_a_contract_in_its_grace_period_still_gets_its_renewal_alert() -> None:
    contract = active_contract(grace_days=10)
    found = alerts_due(contract, as_of=END + 10 * DAY)
    assert [a.kind for a in found] == [AlertKind.RENEWAL]


def test_no_renewal_alert_when_the_client_gave_notice_for_this_term_end() -> None:
    contract = active_contract().receive_termination_notice(
        received_on=dt.date(2026, 10, 1), reason="leaving"
    )
    assert alerts_due(contract, as_of=dt.date(2026, 11, 1)) == ()


@pytest.mark.parametrize("status", [S.DRAFT, S.LAPSED, S.TERMINATED, S.ARCHIVED])
def test_contracts_not_in_force_get_no_alert(status: ContractStatus) -> None:
    assert alerts_due(active_contract(status=status), as_of=dt.date(2026, 12, 1)) == ()


def test_a_negative_lead_time_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        alerts_due(active_contract(), as_of=dt.date(2026, 12, 1), lead_days=-1)
    [error] = raised.value.errors
    assert (error.path, error.value) == ("lead_days", -1)


# -- notice deadline alerts ---------------------------------------------------


def test_the_notice_deadline_alert_comes_sixty_days_before_the_deadline() -> None:
    contract = active_contract(auto_renew=True, notice_period=QUARTER)
    assert alerts_due(contract, as_of=dt.date(2026, 7, 31)) == ()
    assert alerts_due(contract, as_of=dt.date(2026, 8, 1)) == (
        due_alert(AlertKind.NOTICE_DEADLINE, dt.date(2026, 9, 30), dt.date(2026, 8, 1)),
    )


def test_both_alerts_due_in_one_run_come_in_due_date_order() -> None:
    contract = active_contract(auto_renew=True, notice_period=QUARTER)
    plan = schedule_renewals(
        [contract], as_of=dt.date(2026, 9, 30), at=AT, lead_days=92
    )
    assert [(a.id, a.deadline, a.due_on) for a in plan.alerts] == [
        ("k-1/2026-12-31/notice_deadline", dt.date(2026, 9, 30), dt.date(2026, 6, 30)),
        ("k-1/2026-12-31/renewal", END, dt.date(2026, 9, 30)),
    ]


def test_the_notice_deadline_alert_is_worth_raising_up_to_the_deadline() -> None:
    contract = active_contract(auto_renew=True, notice_period=QUARTER)
    on_deadline = alerts_due(contract, as_of=dt.date(2026, 9, 30))
    assert [a.kind for a in on_deadline] == [AlertKind.NOTICE_DEADLINE]
    assert alerts_due(contract, as_of=dt.date(2026, 10, 1)) == ()


def test_no_notice_deadline_alert_once_the_client_gave_notice() -> None:
    contract = active_contract(auto_renew=True, notice_period=QUARTER)
    noticed = contract.receive_termination_notice(
        received_on=dt.date(2026, 7, 1), reason="leaving"
    )
    assert alerts_due(noticed, as_of=dt.date(2026, 8, 1)) == ()


def test_the_notice_deadline_alert_of_a_february_term_end_warns_about_31_january() -> (
    None
):
    contract = active_contract(
        start=dt.date(2025, 3, 1),
        auto_renew=True,
        notice_period=relativedelta(months=1),
    )
    [alert] = alerts_due(contract, as_of=dt.date(2025, 12, 2))
    assert (alert.id, alert.deadline, alert.due_on) == (
        "k-1/2026-02-28/notice_deadline",
        dt.date(2026, 1, 31),
        dt.date(2025, 12, 2),
    )


def test_no_notice_deadline_alert_without_auto_renewal() -> None:
    contract = active_contract(notice_period=QUARTER)
    assert alerts_due(contract, as_of=dt.date(2026, 9, 1)) == ()


# -- term ends ----------------------------------------------------------------


def test_nothing_happens_on_the_last_day_of_the_term() -> None:
    contract = active_contract(auto_renew=True)
    assert process(contract, END) == (contract, ())


def test_an_auto_renewing_contract_renews_the_day_after_its_term_ends() -> None:
    renewed, events = process(active_contract(auto_renew=True), END + DAY)
    assert events == (term_end(TermEndOutcome.RENEWED, END, dt.date(2027, 1, 1)),)
    assert renewed.status is S.RENEWED
    assert [(v.number, v.term_start, v.term_end) for v in renewed.versions] == [
        (1, dt.date(2026, 1, 1), END),
        (2, dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
    ]
    assert (renewed.current.recorded_at, renewed.current.recorded_by) == (
        AT,
        "renewal-scheduler",
    )
    last = renewed.history[-1]
    assert (last.status, last.on, last.at) == (S.RENEWED, dt.date(2027, 1, 1), AT)


def test_missed_monthly_renewals_catch_up_anchored_on_january_31() -> None:
    contract = active_contract(
        start=dt.date(2025, 1, 31), term=relativedelta(months=1), auto_renew=True
    )
    renewed, events = process(contract, dt.date(2025, 5, 1))
    assert [(e.term_end, e.on) for e in events] == [
        (dt.date(2025, 2, 27), dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 30), dt.date(2025, 3, 31)),
        (dt.date(2025, 4, 29), dt.date(2025, 4, 30)),
    ]
    assert (renewed.current.term_start, renewed.current.term_end) == (
        dt.date(2025, 4, 30),
        dt.date(2025, 5, 30),
    )
    assert [c.status for c in renewed.history] == [S.ACTIVE, *[S.RENEWED] * 3]


def test_a_contract_terminated_in_time_ends_the_day_after_its_term() -> None:
    contract = active_contract(auto_renew=True, notice_period=QUARTER)
    noticed = contract.receive_termination_notice(
        received_on=dt.date(2026, 9, 1), reason="leaving"
    )
    assert process(noticed, END) == (noticed, ())
    ended, events = process(noticed, END + DAY)
    assert events == (term_end(TermEndOutcome.TERMINATED, END, dt.date(2027, 1, 1)),)
    assert ended.status is S.TERMINATED
    assert ended.history[-1].reason == "terminated by the client's notice of 2026-09-01"


def test_a_late_notice_lets_the_contract_renew_once_then_terminates_it() -> None:
    contract = active_contract(auto_renew=True, notice_period=QUARTER)
    noticed = contract.receive_termination_notice(
        received_on=dt.date(2026, 10, 1), reason="leaving"
    )
    ended, events = process(noticed, dt.date(2028, 1, 1))
    assert [(e.outcome, e.term_end, e.on) for e in events] == [
        (TermEndOutcome.RENEWED, END, dt.date(2027, 1, 1)),
        (TermEndOutcome.TERMINATED, dt.date(2027, 12, 31), dt.date(2028, 1, 1)),
    ]
    assert ended.status is S.TERMINATED


def test_a_contract_lapses_the_day_after_its_grace_period() -> None:
    contract = active_contract(grace_days=10)
    assert process(contract, END + 10 * DAY) == (contract, ())
    lapsed, events = process(contract, END + 11 * DAY)
    assert events == (term_end(TermEndOutcome.LAPSED, END, dt.date(2027, 1, 11)),)
    assert lapsed.status is S.LAPSED
    assert lapsed.history[-1].reason == (
        "expired unrenewed: the term ended 2026-12-31 "
        "and the grace period of 10 days passed"
    )


def test_without_grace_a_contract_lapses_the_day_after_its_term() -> None:
    _, events = process(active_contract(), END + DAY)
    assert events == (term_end(TermEndOutcome.LAPSED, END, dt.date(2027, 1, 1)),)


def test_a_contract_in_renewal_has_the_grace_period_then_lapses() -> None:
    contract = active_contract(
        status=S.RENEWAL_IN_PROGRESS, auto_renew=False, grace_days=5
    )
    assert process(contract, END + 5 * DAY) == (contract, ())
    lapsed, events = process(contract, END + 6 * DAY)
    assert events == (term_end(TermEndOutcome.LAPSED, END, dt.date(2027, 1, 6)),)
    assert len(lapsed.versions) == 1


def test_an_open_renewal_case_does_not_stop_the_auto_renewal_clause() -> None:
    contract = active_contract(
        status=S.RENEWAL_IN_PROGRESS, auto_renew=True, grace_days=5
    )
    renewed, events = process(contract, END + DAY)
    assert events == (term_end(TermEndOutcome.RENEWED, END, END + DAY),)
    assert (renewed.status, len(renewed.versions)) == (S.RENEWED, 2)


@pytest.mark.parametrize("status", [S.DRAFT, S.LAPSED, S.TERMINATED, S.ARCHIVED])
def test_contracts_not_in_force_are_left_as_they_are(status: ContractStatus) -> None:
    contract = active_contract(status=status, auto_renew=True)
    assert process(contract, dt.date(2030, 1, 1)) == (contract, ())


# -- only a signed term extends a contract (SPEC §4) -----------------------------


def unsigned_renewal(contract: Contract, value: str = "15000.00") -> Contract:
    """``contract`` with its next term recorded (as a renewal case amends it)
    at a new value, and never signed."""
    return contract.renew(
        recorded_at=AT,
        recorded_by=ManagerId("m-1"),
        note="renewal agreed, awaiting signature",
        value=Money(value, "EUR"),
    )


def test_an_unsigned_renewal_lapses_after_the_grace_of_the_signed_term() -> None:
    pending = unsigned_renewal(
        active_contract(status=S.RENEWAL_IN_PROGRESS, grace_days=5)
    )
    assert process(pending, END + 5 * DAY) == (pending, ())
    lapsed, events = process(pending, END + 6 * DAY)
    assert events == (term_end(TermEndOutcome.LAPSED, END, dt.date(2027, 1, 6)),)
    assert lapsed.status is S.LAPSED


def test_an_unsigned_renewal_keeps_the_signed_terms_renewal_alert_in_grace() -> None:
    pending = unsigned_renewal(active_contract(grace_days=5))
    [alert] = alerts_due(pending, as_of=END + 3 * DAY)
    assert (alert.id, alert.due_on) == ("k-1/2026-12-31/renewal", dt.date(2026, 11, 1))


def test_a_signed_renewal_extends_the_contract() -> None:
    pending = unsigned_renewal(active_contract(grace_days=5))
    signed = pending.sign(
        Signature(version=2, signed_on=dt.date(2026, 12, 20), signed_by="CFO")
    )
    assert signed.binding.term_end == dt.date(2027, 12, 31)
    assert process(signed, END + 30 * DAY) == (signed, ())


def test_an_automatic_renewal_binds_without_a_signature() -> None:
    renewed, _ = process(active_contract(auto_renew=True), END + DAY)
    assert renewed.binding == renewed.current
    assert renewed.binding.term_end == dt.date(2027, 12, 31)


def test_auto_renewal_past_an_unsigned_renewal_keeps_the_signed_terms() -> None:
    pending = unsigned_renewal(active_contract(auto_renew=True))
    renewed, events = process(pending, END + DAY)
    assert events == (term_end(TermEndOutcome.RENEWED, END, END + DAY),)
    assert [(v.number, v.term_end, str(v.value)) for v in renewed.versions] == [
        (1, END, "12000.00 EUR"),
        (2, dt.date(2027, 12, 31), "15000.00 EUR"),
        (3, dt.date(2027, 12, 31), "12000.00 EUR"),
    ]
    assert renewed.binding.number == 3


def test_a_notice_is_checked_against_the_signed_terms_deadline() -> None:
    pending = unsigned_renewal(active_contract(auto_renew=True, notice_period=QUARTER))
    noticed = pending.receive_termination_notice(
        received_on=dt.date(2026, 9, 30), reason="leaving"
    )
    assert noticed.termination is not None
    assert (noticed.termination.deadline, noticed.termination.effective_end) == (
        dt.date(2026, 9, 30),
        END,
    )


# -- a term that ended unannounced (SPEC §4: the manager hears once, late) -------


def test_a_term_that_lapsed_before_any_run_is_owed_a_late_alert() -> None:
    plan = schedule_renewals([active_contract()], as_of=END + 5 * DAY, at=AT)
    assert [(e.outcome, e.term_end) for e in plan.term_ends] == [
        (TermEndOutcome.LAPSED, END),
    ]
    assert plan.alerts == (
        DueAlert(
            contract=ContractId("k-1"),
            client=ClientId("c-1"),
            kind=AlertKind.LATE,
            term_end=END,
            deadline=END,
            due_on=dt.date(2026, 11, 1),
            lead_days=60,
            ends=plan.term_ends,
        ),
    )
    assert plan.alerts[0].id == "k-1/2026-12-31/late"


MONTHLY = relativedelta(months=1)
JAN_31, FEB_28, MAR_31 = (
    dt.date(2026, 1, 31),
    dt.date(2026, 2, 28),
    dt.date(2026, 3, 31),
)


def monthly_plan(raised: frozenset[AlertId] = frozenset()) -> tuple[DueAlert, ...]:
    """A monthly contract from 2026-01-01 first run on 2026-04-02: three term
    ends (January, February, March) renewed before the run."""
    contract = active_contract(term=MONTHLY, auto_renew=True)
    return schedule_renewals(
        [contract], as_of=dt.date(2026, 4, 2), at=AT, lead_days=10, raised=raised
    ).alerts


def test_terms_renewed_unannounced_are_owed_one_late_alert_for_the_stretch() -> None:
    [late] = monthly_plan()
    assert (late.id, late.kind, late.term_end, late.due_on) == (
        "k-1/2026-01-31/late",
        AlertKind.LATE,
        JAN_31,
        dt.date(2026, 1, 21),
    )
    assert (late.last_term_end, late.terms) == (MAR_31, 3)
    assert [e.term_end for e in late.ends] == [JAN_31, FEB_28, MAR_31]


def test_a_stretch_starts_after_the_term_whose_renewal_alert_went_out() -> None:
    [late] = monthly_plan(frozenset({AlertId("k-1/2026-01-31/renewal")}))
    assert (late.id, late.due_on, late.last_term_end, late.terms) == (
        "k-1/2026-02-28/late",
        dt.date(2026, 2, 18),
        MAR_31,
        2,
    )


def test_a_term_told_inside_a_stretch_splits_it_in_two() -> None:
    told = frozenset({AlertId("k-1/2026-02-28/renewal")})
    alerts = monthly_plan(told)
    assert [(a.id, a.due_on, a.terms) for a in alerts if a.kind is AlertKind.LATE] == [
        ("k-1/2026-01-31/late", dt.date(2026, 1, 21), 1),
        ("k-1/2026-03-31/late", dt.date(2026, 3, 21), 1),
    ]


def test_a_late_alert_owes_what_the_ledger_does_not_hold() -> None:
    [late] = monthly_plan()
    assert late.owed(frozenset()) == (late,)
    assert late.owed(frozenset({AlertId("k-1/2026-01-31/late")})) == (
        monthly_plan(frozenset({AlertId("k-1/2026-01-31/late")}))[0],
    )
    every = frozenset(late.told_by)
    assert (late.owed(every), late.told(every)) == ((), True)


def test_no_late_alert_when_the_renewal_alert_went_out() -> None:
    raised = {AlertId("k-1/2026-12-31/renewal")}
    plan = schedule_renewals(
        [active_contract()], as_of=END + 5 * DAY, at=AT, raised=raised
    )
    assert [e.outcome for e in plan.term_ends] == [TermEndOutcome.LAPSED]
    assert plan.alerts == ()


def test_no_late_alert_for_a_term_the_client_ended_by_notice() -> None:
    noticed = active_contract().receive_termination_notice(
        received_on=dt.date(2026, 6, 1), reason="leaving"
    )
    plan = schedule_renewals([noticed], as_of=END + 5 * DAY, at=AT)
    assert [e.outcome for e in plan.term_ends] == [TermEndOutcome.TERMINATED]
    assert plan.alerts == ()


def test_a_late_alert_tells_which_ledger_keys_mean_the_manager_already_heard() -> None:
    [late] = schedule_renewals([active_contract()], as_of=END + DAY, at=AT).alerts
    assert late.told_by == (
        "k-1/2026-12-31/renewal",
        "k-1/2026-12-31/late",
    )


# -- one run ------------------------------------------------------------------


def test_a_run_processes_term_ends_before_it_looks_for_alerts() -> None:
    contract = active_contract(
        start=dt.date(2026, 1, 1), term=relativedelta(months=1), auto_renew=True
    )
    plan = schedule_renewals([contract], as_of=dt.date(2026, 2, 1), at=AT)
    assert [(e.outcome, e.term_end) for e in plan.term_ends] == [
        (TermEndOutcome.RENEWED, dt.date(2026, 1, 31)),
    ]
    assert [(a.id, a.due_on) for a in plan.alerts] == [
        ("k-1/2026-01-31/late", dt.date(2025, 12, 2)),  # no run told of it
        ("k-1/2026-02-28/renewal", dt.date(2025, 12, 30)),
    ]
    assert [c.id for c in plan.changed] == ["k-1"]


def test_a_second_run_the_same_day_plans_nothing() -> None:
    contracts = [
        active_contract("k-1", auto_renew=True, notice_period=QUARTER),
        active_contract("k-2", start=dt.date(2025, 12, 1), grace_days=10),
        active_contract("k-3", start=dt.date(2025, 11, 1)),
    ]
    first = schedule_renewals(contracts, as_of=dt.date(2026, 12, 5), at=AT)
    again = schedule_renewals(
        first.contracts,
        as_of=dt.date(2026, 12, 5),
        at=AT,
        raised={a.id for a in first.alerts},
    )
    assert [a.id for a in first.alerts] == [
        "k-3/2026-10-31/late",
        "k-2/2026-11-30/renewal",
        "k-1/2026-12-31/renewal",
    ]
    assert [(e.contract, e.outcome) for e in first.term_ends] == [
        ("k-3", TermEndOutcome.LAPSED),
    ]
    assert (again.contracts, again.term_ends, again.alerts) == (
        first.contracts,
        (),
        (),
    )
