"""Proactive lists on a county with planted cases: every planted case found, no alarm on the rest."""
from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.actor import Actor
from workbench.domain.month import Month as M
from workbench.services.checks import doubtful, upcoming
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.roster import change_person
from workbench.services.roster_import import import_roster

TURNING_80 = make_id(date(1946, 12, 10), 11)  # 80 in December 2026, not enrolled
POOR_85 = make_id(date(1941, 3, 3), 22)  # 85, 低保, only 高龄补贴: qualifies for 养老服务补贴
TURNING_90 = make_id(date(1936, 12, 1), 33)  # enrolled; 90 in December: bracket changes
CLEAN = make_id(date(1941, 6, 6), 45)  # 85, enrolled, nothing to report
YOUNG = make_id(date(1956, 1, 1), 57)  # 70: nothing yet
DIED = make_id(date(1938, 4, 4), 61)  # dies in August; September and October were paid
TWIN_A, TWIN_B = make_id(date(1940, 2, 2), 71), make_id(date(1940, 2, 2), 73, "140521")  # one person, two numbers
SHARED_1, SHARED_2 = make_id(date(1939, 5, 5), 81), make_id(date(1939, 7, 7), 82)  # one account for two
OLDEST = make_id(date(1919, 1, 15), 91)  # 107
DISABLED = make_id(date(1944, 3, 3), 13)  # 低保边缘, assessed 中度失能 from November: qualifies for 护理补贴
TEKUN = make_id(date(1943, 4, 4), 25)  # 分散供养; 自理能力 全自理 → 半护理 from December


@pytest.fixture
def county(db, tmp_path):
    enrolled = dict(享受项目="高龄补贴", 起始月份="2026-08")
    rows = [
        roster_row(姓名="赵八十", 身份证号=TURNING_80, 出生日期="1946-12-10", 享受项目="", 起始月份="", 开户银行="", 银行账号=""),
        roster_row(姓名="钱低保", 身份证号=POOR_85, 出生日期="1941-03-03", 性别="女", 低保="是", 银行账号="6231000000000002", **enrolled),
        roster_row(姓名="孙九十", 身份证号=TURNING_90, 出生日期="1936-12-01", 银行账号="6231000000000003", **enrolled),
        roster_row(姓名="李正常", 身份证号=CLEAN, 出生日期="1941-06-06", 性别="男", 银行账号="6231000000000004", **enrolled),
        roster_row(姓名="周年轻", 身份证号=YOUNG, 出生日期="1956-01-01", 性别="男", 乡镇="北留镇", **{"村(社区)": "北留村"}, 享受项目="", 起始月份="", 开户银行="", 银行账号=""),
        roster_row(姓名="吴已故", 身份证号=DIED, 出生日期="1938-04-04", 性别="男", 银行账号="6231000000000006", **enrolled),
        roster_row(姓名="郑双号", 身份证号=TWIN_A, 出生日期="1940-02-02", 性别="男", 银行账号="6231000000000007", **enrolled),
        roster_row(姓名="郑双号", 身份证号=TWIN_B, 出生日期="1940-02-02", 性别="男", 银行账号="6231000000000008", **enrolled),
        roster_row(姓名="冯共户", 身份证号=SHARED_1, 出生日期="1939-05-05", 性别="男", 银行账号="6231000000000009", **enrolled),
        roster_row(姓名="陈共户", 身份证号=SHARED_2, 出生日期="1939-07-07", 性别="女", 银行账号="6231000000000009", **enrolled),
        roster_row(姓名="褚百岁", 身份证号=OLDEST, 出生日期="1919-01-15", 性别="男", 银行账号="6231000000000010", **enrolled),
    ]
    rows += [
        roster_row(姓名="王失能", 身份证号=DISABLED, 出生日期="1944-03-03", 低保边缘="是", 银行账号="6231000000000011", **enrolled),
        roster_row(姓名="特困者", 身份证号=TEKUN, 出生日期="1943-04-04", 特困供养="分散", 自理能力="全自理",
                   银行账号="6231000000000012", 享受项目="高龄补贴、分散供养", 起始月份="2026-08"),
    ]
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=TODAY)
    change_person(db, CLERK, DISABLED, "能力评估等级", "中度失能", M(2026, 11), today=TODAY)
    change_person(db, CLERK, TEKUN, "自理能力", "半护理", M(2026, 12), today=TODAY)
    for month in (M(2026, 8), M(2026, 9), M(2026, 10)):
        run_month(db, CLERK, month)
        approve_month(db, REVIEWER, month)
    change_person(db, CLERK, DIED, "死亡日期", "2026-08-15", None, today=TODAY)  # news after three paid months
    return db


