"""Helpers for the command-line tests: run ``kamcore``, look into its database.

Most tests run :func:`kamcore.cli.main` in this process (:func:`run_main`): a
new process spends a second or more loading the library. Some run ``python -m
kamcore`` as a user does (:func:`kamcore`): at least one per command, and those
about what only a process shows -- standard input, an output closed early, the
environment it inherits, the commands the demo prints, run by a shell.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from kamcore.adapters.clock import FixedClock
from kamcore.adapters.sql import SqlUnitOfWork, create_engine_for
from kamcore.cli import main

AS_OF = "2026-11-23"
"""The Monday the tests look at the demo portfolio."""

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def kamcore(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kamcore ARGS`` in a new process, as a user would."""
    return subprocess.run(  # noqa: S603 - this interpreter, our own package
        [sys.executable, "-m", "kamcore", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def run_main(*args: str | Path) -> tuple[int, str, str]:
    """Run :func:`kamcore.cli.main` in this process: (exit code, stdout, stderr).

    It reads this process's environment (``KAMCORE_DB``) and working folder:
    a test that depends on them sets them with ``monkeypatch``.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


class DemoRun(NamedTuple):
    """``kamcore demo --db DATABASE``, run once: its exit code and what it printed."""

    database: Path
    code: int
    out: str
    err: str


def row_counts(database: Path) -> dict[str, int]:
    """The number of rows of every table of a SQLite file."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            # Table names come from the database itself, not from input.
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def copy_database(database: Path, folder: Path) -> Path:
    """A copy of a SQLite database file, to change without touching the original."""
    target = folder / database.name
    shutil.copyfile(database, target)
    return target


@contextlib.contextmanager
def open_uow(database: Path) -> Iterator[SqlUnitOfWork]:
    """A unit of work on a SQLite file, the way a host application opens it."""
    engine = create_engine_for(f"sqlite:///{database}")
    try:
        yield SqlUnitOfWork(engine)
    finally:
        engine.dispose()


def clock_at(day: str) -> FixedClock:
    """The clock the command line uses for ``--as-of day``: noon UTC."""
    noon = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=dt.UTC)
    return FixedClock(noon)
