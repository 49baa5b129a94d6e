"""The ledger is confluent (SPEC §5): the same invoices posted in any order --
back-dated, re-tried, or their states interleaved as concurrent workers would
post them, with expiry runs in between -- end in the same balances, lots,
pending and owed points, and the same tier on every date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import Invoice
from kamcore.kernel import ClientId, MembershipId
from kamcore.loyalty import (
    EarnTrigger,
    Membership,
    Programme,
    ReversalPolicy,
    SourceRef,
    expire_points,
    redeem_points,
    redeemable_points,
    sync_invoice,
)
from kamcore.loyalty._chain import units_of
from kamcore.testing import strategies as ks
from kamcore.testing._loyalty_documents import (
    invoice_stories,
    ledger_facts,
    telling_days,
)
from kamcore.testing._loyalty_histories import CATEGORIES

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)

Event = Invoice | dt.date
"""A document to post, or the date an expiry run is made as of."""


def member(programme: Programme) -> Membership:
    return Membership(
        id=MembershipId("ms-1"),
        client=ClientId("c-1"),
        programme=programme.id,
        enrolled_on=dt.date(2024, 2, 29),
    )


def post(programme: Programme, events: list[Event]) -> Membership:
    """Every event in turn."""
    membership = member(programme)
    for event in events:
        if isinstance(event, Invoice):
            membership = sync_invoice(
                membership, programme, event, categories=CATEGORIES, at=AT
            )
        else:
            membership = expire_points(membership, programme, as_of=event, at=AT)
    return membership


def assert_same_ledger(
    programme: Programme, expected: list[Event], actual: list[Event]
) -> None:
    """The two sequences of events leave the same ledger, once an expiry run
    has caught up with the later of their runs and entries."""
    one, other = post(programme, expected), post(programme, actual)
    last = max(
        [e.on for e in (*one.entries, *other.entries)]
        + [event for event in (*expected, *actual) if not isinstance(event, Invoice)]
        + [one.enrolled_on]
    )
    one = expire_points(one, programme, as_of=last, at=AT)
    other = expire_points(other, programme, as_of=last, at=AT)
    for day in telling_days(programme, [one, other]):
        assert ledger_facts(one, programme, day) == ledger_facts(other, programme, day)
    assert one.carried() == other.carried()


def in_date_order(stories: list[list[Invoice]]) -> list[Event]:
    """The final states, by issue date: the ledger every order must give."""
    finals = sorted(
        (story[-1] for story in stories),
        key=lambda invoice: (invoice.issue_date, invoice.id),
    )
    return list(finals)


@st.composite
def programme_and_stories(
    draw: st.DrawFn, programmes: st.SearchStrategy[Programme] | None = None
) -> tuple[Programme, list[list[Invoice]]]:
    programme = draw(ks.programmes() if programmes is None else programmes)
    return programme, draw(invoice_stories(member(programme), programme))


def interleaved(
    data: st.DataObject, stories: list[list[Invoice]], *, runs: bool
) -> list[Event]:
    """Each invoice's states in the order they happened, the invoices'
    interleaved at random; some posted again (a retried delivery, possibly a
    stale state); expiry runs as of some of the invoices' dates in between."""
    slots = [n for n, story in enumerate(stories) for _ in story]
    seen = [0] * len(stories)
    events: list[Event] = []
    for n in data.draw(st.permutations(slots)):
        events.append(stories[n][seen[n]])
        seen[n] += 1
        if data.draw(st.integers(0, 4)) == 0:
            events.append(stories[n][data.draw(st.integers(0, seen[n] - 1))])
        if runs and data.draw(st.integers(0, 2)) == 0:
            later = data.draw(st.integers(0, 60))
            events.append(stories[n][seen[n] - 1].issue_date + dt.timedelta(later))
    return events


@given(programme_and_stories(), st.data())
def test_final_invoices_posted_in_any_order_give_the_same_ledger(
    drawn: tuple[Programme, list[list[Invoice]]], data: st.DataObject
) -> None:
    programme, stories = drawn
    shuffled = data.draw(st.permutations([story[-1] for story in stories]))
    assert_same_ledger(programme, in_date_order(stories), list(shuffled))


