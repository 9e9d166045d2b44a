"""Files and databases that are not what they should be: one Chinese line, never a traceback."""
import pytest

from tests.adversarial.conftest import counts, digest, refused, with_read_only
from tests.helpers import workbench


@pytest.mark.parametrize("make", ["text file", "pdf", "folder"])
def test_a_database_that_is_not_one_is_refused_with_one_line(tmp_path, make):
    target = tmp_path / "not-a-db"
    if make == "folder":
        target.mkdir()
    else:
        target.write_bytes(b"%PDF-1.4 not a database" if make == "pdf" else "账本\n".encode())
    before = digest(target)
    message = refused(workbench("roster", "list", db=str(target)))
    assert "数据库" in message
    assert digest(target) == before


@pytest.mark.parametrize("command", [
    ("import", "bank-return", "2026-10"),
    ("import", "deaths"),
    ("roster", "import"),
])
def test_a_file_to_read_that_does_not_exist_is_named(county, tmp_path, command):
    missing = tmp_path / "回盘.xlsx"
    message = refused(workbench(*command, str(missing), db=str(county)))
    assert "找不到" in message and "回盘.xlsx" in message


def test_an_approved_line_changed_in_the_file_is_never_exported_or_printed(county, tmp_path):
    """Someone with the file drops the guard and multiplies an approved amount by 100."""
    import sqlite3

    connection = sqlite3.connect(county)
    connection.execute("DROP TRIGGER ledger_lines_locked_update")
    connection.execute("UPDATE ledger_lines SET amount = amount * 100 WHERE id = (SELECT min(id) FROM ledger_lines)")
    connection.commit()
    connection.close()
    for command in (("export", "bank", "2026-10", "--out", str(tmp_path / "bank")),
                    ("print", "summary", "2026-10", "--out", str(tmp_path / "s.pdf")),
                    ("report", "2026-10", "--out", str(tmp_path / "r.xlsx"))):
        message = refused(workbench(*command, db=str(county)))
        assert "审批时记录的合计不符" in message
    assert not (tmp_path / "s.pdf").exists() and not (tmp_path / "r.xlsx").exists()
    assert not (tmp_path / "bank").exists() or not any((tmp_path / "bank").iterdir())


def test_audit_verify_notices_a_dropped_guard_and_a_truncated_log(county):
    import sqlite3

    assert workbench("audit", "verify", db=str(county)).returncode == 0
    connection = sqlite3.connect(county)
    guard = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'").fetchone()[0]
    connection.execute("DROP TRIGGER batch_totals_no_update")
    connection.commit()
    message = refused(workbench("audit", "verify", db=str(county)))
    assert "batch_totals_no_update" in message
    # Someone removes the log's last records (the approval among them) and puts the guards back.
    connection.execute("DROP TRIGGER audit_log_no_delete")
    anchor = connection.execute("SELECT notes FROM batches WHERE state != '草稿'").fetchone()[0]
    first_gone = __import__("json").loads(anchor)["操作日志链"][0]
    connection.execute("DELETE FROM audit_log WHERE id >= ?", (first_gone,))
    connection.execute(guard)
    connection.execute("CREATE TRIGGER batch_totals_no_update BEFORE UPDATE ON batch_totals BEGIN SELECT RAISE(ABORT, 'x'); END")
    connection.commit()
    connection.close()
    message = refused(workbench("audit", "verify", db=str(county)))
    assert "日志被截断" in message


def test_a_mistyped_database_path_creates_nothing(tmp_path):
    typo = tmp_path / "no" / "such" / "county.db"
    message = refused(workbench("roster", "list", db=str(typo)))
    assert "找不到数据库文件" in message
    assert not (tmp_path / "no").exists()


def test_a_log_record_rewritten_into_unreadable_text_is_named_by_verify(county):
    import sqlite3

    connection = sqlite3.connect(county)
    connection.execute("DROP TRIGGER audit_log_no_update")
    record = connection.execute("SELECT min(id) + 1 FROM audit_log").fetchone()[0]
    connection.execute("UPDATE audit_log SET detail = 'not json' WHERE id = ?", (record,))
    connection.commit()
    connection.close()
    message = refused(workbench("audit", "verify", db=str(county)))
    assert f"第 {record} 条" in message and "无法读取" in message


