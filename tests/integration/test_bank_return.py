"""Bank returns: failed lines are paid again in the next batch, never twice; bad files change nothing."""
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.errors import ImportRejected, InvalidInput
from workbench.domain.month import Month as M
from workbench.services.bank_export import export_bank
from workbench.services.bank_return import import_bank_return
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.roster_import import import_roster
from workbench.store.models import Batch, LedgerLine

POST = "中国邮政储蓄银行"
FIRST, SECOND = make_id(date(1941, 5, 3), 11), make_id(date(1936, 2, 2), 32)


def export_two_people(db, tmp_path, bank):
    """Two people paid through `bank` in an approved October batch, its lists exported to tmp_path/out."""
    rows = [roster_row(开户银行=bank, 起始月份="2026-10"),
            roster_row(姓名="李秀英", 身份证号=SECOND, 性别="女", 出生日期="1936-02-02", 开户银行=bank,
                       银行账号="6221000055556666777", 起始月份="2026-10")]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(db, CLERK, M(2026, 10))
    approve_month(db, REVIEWER, M(2026, 10))
    export_bank(db, CLERK, M(2026, 10), tmp_path / "out", today=TODAY)


@pytest.fixture
def exported(db, tmp_path):
    export_two_people(db, tmp_path, POST)
    return db, tmp_path / "out" / f"2026-10_{POST}.xlsx"


def bank_answers(sent, tmp_path, results, edit=None):
    """The bank's return file: the list as sent, with a result and a reason per line."""
    book = openpyxl.load_workbook(sent)
    sheet = book["代发清单"]
    sheet.cell(1, 10, "处理结果")
    sheet.cell(1, 11, "失败原因")
    for number, (result, reason) in enumerate(results, start=2):
        sheet.cell(number, 10, result)
        sheet.cell(number, 11, reason)
    if edit:
        edit(sheet)
    path = tmp_path / "return.xlsx"
    book.save(path)
    return path


def test_a_failed_line_is_paid_again_next_month_and_only_once(exported, tmp_path):
    db, sent = exported
    report = import_bank_return(db, CLERK, M(2026, 10), bank_answers(sent, tmp_path, [("成功", ""), ("失败", "账户已销户")]))
    assert (report.paid, report.failed, report.reconciled) == (1, 1, True)
    with db.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(Batch.state)) == "已对账"
        assert set(uow.session.execute(select(LedgerLine.bank_status, LedgerLine.bank_note)).all()) == {("已支付", None), ("失败", "账户已销户")}
    run_month(db, CLERK, M(2026, 11))
    november = {(line.id_number, line.period, line.kind): line.amount for line in show_month(db, ADMIN, M(2026, 11))}
    assert november[(SECOND, M(2026, 10), "补发")] > 0  # failed in October: paid again
    assert (FIRST, M(2026, 10), "补发") not in november  # paid in October: not again
    approve_month(db, REVIEWER, M(2026, 11))
    run_month(db, CLERK, M(2026, 12))
    assert not [line for line in show_month(db, ADMIN, M(2026, 12)) if line.kind == "补发"]


@pytest.mark.parametrize("edit, message", [
    (lambda sheet: sheet.cell(2, 5, 999.99), "不符"),
    # The amount sent with a third decimal: read as every amount is read, never rounded to a match.
    (lambda sheet: sheet.cell(2, 5, f"{Decimal(str(sheet.cell(2, 5).value)):.2f}4"), "第 2 行.*最多两位小数"),
    (lambda sheet: sheet.cell(2, 5, "1e2"), "不是有效的金额"),
    (lambda sheet: sheet.cell(2, 7, "2026-09"), "不是 2026-10 批次"),
    (lambda sheet: sheet.cell(2, 4, "6200000000000000000"), "无法匹配"),
    (lambda sheet: [sheet.cell(3, column, sheet.cell(2, column).value) for column in range(1, 12)], "重复"),
    (lambda sheet: sheet.cell(2, 10, "处理中"), "无法识别"),
])
def test_a_bad_return_file_changes_nothing(exported, tmp_path, edit, message):
    db, sent = exported
    path = bank_answers(sent, tmp_path, [("成功", ""), ("失败", "户名不符")], edit)
    with pytest.raises(ImportRejected, match=message):
        import_bank_return(db, CLERK, M(2026, 10), path)
    with db.unit_of_work(ADMIN) as uow:
        assert uow.session.scalars(select(LedgerLine.bank_status)).all() == [None] * 2
        assert uow.session.scalar(select(Batch.state)) == "已导出"


def test_an_unknown_layout_is_refused(exported, tmp_path):
    db, sent = exported
    path = tmp_path / "weird.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["户名", "卡号", "交易金额"])
    book.save(path)
    with pytest.raises(InvalidInput, match="缺少列"):
        import_bank_return(db, CLERK, M(2026, 10), path)


