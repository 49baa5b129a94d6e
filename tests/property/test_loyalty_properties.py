"""The points ledger over random histories: invoices issued, paid, credited and
cancelled, points redeemed and adjusted, expiry runs, notices -- posted through
the real functions (:func:`kamcore.testing._loyalty_histories.post`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import CreditNote, Invoice, InvoiceStatus
from kamcore.kernel import (
    EXACT,
    ROUNDING,
    ClientId,
    CreditNoteId,
    ManagerId,
    MembershipId,
    Money,
)
from kamcore.loyalty import (
    EntryKind,
    Membership,
    Programme,
    ReversalPolicy,
    TierOverride,
    adjust_points,
    confirm_invoice,
    earn_invoice,
    expire_points,
    redeem_points,
    reverse_credit_note,
    tier_on,
)
from kamcore.loyalty._tier_engine import start_of_day_tiers
from kamcore.testing import strategies as ks
from kamcore.testing._loyalty_histories import (
    CATEGORIES,
    LoyaltyHistory,
    Step,
    post,
    steps,
)
from kamcore.testing._loyalty_strategies import loyalty_histories

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
HISTORIES = loyalty_histories(max_steps=8)
"""Eight steps are enough to reach every posting and keep each test fast."""
ZERO = Decimal(0)
HALF_A_MILLIONTH = Decimal("0.0000005")
YEAR = relativedelta(years=1)


def total(values: list[Decimal]) -> Decimal:
    result = ZERO
    for value in values:
        result = EXACT.add(result, value)
    return result


def days(membership: Membership) -> list[dt.date]:
    """Every date the ledger changes on, and the day before each."""
    dates = {e.on for e in membership.entries}
    return sorted(dates | {d - dt.timedelta(days=1) for d in dates})


def check_ledger(membership: Membership, programme: Programme, day: dt.date) -> None:
    """The ledger's arithmetic as of ``day``."""
    entries = [e for e in membership.entries if e.on <= day]
    lots = membership.lots(day)
    balance = membership.balance(day)
    assert balance == total(
        [e.points for e in entries if e.kind is not EntryKind.PENDING]
    )
    assert balance == EXACT.subtract(
        total([lot.remaining for lot in lots]), membership.unbacked(day)
    )
    for lot in lots:
        assert ZERO <= lot.remaining <= lot.points, lot
    assert membership.unbacked(day) >= 0
    assert membership.owed(day) >= 0
    if programme.reversal is not ReversalPolicy.ALLOW_NEGATIVE:
        assert balance >= 0, day
        assert membership.unbacked(day) == 0


@given(HISTORIES)
def test_the_balance_is_the_sum_of_the_entries_and_what_the_lots_hold(
    history: LoyaltyHistory,
) -> None:
    membership, programme = history.membership, history.programme
    for day in days(membership):
        check_ledger(membership, programme, day)
    check_ledger(membership, programme, dt.date.max)


@given(HISTORIES)
def test_the_carried_fraction_stays_below_one_point_place(
    history: LoyaltyHistory,
) -> None:
    carried = history.membership.carried()
    # Negative when a reversal could not take back a fraction its invoice's
    # lots never got (it is taken from the next earnings' fractions).
    quantum = history.programme.point_quantum
    assert quantum.copy_negate() <= carried < quantum
    # What was posted is what was earned, to the fraction carried.
    entries = history.membership.entries
    exact = total([e.exact for e in entries if e.exact is not None])
    posted = total(
        [
            EXACT.subtract(EXACT.subtract(e.points, e.owed), e.written_off)
            for e in entries
            if e.exact is not None
        ]
    )
    assert EXACT.subtract(exact, posted) == carried


