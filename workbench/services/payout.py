"""The monthly run (月度发放): compute the draft batch, review it, approve and lock it.

One batch per month: the database's unique key on (month, item group) and a lock taken at the
start of the run (PostgreSQL advisory lock; SQLite's IMMEDIATE write transaction) make two
installations running the same month at once produce one batch.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from operator import itemgetter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Callable, Sequence

from sqlalchemy import Column, Integer, MetaData, String, Table, delete, func, insert, literal, select, text

from workbench.bootstrap import Database
from workbench.domain.entitlement import EnrollmentSpan, Entitlement, PersonRecord, StandardBook, installment_only
from workbench.domain.errors import ConcurrentEdit, InvalidInput, NotFound, PermissionDenied
from workbench.domain.history import Fact, StatusHistory
from workbench.domain.idnumber import mask_id_number
from workbench.domain.ledger import (
    BACK_PAY, CURRENT, DEDUCTION, RECOVERY, LineDraft, Paid, Remembered, settle, settle_next, window_start,
)
from workbench.domain.money import ZERO
from workbench.domain.month import Month
from workbench.domain.roles import ACTION_NAMES, may
from workbench.domain.vocabulary import APPROVED as ENROLLMENT_APPROVED, BANK_FAILED
from workbench.services.accounts import record_unmasking, require
from workbench.services.opening import months_of
from workbench.services.policy import active_policy
from workbench.services.roster import person_by
from workbench.services.scope import persons_in_scope, require_county, scope_text, township_condition
from workbench.store.bulk import bulk_insert, chunks, driver_rows, paused_garbage_collection, Reader, release_gently
from workbench.store.models import (
    Batch, BatchTotal, Enrollment, LedgerLine, LivenessCheck, Person, PersonChange, PriorPayment, Setting, Standard,
    StatusFact, Township, Village,
)
from workbench.store.types import MonthColumn, Money
from workbench.store.uow import Actor, UnitOfWork, now

DRAFT, APPROVED, EXPORTED, RECONCILED = "草稿", "已审批", "已导出", "已对账"
ALL_ITEMS = "全部"
LIVENESS_SETTING = "liveness_deadline"  # 生存认证截止月, in the settings every installation shares
DEDUCTION_SETTING = "recovery_deduction"  # "0": recoveries are not taken from later payments (抵扣); on by default
PAYMENT = LedgerLine.kind != RECOVERY  # lines that go to the bank: 当月 and 补发, less 抵扣 (the bank pays the net)
RUN_LOCK_BASE = 880_000_000  # + YYYYMM: PostgreSQL advisory lock for one month's run
EVERYONE_BLOCK = 25_000  # people settled together when everyone's window is recomputed
LINE_COLUMNS = ("batch_id", "person_id", *LineDraft._fields)  # a row: the batch, the person, then the line
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunReport:
    month: Month
    people: int
    lines: int
    paid: Decimal  # sum of payment lines (当月 and 补发), what goes to the bank
    recovered: Decimal  # sum of recoveries (追回), negative
    by_kind: dict[str, tuple[int, Decimal]]
    missing: dict[str, int]  # standard -> people held back for want of it


def _batch(uow: UnitOfWork, month: Month) -> Batch | None:
    return uow.session.scalar(select(Batch).where(Batch.month == month, Batch.item_group == ALL_ITEMS))


def load_entitlement(uow: UnitOfWork) -> Entitlement:
    policy = active_policy(uow)
    versions = uow.session.execute(
        select(Standard.name, Standard.key, Standard.effective_from, Standard.amount).order_by(Standard.id)
    ).all()
    return Entitlement(policy, StandardBook(versions), liveness_deadline=liveness_deadline(uow))


def liveness_deadline(uow: UnitOfWork) -> int | None:
    """The 生存认证截止月 the county set (1–11), or None when checks do not withhold payment."""
    text_value = uow.session.scalar(select(Setting.value).where(Setting.key == LIVENESS_SETTING))
    return int(text_value) if text_value and text_value != "0" else None


first_column = itemgetter(0)
ENROLLED = select(Enrollment.person_id).where(Enrollment.state == ENROLLMENT_APPROVED)  # who has an approved enrollment


def load_people(uow: UnitOfWork, *, only: set[int] | None = None, also: set[int] = frozenset()) -> dict[int, PersonRecord]:
    """Everyone with an approved enrollment plus `also` (or just `only`), with facts and enrollments."""
    session = uow.session

    def rows(query, person_column) -> tuple[list[tuple], list]:
        # Just some persons: ask for them. The whole roster: read every row once and pass over the
        # persons not enrolled here, cheaper than asking the database to filter each table by them.
        # The rows are the driver's; each column's reader gives its values.
        if only is None:
            return driver_rows(session, query)
        found, readers = [], [Reader(None)] * len(query.selected_columns)
        for chunk in chunks(sorted(only)):
            raw, readers = driver_rows(session, query.where(person_column.in_(chunk)))
            found.extend(raw)
        return found, readers

    spans: dict[int, list[EnrollmentSpan]] = defaultdict(list)
    query = select(Enrollment.person_id, Enrollment.item_code, Enrollment.start_month, Enrollment.end_month,
                   Enrollment.paid_through).where(Enrollment.state == ENROLLMENT_APPROVED)
    found, (_, _, starts, ends, throughs) = rows(query, Enrollment.person_id)
    for person_id, code, start, end, paid_through in found:
        spans[person_id].append(EnrollmentSpan(code, starts[start], ends[end], throughs[paid_through]))
    wanted = spans if only is None else None  # None: every row read is wanted
    # Each person's facts in recording order within kind and month (the index's order); people
    # with the same facts, as read, share one history, and its answers.
    histories: dict[int, StatusHistory] = {}
    shared: dict[tuple, StatusHistory] = {}
    query = (select(StatusFact.person_id, StatusFact.kind, StatusFact.value, StatusFact.from_month)
             .order_by(StatusFact.person_id, StatusFact.kind, StatusFact.from_month, StatusFact.id))
    found, (_, _, _, months) = rows(query, StatusFact.person_id)
    for person_id, group in groupby(found, first_column):
        if wanted is not None and person_id not in wanted:
            continue
        read = tuple([row[1:] for row in group])
        history = shared.get(read)
        if history is None:
            history = shared[read] = StatusHistory([Fact(kind, value, months[from_month], seq)
                                                    for seq, (kind, value, from_month) in enumerate(read)])
        histories[person_id] = history
    checked: dict[int, set[int]] = defaultdict(set)
    query = select(LivenessCheck.person_id, LivenessCheck.checked_on)
    found, (_, days) = rows(query, LivenessCheck.person_id)
    for person_id, checked_on in found:
        checked[person_id].add(days[checked_on].year)
    people = {}
    no_facts = StatusHistory()
    query = select(Person.id, Person.birth_date, Person.death_date, Person.moved_out_date)
    found, (_, births, deaths, moves) = rows(query, Person.id)
    for person_id, birth, death, moved in found:
        if wanted is not None and person_id not in wanted:
            continue
        years = frozenset(checked[person_id]) if person_id in checked else frozenset()
        people[person_id] = PersonRecord(person_id, births[birth], histories.get(person_id, no_facts),
                                         tuple(spans.get(person_id, ())), deaths[death], moves[moved], years)
    if only is None and (unenrolled := set(also) - people.keys()):  # paid in the window, enrolled no longer
        people.update(load_people(uow, only=unenrolled))
    return people


def paid_in_window(uow: UnitOfWork, first: Month, person_ids: set[int] | range | None = None) -> dict[int, dict[tuple[str, Month], Paid]]:
    """What approved batches hold for each person (all, or those given), item and period from `first` on,
    with what an earlier system paid (已发放至, recorded at import: `opening`).

    A range of ids is asked for as one span; the ids in it with no lines cost nothing. The lines
    are added up here, not by the database: most periods have one line, and a database grouping
    would sort every line first.
    """
    held: dict[int, dict[tuple[str, Month], Paid]] = defaultdict(dict)
    query = select(LedgerLine.person_id, LedgerLine.item_code, LedgerLine.period, LedgerLine.amount, LedgerLine.bank_status,
                   LedgerLine.seq, LedgerLine.kind).where(*lines_from(uow, first))
    if person_ids is None:
        queries = [query]
    elif isinstance(person_ids, range):
        queries = [query.where(LedgerLine.person_id.between(person_ids.start, person_ids.stop - 1))] if person_ids else []
    else:
        queries = [query.where(LedgerLine.person_id.in_(chunk)) for chunk in chunks(sorted(person_ids))]
    _add_opening(uow, first, person_ids, held)
    for each in queries:
        found, (_, _, periods, amounts, _, _, _) = driver_rows(uow.session, each)
        for person_id, code, period, amount, bank_status, seq, kind in found:
            # A line the bank returned as failed was not paid; a deduction repays a debt, not the
            # period. The number of either still counts.
            failed = bank_status == BANK_FAILED
            if kind == DEDUCTION:
                paid, returned = ZERO, ZERO
            else:
                paid, returned = (ZERO, amounts[amount]) if failed else (amounts[amount], ZERO)
            lines = held[person_id]
            key = (code, periods[period])
            before = lines.get(key)
            lines[key] = Paid(paid, seq, returned) if before is None else Paid(
                before.amount + paid, max(before.last_seq, seq), before.returned + returned, before.opening)
    return held


def _add_opening(uow: UnitOfWork, first: Month, person_ids, held: dict) -> None:
    """What an earlier system paid the people asked for, from `first` on, into `held`."""
    query = select(PriorPayment.person_id, PriorPayment.item_code, PriorPayment.first_month, PriorPayment.amounts)
    if person_ids is None:
        queries = [query]
    elif isinstance(person_ids, range):
        queries = [query.where(PriorPayment.person_id.between(person_ids.start, person_ids.stop - 1))] if person_ids else []
    else:
        queries = [query.where(PriorPayment.person_id.in_(chunk)) for chunk in chunks(sorted(person_ids))]
    for each in queries:
        for person_id, code, start, amounts in uow.session.execute(each):
            lines = held[person_id]
            for period, amount in months_of(start, amounts):
                if period >= first:
                    lines[(code, period)] = Paid(amount, 0, ZERO, True)  # read before the batches' lines


def lines_from(uow: UnitOfWork, first: Month) -> tuple:
    """Conditions on ledger lines: in an approved batch, for periods from `first` on.

    A line's period is never after its batch's month, so only the batches of months from `first`
    on can hold them: they are named, and the database finds each one's lines, or a person's
    lines in each, through the index on (batch, person).
    """
    batches = uow.session.scalars(select(Batch.id).where(Batch.state != DRAFT, Batch.month >= first)).all()
    return LedgerLine.batch_id.in_(batches), LedgerLine.period >= first


def _owed_or_paid(uow: UnitOfWork, first: Month) -> list[int]:
    """Everyone a run over the whole window must settle: the enrolled, and those paid from `first` on."""
    paid = select(LedgerLine.person_id).where(*lines_from(uow, first))
    return sorted(uow.session.scalars(ENROLLED.union(paid, select(PriorPayment.person_id))))


def _changed_since(uow: UnitOfWork, after: int) -> set[int] | None:
    """Persons marked changed after change id `after`; None when a change concerned everyone."""
    changed: set[int] = set()
    query = select(PersonChange.first_person_id, PersonChange.last_person_id).where(PersonChange.id > after)
    for first, last in uow.session.execute(query):
        if first is None:
            return None
        changed.update(range(first, last + 1))
    return changed


def run_month(db: Database, actor: Actor, month: Month, *, full: bool = False, progress: Progress | None = None,
              today: date | None = None) -> RunReport:
    """Compute (or recompute) the draft batch of `month`.

    Persons changed since the last approved batch (and everyone, on the first run, after a
    standard or policy change, or with `full`) get their whole back-pay window recomputed;
    everyone else is settled through that batch and gets only the months after it. Recomputing
    a draft redoes only the persons changed since the draft was computed.
    """
    require(actor, "run_payout")
    require_county(actor, "计算全县的发放")
    with db.unit_of_work(actor, write=True) as uow, paused_garbage_collection():
        session = uow.session
        if uow.dialect == "postgresql":
            # Wait for writers of the change log and keep new ones out: every change counted
            # below is then visible to this run. (SQLite's IMMEDIATE transaction does the same.)
            session.execute(text("LOCK TABLE person_changes IN SHARE MODE"))
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RUN_LOCK_BASE + month.code})
        _check_may_run(uow, month, today or date.today())
        changes_through = session.scalar(select(func.max(PersonChange.id))) or 0
        previous = session.scalar(
            select(Batch).where(Batch.state != DRAFT, Batch.month < month).order_by(Batch.month.desc()).limit(1)
        )
        batch = _batch(uow, month)
        redo: set[int] | None = None  # persons to recompute; None: everyone
        if batch is None:
            batch = Batch(month=month, item_group=ALL_ITEMS, state=DRAFT, run_by=actor.name, run_at=now(), notes={},
                          changes_through=0)
            session.add(batch)
            session.flush()
        else:
            redo = None if full else _changed_since(uow, batch.changes_through)
            doomed = delete(LedgerLine).where(LedgerLine.batch_id == batch.id)
            if redo is None:
                session.execute(doomed)
            else:
                for chunk in chunks(sorted(redo)):
                    session.execute(doomed.where(LedgerLine.person_id.in_(chunk)))
            batch.run_by, batch.run_at = actor.name, now()

        entitlement = load_entitlement(uow)
        back_pay = entitlement.policy.back_pay_months
        first = window_start(month, back_pay)
        kept_missing = {} if redo is None else {
            standard: [person_id for person_id in ids if person_id not in redo]
            for standard, ids in batch.notes.get("缺少标准人员", {}).items()
        }
        if redo is not None:
            window_people, settled_through = redo, None  # the kept lines cover everyone else
        else:
            window_people = None if full or previous is None else _changed_since(uow, previous.changes_through)
            settled_through = previous.month if previous is not None else None

        draft, missing_people = DraftLines(), defaultdict(set)
        alike = Remembered()  # people settled through last month, by what their lines depend on
        batch_id, last_month = batch.id, month - 1
        settled, total = 0, 0  # people settled so far, of all to settle

        def settle_all(people: dict[int, PersonRecord], held: dict) -> None:
            nonlocal settled
            add, share, everyone = draft.rows.extend, draft.share, list(people.items())
            for start in range(0, len(everyone), 5000):
                part = everyone[start : start + 5000]
                for person_id, person in part:
                    if window_people is None or person_id in window_people:
                        lines, missing = settle(entitlement, person, month, back_pay, held.get(person_id, {}))
                    elif settled_through == last_month:
                        shared, missing = settle_next(entitlement, person, month, back_pay, alike)
                        if shared:
                            share(person_id, shared)
                        lines = ()
                    else:
                        lines, missing = settle(entitlement, person, month, back_pay, {}, after=settled_through)
                    if lines:  # the person's own lines
                        head = (batch_id, person_id)
                        add([head + line for line in lines])  # LineDraft's fields are the rest of a row
                    for entry in missing:
                        missing_people[entry.standard].add(person_id)
                settled += len(part)
                if progress:
                    progress(settled, total)

        if redo is not None:
            total = len(redo)
            settle_all(load_people(uow, only=redo), paid_in_window(uow, first, redo))
        elif window_people is None:
            # Everyone's whole window, a block of people at a time: what they were paid would not
            # fit in memory for a large county all at once.
            everyone = _owed_or_paid(uow, first)
            total = len(everyone)
            for start in range(0, len(everyone), EVERYONE_BLOCK):
                block = everyone[start : start + EVERYONE_BLOCK]
                # Everyone paid in the window is in some block: the block's span of ids holds no one else's lines.
                settle_all(load_people(uow, only=set(block)), paid_in_window(uow, first, range(block[0], block[-1] + 1)))
        else:
            held = paid_in_window(uow, first, window_people)
            people = load_people(uow, also=set(held))
            # An item not paid every month leaves months before the last batch open until its
            # payment month; months an earlier system paid after the last batch are open too:
            # what was paid of them must be known, as for a changed person.
            waiting = {person_id for person_id, person in people.items() if person_id not in window_people
                       and (not entitlement.paid_monthly(person.enrollments)
                            or any(span.paid_through is not None and span.paid_through > settled_through
                                   for span in person.enrollments))}
            if waiting:
                held.update(paid_in_window(uow, first, waiting))
                window_people = window_people | waiting
            total = len(people)
            settle_all(people, held)
        if progress:
            progress(total, total)
        _insert_draft_lines(uow, batch_id, draft)
        _deduct_recoveries(uow, batch, month)
        for standard, ids in kept_missing.items():
            missing_people[standard].update(ids)
        batch.changes_through = changes_through
        report = _report(uow, batch, {standard: len(ids) for standard, ids in missing_people.items() if ids})
        batch.notes = {"缺少标准": report.missing, "缺少标准人员": {standard: sorted(ids) for standard, ids in missing_people.items() if ids},
                       "人数": report.people, "行数": report.lines}
        uow.audit("计算发放", "batch", str(month), {
            "人数": report.people, "行数": report.lines, "发放合计": report.paid, "追回合计": report.recovered,
            "缺少标准": report.missing, "重新计算人数": "全部" if window_people is None else len(window_people)})
        uow.commit()
    return report


SQLITE_INSERT_GUARD = "ledger_lines_locked_insert"  # the trigger refusing lines for a batch that is not a draft
LOCKED = "已审批的发放批次不能修改, 更正请在下月批次中调整"


class DraftLines:
    """A draft's lines as a run collects them, written all at once by `_insert_draft_lines`.

    `rows`: lines of one person, as ledger rows (`LINE_COLUMNS`). Lines that many people share
    (`settle_next`'s) are kept once each, as a numbered group, with the (person, group) pairs
    that receive them: the database writes each person's copy itself (INSERT ... SELECT), which
    spares a row of parameters passed per line.
    """

    __slots__ = ("rows", "groups", "members", "_numbers")

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.groups: list[Sequence[LineDraft]] = []
        self.members: list[tuple[int, int]] = []  # (person, group number)
        self._numbers: dict[int, int] = {}  # id of a group's lines -> its number

    def share(self, person_id: int, lines: Sequence[LineDraft]) -> None:
        """`person_id` gets `lines`, an object that other people may get as well (not copied)."""
        number = self._numbers.get(id(lines))
        if number is None:
            # `groups` keeps the object alive, so no other object can take its id during the run.
            number = self._numbers[id(lines)] = len(self.groups)
            self.groups.append(lines)
        self.members.append((person_id, number))

    def __bool__(self) -> bool:
        return bool(self.rows or self.members)


# Scratch tables of one run's shared lines, created and dropped inside its transaction.
SCRATCH = MetaData()
SHARED_LINES = Table("run_shared_lines", SCRATCH, Column("grp", Integer, primary_key=True),
                     Column("pos", Integer, primary_key=True), Column("item_code", String(20)), Column("period", MonthColumn),
                     Column("seq", Integer), Column("amount", Money), Column("kind", String(4)), Column("reason", String(300)),
                     prefixes=["TEMPORARY"])
SHARED_PEOPLE = Table("run_shared_people", SCRATCH, Column("person_id", Integer, primary_key=True, autoincrement=False),
                      Column("grp", Integer), prefixes=["TEMPORARY"])


def _insert_draft_lines(uow: UnitOfWork, batch_id: int, draft: DraftLines) -> None:
    """Write the draft's lines, the database checking that their batch is a draft.

    On SQLite a row trigger makes that check for every line, and its cost per line is as much
    as the insert's own: for a county's batch the check is made once for the whole insert
    instead. Within the run's write transaction, which no other connection can see into or
    write beside, the trigger is dropped, the lines inserted, the database asked whether any
    line written belongs to a batch that is not a draft, and the trigger created again, from
    its own stored text; a failure anywhere rolls all of it back. PostgreSQL keeps its trigger.
    """
    session = uow.session
    guard = None
    if uow.dialect == "sqlite" and draft:
        guard = session.scalar(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
                               {"name": SQLITE_INSERT_GUARD})
    if guard is None:
        _write_lines(session, batch_id, draft)
        return
    before = session.scalar(select(func.max(LedgerLine.id))) or 0
    session.execute(text(f"DROP TRIGGER {SQLITE_INSERT_GUARD}"))
    _write_lines(session, batch_id, draft)
    # The lines written are those after `before`, read once in the order of ids: which batches
    # they name (one, as a rule), and whether one of them is not a draft.
    written = LedgerLine.id > before
    lowest, highest = session.execute(select(func.min(LedgerLine.batch_id), func.max(LedgerLine.batch_id)).where(written)).one()
    if lowest is None:
        refused = False
    elif lowest == highest:
        refused = session.scalar(select(Batch.state).where(Batch.id == lowest)) != DRAFT
    else:
        astray = select(LedgerLine.id).join(Batch, Batch.id == LedgerLine.batch_id).where(written, Batch.state != DRAFT)
        refused = session.scalar(astray.limit(1)) is not None
    if refused:
        raise InvalidInput(LOCKED)
    session.execute(text(guard))


def _write_lines(session, batch_id: int, draft: DraftLines) -> None:
    bulk_insert(session, LedgerLine.__table__, LINE_COLUMNS, draft.rows)
    if not draft.members:
        return
    connection = session.connection()
    for table in (SHARED_LINES, SHARED_PEOPLE):
        table.create(connection)
    bulk_insert(session, SHARED_LINES, [column.name for column in SHARED_LINES.columns],
                [(number, position, *line) for number, lines in enumerate(draft.groups) for position, line in enumerate(lines)])
    bulk_insert(session, SHARED_PEOPLE, ["person_id", "grp"], draft.members)
    # Each person's copy in the order of people, then of their lines, as the rows above.
    copies = (select(literal(batch_id, Integer), SHARED_PEOPLE.c.person_id,
                     *(SHARED_LINES.c[name] for name in LineDraft._fields))
              .join_from(SHARED_PEOPLE, SHARED_LINES, SHARED_LINES.c.grp == SHARED_PEOPLE.c.grp)
              .order_by(SHARED_PEOPLE.c.person_id, SHARED_LINES.c.pos))
    session.execute(insert(LedgerLine.__table__).from_select(LINE_COLUMNS, copies))
    for table in (SHARED_PEOPLE, SHARED_LINES):
        table.drop(connection)


def deduction_on(uow: UnitOfWork) -> bool:
    """Whether recoveries are taken from the same person's later payments of the item (抵扣)."""
    return uow.session.scalar(select(Setting.value).where(Setting.key == DEDUCTION_SETTING)) != "0"


def _deduct_recoveries(uow: UnitOfWork, batch: Batch, month: Month) -> None:
    """The draft's 抵扣 lines, written anew: for each person and item with recoveries not yet
    cleared (追回台账) and payments in the draft, as much of the debt as the payments cover.
    Never across items, never below zero; what is left stays owed."""
    from workbench.services.recovery import outstanding_by_item

    session = uow.session
    session.execute(delete(LedgerLine).where(LedgerLine.batch_id == batch.id, LedgerLine.kind == DEDUCTION))
    if not deduction_on(uow):
        return
    owed = outstanding_by_item(uow)
    if not owed:
        return
    paying: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    numbers: dict[tuple[int, str], int] = {}
    people = sorted({person_id for person_id, _ in owed})
    for chunk in chunks(people):
        for person_id, code, period, amount, seq in session.execute(
                select(LedgerLine.person_id, LedgerLine.item_code, LedgerLine.period, LedgerLine.amount, LedgerLine.seq)
                .where(LedgerLine.batch_id == batch.id, LedgerLine.person_id.in_(chunk), PAYMENT)):
            paying[(person_id, code)] += amount
            if period == month:
                numbers[(person_id, code)] = max(numbers.get((person_id, code), 0), seq)
    rows = []
    for key, debt in sorted(owed.items()):
        taken = min(debt, paying.get(key, ZERO))
        if taken > 0:
            reason = f"抵扣以前多发 (追回) 款 {taken} 元" + (f", 尚欠 {debt - taken} 元" if debt > taken else ", 已还清")
            rows.append((batch.id, *key, month, numbers.get(key, 0) + 1, -taken, DEDUCTION, reason))
    bulk_insert(session, LedgerLine.__table__, LINE_COLUMNS, rows)


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
    batch = _batch(uow, month)
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
        batch = _batch(uow, month)
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


def record_totals(session, batch_id: int) -> None:
    """The approved batch's amount and lines per item and kind, summed once by the database."""
    session.flush()
    lines = (select(LedgerLine.batch_id, LedgerLine.item_code, LedgerLine.kind, func.sum(LedgerLine.amount), func.count())
             .where(LedgerLine.batch_id == batch_id).group_by(LedgerLine.batch_id, LedgerLine.item_code, LedgerLine.kind))
    session.execute(insert(BatchTotal).from_select(["batch_id", "item_code", "kind", "amount", "lines"], lines))


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
        batch = _batch(uow, month)
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


def _draft_and_settled(uow: UnitOfWork) -> tuple[Month | None, Month | None]:
    """The open draft's month and the last approved month (None where there is none)."""
    draft = uow.session.scalar(select(func.max(Batch.month)).where(Batch.state == DRAFT))
    settled = uow.session.scalar(select(func.max(Batch.month)).where(Batch.state != DRAFT))
    return draft, settled


def next_run_month(uow: UnitOfWork, today: date) -> Month:
    """The month the next run is for: the open draft's, else the month after the last approved
    batch, else this month."""
    draft, settled = _draft_and_settled(uow)
    return draft or (settled + 1 if settled else Month.of(today))


def month_that_matters(db: Database, actor: Actor, today: date | None = None) -> Month:
    """The month the payout screens open on: the open draft, else the last approved month; this
    month on a database without batches."""
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        draft, settled = _draft_and_settled(uow)
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


def existing_batch(uow: UnitOfWork, month: Month) -> tuple[Batch, dict[str, str]]:
    """The month's batch (refused if there is none) and the item names to show with it."""
    batch = _batch(uow, month)
    if batch is None:
        raise NotFound(f"{month} 还没有发放批次")
    return batch, {item.code: item.name for item in active_policy(uow).items}


def show_month(db: Database, actor: Actor, month: Month) -> list[ShownLine]:
    """The batch's lines, ID numbers masked unless the role may see them."""
    require(actor, "read")
    full = may(actor.role, "see_full_numbers")
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
        names = {item.code: item.name for item in active_policy(uow).items}
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


def diff_month(db: Database, actor: Actor, month: Month) -> list[DiffLine]:
    """The reviewer's lists: new, stopped, changed this month against last month; back pay; recoveries.

    An amount that differs from last month's only by the rounding of an annual standard's monthly
    share (66.67, then 66.66) is no change."""
    require(actor, "read")
    full = may(actor.role, "see_full_numbers")
    with db.unit_of_work(actor) as uow:
        batch, names = existing_batch(uow, month)
        previous = _batch(uow, month - 1)

        def lines_of(batch_id: int):
            return uow.session.execute(
                select(LedgerLine.person_id, LedgerLine.item_code, LedgerLine.period, LedgerLine.amount,
                       LedgerLine.kind, LedgerLine.reason).where(LedgerLine.batch_id == batch_id)
            ).all()

        current_lines = lines_of(batch.id)
        now_paid = {(row.person_id, row.item_code): row for row in current_lines if row.kind == CURRENT}
        before = {(row.person_id, row.item_code): row for row in lines_of(previous.id) if row.kind == CURRENT} if previous else {}
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
    release_gently(current_lines, now_paid, before, of_person, who, by_category)
    if full:
        record_unmasking(db, actor, f"{month} 审核清单", len(result))
    return result
