"""The main window: a navigation pane of the screens, the screen, and a status bar naming the
database, the user and the role. Screens are built when first opened, so the window starts fast."""
from __future__ import annotations

from importlib import import_module
from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow, QMessageBox,
    QPushButton, QScrollArea, QSizePolicy, QStackedWidget, QStyle, QVBoxLayout, QWidget,
)

from workbench import __version__
from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.errors import WorkbenchError
from workbench.gui.i18n import tr
from workbench.settings import WINDOW_GEOMETRY

# The screens by their Chinese names (the keys); shown through tr().
SCREENS = (
    QT_TRANSLATE_NOOP("", "花名册"), QT_TRANSLATE_NOOP("", "申请审批"), QT_TRANSLATE_NOOP("", "月度发放"),
    QT_TRANSLATE_NOOP("", "银行回盘"), QT_TRANSLATE_NOOP("", "报表"), QT_TRANSLATE_NOOP("", "政策标准"),
    QT_TRANSLATE_NOOP("", "操作日志"), QT_TRANSLATE_NOOP("", "设置"), QT_TRANSLATE_NOOP("", "待办"),
)
TODO = "待办"
_ICONS = (
    QStyle.StandardPixmap.SP_FileDialogDetailedView, QStyle.StandardPixmap.SP_DialogApplyButton,
    QStyle.StandardPixmap.SP_BrowserReload, QStyle.StandardPixmap.SP_ArrowBack,
    QStyle.StandardPixmap.SP_FileDialogContentsView, QStyle.StandardPixmap.SP_FileDialogInfoView,
    QStyle.StandardPixmap.SP_FileDialogListView, QStyle.StandardPixmap.SP_ComputerIcon,
    QStyle.StandardPixmap.SP_MessageBoxInformation,
)


# Where each screen's class is, imported when the screen is first opened: the window's start
# imports only the roster's screen, not the printing and report modules the others need.
_PAGES = dict(zip(SCREENS, (
    ("workbench.gui.roster_page", "RosterPage"), ("workbench.gui.approvals_page", "ApprovalsPage"),
    ("workbench.gui.payout_page", "PayoutPage"), ("workbench.gui.bank_return_page", "BankReturnPage"),
    ("workbench.gui.reports_page", "ReportsPage"), ("workbench.gui.policy_page", "PolicyPage"),
    ("workbench.gui.audit_page", "AuditPage"), ("workbench.gui.settings_page", "SettingsPage"),
    ("workbench.gui.todo_page", "TodoPage"),
)))


def page_class(name: str) -> Callable[[Database, Actor], QWidget]:
    """The class of the screen called `name` (one of SCREENS)."""
    module, attribute = _PAGES[name]
    return getattr(import_module(module), attribute)


def _scrolled(page: QWidget) -> QScrollArea:
    """The screen inside a frame that scrolls when the window is smaller than the screen needs (a
    1024x700 monitor), so that no screen sets the window's minimum size."""
    frame = QScrollArea()
    frame.setWidgetResizable(True)
    frame.setFrameShape(QScrollArea.Shape.NoFrame)
    frame.setWidget(page)
    return frame


IDLE_MINUTES = 15  # the window locks after this long without a key or mouse press