def test_upcoming_finds_each_planted_person_and_no_one_else(county):
    found = {(finding.name, finding.kind, finding.item, str(finding.month)) for finding in upcoming(county, ADMIN, today=TODAY)}
    assert found == {
        ("赵八十", "可享受", "高龄补贴", "2027-01"),  # 满 80 周岁次月起
        ("钱低保", "可享受", "养老服务补贴", "2026-11"),
        ("孙九十", "档次变化", "高龄补贴", "2026-12"),
        ("王失能", "可享受", "护理补贴", "2026-11"),  # new assessment, economic hardship, no 护理补贴
        ("特困者", "护理档次变化", "分散供养", "2026-12"),
    }


def test_doubtful_finds_each_planted_case_and_no_one_else(county):
    found = {(finding.kind, finding.name) for finding in doubtful(county, ADMIN, today=TODAY)}
    assert found == {
        ("死亡后仍发放", "吴已故"),
        ("同名同生日", "郑双号"),
        ("共用银行账号", "冯共户"), ("共用银行账号", "陈共户"),
        ("高龄核实", "褚百岁"),
    }
    twins = [finding for finding in doubtful(county, ADMIN, today=TODAY) if finding.kind == "同名同生日"]
    assert {finding.id_number for finding in twins} == {TWIN_A, TWIN_B}
    died = next(finding for finding in doubtful(county, CLERK, today=TODAY) if finding.kind == "死亡后仍发放")
    assert died.id_number != DIED and "66.67" not in died.reason and "2026-08-15" in died.reason
    assert str(died.month) == "2026-09"
    # The next run recovers it: the case is then closed.
    run_month(county, CLERK, M(2026, 11))
    approve_month(county, REVIEWER, M(2026, 11))
    assert "死亡后仍发放" not in {finding.kind for finding in doubtful(county, ADMIN, today=TODAY)}


def test_notice_lists_per_township_name_whom_to_tell_with_numbers_masked(county, tmp_path):
    from pypdf import PdfReader

    from workbench.domain.errors import NotFound
    from workbench.services.printing import print_notices

    out = tmp_path / "notices.pdf"
    assert print_notices(county, ADMIN, out, today=TODAY) == 3
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "待办提醒通知单" in text and "凤城镇" in text
    for name in ("赵八十", "钱低保", "王失能"):
        assert name in text
    assert "孙九十" not in text and "特困者" not in text  # already enrolled: nothing to apply for
    assert TURNING_80 not in text and TURNING_80[-4:] in text
    assert print_notices(county, ADMIN, tmp_path / "none.pdf", township="北留镇", today=TODAY) == 0
    with pytest.raises(NotFound, match="没有乡镇"):
        print_notices(county, ADMIN, tmp_path / "x.pdf", township="火星镇", today=TODAY)


def test_todo_counts_count_every_list_and_show_no_number(county):
    from workbench.services.audit import search_audit
    from workbench.services.budget import fund_status
    from workbench.services.checks import TodoCounts, todo_counts
    from workbench.services.liveness import unchecked

    before = len(search_audit(county, ADMIN, text="查看完整号码"))
    counts = todo_counts(county, ADMIN, today=TODAY)
    assert (counts.upcoming, counts.doubtful, counts.unchecked, counts.fund_warnings) == (5, 6, 0, 1)
    assert counts.total == 12
    assert len(search_audit(county, ADMIN, text="查看完整号码")) == before
    lists = TodoCounts.of(upcoming(county, ADMIN, today=TODAY), doubtful(county, ADMIN, today=TODAY),
                          unchecked(county, ADMIN, 2026, today=TODAY), fund_status(county, ADMIN, 2026))
    assert counts == lists  # counting finds what the lists show


