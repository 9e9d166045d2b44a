"""Every main screen on a demo county: built, drawn and saved as a picture; the standards screen's
preview before saving; reports; the audit log; cancelling a long run leaves nothing written."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QImage

from tests.conftest import ADMIN, CLERK, REVIEWER
from tests.gui.conftest import SCREENSHOTS, distinct_colours, open_every_screen
from workbench.domain.month import Month
from workbench.gui.main_window import SCREENS, MainWindow
from workbench.gui.tasks import Task
from workbench.services.demo import build_demo
from workbench.services.payout import month_status, run_month

THIS_MONTH = Month.of(date.today())


@pytest.fixture(scope="module")
def demo_county(tmp_path_factory):
    """A demo county of 1,500 people with this month run and approved (shared by this module's tests)."""
    from workbench.bootstrap import open_database

    folder = tmp_path_factory.mktemp("demo")
    db = open_database(str(folder / "demo.db"))
    build_demo(db, folder / "files", people=1500)
    yield db
    db.close()


def test_each_main_screen_is_drawn_and_saved(demo_county, qtbot, answers):
    window = MainWindow(demo_county, ADMIN)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: not window.page("花名册").loading, timeout=30_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for row, name in enumerate(SCREENS):
        window.nav.setCurrentRow(row)
        assert window.current_page() is window.page(name)
        path = SCREENSHOTS / f"{row + 1}_{name}.png"
        assert window.grab().save(str(path))
        image = QImage(str(path))
        assert image.width() >= 1200 and distinct_colours(image) > 8, name
    roster = window.page("花名册")
    from workbench.gui.person_dialog import PersonDialog

    from workbench.services.roster_views import person_detail

    person_id = roster.model.person_id(0)
    form = PersonDialog(demo_county, ADMIN, person_id)
    qtbot.addWidget(form)
    form.show()
    assert form.grab().save(str(SCREENSHOTS / "9_人员信息.png"))
    detail = person_detail(demo_county, ADMIN, person_id)
    assert detail.enrollments and form.facts_table.rowCount() == len(detail.facts) >= 1
    assert form.enrollments_table.rowCount() == len(detail.enrollments)
    from workbench.services.payout import payment_history

    history = payment_history(demo_county, ADMIN, person_id)
    assert form.payments_table.rowCount() == len(history) > 0  # "why did my mother get less this month?"
    assert form.payments_table.item(0, 0).text() == str(history[-1].batch_month)
    assert form.accounts_table.rowCount() == len(detail.accounts) >= 1
    assert roster.model.total() == 1500
    qtbot.waitUntil(lambda: not window.page("月度发放").loading)
    assert "已导出" in window.page("月度发放").state_label.text()
    reports = window.page("报表")
    assert reports.figures is not None
    year_chart = reports.views[0].chart()
    assert len(year_chart.axes()[0].categories()) == 12  # the whole year, January to December
    assert year_chart.axes()[1].titleText() in ("元", "万元") and year_chart.series()[0].labelsPrecision() >= 10
    legend = [marker.label() for marker in reports.views[3].chart().legend().markers()]
    assert legend and all(" 人, " in label and label.endswith(" 元") for label in legend)
    assert window.page("操作日志").table.rowCount() > 0


def test_the_window_fits_a_1024x700_monitor_on_every_screen(demo_county, qtbot, answers, monkeypatch):
    long_folder = "本机数据库 " + "C:/Users/民政局养老服务股经办人员/AppData/Local/" * 3
    monkeypatch.setattr(type(demo_county), "description", property(lambda _db: long_folder))
    window = MainWindow(demo_county, ADMIN)
    qtbot.addWidget(window)
    open_every_screen(window)
    needed = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert needed.width() <= 1024 and needed.height() <= 700, needed
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1024, 700))
    for row, name in enumerate(SCREENS):
        window.nav.setCurrentRow(row)
        frame = window.stack.currentWidget()
        # What does not fit scrolls: the screen keeps its own minimum size inside the frame.
        page = window.page(name)
        assert page.width() >= page.minimumSizeHint().width() and page.height() >= page.minimumSizeHint().height(), name
        assert frame.width() <= 1024 - window.nav.width()


