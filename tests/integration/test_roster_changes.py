"""Dated changes to one person, optimistic locking, and the roster listing."""
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import ADMIN, CLERK, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.errors import ConcurrentEdit, InvalidInput, NotFound
from workbench.domain.month import Month
from workbench.services.roster import change_person
from workbench.services.roster_views import list_roster
from workbench.services.roster_import import import_roster
from workbench.store.models import BankAccount, Person, StatusFact

PERSON_ID = make_id(date(1941, 5, 3), 11)


@pytest.fixture
def one_person(db, tmp_path):
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row()]), today=TODAY)
    return db


def test_status_change_is_appended_with_its_month(one_person):
    db = one_person
    message = change_person(db, CLERK, PERSON_ID, "低保", "是", Month(2025, 3), today=TODAY)
    assert "2025-03" in message
    change_person(db, CLERK, PERSON_ID, "低保", "否", Month(2025, 9), today=TODAY)
    with db.unit_of_work(ADMIN) as uow:
        facts = uow.session.execute(select(StatusFact.value, StatusFact.from_month).where(StatusFact.kind == "dibao").order_by(StatusFact.id)).all()
    assert facts == [("是", Month(2025, 3)), ("否", Month(2025, 9))]


def test_status_change_needs_a_month_and_a_valid_value(one_person):
    with pytest.raises(InvalidInput, match="--from"):
        change_person(one_person, CLERK, PERSON_ID, "低保", "是", None, today=TODAY)
    with pytest.raises(InvalidInput, match="应为 是/否"):
        change_person(one_person, CLERK, PERSON_ID, "低保", "有", Month(2025, 1), today=TODAY)
    with pytest.raises(InvalidInput, match="不能修改「身高」"):
        change_person(one_person, CLERK, PERSON_ID, "身高", "170", None, today=TODAY)


def test_death_date_takes_the_date_and_refuses_the_future(one_person):
    change_person(one_person, CLERK, PERSON_ID, "死亡日期", "2026-03-14", None, today=TODAY)
    with one_person.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(Person.death_date)) == date(2026, 3, 14)
    with pytest.raises(InvalidInput, match="晚于今天"):
        change_person(one_person, CLERK, PERSON_ID, "死亡日期", "2027-01-01", None, today=TODAY)
    with pytest.raises(InvalidInput, match="不是有效的日期"):
        change_person(one_person, CLERK, PERSON_ID, "死亡日期", "三月", None, today=TODAY)


def test_new_bank_account_keeps_the_old_one(one_person):
    change_person(one_person, CLERK, PERSON_ID, "银行账号", "6217000011112222", None, today=TODAY)
    with one_person.unit_of_work(ADMIN) as uow:
        accounts = uow.session.scalars(select(BankAccount.account_no).order_by(BankAccount.id)).all()
    assert accounts == ["6231000011112222333", "6217000011112222"]
    with pytest.raises(InvalidInput, match="数字"):
        change_person(one_person, CLERK, PERSON_ID, "银行账号", "62170000ABCD", None, today=TODAY)


def test_unknown_person_is_named_masked(one_person):
    missing = make_id(date(1930, 1, 1), 5)
    with pytest.raises(NotFound) as refused:
        change_person(one_person, CLERK, missing, "低保", "是", Month(2025, 1), today=TODAY)
    assert missing not in str(refused.value) and missing[-4:] in str(refused.value)


def test_a_stale_save_is_refused_not_silently_overwritten(one_person):
    db = one_person
    with db.unit_of_work(CLERK, write=False) as first:
        stale = first.session.scalar(select(Person))
        first.session.expunge(stale)
    change_person(db, CLERK, PERSON_ID, "联系电话", "13900000000", None, today=TODAY)
    with db.unit_of_work(CLERK, write=True) as second:
        merged = second.session.merge(stale, load=False)
        merged.phone = "13700000000"
        with pytest.raises(ConcurrentEdit, match="重新加载"):
            second.commit()
    with db.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(Person.phone)) == "13900000000"


def test_roster_list_masks_numbers_for_a_clerk_only(one_person):
    [clerk_view] = list_roster(one_person, CLERK, today=TODAY)
    [admin_view] = list_roster(one_person, ADMIN, today=TODAY)
    assert admin_view.id_number == PERSON_ID and admin_view.account == "6231000011112222333"
    assert clerk_view.id_number != PERSON_ID and clerk_view.id_number.endswith(PERSON_ID[-4:]) and "*" in clerk_view.id_number
    assert clerk_view.account.endswith("2333") and "*" in clerk_view.account
    assert admin_view.age == 85 and admin_view.items == "高龄补贴" and admin_view.hukou == "农村"
    assert list(list_roster(one_person, ADMIN, township="凤城镇", today=TODAY))
    with pytest.raises(NotFound):
        list(list_roster(one_person, ADMIN, township="火星镇", today=TODAY))


def test_a_change_from_a_form_opened_before_someone_elses_is_refused(one_person):
    from workbench.services.roster_views import person_detail

    person_id = one_person.engine.connect().execute(select(Person.id)).scalar()
    seen = person_detail(one_person, CLERK, person_id, today=TODAY).version
    change_person(one_person, CLERK, person_id, "联系电话", "13900000001", None, today=TODAY, expected_version=seen)
    with pytest.raises(ConcurrentEdit, match="已被「clerk」修改.*请重新打开"):
        change_person(one_person, ADMIN, person_id, "低保", "是", Month(2026, 1), today=TODAY, expected_version=seen)
    fresh = person_detail(one_person, CLERK, person_id, today=TODAY)
    assert fresh.phone == "13900000001" and fresh.version == seen + 1
    assert [header for header, *_ in fresh.facts].count("低保") == 0  # nothing of the refused change
    change_person(one_person, ADMIN, person_id, "低保", "是", Month(2026, 1), today=TODAY, expected_version=fresh.version)
    assert person_detail(one_person, CLERK, person_id, today=TODAY).version == fresh.version + 1
