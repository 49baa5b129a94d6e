"""Commands that only read work on a read-only SQLite file, and write nothing;
a command that writes says the database is read-only (status 5).

The file is ``chmod 444`` in a ``chmod 555`` folder. As root the system would
still allow writes: kamcore opens the file with SQLite's read-only mode, and
the tests check that the file and its folder are byte for byte as they were,
so they prove no write was attempted whoever runs them.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.cli_support import AS_OF, copy_database, row_counts, run_main
from kamcore.cli import ExitCode


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` with the SHA-256 of its bytes."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
    }


@pytest.fixture
def read_only_db(demo_db: Path, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "read-only"
    folder.mkdir()
    database = copy_database(demo_db, folder)
    database.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(0o555)
    before = snapshot(folder)
    yield database
    assert snapshot(folder) == before  # nothing written, nothing created
    folder.chmod(0o755)  # so that pytest can clean up


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (
            ("report", "--as-of", AS_OF),
            "Monday portfolio health check, all key accounts, 23 Nov 2026",
        ),
        (
            ("report", "--as-of", AS_OF, "--format", "csv", "--table", "decline"),
            "client,currency,previous,last,change,alarm,reason",
        ),
        (
            ("loyalty", "--as-of", AS_OF, "--client", "lumen"),
            "Lumen Logistics BV (lumen), Valvetta Partner: Member",
        ),
        (
            (
                "price",
                "borealis",
                "valve-dn50",
                "60",
                "--on",
                AS_OF,
                "--locale",
                "en_GB",
            ),
            "Borealis Energi AB (borealis) pays €43.008 per unit of valve-dn50 for "
            "60 on 23 Nov 2026 (line total €2,580.48)",
        ),
        (
            ("renewals", "--check", "--as-of", AS_OF),
            "Check only: nothing was stored.",
        ),
    ],
    ids=["report", "report-csv", "loyalty", "price", "renewals-check"],
)
def test_a_reading_command_works_on_a_read_only_file(
    read_only_db: Path, args: tuple[str, ...], first_line: str
) -> None:
    code, out, err = run_main(*args, "--db", read_only_db)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == first_line


def test_the_schema_needs_no_database() -> None:
    code, out, err = run_main("schema")
    assert (code, err) == (0, "")
    assert out.startswith("{\n")


def test_renewals_says_the_database_is_read_only(read_only_db: Path) -> None:
    code, out, err = run_main("renewals", "--as-of", "2027-01-25", "--db", read_only_db)
    assert (code, out) == (ExitCode.STORAGE, "")
    assert err.splitlines() == [
        f"kamcore renewals: sqlite:///{read_only_db} is read-only, and this "
        "command writes to it",
        "  `kamcore renewals` stores the alerts it raises and the contracts it "
        "renews; `kamcore renewals --check` shows what it would do without writing",
    ]


def test_renewals_check_shows_the_run_and_stores_nothing(
    demo_db: Path, tmp_path: Path
) -> None:
    (tmp_path / "checked").mkdir()
    (tmp_path / "ran").mkdir()
    checked = copy_database(demo_db, tmp_path / "checked")
    ran = copy_database(demo_db, tmp_path / "ran")
    before = row_counts(checked)
    code, checked_out, err = run_main(
        "renewals", "--check", "--as-of", "2027-01-25", "--db", checked
    )
    ran_code, ran_out, _ = run_main("renewals", "--as-of", "2027-01-25", "--db", ran)
    assert (code, err, ran_code) == (0, "", 0)
    assert checked_out.splitlines() == [
        "Check only: nothing was stored.",
        *ran_out.splitlines(),
    ]
    assert checked_out.splitlines()[1] == (
        "Renewal scheduler, 25 Jan 2027: 1 alert raised"
    )
    assert row_counts(checked) == before
    assert row_counts(ran) != before
