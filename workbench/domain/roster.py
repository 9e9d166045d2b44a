"""The standard roster (标准花名册): its columns, and the check of one row.

Everything here is pure: the reader hands in cell values, the policy hands in the item names,
and the result is a validated `RosterEntry` or the list of `RowError`s for that row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Mapping, Sequence

from workbench.domain.age import age_at_month_end, age_on
from workbench.domain.errors import RowError
from workbench.domain.idnumber import InvalidIdNumber, ResidentId, ascii_digits, half_width, parse_id_number
from workbench.domain.month import Month
from workbench.domain.text import clean_name, clean_phone, clean_text
from workbench.domain.vocabulary import (
    ABILITY,
    DISABILITY_GRADE,
    DISABILITY_KIND,
    HUKOU,
    SELF_CARE,
    SEXES,
    STATUS_KINDS,
    TEKUN,
    YES_NO,
)

ELDERLY_AGE = 60
# Free text columns and the widths the database declares for them (persons.name and phone,
# townships.name, villages.name, bank_accounts.bank_name): checked here, so every backend agrees.
TEXT_WIDTHS = {"姓名": 40, "乡镇": 40, "村(社区)": 60, "开户银行": 60, "联系电话": 40, "收款人姓名": 40, "与享受人关系": 20}
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
    Column("迁出日期", "否", "YYYY-MM-DD: 户籍迁出本县的日期, 发放到当月为止", text=True, width=12),
    Column("收款人姓名", "否", "代领人或分散供养的照料人; 空白表示本人领取, 银行账号须是收款人的", width=10),
    Column("收款人身份证号", "填写收款人姓名时必填", "收款人的 18 位身份证号; 请以文本格式填写", text=True, width=21),
    Column("与享受人关系", "填写收款人姓名时必填", "如: 子女、配偶、照料人", width=10),
)
HEADERS = tuple(column.header for column in COLUMNS)
REQUIRED_HEADERS = tuple(column.header for column in COLUMNS if column.required == "是")

# Columns with fixed values: header, status kind, allowed values, value when empty ("" = none).
_CHOICE_COLUMNS = (("性别", "sex", SEXES, ""),) + tuple(
    (header, kind, allowed, default or "") for kind, (header, allowed, default) in STATUS_KINDS.items())
_ITEM_SEPARATORS = re.compile(r"[、;；,，\s]+")
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def normalize_header(text: Any) -> str:
    """Headers match after trimming, with full-width parentheses made half-width."""
    return re.sub(r"\s+", "", str(text or "")).replace("（", "(").replace("）", ")")


@dataclass(slots=True)  # not frozen: built once per row of large files, and frozen init is slow
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
    warnings: tuple[str, ...] = ()
    moved_out_date: date | None = None
    # (name, ID number, relation) of a payee who is not the person; () the person is paid; None the
    # file has no payee columns (an older template): the payee on record stays
    payee: tuple[str, str, str] | tuple[()] | None = None


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


def _texts(cells: Sequence[Any]) -> list[str]:
    """A column's cells as text (`cell_text`): a column of text cells trimmed in one pass."""
    try:
        return list(map(str.strip, cells))
    except TypeError:  # a number, a date or an empty cell among them
        return [value.strip() if value.__class__ is str else cell_text(value) for value in cells]


