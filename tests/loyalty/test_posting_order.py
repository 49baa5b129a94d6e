"""The ledger is confluent: the same invoices posted in any order end in the
same points, balances and tiers on every date (SPEC §5). A posting that changes
the tier of later earnings corrects them with dated entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from loyalty_builders import AT, bill, credit, member, pay, programme

from kamcore.accounts import Invoice
from kamcore.loyalty import (
    EarnTrigger,
    EntryKind,
    Membership,
    Programme,
    sync_invoice,
    tier_on,
)

ROLLING = programme()  # silver 0, gold 10,000.00 (x1.5), platinum 50,000.00 (x2)
ON_PAYMENT = programme(earn_on=EarnTrigger.PAYMENT)
FEB_1, MAR_1, MAR_2 = dt.date(2025, 2, 1), dt.date(2025, 3, 1), dt.date(2025, 3, 2)


def posted(lp: Programme, *invoices: Invoice) -> Membership:
    ms = member()
    for invoice in invoices:
        ms = sync_invoice(ms, lp, invoice, categories={}, at=AT)
    return ms


def test_an_invoice_posted_after_a_later_one_corrects_its_earnings() -> None:
    gold = bill("a", FEB_1, "10000.00")  # reaches gold on February 1
    later = bill("b", MAR_1, "1000.00")
    out_of_order = posted(ROLLING, later, gold)
    in_order = posted(ROLLING, gold, later)
    assert in_order.balance() == Decimal(11500)  # 10,000 + 1,000 x 1.5
    assert out_of_order.balance() == Decimal(11500)
    correction = out_of_order.entries[-1]
    assert (correction.kind, correction.points, correction.on, correction.key) == (
        EntryKind.CORRECT,
        Decimal(500),
        MAR_1,
        "correct:earn:invoice:b:line:0:1",
    )
    assert correction.corrects == 1  # the entry it corrects: b's earning
    assert (correction.expires_on, correction.exact) == (None, Decimal("500.00"))


def test_the_balance_on_every_date_is_the_same_in_either_order() -> None:
    gold = bill("a", FEB_1, "10000.00")
    later = bill("b", MAR_1, "1000.00")
    orders = (posted(ROLLING, later, gold), posted(ROLLING, gold, later))
    for day in (FEB_1 - dt.timedelta(days=1), FEB_1, MAR_1, MAR_2):
        assert len({ms.balance(day) for ms in orders}) == 1, day


def test_the_invoice_reaching_a_tier_earns_at_the_tier_it_started_the_day_in() -> None:
    # Both invoices of February 1 earn as silver, whichever is posted first:
    # the tier of the day is the one it began with.
    reaching = bill("a", FEB_1, "10000.00")
    same_day = bill("b", FEB_1, "2000.00")
    for ms in (
        posted(ROLLING, reaching, same_day),
        posted(ROLLING, same_day, reaching),
    ):
        assert ms.balance(FEB_1) == Decimal(12000)
        assert tier_on(ms, ROLLING, FEB_1).tier.code == "gold"
    after = posted(ROLLING, reaching, same_day, bill("c", MAR_1, "100.00"))
    assert after.balance() == Decimal(12150)  # from the next day on, gold


def test_a_back_dated_credit_note_corrects_the_later_earnings_down() -> None:
    gold = bill("a", FEB_1, "10000.00")
    later = bill("b", MAR_1, "1000.00")
    ms = posted(ROLLING, gold, later)
    assert ms.balance() == Decimal(11500)
    # Credited the day it was issued, a never reached gold: b earns 1,000.
    credited = credit(gold, "cn-1", FEB_1, "100.00")
    ms = sync_invoice(ms, ROLLING, credited, categories={}, at=AT)
    assert [(e.kind, e.points, e.on) for e in ms.entries[-2:]] == [
        (EntryKind.REVERSE, Decimal(-100), FEB_1),
        (EntryKind.CORRECT, Decimal(-500), MAR_1),
    ]
    in_order = posted(ROLLING, credited, later)
    for day in (FEB_1, MAR_1, MAR_2):
        assert ms.balance(day) == in_order.balance(day), day
    assert ms.balance() == Decimal(10900)  # 9,900 + 1,000


def test_pending_points_follow_the_tier_of_their_issue_date() -> None:
    gold = pay(bill("a", FEB_1, "10000.00"), FEB_1)
    unpaid = bill("b", MAR_1, "1000.00")
    out_of_order = posted(ON_PAYMENT, unpaid, gold)
    assert out_of_order.pending() == Decimal(1500)
    assert out_of_order.pending() == posted(ON_PAYMENT, gold, unpaid).pending()


def test_posting_again_after_a_correction_changes_nothing() -> None:
    gold = bill("a", FEB_1, "10000.00")
    later = bill("b", MAR_1, "1000.00")
    ms = posted(ROLLING, later, gold)
    assert sync_invoice(ms, ROLLING, later, categories={}, at=AT) is ms
    assert sync_invoice(ms, ROLLING, gold, categories={}, at=AT) is ms


# -- the issue's case: 120 invoices in five orders ---------------------------
YEARLY = programme(expiry=relativedelta(months=24))
START = dt.date(2025, 1, 20)  # after the enrolment on January 15


def hundred_and_twenty() -> list[Invoice]:
    """An invoice of 500.00 EUR every three days: 60,000.00 EUR within the
    rolling year. The 20th (day 57) reaches gold, the 100th (day 297)
    platinum."""
    return [
        bill(f"i-{n:03d}", START + dt.timedelta(days=3 * n), "500.00")
        for n in range(120)
    ]


def orders() -> list[list[Invoice]]:
    """In date order, in reverse, and three scrambled orders (the n-th
    posted is invoice n x 7, n x 37 or n x 53 modulo 120)."""
    invoices = hundred_and_twenty()
    scrambled = [[invoices[n * step % 120] for n in range(120)] for step in (7, 37, 53)]
    return [invoices, invoices[::-1], *scrambled]


def test_the_same_120_invoices_in_five_orders_earn_the_same_points() -> None:
    ledgers = [posted(YEARLY, *order) for order in orders()]
    # The first 20 invoices earn at silver (x1): 20 x 500; the next 80 at
    # gold (x1.5): 80 x 750; the last 20 at platinum (x2): 20 x 1,000.
    assert [ms.balance() for ms in ledgers] == [Decimal(90000)] * 5
    days = [START + dt.timedelta(days=n) for n in range(-1, 3 * 120 + 1)]
    first = ledgers[0]
    balances = [first.balance(day) for day in days]
    tiers = [tier_on(first, YEARLY, day).tier.code for day in days[::7]]
    for ms in ledgers[1:]:
        assert [ms.balance(day) for day in days] == balances
        assert [tier_on(ms, YEARLY, day).tier.code for day in days[::7]] == tiers
