"""Helpers of the SQL adapter's own tests: fresh SQLite files, quickly.

The files live on a RAM disk where the machine has one (``/dev/shm``): these
tests check behaviour, and each commit's flush to a real disk would cost more
than the test itself. Durability is SQLite's own business.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from kamcore.adapters.sql import create_engine_for

RAM_DISK = Path("/dev/shm")  # noqa: S108 - a private directory is made inside


@contextmanager
def private_folder() -> Iterator[Path]:
    """A private temporary directory, on the RAM disk if there is one."""
    path = Path(
        tempfile.mkdtemp(
            prefix="kamcore-sql-", dir=RAM_DISK if RAM_DISK.is_dir() else None
        )
    )
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sqlite_url(folder: Path, name: str = "kamcore.db") -> str:
    """The URL of database file ``name`` in ``folder``."""
    return f"sqlite:///{folder / name}"


@contextmanager
def sqlite_engine(folder: Path, name: str = "kamcore.db") -> Iterator[sa.Engine]:
    """An engine on database file ``name`` in ``folder``, disposed at the end."""
    engine = create_engine_for(sqlite_url(folder, name))
    try:
        yield engine
    finally:
        engine.dispose()
