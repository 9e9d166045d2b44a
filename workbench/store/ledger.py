"""The ledger store: what a run reads and writes, behind one boundary.

What was paid for whom from when (approved batches' lines and an earlier system's payments), the
people with their facts and enrollments, the policy and standards in force, the change log, and
the writing of a draft's lines. It owns the run's scratch tables, SQLite's insert guard and the
raw driver reads; services ask it and never touch the driver or sqlite_master.
"""
from __future__ import annotations

from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Callable, Iterable, Sequence

from sqlalchemy import (
    Column, Integer, MetaData, Select, String, Table, delete, func, insert, literal, literal_column, select, text, type_coerce,
)

from workbench.domain.batch import ALL_ITEMS, DRAFT
from workbench.domain.entitlement import EnrollmentSpan, Entitlement, PersonRecord, StandardBook
from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.history import Fact, StatusHistory
from workbench.domain.ledger import DEDUCTION, RECOVERY, LineDraft, Paid
from workbench.domain.money import ZERO, from_fen
from workbench.domain.month import Month
from workbench.domain.policy import Policy, parse_policy
from workbench.domain.vocabulary import APPROVED as ENROLLMENT_APPROVED, BANK_FAILED
from workbench.store.bulk import Reader, bulk_insert, chunks, driver_rows, runs_of
from workbench.store.models import (
    DEDUCTION_LINE, RECOVERY_LINE, AuditRecord, Batch, BatchTotal, Enrollment, LedgerLine, LivenessCheck, Person, PersonChange,
    PriorPayment, RecoveryClearing, Setting, Standard, StatusFact,
)
from workbench.store.types import Money, MonthColumn
from workbench.store.uow import UnitOfWork, now

POLICY_SETTING = "policy"  # the policy text, in the settings every installation shares
LIVENESS_SETTING = "liveness_deadline"  # 生存认证截止月
DEDUCTION_SETTING = "recovery_deduction"  # "0": recoveries are not taken from later payments (抵扣); on by default
PAYMENT = LedgerLine.kind != RECOVERY  # lines that go to the bank: 当月 and 补发, less 抵扣 (the bank pays the net)
LINE_COLUMNS = ("batch_id", "person_id", *LineDraft._fields)  # a row: the batch, the person, then the line
RUN_LOCK_BASE = 880_000_000  # + YYYYMM: PostgreSQL advisory lock for one month's run
RUN_SORT_MEMORY = "64MB"  # PostgreSQL's memory for one sort in a run (its default, 4 MB, sorts a county's lines on disk)
CHAIN_NOTE = "操作日志链"  # in an approved batch's notes: the audit log's last record then, [id, hash]


def audit_head(uow: UnitOfWork) -> list | None:
    """The audit log's newest record as [id, hash], kept with an approved batch: a later truncation
    or rewriting of the log no longer matches it."""
    row = uow.session.execute(select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)).first()
    return [row[0], row[1]] if row else None


def read_policy(session) -> Policy:
    """The policy in force; refused before one is loaded."""
    text_value = session.scalar(select(Setting.value).where(Setting.key == POLICY_SETTING))
    if text_value is None:
        raise InvalidInput("尚未加载政策, 请先运行 workbench init --policy <预置名或文件>")
    return parse_policy(text_value)


def active_policy(uow: UnitOfWork) -> Policy:
    """The policy in force (`read_policy`), for a unit of work."""
    return read_policy(uow.session)


def lock_run(uow: UnitOfWork, month: Month) -> None:
    """Keep a month's run alone: on PostgreSQL wait for writers of the change log and keep new
    ones out (every change counted is then visible to the run), and take the month's advisory
    lock. (SQLite's IMMEDIATE write transaction does the same.)"""
    if uow.dialect == "postgresql":
        _run_settings(uow)
        uow.session.execute(text("LOCK TABLE person_changes IN SHARE MODE"))
        uow.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RUN_LOCK_BASE + month.code})


