"""The ledger rule (发放规则): what a batch for month M must contain for one person.

For each enrolled item and each period p from M − window through M, the line is owed(p) − paid(p)
when that is not zero: positive is a payment (当月 for p = M, 补发 before), negative a recovery
(追回) that never goes to the bank. Because the line is a difference, computing again never pays
twice, and a change reported late settles itself in the next batch.

Months an earlier system paid (已发放至) count as paid at what it paid: the amounts recorded
once, at import, by `opening_payments` (the standards and facts then known, without a death or
moving away it had not been told of). From then on the rule is the same as for months we paid:
a retroactive raise pays their difference, a death reported late recovers exactly what was paid.
Months it paid before those recorded are closed: beyond the back-pay window when recorded.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable, Hashable, Mapping, NamedTuple, Sequence

from workbench.domain.age import age_at_month_end
from workbench.domain.entitlement import EnrollmentSpan, Entitlement, Owed, PersonRecord, ages_at, enrollment_situation
from workbench.domain.money import ZERO
from workbench.domain.month import Month

CURRENT, BACK_PAY, RECOVERY = "当月", "补发", "追回"
# 抵扣: a recovery of the same item taken from the person's payments of a batch (negative). It
# goes to the bank with them (the bank pays the net); it repays a debt and settles no period.
DEDUCTION = "抵扣"
REASON_CHARS = 300  # what the ledger keeps of a reason


@dataclass(frozen=True, slots=True)
class Paid:
    """What approved batches hold for one item and period: their sum, the last line's number, and
    what of it the bank returned as failed (not in the sum: it was never paid)."""

    amount: Decimal
    last_seq: int = 0
    returned: Decimal = ZERO
    opening: bool = False  # the amount includes what an earlier system paid (recorded at import)


class LineDraft(NamedTuple):
    """One line of a batch, for one person; its fields in the order the ledger stores them after
    the batch and the person. (A tuple: a run writes hundreds of thousands.)"""

    item_code: str
    period: Month
    seq: int  # this line's number among all lines of the same person, item and period
    amount: Decimal
    kind: str
    reason: str  # at most REASON_CHARS characters


@dataclass(frozen=True, slots=True)
class Missing:
    """A period left out because a standard it needs has not been entered."""

    item_code: str
    period: Month
    standard: str


NOTHING_PAID = Paid(ZERO)
BEFORE_ALL = Month(1, 1)


def paid_elsewhere(person: PersonRecord) -> dict[str, Month]:
    """Item -> the month through which an earlier system paid it (已发放至); of two enrollments in
    one item, the later one's."""
    return {span.item_code: span.paid_through for span in person.enrollments if span.paid_through}


def opening_payments(entitlement: Entitlement, person: PersonRecord, back_pay_months: int,
                     remembered: dict | None = None) -> dict[str, tuple[Month, list[Decimal]]]:
    """What an earlier system paid `person` (已发放至), item -> (first month, an amount a month
    through 已发放至), valued by the rules now in force as if it had not been told of a death or
    moving away. Recorded once, at import, and never valued again.

    Only the back-pay window before the month after 已发放至 is recorded: no run can reach
    further back. A month whose standard is not entered cannot be valued: it and the months
    before it stay closed (never paid again, never recovered).

    `remembered` (one for many people) keeps the answer for people alike: without the end
    dates, the amounts (not their reasons, which are not kept) depend on the birth only through
    the age class at the end of each month (`Entitlement.age_class`), on an enrollment's start
    only through the months valued, none before `earliest`, and on the status facts only through
    the values in those months of the kinds its items read (`in_force_through`).
    """
    through_of = paid_elsewhere(person)
    if not through_of:
        return {}
    key = None
    if remembered is not None:
        earliest = min(window_start(through + 1, back_pay_months) for through in through_of.values())
        spans = tuple(span if span.start >= earliest else span._replace(start=earliest) for span in person.enrollments)
        last = max(through_of.values())
        statuses = person.history.in_force_through(earliest, last, entitlement.kinds_read(person.enrollments))
        key = (_age_classes(entitlement, person.birth_date, earliest - 1, last), statuses, spans)
        if key in remembered:
            return remembered[key]
    found: dict[str, tuple[Month, list[Decimal]]] = {}
    ranges = {}
    for code, through in through_of.items():
        start = min(span.start for span in person.enrollments if span.item_code == code)
        ranges[code] = (max(start, window_start(through + 1, back_pay_months)), through)
    owed_by_month: dict[Month, dict] = {}
    for code, (first, through) in ranges.items():
        amounts: list[Decimal] = []
        period = first
        while period <= through:
            owed_now = owed_by_month.get(period)
            if owed_now is None:
                owed_now = owed_by_month[period] = entitlement.month(person, period, ignore_end=True)
            owed = owed_now.get(code)
            if owed is not None and owed.missing:
                first, amounts = period + 1, []
            else:
                amounts.append(owed.amount if owed is not None else ZERO)
            period += 1
        if amounts:
            found[code] = (first, amounts)
    if key is not None:
        remembered[key] = found
    return found


