"""Roster import against real databases: all or nothing, updates never duplicate, audited."""
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import ADMIN, CLERK, TODAY
from tests.helpers import make_id, roster_row, wrong_check_digit, write_rows
from workbench.domain.actor import Actor
from workbench.domain.errors import ImportRejected, InvalidInput, PermissionDenied
from workbench.domain.month import Month
from workbench.services.roster_import import import_roster
from workbench.store.models import AuditRecord, BankAccount, Enrollment, Person, StatusFact, Township, Village


def count(db, model) -> int:
    with db.unit_of_work(ADMIN) as uow:
        return uow.session.scalar(select(func.count()).select_from(model))


def second_person(**overrides):
    row = roster_row(姓名="李秀英", 身份证号=make_id(date(1935, 8, 9), 22), 性别="女", 出生日期="1935-08-09",
                     **{"村(社区)": "西关村"}, 银行账号="6221000099998888777", 低保="是", 享受项目="高龄补贴、养老服务补贴")
    row.update(overrides)
    return row


def test_import_adds_people_with_facts_accounts_and_approved_enrollments(db, tmp_path):
    path = write_rows(tmp_path / "r.xlsx", [roster_row(), second_person()])
    report = import_roster(db, CLERK, path, today=TODAY)
    assert (report.added, report.updated, report.errors) == (2, 0, ())
    assert count(db, Person) == 2
    assert count(db, BankAccount) == 2
    with db.unit_of_work(ADMIN) as uow:
        enrollments = uow.session.execute(select(Enrollment.item_code, Enrollment.start_month, Enrollment.state)).all()
        assert sorted(enrollments) == [("GLBT", Month(2024, 1), "已批准"), ("GLBT", Month(2024, 1), "已批准"), ("YLFW", Month(2024, 1), "已批准")]
        facts = set(uow.session.execute(select(StatusFact.kind, StatusFact.value)).all())
        assert ("dibao", "是") in facts and ("hukou", "农村") in facts
        assert uow.session.scalar(select(func.count()).select_from(Township)) == 1
        actions = [row[0] for row in uow.session.execute(select(AuditRecord.action).order_by(AuditRecord.id))]
        assert actions[-1] == "导入花名册"
        added = uow.session.scalar(select(AuditRecord.detail).where(AuditRecord.action == "新增人员"))
        person_ids = sorted(uow.session.scalars(select(Person.id)))
        assert [person_id for first, last in added["人员ID"] for person_id in range(first, last + 1)] == person_ids


def test_an_id_already_in_the_database_updates_that_person(db, tmp_path):
    import_roster(db, CLERK, write_rows(tmp_path / "a.xlsx", [roster_row()]), today=TODAY)
    changed = roster_row(**{"村(社区)": "南关村"}, 低保="是", 银行账号="6231999988887777666", 起始月份="2025-03", 享受项目="高龄补贴、养老服务补贴")
    report = import_roster(db, CLERK, write_rows(tmp_path / "b.xlsx", [changed]), today=TODAY)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    assert count(db, Person) == 1
    assert count(db, Village) == 2  # the dictionary grew; the old village stays
    with db.unit_of_work(ADMIN) as uow:
        person = uow.session.scalar(select(Person))
        assert person.version == 2
        # History kept: the new 低保 fact holds from the row's month; nothing overwritten.
        assert uow.session.execute(select(StatusFact.value, StatusFact.from_month).where(StatusFact.kind == "dibao")).all() == [("是", Month(2025, 3))]
        assert [row.account_no for row in uow.session.scalars(select(BankAccount).order_by(BankAccount.id))] == ["6231000011112222333", "6231999988887777666"]
        items = dict(uow.session.execute(select(Enrollment.item_code, Enrollment.start_month)).all())
        assert items == {"GLBT": Month(2025, 3), "YLFW": Month(2025, 3)}
        detail = uow.session.scalar(select(AuditRecord.detail).where(AuditRecord.action == "更新人员"))
        assert detail["变更"]["低保"] == {"原": "否", "新": "是"}
    again = import_roster(db, CLERK, write_rows(tmp_path / "c.xlsx", [changed]), today=TODAY)
    assert (again.updated, again.unchanged) == (1, 1)


