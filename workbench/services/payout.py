"""The monthly run (月度发放): compute the draft batch, review it, approve and lock it.

One batch per month: the database's unique key on (month, item group) and a lock taken at the
start of the run (PostgreSQL advisory lock; SQLite's IMMEDIATE write transaction) make two
installations running the same month at once produce one batch.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import delete, func, select

from workbench.services.database import Database, Progress
from workbench.domain.actor import Actor
from workbench.domain.batch import APPROVED, DRAFT, EXPORTED, RECONCILED
from workbench.domain.entitlement import PersonRecord, installment_only
from workbench.domain.errors import ConcurrentEdit, InvalidInput, NotFound, PermissionDenied
from workbench.domain.idnumber import mask_id_number
from workbench.domain.ledger import (
    BACK_PAY, CURRENT, DEDUCTION, RECOVERY, Remembered, RememberedWindows, deductions, settle, settle_alike, settle_next,
    window_start,
)
from workbench.domain.money import ZERO
from workbench.domain.month import Month
from workbench.domain.plan import RunPlan
from workbench.domain.roles import ACTION_NAMES, may
from workbench.domain.vocabulary import APPROVED as ENROLLMENT_APPROVED, BANK_FAILED
from workbench.services.accounts import record_unmasking, require, shows_full_numbers
from workbench.services.people import person_by
from workbench.services.scope import persons_in_scope, require_county, scope_text, township_condition
from workbench.store import ledger as ledger_store
from workbench.memory import paused_garbage_collection, release_gently
from workbench.store.ledger import (
    PAYMENT, DraftLines, HeldInWindow, batch_of, changed_since, deduction_on, draft_and_settled, existing_batch, held_in_window,
    last_change, load_entitlement, load_people, lock_run, next_run_month, paid_in_window, read_policy, record_totals,
)
from workbench.store.bulk import driver_rows
from workbench.store.models import Batch, Enrollment, LedgerLine, Person, PersonChange, Township, Village
from workbench.store.uow import UnitOfWork, now

__all__ = ["APPROVED", "DRAFT", "EXPORTED", "RECONCILED", "PAYMENT", "existing_batch", "load_entitlement", "load_people",
           "next_run_month", "paid_in_window"]  # the batch states and ledger reads, as other modules knew them here

EVERYONE_BLOCK = 25_000  # people settled together when everyone's window is recomputed


@dataclass(frozen=True)
class RunReport:
    month: Month
    people: int
    lines: int
    paid: Decimal  # sum of payment lines (当月 and 补发), what goes to the bank
    recovered: Decimal  # sum of recoveries (追回), negative
    by_kind: dict[str, tuple[int, Decimal]]
    missing: dict[str, int]  # standard -> people held back for want of it


def run_month(db: Database, actor: Actor, month: Month, *, full: bool = False, progress: Progress | None = None,
              today: date | None = None) -> RunReport:
    """Compute (or recompute) the draft batch of `month`: lock, plan, settle block by block,
    write, deduct, report, audit.

    Persons changed since the last approved batch (and everyone, on the first run, after a
    standard or policy change, or with `full`) get their whole back-pay window recomputed;
    everyone else is settled through that batch and gets only the months after it. Recomputing
    a draft redoes only the persons changed since the draft was computed (`RunPlan`).
    """
    require(actor, "run_payout")
    require_county(actor, "计算全县的发放")
    with db.unit_of_work(actor, write=True) as uow, paused_garbage_collection():
        # The run's working sets are freed when `_run` returns, before the collector is back: it
        # would otherwise begin by scanning the millions of objects allocated while it was paused.
        return _run(uow, month, full, progress, today or date.today())


def _run(uow: UnitOfWork, month: Month, full: bool, progress: Progress | None, today: date) -> RunReport:
    """`run_month` in its unit of work."""
    actor = uow.actor
    lock_run(uow, month)
    _check_may_run(uow, month, today)
    changes_through = last_change(uow)
    previous = ledger_store.last_approved_before(uow, month)
    batch = batch_of(uow, month)
    plan = RunPlan.decide(
        month, full=full, has_draft=batch is not None,
        changed_since_draft=lambda: changed_since(uow, batch.changes_through),
        previous=previous.month if previous is not None else None,
        changed_since_previous=lambda: changed_since(uow, previous.changes_through))
    if batch is None:
        batch = ledger_store.new_draft(uow, month, actor.name)
    else:
        ledger_store.delete_draft_lines(uow, batch.id, plan.redo)
        batch.run_by, batch.run_at = actor.name, now()
    entitlement = load_entitlement(uow)
    first = window_start(month, entitlement.policy.back_pay_months)
    kept_missing = {} if plan.redo is None else {  # the people the draft keeps, still held back
        standard: [person_id for person_id in ids if person_id not in plan.redo]
        for standard, ids in batch.notes.get("缺少标准人员", {}).items()
    }
    settling = _Settling(entitlement, month, batch.id, progress)
    if plan.redo is not None:
        settling.total = len(plan.redo)
        settling.add(plan, load_people(uow, only=set(plan.redo)), held_in_window(uow, first, set(plan.redo)))
    elif plan.everyone:
        # Everyone's whole window, a span of ids at a time: what they were paid would not fit in
        # memory for a large county all at once. In each span, those enrolled or paid in the window.
        spans = ledger_store.person_spans(uow, EVERYONE_BLOCK)
        settling.total = sum(people for _, people in spans)
        histories: dict = {}  # people with the same facts share one history, across spans
        with ledger_store.HeldAhead(uow, first, [span for span, _ in spans]) as ahead:
            for span, count in spans:
                read = load_people(uow, only=span, shared_histories=histories)
                held = ahead.next()
                paid = held.people()
                people = {person_id: person for person_id, person in read.items() if person.enrollments or person_id in paid}
                settling.settled += count - len(people)  # the others have nothing to settle
                settling.add(plan, people, held)
    else:
        held = held_in_window(uow, first, set(plan.window))
        people = load_people(uow, also=held.people())
        # An item not paid every month leaves months before the last batch open until its
        # payment month; months an earlier system paid after the last batch are open too:
        # what was paid of them must be known, as for a changed person.
        waiting = {person_id for person_id, person in people.items() if person_id not in plan.window
                   and (not entitlement.paid_monthly(person.enrollments)
                        or any(span.paid_through is not None and span.paid_through > plan.settled_through
                               for span in person.enrollments))}
        if waiting:
            held.update(held_in_window(uow, first, waiting))
            plan = plan.opened(waiting)
        settling.total = len(people)
        settling.add(plan, people, held)
    if progress:
        progress(settling.total, settling.total)
    ledger_store.write_draft(uow, batch.id, settling.draft)
    _deduct_recoveries(uow, batch, month)
    missing_people = settling.missing
    for standard, ids in kept_missing.items():
        missing_people[standard].update(ids)
    batch.changes_through = changes_through
    report = _report(uow, batch, {standard: len(ids) for standard, ids in missing_people.items() if ids})
    batch.notes = {"缺少标准": report.missing, "缺少标准人员": {standard: sorted(ids) for standard, ids in missing_people.items() if ids},
                   "人数": report.people, "行数": report.lines}
    recomputed = plan.recomputed()
    uow.audit("计算发放", "batch", str(month), {
        "人数": report.people, "行数": report.lines, "发放合计": report.paid, "追回合计": report.recovered,
        "缺少标准": report.missing, "重新计算人数": "全部" if recomputed is None else recomputed})
    uow.commit()
    return report


class _Settling:
    """A run's settling of people, block by block, into its draft lines (`DraftLines`)."""

    def __init__(self, entitlement, month: Month, batch_id: int, progress: Progress | None) -> None:
        self.entitlement, self.month, self.batch_id, self.progress = entitlement, month, batch_id, progress
        self.back_pay = entitlement.policy.back_pay_months
        self.draft = DraftLines()
        self.missing: dict[str, set[int]] = defaultdict(set)  # standard -> people held back for want of it
        self.alike = Remembered()  # people settled through last month, by what their lines depend on
        self.windows = RememberedWindows()  # people settled over the window, by what their lines depend on
        self.settled, self.total = 0, 0  # people settled so far, of all to settle

    def add(self, plan: RunPlan, people: dict[int, PersonRecord], held: HeldInWindow) -> None:
        """Settle `people` as `plan` says, over what was paid (`held`, for those settled over their window)."""
        entitlement, month, back_pay, alike, windows = self.entitlement, self.month, self.back_pay, self.alike, self.windows
        key, paid = held.key, held.paid
        add, share, everyone = self.draft.rows.extend, self.draft.share, list(people.items())
        whole, window, after = plan.whole_window_for_all, plan.window, plan.settled_through
        shared = after == month - 1
        for start in range(0, len(everyone), 5000):
            part = everyone[start : start + 5000]
            for person_id, person in part:  # RunPlan.how, written out: this loop runs for every person
                if whole or person_id in window:
                    lines_shared, missing = settle_alike(entitlement, person, month, back_pay, key(person_id), paid, windows)
                    if lines_shared:
                        share(person_id, lines_shared)
                    lines = ()
                elif shared:
                    lines_shared, missing = settle_next(entitlement, person, month, back_pay, alike)
                    if lines_shared:
                        share(person_id, lines_shared)
                    lines = ()
                else:
                    lines, missing = settle(entitlement, person, month, back_pay, {}, after=after)
                if lines:  # the person's own lines
                    head = (self.batch_id, person_id)
                    add([head + line for line in lines])  # LineDraft's fields are the rest of a row
                for entry in missing:
                    self.missing[entry.standard].add(person_id)
            self.settled += len(part)
            if self.progress:
                self.progress(self.settled, self.total)


