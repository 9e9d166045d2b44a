"""The main window: a navigation pane of the screens, the screen, and a status bar naming the
database, the user and the role. Screens are built when first opened, so the window starts fast."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QHBoxLayout, QListWidget, QListWidgetItem, QMainWindow, QStackedWidget, QStyle, QWidget

from workbench import __version__
from workbench.bootstrap import Database
from workbench.store.uow import Actor
from workbench.gui.i18n import tr

# The screens by their Chinese names (the keys); shown through tr().
SCREENS = (
    QT_TRANSLATE_NOOP("", "花名册"), QT_TRANSLATE_NOOP("", "申请审批"), QT_TRANSLATE_NOOP("", "月度发放"),
    QT_TRANSLATE_NOOP("", "银行回盘"), QT_TRANSLATE_NOOP("", "报表"), QT_TRANSLATE_NOOP("", "政策标准"),
    QT_TRANSLATE_NOOP("", "操作日志"), QT_TRANSLATE_NOOP("", "设置"),
)
_ICONS = (
    QStyle.StandardPixmap.SP_FileDialogDetailedView, QStyle.StandardPixmap.SP_DialogApplyButton,
    QStyle.StandardPixmap.SP_BrowserReload, QStyle.StandardPixmap.SP_ArrowBack,
    QStyle.StandardPixmap.SP_FileDialogContentsView, QStyle.StandardPixmap.SP_FileDialogInfoView,
    QStyle.StandardPixmap.SP_FileDialogListView, QStyle.StandardPixmap.SP_ComputerIcon,
)


def _factories() -> dict[str, Callable[[Database, Actor], QWidget]]:
    from workbench.gui.other_pages import ApprovalsPage, AuditPage, BankReturnPage, SettingsPage
    from workbench.gui.payout_page import PayoutPage
    from workbench.gui.policy_page import PolicyPage
    from workbench.gui.reports_page import ReportsPage
    from workbench.gui.roster_page import RosterPage

    return dict(zip(SCREENS, (RosterPage, ApprovalsPage, PayoutPage, BankReturnPage, ReportsPage, PolicyPage,
                              AuditPage, SettingsPage)))


class MainWindow(QMainWindow):
    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__()
        self.db, self.actor = db, actor
        self.setWindowTitle(tr('县民政局老年人补贴工作台 {0} · {1}').format(__version__, actor.name))
        self.factories = _factories()
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
        refresh = QAction(tr("刷新"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_current)
        self.addAction(refresh)
        bar = self.statusBar()
        self.database_label = QLabel(db.description)
        self.user_label = QLabel(tr('用户: {0}  角色: {1}').format(actor.name, actor.role))
        bar.addWidget(self.database_label, 1)
        bar.addPermanentWidget(self.user_label)
        self.resize(1200, 760)
        geometry = QSettings().value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.nav.setCurrentRow(0)

    def page(self, name: str) -> QWidget:
        """The screen, built the first time it is asked for."""
        if name not in self.pages:
            widget = self.factories[name](self.db, self.actor)
            self.pages[name] = widget
            self.stack.addWidget(widget)
        return self.pages[name]

    def show_screen(self, row: int) -> None:
        if row < 0:
            return
        name = SCREENS[row]
        fresh = name not in self.pages
        widget = self.page(name)
        if not fresh and hasattr(widget, "refresh") and name != "花名册":
            widget.refresh()  # other PCs may have changed the database meanwhile
        self.stack.setCurrentWidget(widget)

    def refresh_current(self) -> None:
        widget = self.stack.currentWidget()
        if hasattr(widget, "reload"):
            widget.reload()
        elif hasattr(widget, "refresh"):
            widget.refresh()

    def closeEvent(self, event) -> None:
        QSettings().setValue("window/geometry", self.saveGeometry())
        for widget in self.pages.values():
            if hasattr(widget, "shutdown"):
                widget.shutdown()
        super().closeEvent(event)
