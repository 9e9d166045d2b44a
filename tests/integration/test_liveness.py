"""生存认证: checks recorded one by one or from a list; past the county's deadline month a person
without a check that year is withheld (暂停), never recovered, and paid back once checked."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.errors import ImportRejected, InvalidInput, PermissionDenied
from workbench.domain.month import Month as M
from workbench.services.checks import doubtful, todo_counts
from workbench.services.liveness import deadline, import_checks, record_check, set_deadline, unchecked
from workbench.services.payout import approve_month, diff_month, run_month, show_month
from workbench.services.roster_import import import_roster

CHECKED = make_id(date(1941, 5, 3), 11)  # checked in March
UNCHECKED = make_id(date(1940, 4, 4), 23)  # never checked: withheld from July, paid back after the check
NEWCOMER = make_id(date(1942, 2, 2), 35)  # enrolled this year: the application was the year's check
LATE_RULE = make_id(date(1939, 9, 9), 47)  # July paid before the deadline was set: not recovered
DEAD = make_id(date(1938, 1, 1), 59)  # died in May: nothing to check


def lines_of(db, month, name):
    return sorted((str(line.period), line.kind, line.amount) for line in show_month(db, ADMIN, month) if line.name == name)


@pytest.fixture
def county(db, tmp_path):
    migrated = dict(起始月份="2024-01", 已发放至="2026-06")
    rows = [
        roster_row(姓名="甲已认证", 身份证号=CHECKED, 出生日期="1941-05-03", 银行账号="6231000000000001", **migrated),
        roster_row(姓名="乙未认证", 身份证号=UNCHECKED, 出生日期="1940-04-04", 银行账号="6231000000000002", **migrated),
        roster_row(姓名="丙新纳入", 身份证号=NEWCOMER, 出生日期="1942-02-02", 银行账号="6231000000000003", 起始月份="2026-07"),
        roster_row(姓名="丁后设置", 身份证号=LATE_RULE, 出生日期="1939-09-09", 银行账号="6231000000000004", **migrated),
        roster_row(姓名="戊已故", 身份证号=DEAD, 出生日期="1938-01-01", 银行账号="6231000000000005", 死亡日期="2026-05-10",
                   **migrated),
    ]
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=TODAY)
    record_check(db, CLERK, CHECKED, date(2026, 3, 5), "上门")
    return db


def test_past_the_deadline_the_unchecked_are_withheld_then_paid_back_once_checked(county):
    db = county
    run_month(db, CLERK, M(2026, 7))
    approve_month(db, REVIEWER, M(2026, 7))  # before the rule: everyone alive is paid July
    assert lines_of(db, M(2026, 7), "丁后设置") == [("2026-07", "当月", D("66.67"))]

    set_deadline(db, ADMIN, 6)
    assert deadline(db, CLERK) == 6
    run_month(db, CLERK, M(2026, 8))
    assert lines_of(db, M(2026, 8), "甲已认证") == [("2026-08", "当月", D("66.66"))]
    assert lines_of(db, M(2026, 8), "乙未认证") == []  # July already paid: no recovery; August withheld
    assert lines_of(db, M(2026, 8), "丁后设置") == []
    assert lines_of(db, M(2026, 8), "丙新纳入") == [("2026-08", "当月", D("66.66"))]
    stopped = {line.name: line.reason for line in diff_month(db, ADMIN, M(2026, 8)) if line.category == "停发"}
    assert set(stopped) == {"乙未认证", "丁后设置"}
    assert "暂停发放" in stopped["乙未认证"] and "生存认证" in stopped["乙未认证"]
    approve_month(db, REVIEWER, M(2026, 8))

    missing = {entry.name: entry for entry in unchecked(db, CLERK, 2026, today=TODAY)}
    assert set(missing) == {"乙未认证", "丁后设置"}
    assert missing["乙未认证"].withheld_from == M(2026, 7) and missing["乙未认证"].last_check is None
    assert missing["乙未认证"].id_number != UNCHECKED  # a clerk sees it masked

    record_check(db, CLERK, UNCHECKED, date(2026, 8, 20), "人脸识别")
    run_month(db, CLERK, M(2026, 9))
    assert lines_of(db, M(2026, 9), "乙未认证") == [("2026-08", "补发", D("66.66")), ("2026-09", "当月", D("66.67"))]
    assert lines_of(db, M(2026, 9), "丁后设置") == []
    assert all(line.kind != "追回" for line in show_month(db, ADMIN, M(2026, 9)))
    assert {entry.name for entry in unchecked(db, CLERK, 2026, today=TODAY)} == {"丁后设置"}


def test_a_check_recorded_when_the_month_was_withheld_pays_every_withheld_month(county):
    db = county
    set_deadline(db, ADMIN, 6)
    for month in (M(2026, 7), M(2026, 8)):
        run_month(db, CLERK, month)
        approve_month(db, REVIEWER, month)
    assert lines_of(db, M(2026, 7), "乙未认证") == [] and lines_of(db, M(2026, 8), "乙未认证") == []
    record_check(db, CLERK, UNCHECKED, date(2026, 9, 1), "视频")
    run_month(db, CLERK, M(2026, 9))
    assert lines_of(db, M(2026, 9), "乙未认证") == [
        ("2026-07", "补发", D("66.67")), ("2026-08", "补发", D("66.66")), ("2026-09", "当月", D("66.67"))]
    # Switching the rule off pays the others too.
    set_deadline(db, ADMIN, 0)
    run_month(db, CLERK, M(2026, 9))
    assert [kind for _, kind, _ in lines_of(db, M(2026, 9), "丁后设置")] == ["补发", "补发", "当月"]


def test_deadline_is_an_administrators_setting_within_the_year(county):
    with pytest.raises(PermissionDenied):
        set_deadline(county, CLERK, 6)
    with pytest.raises(InvalidInput, match="1 至 11"):
        set_deadline(county, ADMIN, 12)
    assert deadline(county, CLERK) is None


def test_a_check_outside_the_persons_life_or_with_an_unknown_method_is_refused(county):
    with pytest.raises(InvalidInput, match="不在其生存期间"):
        record_check(county, CLERK, DEAD, date(2026, 6, 1), "上门")
    with pytest.raises(InvalidInput, match="认证方式"):
        record_check(county, CLERK, CHECKED, date(2026, 6, 1), "电话")


def check_list(path, rows, headers=("身份证号", "姓名", "认证日期", "认证方式")):
    book = openpyxl.Workbook()
    book.active.append(list(headers))
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


def test_a_list_of_checks_is_recorded_all_or_nothing(county, tmp_path):
    stranger = make_id(date(1940, 1, 1), 61)
    good = check_list(tmp_path / "checks.xlsx", [
        (UNCHECKED, "乙未认证", "2026-04-01", "社保认证"),
        (LATE_RULE, "丁某", "2026/5/2", "上门"),
        (CHECKED, "甲已认证", "2026-03-05", "上门"),  # already on record
        (stranger, "路人", "2026-04-01", "视频"),
    ])
    trial = import_checks(county, CLERK, good, dry_run=True)
    assert (trial.recorded, trial.already, len(trial.not_on_roster), trial.written) == (1, 1, 1, False)
    assert trial.name_differs == [(3, "丁某", "丁后设置")]  # held, unless the clerk confirms it is the same person
    assert {entry.name for entry in unchecked(county, CLERK, 2026, today=TODAY)} == {"乙未认证", "丁后设置"}
    assert todo_counts(county, CLERK, today=TODAY).unchecked == 2  # the count is the list's, counted by the database
    done = import_checks(county, CLERK, good, accept_names=True)
    assert done.written and done.recorded == 2
    assert unchecked(county, CLERK, 2026, today=TODAY) == []
    assert todo_counts(county, CLERK, today=TODAY).unchecked == 0

    bad = check_list(tmp_path / "bad.xlsx", [
        (UNCHECKED, "乙未认证", "2026-04-01", "上门"),
        ("110101194001010000", "错号", "2026-04-01", "上门"),
        (CHECKED, "甲已认证", "2099-01-01", "上门"),
        (LATE_RULE, "丁后设置", "2026-04-01", "电话"),
        (UNCHECKED, "乙未认证", "2026-05-01", "上门"),  # the same person twice in one list
    ])
    with pytest.raises(ImportRejected) as rejected:
        import_checks(county, CLERK, bad)
    assert [(error.row, error.column) for error in rejected.value.errors] == [
        (3, "身份证号"), (4, "认证日期"), (5, "认证方式"), (6, "身份证号")]
    with pytest.raises(ImportRejected, match="认证方式"):
        import_checks(county, CLERK, check_list(tmp_path / "cols.xlsx", [], headers=("身份证号", "认证日期")))


def test_the_very_old_are_doubtful_until_checked_this_year(db, tmp_path):
    oldest = make_id(date(1919, 1, 15), 91)
    import_roster(db, CLERK, write_rows(tmp_path / "old.xlsx", [
        roster_row(姓名="褚百岁", 身份证号=oldest, 出生日期="1919-01-15", 起始月份="2026-09")]), today=TODAY)
    run_month(db, CLERK, M(2026, 10))
    approve_month(db, REVIEWER, M(2026, 10))
    assert [finding.kind for finding in doubtful(db, ADMIN, today=TODAY)] == ["高龄核实"]
    record_check(db, CLERK, oldest, date(2026, 10, 30), "上门")
    assert doubtful(db, ADMIN, today=TODAY) == []
