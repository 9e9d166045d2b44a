"""A month's work through the real screens and a real database: log in, import, search, edit a
person, register a newcomer, run the month, approve it as a second user, export the bank lists."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from tests.conftest import ADMIN
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.age import age_on
from workbench.gui.import_wizard import ImportWizard
from workbench.gui.login import LoginDialog
from workbench.gui.main_window import MainWindow
from workbench.gui.person_dialog import PersonDialog
from workbench.services.accounts import add_user

NEWCOMER = make_id(date(1944, 7, 1), 41)


def log_in(qtbot, db, name: str, password: str):
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.user_edit.setText(name)
    qtbot.keyClicks(dialog.password_edit, password)
    dialog.form.findChild(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Ok).click()
    return dialog


def test_login_failures_are_counted_and_lock_the_account(sqlite_db, qtbot):
    add_user(sqlite_db, ADMIN, "zhang", "经办", "zhang-secret")
    for _ in range(4):
        dialog = log_in(qtbot, sqlite_db, "zhang", "wrong-one")
        assert dialog.actor is None and dialog.message.text() == "用户名或密码错误"
    dialog = log_in(qtbot, sqlite_db, "zhang", "wrong-one")
    dialog = log_in(qtbot, sqlite_db, "zhang", "zhang-secret")
    assert dialog.actor is None and "账户已锁定" in dialog.message.text()


def open_window(qtbot, db, actor) -> MainWindow:
    window = MainWindow(db, actor)
    qtbot.addWidget(window)
    window.show()
    roster = window.page("花名册")
    qtbot.waitUntil(lambda: not roster.loading, timeout=20_000)
    return window


def test_a_month_of_work_through_the_screens(db, qtbot, tmp_path, answers):
    add_user(db, ADMIN, "zhang", "经办", "zhang-secret")
    add_user(db, ADMIN, "shen", "审核", "shen-secret")
    clerk = log_in(qtbot, db, "zhang", "zhang-secret").actor
    assert clerk is not None and clerk.role == "经办"
    window = open_window(qtbot, db, clerk)
    assert "zhang" in window.user_label.text() and "经办" in window.user_label.text()
    roster = window.page("花名册")
    assert roster.model.total() == 0

    # Import through the wizard: file, header mapping, dry run, import.
    source = write_rows(tmp_path / "county.xlsx", [
        roster_row(起始月份="2026-10"),
        roster_row(姓名="李秀英", 身份证号=make_id(date(1936, 2, 2), 32), 性别="女", 出生日期="1936-02-02",
                   低保="是", 享受项目="高龄补贴、养老服务补贴", 起始月份="2026-10"),
    ])
    roster.open_import()
    wizard = roster.findChild(ImportWizard)
    wizard.file_page.path_edit.setText(str(source))
    wizard.next()
    mapping = wizard.mapping_page.table
    assert mapping.rowCount() >= 10 and mapping.item(0, 1).text() == "姓名"
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.checked, timeout=20_000)
    assert "将新增 2 人" in wizard.check_page.summary.text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.import_page.done, timeout=20_000)
    assert "新增 2 人" in wizard.import_page.result.text()
    qtbot.waitUntil(lambda: not roster.loading and roster.model.total() == 2, timeout=20_000)

    # Search by pinyin initials, then open the person and record a dated status change.
    qtbot.keyClicks(roster.search_box, "wdf")
    assert roster.model.rowCount() == 1 and roster.model.data(roster.model.index(0, 0)) == "王德福"
    person_id = roster.model.person_id(0)
    dialog = PersonDialog(db, clerk, person_id)
    qtbot.addWidget(dialog)
    assert dialog.sex_label.text() == "男" and dialog.birth_label.text() == "1941-05-03"
    assert "*" in dialog.fields["身份证号"].text()  # a clerk sees the number masked
    dialog.change_field.setCurrentText("联系电话")
    dialog.change_value.setEditText("13912345678")
    dialog.change_button.click()
    assert dialog.message.text().startswith("已记录"), dialog.message.text()
    dialog.change_field.setCurrentText("低保")
    dialog.change_value.setCurrentText("是")
    dialog.change_month.setDate(QDate(2026, 10, 1))
    dialog.change_button.click()
    assert "低保 自 2026-10 起为「是」" in dialog.message.text()
    facts = [(dialog.facts_table.item(row, 0).text(), dialog.facts_table.item(row, 1).text())
             for row in range(dialog.facts_table.rowCount())]
    assert ("低保", "是") in facts

    # A newcomer on the form: the ID number fills sex, birth date and age; a wrong one is marked.
    form = PersonDialog(db, clerk, None)
    qtbot.addWidget(form)
    qtbot.keyClicks(form.fields["身份证号"], NEWCOMER[:-1] + ("0" if NEWCOMER[-1] != "0" else "1"))
    assert form.id_hint.text().startswith("身份证号无效") and "border" in form.fields["身份证号"].styleSheet()
    form.fields["身份证号"].clear()
    qtbot.keyClicks(form.fields["身份证号"], NEWCOMER)
    assert (form.sex_label.text(), form.birth_label.text()) == ("男", "1944-07-01")
    assert form.age_label.text() == f"{age_on(date(1944, 7, 1), date.today())} 周岁"
    form.fields["姓名"].setText("赵文华")
    form.save_button.click()
    assert "「村(社区)」" in form.message.text() and "border" in form.fields["村(社区)"].styleSheet()
    form.fields["村(社区)"].setText("东关村")
    form.fields["开户银行"].setText("阳城农商银行")
    form.fields["银行账号"].setText("6231000011119999")
    form.item_boxes["高龄补贴"].setChecked(True)
    form.start_edit.setDate(QDate(2026, 10, 1))
    form.save_button.click()
    assert form.person_id is not None, form.message.text()

    # The month: computed by the clerk, who may not approve it.
    window.nav.setCurrentRow(2)
    payout = window.page("月度发放")
    payout.month_edit.setDate(QDate(2026, 10, 1))
    qtbot.waitUntil(lambda: not payout.loading)
    assert not payout.approve_button.isEnabled() and "尚未计算" in payout.state_label.text()
    payout.run_button.click()
    qtbot.waitUntil(lambda: "草稿" in payout.state_label.text(), timeout=30_000)
    assert "2 人" in payout.result_label.text() and "2 人" in payout.figures_label.text()
    assert not payout.approve_button.isEnabled() and "无权审核审批" in payout.approve_button.toolTip()
    assert not payout.export_button.isEnabled() and payout.export_button.toolTip() == "批次尚未审批"
    assert payout.model.rowCount() >= 3  # 新增 lines for both people's items

    # A second user approves the newcomer's application and the month, and exports.
    reviewer = log_in(qtbot, db, "shen", "shen-secret").actor
    second = open_window(qtbot, db, reviewer)
    second.nav.setCurrentRow(1)
    approvals = second.page("申请审批")
    assert approvals.table.rowCount() == 1 and approvals.table.item(0, 1).text() == "赵文华"
    approvals.table.selectRow(0)
    answers.files["保存审批表"] = str(tmp_path / "sheet.pdf")
    approvals.print_button.click()
    assert (tmp_path / "sheet.pdf").stat().st_size > 1000 and "已生成" in approvals.info.text()
    sheet_text = "".join(page.extract_text() for page in PdfReader(tmp_path / "sheet.pdf").pages)
    assert "赵文华" in sheet_text and "高龄补贴" in sheet_text
    approvals.approve_button.click()
    assert "批准 赵文华 的「高龄补贴」申请" in answers.messages[-1][1]  # the item by name, before approving
    assert approvals.table.rowCount() == 0 and "「高龄补贴」申请已批准" in approvals.info.text()
    assert "每月 66.67 元" in approvals.info.text()  # October's share of 800 a year, from the ledger engine
    approvals.state_box.setCurrentIndex(approvals.state_box.findData("已批准"))
    decided = [row for row in range(approvals.table.rowCount()) if approvals.table.item(row, 1).text() == "赵文华"]
    assert len(decided) == 1 and approvals.table.item(decided[0], 9).text() == "shen"
    approvals.table.selectRow(decided[0])
    assert not approvals.approve_button.isEnabled()
    answers.files["保存审批表"] = str(tmp_path / "again.pdf")
    approvals.print_button.click()  # an approved application's sheet printed again
    assert (tmp_path / "again.pdf").stat().st_size > 1000
    payout.refresh()
    qtbot.waitUntil(lambda: not payout.loading)
    assert "过期" in payout.state_label.text()  # the approved application came after the draft
    payout.run_button.click()  # the clerk reruns the draft: the approved newcomer is paid
    qtbot.waitUntil(lambda: "3 人" in payout.result_label.text(), timeout=30_000)
    second.nav.setCurrentRow(2)
    review = second.page("月度发放")
    review.month_edit.setDate(QDate(2026, 10, 1))
    qtbot.waitUntil(lambda: not review.loading)
    assert review.approve_button.isEnabled(), review.reasons.text()
    review.approve_button.click()
    question = answers.messages[-1][1]
    assert "3 人" in question and "应发" in question  # the confirmation states the count and the amount
    qtbot.waitUntil(lambda: "已审批" in review.state_label.text())
    answers.files["选择保存银行文件的文件夹"] = str(tmp_path / "bank")
    (tmp_path / "bank").mkdir()
    review.export_button.click()
    assert "已导出" in review.result_label.text(), answers.messages
    qtbot.waitUntil(lambda: not review.loading)
    # 阳城农商银行 takes the 一卡通 GBK text file: 序号|姓名|金额|账号|...
    text = (tmp_path / "bank" / "2026-10_阳城农商银行.txt").read_bytes().decode("gbk").splitlines()
    paid = {fields[1]: Decimal(fields[2]) for fields in (line.split("|") for line in text[1:])}
    # 高龄补贴 800 a year for 王德福 and 赵文华 (66.67 in October); 李秀英: 2400 a year (200) and 养老服务补贴.
    assert paid["王德福"] == Decimal("66.67") and paid["赵文华"] == Decimal("66.67")
    assert paid["李秀英"] > Decimal("200")
    summary = openpyxl.load_workbook(tmp_path / "bank" / "汇总.xlsx").active
    cells = [cell for row in summary.iter_rows(values_only=True) for cell in row if isinstance(cell, (int, float))]
    assert round(float(sum(paid.values())), 2) in [round(cell, 2) for cell in cells]
    assert "已导出" in review.state_label.text()

    # The bank's return: 王德福's account was closed; the others were paid.
    returned = [text[0]] + [line + ("|失败|账户已销户" if "|王德福|" in line else "|成功|") for line in text[1:]]
    (tmp_path / "return.txt").write_bytes("\n".join(returned).encode("gbk"))
    second.nav.setCurrentRow(3)
    returns = second.page("银行回盘")
    returns.month_edit.setDate(QDate(2026, 10, 1))
    returns.file_edit.setText(str(tmp_path / "return.txt"))
    returns.import_button.click()
    assert "失败 1 人" in returns.result.text() and "66.67" in returns.result.text(), answers.messages
    assert returns.failed_table.rowCount() == 1 and returns.failed_table.item(0, 1).text() == "王德福"
    assert returns.failed_table.item(0, 4).text() == "账户已销户" and "银行退回 1 人" in returns.failed_label.text()
