"""Roster import (`roster import`) beside the raw libraries reading the same file.

Targets (issue 2): 20,000 rows under 3 s, 200,000 rows under 20 s. With WORKBENCH_BENCH_PG_URL
set, the same imports into a new database on that PostgreSQL server, beside SQLite's.

Beside them, what any import of the file spends on writing at least: the rows the new import
wrote (people, facts, accounts, enrollments, earlier payments), written again by sqlite3 alone
into the same schema emptied, in one transaction.
"""
from __future__ import annotations

import sqlite3
import sys
import resource

from common import OUT, copy_database, county_rows, fresh_server, fresh_sqlite, print_table, server_url, timed
from python_calamine import CalamineWorkbook

from workbench.documents.roster_workbook import write_roster
from workbench.services.accounts import SYSTEM
from workbench.services.roster_import import import_roster

from common import TODAY


def run(sizes=(20_000, 200_000)) -> list:
    results: list = []
    for people in sizes:
        path = OUT / f"roster_{people}.xlsx"
        if not path.exists():
            write_roster(path, county_rows(people))
        with timed(results, f"python-calamine read only ({people:,})", people):
            CalamineWorkbook.from_path(str(path)).get_sheet_by_name("花名册").to_python()
        if people <= 20_000:
            from openpyxl import load_workbook

            with timed(results, f"openpyxl read-only read only ({people:,})", people):
                book = load_workbook(path, read_only=True)
                sum(1 for _ in book["花名册"].iter_rows(values_only=True))
                book.close()
        db = fresh_sqlite(f"import_{people}")
        on_sqlite = _imports(results, db, path, people, "")
        db.close()
        _write_floor(results, OUT / f"import_{people}.db")
        if server := server_url():
            with fresh_server(server, f"wb_bench_import_{people}") as shared:
                on_server = _imports([], shared, path, people, "PostgreSQL")
            for (label, rows, seconds, _), (_, _, sqlite_seconds, _) in zip(on_server, on_sqlite):
                results.append((f"  {label}: {seconds / sqlite_seconds:.2f}x SQLite", rows, seconds, ""))
    return results


def _imports(results: list, db, path, people: int, where: str) -> list:
    """A new roster imported into `db`, then the same file again (nothing changes); their rows of `results`."""
    first = len(results)
    with timed(results, f"{where}, new" if where else f"workbench roster import, new ({people:,})", people):
        report = import_roster(db, SYSTEM, path, today=TODAY)
    assert report.added == people, report
    with timed(results, f"{where}, again" if where else f"workbench roster import, again ({people:,})", people):
        report = import_roster(db, SYSTEM, path, today=TODAY)
    assert report.unchanged == people, report
    return results[first:]


WRITTEN = ("persons", "status_facts", "bank_accounts", "enrollments", "prior_payments")


def _write_floor(results: list, database) -> None:
    """The rows of WRITTEN in `database` written again by sqlite3 alone, with the program's
    connection settings, into a copy of it with those tables (and the change log) emptied."""
    source = sqlite3.connect(database)
    rows = {table: source.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall() for table in WRITTEN}
    source.close()
    copy = OUT / "import_floor.db"
    copy_database(database, copy)
    emptied = sqlite3.connect(copy, isolation_level=None)
    for table in (*reversed(WRITTEN), "person_changes"):
        emptied.execute(f"DELETE FROM {table}")
    emptied.execute("VACUUM")
    emptied.close()
    target = sqlite3.connect(copy, isolation_level=None)
    for setting in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", "cache_size=-65536"):  # store.engine's
        target.execute(f"PRAGMA {setting}")
    total = sum(len(each) for each in rows.values())
    with timed(results, f"  sqlite3 alone writing its {total:,} rows", total):
        target.execute("BEGIN IMMEDIATE")
        for table in WRITTEN:
            if rows[table]:
                marks = ", ".join("?" * len(rows[table][0]))
                target.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
        target.execute("COMMIT")
    target.close()


if __name__ == "__main__":
    sizes = tuple(int(arg) for arg in sys.argv[1:]) or (20_000, 200_000)
    print_table(run(sizes))
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