def _deduct_recoveries(uow: UnitOfWork, batch: Batch, month: Month) -> None:
    """The draft's 抵扣 lines, written anew (`ledger.deductions`) unless the setting turns them off."""
    uow.session.execute(delete(LedgerLine).where(LedgerLine.batch_id == batch.id, LedgerLine.kind == DEDUCTION))
    if not deduction_on(uow):
        return
    owed = ledger_store.outstanding_by_item(uow)
    if not owed:
        return
    paying, numbers = ledger_store.draft_payments(uow, batch.id, sorted({person_id for person_id, _ in owed}), month)
    rows = [(batch.id, person_id, line.item_code, line.period, numbers.get((person_id, line.item_code), 0) + 1,
             line.amount, line.kind, line.reason) for person_id, line in deductions(owed, paying, month)]
    ledger_store.write_lines(uow, rows)


def _check_may_run(uow: UnitOfWork, month: Month, today: date) -> None:
    """A month is computed at most one month ahead (a mistyped 2030-01 would leave a draft that
    locks every real month), not before anyone is enrolled, and after the months before it; an
    empty draft of another month (nothing to pay in it) is removed rather than blocking."""
    session = uow.session
    latest = Month.of(today) + 1
    if month > latest:
        raise InvalidInput(f"只能计算到下个月 ({latest}); {month} 尚未到来, 请检查月份")
    first = session.scalar(select(func.min(Enrollment.start_month)).where(Enrollment.state == ENROLLMENT_APPROVED))
    if first is None:
        raise InvalidInput("花名册中还没有已批准享受项目的人员, 无法计算发放")
    if month < first:
        raise InvalidInput(f"最早的享受项目从 {first} 起, 不能计算更早的 {month}")
    for empty in session.scalars(select(Batch).where(Batch.state == DRAFT, Batch.month != month)):
        if session.scalar(select(LedgerLine.id).where(LedgerLine.batch_id == empty.id).limit(1)) is None:
            uow.audit("删除空草稿", "batch", str(empty.month), {"原因": f"没有应发金额; 计算 {month} 时删除"})
            session.delete(empty)
    session.flush()
    other_draft = session.scalar(select(Batch.month).where(Batch.state == DRAFT, Batch.month != month))
    if other_draft is not None:
        raise InvalidInput(f"{other_draft} 的发放批次还是草稿: 请先审批它, 再计算 {month}")
    later = session.scalar(select(func.max(Batch.month)).where(Batch.month > month))
    if later is not None:
        raise InvalidInput(f"已有更晚的 {later} 发放批次, 不能再计算 {month}; 更正会在下一批次中自动调整")
    batch = batch_of(uow, month)
    if batch is not None and batch.state != DRAFT:
        raise InvalidInput(f"{month} 的发放批次已{batch.state}, 不能重新计算; 更正会在下一批次中自动调整")


