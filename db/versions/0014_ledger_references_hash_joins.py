"""PostgreSQL checks the batch and person of a statement's ledger lines by hash joins.

The check of migration 0013 runs over the lines a statement wrote, which the planner knows only
as a count. For a run's lines it chose a nested loop: each line compared with every batch (a
prefecture's 790,000 lines: 9.5 million comparisons, 1.0 s) and its person looked up in the
index one by one (1.2 s). Without nested loops inside the check, each is one pass over the lines
against a hash of the batches or the persons (0.2 s and 0.8 s). The check itself is unchanged.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 12:45:00
"""
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER FUNCTION ledger_lines_references() SET enable_nestloop = off")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER FUNCTION ledger_lines_references() RESET enable_nestloop")
