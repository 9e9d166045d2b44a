"""A run that recomputes only changed persons must produce exactly what a full run produces."""
import random

import pytest

from tests.conftest import ADMIN, CLERK, REVIEWER
from tests.helpers import han_name, write_rows
from workbench.domain.month import Month as M
from workbench.domain.policy import parse_policy
from workbench.paths import policy_presets_dir
from workbench.services import payout
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.policy import set_standard
from workbench.services.roster import change_person
from workbench.services.roster_import import import_roster
from workbench.synthetic import SyntheticCounty


def batch_lines(db, month):
    return sorted((line.id_number, line.item, line.period, line.amount, line.kind) for line in show_month(db, ADMIN, month))


def late_news(db, rng, people, month, today):
    """A few changes reported late: deaths, 低保 gained or lost, assessments, sometimes a standard."""
    for number in rng.sample(people, 3):
        what = rng.random()
        if what < 0.3:
            died = (month - rng.randint(0, 4)).first_day().replace(day=rng.randint(1, 28))
            change_person(db, CLERK, number, "死亡日期", died.isoformat(), None, today=today)
        elif what < 0.7:
            change_person(db, CLERK, number, "低保", rng.choice(["是", "否"]), month - rng.randint(0, 5), today=today)
        else:
            change_person(db, CLERK, number, "能力评估等级", rng.choice(["中度失能", "能力完好"]), month - rng.randint(0, 3), today=today)
    if rng.random() < 0.25:
        effective = (month - rng.randint(1, 6)).first_day()
        set_standard(db, ADMIN, "高龄补贴", rng.choice(["80-89", "90-99"]), str(rng.choice([880, 960, 1000])), effective)


@pytest.mark.parametrize("seed, block, code", [(11, None, None), (12, 7, None), (13, None, "高龄 补贴;1")])
def test_incremental_runs_equal_full_runs(db, tmp_path, monkeypatch, seed, block, code):
    if block:  # full runs settle the county 7 people at a time
        monkeypatch.setattr(payout, "EVERYONE_BLOCK", block)
    rng = random.Random(seed)
    source = (policy_presets_dir() / "yangcheng.toml").read_text(encoding="utf-8")
    policy = parse_policy(source)
    if code:  # 高龄补贴's code with a space, a semicolon and Han characters: the run reads what was paid of it back
        from workbench.services.setup import initialize

        changed = tmp_path / "codes.toml"
        changed.write_text(source.replace('code = "GLBT"', f'code = "{code}"'), encoding="utf-8")
        initialize(db, str(changed))  # the roster names the item, not its code
    start = M(2025, 9)
    rows = SyntheticCounty(policy, seed=seed, today=start.first_day()).rows(120)
    for row in rows:  # everyone dies, if at all, through late news below
        row["死亡日期"] = ""
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=start.first_day())
    people = [row["身份证号"] for row in rows]
    for month in start.until(start + 8):
        today = month.last_day()
        if month != start:
            late_news(db, rng, people, month, today)
        run_month(db, CLERK, month)
        if rng.random() < 0.5:  # more news arrives while the draft waits: recompute it
            late_news(db, rng, people, month, today)
            run_month(db, CLERK, month)
        incremental = batch_lines(db, month)
        run_month(db, CLERK, month, full=True)
        assert incremental == batch_lines(db, month), f"{month}: incremental and full runs differ"
        approve_month(db, REVIEWER, month)


def test_a_quarterly_item_pays_each_month_once_across_incremental_runs(db, tmp_path):
    """An item paid in March, June, September and December: each payment month pays the months
    owed since the last, never again the months an earlier payment month paid."""
    from workbench.services.setup import initialize

    source = (policy_presets_dir() / "yangcheng.toml").read_text(encoding="utf-8")
    quarterly = tmp_path / "quarterly.toml"
    quarterly.write_text(source.replace('rule = "age_bracket"', 'rule = "age_bracket"\npayment_months = [3, 6, 9, 12]', 1),
                         encoding="utf-8")
    initialize(db, str(quarterly))
    policy = parse_policy(quarterly.read_text(encoding="utf-8"))
    start = M(2025, 1)
    rows = SyntheticCounty(policy, seed=3, today=start.first_day()).rows(40)
    for row in rows:
        row["死亡日期"] = ""
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=start.first_day())
    paid: dict[tuple, int] = {}
    for month in start.until(M(2025, 9)):
        run_month(db, CLERK, month)
        for line in show_month(db, ADMIN, month):
            if line.item == "高龄补贴" and line.amount > 0:
                key = (line.id_number, line.period)
                paid[key] = paid.get(key, 0) + 1
        approve_month(db, REVIEWER, month)
    assert paid, "the county has people owed 高龄补贴"
    assert max(paid.values()) == 1, "a month of 高龄补贴 was paid twice"
    assert {period.month for _, period in paid} >= {1, 2, 3, 4, 5, 6, 7, 8, 9}


