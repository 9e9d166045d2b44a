"""Months an earlier system paid (已发放至) are history recorded at import, not estimates.

A retroactive raise pays a migrated person the same difference as a person we paid all along;
a death reported after migration recovers exactly what was paid after it, never more.
"""
from datetime import date
from decimal import Decimal as D

from alembic import command
from sqlalchemy import select

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.entitlement import annual_installment
from workbench.domain.month import Month as M
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.policy import set_standard
from workbench.services.roster import change_person
from workbench.services.roster_import import import_roster
from workbench.store import migrate
from workbench.store.models import PriorPayment

MIGRATED = make_id(date(1941, 5, 3), 11)  # 85: 高龄补贴 800 a year, paid by the earlier system through 2026-06
OURS = make_id(date(1941, 5, 3), 13)  # the same age, paid by us from the first run
DIES = make_id(date(1942, 8, 8), 15)  # migrated too; dies 2026-03-15, reported after the raise


def _import(db, tmp_path):
    rows = [
        roster_row(身份证号=MIGRATED, 起始月份="2025-06", 已发放至="2026-06"),
        roster_row(姓名="赵大海", 身份证号=OURS, 起始月份="2025-06"),
        roster_row(姓名="钱玉兰", 身份证号=DIES, 出生日期="1942-08-08", 起始月份="2025-06", 已发放至="2026-06"),
    ]
    import_roster(db, CLERK, write_rows(tmp_path / "migrated.xlsx", rows), today=TODAY)


def _lines(db, month, who):
    return {(line.item, line.period, line.kind): line.amount for line in show_month(db, ADMIN, month) if line.id_number == who}


def test_a_retroactive_raise_pays_the_migrated_months_difference(db, tmp_path):
    _import(db, tmp_path)
    run_month(db, CLERK, M(2026, 7), today=TODAY)
    approve_month(db, REVIEWER, M(2026, 7))
    set_standard(db, ADMIN, "高龄补贴", "80-89", "960", date(2025, 1, 1))
    run_month(db, CLERK, M(2026, 8), today=TODAY)
    ours, migrated = _lines(db, M(2026, 8), OURS), _lines(db, M(2026, 8), MIGRATED)
    assert migrated == ours
    # Within the window (2025-08 on), every month's difference between 960 and 800 a year.
    for period in M(2025, 8).until(M(2026, 7)):
        expected = annual_installment(D(960), period.month) - annual_installment(D(800), period.month)
        assert migrated[("高龄补贴", period, "补发")] == expected
    assert migrated[("高龄补贴", M(2026, 8), "当月")] == annual_installment(D(960), 8)


def test_a_death_reported_after_a_raise_recovers_what_was_paid_not_more(db, tmp_path):
    _import(db, tmp_path)
    set_standard(db, ADMIN, "高龄补贴", "80-89", "960", date(2025, 1, 1))
    change_person(db, CLERK, DIES, "死亡日期", "2026-03-15", None, today=TODAY)
    run_month(db, CLERK, M(2026, 7), today=TODAY)
    got = _lines(db, M(2026, 7), DIES)
    recoveries = {period: amount for (_item, period, kind), amount in got.items() if kind == "追回"}
    # The earlier system paid 800 a year through June; April to June are taken back as paid.
    assert recoveries == {M(2026, month): -annual_installment(D(800), month) for month in (4, 5, 6)}
    # The raise is owed for the months she lived, from the window's first month through March.
    back_pay = {period: amount for (_item, period, kind), amount in got.items() if kind == "补发"}
    assert set(back_pay) == set(M(2025, 7).until(M(2026, 3)))
    assert back_pay[M(2026, 3)] == annual_installment(D(960), 3) - annual_installment(D(800), 3)


def _recorded(db):
    with db.engine.connect() as connection:
        return sorted(tuple(row) for row in connection.execute(
            select(PriorPayment.person_id, PriorPayment.item_code, PriorPayment.first_month, PriorPayment.amounts)))


def test_the_upgrade_records_what_an_earlier_system_paid_for_people_already_imported(db, tmp_path):
    _import(db, tmp_path)
    recorded = _recorded(db)
    assert [(code, first) for _person, code, first, _amounts in recorded] == [("GLBT", M(2025, 7))] * 2
    assert all(len(amounts.split()) == 12 for *_rest, amounts in recorded)
    config = migrate._config()
    with db.engine.connect() as connection:  # a database from before the table: its people imported
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
        connection.commit()
    migrate.upgrade(db.engine)
    assert _recorded(db) == recorded


def test_a_new_import_keeps_what_was_recorded_and_values_only_months_newly_covered(db, tmp_path):
    _import(db, tmp_path)
    before = {code: amounts.split() for _person, code, _first, amounts in _recorded(db)[:1]}
    set_standard(db, ADMIN, "高龄补贴", "80-89", "960", date(2025, 1, 1))
    rows = [roster_row(身份证号=MIGRATED, 起始月份="2025-06", 已发放至="2026-08")]
    import_roster(db, CLERK, write_rows(tmp_path / "again.xlsx", rows), today=TODAY)
    person, code, first, amounts = next(row for row in _recorded(db) if row[0] == _recorded(db)[0][0])
    assert first == M(2025, 9)  # the window before 2026-09
    months = dict(zip(first.until(M(2026, 8)), amounts.split()))
    assert months[M(2026, 6)] == before["GLBT"][-1]  # recorded at 800 a year, kept
    assert months[M(2026, 7)] == str(annual_installment(D(960), 7))  # newly covered: valued now


def test_a_window_reads_an_earlier_systems_payments_through_their_last_month(db, tmp_path):
    """The database picks the records that reach into a run's window: one ending in the window's
    first month is read, one ending the month before is not needed."""
    from workbench.store.ledger import held_in_window

    _import(db, tmp_path)
    with db.unit_of_work(ADMIN) as uow:
        records = uow.session.execute(select(PriorPayment.person_id, PriorPayment.first_month, PriorPayment.amounts)).all()
        assert len(records) == 2
        for person_id, first, amounts in records:
            last = first + (len(amounts.split()) - 1)
            assert last == M(2026, 6)
            assert [code for code, _, _ in held_in_window(uow, last, {person_id}).openings[person_id]] == ["GLBT"]
            assert held_in_window(uow, first, {person_id}).paid(person_id)[("GLBT", last)].opening
            assert person_id not in held_in_window(uow, last + 1, {person_id}).openings
