"""The schema is created and upgraded by the library, keeping every row."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from sql_support import private_folder, sqlite_engine

from kamcore.accounts import InvoiceStatus, OrderStatus
from kamcore.adapters.sql import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    SchemaVersionError,
    SqlUnitOfWork,
    _migrations,
    _tables,
    schema_version,
    upgrade,
)
from kamcore.adapters.sql._tables import (
    KIND_TABLES,
    ValueSet,
    build_schema,
    column_value,
)
from kamcore.errors import ValidationError
from kamcore.kernel import ClientGroupId, ManagerId, MembershipId
from kamcore.loyalty import Membership, TierOverride
from kamcore.ports import Aggregate
from kamcore.serialization import to_json
from kamcore.testing._kinds import KINDS
from kamcore.testing._loyalty_kinds import full_membership
from kamcore.testing._samples import (
    client,
    credit_note,
    invoice,
    order,
    payment,
    product,
)

TIMEOUT = 30.0


@pytest.fixture
def folder() -> Iterator[Path]:
    with private_folder() as path:
        yield path


@pytest.fixture
def engine(folder: Path) -> Iterator[sa.Engine]:
    with sqlite_engine(folder) as engine:
        yield engine


def layout(engine: sa.Engine) -> dict[str, Any]:
    """Every table's columns (name, type, nullable) and indexes, as SQLite has them."""
    inspector = sa.inspect(engine)
    return {
        table: (
            [
                (c["name"], str(c["type"]), c["nullable"])
                for c in inspector.get_columns(table)
            ],
            sorted(
                (i["name"], tuple(i["column_names"]))
                for i in inspector.get_indexes(table)
            ),
        )
        for table in sorted(inspector.get_table_names())
    }


def write_at_version_1(engine: sa.Engine, *aggregates: Aggregate) -> None:
    """Store ``aggregates`` as kamcore at schema version 1 wrote them."""
    schema = build_schema(1)
    declared = {table.entity: table for table in KIND_TABLES}
    with engine.connect() as connection:
        for aggregate in aggregates:
            kind = declared[type(aggregate)]
            connection.execute(
                sa.insert(schema.kinds[kind.name]),
                {
                    "id": aggregate.id,
                    "version": aggregate.version,
                    "document": to_json(aggregate),
                }
                | {f.name: column_value(f.value(aggregate)) for f in kind.fields_at(1)},
            )
            for values in kind.value_sets_at(1):
                for value in sorted(values.values(aggregate)):
                    connection.execute(
                        sa.insert(schema.value_tables[kind.name, values.name]),
                        {"owner": aggregate.id, "value": value},
                    )
        connection.commit()


def test_the_migrations_are_numbered_one_by_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    declared = [
        since
        for table in KIND_TABLES
        for since in (
            table.since,
            *(f.since for f in table.fields),
            *(s.since for s in table.value_sets),
        )
    ]
    assert max(declared) <= SCHEMA_VERSION


def test_columns_added_after_their_table_may_be_empty() -> None:
    # Existing rows get them by back-fill, inside the migration, but the
    # ALTER TABLE that adds them comes first.
    late = [
        (table.name, f.name, f.nullable)
        for table in KIND_TABLES
        for f in table.fields
        if f.since > table.since
    ]
    assert late == [
        ("orders", "closed_on", True),
        ("invoices", "settled_from", True),
        ("invoices", "cancelled_on", True),
    ]


def test_an_empty_database_gets_every_migration_once(engine: sa.Engine) -> None:
    assert schema_version(engine) == 0
    assert upgrade(engine) == (1, 2, 3, 4, 5)
    assert upgrade(engine) == ()
    assert schema_version(engine) == SCHEMA_VERSION
    with engine.connect() as connection:
        ledger = connection.execute(
            sa.text("SELECT version, description FROM kamcore_schema ORDER BY version")
        ).all()
    assert ledger == [(m.version, m.description) for m in MIGRATIONS]


