"""月度发放: pick a month, compute (on a worker thread, cancellable), review, approve, export, print.

The review (where the month stands, its totals, every line compared with last month) is read on a
worker thread whenever the month changes or the screen is refreshed; the window keeps answering
meanwhile, and an answer for a month no longer picked is dropped.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton,
    QTableView, QVBoxLayout, QWidget,
)

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.month import Month
from workbench.domain.roles import may
from workbench.gui import common
from workbench.gui.i18n import tr
from workbench.gui.review_model import CATEGORIES, Review, ReviewFilter, ReviewModel, SortOrder, arranged_rows, load_review
from workbench.gui.tasks import Task, run_task
from workbench.services.bank_export import export_bank, has_item_codes
from workbench.services.payout import RunReport, approve_month, month_that_matters, run_month
from workbench.services.printing import print_publicity, print_roster, print_summary
from workbench.services.roster_views import township_names
from workbench.memory import release_gently

EVERY = "全部"


def report_text(report: RunReport) -> str:
    """A batch's figures in one line: people, lines, each kind's count and amount, the total paid."""
    kinds = "; ".join(f"{kind} {count} 笔 {amount} 元" for kind, (count, amount) in report.by_kind.items())
    missing = "".join(f"; 缺少标准「{name}」, {people} 人暂缓发放" for name, people in report.missing.items())
    return tr("共 {0} 人 {1} 行, 应发 {2} 元, 追回 {3} 元 ({4}){5}").format(
        report.people, report.lines, report.paid, report.recovered, kinds or "无", missing)


class PayoutPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.loaders: set[Task] = set()  # reviews being read (an answer for another month is dropped)
        self.retired: list[Review] = []  # reviews replaced, freed gently once no worker reads them
        self.wanted: Month | None = None  # the month whose review is being read
        self.month_edit = common.month_edit()
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.figures_label = QLabel()
        self.figures_label.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setFormat(tr("正在载入…"))
        self.busy.hide()
        self.run_button = QPushButton(tr("① 计算(&R)"))
        self.approve_button = QPushButton(tr("② 审核批准(&A)"))
        self.export_button = QPushButton(tr("③ 导出银行文件(&E)…"))
        self.roster_button = QPushButton(tr("打印发放花名册…"))
        self.summary_button = QPushButton(tr("打印汇总表…"))
        self.publicity_button = QPushButton(tr("打印公示名单…"))
        self.run_button.clicked.connect(self.run)
        self.approve_button.clicked.connect(self.approve)
        self.export_button.clicked.connect(self.export)
        self.roster_button.clicked.connect(lambda: self.print_document("发放花名册", print_roster))
        self.summary_button.clicked.connect(lambda: self.print_document("汇总表", print_summary))
        self.publicity_button.clicked.connect(lambda: self.print_document("公示名单", print_publicity))
        self.buttons = {"run": (tr("计算"), self.run_button), "approve": (tr("审核批准"), self.approve_button),
                        "export": (tr("导出银行文件"), self.export_button), "print": (tr("打印"), self.roster_button)}
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setStyleSheet("color: #6d4c41;")

        top = QHBoxLayout()
        month_label = QLabel(tr("发放月份(&M)"))
        month_label.setBuddy(self.month_edit)
        top.addWidget(month_label)
        top.addWidget(self.month_edit)
        top.addWidget(self.state_label, 1)
        top.addWidget(self.busy)
        steps = QHBoxLayout()
        for button in (self.run_button, self.approve_button, self.export_button, self.roster_button, self.summary_button,
                       self.publicity_button):
            steps.addWidget(button)
        steps.addStretch()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)

        review = QGroupBox(tr("审核清单 (与上月比较)"))
        review_layout = QVBoxLayout(review)
        filter_row = QHBoxLayout()
        self.category_box = QComboBox()
        self.category_box.addItem(tr(EVERY), None)
        for name in CATEGORIES:
            self.category_box.addItem(name, name)
        self.township_box = QComboBox()
        self.township_box.addItem(tr("全部乡镇"), None)
        self.search_edit = common.SearchEdit()
        self.search_edit.setPlaceholderText(tr("搜索: 姓名、拼音首字母或身份证号"))
        self.search_edit.setClearButtonEnabled(True)
        self.category_box.currentIndexChanged.connect(self.apply_filter)
        self.township_box.currentIndexChanged.connect(self.apply_filter)
        self.search_edit.textChanged.connect(self.apply_filter)
        category_label = QLabel(tr("类别(&K)"))
        category_label.setBuddy(self.category_box)
        search_label = QLabel(tr("查找(&S)"))
        search_label.setBuddy(self.search_edit)
        filter_row.addWidget(category_label)
        filter_row.addWidget(self.category_box)
        filter_row.addWidget(common.labelled(tr("乡镇(&T)"), self.township_box))
        filter_row.addWidget(self.township_box)
        filter_row.addWidget(search_label)
        filter_row.addWidget(self.search_edit, 1)
        self.review_counts = QLabel()
        self.model = ReviewModel(self, arrange_later=self._arrange_rows)
        self.review_table = QTableView()
        self.review_table.setModel(self.model)
        self.review_table.setSortingEnabled(True)
        self.review_table.horizontalHeader().setSortIndicator(-1, self.review_table.horizontalHeader().sortIndicatorOrder())
        self.review_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.review_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.review_table.setAlternatingRowColors(True)
        self.review_table.setWordWrap(False)
        self.review_table.setTabKeyNavigation(False)
        self.search_edit.to_results.connect(lambda: common.focus_results(self.review_table))
        self.review_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.review_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.review_table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((48, 70, 150, 70, 110, 70, 80, 80)):
            header.resizeSection(column, width)
        review_layout.addLayout(filter_row)
        review_layout.addWidget(self.review_counts)
        review_layout.addWidget(self.review_table)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.figures_label)
        layout.addLayout(steps)
        layout.addWidget(self.reasons)
        layout.addWidget(self.result_label)
        layout.addWidget(review, 1)
        QShortcut(QKeySequence("F9"), self, activated=lambda: self.run_button.isEnabled() and self.run())
        month = month_that_matters(db, actor)
        self.month_edit.setDate(QDate(month.year, month.month, 1))
        self.month_edit.dateChanged.connect(lambda _date: self.refresh())
        self.refresh()

    @property
    def month(self) -> Month:
        return common.picked_month(self.month_edit)

    @property
    def review(self) -> Review | None:
        """The month shown (the model's)."""
        return self.model.review

    @property
    def loading(self) -> bool:
        """Whether a review is being read, or its rows arranged for a new filter or order."""
        return self.wanted is not None or self.model.arranging

    def refresh(self) -> None:
        """Read the picked month's review on a worker thread; the screen shows it when it is in."""
        month = self.month
        self.wanted = month
        self.busy.show()
        self.state_label.setText(tr("批次状态: 正在载入 {0}…").format(month))
        for _name, button in self.buttons.values():
            button.setEnabled(False)
        self.summary_button.setEnabled(False)
        self.publicity_button.setEnabled(False)
        task = self._in_background(lambda _progress: load_review(self.db, self.actor, month))
        task.succeeded.connect(self._loaded)
        task.failed.connect(lambda message, month=month: self._load_failed(month, message))
        task.start()

    def _in_background(self, work) -> Task:
        task = Task(work, self)
        self.loaders.add(task)
        task.finished.connect(lambda: (self.loaders.discard(task), self._release_retired()))
        task.finished.connect(task.deleteLater)
        return task

    def _arrange_rows(self, request: int, wanted: ReviewFilter, sorted_by: SortOrder | None) -> None:
        """Filter and sort a month's lines on a worker thread; the model shows the newest request."""
        self.busy.show()
        review = self.model.review
        task = self._in_background(lambda _progress: arranged_rows(review, wanted, sorted_by))
        task.succeeded.connect(lambda rows: self._arranged(request, wanted, sorted_by, rows))
        task.failed.connect(lambda message: self._arranged(request, wanted, sorted_by, range(0), message))
        task.start()

    def _arranged(self, request: int, wanted: ReviewFilter, sorted_by: SortOrder | None, rows, problem: str = "") -> None:
        self.model.show_rows(request, wanted, sorted_by, rows)
        if not self.loading:
            self.busy.hide()
        self._show_counts()
        if problem:
            common.warn(self, tr("月度发放"), problem)

    def _load_failed(self, month: Month, message: str) -> None:
        if month != self.wanted:
            return
        self.wanted = None
        self.busy.hide()
        self.state_label.setText(tr("批次状态: 载入失败"))
        common.warn(self, tr("月度发放"), message)

    def _loaded(self, review: Review) -> None:
        if review.month != self.wanted:
            return  # the user has picked another month meanwhile
        self.wanted = None
        if self.review is not None:
            self.retired.append(self.review)
        status = review.status
        shown = status.state or "尚未计算"
        who = f", 计算人 {status.run_by}" if status.run_by else ""
        who += f", 审批人 {status.approved_by}" if status.approved_by else ""
        stale = tr(" (草稿已过期: 计算后人员信息或标准有变更, 请重新计算)") if status.out_of_date else ""
        self.state_label.setText(tr('批次状态: {0}{1}{2}').format(shown, who, stale))
        self.state_label.setStyleSheet("color: #b00020;" if status.out_of_date else "")
        self.figures_label.setText(report_text(review.report) if review.report else "")
        reasons = []
        for step, (name, button) in self.buttons.items():
            reason = status.steps[step]
            button.setEnabled(reason is None)
            button.setToolTip(reason or "")
            if reason:
                reasons.append(f"{name}: {reason}")
        self.summary_button.setEnabled(status.steps["print"] is None)
        self.publicity_button.setEnabled(status.steps["print"] is None)
        self.reasons.setText("暂不可用: " + "; ".join(reasons) if reasons else "")
        chosen = self.township_box.currentData()
        self.township_box.blockSignals(True)
        self.township_box.clear()
        self.township_box.addItem(tr("全部乡镇"), None)
        for township in review.townships:
            self.township_box.addItem(township, township)
        self.township_box.setCurrentIndex(max(self.township_box.findData(chosen), 0))
        self.township_box.blockSignals(False)
        self.model.filter = self._filter()
        self.model.set_review(review)
        if not self.loading:
            self.busy.hide()
        self._show_counts()

    def _release_retired(self) -> None:
        """Free the reviews replaced, a block at a time on a background thread, once no worker reads
        them: freeing a large month at once would stall the window."""
        if self.loaders or not self.retired:
            return
        parts = [part for review in self.retired for part in review.parts()]
        self.retired = []
        task = self._in_background(lambda _progress: release_gently(*parts))
        task.start()

    def _filter(self) -> ReviewFilter:
        return ReviewFilter(self.category_box.currentData(), self.township_box.currentData(), self.search_edit.text())

    def apply_filter(self, *_args) -> None:
        self.model.set_filter(self._filter())
        self._show_counts()

    def _show_counts(self) -> None:
        counts = "  ".join(f"{name} {count}" for name, count in self.model.counts().items())
        self.review_counts.setText(tr("{0}    显示 {1} 行, 共 {2} 行").format(counts, self.model.rowCount(), self.model.total()))

    def run(self) -> None:
        month = self.month
        self.run_button.setEnabled(False)
        run_task(self, tr('计算 {0} 发放').format(month), lambda progress: run_month(self.db, self.actor, month, progress=progress),
                 self._ran, self._step_failed)

    def _ran(self, report: RunReport) -> None:
        self.result_label.setText(tr('{0} 已计算: {1}').format(report.month, report_text(report)))
        self.refresh()

    def _step_failed(self, message: str) -> None:
        common.warn(self, tr("月度发放"), message)
        self.refresh()

    def approve(self) -> None:
        month, review = self.month, self.review
        if review is None or review.month != month or review.report is None:
            return
        question = tr('批准并锁定 {0} 的发放批次?\n\n{1}\n\n批准后不能再修改。').format(month, report_text(review.report))
        if not common.confirm(self, tr("审核批准"), question):
            return
        approved = common.attempt(self, tr("审核批准"), lambda: approve_month(
            self.db, self.actor, month, expected_run_at=review.status.run_at))
        if approved is not None:
            self.result_label.setText(tr('{0} 的批次已审批: {1}').format(month, report_text(review.report)))
        self.refresh()

    def export(self) -> None:
        template = None
        if has_item_codes(self.db, self.actor):  # a county that uploads to the 一卡通 platform chooses which
            lists, upload = tr("各银行代发清单"), tr("一卡通上传表 (全部银行, 每个项目一张表)")
            chosen = common.choose(self, tr("导出银行文件"), tr("导出:"), (lists, upload))
            if chosen is None:
                return
            template = "一卡通" if chosen == upload else None
        folder = common.choose_directory(self, tr("选择保存银行文件的文件夹"))
        if not folder:
            return
        month = self.month
        report = common.attempt(self, tr("导出银行文件"), lambda: export_bank(self.db, self.actor, month, Path(folder),
                                                                          template_name=template))
        if report is not None:
            copy = f" (第 {report.copy_number} 份副本)" if report.copy_number else ""
            names = "、".join(exported.path.name for exported in report.files)
            self.result_label.setText(tr('已导出{0}: {1} 及 {2}; 合计 {3} 元').format(copy, names, report.summary.name, report.total))
        self.refresh()

    def print_document(self, title: str, printer) -> None:
        """Print as the command line does: the 花名册 per township or for all, with full numbers for
        the roles that may see them; the saved PDF is opened in the system's viewer."""
        month = self.month
        options: dict = {}
        name = f"{month}_{title}.pdf"
        if printer in (print_roster, print_publicity):
            chosen = common.print_options(self, tr("打印{0}").format(title), township_names(self.db, self.actor),
                                          may(self.actor.role, "see_full_numbers") if printer is print_roster else None)
            if chosen is None:
                return
            township, full = chosen
            options = {"township": township} | ({"full_numbers": full} if printer is print_roster else {})
            name = f"{month}_{title}_{township}.pdf" if township else name
        path = common.save_file(self, tr('保存{0}').format(title), name, tr("PDF 文件 (*.pdf)"))
        if not path:
            return

        def printed(_result) -> None:
            self.result_label.setText(tr('已生成 {0}').format(path))
            common.open_document(path)

        run_task(self, tr('生成{0}').format(title), lambda _progress: printer(self.db, self.actor, month, Path(path), **options),
                 printed)

    def shutdown(self) -> None:
        """Before the window closes: let a review being read finish (its answer is dropped)."""
        self.wanted = None
        for task in list(self.loaders):
            task.wait()
