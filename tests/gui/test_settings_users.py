"""设置 → 用户管理: an administrator lists, adds, changes, resets and disables users by the form."""
from __future__ import annotations

import pytest

from tests.conftest import ADMIN, CLERK, TODAY
from tests.helpers import roster_row, write_rows
from workbench.domain.errors import AuthenticationFailed
from workbench.gui.settings_page import SettingsPage
from workbench.services.accounts import authenticate, list_users
from workbench.services.roster_import import import_roster


def rows_of(table):
    return [tuple(table.item(row, column).text() for column in range(table.columnCount())) for row in range(table.rowCount())]


def test_an_administrator_manages_users_in_settings(sqlite_db, tmp_path, qtbot, answers):
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row(乡镇="润城镇")]), today=TODAY)
    page = SettingsPage(sqlite_db, ADMIN)
    qtbot.addWidget(page)
    assert rows_of(page.users_table) == [("admin", "管理员", "待设密码", "全县")]
    page.name_edit.setText("小王")
    page.role_box.setCurrentText("经办")
    page.townships_edit.setText("润城镇")
    page.password_edit.setText("xiaowang-1")
    page.add_button.click()
    assert "已新增用户「小王」" in page.result.text(), answers.messages
    assert rows_of(page.users_table)[-1] == ("小王", "经办", "正常", "润城镇")
    assert authenticate(sqlite_db, "小王", "xiaowang-1").townships == ("润城镇",)

    page.users_table.selectRow(1)
    assert page.name_edit.text() == "小王" and page.townships_edit.text() == "润城镇"
    page.role_box.setCurrentText("审核")
    page.townships_edit.clear()
    page.change_button.click()
    assert rows_of(page.users_table)[-1] == ("小王", "审核", "正常", "全县")
    page.users_table.selectRow(1)
    page.reset_button.click()
    assert "重置" in answers.messages[-1][0] and rows_of(page.users_table)[-1][2] == "待设密码"
    page.users_table.selectRow(1)
    page.disable_button.click()
    assert rows_of(page.users_table)[-1][2] == "已停用"
    with pytest.raises(AuthenticationFailed):
        authenticate(sqlite_db, "小王", "anything-1")

    # A refusal is said in Chinese and changes nothing.
    page.name_edit.setText("系统")
    page.password_edit.setText("secret-12")
    page.add_button.click()
    assert "程序自己使用" in answers.messages[-1][1]
    assert [user.name for user in list_users(sqlite_db, ADMIN)] == ["admin", "小王"]


def test_the_user_group_is_hidden_from_other_roles(sqlite_db, qtbot):
    page = SettingsPage(sqlite_db, CLERK)
    qtbot.addWidget(page)
    assert page.users_table.rowCount() == 0 and not page.users_table.isVisibleTo(page)


def test_a_township_users_window_opens_every_screen_on_their_people(sqlite_db, tmp_path, qtbot, answers):
    from tests.helpers import make_id
    from tests.gui.conftest import open_every_screen
    from workbench.gui.main_window import MainWindow
    from workbench.services.accounts import add_user
    from workbench.services.payout import approve_month, run_month
    from workbench.domain.month import Month
    from datetime import date

    rows = [roster_row(乡镇="润城镇", 起始月份="2026-10"),
            roster_row(姓名="李秀英", 身份证号=make_id(date(1940, 2, 2), 22), 出生日期="1940-02-02", 性别="女",
                       乡镇="凤城镇", 起始月份="2026-10")]
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(sqlite_db, CLERK, Month(2026, 10))
    approve_month(sqlite_db, ADMIN, Month(2026, 10))
    add_user(sqlite_db, ADMIN, "小王", "经办", "xiaowang-1", townships=["润城镇"])
    town = authenticate(sqlite_db, "小王", "xiaowang-1")
    window = MainWindow(sqlite_db, town)
    qtbot.addWidget(window)
    open_every_screen(window)
    roster = window.page("花名册")
    qtbot.waitUntil(lambda: not roster.loading, timeout=30_000)
    assert roster.model.total() == 1 and roster.model.table.names == ["王德福"]
    payout = window.page("月度发放")
    qtbot.waitUntil(lambda: not payout.loading)
    assert {payout.model.line(row).name for row in range(payout.model.rowCount())} == {"王德福"}
    assert not payout.run_button.isEnabled() and "县级用户" in payout.run_button.toolTip()
    assert "县级用户" in window.page("报表").summary.text()  # said on the screen, not a crash
