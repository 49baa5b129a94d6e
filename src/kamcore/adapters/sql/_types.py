"""Column types: exact, portable and ordered the way Python orders the values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from kamcore.kernel import Checks

__all__ = ["IDENTIFIER", "UtcInstant"]

#: Ids and other keys. On PostgreSQL the "C" collation orders by code point, as
#: Python's ``sorted`` does: a locale collation would sort ``"u-paid"`` after
#: ``"u-paid-later"`` and break the documented "ties by id" order. SQLite's
#: default BINARY collation already compares UTF-8 bytes, the same order.
IDENTIFIER: sa.types.TypeEngine[str] = sa.String().with_variant(
    sa.String(collation="C"), "postgresql"
)


class UtcInstant(sa.types.TypeDecorator[dt.datetime]):
    """A timezone-aware instant, stored in UTC.

    PostgreSQL gets a ``timestamp with time zone``. SQLite has no such type:
    the instant is converted to UTC and stored as SQLAlchemy's fixed-width
    ``YYYY-MM-DD HH:MM:SS.ffffff`` text, whose text order is time order. Values
    read back are aware, in UTC. Naive datetimes are refused, as everywhere
    in kamcore.

    These columns only serve queries: the aggregate itself comes from its JSON
    document, which keeps the offset it was written with.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        """The instant in UTC; naive for SQLite, aware for every other database."""
        if value is None:
            return None
        checks = Checks("instant column")
        checks.instant("value", value)
        checks.raise_if_any()
        in_utc = value.astimezone(dt.UTC)
        return in_utc.replace(tzinfo=None) if dialect.name == "sqlite" else in_utc

    def process_result_value(
        self, value: Any | None, dialect: Dialect
    ) -> dt.datetime | None:
        """An aware instant in UTC."""
        if value is None:
            return None
        instant: dt.datetime = value
        if instant.tzinfo is None:
            return instant.replace(tzinfo=dt.UTC)
        return instant.astimezone(dt.UTC)
