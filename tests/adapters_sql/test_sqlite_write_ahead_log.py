"""Opening one new SQLite file from two processes at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sql_support import sqlite_engine

from kamcore.adapters.sql._engine import _use_write_ahead_log


class BusyThenFree:
    """A cursor whose switch to WAL finds the file locked ``busy`` times."""

    def __init__(self, busy: int, timeout_ms: int) -> None:
        self.busy = busy
        self.timeout_ms = timeout_ms
        self.switches = 0

    def execute(self, sql: str) -> BusyThenFree:
        if sql == "PRAGMA journal_mode=WAL":
            self.switches += 1
            if self.switches <= self.busy:
                raise sqlite3.OperationalError("database is locked")
        return self

    def fetchone(self) -> tuple[int]:
        return (self.timeout_ms,)


def test_the_switch_is_retried_while_another_opener_holds_the_file() -> None:
    cursor = BusyThenFree(busy=3, timeout_ms=5_000)
    _use_write_ahead_log(cursor)
    assert cursor.switches == 4


def test_the_lock_error_comes_through_once_the_busy_timeout_has_passed() -> None:
    cursor = BusyThenFree(busy=1_000_000, timeout_ms=0)
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        _use_write_ahead_log(cursor)
    assert cursor.switches == 1


def test_other_errors_are_not_retried() -> None:
    class Broken(BusyThenFree):
        def execute(self, sql: str) -> BusyThenFree:
            if sql == "PRAGMA journal_mode=WAL":
                self.switches += 1
                raise sqlite3.OperationalError("disk I/O error")
            return self

    cursor = Broken(busy=0, timeout_ms=5_000)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        _use_write_ahead_log(cursor)
    assert cursor.switches == 1


def test_a_database_file_is_in_write_ahead_log_mode(tmp_path: Path) -> None:
    with sqlite_engine(tmp_path) as engine, engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode == "wal"
