"""Payees: a bank account may be held by someone other than the person (代领人, a 分散供养
caregiver): the holder's ID number and relation to the person; empty for the person's own account.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:58:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bank_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder_id_number', sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column('holder_relation', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('bank_accounts', schema=None) as batch_op:
        batch_op.drop_column('holder_relation')
        batch_op.drop_column('holder_id_number')
