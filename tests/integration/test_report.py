"""The statistics workbook read back: sheets, totals equal to the ledger, month on month, year to date."""
from datetime import date
from decimal import Decimal as D

import openpyxl

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.month import Month as M
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.report import monthly_report
from workbench.services.roster_import import import_roster


def test_statistics_workbook(db, tmp_path):
    rows = [roster_row(起始月份="2026-09"),
            roster_row(姓名="李秀英", 身份证号=make_id(date(1935, 2, 2), 32), 性别="女", 出生日期="1935-02-02", 低保="是",
                       享受项目="高龄补贴、养老服务补贴", 起始月份="2026-10", **{"乡镇": "润城镇", "村(社区)": "上庄村"})]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(db, CLERK, M(2026, 9))
    approve_month(db, REVIEWER, M(2026, 9))
    run_month(db, CLERK, M(2026, 10))
    path = monthly_report(db, ADMIN, M(2026, 10), tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["乡镇项目", "年龄段", "环比", "增减变动", "增减明细", "本年累计"]
    towns = book["乡镇项目"]
    assert [cell.value for cell in towns[3]] == ["乡镇", "项目", "人数", "发放金额", "追回金额"]
    assert towns.freeze_panes == "A4"
    body = [[cell.value for cell in row] for row in towns.iter_rows(min_row=4)]
    paid = sum(line.amount for line in show_month(db, ADMIN, M(2026, 10)) if line.amount > 0)
    assert body[-1][0] == "合计" and body[-1][2] == 2 and D(str(body[-1][3])).quantize(D("0.01")) == paid
    assert ["润城镇", "养老服务补贴", 1] in [row[:3] for row in body]
    ages = {row[0].value: row[1].value for row in book["年龄段"].iter_rows(min_row=4)}
    assert ages == {"80-89岁": 1, "90-99岁": 1}
    change = {row[0].value: [cell.value for cell in row[1:4]] for row in book["环比"].iter_rows(min_row=4)}
    assert change["养老服务补贴"] == [0, 1, 1] and change["高龄补贴"] == [1, 2, 1]
    year = [[cell.value for cell in row] for row in book["本年累计"].iter_rows(min_row=4)]
    assert [row[0] for row in year] == ["2026-09", "2026-10", "累计"]


def test_january_compares_with_december_and_the_year_has_twelve_months(db, tmp_path):
    from workbench.services.report import report_figures

    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2025-12")]), today=TODAY)
    for month in (M(2025, 12), M(2026, 1)):
        run_month(db, CLERK, month)
        approve_month(db, REVIEWER, month)
    path = monthly_report(db, ADMIN, M(2026, 1), tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    change = {row[0].value: [cell.value for cell in row[1:7]] for row in book["环比"].iter_rows(min_row=4)}
    december = sum(line.amount for line in show_month(db, ADMIN, M(2025, 12)) if line.amount > 0)
    assert change["高龄补贴"][:3] == [1, 1, 0] and D(str(change["高龄补贴"][3])).quantize(D("0.01")) == december
    year = [row[0].value for row in book["本年累计"].iter_rows(min_row=4)]
    assert year == ["2026-01", "累计"]  # December belongs to last year's total
    totals = report_figures(db, ADMIN, M(2026, 1)).monthly_totals()
    assert [str(month) for month, _ in totals] == [f"2026-{number:02d}" for number in range(1, 13)]
    assert totals[0][1] > 0 and all(amount == 0 for _, amount in totals[1:])