def test_a_new_standard_is_previewed_before_it_is_saved(demo_county, qtbot, answers):
    window = MainWindow(demo_county, ADMIN)
    qtbot.addWidget(window)
    window.nav.setCurrentRow(5)
    page = window.page("政策标准")
    before = page.standards_table.rowCount()
    page.name_box.setCurrentText("高龄补贴")
    page.key_box.setCurrentText("80-89")
    page.amount_edit.setText("960")
    first = THIS_MONTH.first_day()
    page.from_edit.setDate(QDate(first.year, first.month, 1))
    assert not page.save_button.isEnabled() and page.save_button.toolTip() == "请先预览影响"
    page.preview_button.click()
    qtbot.waitUntil(lambda: page.save_button.isEnabled(), timeout=30_000)
    assert f"涉及已发放的 {THIS_MONTH} 至 {THIS_MONTH}" in page.preview_label.text()
    assert "需补发" in page.preview_label.text()
    page.amount_edit.setText("970")  # a change after the preview asks for a new one
    assert not page.save_button.isEnabled()
    page.amount_edit.setText("960")
    page.preview_button.click()
    qtbot.waitUntil(lambda: page.save_button.isEnabled(), timeout=30_000)
    page.save_button.click()
    assert page.standards_table.rowCount() == before + 1
    assert "自" in page.preview_label.text() and "960" in page.preview_label.text()


def test_a_clerk_cannot_enter_standards(demo_county, qtbot):
    window = MainWindow(demo_county, CLERK)
    qtbot.addWidget(window)
    page = window.page("政策标准")
    assert not page.amount_edit.isEnabled() and not page.preview_button.isEnabled()


def test_cancelling_a_run_writes_nothing(sqlite_db, qtbot, tmp_path):
    from tests.helpers import roster_row, write_rows
    from workbench.services.roster_import import import_roster

    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2026-10")]))
    task = Task(lambda progress: run_month(sqlite_db, CLERK, Month(2026, 10), progress=progress))
    task.cancel()
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        task.start()
    task.wait()
    assert month_status(sqlite_db, CLERK, Month(2026, 10)).state is None
    finished = Task(lambda progress: run_month(sqlite_db, CLERK, Month(2026, 10), progress=progress))
    with qtbot.waitSignal(finished.succeeded, timeout=10_000):
        finished.start()
    finished.wait()
    assert month_status(sqlite_db, CLERK, Month(2026, 10)).state == "草稿"


def test_audit_log_screen_filters_by_user_and_text(demo_county, qtbot):
    window = MainWindow(demo_county, ADMIN)
    qtbot.addWidget(window)
    page = window.page("操作日志")
    everyone = page.table.rowCount()
    page.user_box.setCurrentText("演示审核员")
    page.refresh()
    users = {page.table.item(row, 1).text() for row in range(page.table.rowCount())}
    assert users == {"演示审核员"} and page.table.rowCount() < everyone
    page.user_box.setCurrentIndex(0)
    page.text_edit.setText("审批发放")
    page.refresh()
    assert page.table.rowCount() >= 1
    assert {page.table.item(row, 3).text() for row in range(page.table.rowCount())} == {"审批发放"}


def test_first_start_offers_the_demo_county(tmp_path, qtbot, answers, monkeypatch):
    from workbench.bootstrap import open_database
    from workbench.gui import app
    from workbench.store.migrate import SchemaState

    monkeypatch.setattr(app, "DEMO_PEOPLE", 300)
    db = open_database(str(tmp_path / "new.db"))
    assert db.state is SchemaState.EMPTY
    ready = []
    assert app.prepare_empty_database(db, lambda: ready.append(True)) == "running"
    qtbot.waitUntil(lambda: ready == [True], timeout=60_000)
    assert "演示县" in answers.messages[0][1]
    db.close()
    db = open_database(str(tmp_path / "new.db"))
    window = MainWindow(db, ADMIN)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.page("花名册").loading, timeout=20_000)
    assert window.page("花名册").model.total() == 300
    db.close()


def test_first_start_without_the_demo_creates_an_empty_database(tmp_path, qtbot, answers):
    from workbench.bootstrap import open_database
    from workbench.gui import app
    from workbench.store.migrate import SchemaState

    answers.confirm = False
    db = open_database(str(tmp_path / "empty.db"))
    assert app.prepare_empty_database(db, lambda: None) == "cancelled"  # no policy chosen: nothing made
    assert db.state is SchemaState.EMPTY
    answers.files["首次使用"] = "jincheng-chengqu"
    assert app.prepare_empty_database(db, lambda: None) == "ready"
    db.close()
    db = open_database(str(tmp_path / "empty.db"))
    assert db.state is SchemaState.CURRENT
    db.close()


