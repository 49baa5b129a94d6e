"""One thread's database transaction inside a ``with`` block of a unit of work."""

from __future__ import annotations

import sqlalchemy as sa

from kamcore.adapters.sql._engine import begin_write
from kamcore.errors import TransactionError

__all__ = ["Transaction"]


class Transaction:
    """A connection checked out for one ``with`` block, and its transaction.

    Reads run on the connection as they come. The first write makes sure the
    transaction may write (on SQLite: takes the write lock, see
    :func:`~kamcore.adapters.sql.begin_write`); from then on, reads see
    the transaction's own writes. :meth:`commit` and :meth:`rollback` end the
    transaction; the next statement begins a new one on the same connection.
    """

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection
        self._aborted: str | None = None

    def reader(self) -> sa.Connection:
        """The connection, for reads.

        Raises:
            TransactionError: if the database aborted the transaction.
        """
        self._check_usable()
        return self._connection

    def writer(self) -> sa.Connection:
        """The connection, in a transaction that may write.

        Raises:
            TransactionError: if the database aborted the transaction.
        """
        self._check_usable()
        begin_write(self._connection)
        return self._connection

    def abort(self, reason: str) -> None:
        """Roll back after the database aborted the transaction by itself.

        Until :meth:`rollback`, every use raises ``TransactionError``: the
        block's earlier writes are gone, so committing its later ones would
        store half of the block.
        """
        self._connection.rollback()
        self._aborted = reason

    def commit(self) -> None:
        """Commit; if the commit fails, the transaction is rolled back.

        Raises:
            TransactionError: if the database aborted the transaction.
        """
        self._check_usable()
        try:
            self._connection.commit()
        except BaseException:
            self._connection.rollback()
            raise

    def rollback(self) -> None:
        """Discard every write not committed; the block may go on afresh."""
        self._connection.rollback()
        self._aborted = None

    def close(self) -> None:
        """Roll back what was not committed and give the connection back."""
        try:
            self._connection.rollback()
        finally:
            self._connection.close()

    def _check_usable(self) -> None:
        if self._aborted is not None:
            msg = (
                f"the database rolled this transaction back ({self._aborted}); "
                "leave the `with` block or call rollback() before going on"
            )
            raise TransactionError(msg)
