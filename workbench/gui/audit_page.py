"""操作日志: the operation log, searched by user and day."""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.gui import common
from workbench.services.audit import audit_users, readable_audit, search_audit
from workbench.gui.i18n import tr


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