def test_migrating_step_by_step_builds_the_declared_schema(
    engine: sa.Engine, folder: Path
) -> None:
    for version in range(1, SCHEMA_VERSION + 1):
        assert upgrade(engine, to=version) == (version,)
    with sqlite_engine(folder, "declared.db") as declared:
        build_schema(SCHEMA_VERSION).metadata.create_all(declared)
        assert layout(engine) == layout(declared)


def test_upgrading_is_refused_past_the_known_versions(engine: sa.Engine) -> None:
    with pytest.raises(SchemaVersionError) as caught:
        upgrade(engine, to=SCHEMA_VERSION + 1)
    assert caught.value.expected == SCHEMA_VERSION + 1
    assert schema_version(engine) == 0


def test_there_are_no_downgrades(engine: sa.Engine) -> None:
    upgrade(engine)
    with pytest.raises(SchemaVersionError) as caught:
        upgrade(engine, to=1)
    assert (caught.value.found, caught.value.expected) == (SCHEMA_VERSION, 1)
    assert "does not downgrade" in str(caught.value)


def test_a_version_1_database_upgrades_without_losing_a_row(engine: sa.Engine) -> None:
    assert upgrade(engine, to=1) == (1,)
    samples = [attrs.evolve(kind.sample("x-1"), version=1) for kind in KINDS]
    grouped = attrs.evolve(client("c-7", groups=["g-1", "g-2"]), version=3)
    write_at_version_1(engine, *samples, grouped)

    assert upgrade(engine) == (2, 3, 4, 5)

    uow = SqlUnitOfWork(engine)
    with uow:
        for kind, sample in zip(KINDS, samples, strict=True):
            assert kind.repository(uow).get("x-1") == sample
        # The side table of client groups came through too.
        assert uow.clients.find(group=ClientGroupId("g-2")) == [grouped, samples[0]]


def test_the_upgrade_fills_the_new_column_from_the_documents(engine: sa.Engine) -> None:
    upgrade(engine, to=1)
    march = dt.date(2026, 3, 1)
    invoices = [
        invoice("i-open", issued=march),
        invoice("i-paid", issued=march, payments=[payment("p", march, "100.00")]),
        invoice(
            "i-credited",
            issued=march,
            credit_notes=[credit_note("cn", dt.date(2026, 3, 9), "100.00")],
        ),
    ]
    write_at_version_1(engine, *(attrs.evolve(i, version=1) for i in invoices))
    upgrade(engine)
    with engine.connect() as connection:
        settled = connection.execute(
            sa.text("SELECT id, settled_from FROM invoices ORDER BY id")
        ).all()
    assert settled == [
        ("i-credited", "2026-03-09"),
        ("i-open", None),
        ("i-paid", "2026-03-01"),
    ]
    uow = SqlUnitOfWork(engine)
    with uow:
        found = uow.invoices.outstanding(as_of=dt.date(2026, 3, 5))
    assert [i.id for i in found] == ["i-credited", "i-open"]


def test_a_malformed_row_stops_the_migration_and_leaves_the_previous_version(
    engine: sa.Engine,
) -> None:
    upgrade(engine, to=1)
    write_at_version_1(engine, attrs.evolve(invoice("i-1"), version=1))
    with engine.connect() as connection:
        connection.execute(sa.text("UPDATE invoices SET document = '{}'"))
        connection.commit()
    with pytest.raises(ValidationError) as caught:
        upgrade(engine)
    assert caught.value.subject == "Invoice stored in invoices row 'i-1'"
    assert schema_version(engine) == 1
    columns = [c["name"] for c in sa.inspect(engine).get_columns("invoices")]
    assert "settled_from" not in columns


def test_two_processes_upgrading_at_once_apply_each_migration_once(
    folder: Path,
) -> None:
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    applied: list[tuple[int, ...]] = []

    def start() -> None:
        with sqlite_engine(folder) as engine:
            barrier.wait()
            applied.append(upgrade(engine))

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert sorted(applied) == [(), (1, 2, 3, 4, 5)] or sorted(
        version for versions in applied for version in versions
    ) == [1, 2, 3, 4, 5]
    with sqlite_engine(folder) as engine:
        assert schema_version(engine) == SCHEMA_VERSION


