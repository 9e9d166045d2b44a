"""Bank payment lists read back: text cells, totals, summary lines, copies, refusals."""
import hashlib
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from sqlalchemy import delete, select

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.month import Month as M
from workbench.services.bank_export import export_bank
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.roster_import import import_roster
from workbench.store.models import AuditRecord, BankAccount, Batch, Person

RURAL_BANK, POST = "阳城农商银行", "中国邮政储蓄银行"


@pytest.fixture
def approved(db, tmp_path):
    rows = [
        roster_row(开户银行=POST, 起始月份="2026-09"),
        roster_row(姓名="李秀英", 身份证号=make_id(date(1936, 2, 2), 32), 性别="女", 出生日期="1936-02-02", 低保="是",
                   享受项目="高龄补贴、养老服务补贴", 起始月份="2026-10", 开户银行=RURAL_BANK, 银行账号="6231000055556666777"),
        roster_row(姓名="欧阳秀兰", 身份证号=make_id(date(1930, 7, 7), 42), 性别="女", 出生日期="1930-07-07",
                   起始月份="2026-10", 开户银行=RURAL_BANK, 银行账号="6231000077778888999", **{"村(社区)": "西河村"}),
    ]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(db, CLERK, M(2026, 10))
    return db


def paid_total(db):
    return sum((line.amount for line in show_month(db, ADMIN, M(2026, 10)) if line.amount > 0), D("0"))


def test_a_draft_cannot_be_exported(approved, tmp_path):
    with pytest.raises(InvalidInput, match="尚未审批"):
        export_bank(approved, CLERK, M(2026, 10), tmp_path / "out", today=TODAY)
    assert not (tmp_path / "out").exists()


def test_files_per_bank_read_back(approved, tmp_path):
    approve_month(approved, REVIEWER, M(2026, 10))
    report = export_bank(approved, CLERK, M(2026, 10), tmp_path / "out", today=TODAY)
    assert {exported.bank: exported.template for exported in report.files} == {POST: "通用", RURAL_BANK: "一卡通文本"}
    assert report.total == paid_total(approved)

    book = openpyxl.load_workbook(tmp_path / "out" / f"2026-10_{POST}.xlsx")
    sheet = book["代发清单"]
    assert [cell.value for cell in sheet[1]] == ["序号", "姓名", "身份证号", "银行账号", "金额", "项目", "所属期", "乡镇", "村(社区)"]
    first = sheet[2]
    assert first[2].data_type == "s" and first[2].value == make_id(date(1941, 5, 3), 11)
    assert first[3].data_type == "s" and first[3].value == "6231000011112222333"
    assert first[4].data_type == "n" and first[4].number_format == "0.00"
    assert first[6].value == "2026-09~2026-10"
    total_row = sheet[sheet.max_row]
    assert total_row[0].value == "合计" and D(str(total_row[4].value)) == D(str(first[4].value))
    towns = book["乡镇汇总"]
    assert [cell.value for cell in towns[2]][:2] == ["凤城镇", 1]

    raw = (tmp_path / "out" / f"2026-10_{RURAL_BANK}.txt").read_bytes()
    lines = raw.decode("gbk").split("\r\n")[:-1]
    day, unit, count, total = lines[0].split("|")
    rows = [line.split("|") for line in lines[1:]]
    assert (day, unit, int(count)) == ("20261122", "县民政局", 2) and len(rows) == 2
    assert D(total) == sum(D(row[2]) for row in rows)
    assert [row[1] for row in rows] == ["李秀英", "欧阳秀兰"] and rows[0][5:] == ["01", make_id(date(1936, 2, 2), 32), "1"]

    summary = openpyxl.load_workbook(tmp_path / "out" / "汇总.xlsx")["汇总"]
    assert summary[summary.max_row][0].value == "合计" and summary[summary.max_row][2].value == 3
    with approved.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(Batch.state)) == "已导出"
        record = uow.session.scalar(select(AuditRecord.detail).where(AuditRecord.action == "导出代发清单"))
    digests = {entry["文件"]: entry["SHA256"] for entry in record["文件"]}
    assert digests[f"2026-10_{RURAL_BANK}.txt"] == hashlib.sha256(raw).hexdigest()


def test_exporting_again_writes_marked_copies(approved, tmp_path):
    approve_month(approved, REVIEWER, M(2026, 10))
    export_bank(approved, CLERK, M(2026, 10), tmp_path / "out", today=TODAY)
    again = export_bank(approved, CLERK, M(2026, 10), tmp_path / "out", bank=POST, today=TODAY)
    assert again.copy_number == 1 and [f.path.name for f in again.files] == [f"2026-10_{POST}_副本1.xlsx"]
    about = openpyxl.load_workbook(again.files[0].path)["说明"]
    assert "副本1" in about["A1"].value
    assert (tmp_path / "out" / f"2026-10_{POST}.xlsx").exists()  # the first export is untouched


def test_one_bank_one_template_and_refusals(approved, tmp_path):
    approve_month(approved, REVIEWER, M(2026, 10))
    only = export_bank(approved, CLERK, M(2026, 10), tmp_path / "a", bank=RURAL_BANK, template_name="通用", today=TODAY)
    assert [(f.bank, f.path.suffix) for f in only.files] == [(RURAL_BANK, ".xlsx")]
    with pytest.raises(NotFound, match="没有开户银行为「火星银行」"):
        export_bank(approved, CLERK, M(2026, 10), tmp_path / "b", bank="火星银行", today=TODAY)
    with pytest.raises(InvalidInput, match="没有名为「招商」的银行模板"):
        export_bank(approved, CLERK, M(2026, 10), tmp_path / "c", template_name="招商", today=TODAY)


def test_a_person_without_an_account_stops_the_export(approved, tmp_path):
    approve_month(approved, REVIEWER, M(2026, 10))
    with approved.unit_of_work(ADMIN, write=True) as uow:
        person = uow.session.scalar(select(Person.id).where(Person.name == "李秀英"))
        uow.session.execute(delete(BankAccount).where(BankAccount.person_id == person))
        uow.commit()
    with pytest.raises(InvalidInput, match="没有银行账户") as refused:
        export_bank(approved, CLERK, M(2026, 10), tmp_path / "out", today=TODAY)
    assert "李秀英" in str(refused.value) and make_id(date(1936, 2, 2), 32) not in str(refused.value)


def test_a_name_gbk_cannot_write_is_refused_for_a_gbk_bank(db, tmp_path):
    row = roster_row(姓名="王𠀀", 开户银行=RURAL_BANK, 起始月份="2026-10")
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [row]), today=TODAY)
    run_month(db, CLERK, M(2026, 10))
    approve_month(db, REVIEWER, M(2026, 10))
    with pytest.raises(InvalidInput, match="GBK"):
        export_bank(db, CLERK, M(2026, 10), tmp_path / "out", today=TODAY)


def test_a_refused_export_leaves_no_file_behind(db, tmp_path):
    rows = [roster_row(开户银行=POST, 起始月份="2026-10"),
            roster_row(姓名="王𠀀", 身份证号=make_id(date(1932, 3, 3), 51), 出生日期="1932-03-03", 开户银行=RURAL_BANK, 起始月份="2026-10")]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(db, CLERK, M(2026, 10))
    approve_month(db, REVIEWER, M(2026, 10))
    with pytest.raises(InvalidInput, match="GBK"):
        export_bank(db, CLERK, M(2026, 10), tmp_path / "out", today=TODAY)
    assert not (tmp_path / "out").exists()  # the folder made for the export is gone with it
    with db.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(Batch.state)) == "已审批"
