"""The standard roster (标准花名册): its columns, and the check of one row.

Everything here is pure: the reader hands in cell values, the policy hands in the item names,
and the result is a validated `RosterEntry` or the list of `RowError`s for that row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from workbench.domain.age import age_on
from workbench.domain.errors import RowError
from workbench.domain.idnumber import InvalidIdNumber, parse_id_number
from workbench.domain.month import Month
from workbench.domain.vocabulary import (
    ABILITY,
    DISABILITY_GRADE,
    DISABILITY_KIND,
    HUKOU,
    NO,
    SELF_CARE,
    SEXES,
    TEKUN,
    YES_NO,
)

ELDERLY_AGE = 60
SHEET_NAME = "花名册"
GUIDE_SHEET_NAME = "填写说明"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the template: header, when it is required, allowed values, guidance."""

    header: str
    required: str  # "是", "否", or the condition under which it is required
    note: str
    choices: tuple[str, ...] = ()
    text: bool = False  # stored as text in Excel (never as a number)
    width: int = 12


COLUMNS: tuple[Column, ...] = (
    Column("姓名", "是", "与身份证一致", width=10),
    Column("身份证号", "是", "18 位, 校验位正确; 末位小写 x 按大写保存; 请以文本格式填写", text=True, width=21),
    Column("性别", "否", "男/女; 须与身份证号一致", SEXES, width=6),
    Column("出生日期", "否", "YYYY-MM-DD; 须与身份证号一致", text=True, width=12),
    Column("乡镇", "是", "所属乡(镇)", width=10),
    Column("村(社区)", "是", "所属村(居)委会", width=12),
    Column("户籍性质", "是", "城镇/农村, 决定适用城市或农村低保标准", HUKOU, width=8),
    Column("联系电话", "否", "", text=True, width=13),
    Column("低保", "否", "是/否, 空白视为否", YES_NO, width=6),
    Column("低保边缘", "否", "是/否, 空白视为否", YES_NO, width=8),
    Column("特困供养", "否", "否/分散/集中, 空白视为否", TEKUN, width=8),
    Column("自理能力", "特困供养为分散时必填", "全自理/半护理/全护理", SELF_CARE, width=8),
    Column("能力评估等级", "否", "按 GB/T 42195-2022 评估的等级", ABILITY, width=12),
    Column("残疾类别", "否", "视力/听力/言语/肢体/智力/精神/多重", DISABILITY_KIND, width=8),
    Column("残疾等级", "填写残疾类别时必填", "一级/二级/三级/四级", DISABILITY_GRADE, width=8),
    Column("开户银行", "享受发放项目时必填", "如: 阳城农商银行", width=14),
    Column("银行账号", "享受发放项目时必填", "只能是数字; 请以文本格式填写", text=True, width=22),
    Column("享受项目", "否", "项目名称或代码, 多个用 、 ; , 分隔", width=18),
    Column("起始月份", "填写享受项目时必填", "YYYY-MM: 享受项目的首个发放月份, 也是各状态列的生效月份", text=True, width=10),
    Column("已发放至", "否", "YYYY-MM: 原系统已发放到的月份(数据迁移), 这些月份视为已发放", text=True, width=10),
    Column("死亡日期", "否", "YYYY-MM-DD", text=True, width=12),
)
HEADERS = tuple(column.header for column in COLUMNS)
REQUIRED_HEADERS = tuple(column.header for column in COLUMNS if column.required == "是")