def _age_classes(entitlement: Entitlement, birth: date, first: Month, last: Month) -> tuple:
    """The age class (`Entitlement.age_class`) at the end of each month from `first` through
    `last`: the first month's, and the months after `first` at which it changes, with the new one."""
    age = age_at_month_end(birth, first)
    start = current = entitlement.age_class(age)
    changes = []
    offset = (birth.month - first.month) % 12 or 12  # the next month a year of age is completed in
    while first + offset <= last:
        age += 1
        found = entitlement.age_class(age)
        if found != current:
            changes.append((offset, found))
            current = found
        offset += 12
    return start, tuple(changes)


def window_start(month: Month, back_pay_months: int) -> Month:
    return month - back_pay_months


def settle(
    entitlement: Entitlement,
    person: PersonRecord,
    month: Month,
    back_pay_months: int,
    paid: Mapping[tuple[str, Month], Paid],
    *,
    after: Month | None = None,
) -> tuple[list[LineDraft], list[Missing]]:
    """The lines of `person` for the batch of `month`, and the periods a missing standard held back.

    `after`: periods through this month are known to be settled (nothing about the person changed
    since the batch that settled them), so only later periods are computed.
    """
    first = window_start(month, back_pay_months)
    items = entitlement.items
    if after is not None and entitlement.paid_monthly(person.enrollments):
        # An item not paid every month leaves its earlier months open on purpose: look at them all.
        first = max(first, after + 1)
    starts = [span.start for span in person.enrollments] + [period for _, period in paid]
    if not starts:
        return [], []
    lines: list[LineDraft] = []
    missing: list[Missing] = []
    migrated = paid_elsewhere(person)
    paid_codes: dict[Month, set[str]] = {}
    for code, paid_period in paid:
        paid_codes.setdefault(paid_period, set()).add(code)
    for period in max(first, min(starts)).until(month):
        owed_now = entitlement.month(person, period)
        codes = owed_now.keys() | paid_codes[period] if period in paid_codes else owed_now.keys()
        for code in sorted(codes):
            owed = owed_now.get(code) or Owed(ZERO, "不在享受期内")
            if owed.missing:
                missing.append(Missing(code, period, owed.missing))
                continue
            held = paid.get((code, period), NOTHING_PAID)
            if not held.opening and period <= migrated.get(code, BEFORE_ALL):
                continue  # paid by an earlier system before what was recorded of it: closed
            already = held.amount
            difference = owed.amount - already
            if difference == 0 or difference < 0 and owed.withheld:
                continue  # a withheld month already paid is not recovered: the person is waiting for a check
            if difference > 0 and month.month not in items[code].payment_months:
                continue  # owed, and paid with the rest in the item's next payment month
            if difference < 0:
                kind, reason = RECOVERY, f"多发 {-difference} 元: {owed.reason}"
            elif period == month:
                kind, reason = CURRENT, owed.reason
            else:
                again = f" (银行退回 {held.returned} 元, 重新发放)" if held.returned else ""
                kind, reason = BACK_PAY, f"补发 {period}" + (f" (已发 {already} 元)" if already else "") + again + f": {owed.reason}"
            lines.append(LineDraft(code, period, held.last_seq + 1, difference, kind, reason[:REASON_CHARS]))
    return lines, missing


def deductions(owed: Mapping[tuple[int, str], Decimal], paying: Mapping[tuple[int, str], Decimal],
               month: Month) -> list[tuple[int, LineDraft]]:
    """抵扣: for each (person, item) with recoveries not yet cleared (`owed`) and payments in the
    batch of `month` (`paying`), a line taking as much of the debt as the payments cover: never
    across items, never below zero; what is left stays owed. (person, line) pairs; each line's
    number is left 0 for the writer to set after the period's others."""
    found = []
    for (person_id, code), debt in sorted(owed.items()):
        taken = min(debt, paying.get((person_id, code), ZERO))
        if taken > 0:
            reason = f"抵扣以前多发 (追回) 款 {taken} 元" + (f", 尚欠 {debt - taken} 元" if debt > taken else ", 已还清")
            found.append((person_id, LineDraft(code, month, 0, -taken, DEDUCTION, reason)))
    return found


WINDOWS_REMEMBERED = 100_000  # windows `settle_alike` keeps; then it starts afresh


