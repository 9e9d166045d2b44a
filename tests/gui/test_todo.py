"""The 待办 screen on a county with planted cases: its lists, a check recorded from the screen,
a list of checks imported, an allocation entered, the notice list printed, and the counts on the
navigation pane."""
from __future__ import annotations

import threading
import time
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.gui.test_screens import SCREENSHOTS
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.month import Month as M
from workbench.gui.main_window import SCREENS, MainWindow
from workbench.gui.todo_page import TodoPage
from workbench.services import budget
from workbench.services.budget import fund_status
from workbench.services.checks import todo_counts
from workbench.services.liveness import set_deadline, unchecked
from workbench.services.payout import approve_month, run_month
from workbench.services.roster import change_person
from workbench.services.roster_import import import_roster

TURNING_80 = make_id(date(1946, 12, 10), 11)
LONG_ENROLLED = make_id(date(1940, 4, 4), 23)
SECOND = make_id(date(1939, 9, 9), 47)
DIED = make_id(date(1938, 4, 4), 61)


@pytest.fixture
def county(sqlite_db, tmp_path):
    migrated = dict(起始月份="2024-01", 已发放至="2026-07")
    rows = [
        roster_row(姓名="赵八十", 身份证号=TURNING_80, 出生日期="1946-12-10", 享受项目="", 起始月份="", 开户银行="", 银行账号=""),
        roster_row(姓名="钱久领", 身份证号=LONG_ENROLLED, 出生日期="1940-04-04", 银行账号="6231000000000002", **migrated),
        roster_row(姓名="孙二号", 身份证号=SECOND, 出生日期="1939-09-09", 银行账号="6231000000000004", **migrated),
        roster_row(姓名="吴已故", 身份证号=DIED, 出生日期="1938-04-04", 银行账号="6231000000000006", **migrated),
    ]
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=TODAY)
    for month in (M(2026, 8), M(2026, 9)):
        run_month(sqlite_db, CLERK, month)
        approve_month(sqlite_db, REVIEWER, month)
    change_person(sqlite_db, CLERK, DIED, "死亡日期", "2026-08-15", None, today=TODAY)
    set_deadline(sqlite_db, ADMIN, 6)
    return sqlite_db


def open_page(qtbot, db, actor) -> TodoPage:
    page = TodoPage(db, actor, today=TODAY)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.lists is not None, timeout=30_000)
    return page


def texts(table, column):
    return [table.item(row, column).text() for row in range(table.rowCount())]


def test_the_lists_with_their_counts_and_a_check_recorded(county, qtbot, answers, tmp_path):
    page = open_page(qtbot, county, CLERK)
    page.resize(1200, 700)
    page.show()
    assert texts(page.upcoming_table, 2) == ["赵八十"]
    assert ("死亡后仍发放", "吴已故") in zip(texts(page.doubtful_table, 0), texts(page.doubtful_table, 2))
    assert sorted(texts(page.unchecked_table, 1)) == ["孙二号", "钱久领"]
    assert texts(page.unchecked_table, 5) == ["2026-07", "2026-07"]
    assert LONG_ENROLLED not in texts(page.unchecked_table, 0)  # a clerk sees numbers masked
    assert [page.tabs.tabText(index) for index in range(4)] == ["待办提醒 (1)", "疑点核查 (1)", "生存认证 (2)", "专项资金 (1)"]
    assert "每年 6 月底" in page.deadline_label.text()
    page.tabs.setCurrentIndex(2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert page.grab().save(str(SCREENSHOTS / "10_待办_生存认证.png"))

    page.unchecked_table.selectRow(texts(page.unchecked_table, 1).index("钱久领"))
    page.check_method.setCurrentText("视频")
    with qtbot.waitSignal(page.counted, timeout=30_000):
        page.record_button.click()
    assert texts(page.unchecked_table, 1) == ["孙二号"]
    assert "已记录 钱久领" in page.info.text()
    assert [entry.name for entry in unchecked(county, CLERK, 2026, today=TODAY)] == ["孙二号"]

    answers.files["导出待办提醒"] = str(tmp_path / "upcoming.xlsx")
    page.tabs.setCurrentIndex(0)
    page.export_buttons["待办提醒"].click()
    sheet = openpyxl.load_workbook(tmp_path / "upcoming.xlsx").active
    assert [cell.value for cell in sheet[1]][:3] == ["类型", "身份证号", "姓名"] and sheet.cell(2, 3).value == "赵八十"

    answers.files["保存通知单"] = str(tmp_path / "notices.pdf")
    page.notice_button.click()
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "notices.pdf").pages)
    assert "赵八十" in text and TURNING_80 not in text


