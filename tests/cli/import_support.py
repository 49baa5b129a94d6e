"""Helpers of the import tests: each database kind as a target, sample records.

A :class:`Target` is where an import goes: a new SQLite file, or a new schema
of the PostgreSQL database ``KAMCORE_TEST_POSTGRES_URL`` names, dropped after
the test (the ``postgresql`` cases skip without the variable). A schema of its
own per test, named in the URL, lets tests run side by side (``pytest -n``).
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from cli.cli_support import EXAMPLES, row_counts
from kamcore.adapters.sql import SqlUnitOfWork, create_engine_for

POSTGRES_URL = os.environ.get("KAMCORE_TEST_POSTGRES_URL")
TARGETS = ("sqlite", "postgresql")


@attrs.frozen
class Target:
    """A database to import into: its ``--db`` argument and a way to look in."""

    kind: str
    db: str

    def counts(self) -> dict[str, int]:
        """The rows of every kamcore table (none when there is no database)."""
        if self.kind == "sqlite":
            return row_counts(Path(self.db)) if Path(self.db).exists() else {}
        import sqlalchemy as sa  # noqa: PLC0415 - the sql extra is installed

        engine = create_engine_for(self.db)
        try:
            with engine.connect() as connection:
                tables = sa.inspect(connection).get_table_names()
                return {
                    table: connection.execute(
                        sa.select(sa.func.count()).select_from(sa.table(table))
                    ).scalar_one()
                    for table in sorted(tables)
                }
        finally:
            engine.dispose()

    @contextlib.contextmanager
    def uow(self) -> Iterator[SqlUnitOfWork]:
        """A unit of work on the database."""
        url = f"sqlite:///{self.db}" if self.kind == "sqlite" else self.db
        engine = create_engine_for(url)
        try:
            yield SqlUnitOfWork(engine)
        finally:
            engine.dispose()


@contextlib.contextmanager
def _postgres_schema(url: str) -> Iterator[str]:
    """A new, empty schema, and the URL of the database with that schema first
    on the search path of its connections; dropped with all it holds at the end."""
    import sqlalchemy as sa  # noqa: PLC0415

    name = f"kamcore_cli_{uuid.uuid4().hex[:12]}"
    in_schema = sa.make_url(url).update_query_dict({"options": f"-csearch_path={name}"})
    engine = create_engine_for(url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        try:
            yield in_schema.render_as_string(hide_password=False)
        finally:
            with engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
    finally:
        engine.dispose()


@pytest.fixture(params=TARGETS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    """Each database kind, empty: a new SQLite file or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield Target("sqlite", str(tmp_path / "portfolio.db"))
        return
    if POSTGRES_URL is None:
        pytest.skip("set KAMCORE_TEST_POSTGRES_URL to import into PostgreSQL")
    with _postgres_schema(POSTGRES_URL) as url:
        yield Target("postgresql", url)


def sample() -> dict[str, Any]:
    """The sample portfolio of docs/examples, as a document to change."""
    document: dict[str, Any] = json.loads(
        (EXAMPLES / "portfolio.json").read_text(encoding="utf-8")
    )
    return document


def write(path: Path, document: object) -> Path:
    """``document`` as a JSON file at ``path``."""
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


PROGRAMME: dict[str, Any] = {
    "id": "partner",
    "name": "Partner programme",
    "currency": "EUR",
    "earn": {"points_per_unit": "1"},
    "tiers": [
        {
            "code": "member",
            "name": "Member",
            "threshold": {"amount": "0", "currency": "EUR"},
            "benefits": {"description": "points on every invoice"},
        }
    ],
    "window": "rolling_12_months",
    "expiry": {"years": 2},
    "redemption_rate": {"amount": "0.01", "currency": "EUR"},
}
"""A loyalty programme in EUR: a point per euro, one tier."""


def loyal(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with the programme, and ACME (client 0) a member of it."""
    changed = copy.deepcopy(document)
    changed["programmes"] = [copy.deepcopy(PROGRAMME)]
    changed["memberships"] = [
        {
            "id": "ms-acme",
            "client": "acme",
            "programme": "partner",
            "enrolled_on": "2026-01-01",
        }
    ]
    changed["clients"][0]["membership"] = "ms-acme"
    return changed


def earn_entry(number: int, invoice: str, points: str, on: str) -> dict[str, Any]:
    """A ledger entry earning ``points`` on line 0 of ``invoice``."""
    return {
        "number": number,
        "key": f"earn:invoice:{invoice}:line:0",
        "kind": "earn",
        "points": points,
        "on": on,
        "recorded_at": f"{on}T12:00:00+00:00",
        "source": {"kind": "invoice", "id": invoice, "line": 0},
        "exact": points,
        "spend": {"amount": points, "currency": "EUR"},
        "expires_on": "2030-01-01",
        "base": points,
    }