def test_a_text_return_in_the_banks_own_layout(db, tmp_path):
    rural = "阳城农商银行"
    export_two_people(db, tmp_path, rural)
    sent = (tmp_path / "out" / f"2026-10_{rural}.txt").read_bytes().decode("gbk").split("\r\n")
    answered = [sent[0], sent[1] + "|成功|", sent[2] + "|失败|户名不符"]
    path = tmp_path / "return.txt"
    path.write_bytes("\r\n".join(answered).encode("gbk"))
    report = import_bank_return(db, CLERK, M(2026, 10), path)
    assert (report.paid, report.failed) == (1, 1)
    wrong = tmp_path / "wrong.txt"
    wrong.write_bytes("a|b\r\nc|d\r\n".encode("gbk"))
    with pytest.raises(InvalidInput, match="无法识别"):
        import_bank_return(db, CLERK, M(2026, 10), wrong)


@pytest.mark.parametrize("saved_as", ["utf-8", "utf-8-sig"])
def test_a_text_return_saved_again_as_utf8_is_read_as_its_words(db, tmp_path, saved_as):
    """The clerk opened the bank's GBK return in Notepad and saved it: the failure reason is still read right."""
    rural = "阳城农商银行"
    export_two_people(db, tmp_path, rural)
    sent = (tmp_path / "out" / f"2026-10_{rural}.txt").read_bytes().decode("gbk").split("\r\n")
    path = tmp_path / "return.txt"
    path.write_bytes("\r\n".join([sent[0], sent[1] + "|成功|", sent[2] + "|失败|户名不符"]).encode(saved_as))
    report = import_bank_return(db, CLERK, M(2026, 10), path)
    assert (report.paid, report.failed) == (1, 1)
    from workbench.services.payout import payment_history

    reasons = {line.bank for shown in show_month(db, ADMIN, M(2026, 10)) for line in payment_history(db, ADMIN, shown.id_number)}
    assert "失败: 户名不符" in reasons, reasons


def test_a_failed_line_is_not_spending_of_the_special_fund(exported, tmp_path):
    from workbench.services.budget import fund_status

    db, sent = exported

    def spent():
        return next(funds for funds in fund_status(db, CLERK, 2026) if funds.name == "高龄补贴").spent_by_month

    before = spent()[10]
    import_bank_return(db, CLERK, M(2026, 10), bank_answers(sent, tmp_path, [("成功", ""), ("失败", "账户已销户")]))
    failed = next(line.amount for line in show_month(db, ADMIN, M(2026, 10)) if line.id_number == SECOND)
    assert before > failed > 0 and spent()[10] == before - failed


def test_a_persons_history_shows_every_line_with_the_banks_answer(exported, tmp_path):
    from workbench.services.payout import payment_history

    db, sent = exported
    import_bank_return(db, CLERK, M(2026, 10), bank_answers(sent, tmp_path, [("成功", ""), ("失败", "账户已销户")]))
    failed_person = next(line.id_number for line in show_month(db, ADMIN, M(2026, 10)) if line.name == "李秀英")
    run_month(db, CLERK, M(2026, 11))
    history = payment_history(db, ADMIN, failed_person)
    assert [(str(line.batch_month), str(line.period), line.kind, line.bank) for line in history] == [
        ("2026-10", "2026-10", "当月", "失败: 账户已销户"),
        ("2026-11", "2026-10", "补发", ""),
        ("2026-11", "2026-11", "当月", ""),
    ]
    assert "银行退回" in history[1].reason, history[1].reason  # the re-issued line says why it is paid again
    assert history[0].amount == history[1].amount
    paid = payment_history(db, CLERK, FIRST)
    assert [line.bank for line in paid][0] == "已支付"


def test_a_text_return_of_another_months_file_is_refused_though_accounts_and_amounts_agree(db, tmp_path):
    rural = "阳城农商银行"
    ninety = make_id(date(1936, 2, 2), 31)  # 90: 2400 a year, 200.00 every month
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row(身份证号=ninety, 出生日期="1936-02-02",
                                                                         开户银行=rural, 起始月份="2026-10")]), today=TODAY)
    for month, day in ((M(2026, 10), date(2026, 11, 2)), (M(2026, 11), date(2026, 11, 20))):
        run_month(db, CLERK, month, today=TODAY)
        approve_month(db, REVIEWER, month)
        export_bank(db, CLERK, month, tmp_path / str(month), today=day)

    def answered(month):
        sent = (tmp_path / str(month) / f"{month}_{rural}.txt").read_bytes().decode("gbk").split("\r\n")
        path = tmp_path / f"return_{month}.txt"
        path.write_bytes("\r\n".join([sent[0], sent[1] + "|成功|"]).encode("gbk"))
        return path, sent

    october, october_sent = answered(M(2026, 10))
    november, november_sent = answered(M(2026, 11))
    assert october_sent[1] == november_sent[1]  # the same line: account, name and amount
    with pytest.raises(InvalidInput, match="是 2026-10 导出的代发文件的回盘, 不是 2026-11"):
        import_bank_return(db, CLERK, M(2026, 11), october)
    forged = tmp_path / "forged.txt"
    forged.write_bytes("\r\n".join([november_sent[0].replace("2026", "2025", 1), november_sent[1] + "|成功|"]).encode("gbk"))
    with pytest.raises(InvalidInput, match="不一致"):
        import_bank_return(db, CLERK, M(2026, 11), forged)
    assert import_bank_return(db, CLERK, M(2026, 11), november).paid == 1
    assert import_bank_return(db, CLERK, M(2026, 10), october).paid == 1