class RememberedWindows:
    """What `settle_alike` keeps over one run: the lines of each window met; the statuses each
    history gives through the window (`StatusHistory.in_force_through`), numbered, for the kinds
    the items read; the ages of each birth year and month."""

    __slots__ = ("lines", "statuses", "numbers", "reads", "ages")

    def __init__(self) -> None:
        # (the age classes, with the ages in the month or not, or the birth year and month; the rest
        # of the person) -> lines and missing, or that they are kept by the birth (`settle_alike`)
        self.lines: dict[tuple, tuple[tuple[LineDraft, ...], tuple[Missing, ...]] | object] = {}
        self.statuses: dict[tuple, int] = {}  # (history, kinds read) -> the number of what it gives
        self.numbers: dict[tuple, int] = {}  # (kind, value) -> its number (`number`)
        # enrollments -> the status kinds their items read, and the number of the enrollments as the window reads them
        self.reads: dict[tuple, tuple[frozenset[str], int]] = {}
        # birth year and month -> the number of the age classes through the window, and the ages in the run's month
        self.ages: dict[tuple[int, int], tuple] = {}

    def number(self, kind: str, value: Hashable) -> int:
        """The number of `value`, the same for equal values (of one kind): it stands for the value in
        the keys of the lines, which are then quicker to compare."""
        return self.numbers.setdefault((kind, value), len(self.numbers))

    def clear(self) -> None:
        for kept in (self.lines, self.statuses, self.numbers, self.reads, self.ages):
            kept.clear()


def settle_alike(
    entitlement: Entitlement,
    person: PersonRecord,
    month: Month,
    back_pay_months: int,
    held: Hashable,
    paid: Callable[[int], Mapping[tuple[str, Month], Paid]],
    remembered: RememberedWindows,
) -> tuple[Sequence[LineDraft], Sequence[Missing]]:
    """`settle` over the whole window, people alike computed once: the run's way to settle everyone
    after a standard or policy change.

    `held` stands for what was paid the person in the window, equal for two people exactly when
    `paid` (the person's id -> the paid map `settle` takes) gives them equal maps: the rows as the
    database holds them, say. Of the person, the lines depend on the birth only through its year
    and month (`age_at_month_end`); on an enrollment's start only through whether it is before the
    window, and before the window's year or the year before it (`enrollment_situation`'s unchecked
    year); on 已发放至 only through whether it is before the window; on the statuses only through
    those the items read, month by month through the window (`Entitlement.statuses_read`: kept as
    `StatusHistory.in_force_through` gives them, so people with the same facts, or without a fact
    of those kinds in the window, share their windows). A
    person who died or moved away before the window, with nothing paid in it, has no lines.
    `remembered` (one for the run) keeps the lines; they are shared: read them, never change them.

    Whether a period has lines depends on the birth only through the age class of each month
    (`_age_classes`): only the reasons name the age. So people with no lines share them with
    everyone of the same age classes; people whose lines are all for `month` itself (the usual
    case: nothing owed differs from what was paid before it) with everyone of the same age classes
    and the same ages in `month`; the others are kept by their birth year and month.
    """
    first = window_start(month, back_pay_months)
    if len(remembered.lines) >= WINDOWS_REMEMBERED:
        remembered.clear()  # here, before numbers are given: a number given before would stand for another value after
    if (person.death_date or person.moved_out_date) and entitlement.ended_before(person, first) and not paid(person.person_id):
        return (), ()  # nothing owed in the window, whatever the date, and nothing paid to take back
    enrollments = person.enrollments
    known = remembered.reads.get(enrollments)
    if known is None:
        spans = enrollments
        if any(span.start < first or span.paid_through is not None and span.paid_through < first for span in spans):
            spans = tuple(_as_the_window_reads(span, first) for span in spans)
        known = remembered.reads[enrollments] = (entitlement.kinds_read(enrollments), remembered.number("spans", spans))
    read, spans = known
    history = person.history
    statuses = remembered.statuses.get((history, read))
    if statuses is None:
        in_force = history.in_force_through(first, month, read)
        statuses = remembered.statuses[(history, read)] = remembered.number("statuses", in_force)
    birth = person.birth_date
    born = (birth.year, birth.month)
    ages = remembered.ages.get(born)
    if ages is None:
        classes = remembered.number("classes", _age_classes(entitlement, birth, first - 1, month))
        ages = remembered.ages[born] = (classes, ages_at(birth, month))
    classes, in_month = ages
    rest = (statuses, spans, person.death_date, person.moved_out_date, person.checked_years, held)
    in_month_key = (classes, in_month, rest)
    found = remembered.lines.get(in_month_key)  # the usual case: lines for the run's month only
    if found is not None:
        return found
    found = remembered.lines.get((classes, rest))  # no lines, or where they are
    key = None
    if found is _BY_BIRTH:
        key = (born, rest)
        found = remembered.lines.get(key)
    if found is None:
        lines, missing = settle(entitlement, person, month, back_pay_months, paid(person.person_id))
        found = (tuple(lines), tuple(missing))
        if key is None:  # the first of these age classes: what else the lines depend on
            if not lines:
                key = (classes, rest)
            elif all(line.period == month for line in lines):
                key = in_month_key
            else:
                remembered.lines[(classes, rest)] = _BY_BIRTH
                key = (born, rest)
        remembered.lines[key] = found
    return found


