"""Earning: per line, multipliers, minimum invoice, point places, the carried
fraction, idempotency, and earning on payment (pending, confirmed, withdrawn)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from loyalty_builders import (
    AT,
    bill,
    credit,
    earn,
    eur,
    member,
    note,
    pay,
    programme,
)

from kamcore.accounts import Invoice, LineItem
from kamcore.errors import ValidationError
from kamcore.kernel import CategoryId, Money, ProductId, Rate
from kamcore.loyalty import (
    CategoryMultiplier,
    EarnRules,
    EarnTrigger,
    EntryKind,
    Membership,
    Programme,
    confirm_invoice,
    qualifying_spend,
    reverse_credit_note,
)

FEB_1 = dt.date(2025, 2, 1)
MAR_10 = dt.date(2025, 3, 10)

CATEGORIES = {
    ProductId("pump"): CategoryId("pumps"),
    ProductId("seal"): CategoryId("seals"),
}
MULTIPLIED = programme(
    earn=EarnRules(
        points_per_unit=Rate(1),
        category_multipliers=(
            CategoryMultiplier(category=CategoryId("pumps"), multiplier=Rate(2)),
            CategoryMultiplier(category=CategoryId("seals"), multiplier=Rate(0)),
        ),
    )
)
ON_PAYMENT = programme(earn_on=EarnTrigger.PAYMENT)


def points(membership: Membership) -> list[Decimal]:
    return [e.points for e in membership.entries]


def confirm(membership: Membership, lp: Programme, invoice: Invoice) -> Membership:
    return confirm_invoice(
        membership, lp, invoice, categories={}, tier_multiplier=Rate(1), at=AT
    )


# -- earning on issue ------------------------------------------------------------


def test_each_line_earns_its_points_on_the_issue_date() -> None:
    ms = earn(member(), programme(), bill("i-1", FEB_1, "100.40", "50.35"))
    assert [(e.kind, e.points, e.exact) for e in ms.entries] == [
        (EntryKind.EARN, Decimal(100), Decimal("100.40")),
        (EntryKind.EARN, Decimal(50), Decimal("50.35")),
    ]
    assert [e.key for e in ms.entries] == [
        "earn:invoice:i-1:line:0",
        "earn:invoice:i-1:line:1",
    ]
    assert [e.source.line for e in ms.entries] == [0, 1]
    assert {e.on for e in ms.entries} == {FEB_1}
    assert [e.spend for e in ms.entries] == [eur("100.40"), eur("50.35")]
    assert ms.balance() == Decimal(150)
    assert ms.carried() == Decimal("0.75")


def test_the_invoice_is_rounded_down_once_not_per_line() -> None:
    # 0.60 + 0.60: each line alone is below a point; together they make one.
    ms = earn(member(), programme(), bill("i-1", FEB_1, "0.60", "0.60"))
    assert points(ms) == [Decimal(0), Decimal(1)]
    assert ms.carried() == Decimal("0.20")


def test_the_carried_fraction_is_spent_by_the_next_invoice() -> None:
    lp = programme()
    ms = earn(member(), lp, bill("i-1", FEB_1, "100.40", "50.35"))
    ms = earn(ms, lp, bill("i-2", MAR_10, "10.25"))
    assert ms.entries[-1].points == Decimal(11)
    assert ms.balance() == Decimal(161)
    assert ms.carried() == Decimal(0)


def test_category_multipliers_apply_per_line() -> None:
    invoice = bill(
        "i-1", FEB_1, "100.00", "40.00", "10.00", products=("pump", "seal", "bolt")
    )
    ms = earn(member(), MULTIPLIED, invoice, categories=CATEGORIES)
    assert points(ms) == [Decimal(200), Decimal(0), Decimal(10)]
    # A line earning nothing still counts as spend.
    assert qualifying_spend(ms, MULTIPLIED, FEB_1) == eur("150.00")


def test_the_tier_multiplier_applies_to_every_line() -> None:
    ms = earn(member(), programme(), bill("i-1", FEB_1, "100.01"), multiplier="1.5")
    assert points(ms) == [Decimal(150)]
    assert ms.entries[0].exact == Decimal("150.015")
    assert ms.carried() == Decimal("0.015")


def test_category_and_tier_multipliers_combine() -> None:
    invoice = bill("i-1", FEB_1, "33.33", products=("pump",))
    ms = earn(member(), MULTIPLIED, invoice, categories=CATEGORIES, multiplier="1.5")
    assert points(ms) == [Decimal(99)]
    assert ms.carried() == Decimal("0.99")


def test_an_invoice_below_the_minimum_earns_nothing() -> None:
    lp = programme(
        earn=EarnRules(points_per_unit=Rate(1), minimum_invoice=eur("50.00"))
    )
    below = earn(member(), lp, bill("i-1", FEB_1, "30.00", "19.99"))
    assert below.entries == ()
    at_minimum = earn(member(), lp, bill("i-1", FEB_1, "30.00", "20.00"))
    assert at_minimum.balance() == Decimal(50)


@pytest.mark.parametrize(
    ("places", "posted", "carried"),
    [
        (0, Decimal(12), Decimal("0.5125")),
        (2, Decimal("12.51"), Decimal("0.0025")),
        (3, Decimal("12.512"), Decimal("0.0005")),
    ],
)
def test_points_are_posted_in_the_programme_point_places(
    places: int, posted: Decimal, carried: Decimal
) -> None:
    lp = programme(earn=EarnRules(points_per_unit=Rate("1.25")), point_places=places)
    ms = earn(member(), lp, bill("i-1", FEB_1, "10.01"))
    assert ms.balance() == posted
    assert ms.carried() == carried


def test_the_carried_fraction_is_never_lost_over_many_postings() -> None:
    # 0.099 points an invoice: each alone rounds down to nothing.
    lp = programme(earn=EarnRules(points_per_unit=Rate("0.1")))
    ms = member()
    for number in range(200):
        ms = earn(ms, lp, bill(f"i-{number}", FEB_1, "0.99"))
    assert ms.balance() == Decimal(19)
    assert ms.carried() == Decimal("0.8")
    exact = sum((e.exact or Decimal(0) for e in ms.entries), Decimal(0))
    assert exact == Decimal("19.8")


def test_posting_an_invoice_twice_earns_once() -> None:
    lp = programme()
    invoice = bill("i-1", FEB_1, "100.40", "50.35")
    once = earn(member(), lp, invoice)
    assert earn(once, lp, invoice) == once
    assert earn(once, lp, invoice).balance() == Decimal(150)


def test_a_cancelled_invoice_earns_nothing() -> None:
    ms = earn(member(), programme(), bill("i-1", FEB_1, "100.00").cancel(on=FEB_1))
    assert ms.entries == ()


def test_another_clients_invoice_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        earn(member(), programme(), bill("i-1", FEB_1, "100.00", client="c-2"))
    assert [(f.path, f.value) for f in caught.value.errors] == [
        ("invoice.client", "c-2")
    ]


def test_an_invoice_in_another_currency_is_refused() -> None:
    francs = LineItem(
        product=ProductId("p-0"), quantity=Decimal(1), unit_price=Money("1.00", "CHF")
    )
    invoice = attrs.evolve(bill("i-1", FEB_1, "1.00"), currency="CHF", lines=(francs,))
    with pytest.raises(ValidationError) as caught:
        earn(member(), programme(), invoice)
    assert [(f.path, f.value) for f in caught.value.errors] == [
        ("invoice.currency", "CHF")
    ]


def test_lots_expire_on_the_anchored_date() -> None:
    lp = programme(expiry=relativedelta(months=24))
    leap_day = dt.date(2024, 2, 29)
    ms = earn(member(enrolled=leap_day), lp, bill("i-1", leap_day, "10.00"))
    assert ms.entries[0].expires_on == dt.date(2026, 2, 28)
    assert ms.lots()[0].expires_on == dt.date(2026, 2, 28)


# -- earning on payment ----------------------------------------------------------


def test_unpaid_points_are_pending_and_count_toward_nothing() -> None:
    ms = earn(member(), ON_PAYMENT, bill("i-1", FEB_1, "100.40", "50.35"))
    assert [(e.kind, e.points) for e in ms.entries] == [
        (EntryKind.PENDING, Decimal(100)),
        (EntryKind.PENDING, Decimal(50)),
    ]
    assert ms.pending() == Decimal(150)
    assert ms.balance() == Decimal(0)
    assert ms.lots() == []
    assert qualifying_spend(ms, ON_PAYMENT, FEB_1) == eur("0.00")


def test_pending_points_are_earned_on_the_settlement_date() -> None:
    invoice = bill("i-1", FEB_1, "100.40", "50.35")
    ms = earn(member(), ON_PAYMENT, invoice)
    part_paid = pay(invoice, dt.date(2025, 2, 20), "100.00")
    assert confirm(ms, ON_PAYMENT, part_paid) == ms
    paid = pay(part_paid, MAR_10)
    confirmed = confirm(ms, ON_PAYMENT, paid)
    assert confirmed.pending() == Decimal(0)
    assert confirmed.pending(dt.date(2025, 3, 9)) == Decimal(150)
    assert confirmed.balance() == Decimal(150)
    assert confirmed.balance(dt.date(2025, 3, 9)) == Decimal(0)
    earned = [e for e in confirmed.entries if e.kind is EntryKind.EARN]
    assert [(e.on, e.points) for e in earned] == [
        (MAR_10, Decimal(100)),
        (MAR_10, Decimal(50)),
    ]
    assert confirmed.carried() == Decimal("0.75")
    assert qualifying_spend(confirmed, ON_PAYMENT, MAR_10) == eur("150.75")
    assert confirm(confirmed, ON_PAYMENT, paid) == confirmed


def test_lines_pending_nothing_are_confirmed_too() -> None:
    # The 0.60 line is pending 0 points: its fraction and spend still count.
    invoice = bill("i-1", FEB_1, "100.00", "0.60")
    ms = earn(member(), ON_PAYMENT, invoice)
    assert ms.pending() == Decimal(100)
    confirmed = confirm(ms, ON_PAYMENT, pay(invoice, MAR_10))
    assert qualifying_spend(confirmed, ON_PAYMENT, MAR_10) == eur("100.60")
    assert confirmed.balance() == Decimal(100)
    assert confirmed.carried() == Decimal("0.60")


def test_an_invoice_worth_less_than_a_point_is_confirmed() -> None:
    invoice = bill("i-1", FEB_1, "0.99")
    ms = earn(member(), ON_PAYMENT, invoice)
    confirmed = confirm(ms, ON_PAYMENT, pay(invoice, MAR_10))
    assert confirmed.carried() == Decimal("0.99")
    assert qualifying_spend(confirmed, ON_PAYMENT, MAR_10) == eur("0.99")


def test_a_cancelled_invoice_withdraws_its_pending_points() -> None:
    invoice = bill("i-1", FEB_1, "100.00")
    ms = earn(member(), ON_PAYMENT, invoice)
    withdrawn = confirm(ms, ON_PAYMENT, invoice.cancel(on=FEB_1))
    assert withdrawn.pending() == Decimal(0)
    assert withdrawn.balance() == Decimal(0)
    assert [e.kind for e in withdrawn.entries] == [EntryKind.PENDING] * 2
    assert withdrawn.entries[-1].on == FEB_1
    assert confirm(withdrawn, ON_PAYMENT, invoice.cancel(on=FEB_1)) == withdrawn


def test_pending_points_are_withdrawn_on_the_cancellation_date() -> None:
    invoice = bill("i-1", FEB_1, "100.00")
    ms = earn(member(), ON_PAYMENT, invoice)
    withdrawn = confirm(ms, ON_PAYMENT, invoice.cancel(on=MAR_10))
    assert [(e.kind, e.points, e.on) for e in withdrawn.entries] == [
        (EntryKind.PENDING, Decimal(100), FEB_1),
        (EntryKind.PENDING, Decimal(-100), MAR_10),
    ]


def test_confirming_under_earn_on_issue_changes_nothing() -> None:
    invoice = bill("i-1", FEB_1, "100.00")
    ms = earn(member(), programme(), invoice)
    assert confirm(ms, programme(), pay(invoice, MAR_10)) == ms


def test_a_credit_note_on_pending_points_reduces_them() -> None:
    invoice = credit(bill("i-1", FEB_1, "200.00"), "cn-1", dt.date(2025, 2, 5), "50.00")
    ms = earn(member(), ON_PAYMENT, invoice)
    reduced = reverse_credit_note(ms, ON_PAYMENT, invoice, note(invoice, "cn-1"), at=AT)
    assert reduced.pending() == Decimal(150)
    assert reduced.pending(dt.date(2025, 2, 4)) == Decimal(200)
    assert reduced.balance() == Decimal(0)
    assert qualifying_spend(reduced, ON_PAYMENT, MAR_10) == eur("0.00")


def test_a_credit_note_before_payment_is_reversed_once_confirmed() -> None:
    invoice = credit(bill("i-1", FEB_1, "200.00"), "cn-1", dt.date(2025, 2, 5), "50.00")
    cn = note(invoice, "cn-1")
    ms = earn(member(), ON_PAYMENT, invoice)
    ms = reverse_credit_note(ms, ON_PAYMENT, invoice, cn, at=AT)
    paid = pay(invoice, MAR_10)
    ms = confirm(ms, ON_PAYMENT, paid)
    assert ms.pending() == Decimal(0)
    assert ms.balance() == Decimal(200)
    ms = reverse_credit_note(ms, ON_PAYMENT, paid, cn, at=AT)
    reversal = ms.entries[-1]
    assert reversal.kind is EntryKind.REVERSE
    assert reversal.points == Decimal(-50)
    # Points are never taken back before they were earned.
    assert reversal.on == MAR_10
    assert ms.balance() == Decimal(150)
    assert ms.balance(MAR_10 - dt.timedelta(days=1)) == Decimal(0)
    assert qualifying_spend(ms, ON_PAYMENT, MAR_10) == eur("150.00")