@given(programme_and_stories(), st.data())
def test_states_interleaved_and_re_tried_give_the_same_ledger(
    drawn: tuple[Programme, list[list[Invoice]]], data: st.DataObject
) -> None:
    programme, stories = drawn
    assert_same_ledger(
        programme, in_date_order(stories), interleaved(data, stories, runs=False)
    )


@given(
    programme_and_stories(
        ks.programmes().map(lambda p: attrs.evolve(p, expiry=relativedelta(months=1)))
    ),
    st.data(),
)
def test_expiry_runs_in_between_leave_the_same_ledger(
    drawn: tuple[Programme, list[list[Invoice]]], data: st.DataObject
) -> None:
    programme, stories = drawn
    assert_same_ledger(
        programme, in_date_order(stories), interleaved(data, stories, runs=True)
    )


@given(programme_and_stories(ks.programmes(earn_on=EarnTrigger.PAYMENT)), st.data())
def test_pending_points_end_the_same_in_any_order(
    drawn: tuple[Programme, list[list[Invoice]]], data: st.DataObject
) -> None:
    programme, stories = drawn
    assert_same_ledger(
        programme, in_date_order(stories), interleaved(data, stories, runs=False)
    )


def valid_on(membership: Membership, day: dt.date) -> None:
    """The ledger's arithmetic as of ``day``: no lot below zero or above what
    it added, the balance what the lots hold less what is below zero."""
    lots = membership.lots(day)
    for lot in lots:
        assert 0 <= lot.remaining <= lot.points, (day, lot)
    held = sum((lot.remaining for lot in lots), start=Decimal(0))
    assert membership.balance(day) == held - membership.unbacked(day), day


def earned(membership: Membership) -> dict[str, tuple[Decimal, Decimal]]:
    """What each earning and reversal holds, exactly and posted, by key."""
    return {unit.entry.key: (unit.exact, unit.posted) for unit in units_of(membership)}


@given(
    programme_and_stories(
        ks.programmes().filter(lambda p: p.reversal is not ReversalPolicy.REFUSE)
    ),
    st.data(),
)
def test_redemptions_in_between_leave_every_invoices_points_and_the_tiers(
    drawn: tuple[Programme, list[list[Invoice]]], data: st.DataObject
) -> None:
    """Redemptions interleaved with invoices posted out of order: the ledger
    stays valid on every date, and what every invoice earned, the spend and
    the tiers are those of the date order (which lots the redemptions drew on
    may differ: see docs/loyalty.md). Not under ``refuse``: a credit note on
    points redeemed meanwhile is refused there, and handled by hand."""
    programme, stories = drawn
    events = interleaved(data, stories, runs=False)
    ledger = member(programme)
    for count, event in enumerate(events):
        assert isinstance(event, Invoice)
        ledger = sync_invoice(ledger, programme, event, categories=CATEGORIES, at=AT)
        if data.draw(st.integers(0, 2)) == 0:
            day = event.issue_date + dt.timedelta(days=data.draw(st.integers(0, 30)))
            quanta = int(redeemable_points(ledger, day) / programme.point_quantum)
            share = data.draw(st.integers(0, 100))
            if quanta * share // 100 > 0:
                points = Decimal(quanta * share // 100) * programme.point_quantum
                ledger = redeem_points(
                    ledger,
                    programme,
                    points=points,
                    on=day,
                    source=SourceRef(kind="invoice", id=f"r-{count}"),
                    at=AT,
                )
    expected = post(programme, in_date_order(stories))
    assert earned(ledger) == earned(expected)
    for day in telling_days(programme, [ledger, expected]):
        valid_on(ledger, day)
        facts, wanted = (
            ledger_facts(ledger, programme, day),
            ledger_facts(expected, programme, day),
        )
        assert (facts.tier, facts.spend, facts.pending) == (
            wanted.tier,
            wanted.spend,
            wanted.pending,
        )
