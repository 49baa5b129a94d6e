"""A redemption on an invoice that is then cancelled leaves no trace on the
points: from the cancellation on, the balance and every lot (with its earn and
expiry dates) are what they are when the same invoice, earning the same, is
cancelled without a redemption.

The baseline posts the invoice too: a withdrawn invoice may itself leave a
point place behind (its fraction completed another document's point, see
``test_loyalty_withdrawn_invoice_properties``), which is not the redemption's
doing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import assume, given, reject
from hypothesis import strategies as st

from kamcore.accounts import Invoice, LineItem
from kamcore.errors import PolicyViolationError
from kamcore.kernel import EXACT, InvoiceId, Money, ProductId
from kamcore.loyalty import (
    Membership,
    ReversalPolicy,
    SourceRef,
    earning_basis,
    expire_points,
    redeem_on_invoice,
    redeemable_points,
    sync_invoice,
)
from kamcore.testing._loyalty_histories import CATEGORIES, LoyaltyHistory
from kamcore.testing._loyalty_strategies import loyalty_histories

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def usable(
    membership: Membership, day: dt.date
) -> list[tuple[SourceRef, dt.date, dt.date | None, Decimal]]:
    """The lots holding points on ``day``: what earned them, their dates and
    what they hold (not their numbers, which count the entries before)."""
    return [
        (lot.source, lot.earned_on, lot.expires_on, lot.remaining)
        for lot in membership.lots(day)
        if lot.remaining
    ]


@given(
    loyalty_histories(max_steps=8),
    st.integers(0, 60),
    st.integers(0, 800),
    st.integers(1, 100),
)
def test_a_cancelled_redemption_leaves_the_points_as_they_were(
    history: LoyaltyHistory, later: int, live_days: int, percent: int
) -> None:
    programme, before = history.programme, history.membership
    last = max((e.on for e in before.entries), default=before.enrolled_on)
    issued = last + dt.timedelta(days=later)
    cancelled_on = issued + dt.timedelta(days=live_days)
    quantum = programme.point_quantum
    quanta = int(EXACT.divide(redeemable_points(before, issued), quantum))
    assume(quanta > 0)
    points = EXACT.multiply(Decimal(max(1, quanta * percent // 100)), quantum)
    assume((programme.redemption_rate * points).rounded().is_positive())
    # Large enough that the programme's maximum share never refuses.
    invoice = Invoice(
        id=InvoiceId("x"),
        client=before.client,
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        currency=programme.currency,
        lines=(
            LineItem(
                product=ProductId("pump"),
                quantity=Decimal(1),
                unit_price=Money.from_minor_units(10**12, programme.currency),
            ),
        ),
    )
    redeemed, deducted = redeem_on_invoice(
        before, programme, invoice, at=AT, points=points
    )
    try:
        posted = sync_invoice(
            redeemed, programme, deducted, categories=CATEGORIES, at=AT
        )
    except PolicyViolationError:
        # The invoice's fraction can make a credit note of its day take one
        # more point; under ``refuse``, spent by the redemption, that point is
        # refused (docs/loyalty.md, "What is not confluent"). Nothing to cancel.
        assert programme.reversal is ReversalPolicy.REFUSE
        reject()
    after = sync_invoice(
        posted,
        programme,
        deducted.cancel(on=cancelled_on),
        categories=CATEGORIES,
        at=AT,
    )
    # The same invoice as the earn rules see it (its lines net of the
    # deduction), cancelled without having redeemed anything.
    before = sync_invoice(
        before,
        programme,
        earning_basis(deducted).cancel(on=cancelled_on),
        categories=CATEGORIES,
        at=AT,
    )
    # Whatever expired meanwhile is written off in both.
    before = expire_points(before, programme, as_of=cancelled_on, at=AT)
    after = expire_points(after, programme, as_of=cancelled_on, at=AT)
    asked = {cancelled_on, cancelled_on + dt.timedelta(days=1), dt.date.max}
    asked |= {lot.expires_on for lot in after.lots() if lot.expires_on}
    for day in sorted(d for d in asked if d >= cancelled_on):
        assert after.balance(day) == before.balance(day), day
        assert usable(after, day) == usable(before, day), day
        assert after.owed(day) == before.owed(day), day
        assert after.pending(day) == before.pending(day), day
