"""The policy (政策): subsidy items, who qualifies, and the standards they pay, as data.

A policy file (TOML) is read into frozen dataclasses and checked; every complaint names the
key that is wrong, in Chinese. The figures themselves live in the file so that a county can
review and change them without touching code.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from workbench.domain.errors import InvalidInput
from workbench.domain.money import parse_amount
from workbench.domain.vocabulary import ABILITY, SELF_CARE

RULES = ("age_bracket", "flat", "dispersed_support")
UNITS = ("month", "year")
OVERLAP_CHOICES = ("higher", "both")
MAX_AGE = 150


class PolicyError(InvalidInput):
    """A policy file is malformed; the message names the key."""


@dataclass(frozen=True, slots=True)
class Bracket:
    """An age band of an item (年龄段), inclusive at both ends."""

    min_age: int
    max_age: int
    key: str


@dataclass(frozen=True, slots=True)
class Item:
    """A subsidy item (补贴项目)."""

    code: str
    name: str
    rule: str
    min_age: int
    max_age: int
    aliases: tuple[str, ...] = ()
    standard: str | None = None
    brackets: tuple[Bracket, ...] = ()
    dibao_rate: bool = False
    requires: tuple[str, ...] = ()
    excluded_by: tuple[str, ...] = ()
    basic_multiple: Decimal | None = None
    care_multiples: dict[str, Decimal] = field(default_factory=dict)
    start_rule: str = "next_month"
    end_rule: str = "month_of_end"  # paid through the month of death or moving away; or "month_before"
    payment_months: tuple[int, ...] = tuple(range(1, 13))  # months of the year in which it pays
    paid: bool = True
    seed: str = ""


@dataclass(frozen=True, slots=True)
class StandardSpec:
    """A named standard and its keys; `amounts` are the preset's figures (absent: entered later)."""

    name: str
    unit: str
    keys: tuple[str, ...]
    amounts: dict[str, Decimal]
    seed: str = ""


@dataclass(frozen=True, slots=True)
class Overlap:
    """Items of one group are not all paid in the same month (政策衔接)."""

    items: tuple[str, ...]
    rule: str  # "higher": only the highest amount (the earlier-listed on a tie); "both": all of them


@dataclass(frozen=True, slots=True)
class Condition:
    """What an item may require or be excluded by: status facts that must all hold (`every`), or of
    which one must; each a status kind with the values that make it hold (None: any value but 无)."""

    every: bool
    facts: tuple[tuple[str, tuple[str, ...] | None], ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind, _ in self.facts)

    def holds(self, value: Callable[[str], str | None]) -> bool:
        """Whether it holds for a person whose status of each kind is `value(kind)` (None for 无)."""
        tests = (value(kind) is not None if values is None else value(kind) in values for kind, values in self.facts)
        return all(tests) if self.every else any(tests)

    def needed(self) -> dict[str, tuple[str, ...] | None]:
        """Facts without which it never holds, so a person with none of them cannot qualify: each
        fact of a condition that one fact makes hold, the first of one that needs them all."""
        return dict(self.facts[:1] if self.every else self.facts)


HARDSHIP_KINDS = {"低保": "dibao", "低保边缘": "dibao_edge"}  # the policy's 经济困难 statuses, as status kinds

# Each condition a policy file may name, made from the policy (its hardship statuses and care levels).
_CONDITIONS: dict[str, Callable[[Policy], Condition]] = {
    "低保": lambda policy: Condition(True, (("dibao", ("是",)),)),
    "经济困难": lambda policy: Condition(False, tuple((HARDSHIP_KINDS[status], ("是",)) for status in policy.hardship)),
    "生活不能自理": lambda policy: Condition(True, (("ability", policy.care_levels),)),
    "分散供养": lambda policy: Condition(True, (("tekun", ("分散",)),)),
    "特困供养": lambda policy: Condition(True, (("tekun", ("分散", "集中")),)),
    "残疾": lambda policy: Condition(True, (("disability_grade", None), ("disability_kind", None))),
    "残疾一二级": lambda policy: Condition(True, (("disability_grade", ("一级", "二级")),)),
    "精神智力残疾三四级": lambda policy: Condition(True, (("disability_grade", ("三级", "四级")),
                                                   ("disability_kind", ("精神", "智力")))),
}
CONDITIONS = tuple(_CONDITIONS)


