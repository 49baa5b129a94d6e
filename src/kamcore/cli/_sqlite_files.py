"""SQLite files opened for reading only, and telling a read-only file apart.

A command that only reads (``report``, ``price``, ``loyalty``,
``renewals --check``) opens a SQLite file with SQLite's ``mode=ro``: it can
read a file it may not write (``chmod 444``, a read-only mount), and cannot
write by mistake. A file nobody may write (no write permission bit at all), or
one that ``mode=ro`` cannot open because its directory is read-only and the
file's write-ahead-log index does not exist, is opened ``immutable``: SQLite
then takes no locks and creates no ``-wal``/``-shm`` file beside it.
"""

from __future__ import annotations

import stat
import urllib.parse
from pathlib import Path

__all__ = ["is_read_only_error", "no_one_may_write", "read_only_url"]

_READ_ONLY_MESSAGES = (
    "attempt to write a readonly database",
    "readonly database",
    "read-only file system",
)


def read_only_url(file: Path, *, immutable: bool) -> str:
    """The SQLAlchemy URL that opens ``file`` read-only (an SQLite URI)."""
    path = urllib.parse.quote(str(file.resolve()))
    options = "mode=ro&immutable=1" if immutable else "mode=ro"
    return f"sqlite:///file:{path}?{options}&uri=true"


def no_one_may_write(file: Path) -> bool:
    """Whether ``file`` has no write permission bit, for anyone."""
    return not file.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def is_read_only_error(error: BaseException) -> bool:
    """Whether a database error says the database cannot be written."""
    text = str(error).lower()
    return any(message in text for message in _READ_ONLY_MESSAGES)
