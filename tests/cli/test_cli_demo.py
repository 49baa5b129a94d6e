"""``kamcore demo``: a fresh portfolio, and the weekly routine run on it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from cli.cli_support import AS_OF, kamcore, row_counts, run_main


def test_demo_builds_a_portfolio_and_prints_the_weekly_routine(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    result = kamcore("demo", "--db", database, "--as-of", AS_OF)
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == f"Demo portfolio of Valvetta (valves and pumps) in sqlite:///{database}"
    )
    assert lines[2:4] == [
        "Renewal scheduler, 23 Nov 2026: 1 alert raised",
        "  K-ACME-SUPPLY ACME Industrial GmbH: renewal alert, term ends 20 Jan 2027 "
        "(in 58 days), to m.rossi",
    ]
    for expected in (
        "Daily overdue check, Monday, 23 November 2026",
        "Monday portfolio health check, all key accounts, 23 Nov 2026",
        "  borealis: €3,392.43 -> €2,222.80 (-34.48%)",
        "Account retention rate, 24 Nov 2025 to 23 Nov 2026 (as of 23 Nov 2026): "
        "50% (1 of 2 accounts renewed)",
        "  K-BOREALIS-SERVICE Valve service agreement (borealis): lapsed on "
        "9 Oct 2026, €64,000.00 per term",
        "  Lumen Logistics BV: €368.00 on 4 invoices",
        "  €16,525.70 more to reach Gold now",
        f"  kamcore report --db {database} --as-of {AS_OF} --manager m.rossi",
    ):
        assert expected in lines
    counts = row_counts(database)
    # Two renewal alerts, and two late ones: the demo's first scheduler run
    # found a lapsed and a renewed term that no run had told of.
    assert (counts["clients"], counts["invoices"], counts["renewal_alerts"]) == (
        6,
        104,
        4,
    )


def test_demo_refuses_an_existing_file(tmp_path: Path) -> None:
    taken = tmp_path / "taken.db"
    taken.write_text("")
    code, out, err = run_main("demo", "--db", taken)
    assert (code, out) == (3, "")
    assert err == (
        f"kamcore demo: {taken} already exists: the demo builds a new portfolio, "
        "give the path of a new file\n"
    )


def test_demo_refuses_a_database_that_holds_a_portfolio(demo_db: Path) -> None:
    code, _, err = run_main("demo", "--db", f"sqlite:///{demo_db}", "--as-of", AS_OF)
    assert code == 3
    assert err == (
        f"kamcore demo: sqlite:///{demo_db} already holds a portfolio: "
        "give a new database\n"
    )


def test_demo_by_default_keeps_a_fresh_file_in_a_temporary_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    code, out, _ = run_main("demo", "--as-of", AS_OF, "--locale", "de_DE")
    assert code == 0
    [made] = tmp_path.glob("kamcore-demo-*/portfolio.db")
    assert out.splitlines()[0].endswith(f"sqlite:///{made}")
    assert "  borealis: 3.392,43\xa0€ -> 2.222,80\xa0€ (-34,48\xa0%)" in out
