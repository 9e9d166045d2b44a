"""The change log (person_changes) is written by the database: triggers on every table a person's
amounts depend on, so that no use case can change what someone is owed without the next run
recomputing them.

A person is marked changed by a new, changed or removed status fact, enrollment, 生存认证 check or
record of an earlier system's payments; by a change of birth date, death date or moving away; by
a bank's result on their lines; by a refund or write-off of their recoveries (a draft's 抵扣 reads
it). A standard, or the policy or 生存认证 deadline setting, marks everyone.

SQLite fires its triggers for each row. PostgreSQL fires them once per statement and writes the
changed people as runs of consecutive ids, so a bulk import adds a few rows, not one per row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 20:30:00
"""
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

PERSON_TABLES = ("status_facts", "enrollments", "liveness_checks", "prior_payments", "recovery_clearings")
PERSON_COLUMNS = ("birth_date", "death_date", "moved_out_date")
EVERYONE_SETTINGS = "('policy', 'liveness_deadline')"
EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite()
    else:
        _postgresql()


def _sqlite() -> None:
    def mark(row: str, column: str = "person_id") -> str:
        return f"BEGIN INSERT INTO person_changes (first_person_id, last_person_id) VALUES ({row}.{column}, {row}.{column}); END"

    everyone = "BEGIN INSERT INTO person_changes (first_person_id, last_person_id) VALUES (NULL, NULL); END"
    for table in PERSON_TABLES:
        for event in EVENTS:
            op.execute(f"CREATE TRIGGER {table}_changed_{event.lower()} AFTER {event} ON {table} "
                       + mark("OLD" if event == "DELETE" else "NEW"))
    differs = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in PERSON_COLUMNS)
    op.execute(f"CREATE TRIGGER persons_changed_update AFTER UPDATE OF {', '.join(PERSON_COLUMNS)} ON persons "
               f"WHEN {differs} " + mark("NEW", "id"))
    op.execute("CREATE TRIGGER ledger_lines_changed_bank AFTER UPDATE OF bank_status ON ledger_lines "
               "WHEN NEW.bank_status IS NOT OLD.bank_status " + mark("NEW"))
    for event in EVENTS:
        op.execute(f"CREATE TRIGGER standards_changed_{event.lower()} AFTER {event} ON standards " + everyone)
    for event in ("INSERT", "UPDATE"):
        op.execute(f"CREATE TRIGGER settings_changed_{event.lower()} AFTER {event} ON settings "
                   f"WHEN NEW.key IN {EVERYONE_SETTINGS} " + everyone)


def _postgresql() -> None:
    # The people of a statement's rows, as runs of consecutive ids: one row of the log per run.
    runs = """
        INSERT INTO person_changes (first_person_id, last_person_id)
        SELECT min(person_id), max(person_id) FROM (
            SELECT person_id, person_id - row_number() OVER (ORDER BY person_id) AS run
            FROM (SELECT DISTINCT {column} AS person_id FROM {rows}{where}) AS people) AS numbered
        GROUP BY run"""
    op.execute(f"""
        CREATE FUNCTION people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {runs.format(column="person_id", rows="changed_rows", where="")};
            RETURN NULL;
        END $$""")
    differs = " OR ".join(f"after_rows.{column} IS DISTINCT FROM before_rows.{column}" for column in PERSON_COLUMNS)
    op.execute(f"""
        CREATE FUNCTION persons_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {runs.format(column="after_rows.id", rows="after_rows JOIN before_rows ON before_rows.id = after_rows.id",
                         where=" WHERE " + differs)};
            RETURN NULL;
        END $$""")
    op.execute(f"""
        CREATE FUNCTION bank_results_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {runs.format(column="after_rows.person_id", rows="after_rows JOIN before_rows ON before_rows.id = after_rows.id",
                         where=" WHERE after_rows.bank_status IS DISTINCT FROM before_rows.bank_status")};
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE FUNCTION everyone_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO person_changes (first_person_id, last_person_id) VALUES (NULL, NULL);
            RETURN NULL;
        END $$""")
    for table in PERSON_TABLES:
        for event in EVENTS:
            rows = "OLD TABLE AS changed_rows" if event == "DELETE" else "NEW TABLE AS changed_rows"
            op.execute(f"CREATE TRIGGER {table}_changed_{event.lower()} AFTER {event} ON {table} "
                       f"REFERENCING {rows} FOR EACH STATEMENT EXECUTE FUNCTION people_changed()")
    op.execute("CREATE TRIGGER persons_changed_update AFTER UPDATE ON persons "
               "REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION persons_changed()")
    op.execute("CREATE TRIGGER ledger_lines_changed_bank AFTER UPDATE ON ledger_lines "
               "REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT "
               "EXECUTE FUNCTION bank_results_changed()")
    op.execute("CREATE TRIGGER standards_changed AFTER INSERT OR UPDATE OR DELETE ON standards "
               "FOR EACH STATEMENT EXECUTE FUNCTION everyone_changed()")
    op.execute(f"CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE ON settings "
               f"FOR EACH ROW WHEN (NEW.key IN {EVERYONE_SETTINGS}) EXECUTE FUNCTION everyone_changed()")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    names = [(f"{table}_changed_{event.lower()}", table) for table in PERSON_TABLES for event in EVENTS]
    names += [("persons_changed_update", "persons"), ("ledger_lines_changed_bank", "ledger_lines")]
    if sqlite:
        names += [(f"standards_changed_{event.lower()}", "standards") for event in EVENTS]
        names += [(f"settings_changed_{event.lower()}", "settings") for event in ("INSERT", "UPDATE")]
    else:
        names += [("standards_changed", "standards"), ("settings_changed", "settings")]
    for name, table in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if sqlite else f" ON {table}"))
    if not sqlite:
        for function in ("people_changed", "persons_changed", "bank_results_changed", "everyone_changed"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
