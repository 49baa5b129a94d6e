"""``kamcore renewals``: the scheduler run as of a date, through the outbox."""

from __future__ import annotations

import json
from pathlib import Path

from cli.cli_support import EXAMPLES, copy_database, kamcore, row_counts, run_main


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
        "  K-BOREALIS-SERVICE Borealis Energi AB: late alert, term ended "
        "8 Oct 2026 (54 days ago), to m.rossi; raised 2 Nov 2026, 29 days ago",
        "  K-HELVETIA-SUPPLY Helvetia Wasser AG: late alert, term ended "
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


def test_a_monthly_contract_caught_up_reads_as_one_late_alert_and_one_line(
    tmp_path: Path,
) -> None:
    # The sample's framework agreement, made monthly and auto-renewing, first
    # scheduled five month ends after it began: the manager is told once.
    document = json.loads((EXAMPLES / "portfolio.json").read_text(encoding="utf-8"))
    version = document["contracts"][0]["versions"][0]
    version["term"], version["auto_renew"] = {"months": 1}, True
    portfolio = tmp_path / "monthly.json"
    portfolio.write_text(json.dumps(document), encoding="utf-8")
    database = tmp_path / "monthly.db"
    assert run_main("import", portfolio, "--db", database)[0] == 0
    code, out, err = run_main("renewals", "--db", database, "--as-of", "2026-06-15")
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "Renewal scheduler, 15 Jun 2026: 2 alerts raised",
        "  K-ACME-2026 ACME Industrial GmbH: late alert, 5 terms ended unannounced, "
        "31 Jan 2026 to 31 May 2026 (135 days ago), to m.rossi",
        "  K-ACME-2026 ACME Industrial GmbH: renewal alert, term ends 30 Jun 2026 "
        "(in 15 days), to m.rossi",
        "  K-ACME-2026 ACME Industrial GmbH: renewed 5 times (terms ended "
        "31 Jan 2026 to 31 May 2026)",
    ]
    code, out, _ = run_main("renewals", "--db", database, "--as-of", "2026-06-15")
    assert out.splitlines()[0] == "Renewal scheduler, 15 Jun 2026: 0 alerts raised"