@given(HISTORIES)
def test_an_invoice_keeps_exactly_its_uncredited_share_of_points_and_spend(
    history: LoyaltyHistory,
) -> None:
    membership = history.membership
    for invoice in history.invoices:
        earned = [
            e
            for e in membership.entries
            if e.kind is EntryKind.EARN and e.source.id == invoice.id
        ]
        notes = [*invoice.credit_notes, *cancellation(invoice)]
        reversals = [
            (note, entry)
            for note in notes
            if (entry := membership.entry(f"reverse:credit_note:{note.id}"))
        ]
        if not earned:
            assert reversals == []
            continue
        exact = total([e.exact or ZERO for e in earned])
        kept = EXACT.add(exact, total([e.exact or ZERO for _, e in reversals]))
        credited = Money.sum((note.amount for note, _ in reversals), invoice.currency)
        spend = Money.sum(
            (e.spend for e in [*earned, *(e for _, e in reversals)] if e.spend),
            invoice.currency,
        )
        assert spend == invoice.total - credited
        if credited == invoice.total:
            assert kept == ZERO
        else:
            share = ROUNDING.divide(
                EXACT.multiply(exact, (invoice.total - credited).amount),
                invoice.total.amount,
            )
            assert abs(ROUNDING.subtract(kept, share)) <= HALF_A_MILLIONTH


def cancellation(invoice: Invoice) -> list[CreditNote]:
    """The credit note standing for a cancellation (see ``_withdraw``)."""
    if invoice.status is not InvoiceStatus.CANCELLED or invoice.total.is_zero():
        return []
    return [
        CreditNote(
            id=CreditNoteId(f"{invoice.id}/cancelled"),
            issued_on=invoice.issue_date,
            amount=invoice.total,
            reason="invoice cancelled",
        )
    ]


@given(HISTORIES)
def test_the_tier_held_is_never_below_the_tier_the_spend_reaches(
    history: LoyaltyHistory,
) -> None:
    programme, membership = history.programme, history.membership
    asked: set[dt.date] = set()
    for entry in membership.entries:
        asked |= {entry.on, entry.on + YEAR, entry.on + YEAR + dt.timedelta(days=1)}
    for day in sorted(asked):
        standing = tier_on(membership, programme, day)
        reached = programme.tier_for_spend(standing.spend)
        assert programme.rank(standing.held.code) >= programme.rank(reached.code), day


@given(
    loyalty_histories(
        ks.programmes(reversal=ReversalPolicy.ALLOW_NEGATIVE), max_steps=8
    )
)
def test_a_negative_balance_leaves_no_usable_points(history: LoyaltyHistory) -> None:
    membership = history.membership
    for day in days(membership):
        if membership.unbacked(day) > 0:
            usable = [lot for lot in membership.lots(day) if lot.usable_on(day)]
            assert usable == [], day


@given(HISTORIES)
def test_posting_every_document_again_changes_nothing(history: LoyaltyHistory) -> None:
    programme, membership = history.programme, history.membership
    again = membership
    for invoice in history.invoices:
        for post_again in (earn_invoice, confirm_invoice):
            again = post_again(
                again,
                programme,
                invoice,
                categories=CATEGORIES,
                tier_multiplier=programme.tiers[-1].benefits.earn_multiplier,
                at=AT,
            )
        for note in invoice.credit_notes:
            again = reverse_credit_note(again, programme, invoice, note, at=AT)
    for points, day, source in history.redemptions:
        again = redeem_points(
            again, programme, points=points, on=day, source=source, at=AT
        )
    for points, day, reference in history.adjustments:
        again = adjust_points(
            again,
            programme,
            points=points,
            on=day,
            reference=reference,
            reason="again",
            at=AT,
        )
    for day in history.expiry_runs:
        again = expire_points(again, programme, as_of=day, at=AT)
    assert again == membership


@given(HISTORIES)
def test_replaying_the_entries_gives_the_same_balances_and_tiers(
    history: LoyaltyHistory,
) -> None:
    programme, membership = history.programme, history.membership
    replayed = Membership(
        id=membership.id,
        client=membership.client,
        programme=membership.programme,
        enrolled_on=membership.enrolled_on,
    )
    for entry in membership.entries:
        # Every prefix of the ledger is a valid ledger.
        replayed = attrs.evolve(replayed, entries=(*replayed.entries, entry))
    replayed = attrs.evolve(
        replayed, notices=membership.notices, overrides=membership.overrides
    )
    assert replayed == membership
    for day in days(membership)[-3:]:
        assert replayed.balance(day) == membership.balance(day)
        assert replayed.pending(day) == membership.pending(day)
        assert tier_on(replayed, programme, day) == tier_on(membership, programme, day)


