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


def test_maintenance_commands_refuse_bad_input_and_write_nothing(cli_db, tmp_path):
    done = workbench("db", "setup-server", f"sqlite:///{tmp_path / 'x.db'}", db=cli_db)
    assert done.returncode == 1 and "需要 PostgreSQL 数据库地址" in done.stderr
    assert not (tmp_path / "x.db").exists() or (tmp_path / "x.db").stat().st_size == 0
    done = workbench("db", "copy", "--to", cli_db, db=cli_db)
    assert done.returncode == 1 and "目标数据库与当前数据库相同" in done.stderr
    workbench("user", "add", "zhang", "--role", "经办", db=cli_db, env={"WORKBENCH_NEW_PASSWORD": "zhang-secret"})
    done = workbench("--user", "zhang", "db", "backup", "--out", str(tmp_path / "b.db"), db=cli_db,
                     env={"WORKBENCH_PASSWORD": "zhang-secret"})
    assert done.returncode == 1 and "无权备份或复制数据库" in done.stderr and not (tmp_path / "b.db").exists()
    done = workbench("db", "restore", str(tmp_path / "missing.db"), db=str(tmp_path / "new.db"))
    assert done.returncode == 1 and "找不到备份文件" in done.stderr and not (tmp_path / "new.db").exists()
    done = workbench("db", "restore", str(tmp_path / "b.db"), db="postgresql://nobody@127.0.0.1:1/none")
    assert done.returncode == 1 and "只用于本机数据库" in done.stderr
    done = workbench("db", "frobnicate", db=cli_db)
    assert done.returncode == 2 and "命令用法错误" in done.stderr


def test_selftest_passes_every_step(tmp_path):
    done = workbench("selftest", db=str(tmp_path / "unused.db"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("通过") == 6 and done.stdout.strip().splitlines()[-1].startswith("OK")
    assert not (tmp_path / "unused.db").exists()  # the selftest leaves the user's database alone


def test_selftest_names_the_failing_step(monkeypatch, capsys):
    from workbench.cli import main as cli
    from workbench.services import printing

    def broken(*_args, **_kwargs):
        raise OSError("字体文件无法读取")

    monkeypatch.setattr(printing, "print_summary", broken)
    assert cli.main(["selftest"]) == 1
    shown = capsys.readouterr()
    assert "失败  生成 PDF" in shown.out and "字体文件无法读取" in shown.out and "失败: 生成 PDF" in shown.err