_ITEM_SEPARATORS = re.compile(r"[、;；,，\s]+")
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def normalize_header(text: Any) -> str:
    """Headers match after trimming, with full-width parentheses made half-width."""
    return re.sub(r"\s+", "", str(text or "")).replace("（", "(").replace("）", ")")


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A validated roster row, ready to be stored."""

    row: int
    name: str
    id_number: str
    sex: str
    birth_date: date
    township: str
    village: str
    phone: str
    statuses: dict[str, str]  # status kind -> value given in the row (see vocabulary.STATUS_KINDS)
    bank_name: str
    bank_account: str
    items: tuple[str, ...]  # item codes
    start_month: Month | None
    paid_through: Month | None
    death_date: date | None
    status_from: Month  # the month from which the status columns hold
    warnings: tuple[str, ...] = field(default=())


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without '.0', dates as ISO, everything trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value: Any) -> date:
    """A date cell or YYYY-MM-DD text (also YYYY/M/D, YYYY年M月D日, YYYYMMDD)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    found = _DATE_TEXT.match(text)
    if found:
        year, month, day = (int(part) for part in found.groups())
    elif re.fullmatch(r"\d{8}", text):
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    else:
        raise ValueError(f"不是有效的日期 {text!r}, 应为 YYYY-MM-DD")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"日期 {text} 不存在") from None


def parse_month_cell(value: Any) -> Month:
    """A month cell: YYYY-MM text, or a date cell that Excel made from it."""
    if isinstance(value, (date, datetime)):
        return Month.of(value)
    text = cell_text(value)
    try:
        return Month.parse(text)
    except ValueError:
        raise ValueError(f"不是有效的月份 {text!r}, 应为 YYYY-MM") from None


