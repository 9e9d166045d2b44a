"""The person form: a new person's first registration, or one person's details, history and changes.

Typing an ID number fills sex, birth date and age; a wrong field is marked with its reason.
Every rule is the service's: the form only gathers text and shows what the service says.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.age import age_on
from workbench.domain.errors import ConcurrentEdit, ImportRejected, WorkbenchError
from workbench.domain.idnumber import InvalidIdNumber, parse_id_number
from workbench.domain.money import ZERO
from workbench.domain.localtime import shown
from workbench.domain.roles import may
from workbench.domain.vocabulary import BANK_FAILED, HUKOU, SELF_CARE, STATUS_KIND_BY_HEADER, TEKUN, YES_NO, status_choices
from workbench.gui import common
from workbench.services.enrollment import apply_for_item
from workbench.services.payout import payment_history
from workbench.services.policy import current_policy
from workbench.services.roster import CHANGEABLE, DATE_FIELDS, change_person
from workbench.services.roster_views import person_detail, township_names
from workbench.services.roster_import import register_person
from workbench.gui.i18n import tr

INVALID = "border: 1px solid #c62828; background: #fff3f3;"


class PersonDialog(QDialog):
    saved = Signal()

    def __init__(self, db: Database, actor: Actor, person_id: int | None, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.person_id = db, actor, person_id
        self.setWindowTitle(tr("新增人员") if person_id is None else tr("人员信息"))
        self.resize(760, 640)
        self.items = [(item.code, item.name) for item in current_policy(db, actor).items if item.paid]
        self.may_edit = may(actor.role, "edit_roster")
        self.fields: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self._basic_group())
        if person_id is None:
            layout.addWidget(self._registration_group())
        else:
            layout.addWidget(self._history_group())
            layout.addWidget(self._change_group())
            layout.addWidget(self._enrollment_group())
            self.refresh()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        if person_id is None:
            self.save_button = buttons.addButton(tr("保存(&S)"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.save_button.setEnabled(self.may_edit)
            self.save_button.clicked.connect(self.register)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # Building the form
    def _line(self, header: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        self.fields[header] = edit
        return edit

    def _choice(self, header: str, values, *, editable: bool = False) -> QComboBox:
        box = QComboBox()
        box.setEditable(editable)
        box.addItems(list(values))
        self.fields[header] = box
        return box

    def _basic_group(self) -> QGroupBox:
        group = QGroupBox(tr("基本信息"))
        form = QFormLayout(group)
        form.addRow(tr("姓名(&M)"), self._line("姓名", tr("与身份证一致")))
        id_edit = self._line("身份证号", tr("18 位, 末位可为 X"))
        id_edit.setMaxLength(18)
        id_edit.textChanged.connect(self.id_typed)
        form.addRow(tr("身份证号(&D)"), id_edit)
        self.id_hint = QLabel(tr("输入身份证号后自动填写性别、出生日期和年龄"))
        form.addRow("", self.id_hint)
        self.sex_label, self.birth_label, self.age_label = QLabel("—"), QLabel("—"), QLabel("—")
        facts = QHBoxLayout()
        for caption, label in (("性别", self.sex_label), ("出生日期", self.birth_label), ("年龄", self.age_label)):
            facts.addWidget(QLabel(caption + ":"))
            facts.addWidget(label)
            facts.addSpacing(16)
        facts.addStretch()
        form.addRow("", facts)
        form.addRow(tr("乡镇(&T)"), self._choice("乡镇", township_names(self.db, self.actor), editable=True))
        form.addRow(tr("村(社区)(&V)"), self._line("村(社区)"))
        form.addRow(tr("户籍性质(&H)"), self._choice("户籍性质", HUKOU))
        form.addRow(tr("联系电话(&P)"), self._line("联系电话"))
        if self.person_id is not None:
            for header in ("姓名", "身份证号", "乡镇", "村(社区)", "户籍性质", "联系电话"):
                self.fields[header].setEnabled(False)
        return group

    def _registration_group(self) -> QGroupBox:
        group = QGroupBox(tr("首次登记 (享受项目须经他人审批)"))
        form = QFormLayout(group)
        form.addRow(tr("低保(&B)"), self._choice("低保", YES_NO[::-1]))
        form.addRow(tr("特困供养(&K)"), self._choice("特困供养", TEKUN))
        form.addRow(tr("自理能力(&Z)"), self._choice("自理能力", ("", *SELF_CARE)))
        form.addRow(tr("开户银行(&Y)"), self._line("开户银行", tr("如: 阳城农商银行")))
        form.addRow(tr("银行账号(&N)"), self._line("银行账号", tr("只能是数字")))
        boxes = QGridLayout()
        self.item_boxes: dict[str, QCheckBox] = {}
        for index, (code, name) in enumerate(self.items):
            box = QCheckBox(name)
            self.item_boxes[name] = box
            boxes.addWidget(box, index // 3, index % 3)
        form.addRow(tr("申请项目"), boxes)
        self.start_edit = common.month_edit()
        form.addRow(tr("起始月份(&Q)"), self.start_edit)
        return group

    def _history_group(self) -> QTabWidget:
        """The person's history in tabs: statuses, items, every payment (why a month's amount is what
        it is), and the bank accounts used."""
        self.history_tabs = QTabWidget()
        self.facts_table = common.read_only_table((tr("状态"), tr("值"), tr("生效月份"), tr("录入人")))
        self.enrollments_table = common.read_only_table((tr("项目"), tr("起始"), tr("截止"), tr("状态"), tr("审批人")))
        self.payments_table = common.read_only_table(
            (tr("批次月份"), tr("项目"), tr("所属期"), tr("金额"), tr("类型"), tr("银行结果"), tr("原因")))
        self.accounts_table = common.read_only_table((tr("开户银行"), tr("账号"), tr("收款人"), tr("登记时间"), tr("登记人")))
        for table, title in ((self.payments_table, tr("发放记录(&1)")), (self.facts_table, tr("状态历史(&2)")),
                             (self.enrollments_table, tr("享受项目(&3)")), (self.accounts_table, tr("银行账户(&4)"))):
            self.history_tabs.addTab(table, title)
        self.history_tabs.setMinimumHeight(180)
        return self.history_tabs

    def _change_group(self) -> QGroupBox:
        group = QGroupBox(tr("记录变更 (状态按月生效)"))
        row = QHBoxLayout(group)
        self.change_field = QComboBox()
        self.change_field.addItems(list(CHANGEABLE))
        self.change_value = QComboBox()
        self.change_value.setEditable(True)
        self.change_month = common.month_edit()
        self.change_field.currentTextChanged.connect(self._change_field_picked)
        self.change_button = QPushButton(tr("记录(&R)"))
        self.change_button.setEnabled(self.may_edit)
        self.change_button.clicked.connect(self.record_change)
        for widget in (common.labelled(tr("变更项目(&G)"), self.change_field), self.change_field,
                       common.labelled(tr("新值(&E)"), self.change_value), self.change_value,
                       common.labelled(tr("生效月份(&F)"), self.change_month), self.change_month, self.change_button):
            row.addWidget(widget)
        self._change_field_picked(self.change_field.currentText())
        return group

    def _enrollment_group(self) -> QGroupBox:
        group = QGroupBox(tr("申请享受项目"))
        row = QHBoxLayout(group)
        self.apply_item = QComboBox()
        for code, name in self.items:
            self.apply_item.addItem(name, code)
        self.apply_month = common.month_edit()
        self.apply_button = QPushButton(tr("提交申请(&A)"))
        self.apply_button.setEnabled(self.may_edit)
        self.apply_button.clicked.connect(self.apply)
        for widget in (common.labelled(tr("申请项目(&I)"), self.apply_item), self.apply_item,
                       common.labelled(tr("起始月份(&O)"), self.apply_month), self.apply_month, self.apply_button):
            row.addWidget(widget)
        row.addStretch()
        return group

    # Behaviour
    def id_typed(self, text: str) -> None:
        edit = self.fields["身份证号"]
        if self.person_id is not None:
            return
        text = text.strip()
        for label in (self.sex_label, self.birth_label, self.age_label):
            label.setText("—")
        if len(text) < 18:
            edit.setStyleSheet("")
            self.id_hint.setText(tr('还差 {0} 位').format(18 - len(text)) if text else tr("输入身份证号后自动填写性别、出生日期和年龄"))
            return
        try:
            parsed = parse_id_number(text)
        except InvalidIdNumber as problem:
            edit.setStyleSheet(INVALID)
            edit.setToolTip(str(problem))
            self.id_hint.setText(tr('身份证号无效: {0}').format(problem))
            return
        edit.setStyleSheet("")
        edit.setToolTip("")
        self.id_hint.setText(tr("身份证号有效"))
        self.sex_label.setText(parsed.sex)
        self.birth_label.setText(parsed.birth_date.isoformat())
        self.age_label.setText(tr('{0} 周岁').format(age_on(parsed.birth_date, date.today())))

    def _change_field_picked(self, header: str) -> None:
        self.change_value.clear()
        kind = STATUS_KIND_BY_HEADER.get(header)
        if kind:
            self.change_value.addItems(list(status_choices(kind)))
        elif header in DATE_FIELDS:
            self.change_value.setEditText(date.today().isoformat())
        elif header == "收款人":
            self.change_value.addItem("本人")
            self.change_value.lineEdit().setPlaceholderText(tr("代领人: 姓名,身份证号,关系 (如 王小明,1405…,子女)"))
        self.change_month.setEnabled(kind is not None)

    def _text(self, header: str) -> str:
        widget = self.fields[header]
        return widget.currentText() if isinstance(widget, QComboBox) else widget.text()

    def register(self) -> None:
        cells = {header: self._text(header).strip() for header in self.fields}
        chosen = [name for name, box in self.item_boxes.items() if box.isChecked()]
        if chosen:
            cells["享受项目"] = "、".join(chosen)
            cells["起始月份"] = str(common.picked_month(self.start_edit))
        for widget in self.fields.values():
            widget.setStyleSheet("")
        try:
            self.person_id = register_person(self.db, self.actor, cells)
        except ImportRejected as refused:
            for error in refused.errors:
                if error.column in self.fields:
                    self.fields[error.column].setStyleSheet(INVALID)
                    self.fields[error.column].setToolTip(error.reason)
            self.message.setText(str(refused))
            return
        except WorkbenchError as problem:
            self.message.setText(str(problem))
            return
        self.saved.emit()
        self.accept()

    def refresh(self) -> None:
        detail = person_detail(self.db, self.actor, self.person_id)
        self.version = detail.version  # what this form saw: a save after someone else's is refused
        self.setWindowTitle(tr('人员信息 · {0}').format(detail.name))
        values = {"姓名": detail.name, "身份证号": detail.id_number, "乡镇": detail.township,
                  "村(社区)": detail.village, "联系电话": detail.phone}
        for header, value in values.items():
            widget = self.fields[header]
            widget.setEditText(value) if isinstance(widget, QComboBox) else widget.setText(value)
        current_hukou = next((value for header, value, *_ in reversed(detail.facts) if header == "户籍性质"), "")
        self.fields["户籍性质"].setCurrentText(current_hukou)
        self.sex_label.setText(detail.sex)
        self.birth_label.setText(detail.birth_date.isoformat())
        died = f" (已于 {detail.death_date.isoformat()} 去世)" if detail.death_date else ""
        self.age_label.setText(tr('{0} 周岁{1}').format(detail.age, died))
        bank = (f"开户银行 {detail.bank_name}, 账号 {detail.account}, 收款人 {detail.payee}" if detail.bank_name
                else "无银行账户")
        self.id_hint.setText(bank)
        common.fill_table(self.facts_table, [(header, value, str(month), by) for header, value, month, by, _at in detail.facts])
        common.fill_table(self.enrollments_table, [
            (name, str(start), str(end) if end else "", state, decided) for name, start, end, state, decided in detail.enrollments
        ])
        common.fill_table(self.accounts_table, [(bank, number, payee, shown(at), by)
                                                for bank, number, payee, at, by in detail.accounts])
        history = payment_history(self.db, self.actor, self.person_id)
        common.fill_table(self.payments_table, [
            (str(line.batch_month), line.item, str(line.period), line.amount, line.kind, line.bank, line.reason)
            for line in reversed(history)  # the newest batch first
        ])
        failed = [line for line in history if line.bank.startswith(BANK_FAILED)]
        title = tr("发放记录(&1) · 失败 {0} 笔").format(len(failed)) if failed else tr("发放记录(&1)")
        if detail.owing:
            title += tr(" · 未清追回 {0} 元").format(sum(detail.owing.values()))
        self.history_tabs.setTabText(0, title)
        self.history_tabs.setTabToolTip(0, "; ".join(tr("{0} 未清追回 {1} 元").format(item, amount)
                                                     for item, amount in detail.owing.items()))

    def record_change(self) -> None:
        header = self.change_field.currentText()
        month = common.picked_month(self.change_month) if header in STATUS_KIND_BY_HEADER else None
        if header == "死亡日期" and self.change_value.currentText().strip() and not self._death_confirmed():
            return
        try:
            summary = change_person(self.db, self.actor, self.person_id, header, self.change_value.currentText(), month,
                                    expected_version=self.version)
        except ConcurrentEdit as problem:
            self.refresh()  # show what the other user saved; the clerk checks it and records again
            self.message.setText(str(problem) + tr(" (已重新载入最新信息)"))
            return
        except WorkbenchError as problem:
            self.change_value.setStyleSheet(INVALID)
            self.message.setText(str(problem))
            return
        self.change_value.setStyleSheet("")
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(tr('已记录: {0}').format(summary))
        self.refresh()
        self.saved.emit()

    def _death_confirmed(self) -> bool:
        """Recording a death: first the recoveries it causes (as the next run computes them), then a yes."""
        from workbench.domain.roster import parse_date
        from workbench.services.deaths import death_recoveries

        text = self.change_value.currentText().strip()
        try:
            died = parse_date(text)
            recoveries = death_recoveries(self.db, self.actor, self.person_id, died)
        except (ValueError, WorkbenchError) as problem:
            self.change_value.setStyleSheet(INVALID)
            self.message.setText(tr("死亡日期「{0}」: {1}").format(text, problem))
            return False
        if recoveries:
            periods = "、".join(str(period) for recovery in recoveries for period in recovery.periods)
            total = sum((recovery.amount for recovery in recoveries), ZERO)
            effect = tr("已发放的 {0} 将在下次计算时追回, 共 {1} 元。").format(periods, -total)
        else:
            effect = tr("没有需要追回的已发放金额。")
        name = self.windowTitle().split("·")[-1].strip()
        return common.confirm(self, tr("记录死亡"), tr("记录 {0} 于 {1} 去世?\n\n{2}").format(name, died.isoformat(), effect))

    def apply(self) -> None:
        try:
            apply_for_item(self.db, self.actor, self.person_id, self.apply_item.currentData(),
                           common.picked_month(self.apply_month))
        except WorkbenchError as problem:
            self.message.setText(str(problem))
            return
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(tr('已提交「{0}」的申请, 等待其他用户审批').format(self.apply_item.currentText()))
        self.refresh()
        self.saved.emit()
