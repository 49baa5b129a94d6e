"""The daily renewal run through the ports, for any run dates: every term end is
told to the account manager exactly once (SPEC §4's catch-up), on time by its
renewal alert or within the range of one late alert, and a run sends at most
one late alert per contract."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import Client
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.contracts import AlertKind, TermEndOutcome
from kamcore.kernel import ClientId, ManagerId
from kamcore.services import run_renewal_scheduler
from kamcore.testing import strategies as ks
from kamcore.testing._contract_samples import active_contract

terms = st.one_of(
    st.integers(1, 12).map(lambda n: relativedelta(months=n)),
    st.just(relativedelta(years=1)),
    st.integers(7, 200).map(lambda n: relativedelta(days=n)),
)


@st.composite
def run_dates(draw: st.DrawFn, first: dt.date) -> list[dt.date]:
    """Up to a dozen run dates from ``first``: daily streaks and gaps of up to
    a year and a half, so some runs fall in every window and some in none."""
    days = [first]
    for _ in range(draw(st.integers(0, 11))):
        gap = draw(st.one_of(st.integers(1, 3), st.integers(1, 550)))
        days.append(days[-1] + dt.timedelta(days=gap))
    return days


@given(
    data=st.data(),
    term=terms,
    auto_renew=st.booleans(),
    lead=st.integers(0, 90),
    grace=st.integers(0, 30),
)
def test_every_term_end_is_told_exactly_once_whatever_the_run_dates(
    data: st.DataObject,
    term: relativedelta,
    auto_renew: bool,
    lead: int,
    grace: int,
) -> None:
    start = data.draw(ks.dates(dt.date(2001, 1, 1), dt.date(2090, 12, 31)))
    first = start + dt.timedelta(days=data.draw(st.integers(0, 400)))
    uow = InMemoryUnitOfWork(InMemoryStore())
    with uow:
        uow.clients.add(
            Client(
                id=ClientId("c-1"),
                name="Client",
                currency="EUR",
                locale="en_GB",
                account_manager=ManagerId("m-1"),
            )
        )
        uow.contracts.add(
            active_contract(
                start=start,
                term=term,
                auto_renew=auto_renew,
                renewal_lead_days=lead,
                grace_days=grace,
            )
        )
        uow.commit()
    notifier = RecordingNotifier()
    ended: list[dt.date] = []
    for day in data.draw(run_dates(first)):
        clock = FixedClock(dt.datetime.combine(day, dt.time(6), tzinfo=dt.UTC))
        run = run_renewal_scheduler(uow, notifier, clock)
        ended += [
            t.term_end
            for t in run.term_ends
            if t.outcome is not TermEndOutcome.TERMINATED
        ]
        # The manager hears once per run, however many terms it caught up.
        assert sum(a.kind is AlertKind.LATE for a in run.raised) <= 1

    with uow:
        ledger = uow.renewal_alerts.all()
    renewals = [a for a in ledger if a.kind is AlertKind.RENEWAL]
    lates = [a for a in ledger if a.kind is AlertKind.LATE]

    def told(day: dt.date) -> int:
        return sum(a.term_end == day for a in renewals) + sum(
            a.covers(day) for a in lates
        )

    # Every term that ended was told of, once: on time or late, never both,
    # never by two late alerts.
    assert {day: told(day) for day in ended} == dict.fromkeys(ended, 1)
    # A late alert covers only terms that ended, and says how many.
    for late in lates:
        covered = [day for day in ended if late.covers(day)]
        assert (late.term_end, late.last_term_end, late.terms) == (
            covered[0],
            covered[-1],
            len(covered),
        )
    # And no term, ended or running, was told of twice.
    assert all(told(alert.term_end) == 1 for alert in renewals)
    assert len(ledger) == len(notifier.sent)
