"""``kamcore renewals``: the scheduler run as of a date, through the outbox."""

from __future__ import annotations

from pathlib import Path

from cli.cli_support import copy_database, kamcore, row_counts, run_main


def test_renewals_raise_each_alert_once_and_list_those_waiting(
    demo_db: Path, tmp_path: Path
) -> None:
    database = copy_database(demo_db, tmp_path)
    before = row_counts(database)
    result = kamcore("renewals", "--db", database, "--as-of", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Renewal scheduler, 1 Dec 2026: 0 alerts raised",
        "",
        "Alerts without a first action: 3",
        # The demo's first scheduler run (2 Nov) found these terms already
        # ended: their managers were told late.
        "  K-BOREALIS-SERVICE Borealis Energi AB: late alert, term ends "
        "8 Oct 2026 (54 days ago), to m.rossi; raised 2 Nov 2026, 29 days ago",
        "  K-HELVETIA-SUPPLY Helvetia Wasser AG: late alert, term ends "
        "15 Aug 2026 (108 days ago), to a.keller; raised 2 Nov 2026, 29 days ago",
        "  K-ACME-SUPPLY ACME Industrial GmbH: renewal alert, term ends 20 Jan 2027 "
        "(in 50 days), to m.rossi; raised 23 Nov 2026, 8 days ago",
    ]
    assert row_counts(database) == before


def test_a_later_run_lapses_renews_and_alerts(demo_db: Path, tmp_path: Path) -> None:
    database = copy_database(demo_db, tmp_path)
    outbox = row_counts(database)["outbox"]
    code, out, err = run_main("renewals", "--db", database, "--as-of", "2027-01-25")
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "Renewal scheduler, 25 Jan 2027: 1 alert raised",
        "  K-LUMEN-PUMPS Lumen Logistics BV: renewal alert, term ends 23 Mar 2027 "
        "(in 57 days), to m.rossi",
        "  K-ACME-SUPPLY ACME Industrial GmbH: lapsed (term ended 20 Jan 2027)",
        "",
    ]
    assert row_counts(database)["outbox"] == outbox + 1  # stored for the dispatcher
    code, out, _ = run_main("renewals", "--db", database, "--as-of", "2027-01-25")
    assert out.splitlines()[0] == "Renewal scheduler, 25 Jan 2027: 0 alerts raised"
