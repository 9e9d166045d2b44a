"""专项资金: allocations add up to the year's budget; approved batches are the spending; the
warning names the month the money runs out at the current rate."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.errors import InvalidInput, PermissionDenied
from workbench.domain.month import Month as M
from workbench.services.budget import add_allocation, fund_status
from workbench.services.payout import approve_month, run_month
from workbench.services.roster_import import import_roster


@pytest.fixture
def county(db, tmp_path):
    rows = [roster_row(起始月份="2026-07"),
            roster_row(姓名="李秀英", 身份证号=make_id(date(1941, 2, 2), 32), 性别="女", 出生日期="1941-02-02",
                       银行账号="6231000000000032", 起始月份="2026-07")]
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=TODAY)
    for month in (M(2026, 7), M(2026, 8), M(2026, 9), M(2026, 10)):
        run_month(db, CLERK, month)
        approve_month(db, REVIEWER, month)
    run_month(db, CLERK, M(2026, 11))  # a draft spends nothing
    return db


def funds_of(db, name, year=2026):
    return next(funds for funds in fund_status(db, CLERK, year) if funds.name == name)


def test_budget_spending_balance_and_the_month_the_money_runs_out(county):
    add_allocation(county, ADMIN, 2026, "高龄补贴", "财政", "500", "阳财社〔2026〕1号")
    funds = add_allocation(county, ADMIN, 2026, "高龄补贴", "上级补助", "300.00")
    assert funds.budget_by_source == {"财政": D("500.00"), "上级补助": D("300.00")}
    # Two people at 800 a year: July 66.67, August 66.66, September 66.67, October 66.67 each.
    assert funds.spent_by_month == {7: D("133.34"), 8: D("133.32"), 9: D("133.34"), 10: D("133.34")}
    assert (funds.spent, funds.balance, funds.monthly_rate) == (D("533.34"), D("266.66"), D("133.34"))
    assert funds.projected == D("800.02")
    assert funds.warning == "按每月约 133.34 元的支出, 预计 12 月资金不足, 全年缺口约 0.02 元"

    add_allocation(county, ADMIN, 2026, "高龄补贴", "上级补助", "100", "追加")
    assert funds_of(county, "高龄补贴").warning is None
    add_allocation(county, ADMIN, 2026, "高龄补贴", "财政", "-400", "调减")
    assert funds_of(county, "高龄补贴").warning == "已超支 33.34 元"


def test_an_item_paid_without_a_budget_is_flagged_and_another_year_is_empty(county):
    assert funds_of(county, "高龄补贴").warning == "未录入预算"
    assert funds_of(county, "养老服务补贴").warning is None and funds_of(county, "养老服务补贴").spent == 0
    assert funds_of(county, "高龄补贴", 2025).spent == 0 and funds_of(county, "高龄补贴", 2025).warning is None


def test_allocations_are_an_administrators_and_name_a_real_item(county):
    with pytest.raises(PermissionDenied):
        add_allocation(county, CLERK, 2026, "高龄补贴", "财政", "500")
    with pytest.raises(InvalidInput, match="没有补贴项目"):
        add_allocation(county, ADMIN, 2026, "长寿金", "财政", "500")
    with pytest.raises(InvalidInput, match="资金来源"):
        add_allocation(county, ADMIN, 2026, "高龄补贴", "社会捐赠", "500")
    with pytest.raises(InvalidInput, match="两位小数"):
        add_allocation(county, ADMIN, 2026, "高龄补贴", "财政", "5.001")


def totals_from_lines(db) -> dict:
    """Each approved batch's amount and line count per item and kind, added up from its lines."""
    with db.engine.connect() as connection:
        return {(batch, code, kind): (amount, lines) for batch, code, kind, amount, lines in connection.execute(text(
            "SELECT batch_id, item_code, kind, SUM(amount), COUNT(*) FROM ledger_lines JOIN batches ON batches.id = batch_id "
            "WHERE batches.state <> '草稿' GROUP BY batch_id, item_code, kind"))}


def stored_totals(db) -> dict:
    with db.engine.connect() as connection:
        return {(batch, code, kind): (amount, lines) for batch, code, kind, amount, lines in connection.execute(text(
            "SELECT batch_id, item_code, kind, amount, lines FROM batch_totals"))}


def test_approval_records_the_batch_totals_and_they_cannot_be_changed(county):
    assert len(stored_totals(county)) >= 4 and stored_totals(county) == totals_from_lines(county)
    for statement in ("UPDATE batch_totals SET amount = amount + 100", "DELETE FROM batch_totals"):
        with county.engine.connect() as connection:
            with pytest.raises(DBAPIError, match="已审批批次的合计不能修改"):
                connection.execute(text(statement))
            connection.rollback()
    assert stored_totals(county) == totals_from_lines(county)


def test_the_upgrade_adds_up_the_batches_approved_before_it(county):
    from alembic import command

    from workbench.store.migrate import _config, upgrade

    expected = totals_from_lines(county)
    with county.engine.connect() as connection:  # back to the schema before batch totals existed
        config = _config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
        connection.commit()
    upgrade(county.engine)
    assert stored_totals(county) == expected and len(expected) >= 4
    assert funds_of(county, "高龄补贴").spent_by_month == {7: D("133.34"), 8: D("133.32"), 9: D("133.34"), 10: D("133.34")}
