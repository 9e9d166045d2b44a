"""The ledger's index on the period alone goes: no query narrows lines by period without the
person (the unique key serves those) or the batch, and every line written paid for it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 19:00:00
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ledger_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_lines_period')


def downgrade() -> None:
    with op.batch_alter_table('ledger_lines', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_lines_period', ['period'], unique=False)
