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
"""

from __future__ import annotations

import functools
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
    "Rewrite",
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


#: A document rewrite: given the subject to name in errors and a stored
#: document (a JSON object), the document in the new shape, or ``None`` when
#: it is in that shape already. It raises ``ValidationError`` for a document
#: it cannot read.
Rewrite = Callable[[str, dict[str, Any]], dict[str, Any] | None]


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


# -- document rewrites ----------------------------------------------------------
@functools.cache
def _entity_names() -> dict[str, str]:
    """The entity stored in each kind table, by table name (built once)."""
    return {kind.name: kind.entity.__name__ for kind in KIND_TABLES}


def _subject(table: str, row_id: str) -> str:
    return f"{_entity_names()[table]} stored in {table} row {row_id!r}"


def _rewritten(table: str, row_id: str, text: str, rewrite: Rewrite) -> str | None:
    """The document ``text`` rewritten, as JSON; ``None`` if unchanged."""
    subject = _subject(table, row_id)
    try:
        document = json.loads(text)
    except ValueError:
        raise ValidationError.single(subject, "$", "is not JSON", text) from None
    if not isinstance(document, dict):
        raise ValidationError.single(subject, "$", "expected an object", document)
    new = rewrite(subject, document)
    return None if new is None else json.dumps(new, allow_nan=False)


def _rewrite_documents(
    connection: sa.Connection, table_name: str, rewrite: Rewrite
) -> None:
    """Rewrite every document of ``table_name`` that ``rewrite`` changes."""
    table = sa.table(table_name, sa.column("id"), sa.column("document", sa.Text()))
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
            if (document := _rewritten(table_name, row.id, row.document, rewrite))
            is not None
        ]
        if changed:
            connection.execute(update, changed)
        last = rows[-1].id


def _with_override_history(
    subject: str, document: dict[str, Any]
) -> dict[str, Any] | None:
    """Version 4: a membership's single ``override`` becomes ``overrides``.

    An override stored before becomes a one-element history, its ``set_on``
    being its ``starts_on``: the day it was really set was not recorded, and
    its first day is the only date known not to be later. No override becomes
    an empty history. Documents already in the new shape are left alone.

    Raises:
        ValidationError: the override is not an object with a ``starts_on``.
    """
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
    return rewritten


def _placed_after(
    document: dict[str, Any], after: str, key: str, value: object
) -> dict[str, Any]:
    """The document with ``key`` right after ``after`` (at the end without it),
    where kamcore writes it today."""
    rewritten: dict[str, Any] = {}
    for name, old in document.items():
        rewritten[name] = old
        if name == after:
            rewritten[key] = value
    rewritten.setdefault(key, value)
    return rewritten


def _dated_status(
    subject: str,
    document: dict[str, Any],
    *,
    field: str,
    open_status: str,
    closed: tuple[str, ...],
    known_day: str,
) -> dict[str, Any] | None:
    """``document`` with ``field``, the day it left ``open_status``, placed
    after its status; ``None`` if it has the field already.

    A document stored closed before was closed on a day nobody recorded: it
    gets its ``known_day`` (issue or order date), the only date known not to
    be later. An open document gets ``null``.

    Raises:
        ValidationError: the status is not a known one, or a closed document
            has no ``known_day``.
    """
    if field in document:
        return None
    status = document.get("status", open_status)
    if status in closed:
        day = document.get(known_day)
        if not isinstance(day, str):
            raise ValidationError.single(
                subject,
                f"$.{known_day}",
                f"expected the {known_day.replace('_', ' ')} of a {status} document",
                day,
            )
    elif status == open_status:
        day = None
    else:
        expected = ", ".join(repr(s) for s in (open_status, *closed))
        raise ValidationError.single(
            subject, "$.status", f"expected one of {expected}", status
        )
    return _placed_after(document, "status", field, day)


def _dated_cancellation(
    subject: str, document: dict[str, Any]
) -> dict[str, Any] | None:
    """Version 5: an invoice gets ``cancelled_on`` (its issue date if it was
    cancelled: history views then show it cancelled from its issue on, as
    they did before)."""
    return _dated_status(
        subject,
        document,
        field="cancelled_on",
        open_status="issued",
        closed=("cancelled",),
        known_day="issue_date",
    )


def _dated_closure(subject: str, document: dict[str, Any]) -> dict[str, Any] | None:
    """Version 5: an order gets ``closed_on`` (its order date if it was
    fulfilled or cancelled)."""
    return _dated_status(
        subject,
        document,
        field="closed_on",
        open_status="open",
        closed=("fulfilled", "cancelled"),
        known_day="order_date",
    )


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
        rewrites=(("memberships", _with_override_history),),
    ),
    Migration(
        5,
        "dated cancellations: invoices.cancelled_on and orders.closed_on, "
        "= issue_date / order_date for those stored cancelled or closed",
        rewrites=(("invoices", _dated_cancellation), ("orders", _dated_closure)),
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
        _apply_declared(connection, migration)
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
        _rewrite_documents(connection, table_name, rewrite)
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
                text = _rewritten(kind.name, row.id, text, rewrite) or text
    if text is row.document:
        return load_row(kind.entity, kind.name, row)
    return load_row(kind.entity, kind.name, _Row(row.id, row.version, text))


@attrs.frozen
class _Row:
    id: str
    version: int
    document: str
