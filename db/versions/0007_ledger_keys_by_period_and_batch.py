"""The ledger's keys begin with what grows: the unique key of a line is (period, person, item,
number) instead of (person, item, period, number), and the batch index is (batch, person).

A month's run adds one line per person paid, almost all for the newest period and batch. Under
a key that begins with the person those lines land between every person's earlier lines, so
each run rewrote every page of the key, and more of them each year; under keys that begin with
the period and the batch they go at the end. Lookups of a person's lines go through the batches
of the months concerned, (batch, person) in the index.

SQLite cannot change a table's unique constraint in place: the table is rebuilt under the new
constraint, and its indexes and triggers are created again from their stored text.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 21:00:00
"""
import re

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

BY_PERSON = ('uq_ledger_lines_person_id_item_code_period_seq', ('person_id', 'item_code', 'period', 'seq'))
BY_PERIOD = ('uq_ledger_lines_period_person_id_item_code_seq', ('period', 'person_id', 'item_code', 'seq'))


def upgrade() -> None:
    op.drop_index('ix_ledger_lines_batch', table_name='ledger_lines')
    _replace_unique_key(BY_PERSON, BY_PERIOD)
    op.create_index('ix_ledger_lines_batch_person', 'ledger_lines', ['batch_id', 'person_id'])


def downgrade() -> None:
    op.drop_index('ix_ledger_lines_batch_person', table_name='ledger_lines')
    _replace_unique_key(BY_PERIOD, BY_PERSON)
    op.create_index('ix_ledger_lines_batch', 'ledger_lines', ['batch_id'])


def _replace_unique_key(old: tuple[str, tuple[str, ...]], new: tuple[str, tuple[str, ...]]) -> None:
    if op.get_context().dialect.name != 'sqlite':
        op.drop_constraint(old[0], 'ledger_lines', type_='unique')
        op.create_unique_constraint(new[0], 'ledger_lines', list(new[1]))
        return
    bind = op.get_bind()
    table = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ledger_lines'").scalar()
    kept = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'ledger_lines' AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL ORDER BY type").scalars().all()  # indexes first, then triggers

    def clause(key: tuple[str, tuple[str, ...]]) -> str:
        return f"CONSTRAINT {key[0]} UNIQUE ({', '.join(key[1])})"

    head = re.match(r'CREATE TABLE "?ledger_lines"? \(', table)  # quoted once SQLite has renamed it
    if clause(old) not in table or head is None:
        raise RuntimeError(f"ledger_lines does not have the unique key {old[0]}: {table}")
    rebuilt = 'CREATE TABLE ledger_lines_rebuilt (' + table[head.end():].replace(clause(old), clause(new))
    op.execute(rebuilt)
    op.execute("INSERT INTO ledger_lines_rebuilt SELECT * FROM ledger_lines")
    op.execute("DROP TABLE ledger_lines")  # its indexes and triggers with it
    op.execute("ALTER TABLE ledger_lines_rebuilt RENAME TO ledger_lines")
    for statement in kept:
        op.execute(statement)
