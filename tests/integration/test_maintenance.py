"""Looking after databases: audit verification, backups and restores, network shares refused,
a shared server prepared, an embedded database copied to a server and checked."""
from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY, _pg_admin_engine, pg_url_or_skip
from tests.helpers import make_id, roster_row, write_rows
from workbench.bootstrap import open_database
from workbench.domain.errors import InvalidInput
from workbench.domain.month import Month as M
from workbench.services.accounts import authenticate
from workbench.services.audit import verify_audit
from workbench.services.bank_export import export_bank
from workbench.services.maintenance import backup_database, copy_database, restore_database, setup_server
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.roster import change_person
from workbench.services.roster_views import list_roster
from workbench.services.roster_import import import_roster
from workbench.store.backup import automatic_backup
from workbench.store.migrate import SchemaState
from workbench.store.models import AuditRecord
from workbench.store.uow import now


@pytest.fixture
def county(db, tmp_path):
    rows = [roster_row(起始月份="2026-08"),
            roster_row(姓名="李秀英", 身份证号=make_id(date(1936, 2, 2), 32), 性别="女", 出生日期="1936-02-02",
                       低保="是", 享受项目="高龄补贴、养老服务补贴", 起始月份="2026-08")]
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=TODAY)
    for month in (M(2026, 8), M(2026, 9)):
        run_month(db, CLERK, month)
        approve_month(db, REVIEWER, month)
    export_bank(db, CLERK, M(2026, 9), tmp_path / "bank", today=TODAY)
    return db


def test_audit_verify_finds_a_forged_record(county):
    clean = verify_audit(county, ADMIN)
    assert clean.broken is None and clean.records > 5
    with county.engine.begin() as connection:
        last = connection.scalar(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1))
        connection.execute(insert(AuditRecord).values(
            at=now(), user_name="admin", installation="elsewhere", action="审批发放", entity="batch",
            entity_id="2026-10", detail={}, prev_hash=last, hash="f" * 64))
    check = verify_audit(county, ADMIN)
    assert check.records == clean.records + 1
    assert check.broken.entity_id == "2026-10" and "伪造" in check.reason


def test_audit_verify_finds_a_record_slipped_into_the_chain(county):
    with county.engine.begin() as connection:
        connection.execute(insert(AuditRecord).values(
            at=now(), user_name="admin", installation="elsewhere", action="删除", entity="person",
            entity_id="1", detail={}, prev_hash="0" * 64, hash="e" * 64))
    check = verify_audit(county, ADMIN)
    assert check.broken.action == "删除" and "链接不符" in check.reason


def test_backup_and_restore_into_a_new_file(sqlite_db, tmp_path):
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row()]), today=TODAY)
    made = backup_database(sqlite_db, ADMIN, tmp_path / "copy.db")
    with pytest.raises(InvalidInput, match="已存在"):
        backup_database(sqlite_db, ADMIN, tmp_path / "copy.db")
    restored = restore_database(made, tmp_path / "restored.db", open_database=open_database)
    again = open_database(str(restored))
    assert [line.name for line in list_roster(again, ADMIN, today=TODAY)] == ["王德福"]
    assert verify_audit(again, ADMIN).broken is None  # the restore is itself in the log
    again.close()
    with pytest.raises(InvalidInput, match="只写入新的数据库文件"):
        restore_database(made, restored, open_database=open_database)
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(InvalidInput, match="不是有效的数据库文件"):
        restore_database(tmp_path / "junk.db", tmp_path / "other.db", open_database=open_database)
    assert not (tmp_path / "other.db").exists()
    with pytest.raises(Exception, match="无权"):
        backup_database(sqlite_db, CLERK)


def test_automatic_backups_keep_the_newest(sqlite_db, tmp_path):
    path = Path(sqlite_db.engine.url.database)
    made = [automatic_backup(path, tmp_path, "start", keep=3) for _ in range(5)]
    kept = sorted((tmp_path / "backups").glob("workbench-*.db"))
    assert kept == made[-3:]


def test_a_database_on_a_network_share_is_refused_for_writing(sqlite_db, tmp_path, monkeypatch):
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row()]), today=TODAY)
    authenticate(sqlite_db, "admin", "admin-secret")  # sets admin's password while the file is local
    url = sqlite_db.url
    sqlite_db.close()
    monkeypatch.setattr("workbench.bootstrap.network_location", lambda path: "网络文件系统 cifs")
    shared = open_database(url)
    with pytest.raises(InvalidInput, match="网络位置 .*不能在此写入.*共享服务器模式"):
        change_person(shared, CLERK, make_id(date(1941, 5, 3), 11), "联系电话", "1", None, today=TODAY)
    assert authenticate(shared, "admin", "admin-secret").role == "管理员"  # reading still works
    assert len(list(list_roster(shared, ADMIN, today=TODAY))) == 1
    shared.close()


@pytest.fixture
def empty_pg():
    url = pg_url_or_skip()
    admin = _pg_admin_engine(url)
    name = f"wb_empty_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_setup_server_prepares_an_empty_database_once(empty_pg):
    report = setup_server(empty_pg, "yangcheng", open_database=open_database)
    assert report.init.admin_created and "workbench_users" in report.roles
    server = open_database(empty_pg)
    assert server.state is SchemaState.CURRENT
    with server.engine.connect() as connection:
        rights = connection.execute(text(
            "SELECT has_table_privilege('workbench_users', 'audit_log', 'INSERT'),"
            "       has_table_privilege('workbench_users', 'audit_log', 'UPDATE'),"
            "       has_table_privilege('workbench_users', 'persons', 'UPDATE')")).one()
        autovacuum = connection.exec_driver_sql("SHOW autovacuum").scalar()
    assert tuple(rights) == (True, False, True)
    assert bool(report.warnings) == (autovacuum == "off")  # the administrator is told what it means
    server.close()
    with pytest.raises(InvalidInput, match="不是空的"):
        setup_server(empty_pg, "yangcheng", open_database=open_database)


def test_copy_moves_every_row_to_a_server_and_checks_it(sqlite_db, tmp_path, empty_pg):
    rows = [roster_row(起始月份="2026-08")]
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    for month in (M(2026, 8), M(2026, 9)):
        run_month(sqlite_db, CLERK, month)
        approve_month(sqlite_db, REVIEWER, month)
    report = copy_database(sqlite_db, ADMIN, empty_pg, open_database=open_database)
    assert report.rows["persons"] == 1 and report.rows["ledger_lines"] >= 2 and report.rows["audit_log"] == report.audit_records - 0
    server = open_database(empty_pg)
    check = verify_audit(server, ADMIN)
    assert check.broken is None and check.records == report.audit_records + 1  # and the copy itself
    assert [(line.period, line.amount) for line in show_month(server, ADMIN, M(2026, 9))] == \
        [(line.period, line.amount) for line in show_month(sqlite_db, ADMIN, M(2026, 9))]
    # The server goes on where the PC stopped: new ids follow the copied ones.
    run_month(server, CLERK, M(2026, 10))
    approve_month(server, REVIEWER, M(2026, 10))
    server.close()
    with pytest.raises(InvalidInput, match="已有数据"):
        copy_database(sqlite_db, ADMIN, empty_pg, open_database=open_database)
