"""kamcore's schema in a host's Alembic environment, on SQLite and PostgreSQL.

A host project (``alembic_host.py``: one table of its own, a revision that
depends on kamcore's head) is upgraded with ``alembic upgrade heads``; kamcore's
branch must build exactly what kamcore's own migrator builds. The PostgreSQL
cases use ``KAMCORE_TEST_POSTGRES_URL`` (else the default of
``tests/conformance/test_postgres_adapter.py``), each in a schema of its own,
and are skipped without a server unless ``KAMCORE_REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic_host import (
    URL_VARIABLE,
    alembic_url,
    host_config,
    run_alembic,
    write_host_project,
)
from sql_support import private_folder, sqlite_url

from kamcore.adapters.sql import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    SchemaVersionError,
    SqlUnitOfWork,
    _migrations,
    _tables,
    create_engine_for,
    schema_version,
    upgrade,
)
from kamcore.adapters.sql._migrations import apply_migration, ensure_ledger
from kamcore.adapters.sql._tables import KIND_TABLES, Field, build_schema
from kamcore.adapters.sql.alembic import (
    BRANCH_LABEL,
    VERSION_LOCATION,
    OfflineMigrationError,
    include_object,
    metadata,
    revision_id,
    versions_directory,
)
from kamcore.errors import ValidationError
from kamcore.testing._samples import client, product

POSTGRES_URL = os.environ.get(
    "KAMCORE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_REQUIRED = os.environ.get("KAMCORE_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgresql"]
HOST_TABLES = ("alembic_version", "deals")


@functools.cache
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or ``None`` if it can (asked once)."""
    engine = create_engine_for(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except sa.exc.DBAPIError as error:
        return f"no PostgreSQL server answers at {POSTGRES_URL}: {error.orig}"
    finally:
        engine.dispose()


@contextmanager
def fresh_database(backend: str) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, or a PostgreSQL schema of
    its own (dropped at the end)."""
    if backend == "sqlite":
        with private_folder() as folder:
            yield sqlite_url(folder, "crm.db")
        return
    problem = postgres_problem()
    if problem is not None:
        if POSTGRES_REQUIRED:
            pytest.fail(f"KAMCORE_REQUIRE_POSTGRES=1, but {problem}", pytrace=False)
        pytest.skip(f"PostgreSQL case skipped: {problem}")
    name = f"kamcore_alembic_{uuid.uuid4().hex[:12]}"
    admin = create_engine_for(POSTGRES_URL)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        connection.commit()
    try:
        yield alembic_url(POSTGRES_URL, search_path=name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
            connection.commit()
        admin.dispose()


@contextmanager
def connected(url: str) -> Iterator[sa.Connection]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with connected(url) as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql)]


def kamcore_upgrade(url: str, *, to: int | None = None) -> tuple[int, ...]:
    """kamcore's own migrator on ``url``."""
    engine = create_engine_for(url)
    try:
        return upgrade(engine, to=to)
    finally:
        engine.dispose()


def version_of(url: str) -> int:
    engine = create_engine_for(url)
    try:
        return schema_version(engine)
    finally:
        engine.dispose()


def ledger(url: str) -> list[tuple[Any, ...]]:
    return rows(url, "SELECT version, description FROM kamcore_schema ORDER BY 1")


def kamcore_layout(url: str) -> dict[str, Any]:
    """kamcore's tables as the database has them: columns, keys and indexes."""
    with connected(url) as connection:
        inspector = sa.inspect(connection)
        return {
            table: (
                [
                    (c["name"], str(c["type"]), c["nullable"], c["default"])
                    for c in inspector.get_columns(table)
                ],
                inspector.get_pk_constraint(table)["constrained_columns"],
                sorted(
                    (
                        i["name"],
                        tuple(i["column_names"]),
                        i["unique"],
                        sorted(
                            (option, str(value))
                            for option, value in i.get("dialect_options", {}).items()
                        ),
                    )
                    for i in inspector.get_indexes(table)
                ),
                sorted(
                    tuple(u["column_names"])
                    for u in inspector.get_unique_constraints(table)
                ),
            )
            for table in sorted(inspector.get_table_names())
            if table not in HOST_TABLES
        }


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


# -- the branch -------------------------------------------------------------------
def kamcore_scripts() -> ScriptDirectory:
    return ScriptDirectory(
        str(versions_directory()), version_locations=[VERSION_LOCATION]
    )


def test_the_branch_has_one_revision_per_migration_in_order() -> None:
    scripts = kamcore_scripts()
    chain = [
        (s.revision, s.down_revision, tuple(sorted(s.branch_labels)))
        for s in reversed(list(scripts.walk_revisions()))
    ]
    assert chain == [
        ("kamcore_0001", None, ("kamcore",)),
        ("kamcore_0002", "kamcore_0001", ("kamcore",)),
        ("kamcore_0003", "kamcore_0002", ("kamcore",)),
        ("kamcore_0004", "kamcore_0003", ("kamcore",)),
        ("kamcore_0005", "kamcore_0004", ("kamcore",)),
    ]
    assert scripts.get_current_head() == revision_id(SCHEMA_VERSION)
    assert BRANCH_LABEL == "kamcore"


def test_each_revision_describes_its_migration() -> None:
    scripts = kamcore_scripts()
    for migration in MIGRATIONS:
        script = scripts.get_revision(revision_id(migration.version))
        assert script is not None
        assert script.doc.startswith(f"kamcore schema version {migration.version}: ")
        assert f"{migration.description}." in " ".join(script.longdoc.split())


def test_the_version_location_is_the_versions_directory() -> None:
    assert Path(kamcore_scripts().versions) == versions_directory()
    assert versions_directory().is_dir()


def test_a_downgrade_is_refused_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = host_config(write_host_project(tmp_path, with_revision=False))
    with fresh_database("sqlite") as url:
        monkeypatch.setenv(URL_VARIABLE, url)
        command.upgrade(config, "heads")
        with pytest.raises(SchemaVersionError) as refused:
            command.downgrade(config, "kamcore@-1")
        assert (refused.value.found, refused.value.expected) == (5, 4)
        assert "no downgrade" in str(refused.value)
        assert version_of(url) == 5
        assert rows(url, "SELECT version_num FROM alembic_version") == [
            ("kamcore_0005",)
        ]


def test_offline_sql_mode_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(URL_VARIABLE, "sqlite://")
    config = host_config(write_host_project(tmp_path))
    with pytest.raises(OfflineMigrationError) as refused:
        command.upgrade(config, "heads", sql=True)
    assert refused.value.version == 1
    assert "run `alembic upgrade` against the database" in str(refused.value)
    capsys.readouterr()  # the SQL Alembic wrote before the refusal


def test_include_object_keeps_autogenerate_off_kamcore_s_tables() -> None:
    host = sa.MetaData()
    sa.Table("deals", host, sa.Column("id", sa.Integer(), primary_key=True))
    with fresh_database("sqlite") as url:
        kamcore_upgrade(url)
        with connected(url) as connection:
            host.create_all(connection)
            plain = compare_metadata(MigrationContext.configure(connection), host)
            filtered = compare_metadata(
                MigrationContext.configure(
                    connection, opts={"include_object": include_object}
                ),
                host,
            )
    # Without the filter, autogenerate would drop each of kamcore's tables.
    dropped = sorted(table.name for op, table in plain if op == "remove_table")
    assert dropped == sorted(metadata().tables)
    assert filtered == []


@pytest.fixture
def schema_cache() -> Iterator[None]:
    """Tables rebuilt from the declarations before and after the test."""
    build_schema.cache_clear()
    yield
    build_schema.cache_clear()


NEXT_REVISION = '''\
"""kamcore schema version 6: products.name_key (a later kamcore's)"""

from kamcore.adapters.sql.alembic._revision import refuse_downgrade, upgrade_to

revision = "kamcore_0006"
down_revision = "kamcore_0005"
branch_labels = None
depends_on = None


def upgrade():
    upgrade_to(6)


def downgrade():
    refuse_downgrade(6)
'''


def test_a_later_kamcore_revision_is_applied_after_the_host_s(
    tmp_path: Path, schema_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ini = write_host_project(tmp_path / "host")
    config = host_config(ini)
    with fresh_database("sqlite") as url:
        monkeypatch.setenv(URL_VARIABLE, url)
        command.upgrade(config, "heads")
        engine = create_engine_for(url)
        uow = SqlUnitOfWork(engine)
        with uow:
            uow.products.add(attrs.evolve(product("p-1"), name="Steel Bolt"))
            uow.commit()
        engine.dispose()
        # A later kamcore: migration 6 adds a products column, and its revision.
        name_key = Field(
            "name_key", sa.String(), lambda p: p.name.lower(), nullable=True, since=6
        )
        future = tuple(
            attrs.evolve(kind, fields=(*kind.fields, name_key))
            if kind.name == "products"
            else kind
            for kind in KIND_TABLES
        )
        monkeypatch.setattr(_tables, "KIND_TABLES", future)
        monkeypatch.setattr(_migrations, "KIND_TABLES", future)
        monkeypatch.setattr(
            _migrations, "MIGRATIONS", (*MIGRATIONS, Migration(6, "products.name_key"))
        )
        build_schema.cache_clear()
        later = tmp_path / "later_kamcore"
        later.mkdir()
        (later / "kamcore_0006_name_key.py").write_text(NEXT_REVISION)
        locations = [str(ini.parent / "migrations" / "versions"), VERSION_LOCATION]
        config.set_main_option("version_locations", "\n".join([*locations, str(later)]))

        command.upgrade(config, "heads")

        assert rows(url, "SELECT id, name_key FROM products") == [("p-1", "steel bolt")]
        assert sorted(rows(url, "SELECT version_num FROM alembic_version")) == [
            ("crm_0001",),
            ("kamcore_0006",),
        ]
        assert ledger(url)[-1] == (6, "products.name_key")


# -- the shared step and the public helpers ----------------------------------------
def test_a_migration_is_not_applied_over_a_gap() -> None:
    with fresh_database("sqlite") as url, connected(url) as connection:
        ensure_ledger(connection)
        with pytest.raises(SchemaVersionError) as gap:
            apply_migration(connection, 3)
        assert (gap.value.found, gap.value.expected) == (0, 3)
        with pytest.raises(SchemaVersionError) as unknown:
            apply_migration(connection, SCHEMA_VERSION + 1)
        assert (unknown.value.found, unknown.value.expected) == (0, 6)


@pytest.mark.parametrize("version", [0, SCHEMA_VERSION + 1])
def test_a_revision_id_is_only_for_a_known_migration(version: int) -> None:
    with pytest.raises(ValidationError) as unknown:
        revision_id(version)
    assert [(e.path, e.value) for e in unknown.value.errors] == [("version", version)]


_WITHOUT_ALEMBIC = textwrap.dedent(
    """
    import sys

    class NoAlembic:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] == "alembic":
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NoAlembic())
    import kamcore.adapters.sql
    try:
        import kamcore.adapters.sql.alembic
    except ImportError as error:
        print(error)
    """
)


def test_without_alembic_the_import_error_names_the_extra() -> None:
    run = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _WITHOUT_ALEMBIC],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (
        "kamcore.adapters.sql.alembic needs Alembic: install the extra with "
        "`pip install 'kamcore[alembic]'`"
    )
