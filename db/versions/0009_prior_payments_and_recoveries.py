"""What an earlier system paid (已发放至), recorded as that system's payments; the refunds and
write-offs of the recovery ledger (追回台账); the payment files each export wrote (to match returns).

Before, a run valued the months an earlier system paid with the standards in force at the run,
so a retroactive raise paid migrated people nothing for them, and a late death recovered more
than was paid. The table holds the amounts instead, valued once. For people already imported
they are valued here, with the standards and facts in the database at the upgrade.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 20:10:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

UPGRADE_USER = "系统(升级)"
INDEXES = (("ix_ledger_lines_recovered", "kind = '追回'"), ("ix_ledger_lines_deducted", "kind = '抵扣'"))


class _Work:
    """What `record_opening` reads through: the migration's session."""

    def __init__(self, session: Session) -> None:
        self.session = session


def upgrade() -> None:
    op.create_table(
        'prior_payments',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('item_code', sa.String(length=20), nullable=False),
        sa.Column('first_month', sa.Integer(), nullable=False),
        sa.Column('amounts', sa.Text(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_prior_payments_person_id_persons')),
        sa.PrimaryKeyConstraint('person_id', 'item_code', name=op.f('pk_prior_payments')),
    )
    op.create_table(
        'recovery_clearings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('item_code', sa.String(length=20), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('method', sa.String(length=4), nullable=False),
        sa.Column('cleared_on', sa.Date(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_recovery_clearings_person_id_persons')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_clearings')),
    )
    op.create_index('ix_recovery_clearings_person', 'recovery_clearings', ['person_id', 'item_code'])
    op.create_table(
        'bank_export_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('bank', sa.String(length=60), nullable=False),
        sa.Column('template', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content', sa.Text(), nullable=True),
        sa.Column('exported_at', sa.DateTime(), nullable=False),
        sa.Column('exported_by', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_export_files')),
    )
    op.create_index('ix_bank_export_files_month', 'bank_export_files', ['month'])
    for name, where in INDEXES:
        op.create_index(name, 'ledger_lines', ['person_id'], sqlite_where=sa.text(where), postgresql_where=sa.text(where))
    bind = op.get_bind()
    migrated = [row[0] for row in bind.execute(sa.text(
        "SELECT DISTINCT person_id FROM enrollments WHERE paid_through IS NOT NULL AND state = '已批准'"))]
    has_policy = bind.execute(sa.text("SELECT 1 FROM settings WHERE key = 'policy'")).first() is not None
    if migrated and has_policy:
        from workbench.services.opening import record_opening

        session = Session(bind=bind)
        record_opening(_Work(session), migrated, user=UPGRADE_USER)
        session.flush()


def downgrade() -> None:
    for name, where in INDEXES:
        op.drop_index(name, table_name='ledger_lines', sqlite_where=sa.text(where), postgresql_where=sa.text(where))
    op.drop_index('ix_bank_export_files_month', table_name='bank_export_files')
    op.drop_table('bank_export_files')
    op.drop_index('ix_recovery_clearings_person', table_name='recovery_clearings')
    op.drop_table('recovery_clearings')
    op.drop_table('prior_payments')
