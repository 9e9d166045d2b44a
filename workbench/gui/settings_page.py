"""设置: users, the shared server, the printing font, diagnostics and the version."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from workbench import __version__
from workbench.bootstrap import Database
from workbench.documents import fonts
from workbench.domain.actor import Actor
from workbench.domain.roles import ROLES, may
from workbench.faults import report_fault
from workbench.gui import common
from workbench.paths import data_dir
from workbench.services.accounts import add_user
from workbench.gui.i18n import tr


class SettingsPage(QWidget):
    """设置: which database and folder this PC uses; an administrator adds users."""

    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        info = QGroupBox(tr("本机"))
        info_form = QFormLayout(info)
        info_form.addRow(tr("程序版本"), QLabel(__version__))
        info_form.addRow(tr("数据库"), QLabel(db.description))
        info_form.addRow(tr("数据文件夹"), QLabel(str(data_dir())))
        info_form.addRow(tr("当前用户"), QLabel(f"{actor.name} ({actor.role})"))
        self.diagnostics_button = QPushButton(tr("导出诊断信息(&G)…"))
        self.diagnostics_button.clicked.connect(self.export_diagnostics)
        info_form.addRow("", self.diagnostics_button)
        users = self._users_group()
        server = QGroupBox(tr("共享服务器 (多台电脑共用一个 PostgreSQL 数据库)"))
        server_form = QFormLayout(server)
        self.host_edit, self.port_edit, self.database_edit = QLineEdit(), QLineEdit("5432"), QLineEdit()
        self.login_edit, self.secret_edit = QLineEdit(), QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for caption, edit in ((tr("服务器(&V)"), self.host_edit), (tr("端口(&K)"), self.port_edit), (tr("数据库(&B)"), self.database_edit),
                              (tr("登录名(&L)"), self.login_edit), (tr("密码 (存入系统凭据管理器)(&Y)"), self.secret_edit)):
            server_form.addRow(caption, edit)
        server_buttons = QHBoxLayout()
        self.test_button = QPushButton(tr("测试连接(&T)"))
        self.save_server_button = QPushButton(tr("使用此服务器(&S)"))
        self.local_button = QPushButton(tr("改回本机数据库"))
        self.test_button.clicked.connect(self.test_server)
        self.save_server_button.clicked.connect(self.use_server)
        self.local_button.clicked.connect(self.use_local)
        for button in (self.test_button, self.save_server_button, self.local_button):
            server_buttons.addWidget(button)
        server_buttons.addStretch()
        server_form.addRow("", server_buttons)
        server.setEnabled(may(actor.role, "manage_users"))
        printing = QGroupBox(tr("打印字体 (本机)"))
        printing_form = QFormLayout(printing)
        self.font_box = QComboBox()
        self.font_box.addItems(fonts.available())
        self.font_box.setCurrentText(fonts.chosen())
        self.font_button = QPushButton(tr("使用此字体(&F)"))
        self.font_button.clicked.connect(self.use_font)
        font_row = QHBoxLayout()
        font_row.addWidget(common.labelled(tr("字体(&Z)"), self.font_box))
        font_row.addWidget(self.font_box)
        font_row.addWidget(self.font_button)
        font_row.addStretch()
        printing_form.addRow(tr("审批表、花名册等"), font_row)
        if len(fonts.available()) == 1:
            printing_form.addRow("", QLabel(tr("本机没有找到 Windows 的宋体、仿宋、黑体, 只能使用程序自带字体")))
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(printing)
        layout.addWidget(server)
        layout.addWidget(users)
        layout.addWidget(self.result)
        layout.addStretch()

    def _users_group(self) -> QGroupBox:
        """用户管理 (管理员): every user with role, state and townships; add, change, reset, disable."""
        users = QGroupBox(tr("用户管理 (仅管理员)"))
        self.users_table = common.read_only_table((tr("用户名"), tr("角色"), tr("状态"), tr("乡镇")))
        self.users_table.setMinimumHeight(120)
        self.users_table.itemSelectionChanged.connect(self.pick_user)
        self.name_edit = QLineEdit()
        self.role_box = QComboBox()
        self.role_box.addItems(list(ROLES))
        self.townships_edit = QLineEdit()
        self.townships_edit.setPlaceholderText(tr("空: 全县; 乡镇用户填所负责的乡镇, 多个用、分隔"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(tr("新增用户时填写, 至少 6 位"))
        self.add_button = QPushButton(tr("新增用户(&U)"))
        self.change_button = QPushButton(tr("保存角色和乡镇(&H)"))
        self.reset_button = QPushButton(tr("重置密码(&W)"))
        self.disable_button = QPushButton(tr("停用/启用(&D)"))
        self.add_button.clicked.connect(self.add)
        self.change_button.clicked.connect(self.change)
        self.reset_button.clicked.connect(self.reset_password)
        self.disable_button.clicked.connect(self.toggle_user)
        form = QFormLayout()
        for caption, field in ((tr("用户名(&N)"), self.name_edit), (tr("角色(&R)"), self.role_box),
                               (tr("乡镇(&O)"), self.townships_edit), (tr("初始密码(&P)"), self.password_edit)):
            label = QLabel(caption)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.change_button, self.reset_button, self.disable_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(users)
        layout.addWidget(self.users_table)
        layout.addLayout(form)
        layout.addLayout(buttons)
        users.setVisible(may(self.actor.role, "manage_users"))
        self.list_users()
        return users

    def list_users(self) -> None:
        from workbench.services.accounts import list_users

        if not may(self.actor.role, "manage_users"):
            return
        rows = list_users(self.db, self.actor)
        common.fill_table(self.users_table, [(user.name, user.role, user.state, user.scope) for user in rows], keys=rows)

    def pick_user(self) -> None:
        user = common.selected_key(self.users_table)
        if user is None:
            return
        self.name_edit.setText(user.name)
        self.role_box.setCurrentText(user.role)
        self.townships_edit.setText("、".join(user.townships))
        self.disable_button.setText(tr("启用(&D)") if user.state == "已停用" else tr("停用(&D)"))

    def _townships(self) -> list[str]:
        return [name for name in re.split(r"[、,，;；\s]+", self.townships_edit.text()) if name]

    def add(self) -> None:
        name, role = self.name_edit.text().strip(), self.role_box.currentText()
        added = common.attempt(self, tr("新增用户"), lambda: add_user(
            self.db, self.actor, name, role, self.password_edit.text(), self._townships()) or True)
        self.password_edit.clear()
        if added:
            self.result.setText(tr('已新增用户「{0}」({1})').format(name, role))
            self.list_users()

    def _set_user(self, title: str, **change) -> None:
        from workbench.services.accounts import set_user

        name = self.name_edit.text().strip()
        user = common.attempt(self, title, lambda: set_user(self.db, self.actor, name, **change))
        if user is not None:
            self.result.setText(tr("已修改用户「{0}」: 角色 {1}, 状态 {2}, 乡镇 {3}").format(
                user.name, user.role, user.state, user.scope))
            self.list_users()

    def change(self) -> None:
        self._set_user(tr("修改用户"), role=self.role_box.currentText(), townships=self._townships())

    def reset_password(self) -> None:
        name = self.name_edit.text().strip()
        if common.confirm(self, tr("重置密码"), tr("重置「{0}」的密码? 该用户下次登录时输入的密码即成为新密码。").format(name)):
            self._set_user(tr("重置密码"), reset_password=True)

    def toggle_user(self) -> None:
        user = common.selected_key(self.users_table)
        self._set_user(tr("停用/启用"), active=user is not None and user.state == "已停用")

    def refresh(self) -> None:
        self.list_users()

    def use_font(self) -> None:
        name = self.font_box.currentText()
        if common.attempt(self, tr("打印字体"), lambda: fonts.choose(name)):
            self.result.setText(tr("之后打印的文件使用「{0}」").format(name))

    def _server_address(self) -> str:
        from sqlalchemy.engine import URL

        port = self.port_edit.text().strip()
        return URL.create("postgresql", username=self.login_edit.text().strip() or None,
                          password=self.secret_edit.text() or None, host=self.host_edit.text().strip(),
                          port=int(port) if port.isdigit() else None,
                          database=self.database_edit.text().strip()).render_as_string(hide_password=False)

    def test_server(self) -> bool:
        from workbench.bootstrap import SchemaState, open_database

        try:
            server = open_database(self._server_address())
            state = server.state
            server.close()
        except Exception as problem:  # noqa: BLE001 - any failure to connect is shown
            self.result.setText(tr("连接失败: {0}").format(report_fault(problem, "测试数据库连接")))
            return False
        if state is SchemaState.EMPTY:
            self.result.setText(tr("连接成功, 但数据库是空的: 请先运行 workbench db setup-server, 或 db copy 迁移本机数据"))
            return False
        self.result.setText(tr("连接成功 (数据库版本: {0})").format(state.value))
        return True

    def use_server(self) -> None:
        from workbench.connection import save_server

        if not self.test_server():
            return
        saved = common.attempt(self, tr("共享服务器"), lambda: save_server(self._server_address()))
        if saved:
            self.secret_edit.clear()
            self.result.setText(tr("已设为使用共享服务器 {0}; 密码已存入系统凭据管理器。重新启动程序后生效。").format(saved))

    def export_diagnostics(self) -> None:
        from workbench.services.diagnostics import export_diagnostics

        path = common.save_file(self, tr("保存诊断信息"), "workbench-诊断信息.zip", tr("压缩文件 (*.zip)"))
        if path:
            export_diagnostics(self.db, Path(path))
            self.result.setText(tr("已保存 {0}: 日志、版本和设置 (不含密码), 请发给技术支持").format(path))

    def use_local(self) -> None:
        from workbench.connection import forget_server

        forget_server()
        self.result.setText(tr("已改回本机数据库; 重新启动程序后生效。"))
