"""Revenue growth per account (YoY) and average value per account, on the
hand-computed portfolio of sample_portfolio.py."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sample_portfolio import AS_OF, CLIENTS, build_state, client, group, invoice

from kamcore.errors import ValidationError
from kamcore.kernel import ClientId, Money, Percentage
from kamcore.metrics import (
    AccountSelection,
    GrowthReason,
    PortfolioState,
    average_value,
    month_label,
    revenue_growth,
)


def test_growth_compares_the_last_12_complete_months_with_the_12_before() -> None:
    result = revenue_growth(build_state(), group(), as_of=AS_OF)
    assert [
        month_label(m) for m in (result.current_months[0], result.current_months[-1])
    ] == [
        "2025-11",
        "2026-10",
    ]
    assert [
        month_label(m) for m in (result.base_months[0], result.base_months[-1])
    ] == [
        "2024-11",
        "2025-10",
    ]
    acme = result.lines[0]
    assert (acme.current, acme.base) == (
        Money("14500.00", "EUR"),  # 12,000 + 3,000 - 500 credited in March
        Money("10000.00", "EUR"),
    )
    assert (acme.value, acme.reason) == (Percentage("45.00"), None)
    assert (acme.numerator, acme.denominator) == (
        Money("4500.00", "EUR"),
        Money("10000.00", "EUR"),
    )


def test_growth_without_a_positive_base_says_why() -> None:
    result = revenue_growth(build_state(), group(), as_of=AS_OF)
    assert [(line.client, line.value, line.reason) for line in result.lines[1:]] == [
        ("bolt", None, GrowthReason.NEW_ACCOUNT),
        ("cora", None, GrowthReason.ZERO_BASE),
        ("dyna", None, GrowthReason.NEGATIVE_BASE),
        ("euro", None, GrowthReason.NEW_ACCOUNT),
    ]
    assert result.lines[3].base == Money("-1000.00", "EUR")
    assert result.lines[4].current == Money("5000.00", "USD")  # its own currency


def test_an_account_with_nothing_invoiced_has_no_invoicing() -> None:
    quiet = client("quiet")
    result = revenue_growth(
        PortfolioState(), AccountSelection.key_accounts().resolve([quiet]), as_of=AS_OF
    )
    [line] = result.lines
    assert (line.current, line.base, line.reason) == (
        Money("0.00", "EUR"),
        Money("0.00", "EUR"),
        GrowthReason.NO_INVOICING,
    )


def test_a_current_month_is_never_counted() -> None:
    state = PortfolioState()
    state.add_invoice(invoice("i-1", "acme", dt.date(2026, 11, 2), "100.00"))
    state.add_invoice(invoice("i-2", "acme", dt.date(2025, 11, 2), "80.00"))
    result = revenue_growth(state, group(), as_of=AS_OF)
    assert result.lines[0].current == Money("80.00", "EUR")


def test_growth_is_rounded_once_half_up() -> None:
    state = PortfolioState()
    state.add_invoice(invoice("i-1", "acme", dt.date(2025, 1, 5), "3.00"))
    state.add_invoice(invoice("i-2", "acme", dt.date(2026, 1, 5), "4.00"))
    [line] = revenue_growth(
        state,
        AccountSelection.clients([ClientId("acme")]).resolve(CLIENTS),
        as_of=AS_OF,
    ).lines
    assert line.value == Percentage("33.33")  # 33.333...


def test_growth_rows_are_plain_json_and_report_is_localised() -> None:
    result = revenue_growth(build_state(), group(), as_of=AS_OF)
    assert result.rows()[0] == {
        "client": "acme",
        "currency": "EUR",
        "current": "14500.00",
        "base": "10000.00",
        "growth": "45.00",
        "reason": None,
    }
    assert json.loads(json.dumps(result.rows())) == result.rows()
    assert result.summary_row()["without_base"] == 4
    report = result.report("de_DE").splitlines()
    assert report[1] == "  acme: 14.500,00\xa0€ gegenüber 10.000,00\xa0€: 45\xa0%"
    assert report[2] == "  bolt: 4.000,00\xa0€ gegenüber 0,00\xa0€: k. A. (neuer Kunde)"


# -- average value per account ---------------------------------------------------


def test_average_value_divides_by_every_key_account_in_the_currency() -> None:
    result = average_value(build_state(), group(), as_of=AS_OF, currency="EUR")
    # 14,500.00 + 4,000.00 + 1,000.00 + 0.02 over 4 accounts = 4,875.005
    assert result.numerator == Money("19500.02", "EUR")
    assert result.denominator == 4
    assert result.value == Money("4875.01", "EUR")  # rounded once, half up
    assert result.covered == ("acme", "bolt", "cora", "dyna")
    assert {e.client: e.detail for e in result.excluded} == {
        "euro": "account in USD, result in EUR",
        "fizz": "not a key account",
        "gone": "closed",
    }


def test_average_value_in_the_other_currency() -> None:
    result = average_value(build_state(), group(), as_of=AS_OF, currency="USD")
    assert (result.value, result.denominator) == (Money("5000.00", "USD"), 1)


def test_several_currencies_need_the_result_currency_named() -> None:
    with pytest.raises(ValidationError) as raised:
        average_value(build_state(), group(), as_of=AS_OF)
    assert raised.value.errors[0].path == "currency"
    assert raised.value.errors[0].value == ["EUR", "USD"]


def test_one_shared_currency_is_taken_from_the_accounts() -> None:
    eur = AccountSelection.clients([ClientId("acme"), ClientId("bolt")]).resolve(
        CLIENTS
    )
    result = average_value(build_state(), eur, as_of=AS_OF)
    assert result.value == Money("9250.00", "EUR")


def test_no_account_in_the_currency_gives_no_value_and_a_reason() -> None:
    result = average_value(build_state(), group(), as_of=AS_OF, currency="JPY")
    assert (result.value, result.reason) == (None, "no key account in JPY")
    assert result.numerator == Money(0, "JPY")
    assert "n/a (no key account in JPY)" in result.report("en_GB")


def test_sums_held_in_another_currency_than_the_client_record_are_excluded() -> None:
    state = PortfolioState()
    state.add_invoice(
        invoice("i-1", "acme", dt.date(2026, 1, 5), "10.00", currency="CHF")
    )
    result = average_value(state, group(), as_of=AS_OF, currency="EUR")
    assert [e.detail for e in result.excluded if e.client == "acme"] == [
        "invoiced in CHF, account currency EUR"
    ]


def test_average_value_rows_and_report() -> None:
    result = average_value(build_state(), group(), as_of=AS_OF, currency="EUR")
    assert result.rows()[0] == {
        "client": "acme",
        "currency": "EUR",
        "total": "14500.00",
    }
    assert result.summary_row()["value"] == "4875.01"
    assert result.report("fr_FR") == (
        "Valeur moyenne par compte, nov. 2025 \u2013 oct. 2026 (au 16 nov. 2026)\xa0: "
        "4\u202f875,01\xa0€ (19\u202f500,02\xa0€ sur 4 comptes)"
    )


def test_a_sum_written_with_more_places_is_spelled_one_way() -> None:
    state = PortfolioState.from_invoice_records(
        [
            ("acme", dt.date(2026, 1, 5), Decimal("1.000")),
            ("acme", dt.date(2026, 2, 5), Decimal("2.00")),
            ("bolt", dt.date(2026, 1, 5), Decimal("0.120")),
        ],
        currency="EUR",
    )
    result = average_value(state, group(), as_of=AS_OF, currency="EUR")
    assert [str(a.total.amount) for a in result.accounts[:2]] == ["3.00", "0.12"]
