"""kamcore's Alembic branch itself: its revisions, what it refuses, the
autogenerate filter, a later kamcore's revision, and the public helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic_host import (
    URL_VARIABLE,
    connected,
    fresh_database,
    host_config,
    kamcore_upgrade,
    ledger,
    rows,
    version_of,
    write_host_project,
)

from kamcore.adapters.sql import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    SchemaVersionError,
    SqlUnitOfWork,
    _migrations,
    _tables,
    create_engine_for,
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
from kamcore.testing._samples import product


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


def test_a_host_env_with_the_filter_and_its_own_metadata_checks_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = host_config(write_host_project(tmp_path))
    with fresh_database("sqlite") as url:
        monkeypatch.setenv(URL_VARIABLE, url)
        monkeypatch.setenv("HOST_KAMCORE_FILTER", "1")
        command.upgrade(config, "heads")
        command.check(config)  # raises on any difference, a dropped table first
        assert version_of(url) == SCHEMA_VERSION


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
