"""A host project that runs Alembic, with kamcore's branch in its history,
and the databases it runs on.

What a CRM would have: an ``alembic.ini`` naming its own versions directory
and kamcore's, an ``env.py`` whose target metadata is its own (one table,
``deals``) plus kamcore's, and one revision of its own that depends on
kamcore's head. The database URL comes from ``HOST_DATABASE_URL``, as a
host's deployment would give it; ``HOST_KAMCORE_FILTER=1`` makes ``env.py``
leave kamcore's tables out of autogenerate (``include_object``) and target
the host's metadata only.

The databases: a SQLite file, or a PostgreSQL schema of its own on the server
at ``KAMCORE_TEST_POSTGRES_URL`` (else the default of
``tests/conformance/test_postgres_adapter.py``); without a server, the
PostgreSQL cases are skipped, unless ``KAMCORE_REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.config import Config
from sql_support import private_folder, sqlite_url

from kamcore.adapters.sql import (
    SCHEMA_VERSION,
    create_engine_for,
    schema_version,
    upgrade,
)
from kamcore.adapters.sql.alembic import revision_id

URL_VARIABLE = "HOST_DATABASE_URL"

ALEMBIC_INI = """\
[alembic]
script_location = %(here)s/migrations
version_locations =
    %(here)s/migrations/versions
    kamcore.adapters.sql.alembic:versions
path_separator = newline
"""

ENV_PY = """\
import os

import sqlalchemy as sa
from alembic import context

from kamcore.adapters.sql import alembic as kamcore_alembic

crm_metadata = sa.MetaData()
sa.Table(
    "deals",
    crm_metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("client", sa.String(), nullable=False),
    sa.Column("title", sa.Text(), nullable=False),
)

if os.environ.get("HOST_KAMCORE_FILTER") == "1":
    options = {
        "target_metadata": crm_metadata,
        "include_object": kamcore_alembic.include_object,
    }
else:
    options = {"target_metadata": [crm_metadata, kamcore_alembic.metadata()]}

engine = sa.create_engine(os.environ["HOST_DATABASE_URL"], poolclass=sa.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, **options)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
"""

HOST_REVISION = """\
\"\"\"crm: deals, each of a kamcore client\"\"\"

import sqlalchemy as sa
from alembic import op

revision = "crm_0001"
down_revision = None
branch_labels = ("crm",)
depends_on = {depends_on!r}


def upgrade():
    op.create_table(
        "deals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
    )


def downgrade():
    op.drop_table("deals")
"""

SCRIPT_MAKO = '''\
"""${message}"""

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''


def write_host_project(folder: Path, *, with_revision: bool = True) -> Path:
    """Write the host project into ``folder``; return its ``alembic.ini``."""
    versions = folder / "migrations" / "versions"
    versions.mkdir(parents=True)
    (folder / "alembic.ini").write_text(ALEMBIC_INI)
    (folder / "migrations" / "env.py").write_text(ENV_PY)
    (folder / "migrations" / "script.py.mako").write_text(SCRIPT_MAKO)
    if with_revision:
        depends_on = revision_id(SCHEMA_VERSION)
        (versions / "crm_0001_deals.py").write_text(
            HOST_REVISION.format(depends_on=depends_on)
        )
    return folder / "alembic.ini"


def host_config(ini: Path) -> Config:
    """The host's configuration, for Alembic's command API in this process."""
    return Config(str(ini))


def run_alembic(
    ini: Path, url: str, *arguments: str
) -> subprocess.CompletedProcess[str]:
    """``python -m alembic -c ini ...`` in a new process, on database ``url``."""
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "alembic", "-c", str(ini), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=os.environ | {URL_VARIABLE: url},
        cwd=ini.parent,
    )


def alembic_url(url: str, *, search_path: str | None = None) -> str:
    """``url`` as a plain SQLAlchemy engine (the host's) takes it: psycopg 3
    for PostgreSQL, working in schema ``search_path`` if given."""
    parsed = sa.make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if search_path is not None:
        parsed = parsed.update_query_dict({"options": f"-csearch_path={search_path}"})
    return parsed.render_as_string(hide_password=False)


POSTGRES_URL = os.environ.get(
    "KAMCORE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_REQUIRED = os.environ.get("KAMCORE_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgresql"]
HOST_TABLES = ("alembic_version", "deals")


@functools.cache
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or ``None`` if it can (asked once)."""
    engine = create_engine_for(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except sa.exc.DBAPIError as error:
        return f"no PostgreSQL server answers at {POSTGRES_URL}: {error.orig}"
    finally:
        engine.dispose()


@contextmanager
def fresh_database(backend: str) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, or a PostgreSQL schema of
    its own (dropped at the end)."""
    if backend == "sqlite":
        with private_folder() as folder:
            yield sqlite_url(folder, "crm.db")
        return
    problem = postgres_problem()
    if problem is not None:
        if POSTGRES_REQUIRED:
            pytest.fail(f"KAMCORE_REQUIRE_POSTGRES=1, but {problem}", pytrace=False)
        pytest.skip(f"PostgreSQL case skipped: {problem}")
    name = f"kamcore_alembic_{uuid.uuid4().hex[:12]}"
    admin = create_engine_for(POSTGRES_URL)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        connection.commit()
    try:
        yield alembic_url(POSTGRES_URL, search_path=name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
            connection.commit()
        admin.dispose()


@contextmanager
def connected(url: str) -> Iterator[sa.Connection]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with connected(url) as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


def kamcore_upgrade(url: str, *, to: int | None = None) -> tuple[int, ...]:
    """kamcore's own migrator on ``url``."""
    engine = create_engine_for(url)
    try:
        return upgrade(engine, to=to)
    finally:
        engine.dispose()


def version_of(url: str) -> int:
    engine = create_engine_for(url)
    try:
        return schema_version(engine)
    finally:
        engine.dispose()


def ledger(url: str) -> list[tuple[Any, ...]]:
    return rows(url, "SELECT version, description FROM kamcore_schema ORDER BY 1")


def kamcore_layout(url: str) -> dict[str, Any]:
    """kamcore's tables as the database has them: columns, keys and indexes."""
    with connected(url) as connection:
        inspector = sa.inspect(connection)
        return {
            table: (
                [
                    (c["name"], str(c["type"]), c["nullable"], c["default"])
                    for c in inspector.get_columns(table)
                ],
                inspector.get_pk_constraint(table)["constrained_columns"],
                sorted(
                    (
                        i["name"],
                        tuple(i["column_names"]),
                        i["unique"],
                        sorted(
                            (option, str(value))
                            for option, value in i.get("dialect_options", {}).items()
                        ),
                    )
                    for i in inspector.get_indexes(table)
                ),
                sorted(
                    tuple(u["column_names"])
                    for u in inspector.get_unique_constraints(table)
                ),
            )
            for table in sorted(inspector.get_table_names())
            if table not in HOST_TABLES
        }
