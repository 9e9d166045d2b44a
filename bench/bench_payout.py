"""Monthly payout run (`payout run`) on a county with 12 months of ledger history.

Targets (issue 3): 200,000 enrolled people, a run under 5 s and 1 GB; re-running an unchanged
draft under 3 s. Printed beside a raw baseline: SQLAlchemy Core loading the enrollments,
computing one amount each in Python and writing them back.
"""
from __future__ import annotations

import random
import sys
import time
from decimal import Decimal
from pathlib import Path

from common import (
    OUT, TODAY, copy_database, county_rows, fresh_sqlite, measured_in_child, print_table, server_copy_of, server_url,
    server_work_copy, upgraded_if_cached,
)

from workbench.bootstrap import open_database
from workbench.documents.roster_workbook import write_roster
from workbench.domain.actor import Actor
from workbench.domain.month import Month
from workbench.services.accounts import SYSTEM
from workbench.services.payout import approve_month, run_month
from workbench.services.roster import change_person
from workbench.services.roster_import import import_roster

REVIEWER = Actor("reviewer", "审核")
MONTH = Month.of(TODAY)
HISTORY = 12
REPEAT = 3  # measurements of each action but the full run: this machine's timings vary by a tenth or more


def prepare(people: int) -> Path:
    """A county of `people` with batches approved for the 12 months before MONTH (cached)."""
    path = OUT / f"payout_{people}.db"
    if upgraded_if_cached(path):
        return path
    start = MONTH - HISTORY
    roster = OUT / f"roster_{people}_{start}.xlsx"
    if not roster.exists():
        write_roster(roster, county_rows(people, today=start.first_day()))
    db = fresh_sqlite(f"payout_{people}_building")
    import_roster(db, SYSTEM, roster, today=start.first_day())
    for month in start.until(MONTH - 1):
        began = time.perf_counter()
        run_month(db, SYSTEM, month)
        approve_month(db, REVIEWER, month)
        print(f"  history {month}: {time.perf_counter() - began:.1f} s", file=sys.stderr)
    db.close()
    Path(db.engine.url.database).rename(path)
    return path


def measured(path: Path, action: str) -> tuple[float, float]:
    """Seconds and peak MB of one action in a fresh process on a copy of the prepared database."""
    work = OUT / f"work_{path.name}"
    copy_database(path, work)
    return measured_in_child("bench_payout", "act", str(work), action)


def act(database: str, action: str) -> float:
    db = open_database(database)
    if action == "baseline":
        return baseline(db)
    if action in ("run", "rerun", "full"):
        rng = random.Random(5)
        with db.unit_of_work(SYSTEM) as uow:
            from sqlalchemy import select
            from workbench.store.models import Person
            numbers = uow.session.scalars(select(Person.id_number)).all()
        for number in rng.sample(numbers, len(numbers) // 200):  # 0.5% of people changed this month
            change_person(db, SYSTEM, number, "低保", rng.choice(["是", "否"]), MONTH - 2, today=TODAY)
        if action == "rerun":
            run_month(db, SYSTEM, MONTH)
        began = time.perf_counter()
        run_month(db, SYSTEM, MONTH, full=action == "full")
        return time.perf_counter() - began
    raise ValueError(action)


def baseline(db) -> float:
    """Core: load every approved enrollment, compute an amount each in Python, write them back."""
    from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
    from workbench.store.models import Enrollment
    from workbench.store.types import Money

    scratch = Table("bench_scratch", MetaData(), Column("person_id", Integer), Column("item_code", String(20)),
                    Column("amount", Money))
    scratch.create(db.engine)
    began = time.perf_counter()
    with db.engine.begin() as connection:
        rows = connection.execute(select(Enrollment.person_id, Enrollment.item_code, Enrollment.start_month)).all()
        computed = [{"person_id": person_id, "item_code": code, "amount": Decimal("66.67") if start.month % 2 else Decimal("70.00")}
                    for person_id, code, start in rows]
        connection.execute(insert(scratch), computed)
    return time.perf_counter() - began


def measured_on_server(server: str, template: str, action: str) -> tuple[float, float]:
    """Seconds and peak MB of one action in a fresh process on a new server database made from `template`."""
    with server_work_copy(server, template) as url:
        return measured_in_child("bench_payout", "act", url, action)


ACTIONS = (("baseline", "raw Core load-compute-write", REPEAT), ("run", "payout run, 0.5% changed", REPEAT),
           ("rerun", "payout run again, draft unchanged", REPEAT), ("full", "payout run --full", 2))


def run(sizes=(20_000,)) -> list:
    """Each action on SQLite and, with WORKBENCH_BENCH_PG_URL set, on PostgreSQL beside it (the
    same county, copied to the server once by `db copy` and kept there)."""
    results = []
    server = server_url()
    for people in sizes:
        path = prepare(people)
        template = server_copy_of(path, server, f"wb_bench_payout_{people}") if server else None
        for action, label, times in ACTIONS:
            # The best of several runs, each in a fresh process on a fresh copy; the worst beside it.
            measures = [measured(path, action) for _ in range(times)]
            seconds = min(measure[0] for measure in measures)
            spread = f", worst {max(measure[0] for measure in measures):.2f} s" if times > 1 else ""
            megabytes = max(measure[1] for measure in measures)
            results.append((f"{label} ({people:,}) {megabytes:.0f} MB{spread}", people, seconds, ""))
            if template:
                on_server = [measured_on_server(server, template.rsplit("/", 1)[1], action) for _ in range(times)]
                best = min(measure[0] for measure in on_server)
                results.append((f"  PostgreSQL: {best / seconds:.2f}x SQLite, {max(m[1] for m in on_server):.0f} MB",
                                people, best, ""))
    return results


if __name__ == "__main__":
    print_table(run(tuple(int(arg) for arg in sys.argv[1:]) or (20_000,)))
