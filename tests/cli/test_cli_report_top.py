"""``kamcore report --top N``: the ranking cut to its first N accounts."""

from __future__ import annotations

import json
from pathlib import Path

from cli.cli_support import AS_OF, run_main


def test_top_shows_the_first_accounts_of_the_ranking(demo_db: Path) -> None:
    code, out, err = run_main(
        "report", "--db", demo_db, "--as-of", AS_OF, "--group", "nordics", "--top", "1"
    )
    assert code == 0, err
    assert out.splitlines()[:4] == [
        "Monday portfolio health check, group nordics, 23 Nov 2026",
        "",
        "Top 1 accounts by net invoiced, Nov 2025 to Oct 2026:",
        "  1. Borealis Energi AB (borealis): €43,852.23",
    ]


def test_top_cuts_the_ranking_table_per_currency(demo_db: Path) -> None:
    code, out, err = run_main(
        "report",
        "--db",
        demo_db,
        "--as-of",
        AS_OF,
        "--top",
        "1",
        "--format",
        "json",
        "--table",
        "ranking",
    )
    assert code == 0, err
    assert [(r["rank"], r["client"], r["currency"]) for r in json.loads(out)] == [
        (1, "helvetia", "CHF"),
        (1, "acme", "EUR"),
    ]


def test_top_below_one_is_a_usage_error(demo_db: Path) -> None:
    code, out, err = run_main("report", "--db", demo_db, "--as-of", AS_OF, "--top", "0")
    assert code == 2
    assert out == ""
    assert err.splitlines()[-1] == (
        "kamcore report: error: argument --top: expected a whole number of 1 or "
        "more, such as 10, got '0'"
    )
