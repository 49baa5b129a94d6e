"""Every sentence of a metric report is a message of kamcore's catalogues.

Read through a catalogue that brackets each message it is asked for, every
line of every report is one bracketed message: no word is written outside
the catalogues, and no line is glued from pieces.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sample_portfolio import AS_OF, CLIENTS, INVOICES, build_state, group

from i18n.bracketed import bracket_every_message, unmarked
from kamcore.kernel import DateRange
from kamcore.metrics import (
    AccountSelection,
    PortfolioState,
    average_value,
    days_to_first_action,
    expired_unrenewed,
    monday_health_check,
    retention_rate,
    revenue_growth,
)


@pytest.fixture(autouse=True)
def bracketed(monkeypatch: pytest.MonkeyPatch) -> None:
    bracket_every_message(monkeypatch)


def _reports(locale: str) -> list[str]:
    state, selection = build_state(), group()
    nobody = AccountSelection.clients([]).resolve(CLIENTS)
    invoiced = PortfolioState()  # no orders: the decline says so
    for invoice in INVOICES:
        invoiced.add_invoice(invoice)
    period = DateRange(dt.date(2024, 1, 1), AS_OF)
    names = selection.names
    return [
        monday_health_check(state, selection, as_of=AS_OF).report(locale, names),
        monday_health_check(state, selection, as_of=AS_OF, top=1).report(locale),
        monday_health_check(invoiced, selection, as_of=AS_OF).report(locale),
        monday_health_check(state, nobody, as_of=AS_OF).report(locale),
        retention_rate(state, selection, period=period, as_of=AS_OF).report(locale),
        retention_rate(state, nobody, period=period, as_of=AS_OF).report(locale),
        revenue_growth(state, selection, as_of=AS_OF).report(locale, names),
        expired_unrenewed(state, selection, period=period, as_of=AS_OF).report(
            locale, names
        ),
        days_to_first_action(state, selection, period=period, as_of=AS_OF).report(
            locale, names
        ),
        days_to_first_action(state, nobody, period=period, as_of=AS_OF).report(locale),
        average_value(state, selection, as_of=AS_OF, currency="EUR").report(locale),
        average_value(state, nobody, as_of=AS_OF, currency="EUR").report(locale),
    ]


def test_every_line_of_every_report_is_one_message() -> None:
    lines = [line for text in _reports("fr_FR") for line in text.splitlines()]
    assert len(lines) > 40
    assert unmarked(lines) == []


def test_what_a_sentence_holds_is_marked_too() -> None:
    text = "\n".join(_reports("fr_FR"))
    for words in (
        "«group dach»",
        "«0 chosen accounts»",
        "«new account»",
        "«no key account in EUR»",
        "«no key account had a renewal outcome in the period»",
        "«no alert raised in the period was acted on yet»",
        "«renewal alert for the term ending 31 oct. 2026»",
        "«nov. 2025 to oct. 2026»",
        "«EUR:»",
        "decline is measured on orders; use --decline-basis invoiced»",
        "«1 janv. 2024 to 16 nov. 2026»",
    ):
        assert words in text
