"""kamcore schema version 3: the notification outbox

kamcore's migration 3: the notification outbox.

Applied as ``kamcore.adapters.sql.upgrade()`` applies it, with its
``kamcore_schema`` ledger row, and skipped if the ledger has it already.
"""

from kamcore.adapters.sql.alembic._revision import refuse_downgrade, upgrade_to

revision = "kamcore_0003"
down_revision: str | None = "kamcore_0002"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    upgrade_to(3)


def downgrade() -> None:
    refuse_downgrade(3)
