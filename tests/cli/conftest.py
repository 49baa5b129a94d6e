"""Fixtures of the command-line tests: one demo database built per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.cli_support import AS_OF, run_main


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portfolio as of AS_OF, after the weekly routine ran on it.

    Read-only: tests that write take a copy (``copy_database``).
    """
    database = tmp_path_factory.mktemp("demo") / "portfolio.db"
    code, _, err = run_main("demo", "--db", database, "--as-of", AS_OF)
    assert code == 0, err
    return database
