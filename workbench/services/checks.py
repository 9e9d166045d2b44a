"""Proactive lists (主动发现): who will qualify and is not yet enrolled (待办提醒), and which
payments look wrong (疑点核查). Every finding names the person, the item or reason, and a month."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, intersect, select

from workbench.services.database import Database, Progress
from workbench.domain.actor import Actor
from workbench.domain.age import age_at_month_end
from workbench.domain.idnumber import mask_account, mask_id_number
from workbench.domain.ledger import window_start
from workbench.domain.month import Month
from workbench.domain.roles import may
from workbench.domain.vocabulary import NONE_VALUE, REJECTED
from workbench.services.accounts import record_unmasking, require
from workbench.domain.batch import DRAFT
from workbench.store.ledger import go_on, load_entitlement, load_people
from workbench.store.ledger import active_policy
from workbench.services.scope import in_scope
from workbench.store.bulk import bulk_select, bulk_select_of, chunks
from workbench.memory import paused_garbage_collection
from workbench.store.models import (
    Batch, Enrollment, LedgerLine, LivenessCheck, Person, StatusFact, Township, Village,
    current_accounts,
)

OLDEST_WITHOUT_CHECK = 105  # 年满此年龄的在册人员须核实生存状态
NOT_ENROLLED = "符合条件但未登记: "  # how a 可享受 finding's reason begins; the notice list leaves it out
UNCHECKED_MONTHS = 12  # 发放持续这么多个月而一年内无任何状态核查
CHECKPOINT_PEOPLE = 4096  # a long check looks whether it is to stop after this many people


@dataclass(frozen=True)
class Finding:
    kind: str  # 待办: 可享受 / 档次变化 / 护理档次变化; 疑点: 死亡后仍发放 / 同名同生日 / 共用银行账号 / 高龄核实 / 长期未核查
    person_id: int
    id_number: str  # as the role may see it
    name: str
    township: str
    item: str
    month: Month | None
    reason: str
    village: str = ""


class _Roster:
    """Names, numbers and places of the persons a check found, shown as the role may see them
    (`masked`: as a 经办 sees them, whatever the role, e.g. for counting or a notice to a township)."""

    def __init__(self, uow, actor: Actor, person_ids, masked: bool) -> None:
        self.full = may(actor.role, "see_full_numbers") and not masked
        self.rows = {}
        wanted = set(person_ids)
        query = (select(Person.id, Person.id_number, Person.name, Township.name, Village.name)
                 .join(Village, Person.village_id == Village.id).join(Township, Village.township_id == Township.id))
        for person_id, number, name, town, village in bulk_select_of(uow.session, query, Person.id, sorted(wanted)):
            if person_id in wanted:
                self.rows[person_id] = (number if self.full else mask_id_number(number), name, town, village)

    def finding(self, kind, person_id, item, month, reason) -> Finding:
        number, name, town, village = self.rows[person_id]
        return Finding(kind, person_id, number, name, town, item, month, reason, village)


@paused_garbage_collection()
def upcoming(db: Database, actor: Actor, *, today: date | None = None, masked: bool = False,
             checkpoint: Callable[[], None] = go_on) -> list[Finding]:
    """People who qualify for an item they are not enrolled in, now or by next month's age (from
    the month the policy's start rule gives); enrolled people whose age bracket changes next month;
    enrolled 特困 people whose 自理能力 changes this or next month.

    Only people old enough and holding a fact each required condition needs (低保 是, a 失能
    grade…) can qualify; only their records are loaded and computed. `checkpoint` is called
    between queries and every few thousand people; it may raise to stop the work."""
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        found = _upcoming_entries(uow, Month.of(today or date.today()), checkpoint)
        roster = _Roster(uow, actor, [entry[1] for entry in found], masked)
    results = [finding for finding in (roster.finding(*entry) for entry in found) if in_scope(actor, finding.township)]
    if roster.full:
        record_unmasking(db, actor, "待办提醒", len(results))
    return sorted(results, key=lambda finding: (finding.township, finding.kind, finding.month, finding.name))


def _upcoming_entries(uow, this_month: Month, checkpoint: Callable[[], None] = go_on) -> list[tuple]:
    """(kind, person id, item name, month, reason) of each 待办提醒 finding. `checkpoint` is called
    between queries and every few thousand people; it may raise to stop the work."""
    months = (this_month, this_month + 1)
    latest = months[1] + 1
    found: list[tuple] = []
    session = uow.session
    entitlement = load_entitlement(uow)
    items = [item for item in entitlement.policy.items if item.paid]
    held = defaultdict(set)
    for person_id, code in bulk_select(session, select(Enrollment.person_id, Enrollment.item_code)
                                       .where(Enrollment.state != REJECTED)):
        held[person_id].add(code)
    checkpoint()
    births = dict(bulk_select(session, select(Person.id, Person.birth_date)
                              .where(Person.death_date.is_(None), Person.moved_out_date.is_(None))))
    # 档次变化 needs only birth dates: a bracket is crossed in the month of the birthday.
    birthdays = [(person_id, birth) for person_id, birth in births.items() if birth.month == months[1].month]
    for item in items:
        if item.rule != "age_bracket":
            continue
        for person_id, birth in birthdays:
            if item.code not in held.get(person_id, ()):
                continue
            before, after = age_at_month_end(birth, months[0]), age_at_month_end(birth, months[1])
            crossed = [bracket for bracket in item.brackets if before < bracket.min_age <= after]
            if crossed:
                found.append(("档次变化", person_id, item.name, months[1],
                              f"{months[1]} 年满 {crossed[0].min_age} 周岁, 自动按 {crossed[0].key} 档发放"))
    checkpoint()
    holders = _condition_holders(session, entitlement, {condition for item in items for condition in item.requires})
    checkpoint()

    def old_enough(person_id: int, age: int) -> bool:
        """Of `age` by the end of `latest` (and living, on the roster); the birth year rules most out."""
        birth = births.get(person_id)
        return birth is not None and birth.year <= latest.year - age and age_at_month_end(birth, latest) >= age

    wanted: dict[int, list] = defaultdict(list)  # person -> items to compute
    for item in items:
        able = None
        for condition in item.requires:
            able = holders[condition] if able is None else able & holders[condition]
        people = able if able is not None else births
        for person_id in people:
            if item.code not in held.get(person_id, ()) and old_enough(person_id, item.min_age):
                wanted[person_id].append(item)
        checkpoint()
        if item.rule == "dispersed_support":
            for person_id in births:
                if item.code in held.get(person_id, ()):
                    wanted[person_id].append(item)
            checkpoint()
    people = load_people(uow, only=set(wanted), checkpoint=checkpoint) if wanted else {}
    for counted, (person_id, record) in enumerate(people.items()):
        if counted % CHECKPOINT_PEOPLE == 0:
            checkpoint()
        for item in wanted[person_id]:
            if item.code in held.get(person_id, ()):
                before = record.history.value("self_care", months[0] - 1)
                after = record.history.value("self_care", months[1])
                if before and after and before != after:
                    found.append(("护理档次变化", person_id, item.name, months[1],
                                  f"自理能力由{before}变为{after}, 护理部分按{after}标准发放, 请核对评估材料"))
                continue
            # Reaching the age next month may qualify from the month after (满 80 周岁次月起):
            # look at the last month first, then find the first month that pays.
            if (entitlement.if_enrolled(record, item.code, latest).amount <= 0
                    and entitlement.if_enrolled(record, item.code, months[0]).amount <= 0):
                continue
            for month in months[0].until(latest):
                owed = entitlement.if_enrolled(record, item.code, month)
                if owed.amount > 0 and not owed.missing:
                    found.append(("可享受", person_id, item.name, month, NOT_ENROLLED + owed.reason))
                    break
    return found


def _condition_holders(session, entitlement, conditions) -> dict[str, set[int]]:
    """Each condition -> the persons with at least one fact that can make it hold (ever)."""
    holders: dict[str, set[int]] = {}
    for condition in conditions:
        people: set[int] = set()
        for kind, values in entitlement.facts_for(condition).items():
            query = select(StatusFact.person_id).where(StatusFact.kind == kind)
            query = query.where(StatusFact.value.in_(values)) if values else query.where(StatusFact.value != NONE_VALUE)
            people.update(session.scalars(query.distinct()))
        holders[condition] = people
    return holders


@paused_garbage_collection()
def doubtful(db: Database, actor: Actor, *, today: date | None = None, masked: bool = False,
             checkpoint: Callable[[], None] = go_on) -> list[Finding]:
    """Payments that look wrong: paid after death, one person under two ID numbers, one account for
    several people, the very old without a check, paid for a year with no check of their status.
    `checkpoint` is called between queries; it may raise to stop the work."""
    require(actor, "read")
    today = today or date.today()
    with db.unit_of_work(actor) as uow:
        entries = _doubtful_entries(uow, today, checkpoint)
        roster = _Roster(uow, actor, [entry[1] for entry in entries], masked)
        names = {item.code: item.name for item in load_entitlement(uow).policy.items}
    results = [finding for finding in (roster.finding(kind, person_id, names.get(code, code), month, reason)
                                       for kind, person_id, code, month, reason in entries)
               if in_scope(actor, finding.township)]
    if roster.full:
        record_unmasking(db, actor, "疑点核查", len(results))
    return sorted(results, key=lambda finding: (finding.kind, finding.township, finding.name))


def _doubtful_entries(uow, today: date, checkpoint: Callable[[], None] = go_on) -> list[tuple]:
    """(kind, person id, item code, month, reason) of each 疑点核查 finding. `checkpoint` is called
    between queries; it may raise to stop the work."""
    entries: list[tuple] = []
    session = uow.session
    last = session.scalar(select(func.max(Batch.month)).where(Batch.state != DRAFT))
    # The next run recovers only periods in its back-pay window; what was paid before it is left
    # to the office (a refund asked for, or a write-off).
    first_recoverable = window_start((last or Month.of(today)) + 1, active_policy(uow).back_pay_months)
    # 死亡后仍发放: what approved batches hold, net of recoveries, for months after the death month.
    dead = dict(session.execute(select(Person.id, Person.death_date).where(Person.death_date.is_not(None))).all())
    net = defaultdict(lambda: 0)
    approved = session.execute(select(Batch.month, Batch.id).where(Batch.state != DRAFT)).all()
    # By person, through the ledger's (batch, person) index, not a scan of every line; in order
    # of death, so that each group looks only in the batches after its earliest death.
    for chunk in chunks(sorted(dead, key=lambda person_id: (dead[person_id], person_id))):
        checkpoint()
        after = Month.of(dead[chunk[0]])
        batches = [batch_id for month, batch_id in approved if month > after]
        if not batches:
            continue
        for person_id, code, period, amount in session.execute(
                select(LedgerLine.person_id, LedgerLine.item_code, LedgerLine.period, LedgerLine.amount)
                .where(LedgerLine.batch_id.in_(batches), LedgerLine.person_id.in_(sorted(chunk)))):
            died = dead[person_id]
            if period > Month.of(died):
                net[(person_id, code, died, period < first_recoverable)] += amount
    for (person_id, code, died, beyond), amount in sorted(net.items(), key=lambda entry: entry[0][3]):
        if amount > 0:
            action = (f"{first_recoverable} 以前的月份超出补发期, 需人工追回或核销" if beyond
                      else "下次计算将追回")
            entries.append(("死亡后仍发放", person_id, code, Month.of(died) + 1,
                            f"已于 {died.isoformat()} 死亡, 之后的月份仍净发 {amount} 元, {action}"))
    checkpoint()
    # 同名同生日, 不同身份证号: one person entered twice? The database finds the pairs.
    twice = (select(Person.name, Person.birth_date).group_by(Person.name, Person.birth_date)
             .having(func.count() > 1).subquery())
    twins = defaultdict(list)
    for person_id, name, birth in session.execute(
            select(Person.id, Person.name, Person.birth_date)
            .join(twice, (Person.name == twice.c.name) & (Person.birth_date == twice.c.birth_date))):
        twins[(name, birth)].append(person_id)
    for (name, birth), ids in twins.items():
        for person_id in ids:
            entries.append(("同名同生日", person_id, "", None,
                            f"{name} ({birth.isoformat()}) 在花名册中有 {len(ids)} 个身份证号, 请核实是否同一人"))
    checkpoint()
    # 一个银行账号多人使用 (each person's account in use)
    holders = defaultdict(list)
    for person_id, account in current_accounts(session).items():
        holders[account.account_no].append(person_id)
    for account, ids in holders.items():
        if len(ids) < 2:
            continue
        for person_id in ids:
            entries.append(("共用银行账号", person_id, "", None, f"银行账号 {mask_account(account)} 由 {len(ids)} 人共用"))
    # 高龄核实 and 长期未核查 concern the people paid in approved batches.
    if last is not None:
        checkpoint()
        entries += _oldest_unchecked(session, last, today)
        checkpoint()
        entries += _paid_a_year_unchecked(session, last, today)
    return entries


def _oldest_unchecked(session, last: Month, today: date) -> list[tuple]:
    """高龄核实: the living aged 105 and over paid in the last approved batch, with no 生存认证 this year."""
    born_by = date(last.year - OLDEST_WITHOUT_CHECK + 1, 12, 31)  # anyone born later is younger
    oldest = {person_id: birth for person_id, birth in session.execute(
        select(Person.id, Person.birth_date).where(Person.death_date.is_(None), Person.birth_date <= born_by))
        if age_at_month_end(birth, last) >= OLDEST_WITHOUT_CHECK}
    found = []
    for chunk in chunks(sorted(oldest)):
        paid = set(session.scalars(
            select(LedgerLine.person_id).join(Batch, LedgerLine.batch_id == Batch.id)
            .where(Batch.month == last, Batch.state != DRAFT, LedgerLine.amount > 0, LedgerLine.person_id.in_(chunk))))
        alive = set(session.scalars(select(LivenessCheck.person_id).where(
            LivenessCheck.checked_on >= date(today.year, 1, 1), LivenessCheck.person_id.in_(chunk))))
        for person_id in sorted(paid - alive):
            found.append(("高龄核实", person_id, "", last,
                          f"{age_at_month_end(oldest[person_id], last)} 周岁仍在发放, {today.year} 年尚无生存认证"))
    return found


def _paid_a_year_unchecked(session, last: Month, today: date) -> list[tuple]:
    """长期未核查: paid in the last approved batch and in the one 11 months before it, and in the last
    year no status fact, no change to the person and no 生存认证 recorded. Found by the database
    from the two batches' lines, not from every line in between."""
    first_month = last - (UNCHECKED_MONTHS - 1)
    ends = dict(session.execute(select(Batch.month, Batch.id).where(
        Batch.state != DRAFT, Batch.month.in_([first_month, last]))).all())
    if len(ends) < 2:
        return []
    since = datetime.combine(today - timedelta(days=365), datetime.min.time())

    def paid_in(batch_id):
        return select(LedgerLine.person_id).where(LedgerLine.batch_id == batch_id, LedgerLine.amount > 0)

    both = intersect(paid_in(ends[first_month]), paid_in(ends[last])).subquery()
    person = both.c.person_id
    # NOT EXISTS, not NOT IN: PostgreSQL turns it into an anti-join. A NOT IN over a million ids
    # does not fit its hash in memory and is scanned again for every person (hours at a prefecture).
    query = select(person).where(
        ~select(StatusFact.person_id).where(StatusFact.person_id == person, StatusFact.recorded_at >= since).exists(),
        ~select(Person.id).where(Person.id == person, Person.updated_at >= since).exists(),
        ~select(LivenessCheck.person_id).where(LivenessCheck.person_id == person,
                                               LivenessCheck.checked_on >= since.date()).exists())
    reason = f"{first_month} 至 {last} 一直在发放, 一年内无任何状态核查或信息更新"
    return [("长期未核查", person_id, "", last, reason) for person_id in session.scalars(query)]


