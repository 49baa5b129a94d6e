"""kamcore schema version 1: a table per aggregate kind

kamcore's migration 1: a table per aggregate kind: id, version, JSON document,
query columns and their indexes.

Applied as ``kamcore.adapters.sql.upgrade()`` applies it, with its
``kamcore_schema`` ledger row, and skipped if the ledger has it already.
"""

from kamcore.adapters.sql.alembic._revision import refuse_downgrade, upgrade_to

revision = "kamcore_0001"
down_revision: str | None = None
branch_labels: tuple[str, ...] | None = ("kamcore",)
depends_on: str | None = None


def upgrade() -> None:
    upgrade_to(1)


def downgrade() -> None:
    refuse_downgrade(1)
