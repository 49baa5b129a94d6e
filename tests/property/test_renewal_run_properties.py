"""The daily renewal run through the ports, for any run dates: every term end is
told to the account manager exactly once (SPEC §4's catch-up)."""

from __future__ import annotations

import collections
import datetime as dt

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import Client
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.contracts import TermEndOutcome
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

    told = collections.Counter(
        payload["term_end"]
        for payload in (dict(m.payload) for m in notifier.sent)
        if payload["alert_kind"] in ("renewal", "late")
    )
    # Every term that ended was told of, once: on time or late, never both.
    assert {day.isoformat(): told[day.isoformat()] for day in ended} == {
        day.isoformat(): 1 for day in ended
    }
    # And no term, ended or running, was told of twice.
    assert all(count == 1 for count in told.values())
    with uow:
        assert len(uow.renewal_alerts.all()) == len(notifier.sent)
