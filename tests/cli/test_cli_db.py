"""``kamcore db upgrade`` and what every command does with a database not ready."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from cli.cli_support import kamcore, run_main
from kamcore.adapters.sql import MIGRATIONS, SCHEMA_VERSION

APPLIED = ", ".join(str(migration.version) for migration in MIGRATIONS)


def test_upgrade_creates_the_schema_then_has_nothing_to_do(tmp_path: Path) -> None:
    database = tmp_path / "new.db"
    result = kamcore("db", "upgrade", "--db", database)
    assert (result.returncode, result.stdout) == (
        0,
        f"sqlite:///{database}: applied migrations {APPLIED}; "
        f"schema version {SCHEMA_VERSION}\n",
    )
    assert run_main("db", "upgrade", "--db", f"sqlite:///{database}") == (
        0,
        f"sqlite:///{database}: up to date (schema version {SCHEMA_VERSION})\n",
        "",
    )


def test_a_missing_database_is_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    assert run_main("report", "--db", missing) == (
        4,
        "",
        f"kamcore report: no database at {missing}: create one with `kamcore "
        "import` or `kamcore db upgrade`\n",
    )
    assert not missing.exists()


def test_a_database_without_kamcore_tables_asks_for_an_upgrade(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert run_main("renewals", "--db", empty) == (
        5,
        "",
        f"kamcore renewals: sqlite:///{empty} is at schema version 0, this kamcore "
        f"uses version {SCHEMA_VERSION}\n  run `kamcore db upgrade --db {empty}` "
        "first\n",
    )


def test_an_unsupported_database_url_is_a_usage_error() -> None:
    code, _, err = run_main("loyalty", "--db", "mysql://kam@db/crm")
    assert code == 2
    assert err == (
        "kamcore loyalty: --db mysql://kam@db/crm: unsupported database 'mysql': "
        "kamcore's SQL adapters support sqlite and postgresql\n"
    )


def test_db_without_an_action_shows_its_help() -> None:
    code, out, err = run_main("db")
    assert (code, out) == (2, "")
    assert err.startswith("usage: kamcore db [-h] ACTION ...")


def test_a_database_from_a_newer_kamcore_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "newer.db"
    assert run_main("db", "upgrade", "--db", database)[0] == 0
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        connection.execute(
            "INSERT INTO kamcore_schema (version, description, applied_at) "
            "VALUES (99, 'from the future', '2030-01-01T00:00:00+00:00')"
        )
    code, _, err = run_main("loyalty", "--db", database)
    assert code == 5
    assert err.splitlines()[1] == (
        "  the database was upgraded by a newer kamcore: install that version"
    )


def test_an_unreachable_server_is_a_storage_error() -> None:
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    code, _, err = run_main("report", "--db", "postgresql://kam:secret@127.0.0.1:1/crm")
    assert code == 5
    assert err.startswith(
        "kamcore report: database error on postgresql://kam:***@127.0.0.1:1/crm: "
    )


def test_a_new_file_needs_an_existing_folder(tmp_path: Path) -> None:
    code, _, err = run_main("db", "upgrade", "--db", tmp_path / "no" / "such.db")
    assert (code, err) == (
        4,
        f"kamcore db upgrade: cannot create a database in {tmp_path / 'no'}: "
        "no such directory\n",
    )


def test_a_url_sqlalchemy_cannot_load_is_a_usage_error() -> None:
    code, _, err = run_main("report", "--db", "sqlite+nowhere:///x.db")
    assert code == 2
    assert err.startswith("kamcore report: --db sqlite+nowhere:///x.db: ")
