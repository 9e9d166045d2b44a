"""银行回盘: the bank's return file for an approved month, read and matched to what was sent."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.roles import may
from workbench.gui import common
from workbench.services.bank_return import import_bank_return
from workbench.services.payout import month_that_matters
from workbench.gui.i18n import tr


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
