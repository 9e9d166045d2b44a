"""The monthly run against real databases: drafts, approval, immutability, late news, review lists."""
import multiprocessing
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.bootstrap import open_database
from workbench.domain.entitlement import annual_installment
from workbench.domain.errors import InvalidInput, PermissionDenied
from workbench.domain.month import Month as M
from workbench.services import payout
from workbench.services.payout import approve_month, diff_month, run_month, show_month
from workbench.store import ledger as ledger_store
from workbench.store.ledger import SQLITE_INSERT_GUARD
from workbench.services.policy import set_standard
from workbench.services.roster import change_person
from workbench.services.roster_import import import_roster
from workbench.store.models import Batch, LedgerLine

OLD = make_id(date(1941, 5, 3), 11)  # 85 in 2026: 高龄补贴 800 a year
TURNING = make_id(date(1946, 9, 9), 21)  # reaches 80 in September 2026
POOR = make_id(date(1936, 2, 2), 32)  # 低保, 90: 高龄补贴 2400 and 养老服务补贴 70


@pytest.fixture
def county(db, tmp_path):
    rows = [
        roster_row(起始月份="2026-06"),
        roster_row(姓名="张建国", 身份证号=TURNING, 出生日期="1946-09-09", 起始月份="2026-06"),
        roster_row(姓名="李秀英", 身份证号=POOR, 性别="女", 出生日期="1936-02-02", 低保="是",
                   享受项目="高龄补贴、养老服务补贴", 起始月份="2026-06"),
    ]
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=TODAY)
    return db


def lines(db, month, actor=ADMIN):
    return {(line.id_number, line.item, str(line.period), line.kind): line.amount for line in show_month(db, actor, month)}


def run_and_approve(db, month):
    run_month(db, CLERK, month)
    approve_month(db, REVIEWER, month)


def test_first_run_pays_current_and_back_pay(county):
    report = run_month(county, CLERK, M(2026, 8))
    got = lines(county, M(2026, 8))
    assert got[(OLD, "高龄补贴", "2026-08", "当月")] == annual_installment(D(800), 8)
    assert got[(OLD, "高龄补贴", "2026-06", "补发")] == annual_installment(D(800), 6)
    assert got[(POOR, "养老服务补贴", "2026-07", "补发")] == D("70.00")
    assert not any(key[0] == TURNING for key in got)  # not 80 until September: owes nothing yet
    assert report.paid == sum(got.values()) and report.recovered == 0


def test_rerun_replaces_the_draft_and_approval_locks_it(county):
    run_month(county, CLERK, M(2026, 8))
    first = lines(county, M(2026, 8))
    run_month(county, ADMIN, M(2026, 8))
    assert lines(county, M(2026, 8)) == first
    with pytest.raises(PermissionDenied, match="无权审核审批"):
        approve_month(county, CLERK, M(2026, 8))
    with pytest.raises(PermissionDenied, match="另一位用户"):
        approve_month(county, ADMIN, M(2026, 8))  # ran it last: may not approve it
    approve_month(county, REVIEWER, M(2026, 8))
    with pytest.raises(InvalidInput, match="已审批"):
        run_month(county, CLERK, M(2026, 8))
    with county.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Batch)) == 1


@pytest.mark.parametrize("statement", [
    "UPDATE ledger_lines SET amount = amount + 100",
    "DELETE FROM ledger_lines",
    "INSERT INTO ledger_lines (batch_id, person_id, item_code, period, seq, amount, kind, reason) "
    "SELECT batch_id, person_id, item_code, period, seq + 10, amount, kind, reason FROM ledger_lines",
    "DELETE FROM batches",
    "UPDATE batches SET state = '草稿'",
    "UPDATE batches SET month = 202701",
])
def test_an_approved_batch_is_immutable_in_the_database(county, statement):
    run_and_approve(county, M(2026, 8))
    with county.engine.connect() as connection:
        with pytest.raises(DBAPIError, match="已审批的发放批次不能修改"):
            connection.execute(text(statement))
        connection.rollback()


