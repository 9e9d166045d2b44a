"""Payees (代领人): a person paid into someone else's account, in that person's name."""
from datetime import date

import openpyxl
import pytest

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.errors import ImportRejected, InvalidInput
from workbench.domain.month import Month as M
from workbench.services.bank_export import export_bank
from workbench.services.bank_return import import_bank_return
from workbench.services.payout import approve_month, run_month
from workbench.services.roster import change_person
from workbench.services.roster_views import person_detail
from workbench.services.roster_import import import_roster

OLD = make_id(date(1936, 2, 2), 31)
SON = make_id(date(1968, 4, 4), 13)
PAYEE = {"收款人姓名": "王小明", "收款人身份证号": SON, "与享受人关系": "子女"}


def cared_for(**extra):
    return roster_row(姓名="王老太", 身份证号=OLD, 性别="男", 出生日期="1936-02-02", 起始月份="2026-10",
                      银行账号="6231000099998888777", **{**PAYEE, **extra})


def person_id(db):
    from sqlalchemy import select

    from workbench.store.models import Person

    with db.unit_of_work(ADMIN) as uow:
        return uow.session.scalar(select(Person.id).where(Person.id_number == OLD))


def test_the_bank_list_pays_the_payees_account_in_the_payees_name(db, tmp_path):
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [cared_for(), roster_row(起始月份="2026-10")]), today=TODAY)
    detail = person_detail(db, ADMIN, person_id(db))
    assert detail.payee == f"王小明 (子女, {SON})"
    from pypdf import PdfReader

    from workbench.services.printing import print_approval

    print_approval(db, CLERK, OLD, "高龄补贴", tmp_path / "sheet.pdf", today=TODAY)
    sheet_text = PdfReader(tmp_path / "sheet.pdf").pages[0].extract_text()
    assert "王小明 (子女)" in sheet_text and SON not in sheet_text  # the payee on the 审批表, masked for a clerk
    run_month(db, CLERK, M(2026, 10), today=TODAY)
    approve_month(db, REVIEWER, M(2026, 10))
    report = export_bank(db, ADMIN, M(2026, 10), tmp_path / "out", template_name="通用", today=TODAY)
    sheet = openpyxl.load_workbook(report.files[0].path)["代发清单"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] != "合计"}
    assert "王老太" not in rows and rows["王小明"][2] == SON and rows["王小明"][3] == "6231000099998888777"
    assert rows["王德福"][2] == make_id(date(1941, 5, 3), 11)  # the others are paid in their own name
    # The bank's return names the payee: it is matched, and the result is the person's.
    sheet.cell(1, 10, "处理结果")
    for number in range(2, sheet.max_row + 1):
        if sheet.cell(number, 2).value in rows:
            sheet.cell(number, 10, "成功")
    answered = tmp_path / "return.xlsx"
    sheet.parent.save(answered)
    done = import_bank_return(db, ADMIN, M(2026, 10), answered)
    assert (done.paid, done.failed, done.reconciled) == (2, 0, True)


@pytest.mark.parametrize("payee, column", [
    ({"收款人姓名": "王小明"}, "收款人身份证号"),
    ({"收款人身份证号": SON, "与享受人关系": "子女"}, "收款人姓名"),
    ({"收款人姓名": "王小明", "收款人身份证号": SON[:-1] + ("0" if SON[-1] != "0" else "1"), "与享受人关系": "子女"}, "收款人身份证号"),
    ({"收款人姓名": "王小明", "收款人身份证号": OLD, "与享受人关系": "本人"}, "收款人身份证号"),
    ({"收款人姓名": "王小明", "收款人身份证号": SON}, "与享受人关系"),
    ({"收款人姓名": "=王小明", "收款人身份证号": SON, "与享受人关系": "子女"}, "收款人姓名"),
])
def test_a_payee_is_all_three_columns_and_not_the_person(db, tmp_path, payee, column):
    row = cared_for(**{key: "" for key in PAYEE})
    row.update(payee)
    with pytest.raises(ImportRejected) as refused:
        import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [row]), today=TODAY)
    assert [error.column for error in refused.value.errors] == [column]


def test_a_file_without_payee_columns_keeps_the_payee_and_empty_ones_end_it(db, tmp_path):
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [cared_for()]), today=TODAY)
    older = {key: value for key, value in cared_for().items() if key not in PAYEE}  # an older template: no such columns
    book = openpyxl.Workbook()
    book.active.title = "花名册"
    book.active.append(list(older))
    book.active.append(list(older.values()))
    book.save(tmp_path / "old.xlsx")
    report = import_roster(db, CLERK, tmp_path / "old.xlsx", today=TODAY)
    assert report.unchanged == 1
    assert person_detail(db, ADMIN, person_id(db)).payee.startswith("王小明")
    import_roster(db, CLERK, write_rows(tmp_path / "own.xlsx", [cared_for(**{key: "" for key in PAYEE})]), today=TODAY)
    detail = person_detail(db, ADMIN, person_id(db))
    assert detail.payee == "本人" and [payee for _, _, payee, _, _ in detail.accounts][:2] == ["本人", f"王小明 (子女, {SON})"]


def test_roster_change_sets_and_ends_a_payee_and_keeps_it_with_a_new_account(db, tmp_path):
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [cared_for(**{key: "" for key in PAYEE})]), today=TODAY)
    said = change_person(db, CLERK, OLD, "收款人", f"王小明，{SON}，子女", None, today=TODAY)
    assert said == "收款人 已由 本人 改为 王小明 (子女)"
    change_person(db, CLERK, OLD, "银行账号", "6231000011110000222", None, today=TODAY)
    detail = person_detail(db, ADMIN, person_id(db))
    assert detail.account == "6231000011110000222" and detail.payee.startswith("王小明")
    with pytest.raises(InvalidInput, match="姓名,身份证号,关系"):
        change_person(db, CLERK, OLD, "收款人", "王小明", None, today=TODAY)
    with pytest.raises(InvalidInput, match="请写「本人」"):
        change_person(db, CLERK, OLD, "收款人", f"王老太,{OLD},本人", None, today=TODAY)
    assert change_person(db, CLERK, OLD, "收款人", "本人", None, today=TODAY) == "收款人 已由 王小明 (子女) 改为 本人"


def test_a_moving_away_date_in_the_roster_stops_payment_after_that_month(db, tmp_path):
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2026-08", 迁出日期="2026-09-10")]),
                  today=TODAY)
    run_month(db, CLERK, M(2026, 10), today=TODAY)
    from workbench.services.payout import show_month

    assert sorted(str(line.period) for line in show_month(db, ADMIN, M(2026, 10))) == ["2026-08", "2026-09"]
    from pypdf import PdfReader

    from workbench.services.printing import print_roster

    print_roster(db, ADMIN, M(2026, 10), tmp_path / "roster.pdf")
    assert "2026-09-10 迁出" in PdfReader(tmp_path / "roster.pdf").pages[0].extract_text()  # the document names it
    future = roster_row(姓名="李四", 身份证号=make_id(date(1940, 1, 1), 21), 出生日期="1940-01-01", 迁出日期="2099-01-01")
    with pytest.raises(ImportRejected, match="迁出日期"):
        import_roster(db, CLERK, write_rows(tmp_path / "f.xlsx", [future]), today=TODAY)
