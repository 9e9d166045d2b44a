"""The index of status facts covers a person's history as a payout run reads it: by person,
kind, month and recording order, with the value, so the run reads the index alone, in order.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 20:00:00
"""
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_status_facts_history', 'status_facts', ['person_id', 'kind', 'from_month', 'id', 'value'])
    op.drop_index('ix_status_facts_person_kind', table_name='status_facts')


def downgrade() -> None:
    op.create_index('ix_status_facts_person_kind', 'status_facts', ['person_id', 'kind', 'from_month'])
    op.drop_index('ix_status_facts_history', table_name='status_facts')