@dataclass(frozen=True, slots=True)
class Policy:
    code: str
    name: str
    effective_from: date
    back_pay_months: int
    care_levels: tuple[str, ...]
    hardship: tuple[str, ...]
    overlaps: tuple[Overlap, ...]
    standards: tuple[StandardSpec, ...]
    items: tuple[Item, ...]
    source_text: str = ""

    def condition(self, name: str) -> Condition:
        """The condition `name` (one of CONDITIONS) as this policy defines it."""
        if name not in _CONDITIONS:
            raise ValueError(name)
        return _CONDITIONS[name](self)

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def item_codes_by_name(self) -> dict[str, str]:
        """Every accepted spelling of an item (name, alias, code) -> its code."""
        names: dict[str, str] = {}
        for item in self.items:
            for spelling in (item.code, item.name, *item.aliases):
                names[spelling] = item.code
        return names

    def standard(self, name: str) -> StandardSpec:
        for spec in self.standards:
            if spec.name == name:
                return spec
        raise KeyError(name)


def _need(table: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if key not in table:
        raise PolicyError(f"政策文件缺少「{where}{key}」")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise PolicyError(f"政策文件中「{where}{key}」的类型不对")
    return value


def _amount(text: Any, where: str) -> Decimal:
    if isinstance(text, float):
        raise PolicyError(f"政策文件中「{where}」的金额请写成带引号的文字, 如 \"54.5\"")
    try:
        return parse_amount(text)
    except (ValueError, TypeError) as problem:
        raise PolicyError(f"政策文件中「{where}」: {problem}") from None


def _ages(value: Any, where: str) -> tuple[int, int]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(age, int) and not isinstance(age, bool) for age in value)
        or not 0 <= value[0] <= value[1] <= MAX_AGE
    ):
        raise PolicyError(f"政策文件中「{where}」应为 [最小年龄, 最大年龄]")
    return value[0], value[1]