@pytest.mark.parametrize("statement", [
    # a line naming a person or a batch that does not exist, inserted or updated
    "INSERT INTO ledger_lines (batch_id, person_id, item_code, period, seq, amount, kind, reason) "
    "SELECT batch_id, person_id + 999999, item_code, period, seq, amount, kind, reason FROM ledger_lines",
    "INSERT INTO ledger_lines (batch_id, person_id, item_code, period, seq, amount, kind, reason) "
    "SELECT batch_id + 999999, person_id, item_code, period, seq + 10, amount, kind, reason FROM ledger_lines",
    "UPDATE ledger_lines SET person_id = person_id + 999999",
    "UPDATE ledger_lines SET batch_id = batch_id + 999999",
    # a person or a batch removed, or renumbered, under its lines
    "DELETE FROM persons",
    "UPDATE persons SET id = id + 1000000",
    "DELETE FROM batches",
    "UPDATE batches SET id = id + 1000000",
])
def test_a_line_always_names_a_batch_and_a_person_that_exist(county, statement):
    """SQLite's foreign keys; on PostgreSQL the statement triggers that check the same once per statement."""
    run_month(county, CLERK, M(2026, 8))  # a draft: its lines may be changed, but not left dangling
    before = lines(county, M(2026, 8))
    with county.engine.connect() as connection:
        if "persons" in statement:  # the lines alone still name the people: their other rows go first
            for table in inspect(connection).get_table_names():
                keys = inspect(connection).get_foreign_keys(table)
                if table != "ledger_lines" and any(key["referred_table"] == "persons" for key in keys):
                    connection.execute(text(f"DELETE FROM {table}"))
        with pytest.raises(IntegrityError, match="发放明细" if county.is_shared else "FOREIGN KEY"):
            connection.execute(text(statement))
        connection.rollback()
    assert lines(county, M(2026, 8)) == before


def test_lines_for_existing_people_in_a_draft_are_still_written(county):
    run_month(county, CLERK, M(2026, 8))
    with county.engine.begin() as connection:
        connection.execute(text("INSERT INTO ledger_lines (batch_id, person_id, item_code, period, seq, amount, kind, reason) "
                                "SELECT batch_id, person_id, item_code, period, seq + 10, amount, kind, reason FROM ledger_lines"))
        connection.execute(text("DELETE FROM ledger_lines WHERE seq > 10"))
        connection.execute(text("UPDATE ledger_lines SET reason = reason"))


def _insert_guard(db) -> str | None:
    """The SQLite trigger refusing lines for a batch that is not a draft (PostgreSQL: its guard function)."""
    with db.engine.connect() as connection:
        if db.is_shared:
            return connection.scalar(text("SELECT prosrc FROM pg_proc WHERE proname = 'ledger_lines_guard'"))
        return connection.scalar(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
                                 {"name": SQLITE_INSERT_GUARD})


def test_the_draft_is_written_under_the_insert_guard(county, monkeypatch):
    """On SQLite the run checks its whole insert once instead of each line (PostgreSQL keeps its row
    trigger): the guard is back, word for word, after a run, and a run writing a line for an
    approved batch is refused with nothing written."""
    guard = _insert_guard(county)
    assert guard is not None and "草稿" in guard
    run_and_approve(county, M(2026, 8))
    assert _insert_guard(county) == guard
    with county.engine.connect() as connection:  # still refused line by line outside the run
        with pytest.raises(DBAPIError, match="已审批的发放批次不能修改"):
            connection.execute(text("INSERT INTO ledger_lines (batch_id, person_id, item_code, period, seq, amount, "
                                    "kind, reason) SELECT batch_id, person_id, item_code, period, seq + 10, amount, "
                                    "kind, reason FROM ledger_lines"))
    approved = lines(county, M(2026, 8))

    def astray(uow, batch_id, draft):
        # A run whose lines named the approved batch instead of its draft: a person's own lines
        # (OLD changed), those alone or beside shared lines for the draft, or lines that people
        # share, each way in turn.
        august = uow.session.scalar(select(Batch.id).where(Batch.month == M(2026, 8)))
        wrong = ledger_store.DraftLines()
        if way in ("own", "some"):
            # Each person's lines written as rows of their own (a run shares them where it can).
            own = draft.rows or [(batch_id, person_id, *line) for person_id, number in draft.members for line in draft.groups[number]]
            assert own
            wrong.rows = [(august, *row[1:4], row[4] + 10, *row[5:]) for row in own]
            if way == "some":
                wrong.groups, wrong.members = draft.groups, draft.members
        else:
            assert draft.members, "unchanged people share lines"
            wrong.groups = [[line._replace(seq=line.seq + 10) for line in group] for group in draft.groups]
            wrong.members, batch_id = draft.members, august
        real_insert(uow, batch_id, wrong)

    real_insert = ledger_store.write_draft
    monkeypatch.setattr(ledger_store, "write_draft", astray)
    change_person(county, CLERK, OLD, "低保", "是", M(2026, 8), today=TODAY)
    for way in ("own", "some", "shared"):
        with pytest.raises((InvalidInput, DBAPIError), match="已审批的发放批次不能修改"):
            run_month(county, CLERK, M(2026, 9))
        assert _insert_guard(county) == guard
        assert lines(county, M(2026, 8)) == approved
        with county.unit_of_work(ADMIN) as uow:
            assert uow.session.scalar(select(func.count()).select_from(Batch).where(Batch.month == M(2026, 9))) == 0
    monkeypatch.setattr(ledger_store, "write_draft", real_insert)  # nothing of the refused runs is left in the way
    run_month(county, CLERK, M(2026, 9))
    assert any(line.period == M(2026, 9) for line in show_month(county, ADMIN, M(2026, 9)))