def _run_settings(uow: UnitOfWork) -> None:
    """How a run's transaction on PostgreSQL reads and sorts."""
    # The draft's lines are written in the order of people: sorted in memory, not on disk.
    uow.session.execute(text(f"SET LOCAL work_mem = '{RUN_SORT_MEMORY}'"))
    # A run's queries each read a span of people once: compiling them (JIT, 15 ms each at a
    # prefecture's size) costs more than it saves.
    uow.session.execute(text("SET LOCAL jit = off"))


def last_change(uow: UnitOfWork) -> int:
    """The newest entry of the change log (0 if none)."""
    return uow.session.scalar(select(func.max(PersonChange.id))) or 0


def months_of(first: Month, amounts: str) -> Iterable[tuple[Month, Decimal]]:
    """The months and amounts of one record of an earlier system's payments."""
    return ((first + offset, Decimal(text_value)) for offset, text_value in enumerate(amounts.split()))


def batch_of(uow: UnitOfWork, month: Month) -> Batch | None:
    return uow.session.scalar(select(Batch).where(Batch.month == month, Batch.item_group == ALL_ITEMS))


def last_approved_before(uow: UnitOfWork, month: Month) -> Batch | None:
    """The newest batch before `month` that is no longer a draft."""
    return uow.session.scalar(
        select(Batch).where(Batch.state != DRAFT, Batch.month < month).order_by(Batch.month.desc()).limit(1))


def new_draft(uow: UnitOfWork, month: Month, user: str) -> Batch:
    """A new, empty draft batch for `month`."""
    batch = Batch(month=month, item_group=ALL_ITEMS, state=DRAFT, run_by=user, run_at=now(), notes={}, changes_through=0)
    uow.session.add(batch)
    uow.session.flush()
    return batch


def delete_draft_lines(uow: UnitOfWork, batch_id: int, people: Iterable[int] | None = None) -> None:
    """Remove a draft's lines: all of them, or those of `people`."""
    doomed = delete(LedgerLine).where(LedgerLine.batch_id == batch_id)
    if people is None:
        uow.session.execute(doomed)
        return
    for chunk in chunks(sorted(people)):
        uow.session.execute(doomed.where(LedgerLine.person_id.in_(chunk)))


def load_entitlement(uow: UnitOfWork) -> Entitlement:
    policy = read_policy(uow.session)
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


def go_on() -> None:
    """A checkpoint of work nobody stops: the default of the readers that take one."""


def load_people(uow: UnitOfWork, *, only: set[int] | range | None = None, also: set[int] = frozenset(),
                shared_histories: dict | None = None, checkpoint: Callable[[], None] = go_on) -> dict[int, PersonRecord]:
    """Everyone with an approved enrollment plus `also` (or just `only`: some people, or everyone
    whose id is in a range), with facts and enrollments. People with the same facts share one
    history: in one call, and across calls given the same `shared_histories` dict. `checkpoint` is
    called between the queries; it may raise to stop the reading."""
    session = uow.session
    keep = None  # with `only` read as the span of ids around them: the people to keep
    if isinstance(only, set) and len(only) >= SPAN and max(only) - min(only) < SPARSE * len(only):
        # Many people close together (those an import added, say): one span read and filtered
        # costs less than listing each id.
        keep, only = only, range(min(only), max(only) + 1)

    def rows(query, person_column) -> tuple[list[tuple], list]:
        # Just some persons: ask for them. The whole roster: read every row once and pass over the
        # persons not enrolled here, cheaper than asking the database to filter each table by them.
        # The rows are the driver's; each column's reader gives its values.
        if only is None:
            return driver_rows(session, query)
        found, readers = [], [Reader(None)] * len(query.selected_columns)
        for each in _of_people(query, person_column, only):
            raw, readers = driver_rows(session, each)
            found.extend(raw)
        return found, readers

    spans: dict[int, list[EnrollmentSpan]] = defaultdict(list)
    query = select(Enrollment.person_id, Enrollment.item_code, Enrollment.start_month, Enrollment.end_month,
                   Enrollment.paid_through).where(Enrollment.state == ENROLLMENT_APPROVED)
    found, (_, _, starts, ends, throughs) = rows(query, Enrollment.person_id)
    for person_id, code, start, end, paid_through in found:
        spans[person_id].append(EnrollmentSpan(code, starts[start], ends[end], throughs[paid_through]))
    wanted = spans if only is None else keep  # None: every row read is wanted
    checkpoint()
    # Each person's facts in recording order within kind and month (the index's order); people
    # with the same facts, as read, share one history, and its answers.
    shared: dict[tuple, StatusHistory] = {} if shared_histories is None else shared_histories
    histories: dict[int, StatusHistory] = {}
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
    checkpoint()
    checked: dict[int, set[int]] = defaultdict(set)
    query = select(LivenessCheck.person_id, LivenessCheck.checked_on)
    found, (_, days) = rows(query, LivenessCheck.person_id)
    for person_id, checked_on in found:
        checked[person_id].add(days[checked_on].year)
    checkpoint()
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


