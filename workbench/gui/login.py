"""The login dialog (ui/login.ui): user and password, the lockout message after repeated failures."""
from __future__ import annotations

from PySide6.QtCore import QFile, QSettings
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.errors import WorkbenchError
from workbench.paths import ui_dir
from workbench.settings import LAST_USER
from workbench.gui.i18n import tr


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """A Qt Designer form from ui/, built at run time."""
    form_file = QFile(str(ui_dir() / name))
    form_file.open(QFile.OpenModeFlag.ReadOnly)
    try:
        return QUiLoader().load(form_file, parent)
    finally:
        form_file.close()


class LoginDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.form = load_form("login.ui", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.setMinimumWidth(420)
        self.setWindowTitle(self.form.windowTitle())
        self.user_edit = self.form.findChild(QWidget, "userEdit")
        self.password_edit = self.form.findChild(QWidget, "passwordEdit")
        self.message = self.form.findChild(QWidget, "messageLabel")
        self.form.findChild(QWidget, "databaseLabel").setText(
            tr('数据库: {0}\n首次使用某个账户时, 输入的密码即成为该账户的密码 (至少 6 位)。').format(db.description))
        buttons = self.form.findChild(QDialogButtonBox, "buttonBox")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("退出"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        last_user = QSettings().value(LAST_USER.key, LAST_USER.default)
        self.user_edit.setText(str(last_user))
        (self.password_edit if last_user else self.user_edit).setFocus()

    def try_login(self) -> None:
        from workbench.services.accounts import authenticate

        name = self.user_edit.text().strip()
        try:
            self.actor = authenticate(self.db, name, self.password_edit.text())
        except WorkbenchError as problem:
            self.message.setText(str(problem))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        QSettings().setValue(LAST_USER.key, name)
        self.accept()
