"""Invariants of contracts and the renewal scheduler, for any dates and terms."""

from __future__ import annotations

import datetime as dt
import itertools

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from kamcore.contracts import (
    AlertKind,
    Contract,
    ContractStatus,
    ContractVersion,
    RenewalAlert,
    TerminationNotice,
    alert_id,
    schedule_renewals,
)
from kamcore.kernel import (
    AlertId,
    ClientId,
    ContractId,
    ManagerId,
    Money,
    term_end,
    term_start,
)
from kamcore.testing import strategies as ks
from kamcore.testing._contract_samples import active_contract

AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)

# Terms of 28 days or more: a month is the shortest calendar term people sign.
terms = st.one_of(
    st.integers(1, 24).map(lambda n: relativedelta(months=n)),
    st.integers(1, 3).map(lambda n: relativedelta(years=n)),
    st.integers(28, 400).map(lambda n: relativedelta(days=n)),
)


@given(ks.dates(), ks.relativedelta_terms(), st.integers(1, 25))
def test_renewed_terms_are_contiguous_and_anchored(
    start: dt.date, term: relativedelta, renewals: int
) -> None:
    contract = active_contract(start=start, term=term)
    for _ in range(renewals):
        contract = contract.renew(recorded_at=AT, recorded_by=ManagerId("m-1"))
    versions = contract.versions
    for before, after in itertools.pairwise(versions):
        assert after.term_start == before.term_end + DAY
        assert after.effective_from == after.term_start
    assert [(v.term_start, v.term_end) for v in versions] == [
        (term_start(start, term, n), term_end(start, term, n))
        for n in range(1, renewals + 2)
    ]


# Notice periods in every unit a clause uses, alone or mixed.
notice_periods = st.one_of(
    st.integers(1, 24).map(lambda n: relativedelta(months=n)),
    st.integers(1, 400).map(lambda n: relativedelta(days=n)),
    st.integers(1, 52).map(lambda n: relativedelta(weeks=n)),
    st.integers(1, 3).map(lambda n: relativedelta(years=n)),
    ks.relativedelta_terms(),
)


@given(
    start=ks.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)),
    term=ks.relativedelta_terms(),
    notice=notice_periods,
    number=st.integers(1, 30),
)
def test_every_notice_deadline_is_anchored_on_the_next_terms_start(
    start: dt.date, term: relativedelta, notice: relativedelta, number: int
) -> None:
    version = ContractVersion(
        number=1,
        effective_from=start,
        anchor=start,
        term=term,
        term_number=number,
        value=Money("100.00", "EUR"),
        auto_renew=True,
        notice_period=notice,
        note="original agreement",
        recorded_at=AT,
        recorded_by=ManagerId("m-1"),
    )
    deadline = version.notice_deadline
    assert deadline == term_start(start, term, number + 1) - notice - DAY
    assert deadline < version.term_end
    on_time = TerminationNotice.against(version, received_on=deadline, reason="r")
    late = TerminationNotice.against(version, received_on=deadline + DAY, reason="r")
    assert (on_time.in_time, on_time.effective_end) == (True, version.term_end)
    assert (late.in_time, late.effective_end) == (
        False,
        term_end(start, term, number + 1),
    )


@st.composite
def run_days(draw: st.DrawFn, first: dt.date, longest_gap: int) -> list[dt.date]:
    """Run dates over a year from ``first``, never more than ``longest_gap`` apart."""
    days = [first]
    while (days[-1] - first).days < 365:
        days.append(days[-1] + dt.timedelta(days=draw(st.integers(1, longest_gap))))
    return days


def run_all(contract: Contract, days: list[dt.date], lead: int) -> list[RenewalAlert]:
    """Run the scheduler on each day, storing what it plans; the alerts raised."""
    raised: list[RenewalAlert] = []
    for day in days:
        plan = schedule_renewals(
            [contract],
            as_of=day,
            at=AT,
            lead_days=lead,
            raised={a.id for a in raised},
        )
        [contract] = plan.contracts
        raised += [
            due.raise_alert(raised_on=day, raised_at=AT, recipient=ManagerId("m-1"))
            for due in plan.alerts
        ]
    return raised