def _report(uow: UnitOfWork, batch: Batch, missing: dict[str, int]) -> RunReport:
    """The batch's totals, read back from its lines."""
    uow.session.flush()
    by_kind = {
        kind: (count, total)
        for kind, count, total in uow.session.execute(
            select(LedgerLine.kind, func.count(), func.sum(LedgerLine.amount))
            .where(LedgerLine.batch_id == batch.id).group_by(LedgerLine.kind)
        )
    }
    people = uow.session.scalar(select(func.count(func.distinct(LedgerLine.person_id))).where(LedgerLine.batch_id == batch.id))
    paid = sum((total for kind, (_, total) in by_kind.items() if kind != RECOVERY), ZERO)
    return RunReport(batch.month, people, sum(count for count, _ in by_kind.values()), paid,
                     by_kind.get(RECOVERY, (0, ZERO))[1], by_kind, missing)


def approve_month(db: Database, actor: Actor, month: Month, *, expected_run_at: datetime | None = None) -> Batch:
    """Approve and lock the draft; the approver must not be the one who ran it (审核 ≠ 经办).

    A draft computed before a later change is refused, and so is one computed again after the
    reviewer read it (`expected_run_at`: when the draft the reviewer saw was computed)."""
    require(actor, "approve")
    require_county(actor, "审批全县的发放批次")
    with db.unit_of_work(actor, write=True) as uow:
        batch = batch_of(uow, month)
        if batch is None:
            raise NotFound(f"{month} 还没有发放批次, 请先计算")
        if batch.state != DRAFT:
            raise InvalidInput(f"{month} 的发放批次已{batch.state}")
        if batch.run_by == actor.name:
            raise PermissionDenied(f"{month} 的批次由 {actor.name} 计算, 须由另一位用户审批")
        if _out_of_date(uow, batch):
            raise InvalidInput(OUT_OF_DATE.format(month))
        if expected_run_at is not None and batch.run_at != expected_run_at:
            raise ConcurrentEdit(f"{month} 的草稿在您查看之后已由 {batch.run_by} 重新计算, 请刷新后核对再审批")
        batch.notes = {**(batch.notes or {}), ledger_store.CHAIN_NOTE: ledger_store.audit_head(uow)}
        batch.state, batch.approved_by, batch.approved_at = APPROVED, actor.name, now()
        record_totals(uow.session, batch.id)
        # The change log up to this batch is settled: later runs read only what came after it. Its
        # last row stays, so that SQLite numbers new rows after it (it reuses the ids of a table's end).
        uow.session.execute(delete(PersonChange).where(PersonChange.id < batch.changes_through))
        uow.audit("审批发放", "batch", str(month), {"批次": batch.id})
        uow.commit()
        return batch


