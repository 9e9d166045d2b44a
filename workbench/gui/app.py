"""Starting the desktop program: the database, a first-start offer of the demo county, login, window."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from workbench.bootstrap import UNVERSIONED_MESSAGE, Database, SchemaState, open_database
from workbench.domain.errors import WorkbenchError
from workbench.gui import common
from workbench.gui.collector import install_collector
from workbench.faults import quiet_unraisable
from workbench.gui.style import configure
from workbench.gui.tasks import run_task
from workbench.paths import data_dir
from workbench.settings import LANGUAGE
from workbench.gui.i18n import tr

DEMO_PEOPLE = 20_000


def prepare_empty_database(db: Database, on_ready, parent=None) -> str:
    """A new embedded database: load the demo county (on a worker thread; `on_ready` runs when it is
    in), or start empty with a chosen policy. Returns "running", "ready" or "cancelled"."""
    from workbench.services.demo import build_demo
    from workbench.services.policy import preset_names
    from workbench.services.setup import initialize

    if common.confirm(parent, tr("首次使用"), tr('这是一个新的数据库。\n\n是否载入演示县 (约 {0:,} 位老人的模拟数据) 以便熟悉操作?\n选择「否」将创建空数据库。').format(DEMO_PEOPLE)):
        out = data_dir() / "演示文件"
        run_task(parent, tr("正在生成演示县"), lambda progress: build_demo(db, out, people=DEMO_PEOPLE, progress=progress),
                 lambda _report: on_ready())
        return "running"
    chosen = common.choose(parent, tr("首次使用"), tr("选择本县的政策:"), preset_names())
    if chosen is None:
        return "cancelled"
    initialize(db, chosen)
    return "ready"


def last_word(kind, problem, trace) -> None:
    """Any failure nothing else caught (in a button's handler, say): the traceback to the log, one
    Chinese line on the screen, and the program goes on."""
    from workbench.faults import report_fault

    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, problem, trace)
        return
    problem.__traceback__ = trace
    message = str(problem) if isinstance(problem, WorkbenchError) else report_fault(problem, "窗口操作")
    QMessageBox.critical(QApplication.activeWindow(), tr("操作没有完成"), message)


def main(url: str | None = None) -> int:
    """The program: returns its exit code."""
    from workbench import __version__
    from workbench.logs import setup_logging

    log = setup_logging()
    log.info("窗口程序启动 (workbench %s)", __version__)
    app = QApplication.instance() or QApplication(sys.argv)
    sys.excepthook = last_word
    quiet_unraisable()
    configure(app, LANGUAGE.value())
    collector = install_collector(app)  # noqa: F841 - kept for the program's life
    try:
        db = open_database(url)
        state = db.state
    except WorkbenchError as problem:
        QMessageBox.critical(None, tr("无法打开数据库"), str(problem))
        return 1
    windows = []

    def log_in(leaving=None) -> bool:
        """Ask who works now and open their window; `leaving` is the window of the user who logged out,
        hidden meanwhile and closed once the next user is in (or the program ends)."""
        from workbench.gui.login import LoginDialog
        from workbench.gui.main_window import MainWindow

        dialog = LoginDialog(db)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted:
            window = MainWindow(db, dialog.actor)
            window.switch_user.connect(lambda: switch_user(window))
            windows.append(window)
            window.show()
        dialog.deleteLater()
        if leaving is not None:
            leaving.close()
            windows.remove(leaving)
            leaving.deleteLater()
        return accepted

    def switch_user(window) -> None:
        window.hide()
        if not log_in(leaving=window):
            app.quit()

    if state is SchemaState.EMPTY and not db.is_shared:
        outcome = prepare_empty_database(db, lambda: log_in() or app.quit())
        if outcome == "cancelled" or (outcome == "ready" and not log_in()):
            return 0
    elif state is SchemaState.UNVERSIONED:
        QMessageBox.critical(None, tr("无法使用该数据库"), tr(UNVERSIONED_MESSAGE))
        return 1
    elif state in (SchemaState.BEHIND, SchemaState.EMPTY):
        QMessageBox.critical(None, tr("数据库需要升级"), tr("数据库尚未初始化或版本较旧, 请管理员运行 workbench init"))
        return 1
    else:
        start_backup(db)
        if not log_in():
            return 0
    code = app.exec()
    from workbench.gui.tasks import stop_tasks

    stop_tasks()  # work of a dialog outside the windows: stopped before the program ends
    return code


def start_backup(db: Database):
    """The embedded database backed up at every start (`backup_at_start` decides whether there is
    one to make), off the screen's thread; the program waits for it before it exits."""
    import threading

    from workbench.services.maintenance import backup_at_start

    worker = threading.Thread(target=backup_at_start, args=(db,), name="backup")
    worker.start()
    return worker
