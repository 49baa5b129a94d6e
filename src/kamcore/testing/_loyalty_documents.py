"""The documents of a loyalty member, to post in any order, and what a ledger
says about them on every date -- to check that the order does not matter.

:func:`invoice_stories` draws invoices as they evolve: issued, then paid (in
full or in part), credited or cancelled, each state a document a host would
post. :func:`ledger_facts` reads what two ledgers must agree on, whatever
order their documents were posted in (see ``docs/loyalty.md``, *The ledger is
confluent*).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from kamcore.accounts import CreditNote, Invoice, LineItem, Payment
from kamcore.kernel import (
    ClientId,
    CreditNoteId,
    InvoiceId,
    Money,
    PaymentId,
    ProductId,
)
from kamcore.loyalty import Membership, Programme, period_of, tier_on
from kamcore.testing._loyalty_histories import CATEGORIES

__all__ = ["LedgerFacts", "invoice_stories", "ledger_facts", "telling_days"]

_PRODUCTS = (*CATEGORIES, ProductId("bolt"))
_DAY = dt.timedelta(days=1)


def _share(amount: Money, percent: int) -> Money:
    """``percent`` of ``amount``, at least one minor unit, at most all of it."""
    units = amount.to_minor_units()
    part = max(1, units * percent // 100)
    return Money.from_minor_units(min(part, units), amount.currency)


@st.composite
def _story(
    draw: st.DrawFn, number: int, client: ClientId, currency: str, start: dt.date
) -> list[Invoice]:
    issued = start + dt.timedelta(days=draw(st.integers(0, 500)))
    amounts = draw(st.lists(st.integers(0, 400_000), min_size=1, max_size=3))
    invoice = Invoice(
        id=InvoiceId(f"i-{number}"),
        client=client,
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        currency=currency,
        lines=tuple(
            LineItem(
                product=_PRODUCTS[(number + index) % len(_PRODUCTS)],
                quantity=Decimal(1),
                unit_price=Money.from_minor_units(amount, currency),
            )
            for index, amount in enumerate(amounts)
        ),
    )
    states = [invoice]
    day = issued
    for step in range(draw(st.integers(0, 3))):
        current = states[-1]
        day += dt.timedelta(days=draw(st.integers(0, 90)))
        kind = draw(st.sampled_from(["pay", "credit", "cancel"]))
        if kind == "cancel":
            if current.payments or current.credit_notes:
                continue
            states.append(current.cancel(on=day))
            break
        percent = draw(st.integers(1, 100))
        if kind == "pay" and current.balance().is_positive():
            states.append(
                current.with_payment(
                    Payment(
                        id=PaymentId(f"{current.id}-pay-{step}"),
                        received_on=day,
                        amount=_share(current.balance(), percent),
                    )
                )
            )
        elif kind == "credit" and (current.total - current.credited()).is_positive():
            states.append(
                current.with_credit_note(
                    CreditNote(
                        id=CreditNoteId(f"{current.id}-cn-{step}"),
                        issued_on=day,
                        amount=_share(current.total - current.credited(), percent),
                        reason="returned goods",
                    )
                )
            )
    return states


@st.composite
def invoice_stories(
    draw: st.DrawFn,
    membership: Membership,
    programme: Programme,
    *,
    max_invoices: int = 6,
) -> list[list[Invoice]]:
    """The member's invoices, each as the states it went through, oldest
    first: issued on a day in the 500 after the enrolment, then up to three
    payments (of part of the balance, or all of it), credit notes or a
    cancellation, each up to 90 days after the one before.

    Args:
        draw: Supplied by Hypothesis.
        membership: The member (gives the client and the enrolment date).
        programme: Its programme (gives the currency).
        max_invoices: The most invoices.
    """
    count = draw(st.integers(1, max_invoices))
    return [
        draw(
            _story(
                number, membership.client, programme.currency, membership.enrolled_on
            )
        )
        for number in range(count)
    ]


@attrs.frozen
class LedgerFacts:
    """What a ledger says on one day, however its entries are numbered.

    Attributes:
        day: The day.
        balance: The balance.
        pending: The pending points.
        owed: The points owed (claw back).
        unbacked: The points below zero (allow negative).
        lots: What the lots hold, by earn date and expiry date (lots earned
            the same day and expiring the same day are one).
        tier: The tier in effect, and the tier held by spend.
        spend: The qualifying spend.
    """

    day: dt.date
    balance: Decimal
    pending: Decimal
    owed: Decimal
    unbacked: Decimal
    lots: dict[tuple[dt.date, dt.date | None], Decimal]
    tier: tuple[str, str]
    spend: Money


def ledger_facts(
    membership: Membership, programme: Programme, day: dt.date
) -> LedgerFacts:
    """What ``membership`` says on ``day`` (see :class:`LedgerFacts`)."""
    lots: dict[tuple[dt.date, dt.date | None], Decimal] = {}
    for lot in membership.lots(day):
        if lot.remaining:
            key = (lot.earned_on, lot.expires_on)
            lots[key] = lots.get(key, Decimal(0)) + lot.remaining
    standing = tier_on(membership, programme, day)
    return LedgerFacts(
        day=day,
        balance=membership.balance(day),
        pending=membership.pending(day),
        owed=membership.owed(day),
        unbacked=membership.unbacked(day),
        lots=lots,
        tier=(standing.tier.code, standing.held.code),
        spend=standing.spend,
    )


def telling_days(
    programme: Programme, memberships: Sequence[Membership]
) -> list[dt.date]:
    """The days on which ledgers can differ: every day an entry is dated,
    the days either side, the days lots expire, and the first and last day
    of every qualification period from the enrolment to the last of them."""
    days: set[dt.date] = set()
    for membership in memberships:
        days.add(membership.enrolled_on)
        for entry in membership.entries:
            days |= {entry.on - _DAY, entry.on, entry.on + _DAY}
            if entry.expires_on is not None:
                days.add(entry.expires_on)
    for membership in memberships:
        boundary = membership.enrolled_on
        last = max(days)
        while boundary <= last:
            period = period_of(programme, membership, boundary)
            days.add(period.start or boundary)
            if period.end is None:
                break
            days |= {period.end, period.end + _DAY}
            boundary = period.end + _DAY
    return sorted(days)