OUT_OF_DATE = "{} 的草稿计算之后, 人员信息或标准又有变更: 草稿已过期, 请重新计算后再审批"


def _out_of_date(uow: UnitOfWork, batch: Batch) -> bool:
    """Whether anything a run reads (a person's facts, an enrollment, a standard, the policy) changed
    after the draft was computed: the change log has an entry the draft did not see."""
    return uow.session.scalar(select(PersonChange.id).where(PersonChange.id > batch.changes_through).limit(1)) is not None


@dataclass(frozen=True)
class MonthStatus:
    """Where a month stands, and for each step (计算/审批/导出/打印/回盘) None if allowed, else why not."""

    month: Month
    state: str | None  # None: no batch yet
    run_by: str | None
    approved_by: str | None
    steps: dict[str, str | None]
    out_of_date: bool = False  # a draft computed before a later change: to be computed again
    run_at: datetime | None = None  # when the batch was computed


def month_status(db: Database, actor: Actor, month: Month) -> MonthStatus:
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        batch = batch_of(uow, month)
        state, run_by, approved_by = (batch.state, batch.run_by, batch.approved_by) if batch else (None, None, None)
        run_at = batch.run_at if batch else None
        out_of_date = state == DRAFT and _out_of_date(uow, batch)

    def needs(permission: str, reason: str | None) -> str | None:
        if not may(actor.role, permission):
            return f"角色「{actor.role}」无权{ACTION_NAMES[permission]}"
        if permission != "read" and not actor.county_wide:
            return f"乡镇用户只负责 {scope_text(actor)}, 全县的发放由县级用户操作"
        return reason

    settled = f"{month} 的批次已{state}, 不能重算" if state not in (None, DRAFT) else None
    if state is None:
        approve = "还没有发放批次, 请先计算"
    elif state != DRAFT:
        approve = f"批次已{state}"
    elif run_by == actor.name:
        approve = f"批次由 {actor.name} 计算, 须由另一位用户审批"
    elif out_of_date:
        approve = OUT_OF_DATE.format(month)
    else:
        approve = None
    unapproved = "批次尚未审批" if state in (None, DRAFT) else None
    steps = {
        "run": needs("run_payout", settled),
        "approve": needs("approve", approve),
        "export": needs("export", unapproved),
        "print": needs("read", "还没有发放批次, 请先计算" if state is None else None),
        "bank_return": needs("export", "批次尚未导出" if state not in (EXPORTED, RECONCILED) else None),
    }
    return MonthStatus(month, state, run_by, approved_by, steps, out_of_date, run_at)