def parse_date(value: Any) -> date:
    """A date cell or YYYY-MM-DD text (also YYYY/M/D, YYYY年M月D日, YYYYMMDD)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # fall through for the Chinese message
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
    if isinstance(value, float) and text.endswith(".1"):
        # Excel keeps 2026.10 typed as a number as 2026.1: October or January cannot be told apart.
        raise ValueError(f"「{text}」可能是 {text[:4]}-01 也可能是 {text[:4]}-10 (Excel 把 {text}0 存成了数字), "
                         "请把单元格设为文本并写成 YYYY-MM")
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
        entries, errors = self.check_table([row], {header: [value] for header, value in cells.items()})
        return (entries[0] if entries else None), errors

    def check_table(self, rows: Sequence[int], columns: Mapping[str, Sequence[Any]]) -> tuple[list[RosterEntry], list[RowError]]:
        """Validate many rows at once, column by column (a sheet of 200,000 rows in seconds).

        `rows` are the sheet's row numbers; `columns` maps a header to that column's raw cells.
        Returns the entries of the rows without errors, and every error, ordered by row.
        """
        count = len(rows)
        blank = [""] * count
        texts = {header: _texts(cells) for header, cells in columns.items()}
        text = lambda header: texts.get(header, blank)  # noqa: E731
        raw = lambda header: columns.get(header, blank)  # noqa: E731
        errors: list[RowError] = []

        def fail(index: int, column: str, reason: str) -> None:
            errors.append(RowError(rows[index], column, reason))

        for column in REQUIRED_HEADERS:
            if "" in text(column):
                for index in [index for index, value in enumerate(text(column)) if not value]:
                    fail(index, column, "必填, 不能为空")
        cleaned: dict[str, list[str]] = {}  # column -> each row's value as stored (as read where refused)
        for column, width in TEXT_WIDTHS.items():
            values, known = text(column), {"": ""}
            clean = clean_name if column in ("姓名", "收款人姓名") else clean_phone if column == "联系电话" else clean_text
            for value in set(values) - known.keys():  # each distinct value checked once
                try:
                    known[value] = clean(value, width)
                except ValueError as problem:
                    known[value] = problem
            refused = {value for value, found in known.items() if isinstance(found, ValueError)}
            if refused:
                for index, value in enumerate(values):
                    if value in refused:
                        fail(index, column, str(known[value]))
                known.update((value, value) for value in refused)
            cleaned[column] = list(map(known.__getitem__, values))

        people: list[ResidentId | None] = [None] * count
        for index, (cell, value) in enumerate(zip(raw("身份证号"), text("身份证号"))):
            if cell.__class__ in (int, float):
                fail(index, "身份证号", "以数字格式保存, Excel 已丢失末尾位数; 请把该列设为文本格式后重新填写")
            elif value:
                try:
                    people[index] = parse_id_number(value, today=self._today)
                except InvalidIdNumber as problem:
                    fail(index, "身份证号", str(problem))

        for column, _kind, allowed, _default in _CHOICE_COLUMNS:
            if set(text(column)) - {""} - set(allowed):
                for index in [index for index, value in enumerate(text(column)) if value and value not in allowed]:
                    fail(index, column, f"「{text(column)[index]}」不是可选值, 应为 {'/'.join(allowed)}")
        for index, (sex, person) in enumerate(zip(text("性别"), people)):
            if sex and person and sex in SEXES and sex != person.sex:
                fail(index, "性别", f"填写为{sex}, 但身份证号表明为{person.sex}")
        for index, (birth_text, person) in enumerate(zip(text("出生日期"), people)):
            if birth_text and not (person and birth_text == person.birth_date.isoformat()):
                try:
                    birth = parse_date(raw("出生日期")[index])
                except ValueError as problem:
                    fail(index, "出生日期", str(problem))
                else:
                    if person and birth != person.birth_date:
                        fail(index, "出生日期", f"填写为 {birth.isoformat()}, 但身份证号表明为 {person.birth_date.isoformat()}")
        for index, (tekun, self_care) in enumerate(zip(text("特困供养"), text("自理能力"))):
            if tekun == "分散" and not self_care:
                fail(index, "自理能力", "特困供养为分散时必填 (全自理/半护理/全护理)")
        for index, (kind, grade) in enumerate(zip(text("残疾类别"), text("残疾等级"))):
            if kind and not grade:
                fail(index, "残疾等级", "填写残疾类别时必填")
            elif grade and not kind:
                fail(index, "残疾类别", "填写残疾等级时必填")

        items: list[tuple[str, ...]] = []
        read_items: dict[str, tuple[tuple[str, ...], list[str]]] = {"": ((), [])}  # a text -> its codes and problems
        for index, value in enumerate(text("享受项目")):
            found = read_items.get(value)
            if found is None:
                found = read_items[value] = self._items_of(value)
            for problem in found[1]:
                fail(index, "享受项目", problem)
            items.append(found[0])
        starts = self._months(raw("起始月份"), text("起始月份"), "起始月份", fail)
        paid_through = self._months(raw("已发放至"), text("已发放至"), "已发放至", fail)
        deaths: list[date | None] = [None] * count
        accounts = [half_width(value).replace(" ", "").replace("-", "") if value else "" for value in text("银行账号")]
        start_texts, death_texts, death_cells = text("起始月份"), text("死亡日期"), raw("死亡日期")
        account_cells, bank_names = raw("银行账号"), cleaned["开户银行"]
        moved: list[date | None] = [None] * count
        moved_texts, moved_cells = text("迁出日期"), raw("迁出日期")
        payees: list[tuple[str, str, str] | tuple[()] | None] = [None] * count
        payee_columns = any(header in columns for header in ("收款人姓名", "收款人身份证号", "与享受人关系"))
        payee_names, relations = cleaned["收款人姓名"], cleaned["与享受人关系"]
        payee_numbers = [(cell, value) for cell, value in zip(raw("收款人身份证号"), text("收款人身份证号"))]
        this_month = Month.of(self._today)
        for index in range(count):
            person = people[index]
            start = starts[index]
            if items[index] and start is None and not start_texts[index]:
                fail(index, "起始月份", "填写享受项目时必填")
            through = paid_through[index]
            if through and not items[index]:
                fail(index, "已发放至", "没有享受项目时不能填写")
            elif through and through >= this_month:
                fail(index, "已发放至", f"{through} 还没有过完: 原系统只能已发放到上个月 ({this_month - 1}) 为止")
            elif through and start and through < start - 1:
                fail(index, "已发放至", f"{through} 早于起始月份 {start}")
            if person and start and start < Month.of(person.birth_date):
                fail(index, "起始月份", f"{start} 早于出生月份")
            if death_texts[index]:
                deaths[index] = self._past_date(index, "死亡日期", death_cells[index], person, fail)
            if moved_texts[index]:
                moved[index] = self._past_date(index, "迁出日期", moved_cells[index], person, fail)
            if payee_columns:
                payees[index] = self._payee(index, person, payee_names[index], payee_numbers[index], relations[index], fail)
            account = accounts[index]
            if account_cells[index].__class__ is float and len(account) > 15:
                fail(index, "银行账号", "以数字格式保存, Excel 已丢失末尾位数; 请把该列设为文本格式后重新填写")
            elif account and not ascii_digits(account):
                fail(index, "银行账号", "只能包含数字")
            elif account and not 8 <= len(account) <= 30:
                fail(index, "银行账号", f"长度 {len(account)} 位不合理 (应为 8-30 位)")
            if any(code in self._paid for code in items[index]):
                if not bank_names[index]:
                    fail(index, "开户银行", "享受发放项目时必填")
                if not account:
                    fail(index, "银行账号", "享受发放项目时必填")
            if person and items[index] and age_on(person.birth_date, self._today) < ELDERLY_AGE:
                fail(index, "享受项目", f"未满 {ELDERLY_AGE} 周岁 (现 {age_on(person.birth_date, self._today)} 岁), 不能享受老年人补贴项目")

        errors.sort(key=lambda error: error.row)
        refused = {error.row for error in errors}
        entries = []
        choice_columns = [(kind, text(column), default) for column, kind, _allowed, default in _CHOICE_COLUMNS if kind != "sex"]
        names, townships, villages, phones = cleaned["姓名"], cleaned["乡镇"], cleaned["村(社区)"], cleaned["联系电话"]
        warned: dict[tuple, tuple[str, ...]] = {}  # (birth, items, start) -> `_warnings`: rows alike share them
        for index, person in enumerate(people):
            if person is None or rows[index] in refused:
                continue
            statuses = {}
            for kind, values, default in choice_columns:
                value = values[index] or default
                if value:
                    statuses[kind] = value
            start = starts[index]
            alike = (person.birth_date, items[index], start)
            warnings = warned.get(alike)
            if warnings is None:
                warnings = warned[alike] = self._warnings(*alike)
            entries.append(RosterEntry(
                row=rows[index],
                name=names[index],
                id_number=person.number,
                sex=person.sex,
                birth_date=person.birth_date,
                township=townships[index],
                village=villages[index],
                phone=phones[index],
                statuses=statuses,
                bank_name=bank_names[index],
                bank_account=accounts[index],
                items=items[index],
                start_month=start,
                paid_through=paid_through[index],
                death_date=deaths[index],
                status_from=start or this_month,
                warnings=warnings,
                moved_out_date=moved[index],
                payee=payees[index],
            ))
        return entries, errors

    def _past_date(self, index: int, column: str, cell: Any, person, fail) -> date | None:
        """A date that has happened (a death, a moving away): not after today, not before the birth."""
        try:
            when = parse_date(cell)
        except ValueError as problem:
            fail(index, column, str(problem))
            return None
        if when > self._today:
            fail(index, column, f"{when.isoformat()} 晚于今天")
        elif person and when < person.birth_date:
            fail(index, column, "早于出生日期")
        return when

    def _payee(self, index: int, person, name: str, number: tuple[Any, str], relation: str,
               fail) -> tuple[str, str, str] | tuple[()] | None:
        """The payee of a row (代领人): all three columns or none (() : the person); never the person themself."""
        cell, text = number
        if not (name or text or relation):
            return ()
        if not name:
            fail(index, "收款人姓名", "填写了收款人身份证号或关系时必填")
            return None
        if cell.__class__ in (int, float):
            fail(index, "收款人身份证号", "以数字格式保存, Excel 已丢失末尾位数; 请把该列设为文本格式后重新填写")
            return None
        if not text:
            fail(index, "收款人身份证号", "填写收款人姓名时必填")
            return None
        try:
            payee = parse_id_number(text, today=self._today)
        except InvalidIdNumber as problem:
            fail(index, "收款人身份证号", str(problem))
            return None
        if person and payee.number == person.number:
            fail(index, "收款人身份证号", "收款人是本人时, 收款人三列请留空")
            return None
        if not relation:
            fail(index, "与享受人关系", "填写收款人姓名时必填")
            return None
        return name, payee.number, relation

    def _items_of(self, value: str) -> tuple[tuple[str, ...], list[str]]:
        """The item codes a 享受项目 text names, and what is wrong with it."""
        codes: list[str] = []
        problems: list[str] = []
        for token in _ITEM_SEPARATORS.split(value):
            if not token:
                continue
            code = self._items.get(token) or self._items.get(token.upper())
            if code is None:
                problems.append(f"未知的项目「{token}」")
            elif code not in codes:
                codes.append(code)
        return tuple(codes), problems

    @staticmethod
    def _months(cells: Sequence[Any], texts: Sequence[str], column: str, fail) -> list[Month | None]:
        months: list[Month | None] = []
        parsed: dict[str, Month] = {}  # a column holds few distinct months: parse each once
        for index, (cell, value) in enumerate(zip(cells, texts)):
            month = None
            if value:
                try:
                    if cell.__class__ is not str:
                        month = parse_month_cell(cell)
                    else:
                        month = parsed.get(value) or parsed.setdefault(value, Month.parse(value))
                except ValueError as problem:
                    fail(index, column, str(problem) if cell.__class__ is not str else f"不是有效的月份 {value!r}, 应为 YYYY-MM")
            months.append(month)
        return months

    def _warnings(self, birth: date, items: tuple[str, ...], start: Month | None) -> tuple[str, ...]:
        """Accepted but worth a look: not yet old enough for a listed item, or under 60."""
        if not items:
            return (f"未满 {ELDERLY_AGE} 周岁",) if age_on(birth, self._today) < ELDERLY_AGE else ()
        if start is None:
            return ()
        age_then = age_at_month_end(birth, start)
        return tuple(
            f"{start} 时 {age_then} 周岁, 尚未达到项目 {code} 的 {self._min_age[code]} 周岁; 达到后才发放"
            for code in items
            if self._min_age.get(code) and age_then < self._min_age[code]
        )