def test_a_change_written_without_the_services_is_still_recomputed(db, tmp_path):
    """The change log is the database's: a fact, an enrollment's end, a death or a standard
    written by plain SQL (no use case to say who changed) is seen by the next incremental run."""
    from datetime import date

    from sqlalchemy import text

    from tests.helpers import make_id, roster_row

    people = [make_id(date(1940, 1, 1), serial) for serial in (11, 13, 15, 17)]
    rows = [roster_row(姓名=han_name("测试", index), 身份证号=number, 出生日期="1940-01-01", 起始月份="2026-06", 低保="是",
                       享受项目="高龄补贴、养老服务补贴") for index, number in enumerate(people)]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=date(2026, 11, 22))
    for month in (M(2026, 7), M(2026, 8)):
        run_month(db, CLERK, month)
        approve_month(db, REVIEWER, month)
    statements = [
        "INSERT INTO status_facts (person_id, kind, value, from_month, recorded_at, recorded_by) "
        "SELECT id, 'dibao', '否', 202607, CURRENT_TIMESTAMP, 'sql' FROM persons WHERE id_number = :first",
        "UPDATE persons SET death_date = '2026-07-10' WHERE id_number = :second",
        "UPDATE enrollments SET end_month = 202607 WHERE person_id = (SELECT id FROM persons WHERE id_number = :third)",
    ]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), {"first": people[0], "second": people[1], "third": people[2]})
    run_month(db, CLERK, M(2026, 9))
    incremental = batch_lines(db, M(2026, 9))
    assert sum(1 for line in incremental if line[4] == "追回") >= 3  # each change takes something back
    run_month(db, CLERK, M(2026, 9), full=True)
    assert incremental == batch_lines(db, M(2026, 9))
    approve_month(db, REVIEWER, M(2026, 9))
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO standards (name, key, amount, effective_from, recorded_at, recorded_by) "
                                "VALUES ('高龄补贴', '80-89', 96000, '2026-07-01', CURRENT_TIMESTAMP, 'sql')"))
    run_month(db, CLERK, M(2026, 10))
    incremental = batch_lines(db, M(2026, 10))
    assert any(line[4] == "补发" for line in incremental)
    run_month(db, CLERK, M(2026, 10), full=True)
    assert incremental == batch_lines(db, M(2026, 10))


def test_after_each_use_case_the_incremental_run_equals_the_full_run(db, tmp_path):
    """Each use case that changes data, then the next month computed incrementally and in full."""
    from datetime import date

    import openpyxl

    from tests.helpers import make_id, roster_row
    from workbench.services.bank_export import export_bank
    from workbench.services.bank_return import import_bank_return
    from workbench.services.deaths import import_deaths
    from workbench.services.enrollment import apply_for_item, decide_application
    from workbench.services.liveness import record_check, set_deadline
    from workbench.services.recovery import record_clearing
    from workbench.services.roster_views import person_id_of

    today = date(2026, 11, 22)
    ids = [make_id(date(1936, 3, 3), serial) for serial in (11, 13, 15, 17, 19, 21, 23)]
    rows = [roster_row(姓名=han_name("人员", index), 身份证号=number, 出生日期="1936-03-03", 起始月份="2025-12", 低保="是",
                       享受项目="高龄补贴", 银行账号=f"62310000111122{index:05d}", 已发放至="2026-02" if index % 2 else "")
            for index, number in enumerate(ids)]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=today)
    set_deadline(db, ADMIN, 6)

    def deaths(path):
        book = openpyxl.Workbook()
        book.active.append(["身份证号", "姓名", "死亡日期"])
        book.active.append([ids[2], han_name("人员", 2), "2026-03-10"])
        book.save(path)
        return path

    def bank_return(month):
        out = tmp_path / f"bank{month}"
        export_bank(db, CLERK, month, out, template_name="通用", today=today)
        book = openpyxl.load_workbook(next(out.glob("*.xlsx")))
        sheet = book["代发清单"]
        sheet.cell(1, 10, "处理结果")
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, 10, "失败" if sheet.cell(row, 2).value == han_name("人员", 4) else "成功")
        book.save(tmp_path / "return.xlsx")
        import_bank_return(db, CLERK, month, tmp_path / "return.xlsx")

    def apply_and_approve():
        enrollment = apply_for_item(db, CLERK, person_id_of(db, ADMIN, ids[5]), "YLFW", M(2026, 1))
        decide_application(db, REVIEWER, enrollment, approve=True)

    use_cases = [
        ("导入", lambda month: import_roster(db, CLERK, write_rows(tmp_path / "again.xlsx", [
            {**rows[0], "低保": "否"}]), today=today)),
        ("变更", lambda month: change_person(db, CLERK, ids[1], "死亡日期", "2026-02-15", None, today=today)),
        ("死亡名单", lambda month: import_deaths(db, CLERK, deaths(tmp_path / "deaths.xlsx"))),
        ("生存认证", lambda month: record_check(db, CLERK, ids[3], date(2026, 6, 2), "上门")),
        ("银行回盘", bank_return),
        ("享受项目", lambda month: apply_and_approve()),
        ("追回退回", lambda month: record_clearing(db, CLERK, ids[1], "10", "退回", date(2026, 11, 1), today=today)),
    ]
    month = M(2026, 4)
    run_month(db, CLERK, month, today=today)
    approve_month(db, REVIEWER, month)
    for name, use_case in use_cases:
        use_case(month)
        month += 1
        run_month(db, CLERK, month, today=today)
        incremental = batch_lines(db, month)
        run_month(db, CLERK, month, full=True, today=today)
        assert incremental == batch_lines(db, month), f"{name}: incremental and full runs differ"
        approve_month(db, REVIEWER, month)