# A person's lines in the window, written out by the database as one text: each line is its
# period, amount (fen), number, kind, bank status and item, apart by FIELD, and lines apart by
# LINE. The item comes last, so that it may hold any character but LINE (the policy refuses
# control characters in codes). SQLite writes everyone's out as one text: each person's id and
# text apart by PERSON_FIELD, people apart by PERSON.
FIELD, LINE, PERSON_FIELD, PERSON = "\x1f", "\x1e", "\x1d", "\x1c"


class HeldInWindow:
    """What approved batches hold for people, item and period from `first` on, with what an
    earlier system paid (已发放至, recorded at import: `opening`), kept as read.

    `key(person)` is the person's lines as the database wrote them out, unconverted: people paid
    alike have equal keys, and a run settles them once (`ledger.settle_alike`). `paid(person)`
    adds a person's lines up into the map `settle` takes; only the people a run settles first are
    read that way. The database writes each person's lines out as one text: a person's dozen
    lines cost one row to fetch and one text to compare.
    """

    __slots__ = ("first", "lines", "openings")

    def __init__(self, first: Month) -> None:
        self.first = first
        self.lines: dict[int, str] = {}  # person -> their lines, written out (FIELD, LINE)
        self.openings: dict[int, list[tuple[str, Month, str]]] = defaultdict(list)  # person -> (item, first month, amounts)

    def people(self) -> set[int]:
        """Everyone with anything held."""
        return self.lines.keys() | self.openings.keys()

    def key(self, person_id: int) -> tuple:
        openings = self.openings.get(person_id)
        return (tuple(openings) if openings else (), self.lines.get(person_id, ""))

    def update(self, other: HeldInWindow) -> None:
        """Take `other`'s people, each with all that `other` read of them."""
        for person_id in other.people():
            self.lines.pop(person_id, None)
            self.openings.pop(person_id, None)
        self.lines.update(other.lines)
        self.openings.update(other.openings)

    def paid(self, person_id: int) -> dict[tuple[str, Month], Paid]:
        """(item, period) -> what was paid of it (`Paid`) for one person."""
        found: dict[tuple[str, Month], Paid] = {}
        first = self.first
        for code, start, amounts in self.openings.get(person_id, ()):
            for period, amount in months_of(start, amounts):
                if period >= first:
                    found[(code, period)] = Paid(amount, 0, ZERO, True)  # read before the batches' lines
        written = self.lines.get(person_id)
        for line in written.split(LINE) if written else ():
            period_code, fen, seq, kind, bank_status, code = line.split(FIELD, 5)
            # A line the bank returned as failed was not paid; a deduction repays a debt, not the
            # period. The number of either still counts.
            amount = from_fen(int(fen))
            if kind == DEDUCTION:
                paid, returned = ZERO, ZERO
            elif bank_status == BANK_FAILED:
                paid, returned = ZERO, amount
            else:
                paid, returned = amount, ZERO
            key = (code, Month.from_code(int(period_code)))
            before = found.get(key)
            found[key] = Paid(paid, int(seq), returned) if before is None else Paid(
                before.amount + paid, max(before.last_seq, int(seq)), before.returned + returned, before.opening)
        return found


