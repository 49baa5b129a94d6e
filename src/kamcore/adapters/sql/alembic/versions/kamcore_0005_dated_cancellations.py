"""kamcore schema version 5: dated cancellations and closures

kamcore's migration 5: dated cancellations: invoices.cancelled_on and
orders.closed_on, = issue_date / order_date for those stored cancelled or
closed.

Applied as ``kamcore.adapters.sql.upgrade()`` applies it, with its
``kamcore_schema`` ledger row, and skipped if the ledger has it already.
"""

from kamcore.adapters.sql.alembic._revision import refuse_downgrade, upgrade_to

revision = "kamcore_0005"
down_revision: str | None = "kamcore_0004"
branch_labels: tuple[str, ...] | None = None
depends_on: str | None = None


def upgrade() -> None:
    upgrade_to(5)


def downgrade() -> None:
    refuse_downgrade(5)
