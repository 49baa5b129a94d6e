"""The client portal as text: exact text in two locales, allow-listed fields only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from acme_history import (
    ACME,
    AS_OF,
    PARIS,
    SECRET,
    VALVE,
    acme_records,
    eur,
    line,
)

from kamcore.accounts import Invoice, PointsRedemption
from kamcore.errors import ValidationError
from kamcore.kernel import InvoiceId, MembershipId
from kamcore.views import ClientPortal, ClientRecords, build_client_portal


def _redeemed_invoice() -> Invoice:
    """EUR 1200.00 of valves, 1234 points at EUR 0.005 (6.17) redeemed on it."""
    return Invoice(
        id=InvoiceId("INV-5"),
        client=ACME.id,
        issue_date=dt.date(2026, 3, 5),
        due_date=dt.date(2026, 4, 4),
        currency="EUR",
        lines=(line(VALVE, 10, "120.00"),),
    ).with_redemption(
        PointsRedemption(
            membership=MembershipId("ms-acme"),
            points=Decimal(1234),
            rate=eur("0.005"),
        )
    )


@pytest.fixture
def records() -> ClientRecords:
    """ACME's history, with a notice of termination on K-1 (its reason
    internal) and an invoice paid partly with points."""
    base = acme_records()
    framework, *others = base.contracts
    noticed = framework.receive_termination_notice(
        received_on=dt.date(2026, 3, 10), reason=SECRET
    )
    return attrs.evolve(
        base,
        contracts=(noticed, *others),
        invoices=(*base.invoices, _redeemed_invoice()),
    )


def portal(records: ClientRecords, as_of: dt.date = AS_OF) -> ClientPortal:
    return build_client_portal(records, as_of=as_of, timezone=PARIS)


def test_the_portal_reads_in_british_english(records: ClientRecords) -> None:
    assert portal(records).report("en_GB").splitlines() == [
        "Client portal: ACME Industrial (acme), as of 15 March 2026",
        "",
        "Contracts (1):",
        "  K-1  Framework agreement 2026: active, 1 Jan 2026 to 31 Dec 2026; "
        "€12,000.00 per term",
        "    notice of termination received 10 Mar 2026, ends 31 Dec 2026",
        "    version 1 signed 15 Dec 2025 by J. Smith, from 1 Jan 2026: €12,000.00",
        "Proposals (1):",
        "  PR-1  upsell: negotiating, sent 17 Feb 2026, valid until 30 Apr 2026; "
        "total €9,500.00",
        "    revision 1, prices of 16 Feb 2026: €9,500.00",
        "Invoices (4):",
        "  INV-1  issued 15 Jan 2026, due 14 Feb 2026: paid; total €240.00, "
        "credited €0.00, paid €240.00, balance €0.00",
        "    payment P-1 received 10 Feb 2026: €240.00 (ACME-REM-001)",
        "  INV-2  issued 1 Feb 2026, due 3 Mar 2026: overdue (12 days); total "
        "€1,000.00, credited €100.00, paid €400.00, balance €500.00",
        "    payment P-2 received 10 Mar 2026: €400.00 (ACME-REM-002)",
        "    credit note C-1 issued 20 Feb 2026: €100.00",
        "  INV-3  issued 1 Mar 2026, due 31 Mar 2026: open; total €324.00, "
        "credited €0.00, paid €0.00, balance €324.00",
        "  INV-5  issued 5 Mar 2026, due 4 Apr 2026: open; total €1,193.83, "
        "credited €0.00, paid €0.00, balance €1,193.83",
        "    lines total €1,200.00",
        "    Loyalty points redeemed: 1,234 points at €0.005: -€6.17",
        "Loyalty (1):",
        "  Partner Rewards: Gold (5 % off every order, priority support, extra "
        "discount 5%); 1,464 points (0 pending), worth €14.64",
    ]


def test_the_portal_reads_in_german(records: ClientRecords) -> None:
    assert portal(records).report("de_DE").splitlines() == [
        "Kundenportal: ACME Industrial (acme), Stand 15. März 2026",
        "",
        "Verträge (1):",
        "  K-1  Framework agreement 2026: aktiv, 01.01.2026 bis 31.12.2026; "
        "12.000,00\xa0€ pro Laufzeit",
        "    Kündigung eingegangen am 10.03.2026, endet am 31.12.2026",
        "    Version 1 unterzeichnet am 15.12.2025 von J. Smith, gültig ab "
        "01.01.2026: 12.000,00\xa0€",
        "Angebote (1):",
        "  PR-1  Upselling: in Verhandlung, versendet am 17.02.2026, gültig bis "
        "30.04.2026; Gesamtbetrag 9.500,00\xa0€",
        "    Revision 1, Preise vom 16.02.2026: 9.500,00\xa0€",
        "Rechnungen (4):",
        "  INV-1  ausgestellt am 15.01.2026, fällig am 14.02.2026: bezahlt; "
        "Gesamtbetrag 240,00\xa0€, gutgeschrieben 0,00\xa0€, bezahlt 240,00\xa0€, "
        "offener Betrag 0,00\xa0€",
        "    Zahlung P-1 eingegangen am 10.02.2026: 240,00\xa0€ (ACME-REM-001)",
        "  INV-2  ausgestellt am 01.02.2026, fällig am 03.03.2026: überfällig "
        "(12 Tage); Gesamtbetrag 1.000,00\xa0€, gutgeschrieben 100,00\xa0€, "
        "bezahlt 400,00\xa0€, offener Betrag 500,00\xa0€",
        "    Zahlung P-2 eingegangen am 10.03.2026: 400,00\xa0€ (ACME-REM-002)",
        "    Gutschrift C-1 ausgestellt am 20.02.2026: 100,00\xa0€",
        "  INV-3  ausgestellt am 01.03.2026, fällig am 31.03.2026: offen; "
        "Gesamtbetrag 324,00\xa0€, gutgeschrieben 0,00\xa0€, bezahlt 0,00\xa0€, "
        "offener Betrag 324,00\xa0€",
        "  INV-5  ausgestellt am 05.03.2026, fällig am 04.04.2026: offen; "
        "Gesamtbetrag 1.193,83\xa0€, gutgeschrieben 0,00\xa0€, bezahlt 0,00\xa0€, "
        "offener Betrag 1.193,83\xa0€",
        "    Summe der Positionen 1.200,00\xa0€",
        # The deduction line's description is the invoice's data, as written.
        "    Loyalty points redeemed: 1.234 Punkte zu je 0,005\xa0€: -6,17\xa0€",
        "Treueprogramme (1):",
        # The tier's benefits are the programme's data, as written.
        "  Partner Rewards: Gold (5 % off every order, priority support, "
        "Zusatzrabatt 5\xa0%); 1.464 Punkte (0 ausstehend), Wert 14,64\xa0€",
    ]


def test_renewal_terms_show_until_the_client_gives_notice() -> None:
    [contract_line] = [
        text
        for text in portal(acme_records()).report("en_GB").splitlines()
        if text.startswith("  K-1")
    ]
    assert contract_line == (
        "  K-1  Framework agreement 2026: active, 1 Jan 2026 to 31 Dec 2026; "
        "€12,000.00 per term; renews automatically; notice by 30 Sept 2026"
    )


def test_the_report_holds_nothing_the_portal_hides(records: ClientRecords) -> None:
    text = portal(records).report("en_GB")
    assert SECRET not in text  # notes, reasons (the termination's too)
    for hidden in (
        "m.rossi",  # account manager, grantor, recorder
        "OP-1",  # opportunity
        "PR-2",  # a draft proposal
        "K-2",  # an unsigned contract
        "INV-4",  # issued after the date
        "13,200.00",  # the unsigned amendment's value
        "€9,000.00",  # the revision prepared after sending
        "dms://",  # archive address
        "Valve leaking",  # ticket
        "ms-acme",  # membership id (the portal shows the programme)
    ):
        assert hidden not in text


def test_before_anything_happened_every_section_is_empty(
    records: ClientRecords,
) -> None:
    assert portal(records, as_of=dt.date(2025, 1, 1)).report("fr_FR").splitlines() == [
        "Portail client\xa0: ACME Industrial (acme), au 1 janvier 2025",
        "",
        "Contrats (0)\xa0:",
        "Offres (0)\xa0:",
        "Factures (0)\xa0:",
        "Fidélité (0)\xa0:",
    ]


def test_an_unknown_locale_is_refused(records: ClientRecords) -> None:
    with pytest.raises(ValidationError) as raised:
        portal(records).report("xx_YY")
    [error] = raised.value.errors
    assert error.value == "xx_YY"
    assert "unknown locale 'xx_YY'" in raised.value.messages[0]
