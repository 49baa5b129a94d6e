"""Versioned migrations: the schema is created and upgraded by the library.

The ``kamcore_schema`` table records every migration applied (version,
description, time). Migration *n* turns the tables of version *n - 1* into
those of version *n*, as :func:`~kamcore.adapters.sql._tables.build_schema`
declares them: it creates the tables and side tables that version introduces,
adds its new columns and indexes, and fills the new columns of existing rows
from their documents (every query column is computed from the aggregate, so
any of them can be back-filled). A migration may rewrite stored documents
into a new shape (``rewrites``, run before the back-fill, which reads the
rewritten documents) and add a step of its own (``step``) for anything else.
A back-fill reads documents with the aggregate classes of this kamcore, so the
rewrites of the later migrations are applied to what it reads (in memory
only: each migration still rewrites the stored documents itself).
Each migration runs in one transaction, together with its ledger row: a
failure leaves the database at the previous version.

:func:`apply_migration` is the one way a migration is applied, in a
transaction its caller controls: :func:`upgrade` (kamcore's own migrator) and
kamcore's Alembic revisions (:mod:`kamcore.adapters.sql.alembic`) both call
it, so the two paths build the same schema from the same declarations. The
document rewrites live in :mod:`~kamcore.adapters.sql._rewrites`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import sqlalchemy as sa

from kamcore.adapters.sql._engine import begin_write
from kamcore.adapters.sql._repository import load_row
from kamcore.adapters.sql._rewrites import (
    BATCH,
    Rewrite,
    dated_cancellation,
    dated_closure,
    rewrite_documents,
    rewritten,
    with_override_history,
)
from kamcore.adapters.sql._tables import (
    KIND_TABLES,
    KindTable,
    Schema,
    build_schema,
    column_value,
)
from kamcore.errors import KamcoreError

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "Rewrite",
    "SchemaVersionError",
    "apply_migration",
    "ensure_ledger",
    "require_current",
    "schema_version",
    "upgrade",
]


class SchemaVersionError(KamcoreError, RuntimeError):
    """The database's kamcore schema is not the version this kamcore uses.

    Attributes:
        found: The database's schema version (0: no kamcore tables).
        expected: The version wanted (this kamcore's, or the upgrade target).
    """

    def __init__(self, found: int, expected: int, detail: str) -> None:
        self.found = found
        self.expected = expected
        super().__init__(
            f"kamcore schema version {found} found, {expected} wanted: {detail}"
        )


@attrs.frozen
class Migration:
    """One step of the schema's history.

    Attributes:
        version: The schema version it produces (1, 2, ...).
        description: What it changes, as recorded in ``kamcore_schema``.
        step: A step of its own, run after the declared changes in the same
            transaction, or ``None``.
        rewrites: ``(table, rewrite)`` pairs: the documents of ``table`` are
            rewritten into the shape of this version, after its columns are
            added and before they are back-filled.
    """

    version: int
    description: str
    step: Callable[[sa.Connection], None] | None = None
    rewrites: tuple[tuple[str, Rewrite], ...] = ()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "a table per aggregate kind: id, version, JSON document, query columns "
        "and their indexes",
    ),
    Migration(
        2,
        "invoices.settled_from, back-filled: outstanding invoices are found in SQL",
    ),
    Migration(3, "the notification outbox"),
    Migration(
        4,
        "memberships keep a history of tier overrides: override becomes "
        "overrides, set_on = starts_on",
        rewrites=(("memberships", with_override_history),),
    ),
    Migration(
        5,
        "dated cancellations: invoices.cancelled_on and orders.closed_on, "
        "= issue_date / order_date for those stored cancelled or closed",
        rewrites=(("invoices", dated_cancellation), ("orders", dated_closure)),
    ),
)
"""Every migration, oldest first."""

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The schema version this kamcore reads and writes: the last migration's."""


def _ledger() -> sa.Table:
    return build_schema(0).applied


def _read_version(connection: sa.Connection) -> int:
    if not sa.inspect(connection).has_table("kamcore_schema"):
        return 0
    applied = _ledger()
    found = connection.execute(sa.select(sa.func.max(applied.c.version))).scalar()
    return int(found or 0)


def schema_version(engine: sa.Engine) -> int:
    """The kamcore schema version of the database (0 if it has no kamcore tables)."""
    with engine.connect() as connection:
        return _read_version(connection)


def require_current(connection: sa.Connection) -> None:
    """Check the database is at :data:`SCHEMA_VERSION`.

    Raises:
        SchemaVersionError: if it is older (call :func:`upgrade`) or newer (the
            database was written by a newer kamcore).
    """
    found = _read_version(connection)
    if found < SCHEMA_VERSION:
        raise SchemaVersionError(
            found,
            SCHEMA_VERSION,
            "upgrade the database first: kamcore.adapters.sql.upgrade(engine)",
        )
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(
            found,
            SCHEMA_VERSION,
            "the database was upgraded by a newer kamcore; install that version",
        )


def upgrade(engine: sa.Engine, *, to: int | None = None) -> tuple[int, ...]:
    """Create kamcore's tables, or bring them up to date, keeping every row.

    Applies each migration the database lacks, in order, each in its own
    transaction with its ledger row. Safe to run at every start-up and from
    several processes at once: each migration takes the database's write lock
    (SQLite) or a lock on ``kamcore_schema`` (PostgreSQL) and re-reads the
    version under it.

    Args:
        engine: The database, as :func:`create_engine_for` makes it.
        to: The version to stop at (default: :data:`SCHEMA_VERSION`).

    Returns:
        The versions applied now, oldest first (empty if already up to date).

    Raises:
        SchemaVersionError: if the database is newer than ``to`` (there are no
            downgrades) or ``to`` is not a known version.
        ValidationError: if a stored row that a migration back-fills is
            malformed; that migration is rolled back.
    """
    target = SCHEMA_VERSION if to is None else to
    if not 0 <= target <= SCHEMA_VERSION:
        raise SchemaVersionError(
            schema_version(engine), target, f"known versions are 0 to {SCHEMA_VERSION}"
        )
    applied: list[int] = []
    with engine.connect() as connection:
        begin_write(connection)
        ensure_ledger(connection)
        connection.commit()
        for migration in MIGRATIONS[:target]:
            if _apply(connection, migration.version):
                applied.append(migration.version)
        found = _read_version(connection)
        connection.rollback()
    if found > target:
        raise SchemaVersionError(found, target, "kamcore does not downgrade databases")
    return tuple(applied)


def _apply(connection: sa.Connection, version: int) -> bool:
    """Apply migration ``version`` in a transaction of its own, unless the
    database has it; return whether it ran."""
    try:
        ran = apply_migration(connection, version)
    except BaseException:
        connection.rollback()
        raise
    if ran:
        connection.commit()
    else:
        connection.rollback()
    return ran


def ensure_ledger(connection: sa.Connection) -> None:
    """Create the ledger, ``kamcore_schema``, unless the database has it.

    Runs in ``connection``'s transaction; the caller commits it.
    """
    connection.execute(sa.schema.CreateTable(_ledger(), if_not_exists=True))


def apply_migration(connection: sa.Connection, version: int) -> bool:
    """Apply migration ``version`` in ``connection``'s transaction, with its ledger row.

    The one way a migration is applied: :func:`upgrade` calls it in a
    transaction per migration, kamcore's Alembic revisions in the transaction
    Alembic runs them in. The caller owns the transaction and commits it, or
    rolls it back on an error; nothing here commits. The ledger must exist
    (:func:`ensure_ledger`).

    The migration first takes the database's write lock (SQLite: ``BEGIN
    IMMEDIATE``, unless the transaction has begun already) or a lock on
    ``kamcore_schema`` (PostgreSQL, held until the transaction ends), and
    re-reads the version under it: a migration the ledger has already is
    skipped, so two upgraders, or an upgrade by :func:`upgrade` and one by
    Alembic, never apply it twice.

    Args:
        connection: A connection to the database, in the caller's transaction.
        version: The migration to apply (1 to :data:`SCHEMA_VERSION`).

    Returns:
        Whether it was applied (``False``: the ledger had it already).

    Raises:
        SchemaVersionError: ``version`` is not a known migration, or the
            database lacks the version before it.
        ValidationError: a stored row that the migration rewrites or
            back-fills is malformed.
    """
    begin_write(connection)
    if connection.dialect.name == "postgresql":
        # Self-exclusive: a second upgrade waits here, then sees the new version.
        connection.exec_driver_sql(
            "LOCK TABLE kamcore_schema IN SHARE ROW EXCLUSIVE MODE"
        )
    found = _read_version(connection)
    if not 1 <= version <= len(MIGRATIONS):
        raise SchemaVersionError(
            found, version, f"known migrations are 1 to {len(MIGRATIONS)}"
        )
    if found >= version:
        return False
    if found < version - 1:
        raise SchemaVersionError(
            found,
            version,
            f"migration {version} applies to version {version - 1}: apply the "
            "migrations before it first",
        )
    migration = MIGRATIONS[version - 1]
    _apply_declared(connection, migration)
    if migration.step is not None:
        migration.step(connection)
    connection.execute(
        sa.insert(_ledger()).values(
            version=migration.version, description=migration.description
        )
    )
    return True


def _apply_declared(connection: sa.Connection, migration: Migration) -> None:
    version = migration.version
    before, after = build_schema(version - 1), build_schema(version)
    existing = before.metadata.tables
    for name, table in after.metadata.tables.items():
        if name not in existing:
            table.create(connection)
            continue
        old = existing[name]
        for column in table.columns:
            if column.name not in old.c:
                _add_column(connection, table, column)
        old_indexes = {index.name for index in old.indexes}
        for index in table.indexes:
            if index.name not in old_indexes:
                index.create(connection)
    for table_name, rewrite in migration.rewrites:
        rewrite_documents(connection, table_name, rewrite)
    for kind in KIND_TABLES:
        if kind.since < version:
            _backfill(connection, kind, after)


def _add_column(
    connection: sa.Connection, table: sa.Table, column: sa.Column[Any]
) -> None:
    preparer = connection.dialect.identifier_preparer
    spec = sa.schema.CreateColumn(column).compile(dialect=connection.dialect)
    connection.exec_driver_sql(
        f"ALTER TABLE {preparer.format_table(table)} ADD COLUMN {spec}"
    )


def _backfill(connection: sa.Connection, kind: KindTable, schema: Schema) -> None:
    """Fill the columns and side tables ``schema`` adds to ``kind``'s table."""
    fields = [f for f in kind.fields if f.since == schema.version]
    value_sets = [s for s in kind.value_sets if s.since == schema.version]
    if not fields and not value_sets:
        return
    table = schema.kinds[kind.name]
    update = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values({f.name: sa.bindparam(f"new_{f.name}") for f in fields})
    )
    last: str | None = None
    while True:
        query = sa.select(table.c.id, table.c.version, table.c.document)
        if last is not None:
            query = query.where(table.c.id > last)
        rows = connection.execute(query.order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        aggregates = [_load_current(kind, row, schema.version) for row in rows]
        if fields:
            connection.execute(
                update,
                [
                    {"row_id": a.id}
                    | {f"new_{f.name}": column_value(f.value(a)) for f in fields}
                    for a in aggregates
                ],
            )
        for values in value_sets:
            side = schema.value_tables[kind.name, values.name]
            members = [
                {"owner": a.id, "value": value}
                for a in aggregates
                for value in sorted(set(values.values(a)))
            ]
            if members:
                connection.execute(sa.insert(side), members)
        last = rows[-1].id


def _load_current(kind: KindTable, row: Any, version: int) -> Any:
    """The aggregate of a row stored at schema ``version``, read through the
    rewrites of the later migrations (its stored document is left as it is)."""
    text = row.document
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        for table_name, rewrite in migration.rewrites:
            if table_name == kind.name:
                text = rewritten(kind.name, row.id, text, rewrite) or text
    if text is row.document:
        return load_row(kind.entity, kind.name, row)
    return load_row(kind.entity, kind.name, _Row(row.id, row.version, text))


@attrs.frozen
class _Row:
    id: str
    version: int
    document: str
