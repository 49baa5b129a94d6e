"""What the SQL unit of work does beyond the conformance suite (on SQLite)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import Mock

import attrs
import pytest
import sqlalchemy as sa
from sql_support import private_folder, sqlite_engine

from kamcore.adapters.sql import (
    SCHEMA_VERSION,
    SchemaVersionError,
    SqlUnitOfWork,
    create_engine_for,
    upgrade,
)
from kamcore.adapters.sql._tables import KIND_TABLES
from kamcore.adapters.sql._transaction import Transaction
from kamcore.errors import NotFoundError, TransactionError, ValidationError
from kamcore.kernel import ClientId, InvoiceId, TicketId
from kamcore.ports import UnitOfWork
from kamcore.serialization import to_json
from kamcore.testing._kinds import KINDS
from kamcore.testing._samples import PARIS_WINTER, client, invoice, product, ticket

TIMEOUT = 30.0
C1, C2 = ClientId("c-1"), ClientId("c-2")


@pytest.fixture
def folder() -> Iterator[Path]:
    with private_folder() as path:
        yield path


@pytest.fixture
def engine(folder: Path) -> Iterator[sa.Engine]:
    with sqlite_engine(folder) as engine:
        upgrade(engine)
        yield engine


@pytest.fixture
def uow(engine: sa.Engine) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine)


def raw(engine: sa.Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as connection:
        result = connection.execute(sa.text(sql), params)
        rows = list(result) if result.returns_rows else []
        connection.commit()
    return rows


def test_sql_unit_of_work_is_a_unit_of_work(uow: SqlUnitOfWork) -> None:
    # Checked by mypy: the assignment fails type checking if the protocol drifts.
    typed: UnitOfWork = uow
    with typed:
        assert typed.clients.all() == []


def test_every_aggregate_kind_has_a_table_and_a_repository(uow: SqlUnitOfWork) -> None:
    assert {kind.type for kind in KINDS} == {table.entity for table in KIND_TABLES}
    protocol_members = {
        name for name, value in vars(UnitOfWork).items() if isinstance(value, property)
    }
    assert protocol_members == {table.name for table in KIND_TABLES}
    assert all(hasattr(uow, name) for name in protocol_members)


# -- the schema ------------------------------------------------------------------


def test_a_database_without_the_schema_is_refused_with_the_remedy(
    folder: Path,
) -> None:
    with sqlite_engine(folder) as engine:
        with pytest.raises(SchemaVersionError) as caught:
            SqlUnitOfWork(engine).__enter__()
        assert (caught.value.found, caught.value.expected) == (0, SCHEMA_VERSION)
        assert "kamcore.adapters.sql.upgrade(engine)" in str(caught.value)


def test_a_database_from_a_newer_kamcore_is_refused(engine: sa.Engine) -> None:
    raw(
        engine,
        "INSERT INTO kamcore_schema (version, description) VALUES (:v, 'future')",
        v=SCHEMA_VERSION + 1,
    )
    with pytest.raises(SchemaVersionError) as caught, SqlUnitOfWork(engine):
        pass
    assert caught.value.found == SCHEMA_VERSION + 1
    assert "newer kamcore" in str(caught.value)


def test_the_schema_check_leaves_the_unit_of_work_usable(folder: Path) -> None:
    with sqlite_engine(folder) as engine:
        uow = SqlUnitOfWork(engine)
        with pytest.raises(SchemaVersionError):
            uow.__enter__()
        upgrade(engine)
        with uow:
            assert uow.clients.all() == []


# -- engines -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory&uri=true"]
)
def test_an_in_memory_sqlite_database_is_refused(url: str) -> None:
    with pytest.raises(ValidationError) as caught:
        create_engine_for(url)
    assert "kamcore.adapters.memory" in caught.value.messages[0]


def test_an_unsupported_database_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        create_engine_for("mysql://kam:secret@db/kamcore")
    assert caught.value.messages == [
        "unsupported database 'mysql': kamcore's SQL adapters support sqlite and "
        "postgresql @ url"
    ]
    assert "secret" not in str(caught.value)


def test_postgresql_urls_get_the_psycopg_driver() -> None:
    engine = create_engine_for("postgresql://kam@db.example/kamcore")
    assert (engine.dialect.name, engine.dialect.driver) == ("postgresql", "psycopg")


def test_sqlite_files_use_write_ahead_logging(engine: sa.Engine) -> None:
    assert raw(engine, "PRAGMA journal_mode") == [("wal",)]


# -- stored exactly --------------------------------------------------------------


def test_the_document_keeps_every_digit_and_the_offset(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    sample = attrs.evolve(
        invoice("i-1"),
        lines=(
            attrs.evolve(
                invoice("i-1").lines[0],
                quantity=Decimal("2.50"),
                unit_price=attrs.evolve(
                    invoice("i-1").lines[0].unit_price, amount=Decimal("13.7350")
                ),
            ),
        ),
    )
    opened = dt.datetime(2026, 3, 2, 10, 15, 30, 123456, tzinfo=PARIS_WINTER)
    with uow:
        stored = uow.invoices.add(sample)
        uow.tickets.add(ticket("t-1", opened=opened))
        uow.commit()
    [(document,)] = raw(engine, "SELECT document FROM invoices")
    line = json.loads(document)["lines"][0]
    assert (line["quantity"], line["unit_price"]["amount"]) == ("2.50", "13.7350")
    assert document == to_json(stored)
    # The query column holds the instant in UTC; the document, the offset written.
    [(column, ticket_document)] = raw(engine, "SELECT opened_at, document FROM tickets")
    assert column == "2026-03-02 09:15:30.123456"
    assert (
        json.loads(ticket_document)["opened_at"] == "2026-03-02T10:15:30.123456+01:00"
    )
    with uow:
        again = uow.tickets.get(TicketId("t-1")).opened_at
    assert (again, again.utcoffset()) == (opened, dt.timedelta(hours=1))


# -- what comes back from storage is validated --------------------------------------


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"id": "c-1"}', "required field missing"),
    ],
)
def test_a_malformed_row_raises_a_validation_error(
    uow: SqlUnitOfWork, engine: sa.Engine, document: str, message: str
) -> None:
    with uow:
        uow.clients.add(client("c-1"))
        uow.commit()
    raw(engine, "UPDATE clients SET document = :d", d=document)
    for read in (
        lambda: uow.clients.get(C1),
        uow.clients.all,
        lambda: uow.clients.find(status=None),
    ):
        with uow, pytest.raises(ValidationError) as caught:
            read()
        assert caught.value.subject == "Client stored in clients row 'c-1'"
        assert message in caught.value.messages[0]


def test_a_field_of_the_wrong_type_in_a_row_names_its_path(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    with uow:
        uow.invoices.add(invoice("i-1"))
        uow.commit()
    [(document,)] = raw(engine, "SELECT document FROM invoices")
    data = json.loads(document)
    data["lines"][0]["unit_price"]["amount"] = 100.5
    raw(engine, "UPDATE invoices SET document = :d", d=json.dumps(data))
    with uow, pytest.raises(ValidationError) as caught:
        uow.invoices.get(InvoiceId("i-1"))
    assert caught.value.messages == [
        "expected a decimal string, got number 100.5 @ $.lines[0].unit_price.amount"
    ]


def test_a_stored_unit_price_with_a_floats_digits_is_refused_naming_the_row(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    # Stored before unit prices were limited to 10 places: never rounded on
    # read, it is reported for an explicit repair.
    with uow:
        uow.invoices.add(invoice("i-1"))
        uow.commit()
    [(document,)] = raw(engine, "SELECT document FROM invoices")
    data = json.loads(document)
    data["lines"][0]["unit_price"]["amount"] = "123456789012.339996337890625"
    raw(engine, "UPDATE invoices SET document = :d", d=json.dumps(data))
    with uow, pytest.raises(ValidationError) as caught:
        uow.invoices.get(InvoiceId("i-1"))
    assert caught.value.subject == "Invoice stored in invoices row 'i-1'"
    assert caught.value.messages == [
        "123456789012.339996337890625 EUR has digits beyond 10 decimal places, "
        "the most a unit price keeps; round it explicitly with "
        "Money(...).rounded(places=4), or build the Decimal from a string such as "
        "'13.7350', not from a float @ $.lines[0].unit_price"
    ]


def test_a_row_whose_document_disagrees_with_its_version_is_refused(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    with uow:
        uow.clients.add(client("c-1"))
        uow.commit()
    raw(engine, "UPDATE clients SET version = 7")
    with uow, pytest.raises(ValidationError) as caught:
        uow.clients.get(C1)
    assert "are not the row's ('c-1', 7)" in caught.value.messages[0]


# -- arguments -----------------------------------------------------------------------


def test_query_bounds_of_the_wrong_type_are_refused(uow: SqlUnitOfWork) -> None:
    naive = dt.datetime(2026, 3, 1, 9, 0)  # noqa: DTZ001 - the point of the test
    with uow:
        with pytest.raises(ValidationError) as dates:
            uow.invoices.find(issued_from=naive)
        with pytest.raises(ValidationError) as instants:
            uow.activities.find(occurred_from=naive, occurred_before=naive)
        with pytest.raises(ValidationError):
            uow.tickets.find(open_at=naive)
        with pytest.raises(ValidationError):
            uow.invoices.outstanding(as_of=naive)
    assert dates.value.messages == ["expected a date, got a datetime @ issued_from"]
    assert len(instants.value.errors) == 2


def test_an_aggregate_of_another_kind_is_refused(uow: SqlUnitOfWork) -> None:
    with uow:
        with pytest.raises(ValidationError) as caught:
            uow.clients.add(product("p-1"))  # type: ignore[arg-type] # the point
        uow.commit()
        assert uow.clients.all() == []
    assert caught.value.messages == ["expected Client, got Product @ aggregate"]


# -- transactions and threads ----------------------------------------------------------


def test_reads_before_the_first_write_see_commits_made_during_the_block(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    with uow:
        assert uow.clients.all() == []
        other = SqlUnitOfWork(engine)
        with other:
            added = other.clients.add(client("c-1"))
            other.commit()
        assert uow.clients.get(C1) == added


def test_another_thread_outside_the_block_gets_a_transaction_error(
    uow: SqlUnitOfWork,
) -> None:
    outcome: list[BaseException] = []

    def outside() -> None:
        try:
            uow.clients.all()
        except TransactionError as error:
            outcome.append(error)

    with uow:
        thread = threading.Thread(target=outside, daemon=True)
        thread.start()
        thread.join(TIMEOUT)
    assert [type(error) for error in outcome] == [TransactionError]


def test_threads_sharing_one_unit_of_work_each_have_their_own_transaction(
    uow: SqlUnitOfWork,
) -> None:
    written, read = threading.Event(), threading.Event()
    seen_by_other: list[object] = []

    def other_thread() -> None:
        assert written.wait(TIMEOUT)
        with uow:
            try:
                uow.clients.get(C1)
            except NotFoundError as error:
                seen_by_other.append(error.ids)
        read.set()

    thread = threading.Thread(target=other_thread, daemon=True)
    thread.start()
    with uow:
        mine = uow.clients.add(client("c-1"))
        written.set()
        assert read.wait(TIMEOUT)
        uow.commit()
    thread.join(TIMEOUT)
    assert seen_by_other == [("c-1",)]
    with uow:
        assert uow.clients.all() == [mine]


def test_a_second_sqlite_writer_waits_for_the_first_to_commit(
    uow: SqlUnitOfWork, engine: sa.Engine
) -> None:
    first_wrote, second_done = threading.Event(), threading.Event()
    order: list[str] = []

    def second() -> None:
        assert first_wrote.wait(TIMEOUT)
        with uow:
            uow.clients.add(client("c-2"))  # waits for the write lock
            order.append("second wrote")
            uow.commit()
        second_done.set()

    thread = threading.Thread(target=second, daemon=True)
    thread.start()
    with uow:
        uow.clients.add(client("c-1"))
        first_wrote.set()
        assert not second_done.wait(0.2)
        order.append("first commits")
        uow.commit()
    thread.join(TIMEOUT)
    assert order == ["first commits", "second wrote"]
    with uow:
        assert [c.id for c in uow.clients.all()] == ["c-1", "c-2"]


def test_a_block_may_go_on_after_a_failed_write(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.clients.add(client("c-1"))
        uow.commit()
    with uow:
        kept = uow.clients.add(client("c-2"))
        with pytest.raises(NotFoundError):
            uow.clients.save(attrs.evolve(client("c-9"), version=1))
        uow.commit()
    with uow:
        assert uow.clients.get(C2) == kept


def test_get_many_reads_long_id_lists_in_chunks(uow: SqlUnitOfWork) -> None:
    wanted = [ClientId(f"c-{n:04}") for n in range(1200)]
    with uow:
        for client_id in wanted:
            uow.clients.add(client(client_id))
        uow.commit()
    with uow:
        found = uow.clients.get_many([*reversed(wanted), wanted[0]])
        with pytest.raises(NotFoundError) as caught:
            uow.clients.get_many([*wanted, ClientId("x-1"), ClientId("x-0")])
    assert [c.id for c in found] == [*reversed(wanted), wanted[0]]
    assert caught.value.ids == ("x-1", "x-0")


# -- the query plans use the indexes ------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "index"),
    [
        (
            "SELECT id FROM invoices WHERE client = 'c' AND issue_date >= '2026-01-01' "
            "ORDER BY issue_date, id",
            "ix_invoices_client_issue_date",
        ),
        (
            "SELECT id FROM orders WHERE client = 'c' ORDER BY order_date, id",
            "ix_orders_client_order_date",
        ),
        (
            "SELECT id FROM tickets WHERE client = 'c' ORDER BY opened_at, id",
            "ix_tickets_client_opened_at",
        ),
        ("SELECT id FROM activities WHERE contract = 'k'", "ix_activities_contract"),
        (
            "SELECT id FROM contracts WHERE term_end <= '2026-12-31'",
            "ix_contracts_term_end",
        ),
        (
            "SELECT id FROM renewal_alerts WHERE contract = 'k'",
            "ix_renewal_alerts_contract",
        ),
        (
            "SELECT owner FROM clients__groups WHERE value = 'g'",
            "ix_clients__groups_value",
        ),
        (
            "SELECT id FROM invoices WHERE status = 'issued' AND settled_from IS NULL",
            "ix_invoices_status_settled_from_due_date",
        ),
    ],
)
def test_port_queries_search_an_index(engine: sa.Engine, sql: str, index: str) -> None:
    plan = " ".join(str(row[-1]) for row in raw(engine, f"EXPLAIN QUERY PLAN {sql}"))
    assert index in plan, plan


def test_a_failed_commit_rolls_the_transaction_back() -> None:
    connection = Mock(spec=sa.Connection)
    connection.commit.side_effect = sa.exc.OperationalError("COMMIT", {}, Exception())
    transaction = Transaction(connection)
    with pytest.raises(sa.exc.OperationalError):
        transaction.commit()
    connection.rollback.assert_called_once_with()