def _written_out(dialect: str, lines: Select) -> Select:
    """Each person's `lines` (a SELECT of ledger lines' person ids, with its conditions) written out
    as one text (`HeldInWindow.lines`): (person, text) rows; on SQLite one row of one text, each
    person's id and text apart by PERSON_FIELD, people apart by PERSON.

    Two people paid alike get equal texts when their lines come in the same order. PostgreSQL
    aggregates the lines sorted by person, period, item and number (one sort, rather than a sort
    within each person's group); SQLite (before 3.44, no order in an aggregate) takes them as it
    reads them, batch by batch, which is the same order for everyone. Another order would only
    settle alike people separately, never settle anyone wrongly."""
    field, line = ("char(31)", "char(30)") if dialect == "sqlite" else ("chr(31)", "chr(30)")
    columns = ("CAST(ledger_lines.period AS TEXT)", "CAST(ledger_lines.amount AS TEXT)", "CAST(ledger_lines.seq AS TEXT)",
               "ledger_lines.kind", "coalesce(ledger_lines.bank_status, '')", "ledger_lines.item_code")
    each = literal_column(f" || {field} || ".join(columns))
    if dialect == "sqlite":
        # One row in all: sqlite3 lets other threads run only while it steps from row to row, and
        # a thread reading beside the run (`HeldAhead`) would wait for its turn at every row.
        people = lines.with_only_columns(LedgerLine.person_id.label("person_id"),
                                         func.group_concat(each, literal_column(line)).label("lines")).group_by(
            LedgerLine.person_id).subquery()
        person = literal_column("CAST(person_id AS TEXT) || char(29) || lines", String)
        return select(func.group_concat(person, literal_column("char(28)")).label("written")).select_from(people)
    sorted_lines = (lines.add_columns(each.label("line"))
                    .order_by(LedgerLine.person_id, LedgerLine.period, LedgerLine.item_code, LedgerLine.seq).subquery())
    return (select(sorted_lines.c.person_id, func.string_agg(sorted_lines.c.line, literal_column(line)))
            .group_by(sorted_lines.c.person_id))


def _last_prior_month():
    """The index (`Month.index`) of the last month a record of an earlier system's payments holds,
    computed by the database: its first month's, plus one for each space between amounts. Records
    that end before a run's window (most of them, a year after the import) are not read."""
    code = type_coerce(PriorPayment.first_month, Integer)
    spaces = func.length(PriorPayment.amounts) - func.length(func.replace(PriorPayment.amounts, " ", ""))
    return code // 100 * 12 + code % 100 - 1 + spaces


def held_in_window(uow: UnitOfWork, first: Month, person_ids: set[int] | range | None = None) -> HeldInWindow:
    """What approved batches and an earlier system hold for each person (all, or those given) from
    `first` on (`HeldInWindow`). A range of ids is asked for as one span; the ids in it with no
    lines cost nothing."""
    held = HeldInWindow(first)
    query = (select(PriorPayment.person_id, PriorPayment.item_code, PriorPayment.first_month, PriorPayment.amounts)
             .where(_last_prior_month() >= first.index))
    for each in _of_people(query, PriorPayment.person_id, person_ids):
        for person_id, code, start, amounts in uow.session.execute(each):
            if start + (len(amounts.split()) - 1) >= first:
                held.openings[person_id].append((code, start, amounts))
    lines = select(LedgerLine.person_id).where(*lines_from(uow, first))
    for each in _of_people(lines, LedgerLine.person_id, person_ids):
        found, _readers = driver_rows(uow.session, _written_out(uow.dialect, each))
        if uow.dialect == "sqlite":  # one text of everyone's
            written = found[0][0]
            found = ((int(person_id), text_value) for person_id, text_value in (
                person.split(PERSON_FIELD, 1) for person in written.split(PERSON))) if written else ()
        held.lines.update(found)
    return held


