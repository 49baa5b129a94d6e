"""``kamcore report``: text for people, JSON and CSV that match the API's figures."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from cli.cli_support import AS_OF, clock_at, copy_database, open_uow, run_main
from kamcore.cli._report_command import DECLINE_BASES
from kamcore.kernel import ClientGroupId, ManagerId
from kamcore.metrics import AccountSelection, Basis
from kamcore.services import weekly_report


def test_json_output_parses_and_matches_the_api(demo_db: Path) -> None:
    code, out, err = run_main(
        "report", "--db", demo_db, "--as-of", AS_OF, "--format", "json"
    )
    assert code == 0, err
    document = json.loads(out)
    with open_uow(demo_db) as uow:
        direct = weekly_report(
            uow, clock_at(AS_OF), selection=AccountSelection.key_accounts()
        )
    assert document == json.loads(direct.to_json())
    assert document["as_of"] == AS_OF
    assert [(r["client"], r["total"]) for r in document["tables"]["ranking"]] == [
        ("helvetia", "36948.50"),
        ("acme", "85508.10"),
        ("borealis", "43852.23"),
        ("lumen", "35922.40"),
        ("fjord", "4290.00"),
    ]


def test_a_group_report_as_text(demo_db: Path) -> None:
    code, out, err = run_main(
        "report", "--db", demo_db, "--as-of", AS_OF, "--group", "nordics"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:6] == [
        "Monday portfolio health check, group nordics, 23 Nov 2026",
        "",
        "Accounts by net invoiced, Nov 2025 to Oct 2026:",
        "  1. Borealis Energi AB (borealis): €43,852.23",
        "  2. Fjord Marine AS (fjord): €4,290.00",
        "",
    ]


def test_csv_sections_hold_the_api_rows(demo_db: Path) -> None:
    code, out, _ = run_main(
        "report",
        "--db",
        demo_db,
        "--as-of",
        AS_OF,
        "--manager",
        "m.rossi",
        "--format",
        "csv",
    )
    assert code == 0
    with open_uow(demo_db) as uow:
        direct = weekly_report(
            uow,
            clock_at(AS_OF),
            selection=AccountSelection.manager(ManagerId("m.rossi")),
        )
    sections = {
        block.split("\n", 1)[0].removeprefix("# "): block.split("\n", 1)[1]
        for block in out.split("\n# ")
    }
    assert list(sections) == list(direct.tables())
    overdue = list(csv.DictReader(io.StringIO(sections["overdue"])))
    assert overdue == [
        {key: str(value) for key, value in row.items()}
        for row in direct.tables()["overdue"]
    ]
    assert "average_value" in sections  # one currency: the average is given


def test_one_table_as_plain_csv(demo_db: Path) -> None:
    code, out, _ = run_main(
        "report",
        "--db",
        demo_db,
        "--as-of",
        AS_OF,
        "--format",
        "csv",
        "--table",
        "decline",
    )
    assert code == 0
    assert out.splitlines()[:3] == [
        "client,currency,previous,last,change,alarm,reason",
        "acme,EUR,6219.40,8469.90,36.19,false,",
        "borealis,EUR,3392.43,2222.80,-34.48,true,",
    ]
    code, out, _ = run_main(
        "report",
        "--db",
        demo_db,
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--table",
        "expiring",
    )
    assert code == 0
    assert [row["contract"] for row in json.loads(out)] == ["K-ACME-SUPPLY"]


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (
            ("--group", "baltics"),
            4,
            "kamcore report: ClientGroup not found: 'baltics'",
        ),
        (
            ("--manager", "j.doe"),
            4,
            "kamcore report: no client is managed by 'j.doe'",
        ),
        (
            ("--table", "ranking"),
            2,
            "kamcore report: --table goes with --format csv or --format json",
        ),
        (
            ("--format", "csv", "--table", "average_value"),
            2,
            "kamcore report: no table 'average_value' in this report; its tables: "
            "ranking, decline, expiring, overdue, opportunities, retention, growth, "
            "expired_unrenewed, first_action",
        ),
    ],
)
def test_report_errors(
    demo_db: Path, arguments: tuple[str, ...], code: int, message: str
) -> None:
    result = run_main("report", "--db", demo_db, "--as-of", AS_OF, *arguments)
    assert result == (code, "", message + "\n")


def test_selection_by_group_matches_the_api(demo_db: Path) -> None:
    code, out, _ = run_main(
        "report",
        "--db",
        demo_db,
        "--as-of",
        AS_OF,
        "--group",
        "dach",
        "--format",
        "json",
    )
    assert code == 0
    with open_uow(demo_db) as uow:
        direct = weekly_report(
            uow,
            clock_at(AS_OF),
            selection=AccountSelection.group(ClientGroupId("dach")),
        )
    assert json.loads(out) == json.loads(direct.to_json())


def _without_orders(demo_db: Path, folder: Path) -> Path:
    """A copy of the demo portfolio with its invoices but no order."""
    database = copy_database(demo_db, folder)
    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute("DELETE FROM orders")
        connection.commit()
    return database


def test_invoices_but_no_orders_say_so_in_text_and_json(
    demo_db: Path, tmp_path: Path
) -> None:
    database = _without_orders(demo_db, tmp_path)
    args = ("report", "--db", database, "--as-of", AS_OF, "--group", "nordics")
    code, out, err = run_main(*args)
    assert code == 0, err
    assert out.splitlines()[6] == (
        "Orders down more than 20%, Sept 2026 to Oct 2026: no orders recorded: "
        "decline is measured on orders; use --decline-basis invoiced"
    )
    document = json.loads(run_main(*args, "--format", "json")[1])
    assert document["decline"] == {
        "basis": "orders",
        "threshold": "20",
        "minimum_base": {"EUR": "1000"},
        "previous_month": "2026-09",
        "last_month": "2026-10",
        "note": "no orders recorded: decline is measured on orders; "
        "use --decline-basis invoiced",
    }
    _, advised, _ = run_main(*args, "--decline-basis", "invoiced")
    assert advised.splitlines()[6:8] == [
        "Invoiced down more than 20%, Sept 2026 to Oct 2026 "
        "(minimum base €1,000.00): 1",
        "  Borealis Energi AB: €3,392.43 -> €2,222.80 (-34.48%)",
    ]


def test_the_decline_bases_offered_are_the_metrics_bases_orders_first() -> None:
    # Named in the options, so that parsing them does not load the metrics.
    assert tuple(str(basis) for basis in Basis) == DECLINE_BASES
    assert DECLINE_BASES[0] == str(Basis.ORDERS)


def test_the_decline_rule_from_the_command_line(demo_db: Path) -> None:
    code, out, err = run_main(
        "report",
        "--db",
        demo_db,
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--decline-threshold",
        "12.5",
        "--decline-min-base",
        "5000",
        "EUR",
        "--decline-min-base",
        "0",
        "CHF",
    )
    assert code == 0, err
    document = json.loads(out)
    assert document["decline"]["threshold"] == "12.5"
    assert document["decline"]["minimum_base"] == {"CHF": "0", "EUR": "5000"}
    # Borealis fell from 3,392.43: below the 5,000 minimum, no alarm now.
    assert [
        (row["client"], row["alarm"], row["reason"])
        for row in document["tables"]["decline"]
        if row["client"] == "borealis"
    ] == [
        ("borealis", False, "previous month below the minimum base of 5000 EUR"),
    ]


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (
            ("--decline-min-base", "1x", "EUR"),
            2,
            "kamcore report: --decline-min-base: expected an amount such as "
            "1000, got '1x'",
        ),
        (
            ("--decline-min-base", "5.001", "EUR"),
            3,
            "kamcore report: invalid DeclineRule:\n"
            "  minimum_base: 5.001 EUR has more decimals than the currency's 2",
        ),
        (
            ("--decline-min-base", "5", "EUR", "--decline-min-base", "6", "EUR"),
            3,
            "kamcore report: invalid DeclineRule:\n"
            "  minimum_base: one minimum per currency, EUR given twice",
        ),
        (
            ("--decline-min-base", "5", "ABC"),
            3,
            "kamcore report: invalid Money:\n"
            "  currency: unknown ISO 4217 currency code 'ABC'",
        ),
    ],
)
def test_a_bad_decline_rule_is_refused(
    demo_db: Path, arguments: tuple[str, ...], code: int, message: str
) -> None:
    result = run_main("report", "--db", demo_db, "--as-of", AS_OF, *arguments)
    assert result == (code, "", message + "\n")


def test_a_negative_threshold_is_a_usage_error(demo_db: Path) -> None:
    code, _, err = run_main(
        "report", "--db", demo_db, "--as-of", AS_OF, "--decline-threshold", "-3"
    )
    assert code == 2
    assert err.splitlines()[-1] == (
        "kamcore report: error: argument --decline-threshold: expected a "
        "percentage of 0 or more, such as 20 or 12.5, got '-3'"
    )
