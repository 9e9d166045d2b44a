"""Bank export (`export bank`) of an approved batch, beside the raw libraries writing the same rows.

Target (issue 4): 200,000 lines under 15 s and 500 MB, within 1.3x of the raw library.
Uses the counties prepared by bench_payout.py (their last approved month). With
WORKBENCH_BENCH_PG_URL set, the export also runs on a copy of the county on that PostgreSQL server.
"""
from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from bench_payout import MONTH, prepare
from common import (
    OUT, SYSTEM_ACTOR, copy_database, measured_in_child, print_table, server_copy_of, server_url, server_work_copy,
)

from workbench.bootstrap import open_database


def ours(database: str, out: str) -> float:
    import shutil
    from pathlib import Path

    from workbench.services.bank_export import export_bank

    if "://" in database:  # a server database made for this measurement
        work = database
    else:
        work = str(OUT / "export_work.db")  # a copy: exporting marks the batch and writes the audit log
        copy_database(Path(database), Path(work))
    shutil.rmtree(out, ignore_errors=True)
    db = open_database(work)
    began = time.perf_counter()
    export_bank(db, SYSTEM_ACTOR, MONTH - 1, Path(out), template_name="通用", today=date(2026, 11, 22))
    return time.perf_counter() - began


def _rows(database: str):
    from workbench.services.bank_export import payment_rows
    from workbench.services.payout import existing_batch

    db = open_database(database)
    with db.unit_of_work(SYSTEM_ACTOR) as uow:
        batch, names = existing_batch(uow, MONTH - 1)
        return payment_rows(uow, batch.id, names)


def raw_xlsxwriter(database: str, out: str) -> float:
    import xlsxwriter

    rows = _rows(database)
    began = time.perf_counter()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, [number, row.name, row.id_number, row.account, float(row.amount), row.items,
                                    row.periods, row.township, row.village])
    book.close()
    return time.perf_counter() - began


def raw_openpyxl(database: str, out: str) -> float:
    from openpyxl import Workbook

    rows = _rows(database)
    began = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for number, row in enumerate(rows, start=1):
        sheet.append([number, row.name, row.id_number, row.account, float(row.amount), row.items, row.periods,
                      row.township, row.village])
    book.save(out)
    return time.perf_counter() - began


def run(sizes=(20_000,)) -> list:
    results = []
    for people in sizes:
        database = str(prepare(people))
        lines = len(_rows(database))
        for function, label in (("raw_xlsxwriter", "raw XlsxWriter"), ("raw_openpyxl", "raw openpyxl write-only"),
                                ("ours", "workbench export bank")):
            out = str(OUT / f"export_{people}_{function}" ) + ("" if function == "ours" else ".xlsx")
            seconds, megabytes = measured_in_child("bench_export", function, database, out)
            results.append((f"{label} ({people:,} people) {megabytes:.0f} MB", lines, seconds, ""))
        if server := server_url():
            template = server_copy_of(Path(database), server, f"wb_bench_payout_{people}").rsplit("/", 1)[1]
            with server_work_copy(server, template) as url:
                on_server, megabytes = measured_in_child("bench_export", "ours", url, str(OUT / f"export_{people}_server"))
            results.append((f"  PostgreSQL: {on_server / seconds:.2f}x SQLite, {megabytes:.0f} MB", lines, on_server, ""))
    return results


if __name__ == "__main__":
    print_table(run(tuple(int(arg) for arg in sys.argv[1:]) or (20_000,)))