class HeldAhead:
    """`held_in_window` of each span of ids in turn (`next`), the first read from the start.

    Where another connection sees the database (`UnitOfWork.beside`), each span's is read there,
    by a thread of its own, ahead of the caller: the first while the caller reads its people, the
    next while it settles the current span. The database's reading and the run's work overlap.

    What the run reads this way cannot change under it: approved batches are never changed, and
    the run keeps out writers (of the change log on PostgreSQL, of anything on SQLite) until it
    ends. `with HeldAhead(uow, first, spans) as ahead: ... ahead.next() ...`
    """

    def __init__(self, uow: UnitOfWork, first: Month, spans: Sequence[range]) -> None:
        self._uow, self._first, self._count, self._spans = uow, first, len(spans), iter(spans)
        self._other: UnitOfWork | None = None
        self._reader: ThreadPoolExecutor | None = None
        self._ahead: Future | None = None  # the next span's, being read

    def __enter__(self) -> HeldAhead:
        other = self._uow.beside() if self._count > 1 else None
        if other is not None:
            self._other = other.__enter__()
            self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="held")
            try:
                if other.dialect == "postgresql":
                    self._reader.submit(_run_settings, other).result()
                self._read_ahead()
            except BaseException as problem:
                self.__exit__(type(problem), problem, problem.__traceback__)
                raise
        return self

    def _read_ahead(self) -> None:
        span = next(self._spans, None)
        self._ahead = None if span is None else self._reader.submit(held_in_window, self._other, self._first, span)

    def next(self) -> HeldInWindow:
        """What is held for the next span."""
        if self._reader is None:
            return held_in_window(self._uow, self._first, next(self._spans))
        held = self._ahead.result()
        self._read_ahead()
        return held

    def __exit__(self, *problem) -> None:
        if self._reader is not None:
            if self._ahead is not None:
                self._ahead.cancel()
            self._reader.shutdown(wait=True)
            self._other.__exit__(*problem)


def paid_in_window(uow: UnitOfWork, first: Month,
                   person_ids: set[int] | range | None = None) -> dict[int, dict[tuple[str, Month], Paid]]:
    """person -> (item, period) -> what was paid of it from `first` on (`held_in_window`, added up)."""
    held = held_in_window(uow, first, person_ids)
    return {person_id: held.paid(person_id) for person_id in held.people()}


SPAN = 64  # consecutive ids asked for as one span (BETWEEN) rather than listed
SPARSE = 4  # people asked for are read as the span of ids around them when it holds at most this many ids each


def _of_people(query, column, person_ids: set[int] | range | None) -> list:
    """`query` for everyone (None), a span of ids (one condition), or some people: runs of
    consecutive ids (the people an import added, say) as spans, the rest listed in chunks."""
    if person_ids is None:
        return [query]
    if isinstance(person_ids, range):
        return [query.where(column.between(person_ids.start, person_ids.stop - 1))] if person_ids else []
    spans, listed = runs_of(person_ids, SPAN)
    return ([query.where(column.between(first, last)) for first, last in spans]
            + [query.where(column.in_(chunk)) for chunk in chunks(listed)])


def lines_from(uow: UnitOfWork, first: Month) -> tuple:
    """Conditions on ledger lines: in an approved batch, for periods from `first` on.

    A line's period is never after its batch's month, so only the batches of months from `first`
    on can hold them: they are named, and the database finds each one's lines, or a person's
    lines in each, through the index on (batch, person).
    """
    batches = uow.session.scalars(select(Batch.id).where(Batch.state != DRAFT, Batch.month >= first)).all()
    return LedgerLine.batch_id.in_(batches), LedgerLine.period >= first


def person_spans(uow: UnitOfWork, size: int) -> list[tuple[range, int]]:
    """Spans of person ids, each holding `size` persons (the last fewer), and how many it holds."""
    ids = [row[0] for row in driver_rows(uow.session, select(Person.id).order_by(Person.id))[0]]  # a prefecture's million
    return [(range(ids[start], ids[min(start + size, len(ids)) - 1] + 1), min(size, len(ids) - start))
            for start in range(0, len(ids), size)]


def changed_since(uow: UnitOfWork, after: int) -> set[int] | None:
    """Persons marked changed after change id `after`; None when a change concerned everyone."""
    changed: set[int] = set()
    query = select(PersonChange.first_person_id, PersonChange.last_person_id).where(PersonChange.id > after)
    for first, last in uow.session.execute(query):
        if first is None:
            return None
        changed.update(range(first, last + 1))
    return changed

