"""Edges of the command line: output closed early, ``KAMCORE_DB``, CSV cells a
spreadsheet would run as formulas."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.cli_support import AS_OF, copy_database, open_uow, run_main
from kamcore.cli import ExitCode
from kamcore.cli._views import spreadsheet_safe
from kamcore.kernel import ClientId


def closed_output(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kamcore ARGS`` with its standard output a pipe whose
    reading end is already closed: every write to it fails, as when the reader
    (``head -1``) has gone."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(  # noqa: S603 - this interpreter, our own package
            [sys.executable, "-m", "kamcore", *map(str, args)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=300,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--as-of", AS_OF),
        ("report", "--as-of", AS_OF, "--format", "csv"),
        ("loyalty", "--as-of", AS_OF),
    ],
    ids=["report", "report-csv", "loyalty"],
)
def test_a_closed_output_ends_the_command_quietly(
    demo_db: Path, args: tuple[str, ...]
) -> None:
    result = closed_output(*args, "--db", demo_db)
    assert (result.returncode, result.stderr) == (ExitCode.CLOSED_OUTPUT, "")


def test_a_long_output_closed_early_ends_quietly() -> None:
    # The schema is larger than a pipe's buffer: the write fails mid-way, not
    # only at the final flush.
    result = closed_output("schema")
    assert (result.returncode, result.stderr) == (141, "")


def test_help_into_a_closed_output_ends_quietly() -> None:
    result = closed_output("report", "--help")
    # argparse itself ignores a failed write of its help (then exits 0) on
    # some Python versions; either way nothing is reported.
    assert result.stderr == ""
    assert result.returncode in (ExitCode.OK, ExitCode.CLOSED_OUTPUT)


def test_report_piped_into_head_prints_its_first_line_only(demo_db: Path) -> None:
    command = (
        f"{sys.executable} -m kamcore report --db '{demo_db}' --as-of {AS_OF} "
        '| head -1; echo "status ${PIPESTATUS[0]}" >&2'
    )
    result = subprocess.run(  # noqa: S603 - a fixed command line of our own
        ["/bin/bash", "-c", command],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert (
        result.stdout
        == "Monday portfolio health check, all key accounts, 23 Nov 2026\n"
    )
    # 0 when the report fitted in the pipe before head left, else 141.
    assert result.stderr in ("status 0\n", "status 141\n")


# -- KAMCORE_DB -----------------------------------------------------------------


def with_environment(
    environment: dict[str, str], *args: str | Path
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kamcore ARGS`` with ``environment`` over this one's,
    and without any ``KAMCORE_DB`` of the caller's."""
    base = {k: v for k, v in os.environ.items() if k != "KAMCORE_DB"}
    return subprocess.run(  # noqa: S603 - this interpreter, our own package
        [sys.executable, "-m", "kamcore", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=base | environment,
    )


def in_environment(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], *args: str | Path
) -> tuple[int, str, str]:
    """:func:`run_main` with ``environment`` over this process's (until the
    test ends), and without any ``KAMCORE_DB`` of the caller's."""
    monkeypatch.delenv("KAMCORE_DB", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return run_main(*args)


def test_kamcore_db_gives_the_database(demo_db: Path) -> None:
    # A process of its own: the variable as the shell exports it.
    _, given, _ = run_main("report", "--db", demo_db, "--as-of", AS_OF)
    result = with_environment({"KAMCORE_DB": str(demo_db)}, "report", "--as-of", AS_OF)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == given
    assert result.stdout.startswith(
        "Monday portfolio health check, all key accounts, 23 Nov 2026\n"
    )


def test_an_explicit_db_wins_over_kamcore_db(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "nowhere.db"
    code, out, err = in_environment(
        monkeypatch,
        {"KAMCORE_DB": str(elsewhere)},
        "loyalty",
        "--db",
        demo_db,
        "--as-of",
        AS_OF,
        "--client",
        "lumen",
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "Lumen Logistics BV (lumen), Valvetta Partner: Member"
    )
    assert not elsewhere.exists()


def test_db_upgrade_creates_the_database_kamcore_db_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "new.db"
    code, out, err = in_environment(
        monkeypatch, {"KAMCORE_DB": str(database)}, "db", "upgrade"
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"sqlite:///{database}: applied migrations 1, ")
    assert database.is_file()


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({}, "kamcore price: no database: give --db URL, or set KAMCORE_DB\n"),
        (
            {"KAMCORE_DB": " "},
            "kamcore price: KAMCORE_DB is empty: set it to a database URL or "
            "give --db URL\n",
        ),
    ],
    ids=["unset", "empty"],
)
def test_no_database_at_all_is_a_usage_error(
    environment: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = in_environment(
        monkeypatch, environment, "price", "acme", "valve-dn50", "1"
    )
    assert result == (ExitCode.USAGE, "", message)


# -- CSV cells a spreadsheet would run ------------------------------------------


def test_csv_text_cells_cannot_start_a_formula(demo_db: Path, tmp_path: Path) -> None:
    database = copy_database(demo_db, tmp_path)
    names = {
        "acme": '=HYPERLINK("http://evil.example","x")',
        "borealis": "@SUM(A1:A9)",
        "lumen": "-2+3",
        "fjord": "+Fjord",
        "helvetia": "\tHelvetia",
    }
    with open_uow(database) as uow, uow:
        for client_id, name in names.items():
            client = uow.clients.get(ClientId(client_id))
            uow.clients.save(attrs.evolve(client, name=name))
        uow.commit()
    code, out, err = run_main(
        "report",
        "--db",
        database,
        "--as-of",
        AS_OF,
        "--format",
        "csv",
        "--table",
        "ranking",
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "rank,client,name,currency,total",
        "1,helvetia,'\tHelvetia,CHF,36948.50",
        '1,acme,"\'=HYPERLINK(""http://evil.example"",""x"")",EUR,85508.10',
        "2,borealis,'@SUM(A1:A9),EUR,43852.23",
        "3,lumen,'-2+3,EUR,35922.40",
        "4,fjord,'+Fjord,EUR,4290.00",
    ]


def test_csv_negative_numbers_stay_numbers(demo_db: Path) -> None:
    code, out, err = run_main(
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
    assert (code, err) == (0, "")
    assert out.splitlines()[2] == "borealis,EUR,3392.43,2222.80,-34.48,true,"


@given(st.text())
def test_a_safe_cell_never_starts_a_formula_and_keeps_its_text(text: str) -> None:
    cell = spreadsheet_safe(text)
    assert isinstance(cell, str)
    assert cell in (text, "'" + text)
    if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert cell == text
        Decimal(cell)  # only a number may: it parses as one
