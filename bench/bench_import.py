"""Roster import (`roster import`) beside the raw libraries reading the same file.

Targets (issue 2): 20,000 rows under 3 s, 200,000 rows under 20 s.
"""
from __future__ import annotations

import sys
import resource

from common import OUT, county_rows, fresh_sqlite, print_table, timed
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
        with timed(results, f"workbench roster import, new ({people:,})", people):
            report = import_roster(db, SYSTEM, path, today=TODAY)
        assert report.added == people, report
        with timed(results, f"workbench roster import, again ({people:,})", people):
            report = import_roster(db, SYSTEM, path, today=TODAY)
        assert report.unchanged == people, report
        db.close()
    return results


if __name__ == "__main__":
    sizes = tuple(int(arg) for arg in sys.argv[1:]) or (20_000, 200_000)
    print_table(run(sizes))
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
