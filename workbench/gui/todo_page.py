"""待办: the lists that wait for the office. Who qualifies but has not applied (with the notice
lists for townships), which payments look wrong, who has no 生存认证 this year (record a check,
import a list), the special funds with their warnings, and the recoveries not yet cleared
(追回台账: record a refund or a write-off). The counts go on the tabs and on the navigation pane."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from workbench.bootstrap import Database
from workbench.documents.list_workbook import write_list
from workbench.domain.actor import Actor
from workbench.domain.money import ZERO
from workbench.domain.roles import may
from workbench.gui import common
from workbench.gui.i18n import tr
from workbench.gui.tasks import run_task
from workbench.services import budget, checks, liveness, recovery

FINDING_HEADERS = ("类型", "身份证号", "姓名", "乡镇", "村(社区)", "项目", "月份", "原因")


@dataclass(frozen=True)
class TodoLists:
    upcoming: list[checks.Finding]
    doubtful: list[checks.Finding]
    unchecked: list[liveness.Unchecked]
    funds: list[budget.ItemFunds]
    deadline: int | None
    recoveries: list[recovery.Recovery]

    def counts(self) -> checks.TodoCounts:
        return checks.TodoCounts.of(self.upcoming, self.doubtful, self.unchecked, self.funds)


def form_row(fields, button: QPushButton) -> QHBoxLayout:
    """Captions and their fields in a row (each caption the field's buddy, for Alt+key), then the button."""
    row = QHBoxLayout()
    for caption, widget in fields:
        label = QLabel(caption)
        label.setBuddy(widget)
        row.addWidget(label)
        row.addWidget(widget)
    row.addWidget(button)
    return row


def finding_rows(findings) -> list[tuple]:
    return [(f.kind, f.id_number, f.name, f.township, f.village, f.item, str(f.month) if f.month else "", f.reason)
            for f in findings]


class TodoPage(QWidget):
    counted = Signal(object)  # TodoCounts, after each load

    def __init__(self, db: Database, actor: Actor, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.today = today or date.today()
        self.lists: TodoLists | None = None
        self.export_buttons: dict[str, QPushButton] = {}
        self.tabs = QTabWidget()
        self.upcoming_table = common.read_only_table([tr(header) for header in FINDING_HEADERS])
        self.doubtful_table = common.read_only_table([tr(header) for header in FINDING_HEADERS])
        self.unchecked_table = common.read_only_table([tr(header) for header in liveness.COLUMNS])
        self.fund_table = common.read_only_table([tr(header) for header in budget.COLUMNS])
        self.recovery_table = common.read_only_table([tr(header) for header in recovery.COLUMNS])
        self.tabs.addTab(self._upcoming_tab(), "")
        self.tabs.addTab(self._list_tab(self.doubtful_table, tr("疑点核查"), []), "")
        self.tabs.addTab(self._liveness_tab(), "")
        self.tabs.addTab(self._funds_tab(), "")
        self.tabs.addTab(self._recovery_tab(), "")
        self.info = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.info)
        self._name_tabs(None)
        self.reload()

    # --- the tabs ---------------------------------------------------------------------------

    def _list_tab(self, table, what: str, extra_buttons) -> QWidget:
        export = QPushButton(tr("导出(&E)…"))
        export.clicked.connect(lambda: self.export(table, what))
        self.export_buttons[what] = export
        buttons = QHBoxLayout()
        for button in (*extra_buttons, export):
            buttons.addWidget(button)
        buttons.addStretch()
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(table)
        layout.addLayout(buttons)
        return tab

    def _upcoming_tab(self) -> QWidget:
        self.notice_button = QPushButton(tr("打印通知单(&N)…"))
        self.notice_button.setToolTip(tr("按乡镇打印符合条件而未申请的人员, 交乡镇民政办通知本人 (身份证号遮盖)"))
        self.notice_button.clicked.connect(self.print_notices)
        return self._list_tab(self.upcoming_table, tr("待办提醒"), [self.notice_button])

    def _liveness_tab(self) -> QWidget:
        self.deadline_label = QLabel()
        self.check_date = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.check_date.setDisplayFormat("yyyy-MM-dd")
        self.check_date.setCalendarPopup(True)
        self.check_method = QComboBox()
        self.check_method.addItems(list(liveness.METHODS))
        self.record_button = QPushButton(tr("记录所选人员的认证(&R)"))
        self.record_button.clicked.connect(self.record_check)
        self.import_button = QPushButton(tr("导入认证名单(&I)…"))
        self.import_button.clicked.connect(self.import_checks)
        allowed = may(self.actor.role, "edit_roster")
        for button in (self.record_button, self.import_button):
            button.setEnabled(allowed)
            button.setToolTip("" if allowed else tr("角色「{0}」无权维护花名册").format(self.actor.role))
        tab = self._list_tab(self.unchecked_table, tr("未生存认证"), [self.import_button])
        row = form_row(((tr("认证日期"), self.check_date), (tr("方式"), self.check_method)), self.record_button)
        row.addStretch()
        tab.layout().insertWidget(0, self.deadline_label)
        tab.layout().addLayout(row)
        return tab

    def _funds_tab(self) -> QWidget:
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(self.today.year)
        self.year_box.valueChanged.connect(self.reload)
        self.fund_item = QComboBox()
        self.fund_source = QComboBox()
        self.fund_source.addItems(list(budget.SOURCES))
        self.fund_amount = QLineEdit()
        self.fund_amount.setPlaceholderText(tr("元, 调减写负数"))
        self.fund_note = QLineEdit()
        self.fund_note.setPlaceholderText(tr("文号"))
        self.fund_button = QPushButton(tr("录入资金(&A)"))
        self.fund_button.clicked.connect(self.add_allocation)
        self.fund_amount.returnPressed.connect(self.add_allocation)
        allowed = may(self.actor.role, "set_standard")
        for widget in (self.fund_item, self.fund_source, self.fund_amount, self.fund_note, self.fund_button):
            widget.setEnabled(allowed)
        self.fund_button.setToolTip("" if allowed else tr("仅管理员可录入专项资金"))
        tab = self._list_tab(self.fund_table, tr("专项资金"), [])
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("年度")))
        top.addWidget(self.year_box)
        top.addWidget(QLabel(tr("已审批批次的支出, 银行退回的不计")))
        top.addStretch()
        tab.layout().insertLayout(0, top)
        tab.layout().addLayout(form_row(((tr("项目"), self.fund_item), (tr("来源"), self.fund_source),
                                         (tr("金额"), self.fund_amount), (tr("文号"), self.fund_note)), self.fund_button))
        return tab

    def _recovery_tab(self) -> QWidget:
        self.recovery_totals = QLabel()
        self.clear_amount = QLineEdit()
        self.clear_amount.setPlaceholderText(tr("元"))
        self.clear_method = QComboBox()
        self.clear_method.addItems(list(recovery.METHODS))
        self.clear_date = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.clear_date.setDisplayFormat("yyyy-MM-dd")
        self.clear_date.setCalendarPopup(True)
        self.clear_note = QLineEdit()
        self.clear_note.setPlaceholderText(tr("收据号; 核销须写理由"))
        self.clear_button = QPushButton(tr("记录所选人员的退回或核销(&C)"))
        self.clear_button.setToolTip(tr("先冲抵该人员最早的未清追回款; 核销只能由审批或管理员办理"))
        self.clear_button.clicked.connect(self.record_clearing)
        self.clear_amount.returnPressed.connect(self.record_clearing)
        tab = self._list_tab(self.recovery_table, tr("追回台账"), [])
        tab.layout().insertWidget(0, self.recovery_totals)
        tab.layout().addLayout(form_row(((tr("金额"), self.clear_amount), (tr("方式"), self.clear_method),
                                         (tr("日期"), self.clear_date), (tr("备注"), self.clear_note)), self.clear_button))
        return tab

    def _name_tabs(self, counts: checks.TodoCounts | None) -> None:
        names = (tr("待办提醒"), tr("疑点核查"), tr("生存认证"), tr("专项资金"), tr("追回台账"))
        owing = None if self.lists is None else len({entry.person_id for entry in self.lists.recoveries})
        figures = (None,) * 5 if counts is None else (counts.upcoming, counts.doubtful, counts.unchecked, counts.fund_warnings, owing)
        for index, (name, figure) in enumerate(zip(names, figures)):
            self.tabs.setTabText(index, name if figure is None else f"{name} ({figure})")

    # --- loading -----------------------------------------------------------------------------

    def reload(self, note: str = "") -> None:
        """Load the four lists again; `note` (what was just done) is shown with the new counts.

        Called `reload`, like the roster's, because it is seconds of work on a large county: the
        window runs it on F5, not on every visit or every save on another PC."""
        db, actor, today, year = self.db, self.actor, self.today, self.year_box.value()
        self.note = note if isinstance(note, str) else ""  # valueChanged passes the year

        def work(progress):
            progress(0, 5)
            found_upcoming = checks.upcoming(db, actor, today=today, checkpoint=lambda: progress(0, 5))
            progress(1, 5)
            found_doubtful = checks.doubtful(db, actor, today=today, checkpoint=lambda: progress(1, 5))
            progress(2, 5)
            missing = liveness.unchecked(db, actor, today.year, today=today)
            progress(3, 5)
            funds = budget.fund_status(db, actor, year)
            progress(4, 5)
            owed = recovery.list_recoveries(db, actor)
            progress(5, 5)
            return TodoLists(found_upcoming, found_doubtful, missing, funds, liveness.deadline(db, actor), owed)

        self.info.setText(tr("正在核查…"))
        self.lists = None
        self.task = run_task(self, tr("待办与核查"), work, self.show_lists, self.failed)

    def failed(self, message: str) -> None:
        self.info.setText(message)

    def show_lists(self, lists: TodoLists) -> None:
        self.lists = lists
        common.fill_table(self.upcoming_table, finding_rows(lists.upcoming), lists.upcoming)
        common.fill_table(self.doubtful_table, finding_rows(lists.doubtful), lists.doubtful)
        common.fill_table(self.unchecked_table, [entry.row() for entry in lists.unchecked], lists.unchecked)
        common.fill_table(self.fund_table, [funds.row() for funds in lists.funds], lists.funds)
        common.fill_table(self.recovery_table, [entry.row() for entry in lists.recoveries], lists.recoveries)
        owed = sum((entry.owed for entry in lists.recoveries), ZERO)
        outstanding = sum((entry.outstanding for entry in lists.recoveries), ZERO)
        self.recovery_totals.setText(tr("未清的追回款 {0} 笔, {1} 人: 应追回 {2} 元, 未清 {3} 元 (已审批批次的追回明细)").format(
            len(lists.recoveries), len({entry.person_id for entry in lists.recoveries}), owed, outstanding))
        if lists.deadline:
            text = tr("每年 {0} 月底前须完成当年生存认证; 之后未认证的暂停发放, 认证后恢复并补发。").format(lists.deadline)
        else:
            text = tr("未设置生存认证截止月: 未认证不暂停发放 (管理员可用 workbench liveness deadline 设置)。")
        self.deadline_label.setText(text + tr(" 以下为 {0} 年尚未认证的享受人员 (当年新纳入的除外)。").format(self.today.year))
        current = self.fund_item.currentText()
        self.fund_item.clear()
        self.fund_item.addItems([funds.name for funds in lists.funds])
        if current:
            self.fund_item.setCurrentText(current)
        counts = lists.counts()
        self._name_tabs(counts)
        self.info.setText((self.note + "  " if self.note else "") + tr(
            "待办提醒 {0} 条, 疑点 {1} 条, 未认证 {2} 人, 资金预警 {3} 项 (核查日期 {4})").format(
            counts.upcoming, counts.doubtful, counts.unchecked, counts.fund_warnings, self.today.isoformat()))
        self.counted.emit(counts)

    # --- actions -----------------------------------------------------------------------------

    def export(self, table, what: str) -> None:
        path = common.save_file(self, tr("导出{0}").format(what), f"{what}_{self.today.isoformat()}.xlsx", tr("Excel 文件 (*.xlsx)"))
        if not path:
            return
        headers = [table.horizontalHeaderItem(column).text() for column in range(table.columnCount())]
        rows = [[table.item(row, column).text() if table.item(row, column) else "" for column in range(table.columnCount())]
                for row in range(table.rowCount())]
        write_list(Path(path), what, headers, rows)
        self.info.setText(tr("已导出 {0} ({1} 行)").format(path, len(rows)))

    def print_notices(self) -> None:
        from workbench.services.printing import print_notices

        path = common.save_file(self, tr("保存通知单"), tr("待办提醒通知单_{0}.pdf").format(self.today.isoformat()),
                                tr("PDF 文件 (*.pdf)"))
        if not path:
            return
        people = common.attempt(self, tr("打印通知单"), lambda: print_notices(self.db, self.actor, Path(path), today=self.today))
        if people is not None:
            self.info.setText(tr("已生成 {0}: {1} 人待通知").format(path, people))

    def record_check(self) -> None:
        entry = common.selected_key(self.unchecked_table)
        if entry is None:
            common.inform(self, tr("生存认证"), tr("请先在表中选择一位人员"))
            return
        checked_on = common.picked_date(self.check_date)
        method = self.check_method.currentText()
        name = common.attempt(self, tr("生存认证"), lambda: liveness.record_check(
            self.db, self.actor, entry.person_id, checked_on, method))
        if name:
            self.reload(tr("已记录 {0} 于 {1} 的生存认证 ({2})。").format(name, checked_on.isoformat(), method))

    def import_checks(self) -> None:
        path = common.open_file(self, tr("导入认证名单"), tr("Excel 文件 (*.xlsx)"))
        if not path:
            return
        trial = common.attempt(self, tr("导入认证名单"), lambda: liveness.import_checks(self.db, self.actor, Path(path), dry_run=True))
        if trial is None:
            return
        text = tr("名单 {0} 行: 将记录 {1} 条, 已有 {2} 条, 不在花名册 {3} 人, 姓名不符 {4} 人。确定导入?").format(
            trial.rows, trial.recorded, trial.already, len(trial.not_on_roster), len(trial.name_differs))
        if not common.confirm(self, tr("导入认证名单"), text):
            return
        accept = False
        if trial.name_differs:
            rows = "\n".join(tr("第 {0} 行: 名单「{1}」, 花名册「{2}」").format(*entry) for entry in trial.name_differs[:20])
            accept = common.confirm(self, tr("姓名不符"), tr("以下行的姓名与花名册不同:\n{0}\n\n核实无误, 也按身份证号导入这些行吗? (选「否」则这些行不导入)").format(rows))
        done = common.attempt(self, tr("导入认证名单"), lambda: liveness.import_checks(
            self.db, self.actor, Path(path), accept_names=accept))
        if done is not None:
            self.reload(tr("已记录 {0} 条生存认证。").format(done.recorded))

    def record_clearing(self) -> None:
        entry = common.selected_key(self.recovery_table)
        if entry is None:
            common.inform(self, tr("追回台账"), tr("请先在表中选择一位人员"))
            return
        amount, method = self.clear_amount.text().strip(), self.clear_method.currentText()
        if not amount:
            common.inform(self, tr("追回台账"), tr("请填写金额"))
            return
        on, note = common.picked_date(self.clear_date), self.clear_note.text().strip()
        if not common.confirm(self, tr("追回台账"), tr("记录 {0} {1} {2} 元 ({3})?").format(entry.name, method, amount, on.isoformat())):
            return
        cleared = common.attempt(self, tr("追回台账"), lambda: recovery.record_clearing(
            self.db, self.actor, entry.person_id, amount, method, on, note, today=self.today))
        if cleared is not None:
            self.clear_amount.clear()
            self.clear_note.clear()
            self.reload(tr("已记录 {0} 的{1}: {2}。").format(
                entry.name, method, "; ".join(f"{item} {part} 元" for item, part in cleared)))

    def add_allocation(self) -> None:
        year, item, source = self.year_box.value(), self.fund_item.currentText(), self.fund_source.currentText()
        amount, note = self.fund_amount.text().strip(), self.fund_note.text().strip()
        if not amount:
            common.inform(self, tr("录入资金"), tr("请填写金额"))
            return
        if not common.confirm(self, tr("录入资金"), tr("录入 {0} 年「{1}」{2} {3} 元?").format(year, item, source, amount)):
            return
        funds = common.attempt(self, tr("录入资金"), lambda: budget.add_allocation(
            self.db, self.actor, year, item, source, amount, note))
        if funds is not None:
            self.fund_amount.clear()
            self.fund_note.clear()
            self.reload(tr("已录入; {0} 年「{1}」预算合计 {2} 元。").format(year, funds.name, funds.budget))
