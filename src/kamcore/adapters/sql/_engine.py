"""Engines configured for kamcore, and the few places where dialects differ."""

from __future__ import annotations

import functools
import sqlite3
import time
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from kamcore.errors import ValidationError

__all__ = ["begin_write", "create_engine_for", "insert_unless_present"]

#: Seconds a SQLite writer waits for another writer's transaction to finish.
DEFAULT_SQLITE_TIMEOUT = 30.0


def create_engine_for(
    url: str | sa.URL, *, sqlite_timeout: float = DEFAULT_SQLITE_TIMEOUT, **options: Any
) -> sa.Engine:
    """An SQLAlchemy engine set up for kamcore's SQL adapters.

    * ``sqlite:///path/to/file.db`` -- the embedded default: one file, no
      server. Connections use write-ahead logging (readers never wait for a
      writer) and wait up to ``sqlite_timeout`` seconds for another writer.
      kamcore controls SQLite transactions itself (see
      :class:`~kamcore.adapters.sql.SqlUnitOfWork`). An in-memory database is
      refused: it would live in one connection, which threads cannot share
      safely; use a file in a temporary directory, or the in-memory adapter.
    * ``postgresql://user@host/db`` -- PostgreSQL through psycopg 3 (the
      ``kamcore[postgres]`` extra); ``postgresql+psycopg://`` is the same.

    Nothing connects until the engine is first used.

    Args:
        url: A database URL.
        sqlite_timeout: SQLite only: seconds to wait for the write lock.
        **options: Passed on to :func:`sqlalchemy.create_engine` (``echo``,
            ``pool_size``...).

    Returns:
        The engine. Create the schema with :func:`~kamcore.adapters.sql.upgrade`.

    Raises:
        ValidationError: for an in-memory SQLite URL or a database kamcore
            does not support.

    Example:
        >>> engine = create_engine_for("postgresql://kam@db.example/kamcore")
        >>> engine.dialect.name, engine.dialect.driver
        ('postgresql', 'psycopg')
    """
    parsed = sa.make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return sa.create_engine(parsed, **options)
    if backend != "sqlite":
        raise ValidationError.single(
            "create_engine_for",
            "url",
            f"unsupported database {backend!r}: kamcore's SQL adapters support "
            "sqlite and postgresql",
            parsed.render_as_string(hide_password=True),
        )
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
        raise ValidationError.single(
            "create_engine_for",
            "url",
            "an in-memory SQLite database lives in a single connection; give a "
            "file (sqlite:///path/kamcore.db), or use kamcore.adapters.memory",
            str(parsed),
        )
    connect_args = {"check_same_thread": False, "timeout": sqlite_timeout}
    connect_args.update(options.pop("connect_args", {}))
    engine = sa.create_engine(parsed, connect_args=connect_args, **options)
    sa.event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(
    dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry
) -> None:
    # The sqlite3 module would otherwise open transactions behind our back,
    # at the first write, and in DEFERRED mode: a transaction that has read
    # and then wants to write can fail at once when another writer committed
    # meanwhile. kamcore begins write transactions itself (begin_write).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        _use_write_ahead_log(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _use_write_ahead_log(cursor: Any) -> None:
    """Switch the database file to write-ahead logging, waiting for other openers.

    The journal mode is kept in the file: the first connection switches it,
    and the switch needs the file to itself for a moment. A connection of
    another process asking at that moment gets "database is locked" at once,
    without SQLite's busy handler, so the request is retried here until the
    connection's own busy timeout has passed, like any other wait for a lock.
    """
    (timeout_ms,) = cursor.execute("PRAGMA busy_timeout").fetchone()
    deadline = time.monotonic() + timeout_ms / 1000
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
        else:
            return


def begin_write(connection: sa.Connection | sa.orm.Session) -> None:
    """Make sure the transaction may write, waiting for the write lock: call it
    before the first write of every transaction of a repository of your own.

    kamcore's SQL unit of work calls it at each transaction's first write; a
    host's own repository on the same database (a SQLAlchemy ORM session,
    Core connections) calls it too, so that two writers race the way
    kamcore's do: the second waits for the first, then sees its commit and
    loses on the version check, instead of failing at once or, worse,
    writing over it.

    SQLite: ``BEGIN IMMEDIATE`` takes the database's single write lock (waiting
    up to the engine's busy timeout for another writer to finish) and starts
    the transaction's snapshot only then, so its writes and its version
    checks see every commit made before. Without it, a transaction that read
    and then writes fails with "database is locked" when another writer
    committed meanwhile. Reads before the first write run on their own, each
    seeing the latest commit (read committed, as on PostgreSQL). Use an
    engine made by :func:`~kamcore.adapters.sql.create_engine_for`, which
    lets kamcore (and this function) begin SQLite transactions. Does nothing
    when the transaction has begun writing already.

    PostgreSQL: nothing to do; a row being written by another transaction is
    waited for at the write itself.

    Args:
        connection: The connection, or the ORM session whose connection it is.

    Example:
        >>> import tempfile
        >>> folder = tempfile.TemporaryDirectory()
        >>> engine = create_engine_for(f"sqlite:///{folder.name}/crm.db")
        >>> with engine.connect() as connection:
        ...     begin_write(connection)
        ...     _ = connection.exec_driver_sql("CREATE TABLE crm_notes (id TEXT)")
        ...     connection.commit()
        >>> with sa.orm.Session(engine) as session:
        ...     begin_write(session)
        ...     _ = session.execute(sa.text("INSERT INTO crm_notes VALUES ('n-1')"))
        ...     session.commit()
        >>> engine.dispose(); folder.cleanup()
    """
    if isinstance(connection, sa.orm.Session):
        connection = connection.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if not getattr(raw, "in_transaction", False):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def insert_unless_present(
    connection: sa.Connection,
    table: sa.Table,
    values: dict[str, object],
    conflict: str,
) -> bool:
    """Insert ``values``; return ``False`` (inserting nothing) if ``conflict`` is taken.

    Uses ``INSERT ... ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL, which
    leaves the transaction usable (a failed insert would abort a PostgreSQL
    transaction), and waits for a concurrent uncommitted insert of the same
    key to commit or roll back before deciding.
    """
    statement = _insert_ignoring(connection.dialect.name, table, conflict)
    return connection.execute(statement, values).rowcount == 1


@functools.cache
def _insert_ignoring(dialect: str, table: sa.Table, conflict: str) -> sa.Insert:
    # Built once per table: the statement is the same for every row.
    statement: sa.Insert
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing(
            index_elements=[conflict]
        )
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing(
            index_elements=[conflict]
        )
    else:  # pragma: no cover - create_engine_for only builds the two above
        statement = sa.insert(table)
    # SQLAlchemy keeps an INSERT's row count only when asked (2.0.28 and later).
    return statement.execution_options(preserve_rowcount=True)