def test_a_backup_whose_log_was_altered_is_not_restored_unless_accepted(county, tmp_path):
    import sqlite3

    backup = tmp_path / "备份.db"
    assert workbench("db", "backup", "--out", str(backup), db=str(county)).returncode == 0
    assert workbench("db", "restore", str(backup), db=str(tmp_path / "good.db")).returncode == 0
    connection = sqlite3.connect(backup)
    connection.execute("DROP TRIGGER audit_log_no_update")
    connection.execute("UPDATE audit_log SET user_name = '系统' WHERE id = (SELECT max(id) FROM audit_log)")
    connection.commit()
    connection.close()
    before = digest(backup)
    target = tmp_path / "restored.db"
    message = refused(workbench("db", "restore", str(backup), db=str(target)))
    assert "操作日志不完整" in message and "哈希" in message
    assert not any(tmp_path.glob("restored.db*")) and digest(backup) == before
    accepted = workbench("db", "restore", str(backup), "--accept-broken-log", db=str(target))
    assert accepted.returncode == 0, accepted.stderr
    with sqlite3.connect(target) as restored:  # the restore's own record names what was found
        action, detail = restored.execute("SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    restored.close()
    assert action == "从备份恢复" and "哈希" in __import__("json").loads(detail)["日志检查"]


def _set_version(db, version: str | None) -> None:
    import sqlite3

    with sqlite3.connect(db) as connection:
        if version is None:
            connection.execute("DROP TABLE alembic_version")
        else:
            connection.execute("UPDATE alembic_version SET version_num = ?", (version,))
    connection.close()


def test_a_database_of_a_newer_program_is_read_but_never_written(county):
    _set_version(county, "9999_newer")
    before = counts(county)
    listed = workbench("roster", "list", db=str(county))
    assert listed.returncode == 0 and "共 1 人" in listed.stdout, listed.stderr
    shown = workbench("payout", "show", "2026-10", db=str(county))
    assert shown.returncode == 0 and "2026-10" in shown.stdout, shown.stderr
    for command in (("payout", "run", "2026-11"), ("init", "--policy", "yangcheng"), ("roster", "change", "x", "姓名", "王德")):
        assert "比本程序新" in refused(workbench(*command, db=str(county)))
    assert counts(county) == before


def test_a_database_without_its_version_record_is_left_alone(county):
    _set_version(county, None)
    before = digest(county)
    for command in (("init", "--policy", "yangcheng"), ("roster", "list")):
        assert "缺少版本记录" in refused(workbench(*command, db=str(county)))
    assert digest(county) == before


def test_a_version_record_older_than_the_tables_fails_the_upgrade_whole(county, tmp_path):
    _set_version(county, "0005")
    before = digest(county)
    message = refused(workbench("init", "--policy", "yangcheng", db=str(county), data_dir=tmp_path / "data"))
    assert "升级失败" in message and "0005" in message and "没有改动" in message
    assert digest(county) == before
    backups = list((tmp_path / "data" / "backups").glob("*before-upgrade*"))
    assert len(backups) == 1 and str(backups[0]) in message


def test_a_database_on_a_read_only_disk_is_read_and_writes_are_refused(county, tmp_path):
    """The database on a read-only mount (a write-protected USB stick): lists work, with the numbers
    masked since their viewing cannot be logged; changes are refused by name; nothing appears beside it."""
    folder = tmp_path / "U盘"
    folder.mkdir()
    county = county.rename(folder / county.name)
    before = sorted(path.name for path in folder.iterdir())

    def on_read_only_disk(*args):
        return with_read_only(folder, *args, db=county, data_dir=tmp_path / "data")

    listed = on_read_only_disk("roster", "list")
    assert listed.returncode == 0 and "共 1 人" in listed.stdout, listed.stderr
    assert "********" in listed.stdout  # an administrator's list, masked: the viewing could not be logged
    assert on_read_only_disk("audit", "verify").returncode == 0
    message = refused(on_read_only_disk("payout", "run", "2026-11"))
    assert "只读" in message and str(county) in message
    assert sorted(path.name for path in folder.iterdir()) == before


def test_a_data_folder_that_cannot_be_made_is_one_line(county, tmp_path):
    blocker = tmp_path / "数据"
    blocker.write_text("not a folder", encoding="utf-8")
    message = refused(workbench("roster", "list", db=str(county), data_dir=blocker / "workbench"))
    assert "数据文件夹" in message


@pytest.mark.parametrize("address, named", [
    ("postgresql://postgres@127.0.0.1:1/test", "无法连接数据库服务器 127.0.0.1:1"),
    ("{server}/没有这个库", "没有数据库「没有这个库」"),
    ("{user}没有这个人@{host}", "没有登录用户「没有这个人」"),
])
def test_a_server_that_cannot_be_used_is_named_with_the_reason(address, named):
    """A wrong port, a database or a login that does not exist: one line saying which, for every command."""
    import os
    from urllib.parse import urlsplit

    server = os.environ.get("WORKBENCH_TEST_PG_URL")
    if server is None and "{" in address:
        pytest.skip("WORKBENCH_TEST_PG_URL 未设置: 跳过 PostgreSQL 测试")
    parts = urlsplit(server or "postgresql://postgres@127.0.0.1:5432/test")
    url = address.format(server=f"{parts.scheme}://{parts.netloc}", user=f"{parts.scheme}://",
                         host=f"{parts.hostname}:{parts.port or 5432}{parts.path}")
    for command in (("roster", "list"), ("db", "setup-server", url, "--policy", "yangcheng")):
        assert named in refused(workbench(*command, db=url))
