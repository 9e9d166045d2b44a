"""Digits, months and numbers as a tired clerk pastes them: normalised where harmless, refused where not."""
from datetime import date

import pytest
from sqlalchemy import create_engine, text as sql

from tests.adversarial.conftest import counts, refused
from tests.helpers import make_id, roster_row, workbench, write_rows
from workbench.domain.idnumber import InvalidIdNumber, parse_id_number
from workbench.domain.month import Month
from workbench.domain.roster import parse_month_cell

ID = make_id(date(1941, 5, 3), 11)
FULL_WIDTH = ID.translate({ord(digit): ord(digit) + 0xFEE0 for digit in "0123456789"})


def test_full_width_digits_are_read_as_the_digits_they_are():
    assert parse_id_number(FULL_WIDTH).number == ID
    assert parse_id_number("\u3000" + FULL_WIDTH + "\u3000").number == ID  # ideographic spaces around it


@pytest.mark.parametrize("other", ["³", "\u0663", "\u096a"])  # superscript three, Arabic-Indic three, Devanagari four
def test_digits_of_other_forms_are_refused(other):
    with pytest.raises(InvalidIdNumber):
        parse_id_number(ID[:5] + other + ID[6:])


def test_a_month_excel_stored_as_a_number_that_may_be_october_is_refused():
    with pytest.raises(ValueError, match="2026-01 也可能是 2026-10"):
        parse_month_cell(2026.1)
    assert parse_month_cell(2026.03) == Month(2026, 3)
    with pytest.raises(ValueError):
        Month.parse("٢٠٢٦-٠٣")


def test_the_command_line_reads_a_full_width_id_and_account(county):
    done = workbench("roster", "change", FULL_WIDTH, "银行账号", "６２３１０００１１１１２２２２４４４", db=str(county))
    assert done.returncode == 0, done.stderr
    listed = workbench("payout", "history", FULL_WIDTH, db=str(county))
    assert listed.returncode == 0 and "Traceback" not in listed.stderr


@pytest.mark.parametrize("row, field", [
    (dict(起始月份="2026-01", 已发放至="2030-12"), "已发放至"),  # a future month would silently stop payments
    (dict(起始月份="2026-06", 已发放至="2025-01"), "已发放至"),
    (dict(银行账号="6231\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663"), "银行账号"),
])
def test_a_roster_row_with_an_impossible_field_is_refused_and_nothing_written(county, tmp_path, row, field):
    tables = counts(county)
    source = write_rows(tmp_path / "r.xlsx", [roster_row(姓名="钱多多", 身份证号=make_id(date(1940, 1, 1), 21), 出生日期="1940-01-01", **row)])
    done = workbench("roster", "import", str(source), db=str(county))
    assert done.returncode != 0 and field in done.stderr and "Traceback" not in done.stderr
    assert counts(county) == tables


def test_an_unknown_full_width_id_is_told_not_found(county):
    other = make_id(date(1939, 1, 1), 31).translate({ord(digit): ord(digit) + 0xFEE0 for digit in "0123456789"})
    assert "没有身份证号" in refused(workbench("payout", "history", other, db=str(county)))


def test_a_clerks_approval_sheet_masks_the_numbers_and_a_reviewers_reading_is_audited(county, tmp_path):
    import subprocess

    clerk_sheet = tmp_path / "clerk.pdf"
    assert workbench("user", "add", "jing", "--role", "经办", db=str(county), env={"WORKBENCH_NEW_PASSWORD": "jing-secret"}).returncode == 0
    done = workbench("print", "approval", ID, "--item", "高龄补贴", "--out", str(clerk_sheet), db=str(county),
                     env={"WORKBENCH_USER": "jing", "WORKBENCH_PASSWORD": "jing-secret"})
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", str(clerk_sheet), "-"], capture_output=True, text=True, check=True).stdout
    assert ID not in text and ID[-4:] in text and "6231000011112222333" not in text
    full_sheet = tmp_path / "full.pdf"
    assert workbench("print", "approval", ID, "--item", "高龄补贴", "--out", str(full_sheet), db=str(county)).returncode == 0
    text = subprocess.run(["pdftotext", str(full_sheet), "-"], capture_output=True, text=True, check=True).stdout
    assert ID in text
    engine = create_engine(f"sqlite:///{county}")
    with engine.connect() as connection:
        audited = connection.scalar(sql("SELECT count(*) FROM audit_log WHERE action = '查看完整号码' AND entity_id LIKE '审批表%'"))
    engine.dispose()
    assert audited == 1  # the reviewer's sheet, not the clerk's