def test_a_list_of_checks_is_imported_after_the_dry_runs_figures(county, qtbot, answers, tmp_path):
    page = open_page(qtbot, county, CLERK)
    book = openpyxl.Workbook()
    book.active.append(["身份证号", "姓名", "认证日期", "认证方式"])
    book.active.append([SECOND, "孙二号", "2026-05-06", "社保认证"])
    book.save(tmp_path / "checks.xlsx")
    answers.files["导入认证名单"] = str(tmp_path / "checks.xlsx")
    answers.confirm = False
    page.import_button.click()
    assert any("将记录 1 条" in text for _, text in answers.messages)
    assert len(unchecked(county, CLERK, 2026, today=TODAY)) == 2  # declined: nothing written
    answers.confirm = True
    with qtbot.waitSignal(page.counted, timeout=30_000):
        page.import_button.click()
    assert sorted(texts(page.unchecked_table, 1)) == ["钱久领"]


def test_an_administrator_enters_an_allocation_and_a_clerk_cannot(county, qtbot, answers):
    clerk_page = open_page(qtbot, county, CLERK)
    assert not clerk_page.fund_button.isEnabled()
    page = open_page(qtbot, county, ADMIN)
    assert page.record_button.isEnabled() and page.fund_button.isEnabled()
    page.fund_item.setCurrentText("高龄补贴")
    page.fund_source.setCurrentText("上级补助")
    page.fund_amount.setText("1000")
    page.fund_note.setText("晋财社〔2026〕8号")
    with qtbot.waitSignal(page.counted, timeout=30_000):
        page.fund_button.click()
    funds = next(funds for funds in fund_status(county, ADMIN, 2026) if funds.name == "高龄补贴")
    assert funds.budget_by_source == {"上级补助": 1000}
    row = texts(page.fund_table, 0).index("高龄补贴")
    assert page.fund_table.item(row, 2).text() == "1000.00" and page.fund_table.item(row, budget.COLUMNS.index("预警")).text() == ""
    page.fund_amount.setText("abc")
    page.fund_button.click()
    assert any("金额" in text for title, text in answers.messages if title == "录入资金")


def test_the_navigation_shows_the_count_and_opens_the_screen(county, qtbot):
    window = MainWindow(county, CLERK)
    qtbot.addWidget(window)
    row = SCREENS.index("待办")
    expected = todo_counts(county, CLERK).total
    assert expected > 0
    qtbot.waitUntil(lambda: window.nav.item(row).text() == f"待办 ({expected})", timeout=30_000)
    assert "未认证" in window.nav.item(row).toolTip()
    window.nav.setCurrentRow(row)
    page = window.page("待办")
    qtbot.waitUntil(lambda: page.lists is not None, timeout=30_000)
    assert window.current_page() is page
    loaded = page.lists
    window.nav.setCurrentRow(0)
    window.nav.setCurrentRow(row)
    assert page.lists is loaded  # seconds of work on a large county: not redone on every visit
    window.refresh_current()  # F5
    qtbot.waitUntil(lambda: page.lists is not None and page.lists is not loaded, timeout=30_000)


