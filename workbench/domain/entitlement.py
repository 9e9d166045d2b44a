"""What a person is owed (应发): per enrolled item, per month, with the reason in Chinese.

Pure functions of a person's dated facts, enrollments, the policy and the standards. The rules
follow the domain contract: ages in 周岁 by the Civil Code; with the `next_month` start rule a
person qualifies for an age from the month after reaching it; paid through the month of death or
moving away; annual standards paid in twelve installments with cumulative rounding; a month whose
standard has not been entered is reported as missing, never as zero. Where the county sets a
生存认证 deadline month, the months after it are withheld (暂停) from a person without a check that
year, and owed again once the check is recorded.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, NamedTuple

from workbench.domain.age import age_at_month_end
from workbench.domain.history import StatusHistory
from workbench.domain.money import ZERO, round_money
from workbench.domain.month import Month
from workbench.domain.policy import CONDITIONS, Condition, Item, Policy
from workbench.domain.vocabulary import STATUS_DEFAULTS

REMEMBERED = 50_000  # situations whose amounts an Entitlement keeps; then it starts afresh
WITHHELD = "暂停发放: 未在 {} 年 {} 月底前完成生存认证, 认证后恢复并补发"


class EnrollmentSpan(NamedTuple):
    """An approved enrollment: the item is owed from `start` through `end` (open if None)."""

    item_code: str
    start: Month
    end: Month | None = None
    paid_through: Month | None = None  # 已发放至: paid by an earlier system

    def covers(self, month: Month) -> bool:
        return self.start <= month and (self.end is None or month <= self.end)


class PersonRecord(NamedTuple):
    """Everything about one person that the amount depends on. (Tuples, as `EnrollmentSpan`: a
    run builds one for each of hundreds of thousands of people.)"""

    person_id: int
    birth_date: date
    history: StatusHistory
    enrollments: tuple[EnrollmentSpan, ...]
    death_date: date | None = None
    moved_out_date: date | None = None
    checked_years: frozenset[int] = frozenset()  # years with a 生存认证


class Situation(NamedTuple):
    """All that one month's amounts depend on, taken from a person's record.

    `Entitlement` reads a person only through this, so two people in the same situation are
    owed the same, with the same reasons; a run computes each situation once. (A tuple: built,
    hashed and compared hundreds of thousands of times a run.)
    """

    month: Month
    ages: tuple[int, int]  # 周岁 at the end of the month before and of the month itself
    death_date: date | None
    moved_out_date: date | None
    enrolled: tuple[tuple[str, bool], ...]  # each item ever enrolled in, and whether that covers the month
    statuses: tuple[tuple[str, str | None], ...]  # StatusHistory.in_force: the kinds read not at their default
    unchecked: bool  # no 生存认证 in the month's year, and first enrolled before that year

    @classmethod
    def of(cls, person: PersonRecord, month: Month, *, ignore_end: bool = False,
           kinds: frozenset[str] | None = None) -> Situation:
        """The person's situation in `month`. With `ignore_end`, without what only the end rules
        and the 生存认证 deadline read (death, moving away, an unchecked year); with `kinds`, of
        the statuses only those: people who differ only in what is left out share one."""
        enrolled, unchecked = enrollment_situation(person.enrollments, person.checked_years, month)
        statuses = person.history.in_force(month, kinds)
        if ignore_end:
            return cls(month, ages_at(person.birth_date, month), None, None, enrolled, statuses, False)
        return cls(month, ages_at(person.birth_date, month), person.death_date, person.moved_out_date, enrolled,
                   statuses, unchecked)

    def status(self, kind: str) -> str | None:
        """The value of `kind` in the month, its default if no fact says otherwise."""
        for known, value in self.statuses:
            if known == kind:
                return value
        return STATUS_DEFAULTS[kind]


def ages_at(birth: date, month: Month) -> tuple[int, int]:
    """周岁 at the end of the month before `month` and at the end of `month`."""
    return age_at_month_end(birth, month - 1), age_at_month_end(birth, month)


def enrollment_situation(enrollments: tuple[EnrollmentSpan, ...], checked_years: frozenset[int],
                         month: Month) -> tuple[tuple[tuple[str, bool], ...], bool]:
    """The part of `month`'s Situation that enrollments and 生存认证 years decide: each item ever
    enrolled in and whether that covers the month; whether the year is unchecked."""
    covered: dict[str, bool] = {}
    first_start = None
    for code, start, end, _ in enrollments:
        if start <= month and (end is None or month <= end):
            covered[code] = True
        elif code not in covered:
            covered[code] = False
        if first_start is None or start < first_start:
            first_start = start
    year = month.year
    unchecked = first_start is not None and first_start.year < year and year not in checked_years
    return tuple(covered.items()), unchecked


@dataclass(frozen=True, slots=True)
class Owed:
    """The amount owed for one item and month, and why; `missing` names an absent standard.

    The reason is kept as a template and its values, and written out only when asked for: a run
    computes millions of amounts and explains only the few that become ledger lines.
    """

    amount: Decimal
    template: str
    values: tuple = ()
    missing: str | None = None
    withheld: bool = False  # 暂停: owed once the person's 生存认证 is recorded, never recovered

    @property
    def reason(self) -> str:
        return self.template.format(*self.values) if self.values else self.template


_INSTALLMENT = " 年标准 {} 元, {} 月分期"  # how a reason names an annual standard and its month's share
_SHARE = re.compile(r", \d+ 月分期$")
_AGE = re.compile(r"\d+ 周岁 ")


def installment_only(previous_reason: str, reason: str) -> bool:
    """Whether two months' amounts differ only because an annual standard is paid in twelve rounded
    shares (800 a year: 66.67, then 66.66): the same item, bracket and annual standard, another
    month's share. A birthday within the bracket is no change either; a new bracket or standard is."""
    return _installment_key(previous_reason) == _installment_key(reason) is not None