def test_the_ledger_keeps_its_lines_and_guards_across_the_change_of_its_keys(county):
    """Migration 0007 rebuilds the ledger on SQLite under its new unique key: down to the keys
    before it and up again, every line is there, and the guards and the key still refuse."""
    from alembic import command

    from workbench.store.migrate import _config, upgrade

    run_and_approve(county, M(2026, 8))
    run_month(county, CLERK, M(2026, 9))
    approved, draft, guard = lines(county, M(2026, 8)), lines(county, M(2026, 9)), _insert_guard(county)
    for revision in ("0006", None):
        if revision:
            with county.engine.connect() as connection:
                config = _config()
                config.attributes["connection"] = connection
                command.downgrade(config, revision)
                connection.commit()
        else:
            upgrade(county.engine)
        assert lines(county, M(2026, 8)) == approved and lines(county, M(2026, 9)) == draft
        assert _insert_guard(county) == guard
        for statement, refusal in (
            ("UPDATE ledger_lines SET amount = amount + 100", "已审批的发放批次不能修改"),
            ("INSERT INTO ledger_lines (batch_id, person_id, item_code, period, seq, amount, kind, reason) "
             "SELECT batch_id + 1, person_id, item_code, period, seq, amount, kind, reason FROM ledger_lines",
             "(?i)unique|duplicate"),  # the same line number again, in the draft: the key refuses
        ):
            with county.engine.connect() as connection:
                with pytest.raises(DBAPIError, match=refusal):
                    connection.execute(text(statement))
                connection.rollback()
    approve_month(county, REVIEWER, M(2026, 9))
    run_month(county, CLERK, M(2026, 10))
    assert lines(county, M(2026, 10))[(OLD, "高龄补贴", "2026-10", "当月")] == annual_installment(D(800), 10)


def test_the_next_month_pays_only_the_month_and_the_birthday(county):
    run_and_approve(county, M(2026, 8))
    run_month(county, CLERK, M(2026, 10))
    got = lines(county, M(2026, 10))
    assert set(key[3] for key in got if key[0] == OLD) == {"当月", "补发"}  # September was skipped: back pay
    assert got[(TURNING, "高龄补贴", "2026-10", "当月")] == annual_installment(D(800), 10)
    assert (TURNING, "高龄补贴", "2026-09", "补发") not in got  # reached 80 in September: from October


def test_a_status_corrected_for_the_same_month_pays_by_the_correction(county):
    # 李秀英 loses 低保 from July, and the clerk corrects it the same day: she keeps it. Whoever
    # reads her history must take the fact recorded last, whatever the order of the rows.
    run_and_approve(county, M(2026, 8))
    change_person(county, CLERK, POOR, "低保", "否", M(2026, 7), today=TODAY)
    change_person(county, CLERK, POOR, "低保", "是", M(2026, 7), today=TODAY)
    run_month(county, CLERK, M(2026, 9))
    got = lines(county, M(2026, 9))
    assert {key: amount for key, amount in got.items() if key[0] == POOR} == {
        (POOR, "高龄补贴", "2026-09", "当月"): annual_installment(D(2400), 9),
        (POOR, "养老服务补贴", "2026-09", "当月"): D("70.00"),
    }
    change_person(county, CLERK, POOR, "低保", "否", M(2026, 7), today=TODAY)
    run_month(county, CLERK, M(2026, 9))
    got = lines(county, M(2026, 9))
    assert got[(POOR, "养老服务补贴", "2026-07", "追回")] == D("-70.00")
    assert (POOR, "养老服务补贴", "2026-09", "当月") not in got


