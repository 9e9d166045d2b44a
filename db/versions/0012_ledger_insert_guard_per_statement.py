"""PostgreSQL checks lines written to an approved batch once per statement, not once per line: a
run's 200,000 lines paid the row trigger's lookup of their batch 200,000 times. The row trigger
keeps guarding updates and deletions; inserts are checked by a statement trigger over the rows
inserted (a transition table), which refuses the whole statement as the row trigger did.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 02:30:00
"""
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

LOCKED = "已审批的发放批次不能修改, 更正请在下月批次中调整"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's run checks its insert once already (store.ledger.write_draft)
    op.execute("DROP TRIGGER ledger_lines_guard ON ledger_lines")
    op.execute("CREATE TRIGGER ledger_lines_guard BEFORE UPDATE OR DELETE ON ledger_lines "
               "FOR EACH ROW EXECUTE FUNCTION ledger_lines_guard()")
    op.execute(f"""
        CREATE FUNCTION ledger_lines_insert_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM batches WHERE state <> '草稿'
                       AND id IN (SELECT DISTINCT batch_id FROM inserted)) THEN
                RAISE EXCEPTION '{LOCKED}';
            END IF;
            RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER ledger_lines_insert_guard AFTER INSERT ON ledger_lines REFERENCING NEW TABLE AS inserted "
               "FOR EACH STATEMENT EXECUTE FUNCTION ledger_lines_insert_guard()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER ledger_lines_insert_guard ON ledger_lines")
    op.execute("DROP FUNCTION ledger_lines_insert_guard()")
    op.execute("DROP TRIGGER ledger_lines_guard ON ledger_lines")
    op.execute("CREATE TRIGGER ledger_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_lines "
               "FOR EACH ROW EXECUTE FUNCTION ledger_lines_guard()")