# -- version 4: a membership's override becomes a history ------------------------
OLD_OVERRIDE = {
    "tier": "platinum",
    "reason": "Strategischer Kunde, Rahmenvertrag verlängert",
    "by": "m-1",
    "starts_on": "2024-03-01",
    "ends_on": "2024-12-31",
}


def as_version_3_wrote_it(membership: Membership, override: object) -> str:
    """The membership's document with ``override`` where ``overrides`` is."""
    document = json.loads(to_json(attrs.evolve(membership, overrides=())))
    return json.dumps(
        {
            ("override" if key == "overrides" else key): (
                override if key == "overrides" else value
            )
            for key, value in document.items()
        }
    )


def write_membership_at_version_3(
    engine: sa.Engine, membership: Membership, document: str
) -> None:
    [kind] = [table for table in KIND_TABLES if table.entity is Membership]
    with engine.connect() as connection:
        connection.execute(
            sa.insert(build_schema(3).kinds[kind.name]),
            {"id": membership.id, "version": membership.version, "document": document}
            | {f.name: column_value(f.value(membership)) for f in kind.fields_at(3)},
        )
        connection.commit()


def stored_document(engine: sa.Engine, id: str) -> str:  # noqa: A002
    with engine.connect() as connection:
        text = connection.execute(
            sa.text("SELECT document FROM memberships WHERE id = :id"), {"id": id}
        ).scalar_one()
    assert isinstance(text, str)
    return text


def test_a_stored_override_becomes_a_history_of_one_set_on_its_first_day(
    engine: sa.Engine,
) -> None:
    upgrade(engine, to=3)
    old = attrs.evolve(full_membership("ms-old"), overrides=(), version=2)
    plain = attrs.evolve(old, id=MembershipId("ms-plain"))
    write_membership_at_version_3(engine, old, as_version_3_wrote_it(old, OLD_OVERRIDE))
    write_membership_at_version_3(engine, plain, as_version_3_wrote_it(plain, None))

    assert upgrade(engine) == (4, 5)

    expected = attrs.evolve(
        old,
        overrides=(
            TierOverride(
                tier="platinum",
                reason="Strategischer Kunde, Rahmenvertrag verlängert",
                by=ManagerId("m-1"),
                starts_on=dt.date(2024, 3, 1),
                ends_on=dt.date(2024, 12, 31),
                set_on=dt.date(2024, 3, 1),
            ),
        ),
    )
    uow = SqlUnitOfWork(engine)
    with uow:
        assert uow.memberships.get(MembershipId("ms-old")) == expected
        assert uow.memberships.get(MembershipId("ms-plain")) == plain
    # The documents are the very text kamcore writes for them now.
    assert stored_document(engine, "ms-old") == to_json(expected)
    assert stored_document(engine, "ms-plain") == to_json(plain)


def test_documents_already_holding_a_history_are_left_as_they_are(
    engine: sa.Engine,
) -> None:
    upgrade(engine, to=3)
    current = attrs.evolve(full_membership("ms-new"), version=1)
    text = to_json(current)
    write_membership_at_version_3(engine, current, text)
    assert upgrade(engine) == (4, 5)
    assert stored_document(engine, "ms-new") == text


def test_a_malformed_override_stops_the_history_migration(engine: sa.Engine) -> None:
    upgrade(engine, to=3)
    old = attrs.evolve(full_membership("ms-bad"), overrides=(), version=1)
    document = as_version_3_wrote_it(old, "platinum")
    write_membership_at_version_3(engine, old, document)
    with pytest.raises(ValidationError) as caught:
        upgrade(engine)
    assert caught.value.subject == "Membership stored in memberships row 'ms-bad'"
    assert [(e.path, e.value) for e in caught.value.errors] == [
        ("$.override", "platinum")
    ]
    assert schema_version(engine) == 3
    assert stored_document(engine, "ms-bad") == document


