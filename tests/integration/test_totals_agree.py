"""One month with back pay, a retroactive cut, a late death, a failed bank line and deductions (抵扣):
the bank lists, the 花名册, the 汇总表, the report workbook, the batch totals and the run's report all
give the same total paid, and the recovery ledger shows what was deducted."""
import subprocess
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, workbench, write_rows
from workbench.domain.entitlement import annual_installment
from workbench.domain.month import Month as M
from workbench.services.bank_export import export_bank
from workbench.services.bank_return import import_bank_return
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.policy import set_standard
from workbench.services.printing import print_roster, print_summary
from workbench.services.recovery import list_recoveries
from workbench.services.report import monthly_report
from workbench.services.roster import change_person
from workbench.services.roster_import import import_roster
from workbench.store.models import Batch, BatchTotal

KEEPS = make_id(date(1941, 5, 3), 11)  # paid on; owes the cut's difference, deducted from October
DIES = make_id(date(1941, 6, 3), 13)  # dies 2026-08-20, reported in October: September taken back
FAILS = make_id(date(1941, 7, 3), 15)  # September's payment failed at the bank: paid again in October
CUT = {month: annual_installment(D(800), month) - annual_installment(D(720), month) for month in range(1, 13)}


@pytest.fixture
def october_draft(db, tmp_path):
    rows = [roster_row(身份证号=KEEPS, 起始月份="2026-06"),
            roster_row(姓名="钱玉兰", 身份证号=DIES, 出生日期="1941-06-03", 起始月份="2026-06", 银行账号="6231000011112222444"),
            roster_row(姓名="孙福来", 身份证号=FAILS, 出生日期="1941-07-03", 起始月份="2026-06", 银行账号="6231000011112222555")]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(db, CLERK, M(2026, 8), today=TODAY)
    approve_month(db, REVIEWER, M(2026, 8))
    set_standard(db, ADMIN, "高龄补贴", "80-89", "720", date(2026, 6, 1))  # a cut, back to June: 追回 in September
    run_month(db, CLERK, M(2026, 9), today=TODAY)
    approve_month(db, REVIEWER, M(2026, 9))
    export_bank(db, CLERK, M(2026, 9), tmp_path / "sep", template_name="通用", today=TODAY)
    sent = next((tmp_path / "sep").glob("2026-09_*.xlsx"))
    book = openpyxl.load_workbook(sent)
    sheet = book["代发清单"]
    sheet.cell(1, 10, "处理结果")
    sheet.cell(1, 11, "失败原因")
    for row in range(2, sheet.max_row + 1):
        failed = sheet.cell(row, 3).value == FAILS or str(sheet.cell(row, 2).value) == "孙福来"
        sheet.cell(row, 10, "失败" if failed else "成功")
        sheet.cell(row, 11, "账户冻结" if failed else "")
    book.save(tmp_path / "return.xlsx")
    import_bank_return(db, CLERK, M(2026, 9), tmp_path / "return.xlsx")
    change_person(db, CLERK, DIES, "死亡日期", "2026-08-20", None, today=TODAY)
    return db, run_month(db, CLERK, M(2026, 10), today=TODAY)


@pytest.fixture
def october(october_draft):
    approve_month(october_draft[0], REVIEWER, M(2026, 10))
    return october_draft


def _lines(db, who):
    return {(line.period, line.kind): line.amount for line in show_month(db, ADMIN, M(2026, 10)) if line.id_number == who}


def test_recoveries_are_deducted_from_the_same_items_later_payments_never_below_zero(october):
    db, _report = october
    owed = sum(CUT[month] for month in (6, 7, 8))  # what the cut took back in September, per person
    current = annual_installment(D(720), 10)
    keeps = _lines(db, KEEPS)
    assert keeps == {(M(2026, 10), "当月"): current, (M(2026, 10), "抵扣"): -owed}
    fails = _lines(db, FAILS)
    assert fails[(M(2026, 9), "补发")] == annual_installment(D(720), 9)  # the failed September, again
    assert fails[(M(2026, 10), "抵扣")] == -owed
    dies = _lines(db, DIES)  # nothing paid to him: nothing to deduct from, the debt stays
    assert dies == {(M(2026, 9), "追回"): -annual_installment(D(720), 9)}
    ledger = {(entry.id_number, entry.period): entry for entry in list_recoveries(db, ADMIN, everything=True)}
    assert sum(entry.deducted for (number, _), entry in ledger.items() if number == KEEPS) == owed
    assert all(entry.outstanding == 0 for (number, _), entry in ledger.items() if number in (KEEPS, FAILS))
    assert sum(entry.outstanding for (number, _), entry in ledger.items() if number == DIES) == owed + annual_installment(D(720), 9)


def test_every_document_gives_the_total_the_bank_pays(october, tmp_path):
    db, report = october
    lines = show_month(db, ADMIN, M(2026, 10))
    paid = sum(line.amount for line in lines if line.kind != "追回")
    assert report.paid == paid
    bank = export_bank(db, ADMIN, M(2026, 10), tmp_path / "oct", template_name="通用", today=TODAY)
    assert bank.total == paid
    rows = {row[2]: row[4] for row in openpyxl.load_workbook(bank.files[0].path)["代发清单"].iter_rows(min_row=2, values_only=True)
            if row[2]}
    assert DIES not in rows  # owes, is owed nothing: not sent
    owed = sum(CUT[month] for month in (6, 7, 8))
    assert D(str(rows[KEEPS])) == annual_installment(D(720), 10) - owed  # the net
    summary = openpyxl.load_workbook(bank.summary).active
    assert f"{paid:.2f}" in {f"{D(str(cell)):.2f}" for row in summary.iter_rows(values_only=True) for cell in row
                             if isinstance(cell, (int, float))}

    roster = tmp_path / "roster.pdf"
    print_roster(db, ADMIN, M(2026, 10), roster)
    text = subprocess.run(["pdftotext", "-layout", str(roster), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{paid:,.2f}" in next(line for line in text.splitlines() if "凤城镇合计" in line)
    assert "抵扣" in text
    summary_pdf = tmp_path / "summary.pdf"
    print_summary(db, ADMIN, M(2026, 10), summary_pdf)
    text = subprocess.run(["pdftotext", "-layout", str(summary_pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{paid:,.2f}" in text

    workbook = tmp_path / "report.xlsx"
    monthly_report(db, ADMIN, M(2026, 10), workbook)
    sheet = openpyxl.load_workbook(workbook)["乡镇项目"]
    total_row = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "合计")
    assert D(str(total_row[3])).quantize(D("0.01")) == paid

    with db.unit_of_work(ADMIN) as uow:
        batch_id = uow.session.scalar(select(Batch.id).where(Batch.month == M(2026, 10)))
        totals = uow.session.scalar(select(func.sum(BatchTotal.amount)).where(BatchTotal.batch_id == batch_id,
                                                                              BatchTotal.kind != "追回"))
    assert totals == paid


def test_deduction_can_be_turned_off(october_draft):
    db, _report = october_draft
    done = workbench("recovery", "deduction", "off", db=db.url)
    assert done.returncode == 0, done.stderr
    assert "不抵扣" in done.stdout
    run_month(db, CLERK, M(2026, 10), today=TODAY)
    assert not [line for line in show_month(db, ADMIN, M(2026, 10)) if line.kind == "抵扣"]
    assert workbench("recovery", "deduction", "on", db=db.url).returncode == 0
    run_month(db, CLERK, M(2026, 10), today=TODAY)
    assert len([line for line in show_month(db, ADMIN, M(2026, 10)) if line.kind == "抵扣"]) == 2