# What `settle_alike` keeps under a window's age classes when there are lines for months before
# the run's, whose reasons name the age of each: the lines are kept by the birth year and month.
_BY_BIRTH = object()


def _as_the_window_reads(span: EnrollmentSpan, first: Month) -> EnrollmentSpan:
    """`span` as a window from `first` reads it: a start before the window as `_before_window`
    gives it; 已发放至 before the window as the month before it (no month of the window is closed
    by it, but it still stands in for an earlier enrollment's)."""
    if span.start < first:
        span = span._replace(start=_before_window(span.start, first))
    if span.paid_through is not None and span.paid_through < first:
        span = span._replace(paid_through=first - 1)
    return span


def _before_window(start: Month, first: Month) -> Month:
    """One start month for all starts before the window's `first` month that settle alike: the
    first month of the window's year, or of the year before."""
    return Month(first.year if start.year == first.year else first.year - 1, 1)


class Remembered:
    """What `settle_next` keeps over one run: the lines of each situation met; and, shared by many
    people, the part of the situation that enrollments and 生存认证 years decide, and the ages of
    each birth date."""

    __slots__ = ("lines", "enrollments", "parts", "ages")

    def __init__(self) -> None:
        # (enrollment part's number, ages, death, moving away, statuses read) -> lines and missing
        self.lines: dict[tuple, tuple[tuple[LineDraft, ...], tuple[Missing, ...]]] = {}
        # (month, enrollments, check years) -> (number, enrolled, unchecked, statuses read)
        self.enrollments: dict[tuple, tuple | None] = {}
        self.parts: dict[tuple, int] = {}  # (enrolled, unchecked, statuses read) -> its number
        self.ages: dict[tuple[Month, date], tuple[int, int]] = {}


def settle_next(
    entitlement: Entitlement,
    person: PersonRecord,
    month: Month,
    back_pay_months: int,
    remembered: Remembered,
) -> tuple[Sequence[LineDraft], Sequence[Missing]]:
    """`settle` for a person settled through the month before `month`, nothing changed since and
    nothing paid for `month` yet: the usual case of a monthly run.

    Then, when every item is paid monthly, only `month` itself is open, and its lines depend on
    the person only through the month's `Situation`, and of the statuses only through those its
    items read (`Entitlement.statuses_read`). People alike share one computation, kept in
    `remembered` (one for the run). The lines returned are shared: read them, never change them.
    Refused (ValueError): a person with an item not paid monthly (the months before `month` that
    its next payment month pays are settled by `settle`, with what was paid of them), and one an
    earlier system paid through `month` (what it paid is needed).
    """
    enrollments = person.enrollments
    if not enrollments:
        return (), ()
    spans = (month, enrollments, person.checked_years)
    try:
        part = remembered.enrollments[spans]
    except KeyError:
        part = None  # an item not paid every month: its earlier months may be open, and what was paid of them counts
        if entitlement.paid_monthly(enrollments) and not any(
                span.paid_through is not None and span.paid_through >= month for span in enrollments):
            read = entitlement.kinds_read(enrollments)
            situation = (*enrollment_situation(enrollments, person.checked_years, month), read)
            # Numbered, the same number for the same part: it stands for the part in the key of the lines.
            number = remembered.parts.setdefault(situation, len(remembered.parts))
            part = (number, *situation)
        remembered.enrollments[spans] = part
    if part is None:
        raise ValueError("settle_next: 有不按月发放的项目或原系统已发放本月, 须按已发放情况逐月结算 (settle)")
    number, enrolled, unchecked, read = part
    if (person.death_date or person.moved_out_date) and entitlement.ended_before(person, month):
        # Nothing owed for the month, and nothing paid for it to take back: no lines, whatever the
        # date (each would otherwise be a situation of its own, and they add up month by month).
        return (), ()
    born = (month, person.birth_date)
    ages = remembered.ages.get(born)
    if ages is None:
        ages = remembered.ages[born] = ages_at(person.birth_date, month)
    # With the month and the enrollment part fixed, the rest of the Situation: people whose keys
    # are equal are in the same situation. Statuses no item of the person's reads are left out.
    statuses = person.history.in_force(month, read)
    key = (number, ages, person.death_date, person.moved_out_date, statuses)
    found = remembered.lines.get(key)
    if found is None:
        lines, missing = settle(entitlement, person, month, back_pay_months, {}, after=month - 1)
        found = remembered.lines[key] = (tuple(lines), tuple(missing))
    return found