def test_window_remembers_its_geometry_and_uses_the_bundled_font(sqlite_db, qtbot):
    from PySide6.QtWidgets import QApplication

    assert QApplication.font().family() == "WenQuanYi Micro Hei"
    window = MainWindow(sqlite_db, ADMIN)
    qtbot.addWidget(window)
    window.show()
    window.resize(790, 540)
    window.close()
    again = MainWindow(sqlite_db, ADMIN)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (790, 540)


def test_two_forms_on_one_person_the_later_save_is_refused(demo_county, qtbot):
    from workbench.gui.person_dialog import PersonDialog
    from workbench.services.roster_views import roster_table

    person_id = roster_table(demo_county, ADMIN).person_ids[3]
    first, second = PersonDialog(demo_county, ADMIN, person_id), PersonDialog(demo_county, ADMIN, person_id)
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    for form, phone in ((first, "13911110000"), (second, "13922220000")):
        form.change_field.setCurrentText("联系电话")
        form.change_value.setEditText(phone)
        form.change_button.click()
    assert first.message.text().startswith("已记录")
    assert "请重新打开" in second.message.text() and "已重新载入" in second.message.text()
    assert second.fields["联系电话"].text() == "13911110000"  # the form now shows the other save
    second.change_value.setEditText("13922220000")
    second.change_button.click()  # and, reloaded, may record
    assert second.message.text().startswith("已记录")


def test_the_window_backs_up_the_embedded_database_at_start(sqlite_db):
    from workbench.gui.app import start_backup
    from workbench.paths import data_dir

    start_backup(sqlite_db).join(timeout=30)
    [made] = (data_dir() / "backups").glob("workbench-*-start.db")
    import sqlite3

    with sqlite3.connect(made) as connection:
        assert connection.execute("SELECT count(*) FROM audit_log").fetchone()[0] > 0
    connection.close()


def test_an_idle_window_locks_until_the_users_password(sqlite_db, qtbot):
    from workbench.services.accounts import authenticate

    authenticate(sqlite_db, "admin", "admin-secret")
    window = MainWindow(sqlite_db, ADMIN, idle_milliseconds=300)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    assert not window.stack.isVisible() and not window.nav.isEnabled() and window.lock_panel.isVisible()
    qtbot.keyClicks(window.lock_panel.password, "wrong-one")
    window.lock_panel.unlock()
    assert window.locked and "用户名或密码错误" in window.lock_panel.message.text()
    qtbot.keyClicks(window.lock_panel.password, "admin-secret")
    window.lock_panel.unlock()
    assert not window.locked and window.stack.isVisible() and window.nav.isEnabled()


def test_settings_point_the_installation_at_a_shared_server(pg_db_factory, sqlite_db, qtbot, memory_keyring):
    from sqlalchemy.engine import make_url

    from workbench.connection import configured_server
    from workbench.gui.settings_page import SettingsPage

    server = make_url(pg_db_factory().url)
    page = SettingsPage(sqlite_db, ADMIN)
    qtbot.addWidget(page)
    page.host_edit.setText(server.host)
    page.port_edit.setText(str(server.port or 5432))
    page.database_edit.setText("no_such_database_here")
    page.login_edit.setText(server.username)
    page.secret_edit.setText("pw-for-the-store")
    page.save_server_button.click()
    assert "连接失败" in page.result.text() and configured_server() is None
    page.database_edit.setText(server.database)
    page.save_server_button.click()
    assert "已设为使用共享服务器" in page.result.text(), page.result.text()
    assert "pw-for-the-store" not in page.result.text() and page.secret_edit.text() == ""
    assert list(memory_keyring.saved.values()) == ["pw-for-the-store"]
    assert make_url(configured_server()).database == server.database
    page.local_button.click()
    assert configured_server() is None


