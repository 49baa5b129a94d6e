"""The conformance suite against the SQL adapter on an SQLite file.

One database file in a temporary directory serves the module: it is created
and upgraded once, and each test starts from it emptied (every kamcore table,
outbox included), which is fresh, empty storage as the suite requires, without
building the schema 400 times. The directory is on a RAM disk where the
machine has one (``/dev/shm``): the suite checks behaviour, not durability,
and each commit's disk flush would otherwise cost more than the test.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kamcore.adapters.sql import (
    SCHEMA_VERSION,
    SqlUnitOfWork,
    create_engine_for,
    upgrade,
)
from kamcore.adapters.sql._tables import build_schema
from kamcore.ports import UnitOfWork
from kamcore.testing.conformance import UnitOfWorkConformance

RAM_DISK = Path("/dev/shm")  # noqa: S108 - a private directory is made inside


@pytest.fixture(scope="module")
def engine() -> Iterator[sa.Engine]:
    folder = tempfile.mkdtemp(
        prefix="kamcore-sqlite-", dir=RAM_DISK if RAM_DISK.is_dir() else None
    )
    engine = create_engine_for(f"sqlite:///{folder}/kamcore.db")
    upgrade(engine)
    yield engine
    engine.dispose()
    shutil.rmtree(folder)


def empty(engine: sa.Engine) -> None:
    """Delete every row of every kamcore table but the migration ledger."""
    schema = build_schema(SCHEMA_VERSION)
    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        for table in schema.metadata.sorted_tables:
            if table is not schema.applied:
                connection.execute(sa.delete(table))
        connection.commit()


class TestSqliteUnitOfWork(UnitOfWorkConformance):
    @pytest.fixture(autouse=True)
    def _engine(self, engine: sa.Engine) -> None:
        self.engine = engine

    def make_unit_of_work_factory(self) -> Callable[[], UnitOfWork]:
        engine = self.engine
        empty(engine)
        return lambda: SqlUnitOfWork(engine)
