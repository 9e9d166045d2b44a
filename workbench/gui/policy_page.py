"""政策标准: the active policy's items and every standard version; an administrator enters a new one,
seeing first the back pay or recoveries it will cause in months already paid."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.roles import may
from workbench.gui import common
from workbench.gui.tasks import run_task
from workbench.services.policy import StandardPreview, current_policy, list_standards, preview_standard, set_standard
from workbench.gui.i18n import tr


class PolicyPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.policy = current_policy(db, actor)
        self.policy_label = QLabel()
        self.policy_label.setWordWrap(True)
        self.items_table = common.read_only_table((tr("代码"), tr("项目"), tr("发放"), tr("年龄"), tr("依据标准")))
        self.standards_table = common.read_only_table((tr("标准"), tr("档次"), tr("生效日期"), tr("金额(元)"), tr("录入人")))
        entry = QGroupBox(tr("录入新标准 (仅管理员; 先预览对已发放月份的影响)"))
        form = QFormLayout(entry)
        self.name_box = QComboBox()
        for spec in self.policy.standards:
            self.name_box.addItem(spec.name, spec)
        self.key_box = QComboBox()
        self.name_box.currentIndexChanged.connect(self._name_picked)
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText(tr("金额, 如 960 或 960.00"))
        self.from_edit = QDateEdit()
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setDisplayFormat("yyyy-MM-dd")
        self.from_edit.setDate(common.month_edit().date())
        self.preview_button = QPushButton(tr("预览影响(&V)"))
        self.save_button = QPushButton(tr("保存(&S)"))
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save)
        for widget in (self.amount_edit, self.from_edit, self.key_box, self.name_box):
            signal = getattr(widget, "textChanged", None) or getattr(widget, "dateChanged", None) or widget.currentIndexChanged
            signal.connect(self._inputs_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch()
        form.addRow(tr("标准(&B)"), self.name_box)
        form.addRow(tr("档次(&K)"), self.key_box)
        form.addRow(tr("金额(&A)"), self.amount_edit)
        form.addRow(tr("生效日期(&F)"), self.from_edit)
        form.addRow("", buttons)
        form.addRow("", self.preview_label)
        entry.setEnabled(may(actor.role, "set_standard"))
        tables = QHBoxLayout()
        tables.addWidget(self.items_table)
        tables.addWidget(self.standards_table)
        layout = QVBoxLayout(self)
        layout.addWidget(self.policy_label)
        layout.addLayout(tables, 1)
        layout.addWidget(entry)
        self._name_picked()
        self.previewed: tuple | None = None
        self.refresh()

    def _name_picked(self, *_args) -> None:
        spec = self.name_box.currentData()
        self.key_box.clear()
        if spec is not None:
            self.key_box.addItems(list(spec.keys))

    def _inputs(self) -> tuple:
        return (self.name_box.currentText(), self.key_box.currentText(), self.amount_edit.text().strip(),
                common.picked_date(self.from_edit))

    def _inputs_changed(self, *_args) -> None:
        self.previewed = None
        self.save_button.setEnabled(False)
        self.save_button.setToolTip(tr("请先预览影响"))

    def refresh(self) -> None:
        policy = self.policy
        self.policy_label.setText(tr('现行政策: {0}').format(policy.name))
        common.fill_table(self.items_table, [
            (item.code, item.name, "是" if item.paid else "否", f"{item.min_age}-{item.max_age}", item.standard or "")
            for item in policy.items
        ])
        common.fill_table(self.standards_table, [
            (name, key, effective.isoformat(), amount, by) for name, key, effective, amount, by in list_standards(self.db, self.actor)
        ])
        self._inputs_changed()

    def preview(self) -> None:
        inputs = self._inputs()
        run_task(self, tr("预览新标准的影响"),
                 lambda progress: preview_standard(self.db, self.actor, *inputs, progress=progress),
                 lambda result: self._previewed(inputs, result))

    def _previewed(self, inputs: tuple, result: StandardPreview) -> None:
        if result.last is None:
            text = f"自 {result.first} 起生效, 不涉及已发放的月份: 从下次计算起按新标准发放。"
        else:
            text = (f"涉及已发放的 {result.first} 至 {result.last}: {result.people} 人, "
                    f"需补发 {result.back_pay} 元, 需追回 {-result.recovery} 元 (在下次计算时生成)。")
        self.preview_label.setText(text)
        self.previewed = inputs
        self.save_button.setEnabled(True)
        self.save_button.setToolTip("")

    def save(self) -> None:
        inputs = self._inputs()
        if inputs != self.previewed:
            self._inputs_changed()
            return
        if not common.confirm(self, tr("保存标准"), tr('{0}\n\n确认保存?').format(self.preview_label.text())):
            return
        summary = common.attempt(self, tr("保存标准"), lambda: set_standard(self.db, self.actor, *inputs))
        if summary:
            self.preview_label.setText(summary)
            self.refresh()