def batch_report(db: Database, actor: Actor, month: Month) -> RunReport:
    """What the month's batch holds, as the run reported it: people, lines and amounts per kind
    (当月/补发/追回), and the people held back for a missing standard."""
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        batch, _names = existing_batch(uow, month)
        return _report(uow, batch, dict(batch.notes.get("缺少标准", {})))


def month_that_matters(db: Database, actor: Actor, today: date | None = None) -> Month:
    """The month the payout screens open on: the open draft, else the last approved month; this
    month on a database without batches."""
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        draft, settled = draft_and_settled(uow)
    return draft or settled or Month.of(today or date.today())


@dataclass(frozen=True)
class ShownLine:
    id_number: str
    name: str
    item: str
    period: Month
    amount: Decimal
    kind: str
    reason: str


def show_month(db: Database, actor: Actor, month: Month) -> list[ShownLine]:
    """The batch's lines, ID numbers masked unless the role may see them."""
    require(actor, "read")
    full = shows_full_numbers(db, actor)
    with db.unit_of_work(actor) as uow:
        batch, names = existing_batch(uow, month)
        query = (
            select(Person.id_number, Person.name, LedgerLine.item_code, LedgerLine.period, LedgerLine.amount,
                   LedgerLine.kind, LedgerLine.reason)
            .join(Person, LedgerLine.person_id == Person.id)
            .where(LedgerLine.batch_id == batch.id)
            .order_by(Person.id_number, LedgerLine.item_code, LedgerLine.period)
        )
        if not actor.county_wide:
            query = query.where(LedgerLine.person_id.in_(persons_in_scope(actor)))
        shown = [
            ShownLine(number if full else mask_id_number(number), name, names.get(code, code), period, amount, kind, reason)
            for number, name, code, period, amount, kind, reason in uow.session.execute(query)
        ]
    if full:
        record_unmasking(db, actor, f"{month} 发放明细", len(shown))
    return shown


@dataclass(frozen=True)
class HistoryLine:
    """One ledger line of a person, as the person form and `payout history` show it."""

    batch_month: Month
    item: str
    period: Month
    amount: Decimal
    kind: str  # 当月 / 补发 / 追回
    reason: str
    bank: str  # 银行结果: empty until the bank's return, 已支付, or 失败 with the bank's note


def payment_history(db: Database, actor: Actor, who: str | int) -> list[HistoryLine]:
    """Every ledger line of one person (an ID number or a person id), oldest batch first: what was
    paid, for which month, why, and what the bank answered."""
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        person = person_by(uow, who)
        names = {item.code: item.name for item in read_policy(uow.session).items}
        rows = uow.session.execute(
            select(Batch.month, LedgerLine.item_code, LedgerLine.period, LedgerLine.amount, LedgerLine.kind,
                   LedgerLine.reason, LedgerLine.bank_status, LedgerLine.bank_note)
            .join(Batch, LedgerLine.batch_id == Batch.id).where(LedgerLine.person_id == person.id)
            .order_by(Batch.month, LedgerLine.item_code, LedgerLine.period, LedgerLine.seq)).all()
    return [HistoryLine(batch_month, names.get(code, code), period, amount, kind, reason,
                        f"{status}: {note}" if status == BANK_FAILED and note else (status or ""))
            for batch_month, code, period, amount, kind, reason, status, note in rows]


DIFF_CATEGORIES = ("新增", "停发", "变更", BACK_PAY, RECOVERY, DEDUCTION)  # the reviewer's lists, in their order


@dataclass(frozen=True)
class DiffLine:
    category: str  # 新增 / 停发 / 变更 / 补发 / 追回 / 抵扣
    id_number: str
    name: str
    item: str
    period: Month
    amount: Decimal
    previous: Decimal | None
    reason: str
    township: str = ""


class _Line(NamedTuple):
    """A batch's line as the reviewer's lists read it."""

    person_id: int
    item_code: str
    period: Month
    amount: Decimal
    kind: str
    reason: str


