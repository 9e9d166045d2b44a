"""The person form: recording a death shows the recoveries it causes first, the same figures the next
run writes, and records nothing when the clerk says no; a bank account change says old and new."""
from __future__ import annotations

from decimal import Decimal

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import roster_row, write_rows
from workbench.domain.month import Month
from workbench.gui.person_dialog import PersonDialog
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.roster_views import person_detail, person_id_of
from workbench.services.roster_import import import_roster


def test_a_death_is_confirmed_with_its_recoveries_first(sqlite_db, tmp_path, qtbot, answers):
    row = roster_row(起始月份="2026-08")
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", [row]), today=TODAY)
    for month in (Month(2026, 8), Month(2026, 9), Month(2026, 10)):
        run_month(sqlite_db, CLERK, month)
        approve_month(sqlite_db, REVIEWER, month)
    person_id = person_id_of(sqlite_db, ADMIN, row["身份证号"])
    form = PersonDialog(sqlite_db, CLERK, person_id)
    qtbot.addWidget(form)
    form.change_field.setCurrentText("死亡日期")
    form.change_value.setEditText("2026-08-15")
    answers.confirm = False
    form.change_button.click()
    question = answers.messages[-1][1]
    assert "2026-09、2026-10" in question and "133.34 元" in question, question  # September and October, paid after the death
    assert person_detail(sqlite_db, ADMIN, person_id).death_date is None  # "no": nothing recorded

    answers.confirm = True
    form.change_button.click()
    assert person_detail(sqlite_db, ADMIN, person_id).death_date is not None
    run_month(sqlite_db, CLERK, Month(2026, 11))
    recovered = sum(line.amount for line in show_month(sqlite_db, ADMIN, Month(2026, 11)) if line.kind == "追回")
    assert recovered == Decimal("-133.34")  # what the form said

    form.change_field.setCurrentText("银行账号")
    form.change_value.setEditText("6228480011119999")
    form.change_button.click()
    assert "2333 改为" in form.message.text() and form.message.text().endswith("9999")  # old and new, masked
    assert "6228480011119999" not in form.message.text()

    run_month(sqlite_db, CLERK, Month(2026, 11))  # again, after the change of account
    approve_month(sqlite_db, REVIEWER, Month(2026, 11))  # the recoveries are now owed: the form says so
    form = PersonDialog(sqlite_db, CLERK, person_id)
    qtbot.addWidget(form)
    assert form.history_tabs.tabText(0).endswith("未清追回 133.34 元")
    assert person_detail(sqlite_db, ADMIN, person_id).owing == {"高龄补贴": Decimal("133.34")}
