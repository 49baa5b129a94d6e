"""Random entities through SQLite and back: equal, and to the last digit.

Equality alone is not enough: ``Decimal("1.10") == Decimal("1.1")`` and two
datetimes at the same instant in other offsets compare equal. So each value
read back must also serialise to exactly the JSON of the value written -- the
same digits, the same offsets.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from kamcore.adapters.memory import InMemoryUnitOfWork
from kamcore.adapters.sql import (
    SCHEMA_VERSION,
    SqlUnitOfWork,
    create_engine_for,
    upgrade,
)
from kamcore.adapters.sql._tables import build_schema
from kamcore.serialization import to_json
from kamcore.testing import strategies as ks
from kamcore.testing._kinds import kind_of

# Few examples: each one is a few round trips through a database file.
FEW = settings(max_examples=25, deadline=None)
RAM_DISK = Path("/dev/shm")  # noqa: S108 - a private directory is made inside

KINDS = (
    ks.clients(),
    ks.client_groups(),
    ks.products(),
    ks.price_lists(),
    ks.discount_groups(),
    ks.orders(),
    ks.invoices(),
    ks.tickets(),
    ks.activities(),
    ks.contracts(),
    ks.renewal_alerts(),
    ks.opportunities(),
    ks.proposals(),
)
ENTITIES = st.one_of(KINDS)
#: Two entities of one kind.
PAIRS = st.sampled_from(KINDS).flatmap(lambda kind: st.tuples(kind, kind))


@pytest.fixture(scope="module")
def engine() -> Iterator[sa.Engine]:
    folder = tempfile.mkdtemp(
        prefix="kamcore-sql-", dir=RAM_DISK if RAM_DISK.is_dir() else None
    )
    engine = create_engine_for(f"sqlite:///{folder}/kamcore.db")
    upgrade(engine)
    yield engine
    engine.dispose()
    shutil.rmtree(folder)


def emptied(engine: sa.Engine) -> SqlUnitOfWork:
    """A unit of work on ``engine``, every table emptied first."""
    schema = build_schema(SCHEMA_VERSION)
    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        for table in schema.metadata.sorted_tables:
            if table is not schema.applied:
                connection.execute(sa.delete(table))
        connection.commit()
    return SqlUnitOfWork(engine)


def assert_exactly(found: Any, expected: Any) -> None:
    assert found == expected
    assert to_json(found) == to_json(expected)


@FEW
@given(entity=ENTITIES)
def test_an_entity_comes_back_exactly(engine: sa.Engine, entity: Any) -> None:
    uow = emptied(engine)
    repository = kind_of(entity).repository
    with uow:
        added = repository(uow).add(entity)
        uow.commit()
    with uow:
        assert_exactly(repository(uow).get(entity.id), added)
        [listed] = repository(uow).all()
        assert_exactly(listed, attrs.evolve(entity, version=1))


@FEW
@given(pair=PAIRS)
def test_a_saved_entity_comes_back_exactly(
    engine: sa.Engine, pair: tuple[Any, Any]
) -> None:
    # The second value is another random entity of the same kind, under the
    # first one's id: every field changes, so every column is rewritten.
    first, second = pair
    kind = kind_of(first)
    uow = emptied(engine)
    with uow:
        stored = kind.repository(uow).add(first)
        uow.commit()
    changed = attrs.evolve(second, id=first.id, version=stored.version)
    with uow:
        saved = kind.repository(uow).save(changed)
        uow.commit()
    with uow:
        assert_exactly(kind.repository(uow).get(first.id), saved)
    assert saved.version == 2


@FEW
@given(
    invoices=st.lists(ks.invoices(), max_size=4, unique_by=lambda i: i.id),
    as_of=ks.dates(),
    pick=st.integers(min_value=0),
)
def test_outstanding_invoices_are_the_in_memory_adapters(
    engine: sa.Engine, invoices: list[Any], as_of: dt.date, pick: int
) -> None:
    # The SQL query prefilters on a stored "settled from" day; the in-memory
    # adapter asks every invoice. They must agree, on any day, including the
    # days payments and credit notes arrive.
    days = [
        as_of,
        *(p.received_on for i in invoices for p in i.payments),
        *(c.issued_on for i in invoices for c in i.credit_notes),
        *(i.issue_date for i in invoices),
    ]
    day = days[pick % len(days)]
    sql, memory = emptied(engine), InMemoryUnitOfWork()
    for uow in (sql, memory):
        with uow:
            for invoice in invoices:
                uow.invoices.add(invoice)
            uow.commit()
    with sql, memory:
        assert sql.invoices.outstanding(as_of=day) == memory.invoices.outstanding(
            as_of=day
        )
