"""Every sentence the command line writes itself is a message of the catalogues.

Read through a catalogue that brackets each message it is asked for, every
line the commands build -- the demo's own sections, renewals, loyalty, price,
import and db upgrade -- is one bracketed message: no word is written outside
the catalogues, and no line is glued from pieces. (The weekly report's
sections are the library's, checked beside it; the price explanation is the
pricing engine's; the commands the demo suggests are to be copied as they
are.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.cli_support import AS_OF, EXAMPLES, copy_database, run_main
from cli.test_cli_import_docs import documented_portfolio
from i18n.bracketed import bracket_every_message, unmarked
from kamcore.adapters.sql import SCHEMA_VERSION


@pytest.fixture(autouse=True)
def bracketed(monkeypatch: pytest.MonkeyPatch) -> None:
    bracket_every_message(monkeypatch)


def _run(*args: str | Path) -> tuple[str, str]:
    code, out, err = run_main(*args, "--locale", "fr_FR")
    assert code == 0, err
    return out, err


def test_every_line_of_the_demos_own_sections_is_one_message(tmp_path: Path) -> None:
    out, _ = _run("demo", "--db", tmp_path / "demo.db", "--as-of", AS_OF)
    header, renewals, *_, ad_hoc, members, explore = out.split("\n\n")
    lines = [
        *header.splitlines(),
        *renewals.splitlines(),
        *ad_hoc.splitlines(),
        *members.splitlines(),
        explore.splitlines()[0],
    ]
    assert len(lines) > 15
    assert unmarked(lines) == []
    assert "«Loyalty day: 0 notifications to send»" in renewals
    assert "«ACME Industrial GmbH (acme), Valvetta Partner: Silver»" in members


def test_every_line_of_renewals_is_one_message(demo_db: Path) -> None:
    out, _ = _run("renewals", "--db", demo_db, "--as-of", "2027-01-25", "--check")
    lines = out.splitlines()
    assert len(lines) > 6
    assert unmarked(lines) == []
    # What became of a contract is named by the catalogue too.
    assert (
        "  «K-ACME-SUPPLY ACME Industrial GmbH: «lapsed» (term ended 20 janv. 2027)»"
    ) in lines
    # A waiting alert's line holds the alert's own message.
    assert (
        "  ««K-LUMEN-PUMPS Lumen Logistics BV: renewal alert, term ends 23 mars 2027 "
        "(in 57 days), to m.rossi»; raised 25 janv. 2027, 0 days ago»"
    ) in lines


def test_renewals_on_a_writable_copy_say_every_line_in_messages(
    demo_db: Path, tmp_path: Path
) -> None:
    database = copy_database(demo_db, tmp_path)
    out, _ = _run("renewals", "--db", database, "--as-of", "2028-06-30")
    lines = out.splitlines()
    assert unmarked(lines) == []
    # A late alert for a stretch of terms, and the contract renewed over it.
    assert (
        "  «K-LUMEN-PUMPS Lumen Logistics BV: late alert, 2 terms ended unannounced, "
        "23 mars 2027 to 23 mars 2028 (465 days ago), to m.rossi»"
    ) in lines
    assert (
        "  «K-LUMEN-PUMPS Lumen Logistics BV: «renewed» 2 times (terms ended "
        "23 mars 2027 to 23 mars 2028)»"
    ) in lines


def test_every_line_of_loyalty_is_one_message(demo_db: Path, tmp_path: Path) -> None:
    out, _ = _run("loyalty", "--db", demo_db, "--as-of", AS_OF)
    assert len(out.splitlines()) == 12
    assert unmarked(out.splitlines()) == []
    database = tmp_path / "no-members.db"
    _run("import", EXAMPLES / "portfolio.json", "--db", database, "--quiet")
    out, _ = _run("loyalty", "--db", database, "--as-of", AS_OF)
    assert out == "«No loyalty members.»\n"


def test_the_price_line_is_one_message(demo_db: Path) -> None:
    out, _ = _run("price", "acme", "valve-dn50", "40", "--db", demo_db, "--on", AS_OF)
    first, *explanation = out.splitlines()
    assert unmarked([first]) == []
    assert explanation  # the pricing engine's lines, in English


def test_every_line_of_an_import_is_one_message(tmp_path: Path) -> None:
    portfolio = tmp_path / "portfolio.json"
    portfolio.write_text(json.dumps(documented_portfolio()), encoding="utf-8")
    database = tmp_path / "portfolio.db"
    checked, progress = _run("import", portfolio, "--db", database, "--check")
    imported, _ = _run("import", portfolio, "--db", database, "--quiet")
    prefix = "kamcore import: "
    assert progress.startswith(prefix)
    lines = [progress.removeprefix(prefix), checked, imported]
    assert unmarked([line.rstrip("\n") for line in lines]) == []
    # Each kind is counted by its own message, and so are the points earned.
    assert imported.startswith(f"««imported 9 records into sqlite:///{database}: ")
    assert imported.endswith(
        "«1 client», «2 products», «2 price lists», «1 programme», «1 membership», "
        "«1 invoice», «1 contract»»; 1 invoice earned loyalty points»\n"
    )


def test_both_answers_of_db_upgrade_are_one_message(tmp_path: Path) -> None:
    database = tmp_path / "new.db"
    applied, _ = _run("db", "upgrade", "--db", database)
    current, _ = _run("db", "upgrade", "--db", database)
    assert unmarked([applied.rstrip("\n"), current.rstrip("\n")]) == []
    assert current == (
        f"«sqlite:///{database}: up to date (schema version {SCHEMA_VERSION})»\n"
    )
