"""月度发放: pick a month, compute (on a worker thread, cancellable), review, approve, export, print."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.bootstrap import Database
from workbench.domain.month import Month
from workbench.gui import common
from workbench.gui.tasks import run_task
from workbench.services.bank_export import export_bank
from workbench.services.payout import RunReport, approve_month, diff_month, month_status, run_month
from workbench.services.printing import print_roster, print_summary
from workbench.store.uow import Actor
from workbench.gui.i18n import tr

CATEGORIES = ("全部", "新增", "停发", "变更", "补发", "追回")


class PayoutPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.month_edit = common.month_edit()
        self.month_edit.dateChanged.connect(lambda _date: self.refresh())
        self.state_label = QLabel()
        self.run_button = QPushButton(tr("① 计算(&R)"))
        self.approve_button = QPushButton(tr("② 审核批准(&A)"))
        self.export_button = QPushButton(tr("③ 导出银行文件(&E)…"))
        self.roster_button = QPushButton(tr("打印发放花名册…"))
        self.summary_button = QPushButton(tr("打印汇总表…"))
        self.run_button.clicked.connect(self.run)
        self.approve_button.clicked.connect(self.approve)
        self.export_button.clicked.connect(self.export)
        self.roster_button.clicked.connect(lambda: self.print_document("发放花名册", print_roster))
        self.summary_button.clicked.connect(lambda: self.print_document("汇总表", print_summary))
        self.buttons = {"run": (tr("计算"), self.run_button), "approve": (tr("审核批准"), self.approve_button),
                        "export": (tr("导出银行文件"), self.export_button), "print": (tr("打印"), self.roster_button)}
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setStyleSheet("color: #6d4c41;")

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("发放月份(&M)")))
        top.addWidget(self.month_edit)
        top.addWidget(self.state_label, 1)
        steps = QHBoxLayout()
        for button in (self.run_button, self.approve_button, self.export_button, self.roster_button, self.summary_button):
            steps.addWidget(button)
        steps.addStretch()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)

        review = QGroupBox(tr("审核清单 (与上月比较)"))
        review_layout = QVBoxLayout(review)
        filter_row = QHBoxLayout()
        self.category_box = QComboBox()
        self.category_box.addItems(CATEGORIES)
        self.category_box.currentIndexChanged.connect(lambda _index: self.show_review())
        self.review_counts = QLabel()
        filter_row.addWidget(QLabel(tr("类别")))
        filter_row.addWidget(self.category_box)
        filter_row.addWidget(self.review_counts, 1)
        self.review_table = common.read_only_table((tr("类别"), tr("身份证号"), tr("姓名"), tr("项目"), tr("所属期"), tr("金额"), tr("上月金额"), tr("原因")))
        review_layout.addLayout(filter_row)
        review_layout.addWidget(self.review_table)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(steps)
        layout.addWidget(self.reasons)
        layout.addWidget(self.result_label)
        layout.addWidget(review, 1)
        QShortcut(QKeySequence("F9"), self, activated=lambda: self.run_button.isEnabled() and self.run())
        self.review_lines = []
        self.refresh()

    @property
    def month(self) -> Month:
        return common.picked_month(self.month_edit)

    def refresh(self) -> None:
        status = month_status(self.db, self.actor, self.month)
        shown = status.state or "尚未计算"
        who = f", 计算人 {status.run_by}" if status.run_by else ""
        who += f", 审批人 {status.approved_by}" if status.approved_by else ""
        self.state_label.setText(tr('批次状态: {0}{1}').format(shown, who))
        reasons = []
        for step, (name, button) in self.buttons.items():
            reason = status.steps[step]
            button.setEnabled(reason is None)
            button.setToolTip(reason or "")
            if reason:
                reasons.append(f"{name}: {reason}")
        self.summary_button.setEnabled(status.steps["print"] is None)
        self.reasons.setText("暂不可用: " + "; ".join(reasons) if reasons else "")
        self.review_lines = diff_month(self.db, self.actor, self.month) if status.state else []
        self.show_review()

    def show_review(self) -> None:
        category = self.category_box.currentText()
        counts = {name: 0 for name in CATEGORIES[1:]}
        for line in self.review_lines:
            counts[line.category] = counts.get(line.category, 0) + 1
        self.review_counts.setText("  ".join(f"{name} {count}" for name, count in counts.items()))
        lines = [line for line in self.review_lines if category == "全部" or line.category == category]
        common.fill_table(self.review_table, [
            (line.category, line.id_number, line.name, line.item, str(line.period), line.amount,
             "" if line.previous is None else line.previous, line.reason) for line in lines[:5000]
        ])

    def run(self) -> None:
        month = self.month
        self.run_button.setEnabled(False)
        run_task(self, tr('计算 {0} 发放').format(month), lambda progress: run_month(self.db, self.actor, month, progress=progress),
                 self._ran, self._step_failed)

    def _ran(self, report: RunReport) -> None:
        kinds = ", ".join(f"{kind} {count} 笔 {amount} 元" for kind, (count, amount) in report.by_kind.items())
        missing = "".join(f"; 缺少标准「{name}」, {people} 人暂缓" for name, people in report.missing.items())
        self.result_label.setText(tr('{0} 已计算: {1} 人, 应发 {2} 元, 追回 {3} 元 ({4}){5}').format(report.month, report.people, report.paid, report.recovered, kinds, missing))
        self.refresh()

    def _step_failed(self, message: str) -> None:
        common.warn(self, tr("月度发放"), message)
        self.refresh()

    def approve(self) -> None:
        month = self.month
        if not common.confirm(self, tr("审核批准"), tr('批准并锁定 {0} 的发放批次? 批准后不能再修改。').format(month)):
            return
        if common.attempt(self, tr("审核批准"), lambda: approve_month(self.db, self.actor, month)) is not None:
            self.result_label.setText(tr('{0} 的批次已审批').format(month))
        self.refresh()

    def export(self) -> None:
        folder = common.choose_directory(self, tr("选择保存银行文件的文件夹"))
        if not folder:
            return
        month = self.month
        report = common.attempt(self, tr("导出银行文件"), lambda: export_bank(self.db, self.actor, month, Path(folder)))
        if report is not None:
            copy = f" (第 {report.copy_number} 份副本)" if report.copy_number else ""
            names = "、".join(exported.path.name for exported in report.files)
            self.result_label.setText(tr('已导出{0}: {1} 及 {2}; 合计 {3} 元').format(copy, names, report.summary.name, report.total))
        self.refresh()

    def print_document(self, title: str, printer) -> None:
        month = self.month
        path = common.save_file(self, tr('保存{0}').format(title), f"{month}_{title}.pdf", tr("PDF 文件 (*.pdf)"))
        if not path:
            return
        run_task(self, tr('生成{0}').format(title), lambda _progress: printer(self.db, self.actor, month, Path(path)),
                 lambda out: self.result_label.setText(tr('已生成 {0}').format(out)))
