"""The migrated schema, on SQLite and PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import ADMIN
from workbench.domain.errors import SchemaMismatch
from workbench.store.migrate import SchemaState, _config, head_revision, revisions
from workbench.store.models import ONLY_ON, Base


def test_migrations_build_exactly_the_models(db):
    with db.engine.connect() as connection:
        dialect = connection.dialect.name

        def made_here(item, name, type_, reflected, compare_to) -> bool:
            # What the models make on this database: an item made on another one only is left out.
            return reflected or item.info.get(ONLY_ON, dialect) == dialect

        options = {"compare_type": True, "include_object": made_here}
        differences = compare_metadata(MigrationContext.configure(connection, opts=options), Base.metadata)
    assert differences == []


def test_the_ledger_keys_are_made_on_sqlite_only_and_checked_by_triggers_on_postgresql(db):
    with db.engine.connect() as connection:
        keys = inspect(connection).get_foreign_keys("ledger_lines")
    expected = {"batches", "persons"} if db.engine.dialect.name == "sqlite" else set()
    assert {key["referred_table"] for key in keys} == expected


def test_schema_is_at_head(db):
    assert db.state is SchemaState.CURRENT
    with db.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()


def test_the_revisions_read_from_the_scripts_are_alembics():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_config())
    assert revisions() == {script.revision: script.down_revision for script in scripts.walk_revisions()}
    assert head_revision() == scripts.get_current_head()


def test_opening_a_database_and_reading_its_state_does_not_load_alembic(db):
    """Every command reads the schema's state at start; Alembic is loaded only to migrate."""
    import subprocess
    import sys

    code = ("import sys; from workbench.cli import main; from workbench.bootstrap import open_database; "
            f"db = open_database({db.url!r}); print(db.state.name, 'alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["CURRENT", "False"]


def test_audit_log_cannot_be_edited_or_deleted_by_sql(db):
    with db.unit_of_work(ADMIN, write=True) as uow:
        uow.audit("测试", "test", 1, {"x": 1})
        uow.commit()
    for statement in ("UPDATE audit_log SET user_name = 'mallory'", "DELETE FROM audit_log"):
        with db.engine.connect() as connection:
            with pytest.raises(DBAPIError, match="操作日志只能追加"):
                connection.execute(text(statement))
            connection.rollback()
    with db.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM audit_log WHERE user_name = 'mallory'")) == 0


def test_a_client_older_than_the_database_refuses_to_write(db):
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_a_newer_client'"))
    db.__dict__.pop("state", None)
    assert db.state is SchemaState.AHEAD
    with pytest.raises(SchemaMismatch, match="比本程序新"):
        db.unit_of_work(ADMIN, write=True)
    with pytest.raises(SchemaMismatch, match="比本程序新"):
        db.upgrade()
    with db.unit_of_work(ADMIN) as uow:  # reading still works
        assert uow.session.execute(text("SELECT count(*) FROM persons")).scalar() == 0


def test_sqlite_runs_in_wal_with_foreign_keys(sqlite_db):
    with sqlite_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_every_protecting_trigger_is_in_place_and_an_approval_anchors_the_log(db, tmp_path):
    from tests.conftest import CLERK, REVIEWER, TODAY
    from tests.helpers import roster_row, write_rows
    from workbench.domain.month import Month
    from workbench.services.audit import verify_audit
    from workbench.services.payout import approve_month, run_month
    from workbench.services.roster_import import import_roster

    assert verify_audit(db, ADMIN).whole
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2026-09")]), today=TODAY)
    run_month(db, CLERK, Month(2026, 10), today=TODAY)
    batch = approve_month(db, REVIEWER, Month(2026, 10))
    assert batch.notes["操作日志链"][0] > 0
    check = verify_audit(db, ADMIN)
    assert check.whole, (check.missing_guards, check.lost)