def test_people_named_again_are_each_compared_with_their_own_history(db, tmp_path):
    """People alike in a file but for their facts, or for the row's month, each get the facts and
    the logged change that their own history calls for."""
    def person(index: int, **overrides) -> dict[str, str]:
        return roster_row(姓名=f"王德{'一二三四'[index]}", 身份证号=make_id(date(1941, 5, 3), 41 + 2 * index), **overrides)

    import_roster(db, CLERK, write_rows(tmp_path / "a.xlsx", [person(0, 低保="是"), person(1), person(2, 低保="是"),
                                                               person(3, 低保="是")]), today=TODAY)
    later = {"低保": "否", "起始月份": "2025-06"}
    import_roster(db, CLERK, write_rows(tmp_path / "b.xlsx", [person(2, **later), person(3, **later)]), today=TODAY)
    # 0 has 低保 from 2024-01, 1 never had it; 2 and 3 had it from 2024-01 and lost it in 2025-06.
    report = import_roster(db, CLERK, write_rows(tmp_path / "c.xlsx", [
        person(0, 低保="是"), person(1, 低保="是"), person(2, 低保="是", 起始月份="2025-03"),
        person(3, 低保="是", 起始月份="2025-09")]), today=TODAY)
    assert (report.updated, report.unchanged) == (4, 1)
    with db.unit_of_work(ADMIN) as uow:
        ids = {number: str(person_id) for person_id, number in uow.session.execute(select(Person.id, Person.id_number))}
        facts = uow.session.execute(select(StatusFact.person_id, StatusFact.value, StatusFact.from_month)
                                    .where(StatusFact.kind == "dibao").order_by(StatusFact.id)).all()
        logged = {record.entity_id: record.detail["变更"] for record in uow.session.scalars(
            select(AuditRecord).where(AuditRecord.action == "更新人员").order_by(AuditRecord.id))}
    one, two, three = (ids[person(index)["身份证号"]] for index in (1, 2, 3))
    assert [(str(person_id), value, month) for person_id, value, month in facts[5:]] == [
        (one, "是", Month(2024, 1)), (three, "是", Month(2025, 9))]
    assert logged[one] == {"低保": {"原": "否", "新": "是"}}
    assert logged[three]["低保"] == {"原": "否", "新": "是"}
    assert "低保" not in logged[two]  # 是 held in 2025-03: only the enrollment's start changed
    assert ids[person(0)["身份证号"]] not in logged


BAD_ROWS = [
    ("wrong check digit", {"身份证号": wrong_check_digit(make_id(date(1940, 1, 1), 31))}, "身份证号"),
    ("impossible birth date", {"身份证号": "140522194002300311"}, "身份证号"),
    ("sex disagrees", {"性别": "女"}, "性别"),
    ("birth date disagrees", {"出生日期": "1941-05-30"}, "出生日期"),
    ("unknown item", {"享受项目": "敬老金"}, "享受项目"),
    ("malformed month", {"起始月份": "2024-1-1"}, "起始月份"),
    ("death in the future", {"死亡日期": "2030-01-01"}, "死亡日期"),
    ("account not digits", {"银行账号": "62310000abc"}, "银行账号"),
    ("自理能力 missing for 分散供养", {"特困供养": "分散", "享受项目": "分散供养"}, "自理能力"),
]


@pytest.mark.parametrize("label, overrides, column", BAD_ROWS, ids=[case[0] for case in BAD_ROWS])
def test_one_bad_row_refuses_the_whole_file_and_writes_nothing(db, tmp_path, label, overrides, column):
    audit_before = count(db, AuditRecord)
    path = write_rows(tmp_path / "bad.xlsx", [second_person(), roster_row(**overrides)])
    with pytest.raises(ImportRejected) as refused:
        import_roster(db, CLERK, path, today=TODAY)
    assert [(error.row, error.column) for error in refused.value.errors] == [(3, column)]
    assert "第 3 行" in str(refused.value) and column in str(refused.value)
    assert count(db, Person) == 0 and count(db, Township) == 0
    assert count(db, AuditRecord) == audit_before


def test_the_same_id_twice_in_the_file_is_refused(db, tmp_path):
    path = write_rows(tmp_path / "dup.xlsx", [roster_row(), second_person(), roster_row(姓名="王得福")])
    with pytest.raises(ImportRejected) as refused:
        import_roster(db, CLERK, path, today=TODAY)
    assert [(e.row, e.column, e.reason) for e in refused.value.errors] == [(4, "身份证号", "与第 2 行的身份证号重复")]
    assert count(db, Person) == 0


