"""`db backup`, `db restore`, `db copy` and `audit verify` as scripts call them."""
import sqlite3

from tests.helpers import roster_row, workbench, write_rows


def test_backup_restore_and_audit_verify(cli_db, tmp_path):
    write_rows(tmp_path / "r.xlsx", [roster_row()])
    assert workbench("roster", "import", str(tmp_path / "r.xlsx"), db=cli_db).returncode == 0
    done = workbench("audit", "verify", db=cli_db)
    assert done.returncode == 0 and "哈希链全部一致" in done.stdout
    done = workbench("db", "backup", "--out", str(tmp_path / "b.db"), db=cli_db)
    assert done.returncode == 0 and "已备份到" in done.stdout
    done = workbench("db", "restore", str(tmp_path / "b.db"), db=cli_db)
    assert done.returncode == 1 and "只写入新的数据库文件" in done.stderr
    restored = str(tmp_path / "restored.db")
    done = workbench("db", "restore", str(tmp_path / "b.db"), db=restored)
    assert done.returncode == 0 and "已从" in done.stdout
    listing = workbench("roster", "list", "--format", "csv", db=restored)
    assert listing.returncode == 0 and "王德福" in listing.stdout
    # A record forged by SQL is found, with its number, and the command fails.
    with sqlite3.connect(cli_db) as connection:
        prev = connection.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
        connection.execute("INSERT INTO audit_log (at, user_name, installation, action, entity, entity_id, detail,"
                           " prev_hash, hash) VALUES ('2026-11-01 08:00:00', 'admin', 'x', '审批发放', 'batch', '2026-10',"
                           " '{}', ?, ?)", (prev, "a" * 64))
    connection.close()
    done = workbench("audit", "verify", db=cli_db)
    assert done.returncode == 1 and "异常" in done.stderr and "伪造" in done.stderr


def test_copy_refuses_a_target_that_has_data(cli_db, tmp_path):
    other = str(tmp_path / "other.db")
    assert workbench("init", "--policy", "yangcheng", db=other).returncode == 0
    done = workbench("db", "copy", "--to", other, db=cli_db)
    assert done.returncode == 1 and "已有数据" in done.stderr
    fresh = str(tmp_path / "fresh.db")
    done = workbench("db", "copy", "--to", fresh, db=cli_db)
    assert done.returncode == 0 and "核对一致" in done.stdout
    assert workbench("audit", "verify", db=fresh).returncode == 0
