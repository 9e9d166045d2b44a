"""The 月度发放 review: the table model against Qt's model tester, amounts sorted as numbers, filters
and search over every line (none cut off), the lines read off the screen's thread, an answer for a
month no longer picked dropped, and a draft out of date refused before approval."""
from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QAbstractItemModelTester

from tests.conftest import ADMIN, CLERK, REVIEWER
from tests.helpers import write_rows
from workbench.domain.month import Month
from workbench.gui import payout_page
from workbench.gui.payout_page import PayoutPage
from workbench.gui.review_model import COLUMNS, ReviewFilter, ReviewModel, load_review
from workbench.services.payout import approve_month, diff_month, run_month
from workbench.services.policy import active_policy, set_standard
from workbench.services.roster_import import import_roster
from workbench.synthetic import SyntheticCounty

AUGUST, SEPTEMBER = Month(2026, 8), Month(2026, 9)
AMOUNT = [attribute for _header, attribute in COLUMNS].index("amount")


@pytest.fixture
def county(sqlite_db, tmp_path):
    """600 synthetic people, August approved, September's draft with a raise of 高龄补贴 80-89 from
    July: 补发 for July and August, 新增 and 停发, recoveries for the dead."""
    with sqlite_db.unit_of_work(ADMIN) as uow:
        policy = active_policy(uow)
    rows = SyntheticCounty(policy, seed=11, today=date(2026, 11, 22)).rows(600)
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=date(2026, 11, 22))
    run_month(sqlite_db, CLERK, AUGUST)
    approve_month(sqlite_db, REVIEWER, AUGUST)
    set_standard(sqlite_db, ADMIN, "高龄补贴", "80-89", "960", date(2026, 7, 1))
    run_month(sqlite_db, CLERK, SEPTEMBER)
    return sqlite_db


def test_the_review_model_holds_every_line_sorts_amounts_as_numbers_and_filters(county, qtmodeltester):
    review = load_review(county, ADMIN, SEPTEMBER)
    expected = diff_month(county, ADMIN, SEPTEMBER)
    assert [review.line(index) for index in range(len(review))] == expected and len(expected) > 50
    model = ReviewModel()
    live = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.set_review(review)
    assert model.rowCount() == model.total() == len(expected)  # nothing cut off
    model.sort(AMOUNT, Qt.SortOrder.AscendingOrder)
    shown = [Decimal(model.data(model.index(row, AMOUNT))) for row in range(model.rowCount())]
    assert shown == sorted(line.amount for line in expected) and shown[0] < 0 < shown[-1]  # 追回 first
    assert len({str(amount) for amount in shown}) > 3  # as text, "100.00" < "66.67" would break the order
    model.sort(AMOUNT, Qt.SortOrder.DescendingOrder)
    assert Decimal(model.data(model.index(0, AMOUNT))) == max(line.amount for line in expected)

    back_pay = [line for line in expected if line.category == "补发"]
    model.set_filter(ReviewFilter(category="补发"))
    assert model.rowCount() == len(back_pay) > 0
    assert all(model.line(row).category == "补发" for row in range(model.rowCount()))
    township = back_pay[0].township
    model.set_filter(ReviewFilter(category="补发", township=township))
    assert model.rowCount() == sum(line.township == township for line in back_pay)
    someone = back_pay[0]
    model.set_filter(ReviewFilter(query=someone.name))
    assert someone in [model.line(row) for row in range(model.rowCount())]
    model.set_filter(ReviewFilter(query=someone.id_number[-8:]))
    assert {model.line(row).id_number for row in range(model.rowCount())} == {someone.id_number}
    assert model.counts()["补发"] == len(back_pay)
    qtmodeltester.check(model, force_py=False)
    del live


