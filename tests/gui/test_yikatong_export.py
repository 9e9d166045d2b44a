"""月度发放 in a county that uploads to the 一卡通 platform: the export asks which file to write."""
from PySide6.QtCore import QDate

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import roster_row, write_rows
from workbench.domain.month import Month
from workbench.gui.main_window import MainWindow
from workbench.services.bank_export import set_item_code
from workbench.services.payout import approve_month, run_month
from workbench.services.roster_import import import_roster


def test_the_export_offers_the_upload_once_item_codes_are_set(sqlite_db, qtbot, tmp_path, answers):
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2026-10")]), today=TODAY)
    run_month(sqlite_db, CLERK, Month(2026, 10), today=TODAY)
    approve_month(sqlite_db, REVIEWER, Month(2026, 10))
    set_item_code(sqlite_db, ADMIN, "高龄补贴", "14052201")
    window = MainWindow(sqlite_db, ADMIN)
    qtbot.addWidget(window)
    payout = window.page("月度发放")
    payout.month_edit.setDate(QDate(2026, 10, 1))
    qtbot.waitUntil(lambda: not payout.loading and payout.export_button.isEnabled())
    answers.files["导出银行文件"] = "一卡通上传表 (全部银行, 每个项目一张表)"
    answers.files["选择保存银行文件的文件夹"] = str(tmp_path / "upload")
    payout.export_button.click()
    assert (tmp_path / "upload" / "2026-10_一卡通.xlsx").is_file(), (answers.messages, payout.result_label.text())
    answers.files["导出银行文件"] = None  # the question cancelled: nothing is written
    answers.files["选择保存银行文件的文件夹"] = str(tmp_path / "again")
    payout.export_button.click()
    assert not (tmp_path / "again").exists()
