"""The proactive lists (`check upcoming`, `check doubtful`, `liveness missing`, `budget`) on a
county with 12 months of ledger history, each timed, and the four together as the 待办 counts.

Target (issue 8): every check together under 5 s for 200,000 people. The county is the payout
benchmark's (cached), in a copy made to look a year older (see `planted`), so that every kind
of finding occurs in numbers.
"""
from __future__ import annotations

import shutil
import sys
import time
from datetime import date
from pathlib import Path

from common import OUT, TODAY, measured_in_child, print_table

import bench_payout

from workbench.bootstrap import open_database
from workbench.services.accounts import SYSTEM

CHECKS = ("upcoming", "doubtful", "unchecked", "budget", "all")


def measured(path: Path, check: str) -> tuple[float, float]:
    return measured_in_child("bench_checks", "act", str(path), check)


def planted(path: Path) -> Path:
    """A copy of the payout county as it stands a year on: its facts recorded over a year ago,
    a deadline month set, every 10th person checked this year, and 100 deaths reported late."""
    work = OUT / f"checks_{path.name}"
    if work.exists():
        return work
    shutil.copyfile(path, work)  # streamed: the child's peak memory must not start at the file's size
    from datetime import datetime

    from sqlalchemy import insert, select, update

    from workbench.services.liveness import set_deadline
    from workbench.store.models import LivenessCheck, Person, StatusFact

    db = open_database(str(work))
    set_deadline(db, SYSTEM, 6)
    with db.unit_of_work(SYSTEM, write=True) as uow:
        session = uow.session
        long_ago = datetime(2025, 9, 1)
        session.execute(update(StatusFact).values(recorded_at=long_ago))
        session.execute(update(Person).values(updated_at=long_ago), execution_options={"synchronize_session": False})
        ids = session.scalars(select(Person.id).where(Person.death_date.is_(None)).order_by(Person.id)).all()
        session.execute(insert(LivenessCheck), [
            {"person_id": person_id, "checked_on": date(2026, 3, 1), "method": "社保认证", "recorded_at": datetime(2026, 3, 1),
             "recorded_by": "bench"} for person_id in ids[::10]])
        session.execute(update(Person).where(Person.id.in_(ids[5::len(ids) // 100][:100]))
                        .values(death_date=date(2026, 5, 1)), execution_options={"synchronize_session": False})
        uow.commit()
    db.close()
    return work


def act(database: str, check: str) -> float:
    from workbench.services.budget import fund_status
    from workbench.services.checks import doubtful, todo_counts, upcoming
    from workbench.services.liveness import unchecked

    db = open_database(database)
    began = time.perf_counter()
    if check == "upcoming":
        found = len(upcoming(db, SYSTEM, today=TODAY, masked=True))
    elif check == "doubtful":
        found = len(doubtful(db, SYSTEM, today=TODAY, masked=True))
    elif check == "unchecked":
        found = len(unchecked(db, SYSTEM, TODAY.year, today=TODAY, masked=True))
    elif check == "budget":
        found = len(fund_status(db, SYSTEM, TODAY.year))
    else:
        found = todo_counts(db, SYSTEM, today=TODAY).total
    seconds = time.perf_counter() - began
    print(f"  {check}: {found} found", file=sys.stderr)
    return seconds


def run(sizes) -> list:
    results = []
    for people in sizes:
        path = planted(bench_payout.prepare(people))
        for check in CHECKS:
            seconds, peak = measured(path, check)
            results.append((f"check {check} ({peak:.0f} MB)", people, seconds, ""))
    return results


if __name__ == "__main__":
    sizes = tuple(int(size) for size in sys.argv[1:]) or (20_000, 200_000)
    print_table(run(sizes))
