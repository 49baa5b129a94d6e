"""kamcore schema version 4: membership tier override histories

kamcore's migration 4: memberships keep a history of tier overrides: override
becomes overrides, set_on = starts_on.

Applied as ``kamcore.adapters.sql.upgrade()`` applies it, with its
``kamcore_schema`` ledger row, and skipped if the ledger has it already.
"""

from kamcore.adapters.sql.alembic._revision import refuse_downgrade, upgrade_to

revision = "kamcore_0004"
down_revision: str | None = "kamcore_0003"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    upgrade_to(4)


def downgrade() -> None:
    refuse_downgrade(4)
