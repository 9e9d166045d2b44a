"""A shared server right after a big write: the tables filled are analysed in the same operation."""
from datetime import date

from sqlalchemy import text

from tests.conftest import CLERK, TODAY
from tests.helpers import han_name, make_id, roster_row, write_rows
from workbench.domain.month import Month
from workbench.services.maintenance import AUTOVACUUM_OFF, server_warnings
from workbench.services.payout import run_month
from workbench.services.roster_import import import_roster
from workbench.store import uow as unit_of_work


def analysed(db) -> dict[str, bool]:
    with db.engine.connect() as connection:
        return {name: when is not None for name, when in connection.execute(text(
            "SELECT relname, last_analyze FROM pg_stat_user_tables"))}


def test_an_import_and_a_run_leave_their_tables_analysed(pg_db_factory, tmp_path, monkeypatch):
    monkeypatch.setattr(unit_of_work, "ANALYZE_FROM_ROWS", 3)  # "large" for a test's handful of people
    db = pg_db_factory()
    assert not any(analysed(db).values())
    small = [roster_row(起始月份="2026-10")]
    import_roster(db, CLERK, write_rows(tmp_path / "one.xlsx", small), today=TODAY)
    assert not analysed(db)["persons"]  # a small import leaves the statistics alone
    rows = [roster_row(姓名=han_name("王德", index), 身份证号=make_id(date(1940, 1, 1), 2 * index + 1), 出生日期="1940-01-01",
                       起始月份="2026-10") for index in range(1, 5)]
    import_roster(db, CLERK, write_rows(tmp_path / "many.xlsx", rows), today=TODAY)
    after_import = analysed(db)
    assert all(after_import[table] for table in ("persons", "enrollments", "bank_accounts", "status_facts"))
    assert not after_import["ledger_lines"]
    run_month(db, CLERK, Month(2026, 10), today=TODAY)
    assert analysed(db)["ledger_lines"]


def analyses(db, table: str) -> int:
    with db.engine.connect() as connection:
        return connection.scalar(text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = :name"), {"name": table})


def test_a_write_small_next_to_its_table_leaves_its_statistics_alone(pg_db_factory, tmp_path, monkeypatch):
    monkeypatch.setattr(unit_of_work, "ANALYZE_FROM_ROWS", 3)
    db = pg_db_factory()
    rows = [roster_row(姓名=han_name("李德", index), 身份证号=make_id(date(1940, 1, 1), 2 * index + 1), 出生日期="1940-01-01",
                       起始月份="2026-10") for index in range(1, 6)]
    import_roster(db, CLERK, write_rows(tmp_path / "many.xlsx", rows), today=TODAY)
    run_month(db, CLERK, Month(2026, 10), today=TODAY)
    assert analyses(db, "ledger_lines") == 1
    monkeypatch.setattr(unit_of_work, "ANALYZE_GROWTH", 10)  # a write is "small" below ten times the table's rows
    run_month(db, CLERK, Month(2026, 10), full=True, today=TODAY)  # the draft's lines written again
    assert analyses(db, "ledger_lines") == 1
    monkeypatch.setattr(unit_of_work, "ANALYZE_GROWTH", 0.5)
    run_month(db, CLERK, Month(2026, 10), full=True, today=TODAY)
    assert analyses(db, "ledger_lines") == 2


def test_setup_server_and_selftest_warn_when_autovacuum_is_off(pg_db_factory):
    db = pg_db_factory()
    with db.engine.connect() as connection:
        off = connection.exec_driver_sql("SHOW autovacuum").scalar() == "off"
    assert server_warnings(db) == ([AUTOVACUUM_OFF] if off else [])
    assert "autovacuum" in AUTOVACUUM_OFF and "VACUUM ANALYZE" in AUTOVACUUM_OFF
    from tests.helpers import workbench

    done = workbench("selftest", db=db.url)
    assert done.returncode == 0, done.stderr
    assert ("autovacuum 已关闭" in done.stdout) == off
