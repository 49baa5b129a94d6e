"""The conformance suite, and what only PostgreSQL does, against a PostgreSQL server.

Which server: ``KAMCORE_TEST_POSTGRES_URL`` if set (any SQLAlchemy PostgreSQL
URL, e.g. ``postgresql://me@127.0.0.1:5432/postgres``), else the default
:data:`DEFAULT_URL`. Without a server answering there, the whole module is
skipped, saying so; with ``KAMCORE_REQUIRE_POSTGRES=1`` (as ``.ci/run`` sets
it, after starting a throwaway server) it fails instead. The tests work in a
schema of their own, dropped at the end, so any database will do.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Callable, Iterator

import attrs
import pytest
import sqlalchemy as sa

from kamcore.accounts import Client
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.adapters.sql import (
    SCHEMA_VERSION,
    OutboxDispatcher,
    OutboxNotifier,
    SqlUnitOfWork,
    create_engine_for,
    schema_version,
    upgrade,
)
from kamcore.adapters.sql._tables import build_schema
from kamcore.errors import ConcurrencyConflictError, TransactionError
from kamcore.ports import Notification, Recipient, RecipientKind, UnitOfWork
from kamcore.serialization import to_json
from kamcore.testing._samples import PARIS_WINTER, client, invoice, payment, ticket
from kamcore.testing.conformance import UnitOfWorkConformance

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
URL = os.environ.get("KAMCORE_TEST_POSTGRES_URL", DEFAULT_URL)
REQUIRED = os.environ.get("KAMCORE_REQUIRE_POSTGRES") == "1"
HOW_TO_ENABLE = (
    "set KAMCORE_TEST_POSTGRES_URL=postgresql://user@host:port/database (or run "
    "a server at the default URL); .ci/run starts a throwaway server and sets it"
)


def _unreachable_because() -> str | None:
    """Why the server cannot be used, or ``None`` if it can."""
    try:
        engine = create_engine_for(URL, connect_args={"connect_timeout": 3})
    except ImportError as missing:
        return f"the PostgreSQL driver is not installed ({missing})"
    try:
        with engine.connect():
            return None
    except sa.exc.DBAPIError as error:
        return f"no PostgreSQL server answers at {URL}: {error.orig}".strip()
    finally:
        engine.dispose()


_PROBLEM = _unreachable_because()
if _PROBLEM is not None:
    if REQUIRED:
        pytest.fail(f"KAMCORE_REQUIRE_POSTGRES=1, but {_PROBLEM}", pytrace=False)
    pytest.skip(
        f"PostgreSQL tests skipped: {_PROBLEM}. To run them, {HOW_TO_ENABLE}.",
        allow_module_level=True,
    )

TIMEOUT = 30.0


@pytest.fixture(scope="module")
def schema_name() -> Iterator[str]:
    """A schema of the tests' own, dropped with everything in it at the end."""
    name = f"kamcore_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine_for(URL)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        connection.commit()
    yield name
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        connection.commit()
    admin.dispose()


def engine_in(schema: str) -> sa.Engine:
    """An engine whose connections work in ``schema``."""
    return create_engine_for(
        URL, connect_args={"options": f"-csearch_path={schema}"}, pool_size=10
    )


@pytest.fixture(scope="module")
def engine(schema_name: str) -> Iterator[sa.Engine]:
    engine = engine_in(schema_name)
    upgrade(engine)
    yield engine
    engine.dispose()


def empty(engine: sa.Engine) -> None:
    """Delete every row of every kamcore table but the migration ledger.

    ``DELETE`` rather than ``TRUNCATE``: on tables of a few rows it is several
    times faster, and the suite empties them before each of its 400 tests.
    """
    schema = build_schema(SCHEMA_VERSION)
    with engine.connect() as connection:
        for table in schema.metadata.sorted_tables:
            if table is not schema.applied:
                connection.execute(sa.delete(table))
        connection.commit()


class TestPostgresUnitOfWork(UnitOfWorkConformance):
    @pytest.fixture(autouse=True)
    def _engine(self, engine: sa.Engine) -> None:
        self.engine = engine

    def make_unit_of_work_factory(self) -> Callable[[], UnitOfWork]:
        engine = self.engine
        empty(engine)
        return lambda: SqlUnitOfWork(engine)


# -- what only PostgreSQL does ---------------------------------------------------


@pytest.fixture
def fresh(engine: sa.Engine) -> sa.Engine:
    empty(engine)
    return engine


