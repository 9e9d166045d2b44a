"""A death list from 公安 or 殡葬: matched by ID number, recorded all or nothing, and the recoveries
shown beforehand equal to those the next monthly run makes."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from sqlalchemy import select

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.errors import ImportRejected
from workbench.domain.month import Month as M
from workbench.services.audit import search_audit
from workbench.services.deaths import import_deaths
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.roster_import import import_roster
from workbench.store.models import Person

OLD = make_id(date(1941, 5, 3), 11)  # 85: 高龄补贴 800 a year
POOR = make_id(date(1936, 2, 2), 32)  # 90, 低保: 2400 a year and 养老服务补贴
STRANGER = make_id(date(1940, 1, 1), 51)


@pytest.fixture
def county(db, tmp_path):
    rows = [roster_row(起始月份="2026-07"),
            roster_row(姓名="李秀英", 身份证号=POOR, 性别="女", 出生日期="1936-02-02", 低保="是",
                       享受项目="高龄补贴、养老服务补贴", 起始月份="2026-07")]
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=TODAY)
    for month in (M(2026, 7), M(2026, 8), M(2026, 9), M(2026, 10)):
        run_month(db, CLERK, month)
        approve_month(db, REVIEWER, month)
    return db


def death_list(path, rows, headers=("公民身份号码", "姓名", "火化日期")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_a_death_list_is_previewed_then_recorded_and_the_run_recovers_as_shown(county, tmp_path):
    source = death_list(tmp_path / "deaths.xlsx", [
        (POOR, "李秀英", "2026-08-20"),  # paid September and October after her death
        (STRANGER, "张三", "2026-09-01"),  # not on the roster
        (OLD, "王德富", "2026-10-31"),  # died in the last paid month: nothing to recover; the name differs
    ])
    preview = import_deaths(county, CLERK, source, dry_run=True)
    assert not preview.written and preview.recorded == 1 and len(preview.not_on_roster) == 1  # 王德富's row is held
    assert preview.not_on_roster[0][2] != STRANGER and preview.not_on_roster[0][2].endswith(STRANGER[-4:])
    assert preview.name_differs == [(4, "王德富", "王德福")]
    [recovery] = preview.recoveries
    assert recovery.name == "李秀英" and recovery.periods == (M(2026, 9), M(2026, 10))
    assert recovery.amount == -(D("200.00") * 2 + D("70.00") * 2)  # 高龄补贴 2400/12 and 养老服务补贴 70
    with county.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(Person.death_date).where(Person.id_number == POOR)) is None  # dry run

    held = import_deaths(county, CLERK, source, dry_run=True, accept_names=True)
    assert held.recorded == 2  # confirmed after checking: recorded by the ID number
    done = import_deaths(county, CLERK, source, accept_names=True)
    assert done.written and done.recorded == 2 and done.recovery_total == recovery.amount
    with county.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(Person.death_date).where(Person.id_number == POOR)) == date(2026, 8, 20)
    assert search_audit(county, ADMIN, text="导入死亡名单")
    report = run_month(county, CLERK, M(2026, 11))
    recovered = sum((line.amount for line in show_month(county, ADMIN, M(2026, 11)) if line.kind == "追回"), D(0))
    assert recovered == recovery.amount and report.recovered == recovery.amount
    again = import_deaths(county, CLERK, source, dry_run=True)  # the same list again changes nothing
    assert again.recorded == 0 and again.already == 2


def test_a_list_naming_one_person_twice_is_refused_and_a_differing_name_is_held(county, tmp_path):
    twice = death_list(tmp_path / "twice.xlsx", [(POOR, "李秀英", "2026-08-20"), (POOR, "李秀英", "2026-09-20")])
    with pytest.raises(ImportRejected) as refused:
        import_deaths(county, CLERK, twice)
    assert [(error.row, error.column) for error in refused.value.errors] == [(3, "身份证号")]
    differs = death_list(tmp_path / "differs.xlsx", [(POOR, "李秀兰", "2026-08-20")])
    report = import_deaths(county, CLERK, differs)
    assert report.recorded == 0 and report.name_differs == [(2, "李秀兰", "李秀英")]
    with county.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(Person.death_date).where(Person.id_number == POOR)) is None


def test_a_bad_row_refuses_the_whole_list(county, tmp_path):
    source = death_list(tmp_path / "bad.xlsx", [(POOR, "李秀英", "2026-08-20"), (OLD[:-1] + "0", "王德福", "2026-09-01"),
                                                (OLD, "王德福", "2099-01-01")])
    with pytest.raises(ImportRejected) as refused:
        import_deaths(county, CLERK, source)
    assert [(error.row, error.column) for error in refused.value.errors] == [(3, "身份证号"), (4, "死亡日期")]
    with county.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(Person.death_date).where(Person.id_number == POOR)) is None
    with pytest.raises(ImportRejected, match="缺少列「死亡日期」"):
        import_deaths(county, CLERK, death_list(tmp_path / "nodate.xlsx", [(POOR, "李秀英")], ("身份证号", "姓名")))
    with pytest.raises(Exception, match="无权"):
        import_deaths(county, REVIEWER, source, dry_run=True)