@dataclass(frozen=True)
class TodoCounts:
    """How many of each list wait for the office: the counts on the 待办 screen's name."""

    upcoming: int
    doubtful: int
    unchecked: int  # 当年未生存认证
    fund_warnings: int  # 专项资金预警

    @property
    def total(self) -> int:
        return self.upcoming + self.doubtful + self.unchecked + self.fund_warnings

    @classmethod
    def of(cls, upcoming: list, doubtful: list, unchecked: list, funds: list) -> TodoCounts:
        return cls(len(upcoming), len(doubtful), len(unchecked), sum(1 for each in funds if each.warning))


@paused_garbage_collection()
def todo_counts(db: Database, actor: Actor, *, today: date | None = None, progress: Progress | None = None) -> TodoCounts:
    """The four lists counted: the same checks, without the names and places a list shows (so
    nothing is shown and nothing to audit). `progress` is told how far the count is, between
    queries and every few thousand people; it may raise to stop the count (the window stops it
    when it closes)."""
    from workbench.services.budget import fund_status
    from workbench.services.liveness import unchecked, unchecked_count

    require(actor, "read")
    today = today or date.today()
    told = progress or (lambda _done, _total: None)
    if not actor.county_wide:  # counted from the lists a township user sees
        upcoming_found = upcoming(db, actor, today=today, masked=True, checkpoint=lambda: told(0, 3))
        doubtful_found = doubtful(db, actor, today=today, masked=True, checkpoint=lambda: told(1, 3))
        told(2, 3)
        return TodoCounts(len(upcoming_found), len(doubtful_found), len(unchecked(db, actor, today.year, today=today, masked=True)), 0)
    with db.unit_of_work(actor) as uow:
        upcoming_found = len(_upcoming_entries(uow, Month.of(today), lambda: told(0, 4)))
        doubtful_found = len(_doubtful_entries(uow, today, lambda: told(1, 4)))
        told(2, 4)
        unchecked_found = unchecked_count(uow, today.year)
    told(3, 4)
    warnings = sum(1 for funds in fund_status(db, actor, today.year) if funds.warning)
    told(4, 4)
    return TodoCounts(upcoming_found, doubtful_found, unchecked_found, warnings)


def notices_by_township(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """The 可享受 findings grouped by township, for the notice lists sent to each township office."""
    towns: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.kind == "可享受":
            towns[finding.township].append(finding)
    return [(town, sorted(rows, key=lambda row: (row.village, row.name))) for town, rows in sorted(towns.items())]