SQLITE_INSERT_GUARD = "ledger_lines_locked_insert"  # the trigger refusing lines for a batch that is not a draft
LOCKED = "已审批的发放批次不能修改, 更正请在下月批次中调整"


class DraftLines:
    """A draft's lines as a run collects them, written all at once by `write_draft`.

    `rows`: lines of one person, as ledger rows (`LINE_COLUMNS`). Lines that many people share
    (`settle_next`'s) are kept once each, as a numbered group, with the (person, group) pairs
    that receive them: the database writes each person's copy itself (INSERT ... SELECT), which
    spares a row of parameters passed per line.
    """

    __slots__ = ("rows", "groups", "members", "copies", "_numbers")

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.groups: list[Sequence[LineDraft]] = []
        self.members: list[tuple[int, int]] = []  # (person, group number)
        self.copies = 0  # lines written for the members
        self._numbers: dict[int, int] = {}  # id of a group's lines -> its number

    def share(self, person_id: int, lines: Sequence[LineDraft]) -> None:
        """`person_id` gets `lines`, an object that other people may get as well (not copied)."""
        number = self._numbers.get(id(lines))
        if number is None:
            # `groups` keeps the object alive, so no other object can take its id during the run.
            number = self._numbers[id(lines)] = len(self.groups)
            self.groups.append(lines)
        self.members.append((person_id, number))
        self.copies += len(lines)

    def __len__(self) -> int:
        """The lines to write."""
        return len(self.rows) + self.copies

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


def write_draft(uow: UnitOfWork, batch_id: int, draft: DraftLines) -> None:
    """Write the draft's lines, the database checking that their batch is a draft.

    On SQLite a row trigger makes that check for every line, and its cost per line is as much
    as the insert's own: for a county's batch the check is made once for the whole insert
    instead. Within the run's write transaction, which no other connection can see into or
    write beside, the trigger is dropped, the lines inserted, the database asked whether any
    line written belongs to a batch that is not a draft, and the trigger created again, from
    its own stored text; a failure anywhere rolls all of it back. PostgreSQL keeps its trigger.
    """
    session = uow.session
    uow.filled(len(draft), "ledger_lines", "batches")
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

def record_totals(session, batch_id: int) -> None:
    """The approved batch's amount and lines per item and kind, summed once by the database."""
    session.flush()
    lines = (select(LedgerLine.batch_id, LedgerLine.item_code, LedgerLine.kind, func.sum(LedgerLine.amount), func.count())
             .where(LedgerLine.batch_id == batch_id).group_by(LedgerLine.batch_id, LedgerLine.item_code, LedgerLine.kind))
    session.execute(insert(BatchTotal).from_select(["batch_id", "item_code", "kind", "amount", "lines"], lines))

def draft_and_settled(uow: UnitOfWork) -> tuple[Month | None, Month | None]:
    """The open draft's month and the last approved month (None where there is none)."""
    draft = uow.session.scalar(select(func.max(Batch.month)).where(Batch.state == DRAFT))
    settled = uow.session.scalar(select(func.max(Batch.month)).where(Batch.state != DRAFT))
    return draft, settled

def next_run_month(uow: UnitOfWork, today: date) -> Month:
    """The month the next run is for: the open draft's, else the month after the last approved
    batch, else this month."""
    draft, settled = draft_and_settled(uow)
    return draft or (settled + 1 if settled else Month.of(today))

def existing_batch(uow: UnitOfWork, month: Month) -> tuple[Batch, dict[str, str]]:
    """The month's batch (refused if there is none) and the item names to show with it."""
    batch = batch_of(uow, month)
    if batch is None:
        raise NotFound(f"{month} 还没有发放批次")
    if batch.state != DRAFT:
        check_totals(uow, batch)
    return batch, {item.code: item.name for item in read_policy(uow.session).items}


