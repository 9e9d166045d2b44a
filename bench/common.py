"""Shared by the benchmark scripts: synthetic data, fresh databases, a timer, the table."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from workbench.bootstrap import Database, open_database
from workbench.domain.actor import Actor
from workbench.domain.policy import parse_policy
from workbench.paths import policy_presets_dir
from workbench.services.setup import initialize
from workbench.synthetic import SyntheticCounty

TODAY = date(2026, 11, 22)
SYSTEM_ACTOR = Actor("bench", "管理员")
OUT = Path(os.environ.get("WORKBENCH_BENCH_DIR", Path(tempfile.gettempdir()) / "workbench-bench"))


def policy(name: str = "yangcheng"):
    return parse_policy((policy_presets_dir() / f"{name}.toml").read_text(encoding="utf-8"))


def county_rows(people: int, seed: int = 1, today: date = TODAY) -> list[dict[str, str]]:
    return SyntheticCounty(policy(), seed=seed, today=today).rows(people)


def fresh_sqlite(name: str) -> Database:
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("WORKBENCH_DATA_DIR", str(OUT / "data"))
    path = OUT / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(str(path))
    initialize(db, "yangcheng")
    return db


@contextmanager
def timed(results: list, operation: str, rows: int, *, baseline: str = ""):
    """Times the block and appends (operation, rows, seconds, baseline) to results."""
    start = time.perf_counter()
    yield
    results.append((operation, rows, time.perf_counter() - start, baseline))


def print_table(results: list) -> None:
    print(f"{'operation':<46} {'rows':>9} {'seconds':>9} {'rows/s':>10}")
    for operation, rows, seconds, _ in results:
        print(f"{operation:<46} {rows:>9,} {seconds:>9.2f} {rows / seconds if seconds else 0:>10,.0f}")


def upgraded_if_cached(path: Path) -> bool:
    """Whether a database built by an earlier bench run is there; if so, brought up to this
    version of the program's schema."""
    if not path.exists():
        return False
    cached = open_database(str(path))
    cached.upgrade()
    cached.close()
    return True


def copy_database(source: Path, target: Path) -> None:
    """Copy a database file for a measured process: streamed, so the measuring process's peak
    memory does not start at the file's size, and written out to disk before the measured process
    starts, so that the writing does not compete with it."""
    for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)  # an earlier copy's log would be replayed onto this one
    shutil.copyfile(source, target)
    os.sync()


def measured_in_child(module: str, function: str, *args) -> tuple[float, float]:
    """Run bench `module`.`function`(*args) in a fresh process: (its returned seconds, its peak MB)."""
    import json
    import subprocess
    import sys

    code = f"""
import json, resource, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from {module} import {function}
seconds = {function}(*{args!r})
try:  # this process's own peak (Linux): ru_maxrss would also count the parent's, copied at the fork
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps([seconds, peak / 1024]))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr)
    return tuple(json.loads(done.stdout.strip().splitlines()[-1]))


def server_url() -> str | None:
    """The PostgreSQL server the benchmarks may use (WORKBENCH_BENCH_PG_URL), or None: SQLite only."""
    return os.environ.get("WORKBENCH_BENCH_PG_URL") or None


def _server_admin(server: str):
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    return create_engine(make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")


def database_url(server: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)


def server_copy_of(sqlite: Path, server: str, name: str) -> str:
    """A database `name` on the server holding what the SQLite file holds (`db copy`), built once
    and kept on the server as the template of each measurement's database; brought up to this
    version of the schema. Returns its URL."""
    from sqlalchemy import text

    from workbench.services.maintenance import copy_database

    admin = _server_admin(server)
    try:
        with admin.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if not exists:
                building = f"{name}_building"
                connection.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{building}"'))
                began = time.perf_counter()
                source = open_database(str(sqlite))
                copy_database(source, SYSTEM_ACTOR, database_url(server, building), open_database=open_database)
                source.close()
                print(f"  {name}: copied to the server in {time.perf_counter() - began:.0f} s", file=sys.stderr)
                connection.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
    finally:
        admin.dispose()
    cached = open_database(database_url(server, name))
    cached.upgrade()
    cached.close()
    return database_url(server, name)


@contextmanager
def server_database(server: str, name: str, template: str | None = None):
    """A new database `name` on the server, empty or made from `template` (a file-level copy on the
    server), dropped afterwards: yields its URL."""
    from sqlalchemy import text

    admin = _server_admin(server)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        copy = f' TEMPLATE "{template}"' if template else ""
        if template and int(connection.execute(text("SHOW server_version_num")).scalar()) >= 150000:
            # From PostgreSQL 15 a copy is written through the WAL by default: gigabytes of it,
            # whose checkpoint would then write beside the measurement for many seconds.
            copy += " STRATEGY = FILE_COPY"
        connection.execute(text(f'CREATE DATABASE "{name}"' + copy))
    try:
        yield database_url(server, name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def server_work_copy(server: str, template: str):
    """A new database made from `template` for one measurement, dropped afterwards: yields its URL."""
    return server_database(server, f"wb_work_{os.getpid()}", template)


@contextmanager
def fresh_server(server: str, name: str):
    """A new, empty server database set up as `workbench init` does (policy yangcheng), dropped
    afterwards: yields it opened."""
    with server_database(server, name) as url:
        db = open_database(url)
        try:
            initialize(db, "yangcheng")
            yield db
        finally:
            db.close()