@pytest.fixture
def schema_cache() -> Iterator[None]:
    """Tables rebuilt from the declarations before and after the test."""
    build_schema.cache_clear()
    yield
    build_schema.cache_clear()


def test_a_future_migration_fills_a_new_side_table_and_runs_its_step(
    engine: sa.Engine, schema_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade(engine)
    uow = SqlUnitOfWork(engine)
    with uow:
        uow.products.add(attrs.evolve(product("p-1"), name="Steel Bolt"))
        uow.products.add(attrs.evolve(product("p-2"), name="Bolt"))
        uow.commit()
    # The next version as a developer would write it: products get a
    # multi-valued query column (the words of their names) and a step of its own.
    following = SCHEMA_VERSION + 1
    [products] = [kind for kind in KIND_TABLES if kind.name == "products"]
    words = ValueSet("words", lambda p: p.name.lower().split(), since=following)
    future = tuple(
        attrs.evolve(kind, value_sets=(words,)) if kind is products else kind
        for kind in KIND_TABLES
    )
    steps: list[str] = []
    migration = Migration(
        following, "product name words", step=lambda c: steps.append("ran")
    )
    monkeypatch.setattr(_tables, "KIND_TABLES", future)
    monkeypatch.setattr(_migrations, "KIND_TABLES", future)
    monkeypatch.setattr(_migrations, "MIGRATIONS", (*MIGRATIONS, migration))
    monkeypatch.setattr(_migrations, "SCHEMA_VERSION", following)
    build_schema.cache_clear()

    assert upgrade(engine) == (following,)

    assert steps == ["ran"]
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT owner, value FROM products__words ORDER BY owner, value")
        ).all()
    assert rows == [("p-1", "bolt"), ("p-1", "steel"), ("p-2", "bolt")]


# -- version 5: dated cancellations and closures ---------------------------------
MARCH_2 = dt.date(2026, 3, 2)


def as_version_4_wrote_it(aggregate: Aggregate, field: str) -> str:
    """The document without ``field``, as kamcore wrote it before version 5."""
    document = json.loads(to_json(aggregate))
    del document[field]
    return json.dumps(document)


def write_at_version(
    engine: sa.Engine, version: int, aggregate: Aggregate, document: str
) -> None:
    [kind] = [table for table in KIND_TABLES if table.entity is type(aggregate)]
    schema = build_schema(version)
    with engine.connect() as connection:
        connection.execute(
            sa.insert(schema.kinds[kind.name]),
            {"id": aggregate.id, "version": aggregate.version, "document": document}
            | {
                f.name: column_value(f.value(aggregate))
                for f in kind.fields_at(version)
            },
        )
        connection.commit()


def stored(engine: sa.Engine, table: str, id: str) -> tuple[str, object]:  # noqa: A002
    column = "cancelled_on" if table == "invoices" else "closed_on"
    with engine.connect() as connection:
        row = connection.execute(
            sa.text(f"SELECT document, {column} FROM {table} WHERE id = :id"),  # noqa: S608 - our own names
            {"id": id},
        ).one()
    return row[0], row[1]


