"""Versioned migrations: the schema is created and upgraded by the library.

The ``kamcore_schema`` table records every migration applied (version,
description, time). Migration *n* turns the tables of version *n - 1* into
those of version *n*, as :func:`~kamcore.adapters.sql._tables.build_schema`
declares them: it creates the tables and side tables that version introduces,
adds its new columns and indexes, and fills the new columns of existing rows
from their documents (every query column is computed from the aggregate, so
any of them can be back-filled). A migration may add a step of its own
(``step``) for what a declaration cannot say, such as rewriting documents.
Each migration runs in one transaction, together with its ledger row: a
failure leaves the database at the previous version.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs
import sqlalchemy as sa

from kamcore.adapters.sql._engine import begin_write
from kamcore.adapters.sql._repository import load_row
from kamcore.adapters.sql._tables import (
    KIND_TABLES,
    KindTable,
    Schema,
    build_schema,
    column_value,
)
from kamcore.errors import KamcoreError, ValidationError

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "SchemaVersionError",
    "require_current",
    "schema_version",
    "upgrade",
]

#: Rows read and rewritten per batch when a migration back-fills a column.
_BATCH = 1000


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
    """

    version: int
    description: str
    step: Callable[[sa.Connection], None] | None = None


# -- document rewrites ----------------------------------------------------------
def _override_histories(connection: sa.Connection) -> None:
    """Version 4: a membership's single ``override`` becomes ``overrides``.

    An override stored before becomes a one-element history, its ``set_on``
    being its ``starts_on``: the day it was really set was not recorded, and
    its first day is the only date known not to be later. No override becomes
    an empty history. Only the documents are rewritten, as JSON, key for key;
    documents already in the new shape are left alone.

    Raises:
        ValidationError: a stored document is not a JSON object, or its
            override is not an object with a ``starts_on``.
    """
    table = sa.table("memberships", sa.column("id"), sa.column("document", sa.Text()))
    update = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values(document=sa.bindparam("new_document"))
    )
    last: str | None = None
    while True:
        query = sa.select(table.c.id, table.c.document)
        if last is not None:
            query = query.where(table.c.id > last)
        rows = connection.execute(query.order_by(table.c.id).limit(_BATCH)).all()
        if not rows:
            return
        changed = [
            {"row_id": row.id, "new_document": document}
            for row in rows
            if (document := _with_override_history(row.id, row.document)) is not None
        ]
        if changed:
            connection.execute(update, changed)
        last = rows[-1].id


def _with_override_history(row_id: str, text: str) -> str | None:
    """The document with ``overrides`` for ``override``; ``None`` if unchanged."""
    subject = f"Membership stored in memberships row {row_id!r}"
    try:
        document = json.loads(text)
    except ValueError:
        raise ValidationError.single(subject, "$", "is not JSON", text) from None
    if not isinstance(document, dict):
        raise ValidationError.single(subject, "$", "expected an object", document)
    if "override" not in document:
        return None
    old = document["override"]
    if old is None:
        history = []
    elif isinstance(old, dict) and "starts_on" in old:
        history = [old | {"set_on": old["starts_on"]}]
    else:
        raise ValidationError.single(
            subject, "$.override", "expected null or an override", old
        )
    # Rebuilt key by key so that ``overrides`` takes ``override``'s place: the
    # text is then the one kamcore writes for the membership today.
    rewritten: dict[str, Any] = {}
    for key, value in document.items():
        if key == "override":
            rewritten["overrides"] = history
        else:
            rewritten[key] = value
    return json.dumps(rewritten, allow_nan=False)


#: Every migration, oldest first.
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
        step=_override_histories,
    ),
)

#: The schema version this kamcore reads and writes.
SCHEMA_VERSION = MIGRATIONS[-1].version


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
        connection.execute(sa.schema.CreateTable(_ledger(), if_not_exists=True))
        connection.commit()
        for migration in MIGRATIONS[:target]:
            if _apply(connection, migration):
                applied.append(migration.version)
        found = _read_version(connection)
        connection.rollback()
    if found > target:
        raise SchemaVersionError(found, target, "kamcore does not downgrade databases")
    return tuple(applied)


def _apply(connection: sa.Connection, migration: Migration) -> bool:
    """Apply ``migration`` unless the database has it; return whether it ran."""
    begin_write(connection)
    if connection.dialect.name == "postgresql":
        # Self-exclusive: a second upgrade waits here, then sees the new version.
        connection.exec_driver_sql(
            "LOCK TABLE kamcore_schema IN SHARE ROW EXCLUSIVE MODE"
        )
    if _read_version(connection) >= migration.version:
        connection.rollback()
        return False
    try:
        _apply_declared(connection, migration.version)
        if migration.step is not None:
            migration.step(connection)
        connection.execute(
            sa.insert(_ledger()).values(
                version=migration.version, description=migration.description
            )
        )
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    return True


def _apply_declared(connection: sa.Connection, version: int) -> None:
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
        rows = connection.execute(query.order_by(table.c.id).limit(_BATCH)).all()
        if not rows:
            return
        aggregates = [load_row(kind.entity, kind.name, row) for row in rows]
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