def test_a_deadlock_is_a_conflict_and_voids_the_losing_block(
    fresh: sa.Engine,
) -> None:
    uow = SqlUnitOfWork(fresh)
    with uow:
        one, two = uow.clients.add(client("c-1")), uow.clients.add(client("c-2"))
        uow.commit()
    saved = {"a": threading.Event(), "b": threading.Event()}
    outcomes: dict[str, str] = {}
    expected: dict[str, int] = {}

    def writer(name: str, other: str, first: Client, second: Client) -> None:
        with uow:
            uow.clients.save(attrs.evolve(first, name=name))
            saved[name].set()
            assert saved[other].wait(TIMEOUT)
            try:
                # Each waits for the row the other holds: PostgreSQL aborts one.
                uow.clients.save(attrs.evolve(second, name=name))
            except ConcurrencyConflictError as error:
                expected[name] = error.expected
                # The database rolled back this block's first save: going on
                # would store half of the block, so it is refused.
                with pytest.raises(TransactionError):
                    uow.clients.add(client("c-3"))
                with pytest.raises(TransactionError):
                    uow.commit()
                uow.rollback()
                assert len(uow.clients.all()) == 2
                outcomes[name] = "conflict"
                return
            uow.commit()
            outcomes[name] = "committed"

    threads = [
        threading.Thread(target=writer, args=("a", "b", one, two)),
        threading.Thread(target=writer, args=("b", "a", two, one)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert sorted(outcomes.values()) == ["committed", "conflict"]
    assert list(expected.values()) == [1]
    [winner] = [name for name, outcome in outcomes.items() if outcome == "committed"]
    with uow:
        assert [c.name for c in uow.clients.all()] == [winner, winner]


def _notification(key: str) -> Notification:
    return Notification(
        recipient=Recipient(kind=RecipientKind.MANAGER, id="m-1"),
        kind="test",
        key=key,
        locale="en",
        subject=f"About {key}",
    )


def test_dispatchers_running_at_once_deliver_each_notification_once(
    fresh: sa.Engine,
) -> None:
    uow = SqlUnitOfWork(fresh)
    outbox = OutboxNotifier(uow)
    with uow:
        for number in range(40):
            outbox.send(_notification(f"n-{number:02}"))
        uow.commit()
    received = RecordingNotifier()
    dispatchers = [OutboxDispatcher(fresh, received) for _ in range(4)]
    threads = [threading.Thread(target=d.dispatch) for d in dispatchers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert sorted(n.key for n in received.sent) == [f"n-{i:02}" for i in range(40)]
    assert dispatchers[0].pending() == []


def test_instants_are_stored_as_utc_timestamps(fresh: sa.Engine) -> None:
    opened = dt.datetime(2026, 3, 2, 10, 15, 30, 123456, tzinfo=PARIS_WINTER)
    uow = SqlUnitOfWork(fresh)
    with uow:
        stored = uow.tickets.add(ticket("t-1", opened=opened))
        uow.commit()
    with fresh.connect() as connection:
        raw = connection.exec_driver_sql(
            "SELECT opened_at, pg_typeof(opened_at)::text FROM tickets"
        ).one()
    assert raw[0] == opened
    assert raw[1] == "timestamp with time zone"
    with uow:
        assert uow.tickets.get(stored.id).opened_at.utcoffset() == dt.timedelta(hours=1)


def test_a_version_1_database_upgrades_with_its_rows(schema_name: str) -> None:
    engine = engine_in(schema_name)
    with engine.connect() as connection:
        connection.exec_driver_sql('CREATE SCHEMA "old_one"')
        connection.commit()
    old = engine_in("old_one")
    try:
        assert upgrade(old, to=1) == (1,)
        paid = invoice(
            "i-paid",
            issued=dt.date(2026, 3, 1),
            payments=[payment("p-1", dt.date(2026, 3, 20), "100.00")],
        )
        stored = [
            attrs.evolve(invoice("i-open"), version=1),
            attrs.evolve(paid, version=1),
        ]
        tables = build_schema(1)
        with old.connect() as connection:
            connection.execute(
                sa.insert(tables.kinds["invoices"]),
                [
                    {
                        "id": i.id,
                        "version": 1,
                        "document": to_json(i),
                        "client": i.client,
                        "issue_date": i.issue_date,
                        "due_date": i.due_date,
                        "status": i.status.value,
                    }
                    for i in stored
                ],
            )
            connection.commit()
        assert upgrade(old) == (2, 3, 4, 5)
        assert schema_version(old) == SCHEMA_VERSION
        uow = SqlUnitOfWork(old)
        with uow:
            assert uow.invoices.all() == stored
            found = uow.invoices.outstanding(as_of=dt.date(2026, 4, 1))
        assert [i.id for i in found] == ["i-open"]
    finally:
        old.dispose()
        with engine.connect() as connection:
            connection.exec_driver_sql('DROP SCHEMA "old_one" CASCADE')
            connection.commit()
        engine.dispose()