class RowChecker:
    """Checks roster rows against the fixed rules and the policy's item names."""

    def __init__(
        self,
        item_codes_by_name: Mapping[str, str],
        paid_items: set[str],
        *,
        today: date,
        item_min_age: Mapping[str, int] | None = None,
    ) -> None:
        self._items = item_codes_by_name
        self._paid = paid_items
        self._today = today
        self._min_age = item_min_age or {}

    def check(self, row: int, cells: Mapping[str, Any]) -> tuple[RosterEntry | None, list[RowError]]:
        """Validate one row given as header -> raw cell value."""
        errors: list[RowError] = []
        warnings: list[str] = []

        def fail(column: str, reason: str) -> None:
            errors.append(RowError(row, column, reason))

        def text(column: str) -> str:
            return cell_text(cells.get(column))

        def choice(column: str, allowed: tuple[str, ...], default: str = "") -> str:
            value = text(column)
            if not value:
                return default
            if value not in allowed:
                fail(column, f"「{value}」不是可选值, 应为 {'/'.join(allowed)}")
            return value

        def required(column: str) -> str:
            value = text(column)
            if not value:
                fail(column, "必填, 不能为空")
            return value

        name = required("姓名")
        if len(name) > 40:
            fail("姓名", "过长 (最多 40 个字)")

        person = None
        raw_id = cells.get("身份证号")
        if isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool):
            fail("身份证号", "以数字格式保存, Excel 已丢失末尾位数; 请把该列设为文本格式后重新填写")
        elif required("身份证号"):
            try:
                person = parse_id_number(text("身份证号"), today=self._today)
            except InvalidIdNumber as problem:
                fail("身份证号", str(problem))

        sex = choice("性别", SEXES)
        if person and sex and sex != person.sex:
            fail("性别", f"填写为{sex}, 但身份证号表明为{person.sex}")

        birth_text = text("出生日期")
        if birth_text:
            try:
                birth = parse_date(cells.get("出生日期"))
            except ValueError as problem:
                fail("出生日期", str(problem))
            else:
                if person and birth != person.birth_date:
                    fail("出生日期", f"填写为 {birth.isoformat()}, 但身份证号表明为 {person.birth_date.isoformat()}")

        township = required("乡镇")
        village = required("村(社区)")
        hukou = required("户籍性质")
        if hukou and hukou not in HUKOU:
            fail("户籍性质", f"「{hukou}」不是可选值, 应为 城镇/农村")

        statuses = {"hukou": hukou}
        statuses["dibao"] = choice("低保", YES_NO, NO)
        statuses["dibao_edge"] = choice("低保边缘", YES_NO, NO)
        statuses["tekun"] = choice("特困供养", TEKUN, "否")
        self_care = choice("自理能力", SELF_CARE)
        if statuses["tekun"] == "分散" and not self_care:
            fail("自理能力", "特困供养为分散时必填 (全自理/半护理/全护理)")
        if self_care:
            statuses["self_care"] = self_care
        ability = choice("能力评估等级", ABILITY)
        if ability:
            statuses["ability"] = ability
        kind = choice("残疾类别", DISABILITY_KIND)
        grade = choice("残疾等级", DISABILITY_GRADE)
        if kind and not grade:
            fail("残疾等级", "填写残疾类别时必填")
        if grade and not kind:
            fail("残疾类别", "填写残疾等级时必填")
        if kind and grade:
            statuses["disability_kind"], statuses["disability_grade"] = kind, grade

        items: list[str] = []
        for token in _ITEM_SEPARATORS.split(text("享受项目")):
            if not token:
                continue
            code = self._items.get(token) or self._items.get(token.upper())
            if code is None:
                fail("享受项目", f"未知的项目「{token}」")
            elif code not in items:
                items.append(code)

        start_month = self._month(cells, "起始月份", fail)
        paid_through = self._month(cells, "已发放至", fail)
        if items and start_month is None and not text("起始月份"):
            fail("起始月份", "填写享受项目时必填")
        if paid_through and not items:
            fail("已发放至", "没有享受项目时不能填写")
        if person and start_month and start_month < Month.of(person.birth_date):
            fail("起始月份", f"{start_month} 早于出生月份")

        death_date = None
        if text("死亡日期"):
            try:
                death_date = parse_date(cells.get("死亡日期"))
            except ValueError as problem:
                fail("死亡日期", str(problem))
            else:
                if death_date > self._today:
                    fail("死亡日期", f"{death_date.isoformat()} 晚于今天")
                elif person and death_date < person.birth_date:
                    fail("死亡日期", "早于出生日期")

        bank_name = text("开户银行")
        account = re.sub(r"[\s-]", "", text("银行账号"))
        raw_account = cells.get("银行账号")
        if isinstance(raw_account, float) and len(account) > 15:
            fail("银行账号", "以数字格式保存, Excel 已丢失末尾位数; 请把该列设为文本格式后重新填写")
        elif account and not account.isdigit():
            fail("银行账号", "只能包含数字")
        elif account and not 8 <= len(account) <= 30:
            fail("银行账号", f"长度 {len(account)} 位不合理 (应为 8-30 位)")
        if any(code in self._paid for code in items):
            if not bank_name:
                fail("开户银行", "享受发放项目时必填")
            if not account:
                fail("银行账号", "享受发放项目时必填")

        if person and items:
            age_now = age_on(person.birth_date, self._today)
            if age_now < ELDERLY_AGE:
                fail("享受项目", f"未满 {ELDERLY_AGE} 周岁 (现 {age_now} 岁), 不能享受老年人补贴项目")
            elif start_month:
                age_then = age_on(person.birth_date, start_month.last_day())
                for code in items:
                    minimum = self._min_age.get(code)
                    if minimum and age_then < minimum:
                        warnings.append(f"{start_month} 时 {age_then} 周岁, 尚未达到项目 {code} 的 {minimum} 周岁; 达到后才发放")
        elif person and age_on(person.birth_date, self._today) < ELDERLY_AGE:
            warnings.append(f"未满 {ELDERLY_AGE} 周岁")

        if errors or person is None:
            return None, errors
        status_from = start_month or Month.of(self._today)
        return (
            RosterEntry(
                row=row,
                name=name,
                id_number=person.number,
                sex=person.sex,
                birth_date=person.birth_date,
                township=township,
                village=village,
                phone=text("联系电话"),
                statuses=statuses,
                bank_name=bank_name,
                bank_account=account,
                items=tuple(items),
                start_month=start_month,
                paid_through=paid_through,
                death_date=death_date,
                status_from=status_from,
                warnings=tuple(warnings),
            ),
            [],
        )

    @staticmethod
    def _month(cells: Mapping[str, Any], column: str, fail) -> Month | None:
        if not cell_text(cells.get(column)):
            return None
        try:
            return parse_month_cell(cells.get(column))
        except ValueError as problem:
            fail(column, str(problem))
            return None