def test_a_late_death_becomes_a_recovery_never_a_bank_line(county):
    run_and_approve(county, M(2026, 8))
    run_and_approve(county, M(2026, 9))
    change_person(county, CLERK, POOR, "死亡日期", "2026-07-15", None, today=TODAY)
    run_month(county, CLERK, M(2026, 10))
    got = lines(county, M(2026, 10))
    recoveries = {key: amount for key, amount in got.items() if key[0] == POOR}
    assert recoveries == {
        (POOR, "高龄补贴", "2026-08", "追回"): -annual_installment(D(2400), 8),
        (POOR, "高龄补贴", "2026-09", "追回"): -annual_installment(D(2400), 9),
        (POOR, "养老服务补贴", "2026-08", "追回"): D("-70.00"),
        (POOR, "养老服务补贴", "2026-09", "追回"): D("-70.00"),
    }
    stopped = [line for line in diff_month(county, ADMIN, M(2026, 10)) if line.category == "停发"]
    assert {line.item for line in stopped} == {"高龄补贴", "养老服务补贴"}
    assert all("2026-07-15 死亡" in line.reason for line in stopped)


def test_a_retroactive_standard_is_paid_as_back_pay_once(county):
    run_and_approve(county, M(2026, 8))
    message = set_standard(county, ADMIN, "高龄补贴", "80-89", "960", date(2026, 6, 1))
    assert "补发" in message
    run_month(county, CLERK, M(2026, 9))
    got = lines(county, M(2026, 9))
    for period in (6, 7, 8):
        expected = annual_installment(D(960), period) - annual_installment(D(800), period)
        assert got[(OLD, "高龄补贴", f"2026-{period:02d}", "补发")] == expected
    approve_month(county, REVIEWER, M(2026, 9))
    run_month(county, CLERK, M(2026, 10))
    assert not [key for key in lines(county, M(2026, 10)) if key[3] == "补发"]


def test_a_missing_standard_is_reported_then_paid_when_entered(db, tmp_path):
    row = roster_row(特困供养="分散", 自理能力="半护理", 享受项目="分散供养", 起始月份="2026-08",
                     身份证号=make_id(date(1950, 1, 1), 41), 出生日期="1950-01-01")
    import_roster(db, CLERK, write_rows(tmp_path / "f.xlsx", [row]), today=TODAY)
    report = run_month(db, CLERK, M(2026, 8))
    assert report.missing == {"低保标准/农村": 1} and report.lines == 0
    approve_month(db, REVIEWER, M(2026, 8))
    set_standard(db, ADMIN, "低保标准", "农村", "520", date(2026, 1, 1))
    run_month(db, CLERK, M(2026, 9))
    got = {(line.period, line.kind): line.amount for line in show_month(db, ADMIN, M(2026, 9))}
    assert got == {(M(2026, 8), "补发"): D("876.00"), (M(2026, 9), "当月"): D("876.00")}


def test_review_lists_new_changed_and_back_pay(county):
    run_and_approve(county, M(2026, 8))
    run_month(county, CLERK, M(2026, 9))
    # The monthly share of 800 a year moves with cumulative rounding (66.66 in August, 66.67 in
    # September): the same standard and bracket, so no 变更 for the reviewer to check.
    assert lines(county, M(2026, 8))[(OLD, "高龄补贴", "2026-08", "当月")] != lines(county, M(2026, 9))[(OLD, "高龄补贴", "2026-09", "当月")]
    assert not [line for line in diff_month(county, ADMIN, M(2026, 9)) if line.category == "变更"]
    approve_month(county, REVIEWER, M(2026, 9))
    set_standard(county, ADMIN, "高龄补贴", "80-89", "960", date(2026, 10, 1))
    run_month(county, CLERK, M(2026, 10))
    review = diff_month(county, ADMIN, M(2026, 10))
    categories = {(line.category, line.id_number, line.item) for line in review}
    assert ("变更", OLD, "高龄补贴") in categories  # a new annual standard is a change
    assert ("新增", TURNING, "高龄补贴") in categories
    assert {line.township for line in review} == {"凤城镇"}


