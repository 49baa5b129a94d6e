"""What ``kamcore import`` accepts, every command reads the same way.

A contract's status agrees with its history (``report`` and ``renewals`` both
see it), a loyalty member's imported invoices earn their points, memberships
come from CSV too, and ``-`` reads standard input. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli.cli_support import run_main
from cli.import_support import (
    Target,
    earn_entry,
    loyal,
    sample,
    target,
    write,
)

__all__ = ["target"]  # the fixture, for pytest

AS_OF = "2026-11-23"


def run(*args: str | Path, stdin: str) -> subprocess.CompletedProcess[str]:
    """``kamcore ARGS`` in a new process, with ``stdin`` as standard input."""
    return subprocess.run(  # noqa: S603 - this interpreter, our own package
        [sys.executable, "-m", "kamcore", *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_an_active_contract_without_history_is_refused(
    target: Target, tmp_path: Path
) -> None:
    document = sample()
    document["contracts"][0]["history"] = []
    code, out, err = run_main(
        "import", write(tmp_path / "k.json", document), "--db", target.db
    )
    assert (code, out) == (3, "")
    assert err.splitlines()[1:] == [
        "kamcore import: invalid input (1 error); nothing was written",
        "  k.json: $.contracts[0].status: 'active' but the history is empty: give "
        "the status changes that led there (a contract in force has one to "
        "'active' on the day it started)",
    ]
    assert target.counts() in ({}, dict.fromkeys(target.counts(), 0))


def test_a_history_that_skips_a_step_is_refused(target: Target, tmp_path: Path) -> None:
    document = sample()
    contract = document["contracts"][0]
    contract["status"] = "renewed"
    contract["history"][0]["status"] = "renewed"
    code, _, err = run_main(
        "import", write(tmp_path / "k.json", document), "--db", target.db
    )
    assert code == 3
    assert err.splitlines()[2:] == [
        "  k.json: $.contracts[0].history[0].status: a contract cannot go from "
        "'draft' to 'renewed'",
    ]


def test_report_and_renewals_both_see_an_imported_active_contract(
    target: Target, tmp_path: Path
) -> None:
    code, _, err = run_main(
        "import", write(tmp_path / "k.json", sample()), "--db", target.db
    )
    assert code == 0, err
    _, report, _ = run_main(
        "report", "--db", target.db, "--as-of", AS_OF, "--format", "csv",
        "--table", "expiring",
    )  # fmt: skip
    assert report.splitlines() == [
        "contract,client,title,term_end,days_left,auto_renew,currency,value",
        "K-ACME-2026,acme,Framework supply agreement,2026-12-31,38,false,EUR,120000.00",
    ]
    _, renewals, _ = run_main("renewals", "--db", target.db, "--as-of", AS_OF)
    assert renewals.splitlines()[:2] == [
        "Renewal scheduler, 23 Nov 2026: 1 alert raised",
        "  K-ACME-2026 ACME Industrial GmbH: renewal alert, term ends 31 Dec 2026 "
        "(in 38 days), to m.rossi",
    ]


def points_line(target: Target) -> str:
    code, out, err = run_main(
        "loyalty", "--db", target.db, "--client", "acme", "--as-of", AS_OF
    )
    assert code == 0, err
    return out.splitlines()[2]


def test_imported_invoices_of_a_member_earn_their_points(
    target: Target, tmp_path: Path
) -> None:
    document = loyal(sample())
    code, out, err = run_main(
        "import", write(tmp_path / "l.json", document), "--db", target.db
    )
    assert code == 0, err
    assert out.endswith(
        "1 membership, 2 orders, 3 invoices, 1 contract; 2 invoices earned "
        "loyalty points\n"
    )
    # INV-1001 (40 x 41.20) and INV-1002 (3076.00): a point per euro.
    assert points_line(target) == (
        "  points: 4,724 usable, 0 pending, 0 reserved; redeemable now 4,724 (€47.24)"
    )


def test_posting_is_idempotent_and_reaches_a_stored_membership(
    target: Target, tmp_path: Path
) -> None:
    document = loyal(sample())
    later = {"invoices": document.pop("invoices")[1:]}  # INV-1002 and INV-1003
    first = document["invoices"] = [sample()["invoices"][0]]
    # The ledger already holds INV-1001's points: the import adds none.
    document["memberships"][0]["entries"] = [
        earn_entry(1, "INV-1001", "1648", "2026-09-01")
    ]
    assert first[0]["id"] == "INV-1001"
    code, out, err = run_main(
        "import", write(tmp_path / "a.json", document), "--db", target.db
    )
    assert code == 0, err
    assert out.endswith("; 1 invoice earned loyalty points\n")
    assert points_line(target).startswith("  points: 1,648 usable")
    # Invoices imported later earn on the stored membership.
    code, out, err = run_main(
        "import", write(tmp_path / "b.json", later), "--db", target.db
    )
    assert code == 0, err
    assert out.endswith("; 1 invoice earned loyalty points\n")
    assert points_line(target).startswith("  points: 4,724 usable")
    with target.uow() as uow, uow:
        [membership] = uow.memberships.all()
        assert [e.key for e in membership.entries] == [
            "earn:invoice:INV-1001:line:0",
            "earn:invoice:INV-1002:line:0",
            "earn:invoice:INV-1002:line:1",
        ]


def test_memberships_come_from_csv_with_the_clients_pointing_at_them(
    target: Target, tmp_path: Path
) -> None:
    programme = loyal(sample())["programmes"]
    json_part = write(tmp_path / "programme.json", {"programmes": programme})
    clients = tmp_path / "clients.csv"
    clients.write_text(
        "id,name,currency,locale,key_account,account_manager,membership\n"
        "acme,ACME Industrial GmbH,EUR,de_DE,yes,m.rossi,ms-acme\n",
        encoding="utf-8",
    )
    memberships = tmp_path / "memberships.csv"
    memberships.write_text(
        "id,client,programme,enrolled_on\nms-acme,acme,partner,2026-01-01\n",
        encoding="utf-8",
    )
    code, out, err = run_main(
        "import", json_part, clients, memberships, "--db", target.db
    )
    assert code == 0, err
    assert out.endswith(": 1 client, 1 programme, 1 membership\n")
    assert points_line(target).startswith("  points: 0 usable")
    memberships.write_text(
        "id,client,programme,enrolled_on\nms-2,acme,partner,2026-01-01\n",
        encoding="utf-8",
    )
    code, _, err = run_main("import", memberships, "--db", target.db)
    assert code == 3
    assert err.splitlines()[2:] == [
        "  memberships.csv:2: client: client 'acme' does not point at membership "
        "'ms-2' (its membership is 'ms-acme'): set the client's membership to "
        "'ms-2'",
    ]


def test_a_dash_reads_standard_input(target: Target, tmp_path: Path) -> None:
    text = write(tmp_path / "p.json", sample()).read_text(encoding="utf-8")
    result = run("import", "-", "--db", target.db, "--quiet", stdin=text)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported 15 records into ")
    csv_text = "id,name,category\nvalve-dn80,Valve DN80,valves\nbad,,valves\n"
    result = run(
        "import", "-", "--stdin-kind", "products", "--db", target.db, stdin=csv_text
    )
    assert result.returncode == 3
    assert result.stderr.splitlines()[1:] == [
        "  <stdin>:3: name: required field missing",
    ]
    result = run("import", "-", "--db", target.db, stdin="{oops")
    assert result.returncode == 3
    assert result.stderr.splitlines()[1].startswith("  <stdin>: $: not valid JSON")


def test_a_failed_write_leaves_no_new_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kamcore.cli._import_run as command  # noqa: PLC0415

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(command, "write_records", broken)
    database = tmp_path / "new.db"
    code, out, err = run_main(
        "import", write(tmp_path / "p.json", sample()), "--db", database, "--quiet"
    )
    assert (code, out) == (1, "")
    assert "disk full" in err
    assert sorted(tmp_path.iterdir()) == [tmp_path / "p.json"]


def test_check_creates_nothing_in_an_empty_database(
    target: Target, tmp_path: Path
) -> None:
    if target.kind == "postgresql":  # a server database exists: it stays empty
        assert target.counts() == {}
    code, out, err = run_main(
        "import", write(tmp_path / "p.json", loyal(sample())), "--db", target.db,
        "--check", "--quiet",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        "17 records are valid (2 client groups, 3 clients, 2 products, 2 price "
        "lists, 1 programme, 1 membership, 2 orders, 3 invoices, 1 contract); "
        "nothing was written (--check)\n"
    )
    assert target.counts() == {}
    assert not (target.kind == "sqlite" and Path(target.db).exists())