def test_the_count_begins_once_the_roster_is_read(county, qtbot, monkeypatch):
    """The 待办 count waits for the roster screen's reading: two workers beside the screen's thread
    take turns with it for Python's interpreter lock, and the window stalls (a quarter second at
    200,000 people). Closing the window while the roster is read starts no count."""
    from workbench.gui import roster_model

    release = threading.Event()
    read = roster_model.roster_table

    def held(*args, **kwargs):
        assert release.wait(30)
        return read(*args, **kwargs)

    monkeypatch.setattr(roster_model, "roster_table", held)
    window = MainWindow(county, CLERK)
    qtbot.addWidget(window)
    roster = window.page("花名册")
    assert roster.loading and window.counter is None
    release.set()
    qtbot.waitUntil(lambda: not roster.loading, timeout=30_000)
    assert window.counter is not None
    row = SCREENS.index("待办")
    expected = todo_counts(county, CLERK).total
    qtbot.waitUntil(lambda: window.nav.item(row).text() == f"待办 ({expected})", timeout=30_000)

    release.clear()
    closing = MainWindow(county, CLERK)
    qtbot.addWidget(closing)
    reading = closing.page("花名册")
    assert reading.loading
    threading.Timer(0.5, release.set).start()
    with qtbot.waitSignal(reading.loaded, timeout=30_000):  # the reading's end, delivered after the close
        closing.close()  # waits for the roster's reading, which ends after the close
    assert closing.counter is None


def test_closing_the_window_stops_the_count_instead_of_waiting_for_it(county, qtbot, monkeypatch):
    """Closing the window (or logging out) while the 待办 count runs stops the count at its next
    checkpoint; it does not wait for the count's end (half a minute at a prefecture's size). The
    count here is made endless but for its checkpoints."""
    from workbench.services import checks

    started = threading.Event()

    def endless(uow, month, checkpoint):
        started.set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            checkpoint()
            time.sleep(0.01)  # the count's work between two checkpoints
        return []

    monkeypatch.setattr(checks, "_upcoming_entries", endless)
    window = MainWindow(county, CLERK)
    qtbot.addWidget(window)
    qtbot.waitUntil(started.is_set, timeout=30_000)  # the count begins once the roster is read
    counter = window.counter
    began = time.monotonic()
    window.close()
    assert time.monotonic() - began < 10  # the count runs for 20 s unless it is stopped
    assert counter.isFinished()
    assert window.nav.item(SCREENS.index("待办")).text() == "待办"  # no figure from a stopped count


def test_closing_the_window_stops_a_screens_work_and_says_nothing_of_it(county, qtbot, monkeypatch, answers):
    """The 待办 lists being read when the window closes are stopped and waited for: a thread still
    running when the program ends makes Qt abort the program. Nothing is said of the stopped work
    (no "已取消" box while the window closes)."""
    from PySide6.QtWidgets import QApplication

    from workbench.services import checks

    started = threading.Event()

    def endless(db, actor, *, today=None, masked=False, checkpoint):
        started.set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            checkpoint()
            time.sleep(0.01)  # the lists' work between two checkpoints
        return []

    monkeypatch.setattr(checks, "upcoming", endless)
    window = MainWindow(county, CLERK)
    qtbot.addWidget(window)
    page = window.page("待办")
    assert started.wait(30)
    task = page.task
    began = time.monotonic()
    window.close()
    assert time.monotonic() - began < 10  # the lists take 20 s unless they are stopped
    assert task.isFinished()
    QApplication.processEvents()
    assert answers.messages == [] and page.lists is None


def test_the_recovery_ledger_lists_what_is_owed_and_records_a_refund(county, qtbot, answers):
    run_month(county, CLERK, M(2026, 10))
    approve_month(county, REVIEWER, M(2026, 10))  # 吴已故's September taken back
    page = open_page(qtbot, county, CLERK)
    assert page.tabs.tabText(4) == "追回台账 (1)"
    assert texts(page.recovery_table, 1) == ["吴已故"]
    owed = page.recovery_table.item(0, 9).text()
    assert "未清 " + owed + " 元" in page.recovery_totals.text()
    page.tabs.setCurrentIndex(4)
    page.resize(1200, 700)
    page.show()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert page.grab().save(str(SCREENSHOTS / "11_待办_追回台账.png"))
    page.recovery_table.selectRow(0)
    page.clear_amount.setText(owed)
    page.clear_note.setText("收据 0007")
    with qtbot.waitSignal(page.counted, timeout=30_000):
        page.clear_button.click()
    assert page.recovery_table.rowCount() == 0
    assert "已记录 吴已故 的退回" in page.info.text()
    assert page.tabs.tabText(4) == "追回台账 (0)"
