"""The 一卡通 upload: one workbook, a sheet per item, item codes entered by an administrator."""
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.errors import InvalidInput, PermissionDenied
from workbench.domain.month import Month as M
from workbench.services.bank_export import export_bank, set_item_code
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.roster_import import import_roster

HEADERS = ["序号", "补贴项目编码", "补贴项目名称", "乡镇", "村(居)委会", "享受人姓名", "享受人身份证号", "收款人姓名",
           "收款人身份证号", "开户银行", "银行账号", "补贴金额", "所属期", "备注"]
OLD = make_id(date(1936, 2, 2), 32)
SON = make_id(date(1968, 4, 4), 13)


@pytest.fixture
def october(db, tmp_path):
    rows = [roster_row(起始月份="2026-09"),
            roster_row(姓名="李秀英", 身份证号=OLD, 性别="女", 出生日期="1936-02-02", 低保="是", 享受项目="高龄补贴、养老服务补贴",
                       起始月份="2026-10", 开户银行="中国邮政储蓄银行", 银行账号="6221000055556666777",
                       收款人姓名="王小明", 收款人身份证号=SON, 与享受人关系="子女")]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(db, CLERK, M(2026, 10), today=TODAY)
    approve_month(db, REVIEWER, M(2026, 10))
    return db


def test_the_upload_has_a_sheet_per_item_and_the_bank_lists_total(october, tmp_path):
    with pytest.raises(InvalidInput, match="养老服务补贴、高龄补贴.*item code"):
        export_bank(october, ADMIN, M(2026, 10), tmp_path / "refused", template_name="一卡通", today=TODAY)
    assert not (tmp_path / "refused").exists()
    assert set_item_code(october, ADMIN, "高龄补贴", "１４０５２２０１") == "「高龄补贴」的一卡通补贴项目编码已设为「14052201」"
    set_item_code(october, ADMIN, "YLFW", "14052202")
    report = export_bank(october, ADMIN, M(2026, 10), tmp_path / "upload", template_name="一卡通", today=TODAY)
    assert [exported.path.name for exported in report.files] == ["2026-10_一卡通.xlsx"]
    paid = sum((line.amount for line in show_month(october, ADMIN, M(2026, 10)) if line.kind != "追回"), D("0"))
    assert report.total == paid
    book = openpyxl.load_workbook(report.files[0].path)
    assert book.sheetnames == ["高龄补贴", "养老服务补贴", "说明"]  # in the order of the platform codes
    total = D("0")
    for name, code in (("高龄补贴", "14052201"), ("养老服务补贴", "14052202")):
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == HEADERS
        body = [row for row in rows[1:] if row[0] != "合计"]
        assert all(row[1] == code and row[2] == name for row in body)
        total += sum(D(str(row[11])) for row in body)
        li = next(row for row in body if row[5] == "李秀英")
        assert (li[6], li[7], li[8], li[10], li[13]) == (OLD, "王小明", SON, "6221000055556666777", "子女")
    assert total == paid
    wang = next(row for row in book["高龄补贴"].iter_rows(values_only=True) if row[5] == "王德福")
    assert wang[7] == "王德福" and wang[12] == "2026-09~2026-10"  # paid to himself, back pay with the month


def test_item_codes_are_an_administrators_and_look_like_codes(october):
    with pytest.raises(PermissionDenied):
        set_item_code(october, CLERK, "高龄补贴", "14052201")
    with pytest.raises(InvalidInput, match="字母或数字"):
        set_item_code(october, ADMIN, "高龄补贴", "=1+1")
    with pytest.raises(InvalidInput, match="没有项目"):
        set_item_code(october, ADMIN, "长寿补贴", "1")
    set_item_code(october, ADMIN, "高龄补贴", "A1")
    with pytest.raises(InvalidInput, match="已用于「高龄补贴」"):
        set_item_code(october, ADMIN, "养老服务补贴", "A1")
