"""Queries the conformance suite has no cases for yet, checked against the
in-memory adapter: same filters, same answers, same order."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from sql_support import private_folder, sqlite_engine

from kamcore.adapters.memory import InMemoryUnitOfWork
from kamcore.adapters.sql import SqlUnitOfWork, upgrade
from kamcore.adapters.sql._tables import build_schema
from kamcore.contracts import CaseStage, CaseStep, RenewalCase
from kamcore.kernel import ClientId, ContractId, ManagerId, RenewalCaseId
from kamcore.testing._deal_kinds import full_renewal_case
from kamcore.testing._samples import INSTANT, PARIS_WINTER, ticket

M1 = ManagerId("m-1")


@pytest.fixture
def engine() -> Iterator[sa.Engine]:
    with private_folder() as folder, sqlite_engine(folder) as engine:
        upgrade(engine)
        yield engine


def opened(id: str, contract: str, client: str, term_end: dt.date) -> RenewalCase:  # noqa: A002
    return RenewalCase(
        id=RenewalCaseId(id),
        contract=ContractId(contract),
        client=ClientId(client),
        term_end=term_end,
        steps=(CaseStep(stage=CaseStage.OPENED, at=INSTANT, by=M1),),
    )


def cases() -> list[RenewalCase]:
    negotiating = full_renewal_case("rc-2")  # k-1, c-1, ends 2026-04-30
    declined = attrs.evolve(
        full_renewal_case("rc-4"), contract=ContractId("k-2")
    ).advance(CaseStage.DECLINED, at=INSTANT + dt.timedelta(days=30), by=M1)
    return [
        opened("rc-5", "k-3", "c-2", dt.date(2026, 4, 30)),  # ties rc-2, rc-4
        declined,
        negotiating,
        opened("rc-1", "k-1", "c-1", dt.date(2027, 4, 30)),
        opened("rc-3", "k-2", "c-1", dt.date(2026, 1, 31)),
    ]


def test_renewal_cases_are_found_as_the_in_memory_adapter_finds_them(
    engine: sa.Engine,
) -> None:
    sql, memory = SqlUnitOfWork(engine), InMemoryUnitOfWork()
    for uow in (sql, memory):
        with uow:
            for case in cases():
                uow.renewal_cases.add(case)
            uow.commit()
    filters: dict[str, list[Any]] = {
        "contract": [None, ContractId("k-1"), ContractId("k-2"), ContractId("k-9")],
        "client": [None, ClientId("c-1"), ClientId("c-2")],
        "stage": [None, CaseStage.OPENED, CaseStage.DECLINED],
        "open": [None, True, False],
    }
    answers = set()
    with sql, memory:
        assert [c.id for c in sql.renewal_cases.find()] == [
            "rc-3",
            "rc-2",
            "rc-4",
            "rc-5",
            "rc-1",
        ]
        for values in itertools.product(*filters.values()):
            query = dict(zip(filters, values, strict=True))
            found = sql.renewal_cases.find(**query)
            assert found == memory.renewal_cases.find(**query), query
            answers.add(tuple(c.id for c in found))
    assert len(answers) > 10  # the filters do tell the cases apart


def test_an_instant_column_reads_back_aware_in_utc(engine: sa.Engine) -> None:
    opened_at = dt.datetime(2026, 3, 2, 10, 15, 30, 123456, tzinfo=PARIS_WINTER)
    uow = SqlUnitOfWork(engine)
    with uow:
        uow.tickets.add(ticket("t-1", opened=opened_at))
        uow.commit()
    tickets = build_schema(3).kinds["tickets"]
    with engine.connect() as connection:
        column = connection.execute(sa.select(tickets.c.opened_at)).scalar_one()
        resolved = connection.execute(sa.select(tickets.c.resolved_at)).scalar_one()
    assert column == opened_at
    assert column.tzinfo is dt.UTC
    assert resolved is None
