"""The recovery ledger (追回台账): a 追回 of an approved batch is owed until refunded or written off."""
from datetime import date
from decimal import Decimal as D

import pytest

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, workbench, write_rows
from workbench.domain.actor import Actor
from workbench.domain.entitlement import annual_installment
from workbench.domain.errors import InvalidInput, PermissionDenied
from workbench.domain.month import Month as M
from workbench.services.budget import fund_status
from workbench.services.payout import approve_month, run_month
from workbench.services.recovery import list_recoveries, record_clearing
from workbench.services.roster import change_person
from workbench.services.roster_import import import_roster

POOR = make_id(date(1936, 2, 2), 32)  # 低保, 90: 高龄补贴 2400 a year and 养老服务补贴 70 a month
APPROVER = Actor("approver", "审批")


@pytest.fixture
def owing(db, tmp_path):
    """李秀英, paid through September, reported dead on 2026-07-15: four recoveries in October."""
    rows = [roster_row(姓名="李秀英", 身份证号=POOR, 性别="女", 出生日期="1936-02-02", 低保="是",
                       享受项目="高龄补贴、养老服务补贴", 起始月份="2026-06")]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    for month in (M(2026, 8), M(2026, 9)):
        run_month(db, CLERK, month, today=TODAY)
        approve_month(db, REVIEWER, month)
    change_person(db, CLERK, POOR, "死亡日期", "2026-07-15", None, today=TODAY)
    run_month(db, CLERK, M(2026, 10), today=TODAY)
    return db


def test_a_recovery_is_owed_once_its_batch_is_approved(owing):
    assert list_recoveries(owing, ADMIN) == []  # a draft's recovery is not yet a debt
    approve_month(owing, REVIEWER, M(2026, 10))
    found = list_recoveries(owing, ADMIN)
    assert [(entry.item, entry.period, entry.owed) for entry in found] == [
        ("高龄补贴", M(2026, 8), annual_installment(D(2400), 8)), ("高龄补贴", M(2026, 9), annual_installment(D(2400), 9)),
        ("养老服务补贴", M(2026, 8), D("70.00")), ("养老服务补贴", M(2026, 9), D("70.00")),
    ]
    assert all(entry.outstanding == entry.owed for entry in found)


def test_refunds_and_write_offs_clear_the_oldest_first_and_never_more_than_owed(owing):
    approve_month(owing, REVIEWER, M(2026, 10))
    owed = sum(entry.owed for entry in list_recoveries(owing, ADMIN))
    august = annual_installment(D(2400), 8) + D("70.00")
    cleared = record_clearing(owing, CLERK, POOR, "100.00", "退回", date(2026, 11, 2), "收据 0012", today=TODAY)
    assert sum(amount for _item, amount in cleared) == D("100.00")
    left = {(entry.item, entry.period): entry for entry in list_recoveries(owing, ADMIN, everything=True)}
    # August's two recoveries are the oldest: the 100 goes to them (by item in code order), none to September.
    assert sum(entry.refunded for (_item, period), entry in left.items() if period == M(2026, 9)) == 0
    assert sum(entry.refunded for entry in left.values()) == D("100.00")
    assert sum(entry.outstanding for entry in left.values()) == owed - D("100.00")
    assert august > D("100.00")

    with pytest.raises(InvalidInput, match="未清的追回款"):
        record_clearing(owing, ADMIN, POOR, str(owed), "核销", date(2026, 11, 3), "无力偿还", today=TODAY)
    with pytest.raises(PermissionDenied, match="核销只能由审批或管理员"):
        record_clearing(owing, REVIEWER, POOR, "1.00", "核销", date(2026, 11, 3), "无力偿还", today=TODAY)
    with pytest.raises(InvalidInput, match="理由"):
        record_clearing(owing, APPROVER, POOR, "1.00", "核销", date(2026, 11, 3), today=TODAY)
    with pytest.raises(InvalidInput, match="还没有到"):
        record_clearing(owing, CLERK, POOR, "1.00", "退回", date(2026, 12, 3), today=TODAY)
    record_clearing(owing, APPROVER, POOR, str(owed - D("100.00")), "核销", date(2026, 11, 3), "家属无力偿还, 经局务会研究核销",
                    today=TODAY)
    assert list_recoveries(owing, ADMIN) == []
    everything = list_recoveries(owing, ADMIN, everything=True)
    assert sum(entry.written_off for entry in everything) == owed - D("100.00")
    assert all(entry.outstanding == 0 for entry in everything)

    funds = {item.name: item for item in fund_status(owing, ADMIN, 2026)}
    assert funds["高龄补贴"].refunded + funds["养老服务补贴"].refunded == D("100.00")
    assert funds["高龄补贴"].written_off + funds["养老服务补贴"].written_off == owed - D("100.00")


def test_recovery_list_and_record_on_the_command_line(owing, tmp_path):
    approve_month(owing, REVIEWER, M(2026, 10))
    url = owing.url
    listed = workbench("recovery", "list", "--format", "csv", db=url)
    assert listed.returncode == 0, listed.stderr
    header, *rows = listed.stdout.strip().splitlines()
    assert header == "身份证号,姓名,乡镇,项目,所属期,应追回,已退回,已抵扣,已核销,未清"
    assert len(rows) == 4 and all(row.startswith(POOR + ",李秀英,凤城镇,") for row in rows)
    refused = workbench("recovery", "record", POOR, "99999", "--method", "退回", "--date", "2026-11-02", db=url)
    assert refused.returncode != 0 and "未清的追回款" in refused.stderr and "Traceback" not in refused.stderr
    august = f"{annual_installment(D(2400), 8):.2f}"  # the oldest recovery, 高龄补贴 for August, whole
    done = workbench("recovery", "record", POOR, august, "--method", "退回", "--date", "2026-11-02", "--note", "现金", db=url)
    assert done.returncode == 0, done.stderr
    assert "高龄补贴" in done.stdout and "养老服务补贴" not in done.stdout
    after = workbench("recovery", "list", "--format", "csv", db=url).stdout.strip().splitlines()[1:]
    assert [row.split(",")[3:5] for row in after] == [["高龄补贴", "2026-09"], ["养老服务补贴", "2026-08"], ["养老服务补贴", "2026-09"]]