def check_totals(uow: UnitOfWork, batch: Batch) -> None:
    """An approved batch's lines must add up, per item and kind, to the totals recorded when it was
    approved: a line changed in the file since (its guard removed) is refused before any list or
    document is made from it."""
    lines = {(code, kind): (amount, count) for code, kind, amount, count in uow.session.execute(
        select(LedgerLine.item_code, LedgerLine.kind, func.sum(LedgerLine.amount, type_=Money), func.count())
        .where(LedgerLine.batch_id == batch.id).group_by(LedgerLine.item_code, LedgerLine.kind))}
    recorded = {(code, kind): (amount, count) for code, kind, amount, count in uow.session.execute(
        select(BatchTotal.item_code, BatchTotal.kind, BatchTotal.amount, BatchTotal.lines).where(BatchTotal.batch_id == batch.id))}
    if recorded and lines != recorded:
        different = sorted(key for key in lines.keys() | recorded.keys() if lines.get(key) != recorded.get(key))
        raise InvalidInput(f"{batch.month} 批次的明细与审批时记录的合计不符 ({'、'.join(f'{code}/{kind}' for code, kind in different)}): "
                           "数据库可能被改动过, 未生成任何清单或文件; 请管理员用备份核查")



def deduction_conditions() -> tuple:
    """Conditions on ledger lines (joined with their batch): deductions of approved batches that
    the bank did not return."""
    return (text(DEDUCTION_LINE), Batch.state != DRAFT,
            (LedgerLine.bank_status.is_(None)) | (LedgerLine.bank_status != BANK_FAILED))


def outstanding_by_item(uow: UnitOfWork) -> dict[tuple[int, str], Decimal]:
    """(person, item) -> recoveries not yet cleared, for everyone who owes anything (summed by the
    database through the partial indexes on the ledger's recoveries and deductions)."""
    session = uow.session
    owed: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    total = func.sum(LedgerLine.amount, type_=Money)
    recovered = (select(LedgerLine.person_id, LedgerLine.item_code, total)  # negative: what is owed
                 .join(Batch, LedgerLine.batch_id == Batch.id).where(text(RECOVERY_LINE), Batch.state != DRAFT)
                 .group_by(LedgerLine.person_id, LedgerLine.item_code))
    deducted = (select(LedgerLine.person_id, LedgerLine.item_code, total)  # negative: what was repaid
                .join(Batch, LedgerLine.batch_id == Batch.id).where(*deduction_conditions())
                .group_by(LedgerLine.person_id, LedgerLine.item_code))
    cleared = (select(RecoveryClearing.person_id, RecoveryClearing.item_code, func.sum(RecoveryClearing.amount, type_=Money))
               .group_by(RecoveryClearing.person_id, RecoveryClearing.item_code))
    for person_id, code, amount in session.execute(recovered):
        owed[(person_id, code)] -= amount
    for query in (deducted, cleared):
        for person_id, code, amount in session.execute(query):
            if (person_id, code) in owed:
                owed[(person_id, code)] -= abs(amount)
    return {key: amount for key, amount in owed.items() if amount > 0}


def draft_payments(uow: UnitOfWork, batch_id: int, person_ids: Sequence[int], month: Month):
    """For the people given: (person, item) -> what the draft pays them, and the highest line
    number of the month's own period (a line added after it takes the next)."""
    paying: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    numbers: dict[tuple[int, str], int] = {}
    for chunk in chunks(sorted(person_ids)):
        for person_id, code, period, amount, seq in uow.session.execute(
                select(LedgerLine.person_id, LedgerLine.item_code, LedgerLine.period, LedgerLine.amount, LedgerLine.seq)
                .where(LedgerLine.batch_id == batch_id, LedgerLine.person_id.in_(chunk), PAYMENT)):
            paying[(person_id, code)] += amount
            if period == month:
                numbers[(person_id, code)] = max(numbers.get((person_id, code), 0), seq)
    return paying, numbers


def write_lines(uow: UnitOfWork, rows: Sequence[tuple]) -> None:
    """A few ledger rows (`LINE_COLUMNS`), each checked by the database's guard."""
    bulk_insert(uow.session, LedgerLine.__table__, LINE_COLUMNS, rows)