class Stop(Exception):
    pass


@pytest.mark.parametrize("actor", [ADMIN, Actor("凤城经办", "经办", ("凤城镇",))], ids=["county", "township"])
def test_the_count_stops_at_whichever_checkpoint_says_so(county, actor):
    """The window stops the 待办 count when it closes: each call of `progress` may stop it, and the
    count then ends there, with that exception, without reaching the next checkpoint."""
    from workbench.services.checks import todo_counts

    calls = []
    whole = todo_counts(county, actor, today=TODAY, progress=lambda done, total: calls.append((done, total)))
    assert len(calls) >= 8 and calls[-1][0] <= calls[-1][1]  # between queries, not only between lists
    for stop_at in range(len(calls)):
        seen = []

        def progress(done, total):
            seen.append((done, total))
            if len(seen) > stop_at:
                raise Stop

        with pytest.raises(Stop):
            todo_counts(county, actor, today=TODAY, progress=progress)
        assert seen == calls[:stop_at + 1]
    assert todo_counts(county, actor, today=TODAY) == whole


def test_a_year_paid_without_any_check_is_doubtful(db, tmp_path):
    from datetime import datetime

    from sqlalchemy import update

    from workbench.services.liveness import record_check
    from workbench.store.models import Person, StatusFact

    untouched, checked, recent = make_id(date(1941, 5, 3), 11), make_id(date(1940, 1, 1), 23), make_id(date(1942, 2, 2), 35)
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [
        roster_row(姓名="甲无人问", 身份证号=untouched, 起始月份="2025-11"),
        roster_row(姓名="乙已认证", 身份证号=checked, 出生日期="1940-01-01", 银行账号="6231000000000023", 起始月份="2025-11"),
        roster_row(姓名="丙新领", 身份证号=recent, 出生日期="1942-02-02", 银行账号="6231000000000035", 起始月份="2026-05"),
    ]), today=TODAY)
    for month in M(2025, 11).until(M(2026, 10)):
        run_month(db, CLERK, month)
        approve_month(db, REVIEWER, month)
    with db.unit_of_work(ADMIN, write=True) as uow:  # the roster as entered over a year ago
        uow.session.execute(update(StatusFact).values(recorded_at=datetime(2025, 10, 1)))
        uow.session.execute(update(Person).values(updated_at=datetime(2025, 10, 1)), execution_options={"synchronize_session": False})
        uow.commit()
    record_check(db, CLERK, checked, date(2026, 4, 1), "上门")
    found = [(finding.kind, finding.name) for finding in doubtful(db, ADMIN, today=TODAY)]
    assert found == [("长期未核查", "甲无人问")]
    assert "2025-11 至 2026-10" in doubtful(db, ADMIN, today=TODAY)[0].reason


def test_paid_after_death_beyond_the_back_pay_window_is_left_to_the_office(db, tmp_path):
    row = roster_row(起始月份="2025-06")
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [row]), today=date(2025, 6, 5))
    for month in M(2025, 6).until(M(2026, 10)):
        run_month(db, CLERK, month, today=month.first_day())
        approve_month(db, REVIEWER, month)
    change_person(db, CLERK, row["身份证号"], "死亡日期", "2025-07-01", None, today=TODAY)
    reasons = sorted(finding.reason for finding in doubtful(db, ADMIN, today=TODAY) if finding.kind == "死亡后仍发放")
    assert len(reasons) == 2, reasons
    assert "2025-11 以前的月份超出补发期, 需人工追回或核销" in reasons[0] or "2025-11 以前的月份超出补发期, 需人工追回或核销" in reasons[1]
    assert any(reason.endswith("下次计算将追回") for reason in reasons)
    run_month(db, CLERK, M(2026, 11), today=TODAY)
    recovered = [line for line in show_month(db, ADMIN, M(2026, 11)) if line.kind == "追回"]
    assert min(line.period for line in recovered) == M(2025, 11)  # the run indeed stops at the window
