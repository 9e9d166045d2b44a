"""申请审批, 银行回盘, 操作日志 and 设置: the smaller screens."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from workbench import __version__
from workbench.bootstrap import Database
from workbench.documents import fonts
from workbench.domain.actor import Actor
from workbench.domain.localtime import shown
from workbench.domain.roles import ROLES, may
from workbench.domain.vocabulary import APPROVED, PENDING, REJECTED
from workbench.faults import report_fault
from workbench.gui import common
from workbench.paths import data_dir
from workbench.services.accounts import add_user
from workbench.services.audit import audit_users, readable_audit, search_audit
from workbench.services.bank_return import import_bank_return
from workbench.services.enrollment import decide_application, list_applications
from workbench.services.payout import month_that_matters
from workbench.services.printing import print_approval
from workbench.gui.i18n import tr


class ApprovalsPage(QWidget):
    """Applications waiting for a decision by someone other than the clerk who entered them."""

    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.state_box = QComboBox()
        for state in (PENDING, APPROVED, REJECTED):
            self.state_box.addItem(state, state)
        self.state_box.addItem(tr("全部"), None)
        self.state_box.currentIndexChanged.connect(lambda _index: self.refresh())
        self.table = common.read_only_table((tr("身份证号"), tr("姓名"), tr("乡镇"), tr("村(社区)"), tr("项目"), tr("起始月份"),
                                             tr("录入人"), tr("录入时间"), tr("状态"), tr("审批人")))
        self.table.itemSelectionChanged.connect(self._picked)
        self.approve_button = QPushButton(tr("批准(&P)"))
        self.reject_button = QPushButton(tr("驳回(&J)…"))
        self.print_button = QPushButton(tr("打印审批表(&D)…"))
        allowed = may(actor.role, "approve")
        for button in (self.approve_button, self.reject_button):
            button.setEnabled(allowed)
            button.setToolTip("" if allowed else tr('角色「{0}」无权审核审批').format(actor.role))
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.print_button.clicked.connect(self.print_sheet)
        self.info = QLabel()
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.reject_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        state_label = QLabel(tr("显示(&S)"))
        state_label.setBuddy(self.state_box)
        top.addWidget(state_label)
        top.addWidget(self.state_box)
        top.addWidget(QLabel(tr("享受项目申请 (录入人不能审批自己录入的申请; 已审批的可重新打印审批表)")), 1)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.info)
        self.refresh()

    def refresh(self) -> None:
        state = self.state_box.currentData()
        self.applications = {application.enrollment_id: application
                             for application in list_applications(self.db, self.actor, state)}
        rows = [(a.id_number, a.name, a.township, a.village, a.item_name, str(a.start_month), a.entered_by,
                 shown(a.entered_at, seconds=False), a.state, a.decided_by) for a in self.applications.values()]
        common.fill_table(self.table, rows, list(self.applications))
        self.info.setText(tr('共 {0} 条{1}').format(len(rows), state or ""))
        self._picked()

    def _picked(self) -> None:
        """Approve and reject only an application still waiting; print any."""
        enrollment_id = common.selected_key(self.table)
        waiting = enrollment_id is not None and self.applications[enrollment_id].state == PENDING
        for button in (self.approve_button, self.reject_button):
            button.setEnabled(waiting and may(self.actor.role, "approve"))

    def decide(self, approve: bool) -> None:
        enrollment_id = common.selected_key(self.table)
        if enrollment_id is None:
            common.inform(self, tr("审批"), tr("请先在表中选择一条申请"))
            return
        note = ""
        application = self.applications[enrollment_id]
        if approve and not common.confirm(self, tr("批准申请"), tr("批准 {0} 的「{1}」申请 (自 {2} 起)?").format(
                application.name, application.item_name, application.start_month)):
            return
        if not approve:
            note = common.ask_text(self, tr("驳回申请"), tr("驳回理由:"))
            if note is None:
                return
        summary = common.attempt(self, tr("审批"), lambda: decide_application(self.db, self.actor, enrollment_id,
                                                                         approve=approve, note=note))
        self.refresh()
        if summary:
            self.info.setText(summary)

    def print_sheet(self) -> None:
        enrollment_id = common.selected_key(self.table)
        if enrollment_id is None:
            common.inform(self, tr("打印审批表"), tr("请先在表中选择一条申请"))
            return
        application = self.applications[enrollment_id]
        path = common.save_file(self, tr("保存审批表"), tr('{0}_{1}_审批表.pdf').format(application.name, application.item_name), tr("PDF 文件 (*.pdf)"))
        if path and common.attempt(self, tr("打印审批表"), lambda: print_approval(
                self.db, self.actor, application.person_id, application.item_name, Path(path))):
            self.info.setText(tr('已生成 {0}').format(path))
            common.open_document(path)


class BankReturnPage(QWidget):
    """银行回盘: read the bank's result file for a month; failed payments are marked and owed again."""

    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.month_edit = common.month_edit(month_that_matters(db, actor))
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(tr("银行返回的回盘文件 (xlsx 或文本)"))
        browse = QPushButton(tr("选择文件…"))
        browse.clicked.connect(self.browse)
        self.import_button = QPushButton(tr("导入回盘(&B)"))
        self.import_button.setEnabled(may(actor.role, "export"))
        self.import_button.clicked.connect(self.import_return)
        self.result = QLabel()
        self.result.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("发放月份(&M)"), self.month_edit)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        form.addRow(tr("回盘文件"), row)
        self.failed_table = common.read_only_table((tr("身份证号"), tr("姓名"), tr("乡镇"), tr("金额"), tr("失败原因")))
        self.failed_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("导入银行回盘后, 失败的发放不计为已发放, 下次计算时重新发放; 请先更正银行账户。")))
        layout.addLayout(form)
        layout.addWidget(self.import_button)
        layout.addWidget(self.result)
        layout.addWidget(self.failed_label)
        layout.addWidget(self.failed_table, 1)
        self.month_edit.dateChanged.connect(lambda _date: self.refresh())
        self.refresh()

    def browse(self) -> None:
        path = common.open_file(self, tr("选择回盘文件"), tr("回盘文件 (*.xlsx *.txt *.csv);;所有文件 (*)"))
        if path:
            self.file_edit.setText(path)

    def import_return(self) -> None:
        if not self.file_edit.text().strip():
            common.inform(self, tr("银行回盘"), tr("请先选择回盘文件"))
            return
        month = common.picked_month(self.month_edit)
        report = common.attempt(self, tr("银行回盘"), lambda: import_bank_return(
            self.db, self.actor, month, Path(self.file_edit.text().strip())))
        if report:
            done = "全部已对账" if report.reconciled else "尚有人员无回盘结果"
            self.result.setText(tr('{0}: 成功 {1} 人, 失败 {2} 人 (未支付 {3} 元); {4}').format(report.month, report.paid, report.failed, report.failed_amount, done))
            self.refresh()

    def show_failed(self) -> None:
        """The month's failed transfers with the bank's reasons: the accounts to put right."""
        from workbench.domain.errors import NotFound
        from workbench.services.bank_return import failed_payments

        month = common.picked_month(self.month_edit)
        try:
            failed = failed_payments(self.db, self.actor, month)
        except NotFound:
            failed = []
        common.fill_table(self.failed_table, [(f.id_number, f.name, f.township, f.amount, f.reason) for f in failed])
        self.failed_label.setText(tr("{0} 银行退回 {1} 人 (请更正银行账户, 下次计算时重新发放)").format(month, len(failed))
                                  if failed else tr("{0} 没有银行退回的发放").format(month))

    def refresh(self) -> None:
        self.show_failed()