@given(data=st.data(), term=terms, lead=st.integers(28, 90))
def test_a_year_of_runs_raises_one_renewal_alert_per_term_whatever_days_are_skipped(
    data: st.DataObject, term: relativedelta, lead: int
) -> None:
    first = data.draw(ks.dates(dt.date(2001, 1, 1), dt.date(2090, 12, 31)))
    start = data.draw(ks.dates(first - dt.timedelta(days=3 * 365), first))
    days = data.draw(run_days(first, longest_gap=28))
    raised = run_all(
        active_contract(start=start, term=term, auto_renew=True), days, lead
    )

    # The reference: the term that holds a run day is the current one on that
    # day; its alert goes out on the first such day on or after its due date.
    expected: dict[AlertId, tuple[dt.date, dt.date]] = {}
    for n in itertools.count(1):
        begins, ends = term_start(start, term, n), term_end(start, term, n)
        if begins > days[-1]:
            break
        due = ends - dt.timedelta(days=lead)
        on = [d for d in days if begins <= d <= ends and d >= due]
        if on:
            key = alert_id(ContractId("k-1"), ends, AlertKind.RENEWAL)
            expected[key] = (due, on[0])
        # Whatever the gaps, a term whose alert window lies inside the runs
        # gets its alert.
        if max(begins, due) >= first and ends <= days[-1]:
            assert on, (begins, ends)
    assert len({a.id for a in raised}) == len(raised)
    renewals = [a for a in raised if a.kind is AlertKind.RENEWAL]
    assert {a.id: (a.due_on, a.raised_on) for a in renewals} == expected


@given(data=st.data(), notice=st.sampled_from([1, 2, 3]), lead=st.integers(28, 90))
def test_notice_deadline_alerts_go_out_once_and_never_after_the_deadline(
    data: st.DataObject, notice: int, lead: int
) -> None:
    first = data.draw(ks.dates(dt.date(2001, 1, 1), dt.date(2090, 12, 31)))
    contract = active_contract(
        start=data.draw(ks.dates(first - dt.timedelta(days=3 * 365), first)),
        term=relativedelta(years=1),
        auto_renew=True,
        notice_period=relativedelta(months=notice),
    )
    raised = run_all(contract, data.draw(run_days(first, longest_gap=28)), lead)
    notices = [a for a in raised if a.kind is AlertKind.NOTICE_DEADLINE]
    assert len({a.id for a in notices}) == len(notices)
    for alert in notices:
        assert alert.due_on <= alert.raised_on <= alert.deadline
        next_start = alert.term_end + DAY
        assert alert.deadline == next_start - relativedelta(months=notice) - DAY


@given(data=st.data(), contracts=st.lists(ks.contracts(), max_size=2))
def test_running_twice_the_same_day_is_running_once(
    data: st.DataObject, contracts: list[Contract]
) -> None:
    contracts = list({c.id: c for c in contracts}.values())
    anchor = data.draw(st.sampled_from([c.end for c in contracts] or [AT.date()]))
    as_of = anchor + dt.timedelta(days=data.draw(st.integers(-90, 90)))
    once = schedule_renewals(contracts, as_of=as_of, at=AT)
    again = schedule_renewals(
        once.contracts, as_of=as_of, at=AT, raised={a.id for a in once.alerts}
    )
    assert again.contracts == once.contracts
    assert (again.term_ends, again.alerts) == ((), ())


@given(
    ks.contracts(status=ContractStatus.RENEWED, client=ClientId("c-7"), currency="JPY")
)
def test_contract_strategy_honours_what_it_pins(contract: Contract) -> None:
    assert (contract.status, contract.client, contract.current.value.currency) == (
        ContractStatus.RENEWED,
        "c-7",
        "JPY",
    )
    # It went through activation, which needs a signed version.
    assert contract.history[0].status is ContractStatus.ACTIVE
    assert contract.signatures


@given(ks.renewal_alerts(kind=AlertKind.NOTICE_DEADLINE, acted=True))
def test_alert_strategy_keys_alerts_by_contract_term_end_and_kind(
    alert: RenewalAlert,
) -> None:
    assert alert.id == alert_id(alert.contract, alert.term_end, alert.kind)
    assert alert.kind is AlertKind.NOTICE_DEADLINE
    assert alert.first_action is not None
    assert alert.due_on <= alert.deadline < alert.term_end
    assert alert.raised_on <= alert.first_action.on


@given(
    start=ks.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)),
    term=terms,
    grace=st.integers(0, 60),
    late=st.integers(1, 2000),
    auto_renew=st.booleans(),
)
def test_a_renewal_never_signed_never_extends_the_contract(
    start: dt.date, term: relativedelta, grace: int, late: int, auto_renew: bool
) -> None:
    signed = active_contract(
        start=start, term=term, grace_days=grace, auto_renew=auto_renew
    )
    pending = signed.renew(
        recorded_at=AT,
        recorded_by=ManagerId("m-1"),
        value=Money("99999.00", "EUR"),  # a new price, never signed
    )
    end = signed.end
    [after] = schedule_renewals(
        [pending], as_of=end + dt.timedelta(days=grace + late), at=AT
    ).contracts
    assert pending.binding == signed.current
    if auto_renew:
        # The clause renews it on the terms signed, never on the pending ones.
        assert after.binding.value == signed.current.value
        assert after.binding.term_start > end
    else:
        assert after.status is ContractStatus.LAPSED
        assert after.history[-1].on == end + dt.timedelta(days=grace + 1)