class IdleWatch(QObject):
    """Counts time without the user's hand on keyboard or mouse; calls `on_idle` when it runs out."""

    def __init__(self, milliseconds: int, on_idle, parent=None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(milliseconds)
        self.timer.timeout.connect(on_idle)
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            self.timer.start()
        return False


class LockPanel(QWidget):
    """Shown instead of the screens while the window is locked: the same user's password opens it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.unlock)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        button = QPushButton(tr("解锁(&U)"))
        button.clicked.connect(self.unlock)
        form = QFormLayout()
        form.addRow(tr("密码"), self.password)
        layout = QVBoxLayout(self)
        layout.addStretch()
        self.title = QLabel()
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(button)
        layout.addWidget(self.message)
        layout.addStretch()

    def unlock(self) -> None:
        from workbench.services.accounts import authenticate

        try:
            authenticate(self.window.db, self.window.actor.name, self.password.text())
        except WorkbenchError as problem:
            self.message.setText(str(problem))
            self.password.clear()
            return
        self.password.clear()
        self.message.clear()
        self.window.unlock()


class MainWindow(QMainWindow):
    switch_user = Signal()  # 注销: the user leaves; the program asks who logs in next

    def __init__(self, db: Database, actor: Actor, *, idle_milliseconds: int = IDLE_MINUTES * 60_000) -> None:
        super().__init__()
        self.db, self.actor = db, actor
        self.title = tr('县民政局老年人补贴工作台 {0} · {1}').format(__version__, actor.name)
        self.setWindowTitle(self.title)
        self.pages: dict[str, QWidget] = {}
        self.nav = QListWidget()
        self.nav.setIconSize(QSize(20, 20))
        for index, name in enumerate(SCREENS):
            item = QListWidgetItem(self.style().standardIcon(_ICONS[index]), tr(name))
            item.setToolTip(f"{name} (Ctrl+{index + 1})")
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        self.nav.setFixedWidth(150)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.show_screen)
        for index, name in enumerate(SCREENS):
            action = QAction(tr(name), self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, row=index: self.nav.setCurrentRow(row))
            self.addAction(action)
        about = QAction(tr("关于"), self)
        about.setShortcut(QKeySequence.StandardKey.HelpContents)
        about.triggered.connect(self.show_about)
        self.addAction(about)
        refresh = QAction(tr("刷新"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_current)
        self.addAction(refresh)
        log_out = QAction(tr("注销 / 切换用户"), self)
        log_out.setShortcut(QKeySequence("Ctrl+Shift+L"))
        log_out.triggered.connect(self.switch_user.emit)
        self.addAction(log_out)
        leave = QAction(tr("退出"), self)
        leave.setShortcut(QKeySequence("Ctrl+Q"))
        leave.triggered.connect(self.close)
        self.addAction(leave)
        bar = self.statusBar()
        self.database_label = QLabel(db.description)
        self.database_label.setToolTip(db.description)
        # A long folder path is cut off at the window's edge instead of widening the window.
        self.database_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.user_label = QLabel(tr('用户: {0}  角色: {1}').format(actor.name, actor.role))
        bar.addWidget(self.database_label, 1)
        bar.addPermanentWidget(self.user_label)
        switch = QPushButton(tr("注销"))
        switch.setFlat(True)
        switch.setToolTip(tr("注销并切换用户 (Ctrl+Shift+L)"))
        switch.clicked.connect(self.switch_user.emit)
        bar.addPermanentWidget(switch)
        self.resize(1200, 760)
        geometry = QSettings().value(WINDOW_GEOMETRY.key)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.nav.setCurrentRow(0)
        self.lock_panel = LockPanel(self)
        self.lock_panel.hide()
        layout.addWidget(self.lock_panel, 1)
        self.locked = False
        self.idle = IdleWatch(idle_milliseconds, self.lock, self)
        self.counter = None
        self.closed = False
        first = self.pages.get(SCREENS[0])
        if getattr(first, "loading", False):
            # Counted once the roster is in: two workers beside the screen's thread take turns with
            # it for Python's interpreter lock, and the window would stall for a quarter second.
            first.loaded.connect(self.count_todo, Qt.ConnectionType.SingleShotConnection)
        else:
            self.count_todo()
        self.listener = None
        if db.is_shared:
            from workbench.gui.notifications import ChangeListener

            self.listener = ChangeListener(db, self)
            self.listener.changed.connect(self.changed_elsewhere)
            self.listener.start()

    def lock(self) -> None:
        """Hide every screen (names and numbers included) until the user's password is given again."""
        if self.locked:
            return
        self.locked = True
        self.nav.setEnabled(False)
        self.stack.hide()
        self.lock_panel.title.setText(tr("窗口已锁定 (长时间未操作)。用户 {0} 请输入密码解锁。").format(self.actor.name))
        self.lock_panel.show()
        self.lock_panel.password.setFocus()

    def unlock(self) -> None:
        self.locked = False
        self.lock_panel.hide()
        self.stack.show()
        self.nav.setEnabled(True)
        self.idle.timer.start()

    def page(self, name: str) -> QWidget:
        """The screen, built the first time it is asked for."""
        if name not in self.pages:
            widget = page_class(name)(self.db, self.actor)
            self.pages[name] = widget
            self.stack.addWidget(_scrolled(widget))
            if name == TODO:
                widget.counted.connect(self.show_todo_counts)
        return self.pages[name]

    def count_todo(self) -> None:
        """Count the 待办 lists on a worker thread; the navigation shows the figure when it is known."""
        from workbench.gui.tasks import Task
        from workbench.services.checks import todo_counts

        if self.closed or self.counter is not None and self.counter.isRunning():
            return  # closed: the roster's reading, stopped by the closing, may end after it
        self.counter = Task(lambda progress: todo_counts(self.db, self.actor, progress=progress), self)
        self.counter.succeeded.connect(self.show_todo_counts)
        self.counter.failed.connect(lambda message: self.statusBar().showMessage(tr("待办核查失败: {0}").format(message), 15_000))
        self.counter.start()

    def show_todo_counts(self, counts) -> None:
        item = self.nav.item(SCREENS.index(TODO))
        item.setText(tr("{0} ({1})").format(tr(TODO), counts.total) if counts.total else tr(TODO))
        item.setToolTip(tr("待办提醒 {0} 条, 疑点 {1} 条, 未认证 {2} 人, 资金预警 {3} 项 (Ctrl+{4})").format(
            counts.upcoming, counts.doubtful, counts.unchecked, counts.fund_warnings, SCREENS.index(TODO) + 1))

    def show_screen(self, row: int) -> None:
        if row < 0:
            return
        name = SCREENS[row]
        fresh = name not in self.pages
        widget = self.page(name)
        if not fresh and hasattr(widget, "refresh"):
            widget.refresh()  # other PCs may have changed the database meanwhile (large screens: F5)
        self.stack.setCurrentWidget(widget.parentWidget().parentWidget())
        self.setWindowTitle(f"{self.title} — {tr(name)}")

    def current_page(self) -> QWidget | None:
        """The screen in front of the user."""
        frame = self.stack.currentWidget()
        return frame.widget() if frame is not None else None

    def refresh_current(self) -> None:
        widget = self.current_page()
        if hasattr(widget, "reload"):
            widget.reload()
        elif hasattr(widget, "refresh"):
            widget.refresh()

    def show_about(self) -> None:
        """F1: the version, the database and every shortcut."""
        screens = "\n".join(f"Ctrl+{index + 1}\t{tr(name)}" for index, name in enumerate(SCREENS))
        keys = tr("F1\t快捷键与版本\nF5\t刷新当前界面\nCtrl+F\t花名册: 搜索 (↓ 或回车进入结果)\nCtrl+N\t花名册: 新增人员\n"
                  "F9\t月度发放: 计算\nAlt+带下划线的字母\t转到该输入框或按钮\nCtrl+Shift+L\t注销 / 切换用户\nCtrl+Q\t退出")
        QMessageBox.about(self, tr("快捷键与版本"), tr("县民政局老年人补贴工作台\n版本 {0}\n\n数据库: {1}\n自检: workbench selftest\n\n{2}\n{3}").format(
            __version__, self.db.description, screens, keys))

    def changed_elsewhere(self, installation: str, user: str, actions: list) -> None:
        """Another PC saved something: refresh the screen in front of the user (the roster on F5)."""
        where = installation.split("/")[0]
        self.statusBar().showMessage(tr("{0} 的用户 {1} 刚刚: {2}").format(where, user, "、".join(actions)), 15_000)
        widget = self.current_page()
        if hasattr(widget, "refresh") and not self.locked:
            widget.refresh()

    def closeEvent(self, event) -> None:
        from workbench.gui.tasks import stop_tasks

        self.closed = True
        # The 待办 count and a screen's work (the 待办 lists, say) stop at their next checkpoints,
        # together; what they would have shown is not wanted.
        stop_tasks(self, *([self.counter] if self.counter is not None else []))
        if self.listener is not None:
            self.listener.stop()
            self.listener.wait(3000)
        QSettings().setValue(WINDOW_GEOMETRY.key, self.saveGeometry())
        for widget in self.pages.values():
            if hasattr(widget, "shutdown"):
                widget.shutdown()
        super().closeEvent(event)