def test_a_missing_required_column_is_named(db, tmp_path):
    rows = [{key: value for key, value in roster_row().items()}]
    path = tmp_path / "nocol.xlsx"
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("花名册")
    headers = [header for header in rows[0] if header != "户籍性质"]
    sheet.write_row(0, 0, headers)
    sheet.write_row(1, 0, [rows[0][header] for header in headers])
    book.close()
    with pytest.raises(ImportRejected, match="缺少必填列「户籍性质」"):
        import_roster(db, CLERK, path, today=TODAY)


def test_headers_in_any_order_with_extra_columns_and_full_width_parentheses(db, tmp_path):
    import xlsxwriter

    row = roster_row()
    path = tmp_path / "shuffled.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")
    headers = ["备注", *reversed(list(row))]
    sheet.write_row(0, 0, [" 村（社区） " if header == "村(社区)" else header for header in headers])
    sheet.write_row(1, 0, ["随便写" if header == "备注" else row[header] for header in headers])
    book.close()
    report = import_roster(db, CLERK, path, today=TODAY)
    assert report.added == 1


def test_valid_only_imports_the_good_rows_and_reports_the_rest(db, tmp_path):
    path = write_rows(tmp_path / "mixed.xlsx", [roster_row(), second_person(性别="男")])
    report = import_roster(db, CLERK, path, today=TODAY, valid_only=True)
    assert report.added == 1
    assert [(e.row, e.column) for e in report.errors] == [(3, "性别")]
    assert count(db, Person) == 1


def test_dry_run_reports_and_writes_nothing(db, tmp_path):
    path = write_rows(tmp_path / "dry.xlsx", [roster_row(), second_person()])
    report = import_roster(db, CLERK, path, today=TODAY, dry_run=True)
    assert (report.added, report.updated, report.written) == (2, 0, False)
    assert count(db, Person) == 0


def test_a_file_that_is_not_a_workbook_gets_a_clear_message(db, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_text("姓名,身份证号\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="不是有效的 Excel 文件"):
        import_roster(db, CLERK, path, today=TODAY)
    with pytest.raises(InvalidInput, match="找不到文件"):
        import_roster(db, CLERK, tmp_path / "missing.xlsx", today=TODAY)


def test_a_reviewer_may_not_import(db, tmp_path):
    with pytest.raises(PermissionDenied, match="无权维护花名册"):
        import_roster(db, Actor("r", "审核"), write_rows(tmp_path / "x.xlsx", [roster_row()]), today=TODAY)


def test_the_people_named_again_are_read_the_same_whole_or_in_slices(db, tmp_path, monkeypatch):
    """A large file has each table read whole and keeps the people it names; a small one asks for
    them. Both read the same: the account in use (the later one), the enrollments, every fact,
    and nobody the file does not name."""
    from dataclasses import replace

    from workbench.services import roster_import
    from workbench.store import bulk

    third = roster_row(姓名="王德福", 身份证号=make_id(date(1938, 3, 3), 35), 出生日期="1938-03-03", 银行账号="6231000055556666777")
    import_roster(db, CLERK, write_rows(tmp_path / "a.xlsx", [roster_row(), second_person(), third]), today=TODAY)
    changed = roster_row(银行账号="6231999988887777666", 起始月份="2025-03", 低保="是")
    import_roster(db, CLERK, write_rows(tmp_path / "b.xlsx", [changed, second_person(特困供养="分散", 自理能力="半护理")]),
                  today=TODAY)
    first, second = roster_row()["身份证号"], second_person()["身份证号"]
    named = [first, second, make_id(date(1936, 6, 6), 57)]  # the last is not on the roster

    def held(whole_above: int) -> dict:
        monkeypatch.setattr(bulk, "WHOLE_TABLE", whole_above)
        with db.unit_of_work(ADMIN) as uow:
            found = roster_import._load_existing(uow, named)
        return {number: replace(existing, facts=sorted(existing.facts)) for number, existing in found.items()}

    in_slices, whole = held(len(named)), held(0)
    assert whole == in_slices
    assert set(whole) == {first, second}
    assert whole[first].bank[1] == "6231999988887777666"
    assert set(whole[first].enrollments) == {"GLBT"} and whole[first].enrollments["GLBT"][1] == Month(2025, 3)
    assert ("tekun", "分散") in {(fact.kind, fact.value) for fact in whole[second].facts}