_LINE_COLUMNS = (LedgerLine.person_id, LedgerLine.item_code, LedgerLine.period, LedgerLine.amount, LedgerLine.kind,
                 LedgerLine.reason)


def diff_month(db: Database, actor: Actor, month: Month, *, masked: bool = False) -> list[DiffLine]:
    """The reviewer's lists: new, stopped, changed this month against last month; back pay; recoveries.

    An amount that differs from last month's only by the rounding of an annual standard's monthly
    share (66.67, then 66.66) is no change. `masked`: ID numbers masked whoever reads them (a report)."""
    require(actor, "read")
    full = shows_full_numbers(db, actor) and not masked
    with db.unit_of_work(actor) as uow:
        batch, names = existing_batch(uow, month)
        previous = batch_of(uow, month - 1)

        def lines_of(batch_id: int) -> list[_Line]:
            raw, readers = driver_rows(uow.session, select(*_LINE_COLUMNS).where(LedgerLine.batch_id == batch_id))
            periods, amounts = readers[2], readers[3]  # the other columns are read as they are
            lines = [_Line(person_id, code, periods[period], amounts[amount], kind, reason)
                     for person_id, code, period, amount, kind, reason in raw]
            release_gently(raw)  # freed at once, a county's rows would hold up a window reading this
            return lines

        current_lines = lines_of(batch.id)
        now_paid = {(row.person_id, row.item_code): row for row in current_lines if row.kind == CURRENT}
        previous_lines = lines_of(previous.id) if previous else []
        before = {(row.person_id, row.item_code): row for row in previous_lines if row.kind == CURRENT}
        stopped = [key for key in before if key not in now_paid]
        reasons = {}
        if stopped:
            entitlement = load_entitlement(uow)
            people = load_people(uow, only={person_id for person_id, _ in stopped})
            for person_id, code in stopped:
                owed = entitlement.month(people[person_id], month).get(code)
                reasons[(person_id, code)] = owed.reason if owed else "不在享受期内"
        person_ids = {row.person_id for row in current_lines} | {person_id for person_id, _ in before}
        towns = select(Village.id, Township.name).join(Township, Village.township_id == Township.id)
        limit = township_condition(actor)  # a township user's lists hold their townships' people only
        townships = dict(uow.session.execute(towns if limit is None else towns.where(limit)).all())
        # The people in ID-number order, as the database's index has them: the lines are put in
        # that order person by person, without sorting every line at once.
        who = {}
        for person_id, number, name, village_id in uow.session.execute(
            select(Person.id, Person.id_number, Person.name, Person.village_id).order_by(Person.id_number)
        ):
            if person_id in person_ids and village_id in townships:
                who[person_id] = (number if full else mask_id_number(number), name, townships[village_id])

    order = {category: rank for rank, category in enumerate(DIFF_CATEGORIES)}
    of_person: dict[int, list] = defaultdict(list)

    def add(category, person_id, code, period, amount, previous_amount, reason):
        of_person[person_id].append((order[category], names.get(code, code), period, len(of_person[person_id]), category,
                                     amount, previous_amount, reason))

    for key, row in now_paid.items():
        old = before.get(key)
        if old is None:
            add("新增", *key, row.period, row.amount, None, row.reason)
        elif old.amount != row.amount and not installment_only(old.reason, row.reason):
            add("变更", *key, row.period, row.amount, old.amount, f"{row.reason} (上月 {old.amount} 元: {old.reason})")
    for key in stopped:
        add("停发", *key, month, ZERO, before[key].amount, reasons[key])
    for row in current_lines:
        if row.kind in (BACK_PAY, RECOVERY, DEDUCTION):
            add(row.kind, row.person_id, row.item_code, row.period, row.amount, None, row.reason)
    # By category, then ID number, item and period.
    by_category: dict[str, list[DiffLine]] = {category: [] for category in order}
    for person_id, (number, name, township) in who.items():  # people outside the user's townships are left out
        for _rank, item, period, _seq, category, amount, previous_amount, reason in sorted(of_person[person_id]):
            by_category[category].append(DiffLine(category, number, name, item, period, amount, previous_amount, reason,
                                                  township))
    result = [line for lines in by_category.values() for line in lines]
    # The working lists of a large month are freed a block at a time (a window reading this on a
    # worker thread keeps answering meanwhile).
    release_gently(current_lines, previous_lines, now_paid, before, of_person, who, by_category)
    if full:
        record_unmasking(db, actor, f"{month} 审核清单", len(result))
    return result
