"""kamcore schema version 2: invoices.settled_from

kamcore's migration 2: invoices.settled_from, back-filled: outstanding invoices
are found in SQL.

Applied as ``kamcore.adapters.sql.upgrade()`` applies it, with its
``kamcore_schema`` ledger row, and skipped if the ledger has it already.
"""

from kamcore.adapters.sql.alembic._revision import refuse_downgrade, upgrade_to

revision = "kamcore_0002"
down_revision: str | None = "kamcore_0001"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    upgrade_to(2)


def downgrade() -> None:
    refuse_downgrade(2)
