"""Attacks on the command line: each is refused with one Chinese line, a non-zero exit, no
traceback, and nothing written (the database's tables and the files on disk as before)."""
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from tests.helpers import roster_row, workbench, write_rows
from workbench.store.models import Base


@pytest.fixture(scope="module")
def county_template(tmp_path_factory):
    """An initialized database with one person, one approved month: copied for each attack."""
    folder = tmp_path_factory.mktemp("county")
    db = str(folder / "county.db")
    assert workbench("init", "--policy", "yangcheng", db=db).returncode == 0
    assert workbench("roster", "import", str(write_rows(folder / "r.xlsx", [roster_row(起始月份="2026-09")])), db=db).returncode == 0
    assert workbench("user", "add", "shen", "--role", "审核", db=db, env={"WORKBENCH_NEW_PASSWORD": "shen-secret"}).returncode == 0
    assert workbench("payout", "run", "2026-10", db=db).returncode == 0
    approved = workbench("payout", "approve", "2026-10", db=db, env={"WORKBENCH_USER": "shen", "WORKBENCH_PASSWORD": "shen-secret"})
    assert approved.returncode == 0, approved.stderr
    return Path(db)


@pytest.fixture
def county(county_template, tmp_path):
    target = tmp_path / "county.db"
    target.write_bytes(county_template.read_bytes())
    return target


def counts(db: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            return {table.name: connection.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables
                    if table.name != "audit_log"}
    finally:
        engine.dispose()


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def refused(done) -> str:
    """The command was refused as a clerk should see it: exit 1, one Chinese line, no traceback."""
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误: "), done.stderr
    return lines[0]


def with_read_only(folder: Path, *args: str, db: Path, data_dir: Path):
    """Run the command line with `folder` mounted read-only for that process alone (a write-protected
    USB stick or a disc), through a private mount namespace."""
    return _mounted('mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"', folder, args, db, data_dir)


def with_full_disk(folder: Path, *args: str, db: Path, data_dir: Path, after: Path):
    """Run the command line with `folder` on a disk of 8 KB for that process alone: a full disk.
    What `folder` held is put on it first; what it holds when the command ends is packed into `after`."""
    script = (f'tar -C "$0" -cf "{after}" . && mount -t tmpfs -o size=8k tmpfs "$0" && tar -C "$0" -xf "{after}" && '
              f'"$@"; code=$?; tar -C "$0" -cf "{after}" . && exit $code')
    return _mounted(script, folder, args, db, data_dir)


def _mounted(script: str, folder: Path, args, db: Path, data_dir: Path):
    import os
    import subprocess
    import sys

    from tests.helpers import PASSWORD

    return subprocess.run(["unshare", "--mount", "sh", "-c", script, str(folder), sys.executable, "-m", "workbench",
                           "--db", str(db), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "WORKBENCH_PASSWORD": PASSWORD, "WORKBENCH_DATA_DIR": str(data_dir)})
