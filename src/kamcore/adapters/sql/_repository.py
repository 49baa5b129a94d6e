"""One generic SQL repository; the per-aggregate classes only add queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from kamcore.adapters._versions import at_version
from kamcore.adapters.sql._engine import insert_unless_present
from kamcore.adapters.sql._tables import KindTable, Schema, column_value
from kamcore.adapters.sql._transaction import Transaction
from kamcore.errors import (
    ConcurrencyConflictError,
    DuplicateError,
    NotFoundError,
    ValidationError,
)
from kamcore.kernel import Checks
from kamcore.ports import Aggregate
from kamcore.serialization import from_json, to_json

__all__ = ["SqlRepository", "check_bounds", "equal", "load_row", "within"]

AggregateT = TypeVar("AggregateT", bound=Aggregate)
IdT = TypeVar("IdT", bound=str)

#: Ids per ``IN (...)`` list: well under every database's parameter limit.
_CHUNK = 500
#: SQLSTATEs of a PostgreSQL transaction aborted because it raced another one.
_RACE_LOST = frozenset({"40001", "40P01"})


def check_bounds(
    subject: str,
    dates: dict[str, dt.date | None] | None = None,
    instants: dict[str, dt.datetime | None] | None = None,
) -> None:
    """Refuse query bounds of the wrong type (a datetime for a date, a naive instant).

    Raises:
        ValidationError: naming every offending bound.
    """
    checks = Checks(subject)
    for name, day in (dates or {}).items():
        checks.optional_date(name, day)
    for name, instant in (instants or {}).items():
        checks.optional_instant(name, instant)
    checks.raise_if_any()


def equal(
    column: sa.ColumnElement[Any], wanted: object
) -> list[sa.ColumnElement[bool]]:
    """``column = wanted``, or no condition when ``wanted`` is ``None`` (any)."""
    return [] if wanted is None else [column == column_value(wanted)]


def within(
    column: sa.ColumnElement[Any], low: object | None, high: object | None
) -> list[sa.ColumnElement[bool]]:
    """``low <= column <= high``, either bound open when ``None``."""
    conditions: list[sa.ColumnElement[bool]] = []
    if low is not None:
        conditions.append(column >= low)
    if high is not None:
        conditions.append(column <= high)
    return conditions


# ``row`` is typed Any: SQLAlchemy 2.0 and 2.1 spell a row's type differently.
def load_row(entity: type[AggregateT], table: str, row: Any) -> AggregateT:
    """The aggregate stored in ``row`` (``id``, ``version``, ``document``), validated.

    The document goes through :func:`kamcore.serialization.from_json`, so every
    field is checked as any input crossing the boundary is; its id and version
    must be the row's.

    Raises:
        ValidationError: if the document is malformed or disagrees with the row,
            its subject naming the table and the row.
    """
    subject = f"{entity.__name__} stored in {table} row {row.id!r}"
    try:
        aggregate = from_json(row.document, entity)
    except ValidationError as error:
        raise ValidationError(subject, error.errors) from None
    if (aggregate.id, aggregate.version) != (row.id, row.version):
        raise ValidationError.single(
            subject,
            "$",
            f"the document's id and version ({aggregate.id!r}, "
            f"{aggregate.version}) are not the row's ({row.id!r}, {row.version})",
            aggregate.id,
        )
    return aggregate


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    return (items[start : start + size] for start in range(0, len(items), size))


class SqlRepository(Generic[AggregateT, IdT]):
    """CRUD with optimistic versioning on one kind's table.

    Implements :class:`kamcore.ports.Repository`. Every call asks the unit of
    work for the calling thread's transaction first, so a repository used
    outside its ``with`` block raises :class:`~kamcore.errors.TransactionError`.

    Args:
        kind: The kind's table declaration.
        schema: The tables of the current schema version.
        transaction: Returns the calling thread's transaction, or raises
            ``TransactionError``.
        written: Called with the connection and the stored aggregate after
            each ``add`` and ``save``, in the write's transaction (the unit of
            work's pricing change events).
    """

    def __init__(
        self,
        kind: KindTable,
        schema: Schema,
        transaction: Callable[[], Transaction],
        *,
        written: Callable[[sa.Connection, AggregateT], None] | None = None,
    ) -> None:
        self._kind = kind
        self._entity: type[AggregateT] = kind.entity
        self._table = schema.kinds[kind.name]
        self._value_tables = {
            values: schema.value_tables[kind.name, values.name]
            for values in kind.value_sets_at(schema.version)
        }
        self._fields = kind.fields_at(schema.version)
        self._transaction = transaction
        self._written = written

    @property
    def _name(self) -> str:
        return self._entity.__name__

    # -- the port --------------------------------------------------------------
    def get(self, aggregate_id: IdT, /) -> AggregateT:
        """The aggregate with ``aggregate_id``.

        Raises:
            NotFoundError: if there is none.
            ValidationError: if its stored row is malformed.
        """
        [found] = self.get_many([aggregate_id])
        return found

    def get_many(self, ids: Iterable[IdT], /) -> list[AggregateT]:
        """The aggregates with ``ids``, in the order asked.

        Raises:
            NotFoundError: naming every missing id, in the order asked.
            ValidationError: if a stored row is malformed.
        """
        connection = self._transaction().reader()
        wanted = list(ids)
        table = self._table
        found: dict[str, AggregateT] = {}
        for chunk in _chunks(sorted(set(wanted)), _CHUNK):
            rows = connection.execute(
                sa.select(table.c.id, table.c.version, table.c.document).where(
                    table.c.id.in_(chunk)
                )
            )
            found.update((row.id, self._load(row)) for row in rows)
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFoundError(self._name, missing)
        return [found[i] for i in wanted]

    def add(self, aggregate: AggregateT, /) -> AggregateT:
        """Insert a new aggregate (version 0); return it at version 1.

        Raises:
            ConcurrencyConflictError: if ``aggregate.version`` is not 0.
            DuplicateError: if the id is taken (committed, or added earlier in
                this transaction). A concurrent transaction adding the same id
                is waited for: if it commits, this add is the duplicate.
            ValidationError: if ``aggregate`` is not of this repository's kind.
        """
        transaction = self._transaction()
        self._check_type(aggregate)
        if aggregate.version != 0:
            raise ConcurrencyConflictError(
                self._name, aggregate.id, expected=aggregate.version, actual=0
            )
        added = at_version(aggregate, 1)
        connection = transaction.writer()
        if not insert_unless_present(connection, self._table, self._row(added), "id"):
            raise DuplicateError(self._name, aggregate.id)
        self._write_value_sets(connection, added, replace=False)
        if self._written is not None:
            self._written(connection, added)
        return added

    def save(self, aggregate: AggregateT, /) -> AggregateT:
        """Replace the stored aggregate of version ``aggregate.version``.

        One ``UPDATE ... WHERE id = :id AND version = :version``: a concurrent
        transaction that saved the same aggregate is waited for, and if it
        committed, this save is the conflict.

        Raises:
            NotFoundError: if the id was never stored.
            ConcurrencyConflictError: if the stored version is not
                ``aggregate.version``. On PostgreSQL, a deadlock with another
                writer raises it too, after rolling the whole transaction
                back (the database aborted it).
            ValidationError: if ``aggregate`` is not of this repository's kind.
        """
        transaction = self._transaction()
        self._check_type(aggregate)
        saved = at_version(aggregate, aggregate.version + 1)
        connection = transaction.writer()
        table = self._table
        try:
            updated = connection.execute(
                sa.update(table)
                .where(table.c.id == aggregate.id, table.c.version == aggregate.version)
                .values(self._row(saved))
            ).rowcount
        except sa.exc.DBAPIError as error:
            if getattr(error.orig, "sqlstate", None) not in _RACE_LOST:
                raise
            transaction.abort(f"a deadlock while saving {self._name} {aggregate.id}")
            updated = 0
        if updated != 1:
            stored = connection.execute(
                sa.select(table.c.version).where(table.c.id == aggregate.id)
            ).scalar_one_or_none()
            if stored is None:
                raise NotFoundError(self._name, [aggregate.id])
            raise ConcurrencyConflictError(
                self._name, aggregate.id, expected=aggregate.version, actual=stored
            )
        self._write_value_sets(connection, saved, replace=True)
        if self._written is not None:
            self._written(connection, saved)
        return saved

    def all(self) -> list[AggregateT]:
        """Every aggregate, ordered by id."""
        return self._select([])

    # -- for the query methods -------------------------------------------------
    @property
    def c(self) -> sa.ColumnCollection[str, sa.Column[Any]]:
        """The table's columns, for query conditions."""
        return self._table.c

    def _select(
        self,
        where: Sequence[sa.ColumnElement[bool]],
        order: Sequence[sa.ColumnElement[Any]] = (),
        keep: Callable[[AggregateT], bool] | None = None,
    ) -> list[AggregateT]:
        """The aggregates matching ``where``, sorted by ``order`` then id.

        ``keep``, if given, finishes the filter in Python, for a condition on a
        value that depends on the query's arguments (an invoice's balance on a
        date): ``where`` prefilters, ``keep`` decides.
        """
        table = self._table
        statement = (
            sa.select(table.c.id, table.c.version, table.c.document)
            .where(*where)
            .order_by(*order, table.c.id)
        )
        rows = self._transaction().reader().execute(statement)
        found = [self._load(row) for row in rows]
        return found if keep is None else [a for a in found if keep(a)]

    def _having(self, values: str, wanted: object) -> list[sa.ColumnElement[bool]]:
        """The rows whose value set ``values`` contains ``wanted`` (``None``: any)."""
        if wanted is None:
            return []
        [side] = [t for s, t in self._value_tables.items() if s.name == values]
        return [
            self._table.c.id.in_(sa.select(side.c.owner).where(side.c.value == wanted))
        ]

    # -- rows ------------------------------------------------------------------
    def _row(self, aggregate: AggregateT) -> dict[str, object]:
        row: dict[str, object] = {
            "id": aggregate.id,
            "version": aggregate.version,
            "document": to_json(aggregate),
        }
        row.update((f.name, column_value(f.value(aggregate))) for f in self._fields)
        return row

    def _load(self, row: Any) -> AggregateT:
        return load_row(self._entity, self._table.name, row)

    def _write_value_sets(
        self, connection: sa.Connection, aggregate: AggregateT, *, replace: bool
    ) -> None:
        for values, side in self._value_tables.items():
            if replace:
                connection.execute(sa.delete(side).where(side.c.owner == aggregate.id))
            rows = [
                {"owner": aggregate.id, "value": value}
                for value in sorted(set(values.values(aggregate)))
            ]
            if rows:
                connection.execute(sa.insert(side), rows)

    def _check_type(self, aggregate: object) -> None:
        # A stray type would be written into this kind's table and fail to
        # load ever after; refuse it before anything is written.
        checks = Checks(f"{self._name} repository")
        checks.instance("aggregate", aggregate, self._entity)
        checks.raise_if_any()