def test_stored_cancellations_are_dated_on_the_issue_and_order_date(
    engine: sa.Engine,
) -> None:
    upgrade(engine, to=4)
    cancelled = invoice(
        "i-cancelled", issued=MARCH_2, status=InvoiceStatus.CANCELLED, cancelled=MARCH_2
    )
    issued = invoice("i-issued", issued=MARCH_2)
    fulfilled = order(
        "o-fulfilled", on=MARCH_2, status=OrderStatus.FULFILLED, closed=MARCH_2
    )
    dropped = order(
        "o-cancelled", on=MARCH_2, status=OrderStatus.CANCELLED, closed=MARCH_2
    )
    placed = order("o-open", on=MARCH_2)
    for document, field in (
        (cancelled, "cancelled_on"),
        (issued, "cancelled_on"),
        (fulfilled, "closed_on"),
        (dropped, "closed_on"),
        (placed, "closed_on"),
    ):
        aged = attrs.evolve(document, version=2)
        write_at_version(engine, 4, aged, as_version_4_wrote_it(aged, field))

    assert upgrade(engine) == (5,)

    uow = SqlUnitOfWork(engine)
    with uow:
        assert uow.invoices.get(cancelled.id) == attrs.evolve(cancelled, version=2)
        assert uow.invoices.get(issued.id) == attrs.evolve(issued, version=2)
        assert uow.orders.get(fulfilled.id) == attrs.evolve(fulfilled, version=2)
        assert uow.orders.get(dropped.id) == attrs.evolve(dropped, version=2)
        assert uow.orders.get(placed.id) == attrs.evolve(placed, version=2)
        # Cancelled on its issue date: never outstanding, as before version 5.
        assert uow.invoices.outstanding(as_of=MARCH_2) == [
            attrs.evolve(issued, version=2)
        ]
        assert uow.orders.find(status=OrderStatus.OPEN, as_of=MARCH_2) == [
            attrs.evolve(placed, version=2)
        ]
    # The documents are the very text kamcore writes for them now, and the
    # query columns are filled.
    assert stored(engine, "invoices", "i-cancelled") == (
        to_json(attrs.evolve(cancelled, version=2)),
        "2026-03-02",
    )
    assert stored(engine, "invoices", "i-issued") == (
        to_json(attrs.evolve(issued, version=2)),
        None,
    )
    assert stored(engine, "orders", "o-fulfilled") == (
        to_json(attrs.evolve(fulfilled, version=2)),
        "2026-03-02",
    )
    assert stored(engine, "orders", "o-open") == (
        to_json(attrs.evolve(placed, version=2)),
        None,
    )


def test_an_old_cancelled_invoice_upgrades_from_version_1_in_one_go(
    engine: sa.Engine,
) -> None:
    # Migration 2 back-fills invoices.settled_from from documents that only
    # migration 5 gives a cancellation date: it reads them through that rewrite.
    upgrade(engine, to=1)
    cancelled = invoice(
        "i-old", issued=MARCH_2, status=InvoiceStatus.CANCELLED, cancelled=MARCH_2
    )
    write_at_version(
        engine, 1, cancelled, as_version_4_wrote_it(cancelled, "cancelled_on")
    )
    assert upgrade(engine) == (2, 3, 4, 5)
    uow = SqlUnitOfWork(engine)
    with uow:
        assert uow.invoices.get(cancelled.id) == cancelled
    assert stored(engine, "invoices", "i-old") == (to_json(cancelled), "2026-03-02")


def test_documents_already_dated_are_left_as_they_are(engine: sa.Engine) -> None:
    upgrade(engine, to=4)
    later = invoice(
        "i-new",
        issued=MARCH_2,
        status=InvoiceStatus.CANCELLED,
        cancelled=dt.date(2026, 3, 20),
    )
    write_at_version(engine, 4, later, to_json(later))
    assert upgrade(engine) == (5,)
    assert stored(engine, "invoices", "i-new") == (to_json(later), "2026-03-20")


def test_an_unknown_status_stops_the_cancellation_migration(engine: sa.Engine) -> None:
    upgrade(engine, to=4)
    issued = invoice("i-bad", issued=MARCH_2)
    document = json.loads(as_version_4_wrote_it(issued, "cancelled_on"))
    text = json.dumps(document | {"status": "void"})
    write_at_version(engine, 4, issued, text)
    with pytest.raises(ValidationError) as caught:
        upgrade(engine)
    assert caught.value.subject == "Invoice stored in invoices row 'i-bad'"
    assert [(e.path, e.message, e.value) for e in caught.value.errors] == [
        ("$.status", "expected one of 'issued', 'cancelled'", "void")
    ]
    assert schema_version(engine) == 4
    columns = [c["name"] for c in sa.inspect(engine).get_columns("invoices")]
    assert "cancelled_on" not in columns