def _installment_key(reason: str) -> str | None:
    """The reason without the month of the share and the age; None if it names no annual standard."""
    if " 年标准 " not in reason or not _SHARE.search(reason):
        return None
    return _AGE.sub("", _SHARE.sub("", reason))


@lru_cache(maxsize=4096)
def annual_installment(annual: Decimal, month_of_year: int) -> Decimal:
    """Month m's share of an annual standard: R(A·m/12) − R(A·(m−1)/12); twelve sum to A."""
    return round_money(annual * month_of_year / 12) - round_money(annual * (month_of_year - 1) / 12)


class StandardBook:
    """Standards with their dates: month M uses the version effective latest on or before M's first day.

    Of two versions with the same date, the one recorded later (a correction) holds.
    """

    def __init__(self, versions: Iterable[tuple[str, str, date, Decimal]]) -> None:
        by_key: dict[tuple[str, str], list[tuple[date, int, Decimal]]] = {}
        for order, (name, key, effective, amount) in enumerate(versions):
            by_key.setdefault((name, key), []).append((effective, order, amount))
        self._dates: dict[tuple[str, str], list[date]] = {}
        self._amounts: dict[tuple[str, str], list[Decimal]] = {}
        for name_key, entries in by_key.items():
            entries.sort()
            self._dates[name_key] = [entry[0] for entry in entries]
            self._amounts[name_key] = [entry[2] for entry in entries]
        self._cache: dict[tuple[str, str, Month], Decimal | None] = {}

    def amount(self, name: str, key: str, month: Month) -> Decimal | None:
        cached = self._cache.get((name, key, month), self)
        if cached is not self:
            return cached
        dates = self._dates.get((name, key))
        found = None
        if dates:
            position = bisect.bisect_right(dates, month.first_day())
            if position:
                found = self._amounts[(name, key)][position - 1]
        self._cache[(name, key, month)] = found
        return found


