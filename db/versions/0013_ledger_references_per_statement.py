"""PostgreSQL checks a ledger line's batch and person once per statement, not once per line.

A foreign key checks every inserted row by itself: for a run's 150,000 lines that is 300,000
lookups, each locking the row it finds, and more than half of the time the run spends writing.
The two foreign keys of `ledger_lines` are replaced by statement triggers doing the same checks
over all the rows a statement wrote or removed, with PostgreSQL's foreign-key error (23503):
- lines inserted or updated: each batch and person they name must exist;
- batches or persons deleted, or their id changed: no line may still name them.

Two transactions, one writing lines and one removing what they name, must not both pass.
- A batch is locked as a foreign key locks it (FOR KEY SHARE): a statement names one or two.
- Persons are not locked one by one. Removing persons is what waits instead: it takes a SHARE
  lock on `ledger_lines`, so it waits for every transaction writing lines to end and keeps new
  writers out, then looks for lines with a fresh snapshot (READ COMMITTED). The program never
  removes persons; this guards the database against SQL typed by hand.
SQLite keeps its foreign keys: it checks a row in its own process, for a small part of the cost.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 07:00:00
"""
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

MISSING = "发放明细引用了不存在的{}"  # a line names a batch or person that is not there
STILL_USED = "还有发放明细引用{}, 不能删除或改号"  # a batch or person removed under its lines
KEYS = (("batch_id", "batches", "批次"), ("person_id", "persons", "人员"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column, table, _ in KEYS:
        op.execute(f"ALTER TABLE ledger_lines DROP CONSTRAINT fk_ledger_lines_{column}_{table}")
    checks = "\n".join(f"""
            IF EXISTS (SELECT 1 FROM written WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {table}.id = written.{column})) THEN
                RAISE EXCEPTION '{MISSING.format(label)}' USING ERRCODE = 'foreign_key_violation';
            END IF;""" for column, table, label in KEYS)
    op.execute(f"""
        CREATE FUNCTION ledger_lines_references() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM 1 FROM batches WHERE id IN (SELECT batch_id FROM written) ORDER BY id FOR KEY SHARE;{checks}
            RETURN NULL;
        END $$""")
    for event in ("INSERT", "UPDATE"):
        op.execute(f"CREATE TRIGGER ledger_lines_references_{event.lower()} AFTER {event} ON ledger_lines "
                   "REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION ledger_lines_references()")
    for column, table, label in KEYS:
        # Persons: wait for the writers of lines first (see above); a batch is locked by them.
        wait = "LOCK TABLE ledger_lines IN SHARE MODE;" if table == "persons" else ""
        op.execute(f"""
            CREATE FUNCTION {table}_lines_kept() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {wait}
                IF EXISTS (SELECT 1 FROM ledger_lines WHERE {column} IN (SELECT id FROM removed)) THEN
                    RAISE EXCEPTION '{STILL_USED.format(label)}' USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NULL;
            END $$""")
        op.execute(f"CREATE TRIGGER {table}_lines_kept_delete AFTER DELETE ON {table} "
                   f"REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION {table}_lines_kept()")
        # A changed id: rare, so a row trigger that fires only then, checking the old id.
        op.execute(f"""
            CREATE FUNCTION {table}_id_kept() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {wait}
                IF EXISTS (SELECT 1 FROM ledger_lines WHERE {column} = OLD.id) THEN
                    RAISE EXCEPTION '{STILL_USED.format(label)}' USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NEW;
            END $$""")
        op.execute(f"CREATE TRIGGER {table}_lines_kept_update BEFORE UPDATE OF id ON {table} "
                   f"FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION {table}_id_kept()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column, table, _ in KEYS:
        op.execute(f"DROP TRIGGER {table}_lines_kept_update ON {table}")
        op.execute(f"DROP FUNCTION {table}_id_kept()")
        op.execute(f"DROP TRIGGER {table}_lines_kept_delete ON {table}")
        op.execute(f"DROP FUNCTION {table}_lines_kept()")
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER ledger_lines_references_{event} ON ledger_lines")
    op.execute("DROP FUNCTION ledger_lines_references()")
    for column, table, _ in KEYS:
        op.execute(f"ALTER TABLE ledger_lines ADD CONSTRAINT fk_ledger_lines_{column}_{table} "
                   f"FOREIGN KEY ({column}) REFERENCES {table} (id)")
