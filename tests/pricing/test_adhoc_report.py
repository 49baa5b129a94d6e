"""The ad-hoc discount report: totals per account over a period, and the
price-list items proposed to replace recurring ad-hoc discounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kamcore.accounts import AdHocDiscount, Invoice, LineItem
from kamcore.errors import ValidationError
from kamcore.kernel import (
    ClientId,
    DateRange,
    InvoiceId,
    ManagerId,
    Money,
    Percentage,
    ProductId,
)
from kamcore.pricing import PriceItem
from kamcore.pricing._adhoc_report import (
    AdHocLine,
    AdHocReport,
    PriceListProposal,
    ad_hoc_report,
)

VALVE = ProductId("valve")
PUMP = ProductId("pump")
KIM = ManagerId("kim")
LEE = ManagerId("lee")
ACME = ClientId("acme")
GLOBEX = ClientId("globex")
Q1 = DateRange(dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def off(amount: str, currency: str = "EUR", by: ManagerId = KIM) -> AdHocDiscount:
    return AdHocDiscount(
        reason="price match", granted_by=by, amount=Money(amount, currency)
    )


def percent_off(value: str, by: ManagerId = KIM) -> AdHocDiscount:
    return AdHocDiscount(
        reason="late delivery", granted_by=by, percentage=Percentage(value)
    )


def sold(
    product: ProductId,
    quantity: str,
    unit_price: str,
    ad_hoc: AdHocDiscount | None = None,
    currency: str = "EUR",
) -> LineItem:
    return LineItem(
        product=product,
        quantity=Decimal(quantity),
        unit_price=Money(unit_price, currency),
        ad_hoc=ad_hoc,
    )


def invoice(
    number: str,
    client: ClientId,
    issued: dt.date,
    *lines: LineItem,
    currency: str = "EUR",
) -> Invoice:
    return Invoice(
        id=InvoiceId(number),
        client=client,
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        currency=currency,
        lines=lines,
    )


def portfolio() -> list[Invoice]:
    """Acme: valve discounted on three invoices in Q1 (9.00 in all); Globex: pump
    discounted twice (15.00); and invoices the report must leave out."""
    return [
        # Acme, first day of the period: 20.00 less 10 % = 18.00 (9.00 a unit).
        invoice(
            "I-1",
            ACME,
            dt.date(2026, 1, 1),
            sold(VALVE, "2", "10.00", percent_off("10")),
            sold(PUMP, "1", "50.00"),
        ),
        # Acme: 40.00 less 5.00 = 35.00 (8.75 a unit).
        invoice(
            "I-2", ACME, dt.date(2026, 2, 10), sold(VALVE, "4", "10.00", off("5.00"))
        ),
        # Acme, last day of the period: 10.00 less 20 % = 8.00.
        invoice(
            "I-3",
            ACME,
            dt.date(2026, 3, 31),
            sold(VALVE, "1", "10.00", percent_off("20", by=LEE)),
        ),
        # Globex: 50.00 less 12.50, then 25.00 less 2.50.
        invoice(
            "I-4", GLOBEX, dt.date(2026, 1, 15), sold(PUMP, "2", "25.00", off("12.50"))
        ),
        invoice(
            "I-5", GLOBEX, dt.date(2026, 3, 1), sold(PUMP, "1", "25.00", off("2.50"))
        ),
        # Out: the day before, the day after, and a cancelled invoice.
        invoice(
            "I-6", ACME, dt.date(2025, 12, 31), sold(VALVE, "1", "10.00", off("5.00"))
        ),
        invoice(
            "I-7", ACME, dt.date(2026, 4, 1), sold(VALVE, "1", "10.00", off("5.00"))
        ),
        invoice(
            "I-8", GLOBEX, dt.date(2026, 2, 1), sold(PUMP, "1", "25.00", off("9.00"))
        ).cancel(on=dt.date(2026, 2, 1)),
    ]


def report(invoices: list[Invoice] | None = None, **options: int) -> AdHocReport:
    return ad_hoc_report(portfolio() if invoices is None else invoices, Q1, **options)


# -- totals per account -------------------------------------------------------


def test_accounts_are_listed_by_ad_hoc_total_largest_first() -> None:
    totals = [
        (account.client, account.total, account.line_count)
        for account in report().accounts
    ]
    assert totals == [
        (GLOBEX, Money("15.00", "EUR"), 2),
        (ACME, Money("9.00", "EUR"), 3),
    ]


def test_account_lines_carry_every_figure_of_the_discount() -> None:
    acme = report().accounts[1]
    assert acme.lines[0] == AdHocLine(
        invoice=InvoiceId("I-1"),
        issue_date=dt.date(2026, 1, 1),
        product=VALVE,
        quantity=Decimal(2),
        unit_price=Money("10.00", "EUR"),
        gross=Money("20.00", "EUR"),
        value=Money("2.00", "EUR"),
        reason="late delivery",
        granted_by=KIM,
    )


def test_invoices_on_the_first_and_last_day_of_the_period_count() -> None:
    acme = report().accounts[1]
    assert [line.invoice for line in acme.lines] == ["I-1", "I-2", "I-3"]


def test_invoices_the_day_before_and_after_the_period_do_not_count() -> None:
    outside = [invoice for invoice in portfolio() if invoice.id in {"I-6", "I-7"}]
    assert report(outside).accounts == ()


def test_cancelled_invoices_do_not_count() -> None:
    cancelled = [invoice for invoice in portfolio() if invoice.id == "I-8"]
    assert report(cancelled).accounts == ()


def test_an_invoice_cancelled_after_the_period_still_counts() -> None:
    later = invoice(
        "I-9", GLOBEX, dt.date(2026, 2, 1), sold(PUMP, "1", "25.00", off("9.00"))
    ).cancel(on=dt.date(2026, 4, 1))
    [account] = report([later]).accounts
    assert (account.client, account.total) == (GLOBEX, Money("9.00", "EUR"))


def test_an_invoice_cancelled_on_the_last_day_of_the_period_does_not_count() -> None:
    last_day = invoice(
        "I-9", GLOBEX, dt.date(2026, 2, 1), sold(PUMP, "1", "25.00", off("9.00"))
    ).cancel(on=dt.date(2026, 3, 31))
    assert report([last_day]).accounts == ()


def test_ties_on_the_total_are_ordered_by_client_id() -> None:
    invoices = [
        invoice(
            "I-1", GLOBEX, dt.date(2026, 1, 5), sold(PUMP, "1", "25.00", off("3.00"))
        ),
        invoice(
            "I-2", ACME, dt.date(2026, 1, 5), sold(PUMP, "1", "25.00", off("3.00"))
        ),
    ]
    assert [account.client for account in report(invoices).accounts] == [ACME, GLOBEX]


def test_one_client_in_two_currencies_is_two_accounts() -> None:
    invoices = [
        invoice(
            "I-1", ACME, dt.date(2026, 1, 5), sold(PUMP, "1", "25.00", off("3.00"))
        ),
        invoice(
            "I-2",
            ACME,
            dt.date(2026, 1, 6),
            sold(PUMP, "1", "25.00", off("2.00", "USD"), currency="USD"),
            currency="USD",
        ),
    ]
    totals = [account.total for account in report(invoices).accounts]
    assert totals == [Money("3.00", "EUR"), Money("2.00", "USD")]


# -- proposals ----------------------------------------------------------------


def test_recurring_ad_hoc_discount_gets_a_price_list_proposal_at_the_median() -> None:
    # Acme paid 9.00, 8.75 and 8.00 a valve: the median is 8.75.
    assert report().proposals == (
        PriceListProposal(
            client=ACME,
            product=VALVE,
            occurrences=3,
            proposed_item=PriceItem(
                product=VALVE,
                unit_price=Money("8.7500", "EUR"),
                valid_from=dt.date(2026, 4, 1),
            ),
            rationale=(
                "ad-hoc discounts on valve on 3 invoices from 2026-01-01 to "
                "2026-03-31 (3 lines), 10.00% to 20.00% off the gross total; "
                "median net unit price 8.7500 EUR: proposed for acme's dedicated "
                "price list from 2026-04-01"
            ),
        ),
    )


def test_even_count_median_is_the_mean_of_the_middle_values_rounded_once() -> None:
    # Net unit prices 6.00, 6.6666..., 7.00 and 9.00: the median is 6.8333...
    # (rounding the middle values first would give 6.8334).
    invoices = [
        invoice(
            "I-1", ACME, dt.date(2026, 1, 5), sold(VALVE, "1", "8.00", off("2.00"))
        ),
        invoice(
            "I-2", ACME, dt.date(2026, 1, 6), sold(VALVE, "3", "8.00", off("4.00"))
        ),
        invoice(
            "I-3", ACME, dt.date(2026, 1, 7), sold(VALVE, "1", "8.00", off("1.00"))
        ),
        invoice(
            "I-4", ACME, dt.date(2026, 1, 8), sold(VALVE, "2", "10.00", off("2.00"))
        ),
    ]
    (proposal,) = report(invoices).proposals
    assert (proposal.occurrences, proposal.proposed_item.unit_price) == (
        4,
        Money("6.8333", "EUR"),
    )


def test_no_proposal_below_the_recurrence_threshold() -> None:
    # Globex's pump was discounted on two invoices only.
    assert [proposal.client for proposal in report().proposals] == [ACME]


def test_lines_on_one_invoice_count_as_one_occurrence() -> None:
    invoices = [
        invoice(
            "I-1",
            ACME,
            dt.date(2026, 1, 5),
            sold(VALVE, "1", "10.00", off("1.00")),
            sold(VALVE, "1", "10.00", off("2.00")),
        ),
        invoice(
            "I-2", ACME, dt.date(2026, 1, 6), sold(VALVE, "1", "10.00", off("1.00"))
        ),
    ]
    assert report(invoices).proposals == ()


def test_recurrence_threshold_is_configurable() -> None:
    proposals = report(recurring_after=2).proposals
    assert [(p.client, p.product, p.occurrences) for p in proposals] == [
        (ACME, VALVE, 3),
        (GLOBEX, PUMP, 2),
    ]


# -- arguments ----------------------------------------------------------------


def test_open_period_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ad_hoc_report(portfolio(), DateRange(dt.date(2026, 1, 1), None))
    assert caught.value.messages == ["a closed period needs an end @ period.end"]


def test_recurrence_threshold_below_two_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        report(recurring_after=1)
    assert caught.value.messages == ["must be an integer >= 2 @ recurring_after"]


def test_the_same_invoice_twice_is_refused() -> None:
    first = portfolio()[0]
    with pytest.raises(ValidationError) as caught:
        report([first, first])
    assert caught.value.messages == ["an invoice appears twice @ invoices"]


# -- rows ---------------------------------------------------------------------


def test_rows_give_one_plain_row_per_account() -> None:
    assert report().rows() == [
        {
            "client": "globex",
            "currency": "EUR",
            "ad_hoc_total": "15.00",
            "lines": 2,
            "invoices": 2,
        },
        {
            "client": "acme",
            "currency": "EUR",
            "ad_hoc_total": "9.00",
            "lines": 3,
            "invoices": 3,
        },
    ]


def test_line_rows_give_one_plain_row_per_ad_hoc_line() -> None:
    assert report().line_rows()[0] == {
        "client": "globex",
        "invoice": "I-4",
        "issue_date": "2026-01-15",
        "product": "pump",
        "quantity": "2",
        "currency": "EUR",
        "unit_price": "25.00",
        "gross": "50.00",
        "ad_hoc": "12.50",
        "net": "37.50",
        "reason": "price match",
        "granted_by": "kim",
    }


def test_proposal_rows_give_one_plain_row_per_proposal() -> None:
    assert [
        {key: value for key, value in row.items() if key != "rationale"}
        for row in report().proposal_rows()
    ] == [
        {
            "client": "acme",
            "product": "valve",
            "currency": "EUR",
            "occurrences": 3,
            "unit_price": "8.7500",
            "valid_from": "2026-04-01",
        }
    ]