def parse_policy(text: str) -> Policy:
    """Read and check a policy file's text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise PolicyError(f"政策文件格式错误: {problem}") from None
    code = _need(data, "code", "", str)
    name = _need(data, "name", "", str)
    if "effective_from" not in data:
        raise PolicyError("政策文件缺少「effective_from」(生效日期)")
    effective_from = data["effective_from"]
    if not isinstance(effective_from, date):
        raise PolicyError("政策文件中「effective_from」应为日期, 如 2024-01-01")
    back_pay = data.get("back_pay_months", 12)
    if not isinstance(back_pay, int) or not 0 <= back_pay <= 120:
        raise PolicyError("政策文件中「back_pay_months」应为 0-120 的整数")
    care_levels = tuple(data.get("care_levels", ("中度失能", "重度失能", "完全失能")))
    for level in care_levels:
        if level not in ABILITY:
            raise PolicyError(f"政策文件中「care_levels」含未知等级「{level}」")
    hardship = tuple(data.get("hardship", tuple(HARDSHIP_KINDS)))
    for status in hardship:
        if status not in HARDSHIP_KINDS:
            raise PolicyError(f"政策文件中「hardship」含未知状态「{status}」")

    standards = tuple(_parse_standard(table, index) for index, table in enumerate(data.get("standards", [])))
    seen_standards: set[str] = set()
    for spec in standards:
        if spec.name in seen_standards:
            raise PolicyError(f"政策文件中标准「{spec.name}」重复")
        seen_standards.add(spec.name)

    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise PolicyError("政策文件缺少「items」(补贴项目)")
    items = tuple(_parse_item(table, index, {spec.name: spec for spec in standards}) for index, table in enumerate(raw_items))
    spellings: dict[str, str] = {}
    for item in items:
        for spelling in (item.code, item.name, *item.aliases):
            if spellings.setdefault(spelling, item.code) != item.code:
                raise PolicyError(f"政策文件中项目名称或代码「{spelling}」被两个项目使用")
    overlaps = []
    codes = {item.code for item in items}
    for index, table in enumerate(data.get("overlaps", [])):
        group = tuple(table.get("items", ()))
        rule = table.get("rule", "higher")
        if rule not in OVERLAP_CHOICES:
            raise PolicyError(f"政策文件中「overlaps[{index}].rule」应为 higher 或 both")
        unknown = [code for code in group if code not in codes]
        if unknown or len(group) < 2:
            raise PolicyError(f"政策文件中「overlaps[{index}].items」应列出至少两个已定义的项目代码 (未知: {'、'.join(unknown)})")
        overlaps.append(Overlap(items=group, rule=rule))
    if any(item.rule == "dispersed_support" for item in items):
        for needed in ("低保标准", "护理补贴"):
            if needed not in seen_standards:
                raise PolicyError(f"分散供养项目需要标准「{needed}」, 政策文件中没有")
    return Policy(
        code=code,
        name=name,
        effective_from=effective_from,
        back_pay_months=back_pay,
        care_levels=care_levels,
        hardship=hardship,
        overlaps=tuple(overlaps),
        standards=standards,
        items=items,
        source_text=text,
    )


def _parse_standard(table: dict[str, Any], index: int) -> StandardSpec:
    where = f"standards[{index}]."
    name = _need(table, "name", where, str)
    where = f"standards「{name}」."
    unit = table.get("unit", "month")
    if unit not in UNITS:
        raise PolicyError(f"政策文件中「{where}unit」应为 month 或 year")
    amounts = {str(key): _amount(value, f"{where}amounts.{key}") for key, value in table.get("amounts", {}).items()}
    keys = tuple(table.get("keys", ())) or tuple(amounts)
    for key in amounts:
        if key not in keys:
            raise PolicyError(f"政策文件中「{where}amounts.{key}」不在 keys 中")
    if not keys:
        raise PolicyError(f"政策文件中「{where}」既没有 keys 也没有 amounts")
    return StandardSpec(name=name, unit=unit, keys=keys, amounts=amounts, seed=str(table.get("seed", "")))


def _parse_item(table: dict[str, Any], index: int, standards: dict[str, StandardSpec]) -> Item:
    where = f"items[{index}]."
    code = _need(table, "code", where, str)
    if not code.strip() or any(character < " " or character == "\x7f" for character in code):
        raise PolicyError(f"政策文件中「{where}code」应为不含换行等控制字符的非空代码: {code!r}")
    where = f"items「{code}」."
    name = _need(table, "name", where, str)
    rule = _need(table, "rule", where, str)
    if rule not in RULES:
        raise PolicyError(f"政策文件中「{where}rule」未知: {rule}")
    requires = tuple(table.get("requires", ()))
    excluded = tuple(table.get("excluded_by", ()))
    for condition in (*requires, *excluded):
        if condition not in CONDITIONS:
            raise PolicyError(f"政策文件中「{where}requires」含未知条件「{condition}」")
    standard = table.get("standard")
    if rule != "dispersed_support":
        if standard is None:
            raise PolicyError(f"政策文件缺少「{where}standard」")
        if standard not in standards:
            raise PolicyError(f"政策文件中「{where}standard」引用了未定义的标准「{standard}」")
    brackets: tuple[Bracket, ...] = ()
    if rule == "age_bracket":
        raw = _need(table, "brackets", where, list)
        brackets = tuple(
            Bracket(*_ages(entry.get("ages"), f"{where}brackets[{number}].ages"), key=str(entry.get("key", "")))
            for number, entry in enumerate(raw)
        )
        ordered = sorted(brackets, key=lambda bracket: bracket.min_age)
        for lower, upper in zip(ordered, ordered[1:]):
            if upper.min_age <= lower.max_age:
                raise PolicyError(f"政策文件中「{where}brackets」年龄段重叠: {lower.key} 与 {upper.key}")
        spec = standards[standard]
        for bracket in brackets:
            for key in (bracket.key, f"{bracket.key}/低保") if table.get("dibao_rate") else (bracket.key,):
                if key not in spec.keys:
                    raise PolicyError(f"政策文件中「{where}brackets」的「{key}」在标准「{standard}」中没有")
        min_age, max_age = ordered[0].min_age, ordered[-1].max_age
    else:
        min_age, max_age = _ages(table.get("ages", [60, MAX_AGE]), f"{where}ages")
    basic_multiple = None
    care_multiples: dict[str, Decimal] = {}
    if rule == "dispersed_support":
        basic_multiple = _amount(_need(table, "basic_multiple", where, str), f"{where}basic_multiple")
        raw_multiples = _need(table, "care_multiples", where, dict)
        for level in SELF_CARE:
            if level not in raw_multiples:
                raise PolicyError(f"政策文件缺少「{where}care_multiples.{level}」")
            care_multiples[level] = _amount(raw_multiples[level], f"{where}care_multiples.{level}")
    start_rule = table.get("start_rule", "next_month")
    if start_rule not in ("next_month", "same_month"):
        raise PolicyError(f"政策文件中「{where}start_rule」应为 next_month 或 same_month")
    end_rule = table.get("end_rule", "month_of_end")
    if end_rule not in ("month_of_end", "month_before"):
        raise PolicyError(f"政策文件中「{where}end_rule」应为 month_of_end 或 month_before")
    payment_months = table.get("payment_months", list(range(1, 13)))
    if (not isinstance(payment_months, list) or not payment_months
            or not all(isinstance(month, int) and 1 <= month <= 12 for month in payment_months)):
        raise PolicyError(f"政策文件中「{where}payment_months」应为 1-12 的月份列表, 如 [3, 6, 9, 12]")
    return Item(
        code=code,
        name=name,
        rule=rule,
        min_age=min_age,
        max_age=max_age,
        aliases=tuple(table.get("aliases", ())),
        standard=standard,
        brackets=brackets,
        dibao_rate=bool(table.get("dibao_rate", False)),
        requires=requires,
        excluded_by=excluded,
        basic_multiple=basic_multiple,
        care_multiples=care_multiples,
        start_rule=start_rule,
        end_rule=end_rule,
        payment_months=tuple(sorted(set(payment_months))),
        paid=bool(table.get("paid", True)),
        seed=str(table.get("seed", "")),
    )
