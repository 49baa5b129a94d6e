"""Fixtures of the command-line tests: one demo database built per session
(per worker process), and what the demo printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.cli_support import AS_OF, DemoRun, run_main


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo, run in this process into a new file, as of AS_OF."""
    database = tmp_path_factory.mktemp("demo") / "portfolio.db"
    return DemoRun(database, *run_main("demo", "--db", database, "--as-of", AS_OF))


@pytest.fixture(scope="session")
def demo_db(demo_run: DemoRun) -> Path:
    """The demo portfolio as of AS_OF, after the weekly routine ran on it.

    Read-only: tests that write take a copy (``copy_database``).
    """
    assert demo_run.code == 0, demo_run.err
    return demo_run.database
