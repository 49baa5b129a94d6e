"""A host project that runs Alembic, with kamcore's branch in its history.

What a CRM would have: an ``alembic.ini`` naming its own versions directory
and kamcore's, an ``env.py`` whose target metadata is its own (one table,
``deals``) plus kamcore's, and one revision of its own that depends on
kamcore's head. The database URL comes from ``HOST_DATABASE_URL``, as a
host's deployment would give it; ``HOST_KAMCORE_FILTER=1`` makes ``env.py``
leave kamcore's tables out of autogenerate (``include_object``) and target
the host's metadata only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config

from kamcore.adapters.sql import SCHEMA_VERSION
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


__all__ = [
    "URL_VARIABLE",
    "alembic_url",
    "host_config",
    "run_alembic",
    "write_host_project",
]