def test_the_lines_are_read_off_the_screen_thread_and_a_late_answer_is_dropped(county, qtbot, monkeypatch, answers):
    release = threading.Event()
    readers: list[str] = []

    def slow_review(db, actor, month):
        readers.append(threading.current_thread().name)
        if month == AUGUST:
            release.wait(30)  # August's answer arrives after September was picked
        return load_review(db, actor, month)

    monkeypatch.setattr(payout_page, "load_review", slow_review)
    page = PayoutPage(county, REVIEWER)  # opens on the open draft: September
    qtbot.addWidget(page)
    assert page.month == SEPTEMBER
    qtbot.waitUntil(lambda: not page.loading)
    page.month_edit.setDate(QDate(2026, 8, 1))
    assert page.loading and "正在载入" in page.state_label.text()  # the screen thread went on
    page.month_edit.setDate(QDate(2026, 9, 1))
    qtbot.waitUntil(lambda: not page.loading)
    release.set()
    qtbot.waitUntil(lambda: not page.loaders)
    assert page.review.month == SEPTEMBER and "草稿" in page.state_label.text()
    assert threading.current_thread().name not in readers
    assert page.model.rowCount() == len(diff_month(county, REVIEWER, SEPTEMBER))
    assert "补发" in page.figures_label.text() and "应发" in page.figures_label.text()

    # The category box filters without reading again; the month picker steps one month with Down.
    page.category_box.setCurrentIndex(page.category_box.findData("补发"))
    assert not page.loading and 0 < page.model.rowCount() < page.model.total()
    # Sorting and the township and search filters are arranged on a worker thread.
    page.review_table.sortByColumn(AMOUNT, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not page.loading)
    shown = [page.model.line(row).amount for row in range(page.model.rowCount())]
    assert shown == sorted(shown, reverse=True) and len(shown) == page.model.counts()["补发"]
    township = page.model.line(0).township
    page.township_box.setCurrentIndex(page.township_box.findData(township))
    page.search_edit.setText(page.model.line(0).name)
    qtbot.waitUntil(lambda: not page.loading)
    assert {page.model.line(row).township for row in range(page.model.rowCount())} == {township}
    assert f"显示 {page.model.rowCount()} 行" in page.review_counts.text()
    page.month_edit.setFocus()
    qtbot.keyClick(page.month_edit, Qt.Key.Key_Down)
    assert page.month == AUGUST
    qtbot.keyClick(page.month_edit, Qt.Key.Key_PageDown)
    assert page.month == Month(2025, 8)


def test_an_out_of_date_draft_is_marked_and_its_approval_refused(county, qtbot, answers):
    page = PayoutPage(county, REVIEWER)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)
    assert page.approve_button.isEnabled(), page.reasons.text()
    set_standard(county, ADMIN, "养老服务补贴", "标准", "80", date(2026, 9, 1))  # after the draft
    page.approve_button.click()  # the screen still shows the old state: the service refuses
    assert answers.messages[-1][0] == "审核批准" and "过期" in answers.messages[-1][1]
    qtbot.waitUntil(lambda: not page.loading)
    assert "过期" in page.state_label.text() and not page.approve_button.isEnabled()
    run_month(county, CLERK, SEPTEMBER)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    assert page.approve_button.isEnabled()
    run_month(county, ADMIN, SEPTEMBER)  # computed again after the reviewer read it
    page.approve_button.click()
    assert "重新计算" in answers.messages[-1][1]
    qtbot.waitUntil(lambda: not page.loading)
    page.approve_button.click()
    qtbot.waitUntil(lambda: "已审批" in page.state_label.text())


def test_printing_from_the_screen_offers_a_township_and_full_numbers(county, qtbot, answers, tmp_path):
    import subprocess

    page = PayoutPage(county, REVIEWER)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)
    township = page.model.review.townships[0]
    answers.print_choice = (township, True)
    answers.files["保存发放花名册"] = str(tmp_path / "roster.pdf")
    page.roster_button.click()
    qtbot.waitUntil(lambda: answers.opened == [str(tmp_path / "roster.pdf")], timeout=30_000)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "roster.pdf"), "-"], capture_output=True, text=True).stdout
    full = [line for line in diff_month(county, REVIEWER, SEPTEMBER) if line.township == township][0].id_number
    assert township in text and full in text  # the chosen township, with full numbers for a reviewer
    others = set(page.model.review.townships) - {township}
    assert not any(other in text for other in others)
    answers.print_choice = None  # cancelled: nothing asked, nothing written
    page.roster_button.click()
    assert answers.opened == [str(tmp_path / "roster.pdf")]
