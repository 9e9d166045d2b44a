"""Digits, months and numbers as a tired clerk pastes them: normalised where harmless, refused where not."""
from datetime import date

import pytest

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