def test_a_save_on_another_pc_refreshes_the_open_screen(pg_db_factory, qtbot, tmp_path):
    from dataclasses import replace

    from tests.helpers import roster_row, write_rows
    from workbench.services.roster_import import import_roster

    db = pg_db_factory()
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2026-10")]))
    window = MainWindow(db, REVIEWER)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(2)
    payout = window.page("月度发放")
    payout.month_edit.setDate(QDate(2026, 10, 1))
    qtbot.waitUntil(lambda: not payout.loading)
    assert "尚未计算" in payout.state_label.text()
    qtbot.waitUntil(lambda: window.listener.listening, timeout=10_000)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    other_pc = replace(db, installation="财务室电脑/0a1b2c3d")
    run_month(other_pc, CLERK, Month(2026, 10))
    qtbot.waitUntil(lambda: "草稿" in payout.state_label.text(), timeout=10_000)
    assert "财务室电脑" in window.statusBar().currentMessage() and "计算发放" in window.statusBar().currentMessage()
    run_month(db, CLERK, Month(2026, 10))  # a save from this PC's own installation is not announced
    third_pc = replace(db, installation="民政办电脑/9f8e7d6c")
    run_month(third_pc, CLERK, Month(2026, 10))  # announced after the own save, if that were announced
    qtbot.waitUntil(lambda: "民政办电脑" in window.statusBar().currentMessage(), timeout=10_000)
    announced = [message for message in shown if "刚刚" in message]
    assert [message.split(" ")[0] for message in announced] == ["财务室电脑", "民政办电脑"], announced
    window.close()


def test_about_shows_the_version_from_pyproject(sqlite_db, qtbot, monkeypatch):
    import tomllib

    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window = MainWindow(sqlite_db, ADMIN)
    qtbot.addWidget(window)
    window.show_about()
    version = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]["version"]
    assert f"版本 {version}" in shown[0]


def test_settings_choose_the_printing_font(sqlite_db, qtbot, windows_fonts, tmp_path, monkeypatch):
    from workbench.documents import fonts
    from workbench.gui import common
    from workbench.gui.settings_page import SettingsPage

    warnings = []
    monkeypatch.setattr(common, "warn", lambda parent, title, text: warnings.append(text))
    page = SettingsPage(sqlite_db, CLERK)
    qtbot.addWidget(page)
    assert [page.font_box.itemText(index) for index in range(page.font_box.count())] == [fonts.BUNDLED, "仿宋", "黑体"]
    assert page.font_box.currentText() == fonts.BUNDLED
    page.font_box.setCurrentText("仿宋")
    page.font_button.click()
    assert warnings and "TrueType" in warnings[0] and fonts.chosen() == fonts.BUNDLED
    page.font_box.setCurrentText("黑体")
    page.font_button.click()
    assert fonts.chosen() == "黑体" and "黑体" in page.result.text()
    again = SettingsPage(sqlite_db, CLERK)
    qtbot.addWidget(again)
    assert again.font_box.currentText() == "黑体"  # remembered for this user


def test_settings_without_windows_fonts_offer_the_bundled_one(sqlite_db, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QLabel

    from workbench.documents import fonts
    from workbench.gui.settings_page import SettingsPage

    monkeypatch.setenv("WORKBENCH_FONTS_DIR", str(tmp_path / "none"))
    page = SettingsPage(sqlite_db, CLERK)
    qtbot.addWidget(page)
    assert page.font_box.count() == 1 and page.font_box.currentText() == fonts.BUNDLED
    assert any("只能使用程序自带字体" in label.text() for label in page.findChildren(QLabel))


def test_the_window_starts_without_the_other_screens_modules(sqlite_db):
    """The main window imports the roster's screen only; each other screen's module (the printing
    and the reports they bring) is imported when that screen is first opened."""
    import subprocess
    import sys

    from workbench.gui.main_window import _PAGES

    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from workbench.bootstrap import open_database\n"
        "from workbench.domain.actor import Actor\n"
        "from workbench.gui.main_window import MainWindow\n"
        "app = QApplication([])\n"
        "window = MainWindow(open_database(sys.argv[1]), Actor('admin', '管理员'))\n"
        "window.show()\n"
        "app.processEvents()\n"
        "print(' '.join(sorted(name for name in sys.modules if name.startswith('workbench.gui.'))))\n"
        "window.page('花名册').shutdown()\n"
        "window.close()\n"
    )
    started = subprocess.run([sys.executable, "-c", script, str(sqlite_db.sqlite_file)], capture_output=True,
                             text=True, timeout=120)
    assert started.returncode == 0, started.stderr[-2000:]
    imported = set(started.stdout.split())
    screens = {module for module, _ in _PAGES.values()}
    assert "workbench.gui.roster_page" in imported
    assert not (screens - {"workbench.gui.roster_page"}) & imported, sorted(imported & screens)
