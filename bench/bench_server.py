"""The shared server right after a big import: `uv run python bench/bench_server.py [--people N]`.

A county of N people (default 200,000) is imported into a new PostgreSQL database with autovacuum
off for its tables (WORKBENCH_BENCH_PG_URL names the server, e.g. postgresql://postgres@127.0.0.1/test),
then at once: the month's run, 发放花名册 of one township, 汇总表, bank lists. The same sequence on
SQLite beside it, and the ratio (target: PostgreSQL within 1.5x of SQLite).
"""
from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))

from common import OUT, SYSTEM_ACTOR, TODAY, county_rows  # noqa: E402

from workbench.bootstrap import open_database  # noqa: E402
from workbench.documents.roster_workbook import write_roster  # noqa: E402
from workbench.domain.month import Month  # noqa: E402
from workbench.services.bank_export import export_bank  # noqa: E402
from workbench.services.payout import approve_month, run_month  # noqa: E402
from workbench.services.printing import print_roster, print_summary  # noqa: E402
from workbench.services.roster_import import import_roster  # noqa: E402
from workbench.services.setup import initialize  # noqa: E402
from workbench.store.models import Base  # noqa: E402
from workbench.store.uow import Actor  # noqa: E402

REVIEWER = Actor("reviewer", "审核")
MONTH = Month.of(TODAY)
TOWNSHIP = "东冶镇"


def sequence(db, roster: Path, work: Path) -> list[tuple[str, float]]:
    steps = []

    def timed(name, action):
        began = time.perf_counter()
        action()
        steps.append((name, time.perf_counter() - began))

    timed("import", lambda: import_roster(db, SYSTEM_ACTOR, roster, today=TODAY))
    timed("payout run", lambda: run_month(db, SYSTEM_ACTOR, MONTH))
    approve_month(db, REVIEWER, MONTH)
    timed(f"print roster --township {TOWNSHIP}", lambda: print_roster(db, SYSTEM_ACTOR, MONTH, work / "roster.pdf",
                                                                      township=TOWNSHIP))
    timed("print summary", lambda: print_summary(db, SYSTEM_ACTOR, MONTH, work / "summary.pdf"))
    timed("export bank", lambda: export_bank(db, SYSTEM_ACTOR, MONTH, work / "bank", today=TODAY))
    return steps


def on_sqlite(roster: Path) -> list[tuple[str, float]]:
    path = OUT / "server_bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(str(path))
    initialize(db, "yangcheng")
    work = OUT / "server_bench_sqlite"
    work.mkdir(parents=True, exist_ok=True)
    try:
        return sequence(db, roster, work)
    finally:
        db.close()


def on_postgresql(server: str, roster: Path) -> list[tuple[str, float]]:
    admin = create_engine(make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    name = f"wb_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    db = open_database(make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False))
    try:
        initialize(db, "yangcheng")
        with db.engine.begin() as connection:  # autovacuum off for these tables, whatever the server's setting
            for table in Base.metadata.sorted_tables:
                connection.exec_driver_sql(f'ALTER TABLE "{table.name}" SET (autovacuum_enabled = false)')
        work = OUT / "server_bench_pg"
        work.mkdir(parents=True, exist_ok=True)
        return sequence(db, roster, work)
    finally:
        db.close()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    people = int(sys.argv[sys.argv.index("--people") + 1]) if "--people" in sys.argv else 200_000
    server = os.environ.get("WORKBENCH_BENCH_PG_URL")
    if not server:
        sys.exit("WORKBENCH_BENCH_PG_URL 未设置 (例如 postgresql://postgres@127.0.0.1:5432/test)")
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("WORKBENCH_DATA_DIR", str(OUT / "data"))
    roster = OUT / f"server_roster_{people}.xlsx"
    if not roster.exists():
        write_roster(roster, county_rows(people))
    sqlite, postgresql = on_sqlite(roster), on_postgresql(server, roster)
    print(f"{people:,} people, right after the import; PostgreSQL tables with autovacuum off")
    print(f"{'step':<34} {'SQLite s':>9} {'PostgreSQL s':>13} {'ratio':>7}")
    for (step, lite), (_, pg) in zip(sqlite, postgresql):
        print(f"{step:<34} {lite:>9.2f} {pg:>13.2f} {pg / lite:>7.2f}")
    total_lite, total_pg = sum(seconds for _, seconds in sqlite), sum(seconds for _, seconds in postgresql)
    print(f"{'whole sequence':<34} {total_lite:>9.2f} {total_pg:>13.2f} {total_pg / total_lite:>7.2f}")


if __name__ == "__main__":
    main()
