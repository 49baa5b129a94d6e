"""A host's own client repository, as a CRM team would write it, proved by kamcore.

The CRM keeps its clients in its own tables through the SQLAlchemy ORM; kamcore
keeps everything else. ``CrmClientRepository`` below knows nothing of
kamcore's adapters: it implements :class:`kamcore.ports.ClientRepository` on
its own ``crm_clients`` table, one ORM session per ``with`` block
(``SessionScope``, a :class:`kamcore.ports.Transactional`), and calls
:func:`kamcore.adapters.sql.begin_write` before writing so that two writers
race safely on SQLite. It passes the client repository's conformance suite,
and kamcore's services run unchanged over it in a
:class:`~kamcore.adapters.composite.CompositeUnitOfWork`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Self

import attrs
import sqlalchemy as sa
from sqlalchemy import orm

from kamcore._demo import build_demo_portfolio
from kamcore.accounts import Client, ClientStatus
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.composite import CompositeUnitOfWork
from kamcore.adapters.ids import SequentialIdSource
from kamcore.adapters.memory import InMemoryUnitOfWork
from kamcore.adapters.sql import SqlUnitOfWork, begin_write, create_engine_for, upgrade
from kamcore.errors import (
    ConcurrencyConflictError,
    DuplicateError,
    NotFoundError,
    TransactionError,
)
from kamcore.kernel import ClientGroupId, ClientId, ManagerId
from kamcore.metrics import AccountSelection
from kamcore.ports import ClientRepository, Transactional, UnitOfWork
from kamcore.serialization import from_json, to_json
from kamcore.services import weekly_report
from kamcore.testing.conformance import ClientRepositoryConformance

# -- the host's code -------------------------------------------------------------


class Base(orm.DeclarativeBase):
    pass


class ClientRow(Base):
    __tablename__ = "crm_clients"

    id: orm.Mapped[str] = orm.mapped_column(primary_key=True)
    version: orm.Mapped[int]
    manager: orm.Mapped[str | None] = orm.mapped_column(index=True)
    key_account: orm.Mapped[bool]
    status: orm.Mapped[str]
    document: orm.Mapped[str]
    groups: orm.Mapped[list[ClientGroupRow]] = orm.relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class ClientGroupRow(Base):
    __tablename__ = "crm_client_groups"

    client_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("crm_clients.id"), primary_key=True
    )
    group_id: orm.Mapped[str] = orm.mapped_column(primary_key=True)


class SessionScope:
    """One ORM session per ``with`` block and thread: the CRM's transaction."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._local = threading.local()

    def __enter__(self) -> Self:
        if getattr(self._local, "session", None) is not None:
            raise TransactionError("the CRM session scope is already active")
        self._local.session = orm.Session(self._engine, autoflush=True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._local.session = self._local.session, None
        session.close()  # rolls back what was not committed

    def commit(self) -> None:
        session = self.session()
        try:
            session.commit()
        except BaseException:
            session.rollback()
            raise

    def rollback(self) -> None:
        self.session().rollback()

    def session(self) -> orm.Session:
        session: orm.Session | None = getattr(self._local, "session", None)
        if session is None:
            raise TransactionError("the CRM's clients are used outside a `with` block")
        return session


class CrmClientRepository:
    """The CRM's clients, as a :class:`kamcore.ports.ClientRepository`."""

    def __init__(self, scope: SessionScope) -> None:
        self._scope = scope

    def get(self, aggregate_id: ClientId, /) -> Client:
        return self.get_many([aggregate_id])[0]

    def get_many(self, ids: Iterable[ClientId], /) -> list[Client]:
        asked = list(ids)
        found = {row.id: row for row in self._rows(ClientRow.id.in_(asked))}
        missing = [i for i in asked if i not in found]
        if missing:
            raise NotFoundError("Client", missing)
        return [_client(found[i]) for i in asked]

    def add(self, aggregate: Client, /) -> Client:
        if aggregate.version != 0:
            raise ConcurrencyConflictError("Client", aggregate.id, aggregate.version, 0)
        session = self._scope.session()
        begin_write(session)
        if self._rows(ClientRow.id == aggregate.id):
            raise DuplicateError("Client", aggregate.id)
        stored = attrs.evolve(aggregate, version=1)
        session.add(_row(ClientRow(id=stored.id), stored))
        session.flush()
        return stored

    def save(self, aggregate: Client, /) -> Client:
        session = self._scope.session()
        begin_write(session)
        rows = self._rows(ClientRow.id == aggregate.id)
        if not rows:
            raise NotFoundError("Client", [aggregate.id])
        [row] = rows
        if row.version != aggregate.version:
            raise ConcurrencyConflictError(
                "Client", aggregate.id, aggregate.version, row.version
            )
        stored = attrs.evolve(aggregate, version=aggregate.version + 1)
        _row(row, stored)
        session.flush()
        return stored

    def all(self) -> list[Client]:
        return [_client(row) for row in self._rows(sa.true())]

    def find(
        self,
        *,
        manager: ManagerId | None = None,
        group: ClientGroupId | None = None,
        key_account: bool | None = None,
        status: ClientStatus | None = None,
    ) -> list[Client]:
        where: list[sa.ColumnElement[bool]] = []
        if manager is not None:
            where.append(ClientRow.manager == manager)
        if group is not None:
            where.append(ClientRow.groups.any(ClientGroupRow.group_id == group))
        if key_account is not None:
            where.append(ClientRow.key_account == key_account)
        if status is not None:
            where.append(ClientRow.status == status.value)
        return [_client(row) for row in self._rows(*where)]

    def _rows(self, *where: sa.ColumnElement[bool]) -> list[ClientRow]:
        # populate_existing: read what is stored now, not what the session
        # loaded earlier in the block.
        query = (
            sa.select(ClientRow)
            .where(*where)
            .order_by(ClientRow.id)
            .execution_options(populate_existing=True)
        )
        return list(self._scope.session().scalars(query))


def _row(row: ClientRow, client: Client) -> ClientRow:
    row.version = client.version
    row.manager = client.account_manager
    row.key_account = client.key_account
    row.status = client.status.value
    row.document = to_json(client)
    row.groups = [ClientGroupRow(group_id=g) for g in sorted(client.groups)]
    return row


def _client(row: ClientRow) -> Client:
    return from_json(row.document, Client)


# -- the host's tests ------------------------------------------------------------


class TestCrmClientRepository(ClientRepositoryConformance):
    def make_repository_factory(
        self,
    ) -> Callable[[], tuple[ClientRepository, Transactional]]:
        self.folder = tempfile.TemporaryDirectory()
        self.engine = create_engine_for(f"sqlite:///{self.folder.name}/crm.db")
        Base.metadata.create_all(self.engine)

        def make() -> tuple[ClientRepository, Transactional]:
            scope = SessionScope(self.engine)
            return CrmClientRepository(scope), scope

        return make

    def close_storage(self) -> None:
        self.engine.dispose()
        self.folder.cleanup()


MONDAY = FixedClock(dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC))


def _report(uow: UnitOfWork) -> object:
    build_demo_portfolio(uow, SequentialIdSource(), MONDAY.today())
    return weekly_report(uow, MONDAY, selection=AccountSelection.key_accounts())


def test_kamcore_runs_the_weekly_routine_on_the_crms_clients(tmp_path: Path) -> None:
    crm = create_engine_for(f"sqlite:///{tmp_path}/crm.db")
    Base.metadata.create_all(crm)
    kamcore = create_engine_for(f"sqlite:///{tmp_path}/kamcore.db")
    upgrade(kamcore)
    scope = SessionScope(crm)
    uow = CompositeUnitOfWork(
        SqlUnitOfWork(kamcore), stores=[scope], clients=CrmClientRepository(scope)
    )
    try:
        mixed = _report(uow)
        with scope:
            crm_clients = scope.session().scalar(sa.select(sa.func.count(ClientRow.id)))
        with SqlUnitOfWork(kamcore) as alone:
            kamcore_clients = alone.clients.all()
    finally:
        crm.dispose()
        kamcore.dispose()
    assert mixed == _report(InMemoryUnitOfWork())
    assert (crm_clients, kamcore_clients) == (6, [])
