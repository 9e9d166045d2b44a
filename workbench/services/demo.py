"""The demo county: a fresh database filled with a synthetic county, and its files."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from workbench.services.database import Database, Progress
from workbench.documents.roster_workbook import write_roster
from workbench.domain.actor import Actor
from workbench.domain.errors import InvalidInput
from workbench.domain.month import Month
from workbench.domain.roles import REVIEWER
from workbench.services.accounts import SYSTEM
from workbench.services.bank_export import export_bank
from workbench.services.payout import approve_month, run_month
from workbench.store.ledger import active_policy
from workbench.services.printing import print_roster, print_summary
from workbench.services.report import monthly_report
from workbench.services.roster_import import ImportReport, import_roster
from workbench.services.setup import initialize
from workbench.store.models import Person
from workbench.synthetic import SyntheticCounty

ROSTER_FILE = "花名册.xlsx"


DEMO_REVIEWER = Actor("演示审核员", REVIEWER)


@dataclass(frozen=True)
class DemoReport:
    roster_file: Path
    imported: ImportReport
    month: Month
    files: tuple[Path, ...]  # payment lists, summary, roster of one township, statistics


def build_demo(
    db: Database,
    out_dir: Path,
    *,
    people: int = 20_000,
    seed: int = 1,
    policy: str = "yangcheng",
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoReport:
    """Refuses a database that already has people: demo data never mixes with real data."""
    if people < 1:
        raise InvalidInput("--people 至少为 1")
    initialize(db, policy)
    with db.unit_of_work(SYSTEM) as uow:
        if uow.session.scalar(select(func.count()).select_from(Person)):
            raise InvalidInput("该数据库中已有人员, 演示数据只能建在新的空数据库中 (用 --db 指定一个新文件)")
        active = active_policy(uow)
    county = SyntheticCounty(active, seed=seed, today=today)
    roster_file = Path(out_dir) / ROSTER_FILE
    write_roster(roster_file, county.rows(people), [item.name for item in active.items])
    imported = import_roster(db, SYSTEM, roster_file, today=today, progress=progress)
    # The month as the office would do it: run, approve by a second person, pay, print.
    month = Month.of(today or date.today())
    run_month(db, SYSTEM, month)
    approve_month(db, DEMO_REVIEWER, month)
    out_dir = Path(out_dir)
    exported = export_bank(db, SYSTEM, month, out_dir / "代发清单", today=today)
    summary = print_summary(db, SYSTEM, month, out_dir / f"{month}_汇总表.pdf")
    township = sorted(SyntheticCounty.townships())[0]
    roster_pdf = out_dir / f"{month}_发放花名册_{township}.pdf"
    print_roster(db, SYSTEM, month, roster_pdf, township=township)
    report = monthly_report(db, SYSTEM, month, out_dir / f"{month}_统计报表.xlsx")
    files = (*(exported_file.path for exported_file in exported.files), exported.summary, summary, roster_pdf, report)
    return DemoReport(roster_file=roster_file, imported=imported, month=month, files=files)
