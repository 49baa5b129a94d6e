"""An event's text: locale-neutral in its summary, the reader's in describe()."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kamcore.i18n import NC_, translator
from kamcore.loyalty import SourceRef
from kamcore.views._events import Coded, EventKind, Sentence, dated
from kamcore.views._loyalty_events import _source

STAGE = Coded("needs_analysis", NC_("opportunity stage", "needs analysis"))


def test_dates_numbers_and_codes_stay_as_stored_in_the_summary() -> None:
    event = dated(
        EventKind.INVOICE_OVERDUE,
        dt.date(2026, 3, 4),
        Sentence(
            "invoice {invoice} overdue (due {due})",
            {"invoice": "INV-2", "due": dt.date(2026, 3, 3)},
        ),
        "INV-2",
    )
    assert event.summary == "invoice INV-2 overdue (due 2026-03-03)"
    assert event.describe("de_DE") == "Rechnung INV-2 überfällig (fällig am 03.03.2026)"
    assert event.describe("en_GB") == "invoice INV-2 overdue (due 3 Mar 2026)"


def test_a_stage_is_its_code_in_the_summary_and_its_label_in_a_language() -> None:
    sentence = Sentence(
        "opportunity {opportunity} {field}: {before} -> {after}",
        {"opportunity": "op-1", "field": "stage", "before": STAGE, "after": "-"},
    )
    event = dated(EventKind.OPPORTUNITY_CHANGED, dt.date(2026, 3, 4), sentence, "op-1")
    assert event.summary == "opportunity op-1 stage: needs_analysis -> -"
    assert event.describe("en_GB") == "opportunity op-1 stage: needs analysis -> -"
    assert event.describe("de_DE").endswith(": Bedarfsanalyse -> -")


def test_points_are_grouped_for_the_reader_and_plain_in_the_summary() -> None:
    sentence = Sentence.ngettext(
        "{entry} {n} points ({source})",
        "{entry} {n} points ({source})",
        1000,
        entry="earn",
        n=Decimal(1000),
        source="invoice INV-1",
    )
    event = dated(EventKind.LOYALTY_ENTRY, dt.date(2026, 3, 4), sentence, "ms-1")
    assert event.summary == "earn 1000 points (invoice INV-1)"
    assert "1.000" in event.describe("de_DE")
    assert "1,000" in event.describe("en_GB")


def test_a_loyalty_entrys_source_is_in_words_for_the_reader() -> None:
    source = _source(SourceRef(kind="credit_note", id="CN-7", line=2))
    sentence = Sentence.ngettext(
        "{entry} {n} points ({source})",
        "{entry} {n} points ({source})",
        40,
        entry="claw back",
        n=Decimal(40),
        source=source,
    )
    event = dated(EventKind.LOYALTY_ENTRY, dt.date(2026, 3, 4), sentence, "ms-1")
    assert event.summary == "claw back 40 points (credit_note CN-7 line 2)"
    assert "(Gutschrift CN-7, Zeile 2)" in event.describe("de_DE")
    assert "(credit note CN-7 line 2)" in event.describe("en_GB")
    other = _source(SourceRef(kind="transfer", id="T-1"))
    assert other.text(translator("fr_FR")) == "transfer T-1"


def test_points_of_six_places_keep_every_digit_for_the_reader() -> None:
    # A programme may count points to six places: a report never rounds them.
    sentence = Sentence.ngettext(
        "{entry} {n} points ({source})",
        "{entry} {n} points ({source})",
        2,
        entry="earn",
        n=Decimal("1234.567891"),
        source="invoice INV-1",
    )
    event = dated(EventKind.LOYALTY_ENTRY, dt.date(2026, 3, 4), sentence, "ms-1")
    assert event.summary == "earn 1234.567891 points (invoice INV-1)"
    assert "1,234.567891 points" in event.describe("en_GB")
    assert "1.234,567891" in event.describe("de_DE")