def test_a_clerk_asking_for_a_backup_is_told_what_is_needed(county, tmp_path):
    assert workbench("user", "add", "jing", "--role", "经办", db=str(county), env={"WORKBENCH_NEW_PASSWORD": "jing-secret"}).returncode == 0
    message = refused(workbench("db", "backup", "--out", str(tmp_path / "b.db"), db=str(county),
                                env={"WORKBENCH_USER": "jing", "WORKBENCH_PASSWORD": "jing-secret"}))
    assert "备份" in message and "管理用户" not in message


@pytest.mark.parametrize("field, value", [
    ("姓名", "=HYPERLINK(\"x\")"), ("姓名", "王\n德福"), ("姓名", "王德福3"), ("姓名", "王\x1b[31m"), ("姓名", "王|德福"),
    ("乡镇", "@SUM(A1)"), ("乡镇", "凤" * 41), ("村(社区)", "东关\r村"), ("开户银行", "+银行"), ("联系电话", "1380\t000"),
    ("联系电话", "打村委会"), ("联系电话", "138"),
])
def test_text_that_would_break_a_document_is_refused_at_import(county, tmp_path, field, value):
    tables = counts(county)
    source = write_rows(tmp_path / "r.xlsx", [roster_row(身份证号=make_id(date(1940, 1, 1), 21), 出生日期="1940-01-01", **{field: value})])
    done = workbench("roster", "import", str(source), db=str(county))
    assert done.returncode != 0 and field in done.stderr and "Traceback" not in done.stderr
    assert counts(county) == tables


@pytest.mark.parametrize("name", ["阿依古丽·买买提", "阿依古丽•买买提", "王〇", "𠀋一", "John Smith"])
def test_names_as_people_have_them_are_accepted(county, tmp_path, name):
    source = write_rows(tmp_path / "r.xlsx", [roster_row(姓名=name, 身份证号=make_id(date(1940, 1, 1), 21), 出生日期="1940-01-01")])
    done = workbench("roster", "import", str(source), db=str(county))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("field, value", [("姓名", "王\n德福"), ("姓名", "A" * 41), ("开户银行", "=1+1"), ("联系电话", "-1"),
                                          ("联系电话", "abc")])
def test_roster_change_checks_text_as_the_import_does(county, field, value):
    tables = counts(county)
    message = refused(workbench("roster", "change", ID, field, value, db=str(county)))
    assert field in message
    assert counts(county) == tables


@pytest.mark.parametrize("amount", ["1e3", "1_000", "1e20", "92233720368547758.07", "0", "-5", "100001", "NaN", "１０００"])
def test_a_standard_that_is_not_a_plausible_amount_is_refused(county, amount):
    tables = counts(county)
    message = refused(workbench("standard", "set", "高龄补贴", "80-89", amount, "--from", "2026-01-01", db=str(county)))
    assert "标准金额" in message
    assert counts(county) == tables


@pytest.mark.parametrize("arguments", [("--item", "高龄补贴", "--amount", "1e30"), ("--item", "高龄补贴", "--amount", "1_0")])
def test_a_budget_amount_that_is_not_one_is_refused(county, arguments):
    tables = counts(county)
    refused(workbench("budget", "2026", *arguments, db=str(county)))
    assert counts(county) == tables


@pytest.mark.parametrize("arguments", [("budget", "99999"), ("liveness", "missing", "--", "-1"), ("budget", "２０２６")])
def test_a_year_that_is_not_one_is_a_usage_error(county, arguments):
    done = workbench(*arguments, db=str(county))
    assert done.returncode == 2 and "年度" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("typed, stored", [("０３５６－１２３４５６７", "0356-1234567"), ("无", ""),
                                           ("13800000000 / 0356-1234567", "13800000000 / 0356-1234567")])
def test_phone_numbers_as_clerks_type_them_are_kept_as_numbers(county, typed, stored):
    done = workbench("roster", "change", ID, "联系电话", typed, db=str(county))
    assert done.returncode == 0 and f"「{stored}」" in done.stdout, done.stderr
