"""Payout batches and ledger lines (approved batches made immutable by triggers), and the
change log that lets a run recompute only the persons whose data changed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 12:01:01.215098
"""
from alembic import op
import sqlalchemy as sa

LOCKED = "已审批的发放批次不能修改, 更正请在下月批次中调整"
# Columns of a ledger line fixed once its batch is approved (a later bank status may still change).
LINE_COLUMNS = ("batch_id", "person_id", "item_code", "period", "seq", "amount", "kind", "reason")
BATCH_COLUMNS = ("month", "item_group", "run_by", "run_at", "approved_by", "approved_at", "notes", "changes_through")


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('item_group', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('run_by', sa.String(length=40), nullable=False),
    sa.Column('run_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by', sa.String(length=40), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('changes_through', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batches')),
    sa.UniqueConstraint('month', 'item_group', name=op.f('uq_batches_month_item_group'))
    )
    op.create_table('person_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_person_id', sa.Integer(), nullable=True),
    sa.Column('last_person_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_changes'))
    )
    op.create_table('ledger_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=20), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('bank_status', sa.String(length=4), nullable=True),
    sa.Column('bank_note', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_ledger_lines_batch_id_batches')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_ledger_lines_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_lines')),
    sa.UniqueConstraint('person_id', 'item_code', 'period', 'seq', name=op.f('uq_ledger_lines_person_id_item_code_period_seq'))
    )
    with op.batch_alter_table('ledger_lines', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_lines_batch', ['batch_id'], unique=False)
        batch_op.create_index('ix_ledger_lines_period', ['period'], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        _sqlite_guards()
    else:
        _postgresql_guards()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_lines_guard ON ledger_lines")
        op.execute("DROP TRIGGER IF EXISTS batches_guard ON batches")
        op.execute("DROP FUNCTION IF EXISTS ledger_lines_guard()")
        op.execute("DROP FUNCTION IF EXISTS batches_guard()")
    with op.batch_alter_table('ledger_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_lines_period')
        batch_op.drop_index('ix_ledger_lines_batch')

    op.drop_table('ledger_lines')
    op.drop_table('person_changes')
    op.drop_table('batches')


def _sqlite_guards() -> None:
    state_of = "(SELECT state FROM batches WHERE id = {row}.batch_id) != '草稿'"
    refuse = f"BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END"
    op.execute(f"CREATE TRIGGER ledger_lines_locked_insert BEFORE INSERT ON ledger_lines "
               f"WHEN {state_of.format(row='NEW')} {refuse}")
    op.execute(f"CREATE TRIGGER ledger_lines_locked_update BEFORE UPDATE OF {', '.join(LINE_COLUMNS)} ON ledger_lines "
               f"WHEN {state_of.format(row='OLD')} {refuse}")
    op.execute(f"CREATE TRIGGER ledger_lines_locked_delete BEFORE DELETE ON ledger_lines "
               f"WHEN {state_of.format(row='OLD')} {refuse}")
    op.execute(f"CREATE TRIGGER batches_locked_delete BEFORE DELETE ON batches WHEN OLD.state != '草稿' {refuse}")
    changed = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in BATCH_COLUMNS)
    op.execute(f"CREATE TRIGGER batches_locked_update BEFORE UPDATE ON batches "
               f"WHEN OLD.state != '草稿' AND (NEW.state = '草稿' OR {changed}) {refuse}")


def _postgresql_guards() -> None:
    old_line = ", ".join(f"OLD.{column}" for column in LINE_COLUMNS)
    new_line = ", ".join(f"NEW.{column}" for column in LINE_COLUMNS)
    op.execute(f"""
        CREATE FUNCTION ledger_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE batch_state text;
        BEGIN
            SELECT state INTO batch_state FROM batches
             WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.batch_id ELSE OLD.batch_id END;
            IF batch_state <> '草稿' THEN
                IF TG_OP = 'UPDATE' AND ROW({new_line}) IS NOT DISTINCT FROM ROW({old_line}) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '{LOCKED}';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER ledger_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_lines "
               "FOR EACH ROW EXECUTE FUNCTION ledger_lines_guard()")
    old_batch = ", ".join(f"OLD.{column}::text" for column in BATCH_COLUMNS)
    new_batch = ", ".join(f"NEW.{column}::text" for column in BATCH_COLUMNS)
    op.execute(f"""
        CREATE FUNCTION batches_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.state <> '草稿' THEN
                IF TG_OP = 'DELETE' OR NEW.state = '草稿'
                   OR ROW({new_batch}) IS DISTINCT FROM ROW({old_batch}) THEN
                    RAISE EXCEPTION '{LOCKED}';
                END IF;
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER batches_guard BEFORE UPDATE OR DELETE ON batches "
               "FOR EACH ROW EXECUTE FUNCTION batches_guard()")
