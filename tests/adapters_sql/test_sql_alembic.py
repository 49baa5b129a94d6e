"""kamcore's schema in a host's Alembic environment, on SQLite and PostgreSQL.

A host project (``alembic_host.py``: one table of its own, a revision that
depends on kamcore's head) is upgraded with ``alembic upgrade heads``; kamcore's
branch must build exactly what kamcore's own migrator builds, also on a
database the own migrator began. The PostgreSQL cases work in a schema of
their own and are skipped without a server unless ``KAMCORE_REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic_host import (
    BACKENDS,
    URL_VARIABLE,
    connected,
    fresh_database,
    host_config,
    kamcore_layout,
    kamcore_upgrade,
    ledger,
    rows,
    run_alembic,
    version_of,
    write_host_project,
)

from kamcore.adapters.sql import (
    MIGRATIONS,
    SCHEMA_VERSION,
    SqlUnitOfWork,
    create_engine_for,
)
from kamcore.adapters.sql.alembic import (
    metadata,
    revision_id,
)
from kamcore.errors import ValidationError
from kamcore.testing._samples import client


# -- a host project upgraded by `alembic upgrade heads`, in a new process -------
@attrs.frozen
class Upgraded:
    url: str
    ini: Path


@pytest.fixture(scope="module", params=BACKENDS)
def upgraded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Upgraded]:
    ini = write_host_project(tmp_path_factory.mktemp("host"))
    with fresh_database(request.param) as url:
        run = run_alembic(ini, url, "upgrade", "heads")
        assert (run.returncode, run.stdout) == (0, ""), run.stderr
        yield Upgraded(url, ini)


def test_upgrade_heads_writes_every_kamcore_migration_in_the_ledger(
    upgraded: Upgraded,
) -> None:
    assert ledger(upgraded.url) == [(m.version, m.description) for m in MIGRATIONS]
    assert version_of(upgraded.url) == SCHEMA_VERSION


def test_alembic_records_the_host_head_that_depends_on_kamcore_s(
    upgraded: Upgraded,
) -> None:
    assert rows(upgraded.url, "SELECT version_num FROM alembic_version") == [
        ("crm_0001",)
    ]


def test_upgrade_heads_creates_the_host_table(upgraded: Upgraded) -> None:
    with connected(upgraded.url) as connection:
        columns = sa.inspect(connection).get_columns("deals")
    assert [(c["name"], c["nullable"]) for c in columns] == [
        ("id", False),
        ("client", False),
        ("title", False),
    ]


def test_a_unit_of_work_stores_and_reads_on_the_alembic_managed_database(
    upgraded: Upgraded,
) -> None:
    engine = create_engine_for(upgraded.url)
    try:
        uow = SqlUnitOfWork(engine)
        with uow:
            stored = uow.clients.add(client("c-alembic", manager="m.rossi"))
            uow.commit()
        with uow:
            assert uow.clients.get(stored.id) == stored
            assert uow.clients.all() == [stored]
    finally:
        engine.dispose()


def test_autogenerate_finds_no_difference_with_host_and_kamcore_metadata(
    upgraded: Upgraded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_VARIABLE, upgraded.url)
    command.check(host_config(upgraded.ini))  # raises on any difference
    with connected(upgraded.url) as connection:
        found = compare_metadata(MigrationContext.configure(connection), metadata())
    # kamcore's metadata alone: only the host's table is not in it.
    assert [(op, table.name) for op, table in found] == [("remove_table", "deals")]


# -- switching from kamcore's own migrator --------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_database_begun_by_kamcore_s_migrator_ends_as_kamcore_builds_it(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fresh_database(backend) as begun, fresh_database(backend) as own:
        assert kamcore_upgrade(begun, to=3) == (1, 2, 3)
        monkeypatch.setenv(URL_VARIABLE, begun)
        command.upgrade(host_config(write_host_project(tmp_path)), "heads")
        assert kamcore_upgrade(own) == (1, 2, 3, 4, 5)
        assert ledger(begun) == ledger(own)
        assert kamcore_layout(begun) == kamcore_layout(own)


def test_a_database_at_kamcore_s_head_switches_to_alembic_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fresh_database("sqlite") as url:
        kamcore_upgrade(url)
        before = rows(url, "SELECT * FROM kamcore_schema ORDER BY version")
        monkeypatch.setenv(URL_VARIABLE, url)
        command.upgrade(host_config(write_host_project(tmp_path)), "heads")
        assert rows(url, "SELECT * FROM kamcore_schema ORDER BY version") == before
        assert rows(url, "SELECT version_num FROM alembic_version") == [("crm_0001",)]


def test_each_revision_builds_what_kamcore_s_migration_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = host_config(write_host_project(tmp_path, with_revision=False))
    with fresh_database("sqlite") as through, fresh_database("sqlite") as own:
        monkeypatch.setenv(URL_VARIABLE, through)
        for version in range(1, SCHEMA_VERSION + 1):
            command.upgrade(config, revision_id(version))
            assert kamcore_upgrade(own, to=version) == (version,)
            assert ledger(through) == ledger(own)
            assert kamcore_layout(through) == kamcore_layout(own)


def test_a_failing_revision_leaves_the_database_at_the_version_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = host_config(write_host_project(tmp_path, with_revision=False))
    with fresh_database("sqlite") as url:
        kamcore_upgrade(url, to=3)
        malformed = '{"id": "ms-bad", "override": "platinum"}'
        with connected(url) as connection:
            connection.execute(
                sa.text("INSERT INTO memberships VALUES (:id, 1, :doc, 'c-1', 'p-1')"),
                {"id": "ms-bad", "doc": malformed},
            )
            connection.commit()
        monkeypatch.setenv(URL_VARIABLE, url)
        with pytest.raises(ValidationError) as refused:
            command.upgrade(config, "heads")
        assert refused.value.subject == "Membership stored in memberships row 'ms-bad'"
        # SQLite: Alembic commits revision by revision; the fourth rolled back.
        assert version_of(url) == 3
        assert rows(url, "SELECT version_num FROM alembic_version") == [
            ("kamcore_0003",)
        ]
        assert rows(url, "SELECT document FROM memberships") == [(malformed,)]
