"""What a host's Alembic environment needs from kamcore: where its revisions
are, what they are called, and kamcore's tables for autogenerate."""

from __future__ import annotations

import functools
from pathlib import Path

import sqlalchemy as sa

from kamcore.adapters.sql._migrations import SCHEMA_VERSION
from kamcore.adapters.sql._tables import build_schema
from kamcore.errors import KamcoreError, ValidationError

__all__ = [
    "BRANCH_LABEL",
    "VERSION_LOCATION",
    "OfflineMigrationError",
    "include_object",
    "metadata",
    "revision_id",
    "versions_directory",
]

BRANCH_LABEL = "kamcore"
"""The branch label of kamcore's revisions: ``kamcore@head`` is its newest."""

VERSION_LOCATION = "kamcore.adapters.sql.alembic:versions"
"""kamcore's revisions as a ``version_locations`` entry of ``alembic.ini``
(Alembic reads ``package:directory`` as a directory inside a package)."""


class OfflineMigrationError(KamcoreError, RuntimeError):
    """kamcore's revisions were run in Alembic's offline (``--sql``) mode.

    kamcore's migrations read the stored rows (to back-fill query columns and
    rewrite documents) and its ledger, so they run against a database only.

    Attributes:
        version: The kamcore migration that was asked for.
    """

    def __init__(self, version: int) -> None:
        self.version = version
        super().__init__(
            f"kamcore migration {version} cannot be written out as SQL: kamcore's "
            "migrations read the stored rows; run `alembic upgrade` against the "
            "database instead of with --sql"
        )


def versions_directory() -> Path:
    """The directory of kamcore's Alembic revision scripts, inside the package.

    For a host that builds its Alembic configuration in code rather than
    naming :data:`VERSION_LOCATION` in ``alembic.ini``.

    Example:
        >>> from kamcore.adapters.sql.alembic import versions_directory
        >>> sorted(p.name for p in versions_directory().glob("*.py"))[0]
        'kamcore_0001_tables.py'
    """
    return Path(__file__).with_name("versions")


def revision_id(version: int) -> str:
    """The Alembic revision that applies kamcore's migration ``version``.

    A host revision that needs kamcore's tables lists kamcore's newest
    revision at the time it is written in its ``depends_on``
    (``alembic revision --depends-on kamcore@head`` writes it there).

    Raises:
        ValidationError: ``version`` is not one of this kamcore's migrations.

    Example:
        >>> from kamcore.adapters.sql.alembic import revision_id
        >>> revision_id(1)
        'kamcore_0001'
    """
    if not 1 <= version <= SCHEMA_VERSION:
        raise ValidationError.single(
            "revision_id", "version", f"expected 1 to {SCHEMA_VERSION}", version
        )
    return f"kamcore_{version:04d}"


def metadata() -> sa.MetaData:
    """kamcore's tables at :data:`~kamcore.adapters.sql.SCHEMA_VERSION`.

    The tables kamcore's revisions create, from the same declarations, for
    the host's ``target_metadata`` next to its own:
    ``target_metadata = [host_metadata, metadata()]``. Autogenerate then
    neither drops kamcore's tables nor creates them again, and ``alembic
    check`` finds them as declared once ``alembic upgrade heads`` has run.
    The same object is returned on every call; do not add tables to it.

    Example:
        >>> from kamcore.adapters.sql.alembic import metadata
        >>> "kamcore_schema" in metadata().tables, "invoices" in metadata().tables
        (True, True)
    """
    return build_schema(SCHEMA_VERSION).metadata


@functools.cache
def _kamcore_tables() -> frozenset[str]:
    return frozenset(metadata().tables)


def include_object(
    object: sa.schema.SchemaItem,  # noqa: A002 - the name Alembic passes it by
    name: str | None,
    type_: str,
    reflected: bool,
    compare_to: sa.schema.SchemaItem | None,
) -> bool:
    """An ``include_object`` filter that leaves kamcore's tables out of autogenerate.

    ``False`` for kamcore's tables and everything on them (columns, indexes,
    constraints), found in the database or in the metadata; ``True`` for the
    rest. Give it to ``context.configure(include_object=...)`` when the
    host's autogenerate should not look at kamcore's tables at all: with
    only the host's metadata as target, it then does not drop them. To
    combine it with a filter of the host's own::

        def include(object, name, type_, reflected, compare_to):
            return kamcore_alembic.include_object(
                object, name, type_, reflected, compare_to
            ) and host_filter(object, name, type_, reflected, compare_to)

    Example:
        >>> from kamcore.adapters.sql.alembic import include_object, metadata
        >>> invoices = metadata().tables["invoices"]
        >>> include_object(invoices, "invoices", "table", False, None)
        False
        >>> include_object(invoices.c.status, "status", "column", False, None)
        False
    """
    table = name if type_ == "table" else getattr(object, "table", None)
    if isinstance(table, sa.Table):
        table = table.name
    return table not in _kamcore_tables()