@given(st.data(), ks.programmes(), steps(8))
def test_later_dated_entries_never_change_an_earlier_tier(
    data: st.DataObject, programme: Programme, plan: list[Step]
) -> None:
    start = Membership(
        id=MembershipId("ms-1"),
        client=ClientId("c-1"),
        programme=programme.id,
        enrolled_on=dt.date(2024, 2, 29),
    )
    cut = data.draw(st.integers(0, len(plan)))
    before = post(programme, start, plan[:cut])
    after = post(programme, before.membership, plan[cut:]).membership
    added = after.entries[len(before.membership.entries) :]
    if not added:
        return
    # Overrides set in the later steps (set no earlier than their step) may
    # apply from the day they are set: the earlier tier is the one before both.
    set_later = after.overrides[len(before.membership.overrides) :]
    day = min(e.on for e in added) - dt.timedelta(days=1)
    if set_later:
        day = min(day, set_later[0].set_on - dt.timedelta(days=1))
    if day < start.enrolled_on:
        return
    for asked in {day, start.enrolled_on, day - dt.timedelta(days=200)}:
        if asked >= start.enrolled_on:
            assert tier_on(after, programme, asked) == tier_on(
                before.membership, programme, asked
            )
            assert after.balance(asked) == before.membership.balance(asked)


@given(
    HISTORIES,
    st.integers(0, 800),
    st.integers(0, 60),
    st.integers(0, 400),
    st.integers(0, 4),
)
def test_appending_an_override_never_changes_a_day_before_it_was_set(
    history: LoyaltyHistory, later: int, wait: int, last: int, pick: int
) -> None:
    programme, membership = history.programme, history.membership
    codes = [tier.code for tier in programme.tiers]
    since = (
        membership.overrides[-1].set_on
        if membership.overrides
        else membership.enrolled_on
    )
    set_on = since + dt.timedelta(days=later)
    starts = set_on + dt.timedelta(days=wait)
    tier = codes[pick] if pick < len(codes) else None
    after = membership.with_override(
        TierOverride(
            tier=tier,
            reason="set by hand",
            by=ManagerId("m-1"),
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=last),
            set_on=set_on,
        )
    )
    asked = {d for d in days(membership) if d < set_on}
    asked |= {set_on - dt.timedelta(days=n) for n in (1, 2, 31, 366)}
    for day in sorted(d for d in asked if d >= membership.enrolled_on):
        assert tier_on(after, programme, day) == tier_on(membership, programme, day)
    # From its first day on, it decides (unless another set later covers it:
    # none is, it is the last).
    found = tier_on(after, programme, starts)
    assert found.overridden is (tier is not None)
    if tier is not None:
        assert found.tier.code == tier


@given(ks.programmes())
def test_programmes_are_valid_and_reachable(programme: Programme) -> None:
    assert programme.tiers[0].threshold.is_zero()
    assert programme.version == 0


@given(ks.memberships(max_steps=8))
def test_memberships_are_valid_ledgers(membership: Membership) -> None:
    numbers = [e.number for e in membership.entries]
    assert numbers == list(range(1, len(numbers) + 1))
    assert membership.held() <= max(membership.balance(), ZERO)
    assert membership.version == 0


@given(HISTORIES, st.data())
def test_the_tier_a_day_begins_with_counts_only_the_days_before(
    history: LoyaltyHistory, data: st.DataObject
) -> None:
    programme, membership = history.programme, history.membership
    dates = sorted({e.on for e in membership.entries} | {membership.enrolled_on})
    asked = data.draw(
        st.lists(st.sampled_from([*dates, *(d + YEAR for d in dates)]), max_size=6)
    )
    found = start_of_day_tiers(membership, programme, asked)
    for day in asked:
        # The tier only reads the spend: the entries dated before the day
        # that record it, renumbered, draw on nothing.
        spent = [e for e in membership.entries if e.on < day and e.spend is not None]
        before = attrs.evolve(
            membership,
            entries=tuple(
                attrs.evolve(e, number=n, draws=())
                for n, e in enumerate(spent, start=1)
            ),
        )
        assert found[day] == tier_on(before, programme, day).tier, day
