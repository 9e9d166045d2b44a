"""The check of one roster row: every kind of bad input names the row, the column and why."""
from datetime import date

import pytest

from tests.helpers import make_id, roster_row, wrong_check_digit
from workbench.domain.month import Month
from workbench.domain.policy import parse_policy
from workbench.domain.roster import RowChecker, normalize_header
from workbench.paths import policy_presets_dir

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def checker() -> RowChecker:
    policy = parse_policy((policy_presets_dir() / "yangcheng.toml").read_text(encoding="utf-8"))
    return RowChecker(
        policy.item_codes_by_name(),
        {item.code for item in policy.items if item.paid},
        today=TODAY,
        item_min_age={item.code: item.min_age for item in policy.items},
    )


def errors_of(checker, **overrides):
    entry, errors = checker.check(7, roster_row(**overrides))
    return entry, [(error.row, error.column, error.reason) for error in errors]


def test_a_good_row_becomes_an_entry(checker):
    entry, errors = errors_of(checker)
    assert errors == []
    assert entry.items == ("GLBT",)
    assert entry.start_month == Month(2024, 1)
    assert entry.status_from == Month(2024, 1)
    assert entry.statuses == {"hukou": "农村", "dibao": "否", "dibao_edge": "否", "tekun": "否"}
    assert entry.sex == "男" and entry.birth_date == date(1941, 5, 3)


@pytest.mark.parametrize(
    "overrides, column, reason",
    [
        ({"身份证号": wrong_check_digit(make_id(date(1941, 5, 3), 11))}, "身份证号", "校验位"),
        ({"身份证号": "140522194102300111"}, "身份证号", "不存在"),
        ({"性别": "女"}, "性别", "身份证号表明为男"),
        ({"出生日期": "1941-05-04"}, "出生日期", "身份证号表明为 1941-05-03"),
        ({"出生日期": "1941-13-04"}, "出生日期", "不存在"),
        ({"享受项目": "高龄补贴、敬老金"}, "享受项目", "未知的项目「敬老金」"),
        ({"起始月份": "2024-13"}, "起始月份", "不是有效的月份"),
        ({"起始月份": ""}, "起始月份", "必填"),
        ({"已发放至": "24年5月"}, "已发放至", "不是有效的月份"),
        ({"死亡日期": "2027-01-01"}, "死亡日期", "晚于今天"),
        ({"死亡日期": "2026-02-30"}, "死亡日期", "不存在"),
        ({"银行账号": "6231-0000-ABCD"}, "银行账号", "只能包含数字"),
        ({"银行账号": ""}, "银行账号", "必填"),
        ({"开户银行": ""}, "开户银行", "必填"),
        ({"特困供养": "分散"}, "自理能力", "特困供养为分散时必填"),
        ({"特困供养": "集体"}, "特困供养", "不是可选值"),
        ({"户籍性质": "城市"}, "户籍性质", "不是可选值"),
        ({"户籍性质": ""}, "户籍性质", "必填"),
        ({"姓名": " "}, "姓名", "必填"),
        ({"乡镇": ""}, "乡镇", "必填"),
        ({"残疾类别": "肢体"}, "残疾等级", "必填"),
        ({"残疾等级": "二级"}, "残疾类别", "必填"),
        ({"能力评估等级": "失能"}, "能力评估等级", "不是可选值"),
        ({"起始月份": "1941-04"}, "起始月份", "早于出生月份"),
        ({"身份证号": make_id(date(1970, 1, 1), 11), "性别": "", "出生日期": ""}, "享受项目", "未满 60 周岁"),
    ],
)
def test_bad_cells_name_row_column_and_reason(checker, overrides, column, reason):
    entry, errors = errors_of(checker, **overrides)
    assert entry is None
    assert any(row == 7 and col == column and reason in why for row, col, why in errors), errors


def test_an_id_stored_as_a_number_is_refused_not_truncated(checker):
    row = roster_row()
    row["身份证号"] = float(row["身份证号"][:17])
    entry, errors = checker.check(3, row)
    assert entry is None
    assert errors[0].column == "身份证号" and "文本格式" in errors[0].reason


def test_lower_case_x_and_date_cells_are_accepted(checker):
    first17 = next(f"140522193801010{n:02d}" for n in range(100) if make_id(date(1938, 1, 1), n).endswith("X"))
    row = roster_row(身份证号=(first17 + "x"), 性别="", 出生日期="")
    row["起始月份"] = date(2024, 3, 1)  # Excel turns "2024-03" typed into a cell into a date
    entry, errors = checker.check(2, row)
    assert errors == []
    assert entry.id_number.endswith("X")
    assert entry.start_month == Month(2024, 3)


def test_not_yet_qualifying_is_a_warning_not_an_error(checker):
    # 78 years old at the start month: the enrollment is accepted and owes nothing until 80.
    entry, errors = errors_of(checker, 身份证号=make_id(date(1946, 3, 1), 11), 出生日期="1946-03-01", 起始月份="2024-06")
    assert errors == []
    assert entry.warnings and "80 周岁" in entry.warnings[0]


def test_items_accept_names_aliases_codes_and_every_separator(checker):
    entry, errors = errors_of(checker, 低保="是", 享受项目="高龄补贴;YLFW，养老服务补贴")
    assert errors == []
    assert entry.items == ("GLBT", "YLFW")


def test_headers_match_with_full_width_parentheses_and_spaces():
    assert normalize_header(" 村（社区） ") == "村(社区)"
    assert normalize_header("身份证号\n") == "身份证号"
