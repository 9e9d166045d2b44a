"""Printed documents: 1,000 approval sheets in one PDF, and the 发放花名册 of a whole batch.

Targets (issue 5): under 8 s and under 60 s (200,000 lines). Beside them, reportlab alone
writing 1,000 one-page CJK forms of the same size into one PDF.
"""
from __future__ import annotations

import sys
import time
from datetime import date

from bench_payout import MONTH, prepare
from common import OUT, SYSTEM_ACTOR, measured_in_child, print_table

from workbench.bootstrap import open_database

SHEETS = 1000


def approvals(database: str) -> float:
    from sqlalchemy import select

    from workbench.documents.pdf import write_approval_sheets
    from workbench.services.payout import load_entitlement, load_people
    from workbench.services.printing import approval_sheet
    from workbench.store.models import Enrollment, Person

    db = open_database(database)
    began = time.perf_counter()
    with db.unit_of_work(SYSTEM_ACTOR) as uow:
        entitlement = load_entitlement(uow)
        rows = uow.session.execute(select(Person, Enrollment.item_code, Enrollment.start_month)
                                   .join(Enrollment, Enrollment.person_id == Person.id).limit(SHEETS)).all()
        records = load_people(uow, only={person.id for person, _, _ in rows})
        sheets = [approval_sheet(uow, entitlement, person, code, start, records[person.id], MONTH, date(2026, 11, 22))
                  for person, code, start in rows]
    write_approval_sheets(OUT / "approvals.pdf", sheets)
    return time.perf_counter() - began


def raw_reportlab(database: str) -> float:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    from workbench.documents.pdf import font

    styles = {}

    def style(size=9):
        return styles.setdefault(size, ParagraphStyle(f"raw-{size}", fontName=font(), fontSize=size, wordWrap="CJK"))

    began = time.perf_counter()
    document = SimpleDocTemplate(str(OUT / "raw.pdf"), pagesize=A4)
    story = []
    for number in range(SHEETS):
        rows = [[Paragraph(f"项目{row}", style()), Paragraph(f"李秀英{number}", style()), Paragraph("身份证号", style()),
                 Paragraph("140522193602020325", style())] for row in range(11)]
        story += [Paragraph("高龄补贴申请审批表", style(16)), Table(rows), PageBreak()]
    document.build(story)
    return time.perf_counter() - began


def roster(database: str) -> float:
    from workbench.services.printing import print_roster

    db = open_database(database)
    began = time.perf_counter()
    print_roster(db, SYSTEM_ACTOR, MONTH - 1, OUT / "roster.pdf")
    return time.perf_counter() - began


def run(sizes=(20_000,)) -> list:
    results = []
    for people in sizes:
        database = str(prepare(people))
        if people == sizes[0]:
            for function, label in (("raw_reportlab", f"raw reportlab, {SHEETS} one-page forms"),
                                    ("approvals", f"workbench {SHEETS} approval sheets")):
                seconds, megabytes = measured_in_child("bench_printing", function, database)
                results.append((f"{label} {megabytes:.0f} MB", SHEETS, seconds, ""))
        seconds, megabytes = measured_in_child("bench_printing", "roster", database)
        lines = _lines(database)
        results.append((f"workbench 发放花名册 ({people:,}) {megabytes:.0f} MB", lines, seconds, ""))
    return results


def _lines(database: str) -> int:
    from sqlalchemy import func, select

    from workbench.store.models import Batch, LedgerLine

    db = open_database(database)
    with db.unit_of_work(SYSTEM_ACTOR) as uow:
        return uow.session.scalar(select(func.count()).select_from(LedgerLine).join(Batch).where(Batch.month == MONTH - 1))


if __name__ == "__main__":
    print_table(run(tuple(int(arg) for arg in sys.argv[1:]) or (20_000,)))
