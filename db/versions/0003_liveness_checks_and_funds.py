"""生存认证 records and 专项资金 allocations.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:20:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('liveness_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_liveness_checks_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_liveness_checks'))
    )
    op.create_index('ix_liveness_checks_person', 'liveness_checks', ['person_id', 'checked_on'], unique=False)
    op.create_table('fund_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_allocations'))
    )
    op.create_index('ix_fund_allocations_year', 'fund_allocations', ['year', 'item_code'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_fund_allocations_year', table_name='fund_allocations')
    op.drop_table('fund_allocations')
    op.drop_index('ix_liveness_checks_person', table_name='liveness_checks')
    op.drop_table('liveness_checks')
