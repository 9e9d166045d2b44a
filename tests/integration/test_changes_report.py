"""增减变动表: the month's 新增 and 停发 per township and item, in the report workbook."""
from datetime import date

import openpyxl

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.month import Month as M
from workbench.services.payout import approve_month, run_month
from workbench.services.report import monthly_report
from workbench.services.roster import change_person
from workbench.services.roster_import import import_roster

STAYS, DIES, COMES = make_id(date(1941, 5, 3), 11), make_id(date(1938, 3, 3), 21), make_id(date(1940, 7, 7), 31)


def test_added_and_stopped_add_up_to_this_months_people_with_reasons(db, tmp_path):
    rows = [roster_row(起始月份="2026-09"),
            roster_row(姓名="赵老汉", 身份证号=DIES, 出生日期="1938-03-03", 起始月份="2026-09")]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(db, CLERK, M(2026, 9), today=TODAY)
    approve_month(db, REVIEWER, M(2026, 9))
    change_person(db, CLERK, DIES, "死亡日期", "2026-09-20", None, today=TODAY)
    import_roster(db, CLERK, write_rows(tmp_path / "new.xlsx", [roster_row(姓名="钱新来", 身份证号=COMES, 出生日期="1940-07-07",
                                                                           起始月份="2026-10", 乡镇="町店镇")]), today=TODAY)
    run_month(db, CLERK, M(2026, 10), today=TODAY)
    out = monthly_report(db, ADMIN, M(2026, 10), tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(out)
    table = [row for row in book["增减变动"].iter_rows(min_row=4, values_only=True)]
    assert ("凤城镇", "高龄补贴", 2, 0, 1, 1) in table and ("町店镇", "高龄补贴", 0, 1, 0, 1) in table
    assert table[-1] == ("合计", "", 2, 1, 1, 2)
    assert all(before + added - stopped == now for _, _, before, added, stopped, now in table)
    people = [row for row in book["增减明细"].iter_rows(min_row=4, values_only=True)]
    assert [(town, category, name) for town, category, name, *_ in people] == [("凤城镇", "停发", "赵老汉"), ("町店镇", "新增", "钱新来")]
    stopped = people[0]
    assert "*" in stopped[3] and DIES not in stopped[3]  # masked, though an administrator made it
    assert "死亡" in stopped[5] or "去世" in stopped[5], stopped[5]


def test_the_changes_print_as_a_document_with_the_workbooks_figures(db, tmp_path):
    from pypdf import PdfReader

    from workbench.services.report import print_changes

    test_added_and_stopped_add_up_to_this_months_people_with_reasons(db, tmp_path)
    out = tmp_path / "增减变动表.pdf"
    pages = print_changes(db, ADMIN, M(2026, 10), out)
    reader = PdfReader(out)
    assert pages == len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "2026-10 老年人补贴增减变动表" in text and "与 2026-09 相比" in text and "第 1 页 共 1 页" in text
    assert "赵老汉" in text and "钱新来" in text and DIES not in text and "停发" in text