class Entitlement:
    """Computes owed amounts for one policy and one set of standards."""

    def __init__(self, policy: Policy, standards: StandardBook, *, liveness_deadline: int | None = None) -> None:
        self.policy = policy
        self.standards = standards
        self._deadline = liveness_deadline
        self.items = {item.code: item for item in policy.items}
        self.monthly = frozenset(item.code for item in policy.items if len(item.payment_months) == 12)  # paid every month
        self._units = {spec.name: spec.unit for spec in policy.standards}
        self._remembered: dict[tuple[Situation, bool], dict[str, Owed]] = {}
        self._conditions = {name: policy.condition(name) for name in CONDITIONS}
        self._statuses_read: dict[str, frozenset[str]] = {}
        self._kinds_read: dict[tuple[str, ...], frozenset[str]] = {}
        # The ages at which some item's amount may change: its own bounds and its brackets'.
        self._age_bounds = sorted({bound for item in policy.items
                                   for low, high in ((item.min_age, item.max_age), *((b.min_age, b.max_age) for b in item.brackets))
                                   for bound in (low, high + 1)})

    @property
    def liveness_deadline(self) -> int | None:
        """生存认证截止月 (1–11); None: not enforced."""
        return self._deadline

    @liveness_deadline.setter
    def liveness_deadline(self, month: int | None) -> None:
        self._deadline = month
        self._remembered.clear()

    def month(self, person: PersonRecord, month: Month, *, ignore_end: bool = False) -> dict[str, Owed]:
        """Each item the person was ever enrolled in -> what is owed for `month`, overlaps applied.

        `ignore_end` leaves out death and moving away: what an earlier system, not yet told of a
        death, would have paid.
        """
        situation = Situation.of(person, month, ignore_end=ignore_end, kinds=self.kinds_read(person.enrollments))
        key = (situation, ignore_end)
        owed = self._remembered.get(key)
        if owed is None:
            if len(self._remembered) >= REMEMBERED:
                self._remembered.clear()
            owed = self._remembered[key] = self.owed(situation, ignore_end=ignore_end)
        return dict(owed)

    def owed(self, situation: Situation, *, ignore_end: bool = False) -> dict[str, Owed]:
        """`month` for a situation."""
        owed: dict[str, Owed] = {}
        for code, covered in situation.enrolled:
            owed[code] = self._item(situation, self.items[code], ignore_end) if covered else Owed(ZERO, "不在享受期内")
        for group in self.policy.overlaps:
            if group.rule == "higher":
                self._keep_higher(owed, group.items)
        if self.liveness_deadline and not ignore_end and self.withheld(situation):
            month = situation.month
            for code, each in owed.items():
                if each.amount > 0:
                    owed[code] = Owed(ZERO, WITHHELD, (month.year, self.liveness_deadline), withheld=True)
        return owed

    def paid_monthly(self, enrollments: Iterable[EnrollmentSpan]) -> bool:
        """Whether every item of these enrollments is paid every month: then no month before a
        batch is left open for a later payment month."""
        return all(span.item_code in self.monthly for span in enrollments)

    @staticmethod
    def ended_before(person: PersonRecord, month: Month) -> bool:
        """Whether the person died or moved away before `month` began: then, by either end rule
        (`month_of_end`, `month_before`), no item owes anything for `month`."""
        first = month.first_day()
        return any(day is not None and day < first for day in (person.death_date, person.moved_out_date))

    def withheld(self, situation: Situation) -> bool:
        """Whether the month is withheld: past the deadline, no check that year, and not enrolled
        only this year (the application was the year's check)."""
        deadline = self.liveness_deadline
        return bool(deadline) and situation.month.month > deadline and situation.unchecked

    def if_enrolled(self, person: PersonRecord, code: str, month: Month) -> Owed:
        """What the item would pay the person for `month` were they enrolled (overlaps aside)."""
        return self._item(Situation.of(person, month), self.items[code], False)

    def _keep_higher(self, owed: dict[str, Owed], group: tuple[str, ...]) -> None:
        payable = [code for code in group if code in owed and (owed[code].amount > 0 or owed[code].missing)]
        if len(payable) < 2:
            return
        missing = [owed[code].missing for code in payable if owed[code].missing]
        if missing:
            # Which one is higher cannot be known without the missing figure: pay none of them.
            for code in payable:
                owed[code] = Owed(ZERO, "与{}只发较高者, 缺少标准无法比较", (self._names(payable),), missing=missing[0])
            return
        winner = max(payable, key=lambda code: (owed[code].amount, -group.index(code)))
        for code in payable:
            if code != winner:
                owed[code] = Owed(ZERO, "与{0}不同时享受, 发放较高的{0}", (self.items[winner].name,))

    def _names(self, codes: list[str]) -> str:
        return "、".join(self.items[code].name for code in codes)

    def _item(self, situation: Situation, item: Item, ignore_end: bool) -> Owed:
        month = situation.month
        if not ignore_end:
            last_paid_offset = 0 if item.end_rule == "month_of_end" else 1
            if situation.death_date and month > Month.of(situation.death_date) - last_paid_offset:
                return Owed(ZERO, "已于 {} 死亡", (situation.death_date,))
            if situation.moved_out_date and month > Month.of(situation.moved_out_date) - last_paid_offset:
                return Owed(ZERO, "已于 {} 迁出", (situation.moved_out_date,))
        age = situation.ages[0 if item.start_rule == "next_month" else 1]
        if age < item.min_age:
            rule = "次月" if item.start_rule == "next_month" else "当月"
            return Owed(ZERO, "未满 {0} 周岁 (满 {0} 周岁{1}起享受)", (item.min_age, rule))
        if age > item.max_age:
            return Owed(ZERO, "已超过 {} 周岁", (item.max_age,))
        for condition in item.requires:
            if not self._holds(condition, situation):
                return Owed(ZERO, "不符合条件: {}", (condition,))
        for condition in item.excluded_by:
            if self._holds(condition, situation):
                return Owed(ZERO, "{}人员不享受本项目", (condition,))
        if item.rule == "age_bracket":
            return self._bracket_amount(item, age, situation)
        if item.rule == "dispersed_support":
            return self._dispersed_amount(item, situation)
        return self._standard(item.standard, "标准", month, item.name.replace("{", "{{"))

    def facts_for(self, condition: str) -> dict[str, tuple[str, ...] | None]:
        """The status facts without which `condition` never holds: kind -> the values that can make
        it hold (None: any value but 无). A person with none of them cannot qualify in any month."""
        return self._condition(condition).needed()

    def _holds(self, condition: str, situation: Situation) -> bool:
        return self._condition(condition).holds(situation.status)

    def _condition(self, name: str) -> Condition:
        if name not in self._conditions:
            raise ValueError(name)
        return self._conditions[name]

    def statuses_read(self, code: str) -> frozenset[str]:
        """The status kinds what item `code` owes can depend on: those its conditions read, 低保 for
        a bracket with a 低保 rate, 户籍性质 and 自理能力 for 分散供养. Two situations that differ
        only in other kinds owe the same for it."""
        kinds = self._statuses_read.get(code)
        if kinds is None:
            item = self.items[code]
            found = {kind for condition in (*item.requires, *item.excluded_by) for kind in self._condition(condition).kinds}
            if item.rule == "age_bracket" and item.dibao_rate:
                found.add("dibao")
            if item.rule == "dispersed_support":
                found.update(("hukou", "self_care"))
            kinds = self._statuses_read[code] = frozenset(found)
        return kinds

    def age_class(self, age: int) -> int:
        """Ages with the same class are owed the same amounts by every item (reasons differ: they
        name the age): no item's age bound or bracket bound lies between them."""
        return bisect.bisect_right(self._age_bounds, age)

    def kinds_read(self, enrollments: Iterable[EnrollmentSpan]) -> frozenset[str]:
        """The status kinds what these enrollments' items owe can depend on (`statuses_read`)."""
        codes = tuple(span.item_code for span in enrollments)
        kinds = self._kinds_read.get(codes)
        if kinds is None:
            kinds = self._kinds_read[codes] = frozenset().union(*map(self.statuses_read, codes))
        return kinds

    def _standard(self, name: str, key: str, month: Month, label: str, label_values: tuple = ()) -> Owed:
        amount = self.standards.amount(name, key, month)
        if amount is None:
            return self._missing(name, key, month)
        if self._units.get(name) == "year":
            share = annual_installment(amount, month.month)
            return Owed(share, label + _INSTALLMENT, (*label_values, amount, month.month))
        return Owed(amount, label + " 每月 {} 元", (*label_values, amount))

    @staticmethod
    def _missing(name: str, key: str, month: Month) -> Owed:
        return Owed(ZERO, "缺少 {} 适用的标准「{}/{}」", (month, name, key), missing=f"{name}/{key}")

    def _bracket_amount(self, item: Item, age: int, situation: Situation) -> Owed:
        bracket = next(bracket for bracket in item.brackets if bracket.min_age <= age <= bracket.max_age)
        key = bracket.key
        if item.dibao_rate and situation.status("dibao") == "是":
            key += "/低保"
        return self._standard(item.standard, key, situation.month, item.name.replace("{", "{{") + " {} 周岁 ({})", (age, key))

    def _dispersed_amount(self, item: Item, situation: Situation) -> Owed:
        month = situation.month
        hukou = situation.status("hukou")
        self_care = situation.status("self_care")
        if hukou is None:
            return Owed(ZERO, "缺少户籍性质, 无法确定低保标准")
        if self_care is None:
            return Owed(ZERO, "缺少自理能力, 无法确定护理标准")
        basic_standard = self.standards.amount("低保标准", hukou, month)
        care_standard = self.standards.amount("护理补贴", "标准", month)
        if basic_standard is None:
            return self._missing("低保标准", hukou, month)
        if care_standard is None:
            return self._missing("护理补贴", "标准", month)
        basic = round_money(item.basic_multiple * basic_standard)
        care = round_money(item.care_multiples[self_care] * care_standard)
        return Owed(
            basic + care,
            "基本生活 {}×{}低保标准 {} = {} 元; {} {}×护理补贴标准 {} = {} 元",
            (item.basic_multiple, hukou, basic_standard, basic, self_care, item.care_multiples[self_care], care_standard, care),
        )