def test_a_draft_computed_before_a_later_change_is_not_approved(county):
    run_month(county, CLERK, M(2026, 8))
    assert not payout.month_status(county, REVIEWER, M(2026, 8)).out_of_date
    set_standard(county, ADMIN, "高龄补贴", "80-89", "960", date(2026, 1, 1))
    status = payout.month_status(county, REVIEWER, M(2026, 8))
    assert status.out_of_date and "过期" in status.steps["approve"]
    with pytest.raises(InvalidInput, match="过期"):
        approve_month(county, REVIEWER, M(2026, 8))
    assert payout.month_status(county, REVIEWER, M(2026, 8)).state == "草稿"
    run_month(county, CLERK, M(2026, 8))
    assert not payout.month_status(county, REVIEWER, M(2026, 8)).out_of_date
    approve_month(county, REVIEWER, M(2026, 8))
    assert lines(county, M(2026, 8))[(OLD, "高龄补贴", "2026-08", "当月")] == annual_installment(D(960), 8)


def test_the_batch_report_and_the_month_that_matters(county):
    assert payout.month_that_matters(county, ADMIN, today=date(2026, 11, 22)) == M(2026, 11)
    ran = run_month(county, CLERK, M(2026, 8))
    assert payout.month_that_matters(county, ADMIN, today=date(2026, 11, 22)) == M(2026, 8)
    assert payout.batch_report(county, ADMIN, M(2026, 8)) == ran
    approve_month(county, REVIEWER, M(2026, 8))
    assert payout.month_that_matters(county, ADMIN, today=date(2026, 11, 22)) == M(2026, 8)
    run_month(county, CLERK, M(2026, 9))
    assert payout.month_that_matters(county, ADMIN, today=date(2026, 11, 22)) == M(2026, 9)


def test_only_one_draft_at_a_time_and_no_going_back(county):
    run_month(county, CLERK, M(2026, 8))
    with pytest.raises(InvalidInput, match="草稿"):
        run_month(county, CLERK, M(2026, 9))
    approve_month(county, REVIEWER, M(2026, 8))
    with pytest.raises(InvalidInput, match="更晚"):
        run_month(county, CLERK, M(2026, 7))


def test_a_clerk_sees_masked_numbers(county):
    run_month(county, CLERK, M(2026, 8))
    shown = show_month(county, CLERK, M(2026, 8))
    assert shown and all("*" in line.id_number for line in shown)


def _run_in_child(url: str, queue) -> None:
    db = open_database(url)
    try:
        queue.put(run_month(db, CLERK, M(2026, 8)).lines)
    except Exception as problem:
        queue.put(repr(problem))
    finally:
        db.close()


def test_two_processes_running_the_same_month_make_one_batch(county):
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    children = [context.Process(target=_run_in_child, args=(county.url, queue)) for _ in range(3)]
    for child in children:
        child.start()
    results = [queue.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=60)
    assert len(set(results)) == 1 and isinstance(results[0], int), results
    with county.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Batch)) == 1
        assert uow.session.scalar(select(func.count()).select_from(LedgerLine)) == results[0]


def test_a_month_too_far_ahead_or_before_anyone_is_enrolled_is_refused(county):
    with pytest.raises(InvalidInput, match="只能计算到下个月"):
        run_month(county, CLERK, M(2030, 1), today=date(2026, 11, 22))  # a typo for 2026-10
    run_month(county, CLERK, M(2026, 12), today=date(2026, 11, 22))  # next month is allowed
    with pytest.raises(InvalidInput, match="最早的享受项目从 2026-06 起"):
        run_month(county, CLERK, M(2026, 5), today=date(2026, 11, 22))


def test_an_empty_draft_does_not_block_the_next_month(db, tmp_path):
    row = roster_row(起始月份="2026-08", 享受项目="分散供养", 特困供养="分散", 自理能力="半护理",
                     身份证号=make_id(date(1950, 1, 1), 41), 出生日期="1950-01-01")
    import_roster(db, CLERK, write_rows(tmp_path / "f.xlsx", [row]), today=TODAY)
    assert run_month(db, CLERK, M(2026, 8)).lines == 0  # the 低保 standard is missing: nothing to pay yet
    set_standard(db, ADMIN, "低保标准", "农村", "520", date(2026, 1, 1))
    report = run_month(db, CLERK, M(2026, 9))  # the empty August draft is removed, not in the way
    assert report.lines == 2 and payout.month_status(db, ADMIN, M(2026, 8)).state is None
    with db.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Batch)) == 1


def test_no_run_without_anyone_enrolled(db):
    with pytest.raises(InvalidInput, match="还没有已批准享受项目"):
        run_month(db, CLERK, M(2026, 10))
