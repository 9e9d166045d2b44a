"""Batch totals per item and kind, written at approval, and an index of bank-failed lines.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 16:30:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

LOCKED = "已审批批次的合计不能修改"
FAILED = "bank_status = '失败'"


def upgrade() -> None:
    op.create_table('batch_totals',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_batch_totals_batch_id_batches')),
    sa.PrimaryKeyConstraint('batch_id', 'item_code', 'kind', name=op.f('pk_batch_totals'))
    )
    with op.batch_alter_table('ledger_lines', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_lines_failed', ['batch_id'], unique=False,
                              sqlite_where=sa.text(FAILED), postgresql_where=sa.text(FAILED))
    # The batches approved before this version get their totals now.
    op.execute("INSERT INTO batch_totals (batch_id, item_code, kind, amount, lines) "
               "SELECT ledger_lines.batch_id, ledger_lines.item_code, ledger_lines.kind, SUM(ledger_lines.amount), COUNT(*) "
               "FROM ledger_lines JOIN batches ON batches.id = ledger_lines.batch_id WHERE batches.state <> '草稿' "
               "GROUP BY ledger_lines.batch_id, ledger_lines.item_code, ledger_lines.kind")
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER batch_totals_no_{verb.lower()} BEFORE {verb} ON batch_totals "
                       f"BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END")
    else:
        op.execute(f"""
            CREATE FUNCTION batch_totals_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{LOCKED}'; END $$""")
        op.execute("CREATE TRIGGER batch_totals_guard BEFORE UPDATE OR DELETE ON batch_totals "
                   "FOR EACH ROW EXECUTE FUNCTION batch_totals_guard()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS batch_totals_guard ON batch_totals")
        op.execute("DROP FUNCTION IF EXISTS batch_totals_guard()")
    with op.batch_alter_table('ledger_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_lines_failed', sqlite_where=sa.text(FAILED), postgresql_where=sa.text(FAILED))
    op.drop_table('batch_totals')
