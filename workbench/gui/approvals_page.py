"""申请审批: applications for an item, approved or refused by someone other than their author."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.localtime import shown
from workbench.domain.roles import may
from workbench.domain.vocabulary import APPROVED, PENDING, REJECTED
from workbench.gui import common
from workbench.services.enrollment import decide_application, list_applications
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
