"""An invoice withdrawn in full -- cancelled, or credited in full by credit
notes -- leaves the member's exact points as they were, and the balance at
most one point place above.

Fractions are carried along the date order, so the withdrawn invoice's
fraction may complete a point of a document placed between its earning and
its credit (here, a neighbour's credit note of the same day, which comes after
every earning of the day). Its credit never takes back more than its own lots
got: that point stays, and ``carried()`` goes one point place lower (negative)
to be repaid by the next earnings' fractions -- rather than refusing the
credit, or taking from another invoice's lots, over a fraction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import CreditNote, Invoice, LineItem
from kamcore.kernel import CreditNoteId, InvoiceId, Money, ProductId
from kamcore.loyalty import sync_invoice
from kamcore.testing._loyalty_histories import CATEGORIES, LoyaltyHistory
from kamcore.testing._loyalty_strategies import loyalty_histories

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def bill(
    id: str,  # noqa: A002 - mirrors the entity's field
    history: LoyaltyHistory,
    issued: dt.date,
    minor_units: list[int],
) -> Invoice:
    currency = history.programme.currency
    return Invoice(
        id=InvoiceId(id),
        client=history.membership.client,
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        currency=currency,
        lines=tuple(
            LineItem(
                product=ProductId("pump"),
                quantity=Decimal(1),
                unit_price=Money.from_minor_units(amount, currency),
            )
            for amount in minor_units
        ),
    )


@given(
    history=loyalty_histories(max_steps=6),
    later=st.integers(0, 30),
    neighbour=st.integers(2, 10**7),
    credited_percent=st.integers(1, 99),
    minor_units=st.lists(st.integers(1, 10**9), min_size=1, max_size=3),
    notes=st.integers(0, 3),
)
def test_an_invoice_withdrawn_in_full_leaves_the_exact_points_as_they_were(
    *,
    history: LoyaltyHistory,
    later: int,
    neighbour: int,
    credited_percent: int,
    minor_units: list[int],
    notes: int,
) -> None:
    programme = history.programme
    membership = history.membership
    last = max((e.on for e in membership.entries), default=membership.enrolled_on)
    issued = last + dt.timedelta(days=later)
    currency = programme.currency
    credited = bill("n", history, issued, [neighbour]).with_credit_note(
        CreditNote(
            id=CreditNoteId("n-cn"),
            issued_on=issued,
            amount=Money.from_minor_units(
                max(1, neighbour * credited_percent // 100), currency
            ),
            reason="returned",
        )
    )
    before = sync_invoice(membership, programme, credited, categories=CATEGORIES, at=AT)
    invoice = bill("x", history, issued, minor_units)
    live = sync_invoice(before, programme, invoice, categories=CATEGORIES, at=AT)
    if notes == 0:
        withdrawn = invoice.cancel(on=issued)
    else:
        # The total credited in ``notes`` credit notes, the last one taking
        # whatever the others left.
        whole = invoice.total.to_minor_units()
        parts = [whole // notes] * (notes - 1)
        parts.append(whole - sum(parts))
        withdrawn = invoice
        for number, part in enumerate(p for p in parts if p):
            withdrawn = withdrawn.with_credit_note(
                CreditNote(
                    id=CreditNoteId(f"x-cn-{number}"),
                    issued_on=issued,
                    amount=Money.from_minor_units(part, currency),
                    reason="returned",
                )
            )
    after = sync_invoice(live, programme, withdrawn, categories=CATEGORIES, at=AT)
    quantum = programme.point_quantum
    lent = after.balance() - before.balance()
    assert lent in (0, quantum)
    assert after.carried() == before.carried() - lent
    for day in (issued, issued + dt.timedelta(days=1), dt.date.max):
        assert after.balance(day) == before.balance(day) + lent, day
    # Not compared: how much of the balance is owed or below zero. Which
    # documents pay those back follows the order they came in (docs/loyalty.md,
    # "What is not confluent"), and the withdrawn invoice came in between.
    if lent:
        assert after.carried() < 0