class AuditPage(QWidget):
    """操作日志: newest first, filtered by user, dates and a text."""

    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.user_box = QComboBox()
        self.since_edit, self.until_edit = QDateEdit(), QDateEdit()
        for edit, days in ((self.since_edit, -30), (self.until_edit, 0)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate().addDays(days))
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(tr("操作、对象或记录编号中的文字"))
        self.text_edit.returnPressed.connect(self.refresh)
        search = QPushButton(tr("查询(&Q)"))
        search.clicked.connect(self.refresh)
        self.table = common.read_only_table((tr("时间"), tr("用户"), tr("电脑"), tr("操作"), tr("对象"), tr("记录"), tr("内容")))
        self.count = QLabel()
        row = QHBoxLayout()
        for caption, widget in ((tr("用户(&U)"), self.user_box), (tr("自(&F)"), self.since_edit), (tr("至(&T)"), self.until_edit),
                                (tr("包含(&C)"), self.text_edit)):
            row.addWidget(common.labelled(caption, widget))
            row.addWidget(widget)
        row.addWidget(search)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        layout.addWidget(self.count)
        self.user_box.addItem(tr("全部用户"), None)
        for name in audit_users(db, actor):
            self.user_box.addItem(name, name)
        self.refresh()

    def refresh(self) -> None:
        entries = search_audit(self.db, self.actor, user=self.user_box.currentData(),
                               since=common.picked_date(self.since_edit), until=common.picked_date(self.until_edit),
                               text=self.text_edit.text())
        common.fill_table(self.table, [
            (entry.at, entry.user, entry.installation, entry.action, entry.entity, entry.target, entry.content)
            for entry in readable_audit(self.db, self.actor, entries)
        ])
        self.count.setText(tr('{0} 条 (最多显示最近 2000 条)').format(len(entries)))


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
