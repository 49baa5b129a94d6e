"""SQL adapters on SQLAlchemy Core: SQLite (embedded default) and PostgreSQL.

Needs the ``kamcore[sql]`` extra (``kamcore[postgres]`` adds the psycopg driver)::

    from kamcore.adapters.sql import SqlUnitOfWork, create_engine_for, upgrade

    engine = create_engine_for("sqlite:///portfolio.db")   # or postgresql://...
    upgrade(engine)                      # creates or upgrades kamcore's tables
    uow = SqlUnitOfWork(engine)          # a kamcore.ports.UnitOfWork

* :class:`SqlUnitOfWork` -- every repository of :class:`kamcore.ports.UnitOfWork`,
  one database transaction per ``with`` block and thread, optimistic versions;
* :func:`create_engine_for`, :func:`upgrade`, :func:`schema_version`,
  :data:`SCHEMA_VERSION`, :data:`MIGRATIONS` -- engines and versioned migrations;
* :mod:`kamcore.adapters.sql.alembic` -- the same migrations as a branch of a
  host's Alembic history (``kamcore[alembic]``);
* :func:`begin_write` -- what a host's own SQL repository calls before its
  first write, so that two writers race safely on SQLite too;
* :class:`OutboxNotifier`, :class:`OutboxDispatcher` -- notifications stored in
  the transaction that caused them, delivered at least once, one per key;
* :class:`PricingChange`, :class:`PricingRefresher` -- pricing change events
  (``SqlUnitOfWork(engine, pricing_events=True)``) and the consumer that keeps
  a pricing index current from them (``docs/pricing-service.md``).

See ``docs/persistence.md`` for the table layout and the decisions behind it.

.. versionadded:: 0.1
"""

try:
    import sqlalchemy as _sqlalchemy
except ImportError as _missing:  # pragma: no cover - exercised in a subprocess
    _msg = (
        "kamcore.adapters.sql needs SQLAlchemy 2: install the extra with "
        "`pip install 'kamcore[sql]'` (or 'kamcore[postgres]' for PostgreSQL)"
    )
    raise ImportError(_msg, name="sqlalchemy") from _missing

if not _sqlalchemy.__version__.startswith("2."):  # pragma: no cover
    _msg = (
        f"kamcore.adapters.sql needs SQLAlchemy 2, found {_sqlalchemy.__version__}: "
        "`pip install 'kamcore[sql]'` installs a suitable version"
    )
    raise ImportError(_msg, name="sqlalchemy")

from kamcore.adapters.sql._engine import begin_write, create_engine_for
from kamcore.adapters.sql._migrations import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    SchemaVersionError,
    schema_version,
    upgrade,
)
from kamcore.adapters.sql._outbox import (
    DispatchReport,
    FailedDelivery,
    OutboxDispatcher,
    OutboxNotifier,
)
from kamcore.adapters.sql._pricing_events import (
    PRICING_CHANGE,
    PRICING_SERVICE,
    PricingChange,
    PricingChangeKind,
    PricingEntity,
)
from kamcore.adapters.sql._pricing_refresher import PricingRefresher
from kamcore.adapters.sql._unit_of_work import SqlUnitOfWork

__all__ = [
    "MIGRATIONS",
    "PRICING_CHANGE",
    "PRICING_SERVICE",
    "SCHEMA_VERSION",
    "DispatchReport",
    "FailedDelivery",
    "Migration",
    "OutboxDispatcher",
    "OutboxNotifier",
    "PricingChange",
    "PricingChangeKind",
    "PricingEntity",
    "PricingRefresher",
    "SchemaVersionError",
    "SqlUnitOfWork",
    "begin_write",
    "create_engine_for",
    "schema_version",
    "upgrade",
]
