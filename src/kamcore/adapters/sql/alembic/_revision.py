"""What kamcore's Alembic revisions do: the bodies of their ``upgrade()`` and
``downgrade()``, so that each script in ``versions/`` only names its version."""

from __future__ import annotations

from typing import NoReturn

from alembic import op

from kamcore.adapters.sql._engine import begin_write
from kamcore.adapters.sql._migrations import (
    SchemaVersionError,
    apply_migration,
    ensure_ledger,
)
from kamcore.adapters.sql.alembic._branch import OfflineMigrationError

__all__ = ["refuse_downgrade", "upgrade_to"]


def upgrade_to(version: int) -> None:
    """Apply kamcore's migration ``version`` in the transaction Alembic runs.

    Takes the write lock (SQLite), creates the ``kamcore_schema`` ledger if the
    database has none, then applies the migration as
    :func:`kamcore.adapters.sql.upgrade` does, with its ledger row, unless the
    ledger has it already (a database upgraded by kamcore's own migrator).
    Alembic commits it with its version row, or rolls it all back.

    Raises:
        OfflineMigrationError: Alembic runs offline (``--sql``).
        SchemaVersionError: the database lacks the migration before.
        ValidationError: a stored row the migration reads is malformed.
    """
    if op.get_context().as_sql:
        raise OfflineMigrationError(version)
    connection = op.get_bind()
    # First the write lock (SQLite), so that the ledger's creation is part of
    # the migration's transaction even where the driver would commit DDL at once.
    begin_write(connection)
    ensure_ledger(connection)
    apply_migration(connection, version)


def refuse_downgrade(version: int) -> NoReturn:
    """kamcore's migrations have no downgrade: raise, changing nothing.

    Raises:
        SchemaVersionError: always, with ``found`` the revision's version and
            ``expected`` the one before.
    """
    raise SchemaVersionError(
        version,
        version - 1,
        "kamcore's migrations have no downgrade (neither has "
        "kamcore.adapters.sql.upgrade); restore a backup taken before the "
        "upgrade instead",
    )
