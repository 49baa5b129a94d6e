"""A cancelled invoice leaves the same ledger whenever it is posted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from loyalty_builders import AT, bill, credit, member, programme

from kamcore.accounts import Invoice
from kamcore.loyalty import EarnTrigger, EntryKind, Membership, Programme, sync_invoice

FEB_1 = dt.date(2026, 2, 1)
MAR_10 = dt.date(2026, 3, 10)
ON_ISSUE = programme()
ON_PAYMENT = programme(earn_on=EarnTrigger.PAYMENT)


def posted_live_then_cancelled(
    lp: Programme, invoice: Invoice, cancelled_on: dt.date
) -> Membership:
    live = sync_invoice(member(), lp, invoice, categories={}, at=AT)
    return sync_invoice(live, lp, invoice.cancel(on=cancelled_on), categories={}, at=AT)


def posted_once_cancelled(
    lp: Programme, invoice: Invoice, cancelled_on: dt.date
) -> Membership:
    return sync_invoice(
        member(), lp, invoice.cancel(on=cancelled_on), categories={}, at=AT
    )


def test_an_invoice_posted_only_after_its_cancellation_earned_while_it_was_live() -> (
    None
):
    ms = posted_once_cancelled(ON_ISSUE, bill("i-1", FEB_1, "100.00"), MAR_10)
    assert [(e.kind, e.points, e.on) for e in ms.entries] == [
        (EntryKind.EARN, Decimal(100), FEB_1),
        (EntryKind.REVERSE, Decimal(-100), MAR_10),
    ]
    assert ms.balance(dt.date(2026, 3, 9)) == Decimal(100)
    assert ms.balance(MAR_10) == Decimal(0)


def test_pending_points_of_an_invoice_cancelled_before_posting_are_withdrawn() -> None:
    after = posted_once_cancelled(ON_PAYMENT, bill("i-1", FEB_1, "100.00"), MAR_10)
    assert after.pending(dt.date(2026, 3, 9)) == Decimal(100)
    assert after.pending(MAR_10) == Decimal(0)
    assert after.balance() == Decimal(0)
    assert after == posted_live_then_cancelled(
        ON_PAYMENT, bill("i-1", FEB_1, "100.00"), MAR_10
    )


@given(
    st.sampled_from([ON_ISSUE, ON_PAYMENT]),
    st.lists(
        st.decimals("0.01", "20000.00", places=2).map(str), min_size=1, max_size=3
    ),
    st.integers(0, 400),
)
def test_the_ledger_does_not_depend_on_when_the_cancellation_is_posted(
    lp: Programme, amounts: list[str], days_live: int
) -> None:
    invoice = bill("i-1", FEB_1, *amounts)
    cancelled_on = FEB_1 + dt.timedelta(days=days_live)
    assert posted_once_cancelled(lp, invoice, cancelled_on) == (
        posted_live_then_cancelled(lp, invoice, cancelled_on)
    )


def test_a_cancelled_invoice_whose_fraction_completed_a_point_carries_it_negative() -> (
    None
):
    # i-0 earns 15 and its credit note of 0.15 takes a whole point (0.85
    # carried). An invoice of 9999.99 the same day earns 9999 and carries 0.99,
    # which the credit note (placed after every earning of its day) uses: it
    # takes nothing. Cancelling that invoice takes back the 9999 its lot got,
    # never more: the point stays, and 0.15 is carried negative.
    credited = credit(bill("i-0", FEB_1, "15.00"), "cn-1", FEB_1, "0.15")
    before = sync_invoice(member(), ON_ISSUE, credited, categories={}, at=AT)
    assert (before.balance(), before.carried()) == (Decimal(14), Decimal("0.85"))
    live = sync_invoice(
        before, ON_ISSUE, bill("x", FEB_1, "9999.99"), categories={}, at=AT
    )
    after = sync_invoice(
        live,
        ON_ISSUE,
        bill("x", FEB_1, "9999.99").cancel(on=FEB_1),
        categories={},
        at=AT,
    )
    assert (after.balance(), after.carried()) == (Decimal(15), Decimal("-0.15"))
    # The next earning repays it: 1.20 - 0.15 posts one point, carries 0.05.
    later = sync_invoice(
        after, ON_ISSUE, bill("i-2", MAR_10, "1.20"), categories={}, at=AT
    )
    assert (later.balance(), later.carried()) == (Decimal(16), Decimal("0.05"))
