"""``--locale`` reaches every section a command prints.

Each section of the demo (``de_DE``) and of the weekly report (``fr_FR``) is
found by the names and ids it shows, which no translation changes, and holds
its figures and dates as that locale writes them. The sentences around them
are the catalogues' (their German and French wording is checked against
golden files elsewhere).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.cli_support import AS_OF, EXAMPLES, run_main

NBSP = "\xa0"  # before a currency or percent sign (de, fr), and a colon (fr)
NNBSP = "\u202f"  # between groups of digits (fr)


def _line(lines: list[str], *marks: str) -> str:
    """The first line holding every one of ``marks``."""
    found = [line for line in lines if all(mark in line for mark in marks)]
    assert found, f"no line holds {marks}"
    return found[0]


def _missing(line: str, *values: str) -> list[str]:
    return [value for value in values if value not in line]


@pytest.fixture(scope="module")
def german_demo(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    database = tmp_path_factory.mktemp("demo-de") / "portfolio.db"
    code, out, err = run_main(
        "demo", "--db", database, "--as-of", AS_OF, "--locale", "de_DE"
    )
    assert (code, err) == (0, "")
    return out.splitlines()


# Each section of the demo: what finds its line, and what the line must hold.
GERMAN_SECTIONS = {
    "renewal run": (
        ("K-ACME-SUPPLY ACME Industrial GmbH",),
        ("20.01.2027",),
    ),
    # The daily check comes first; the report's line names the manager last.
    "daily overdue check": (("INV-202609-BOREALIS",), (f"3.392,43{NBSP}€",)),
    "overdue": (("INV-202609-ACME", "(m.rossi)"), (f"3.109,40{NBSP}€",)),
    "ranking": (("ACME Industrial GmbH (acme):",), (f"85.508,10{NBSP}€",)),
    "decline": (
        ("Borealis Energi AB:", "->"),
        (f"3.392,43{NBSP}€", f"2.222,80{NBSP}€", f"-34,48{NBSP}%"),
    ),
    "expiring": (
        ("K-ACME-SUPPLY Framework supply agreement",),
        ("20.01.2027", f"180.000,00{NBSP}€"),
    ),
    "opportunities": (
        ("Flow sensor retrofit",),
        (f"12.500,00{NBSP}€", "18.11.2026"),
    ),
    "retention": ((f"50{NBSP}%",), ("24.11.2025", "23.11.2026")),
    "growth": (("Fjord Marine AS:",), (f"4.290,00{NBSP}€", f"0,00{NBSP}€")),
    "expired unrenewed": (
        ("K-BOREALIS-SERVICE Valve service agreement",),
        ("09.10.2026", f"64.000,00{NBSP}€"),
    ),
    "first action": (
        ("K-HELVETIA-SUPPLY (Helvetia Wasser AG)",),
        ("15.08.2026", "02.11.2026"),
    ),
    "ad-hoc proposal": (("pump-p200", "Lumen Logistics BV"), (f"1.748,00{NBSP}€",)),
}


@pytest.mark.parametrize("section", GERMAN_SECTIONS)
def test_every_section_of_the_german_demo_writes_german_figures(
    german_demo: list[str], section: str
) -> None:
    marks, values = GERMAN_SECTIONS[section]
    assert _missing(_line(german_demo, *marks), *values) == []


def test_the_german_demo_opens_with_german_dates(german_demo: list[str]) -> None:
    # The renewal run, then the daily overdue check, before any name is shown.
    assert _missing(german_demo[2], "23.11.2026") == []
    assert "Montag, 23. November 2026" in "\n".join(german_demo[5:8])


def test_the_german_demo_counts_ad_hoc_discounts_in_german(
    german_demo: list[str],
) -> None:
    proposal = german_demo.index(_line(german_demo, "pump-p200", "Lumen"))
    header, account = german_demo[proposal - 2 : proposal]
    assert _missing(header, "24.11.2025", "23.11.2026") == []
    assert _missing(account, "Lumen Logistics BV", f"368,00{NBSP}€") == []


def test_the_german_demo_writes_loyalty_standings_in_german(
    german_demo: list[str],
) -> None:
    start = german_demo.index(_line(german_demo, "ACME Industrial GmbH (acme), "))
    spend, points, to_next, _, to_hold = german_demo[start + 1 : start + 6]
    assert _missing(spend, f"58.474,30{NBSP}€", "23.11.2026", "28.02.2027") == []
    assert _missing(points, "92.974", f"929,74{NBSP}€") == []
    assert _missing(to_next, f"16.525,70{NBSP}€", "Gold") == []
    assert _missing(to_hold, f"16.525,70{NBSP}€", "28.02.2027") == []


def test_the_german_demo_hands_its_locale_to_the_commands_that_print_text(
    german_demo: list[str],
) -> None:
    commands = [line.split(" -m kamcore ", 1)[-1] for line in german_demo[-5:]]
    assert [command.split()[0] for command in commands] == [
        "report",
        "report",
        "report",
        "price",
        "loyalty",
    ]
    assert [command.endswith(" --locale de_DE") for command in commands] == [
        True,
        False,  # JSON: data, not text
        True,
        True,
        True,
    ]


@pytest.fixture(scope="module")
def french_report(demo_db: Path) -> list[str]:
    code, out, err = run_main(
        "report", "--db", demo_db, "--as-of", AS_OF, "--locale", "fr_FR"
    )
    assert (code, err) == (0, "")
    return out.splitlines()


FRENCH_SECTIONS = {
    "ranking": (
        (f"ACME Industrial GmbH (acme){NBSP}:",),
        (f"85{NNBSP}508,10{NBSP}€",),
    ),
    "decline": (
        (f"Borealis Energi AB{NBSP}:", "->"),
        (f"3{NNBSP}392,43{NBSP}€", f"2{NNBSP}222,80{NBSP}€", f"-34,48{NBSP}%"),
    ),
    "expiring": (
        ("K-ACME-SUPPLY Framework supply agreement",),
        ("20 janv. 2027", f"180{NNBSP}000,00{NBSP}€"),
    ),
    "overdue": (("INV-202609-ACME",), (f"3{NNBSP}109,40{NBSP}€",)),
    "opportunities": (
        ("Second plant in Basel",),
        (f"30{NNBSP}000,00{NBSP}CHF", "21 févr. 2027"),
    ),
    "retention": ((f"50{NBSP}%",), ("24 nov. 2025", "23 nov. 2026")),
    "growth": (
        (f"Helvetia Wasser AG{NBSP}:", "%"),
        (f"36{NNBSP}948,50{NBSP}CHF", f"32{NNBSP}271,00{NBSP}CHF", f"14,49{NBSP}%"),
    ),
    "expired unrenewed": (
        ("K-BOREALIS-SERVICE Valve service agreement",),
        ("9 oct. 2026", f"64{NNBSP}000,00{NBSP}€"),
    ),
    "first action": (
        ("K-HELVETIA-SUPPLY (Helvetia Wasser AG)",),
        ("15 août 2026", "2 nov. 2026"),
    ),
}


@pytest.mark.parametrize("section", FRENCH_SECTIONS)
def test_every_section_of_the_french_report_writes_french_figures(
    french_report: list[str], section: str
) -> None:
    marks, values = FRENCH_SECTIONS[section]
    assert _missing(_line(french_report, *marks), *values) == []


def test_the_french_report_opens_with_a_french_date(
    french_report: list[str],
) -> None:
    assert _missing(french_report[0], "23 nov. 2026") == []


def test_a_one_currency_report_writes_its_average_in_french(demo_db: Path) -> None:
    code, out, _ = run_main(
        "report",
        "--db",
        demo_db,
        "--as-of",
        AS_OF,
        "--group",
        "nordics",
        "--locale",
        "fr_FR",
    )
    assert code == 0
    average = out.splitlines()[-1]
    assert _missing(average, f"24{NNBSP}071,12{NBSP}€", f"48{NNBSP}142,23{NBSP}€") == []


def test_renewals_write_every_date_in_french(demo_db: Path) -> None:
    code, out, _ = run_main(
        "renewals",
        "--db",
        demo_db,
        "--as-of",
        "2027-01-25",
        "--check",
        "--locale",
        "fr_FR",
    )
    assert code == 0
    lines = out.splitlines()
    assert _missing(lines[1], "25 janv. 2027") == []
    assert (
        _missing(_line(lines, "K-LUMEN-PUMPS Lumen Logistics BV"), "23 mars 2027") == []
    )
    assert _missing(_line(lines, "K-ACME-SUPPLY", "(", "2027)"), "20 janv. 2027") == []
    waiting = _line(lines, "K-HELVETIA-SUPPLY Helvetia Wasser AG")
    assert _missing(waiting, "15 août 2026", "2 nov. 2026") == []


def test_loyalty_writes_points_and_amounts_in_french(demo_db: Path) -> None:
    code, out, _ = run_main(
        "loyalty",
        "--db",
        demo_db,
        "--as-of",
        AS_OF,
        "--client",
        "lumen",
        "--locale",
        "fr_FR",
    )
    assert code == 0
    _, spend, points, to_next, *_ = out.splitlines()
    assert _missing(spend, f"23{NNBSP}749,20{NBSP}€", "28 févr. 2027") == []
    assert _missing(points, f"38{NNBSP}101", f"381,01{NBSP}€") == []
    assert _missing(to_next, f"1{NNBSP}250,80{NBSP}€") == []


def test_price_writes_the_quantity_for_its_locale(demo_db: Path) -> None:
    code, out, _ = run_main(
        "price",
        "acme",
        "valve-dn50",
        "1234.50",
        "--db",
        demo_db,
        "--on",
        AS_OF,
        "--locale",
        "fr_FR",
    )
    assert code == 0
    first = out.splitlines()[0]
    assert _missing(first, f"1{NNBSP}234,50", "23 nov. 2026") == []


def test_price_refuses_an_unknown_locale(demo_db: Path) -> None:
    code, _, err = run_main(
        "price", "acme", "valve-dn50", "1", "--db", demo_db, "--locale", "xx_YY"
    )
    assert code == 2
    assert err.splitlines()[-1] == (
        "kamcore price: error: argument --locale: unknown locale 'xx_YY' "
        "(try en_GB, de_DE, fr_FR...)"
    )


def test_import_counts_records_for_its_locale(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "portfolio.json").read_text(encoding="utf-8"))
    base = document["invoices"][0]
    document["invoices"] = [
        base | {"id": f"INV-{number}", "payments": []} for number in range(1200)
    ]
    big = tmp_path / "big.json"
    big.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run_main(
        "import", big, "--db", tmp_path / "big.db", "--locale", "de_DE"
    )
    assert code == 0
    read, *written = err.splitlines()
    assert _missing(read, "1.212") == []
    assert [_missing(line, "/1.212") for line in written] == [[], []]
    assert _missing(written[1], "1.000/") == []
    assert _missing(out, "1.212", "1.200") == []
