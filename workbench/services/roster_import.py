"""Importing the standard roster (花名册导入): all or nothing, set-based, audited.

A new ID number adds a person; an ID number already in the database updates that person:
changed fields, new status facts from the row's month, a new bank account, new or corrected
enrollments. Enrollments listed in an imported roster are recorded as approved: the roster is
the bureau's register of people already approved on paper.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Sequence

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from workbench.documents.xlsx_reader import Table, read_table
from workbench.domain.actor import Actor
from workbench.domain.errors import ConcurrentEdit, ImportRejected, InvalidInput, RowError
from workbench.domain.history import Fact, StatusHistory
from workbench.domain.idnumber import mask_id_number
from workbench.domain.month import Month
from workbench.domain.roster import HEADERS, REQUIRED_HEADERS, SHEET_NAME, RosterEntry, RowChecker, normalize_header
from workbench.domain.vocabulary import APPROVED, PENDING, STATUS_KINDS
from workbench.services.database import Database, Progress
from workbench.services.accounts import require
from workbench.services.opening import record_opening
from workbench.store.ledger import active_policy
from workbench.store.bulk import allocate_ids, bulk_insert, bulk_select_of, chunks, insert_missing
from workbench.memory import paused_garbage_collection
from workbench.store.models import BankAccount, Enrollment, Person, StatusFact, Township, Village
from workbench.store.uow import UnitOfWork, id_ranges, now



@dataclass(frozen=True)
class ImportReport:
    rows: int
    added: int
    updated: int
    unchanged: int
    errors: tuple[RowError, ...] = ()
    warnings: tuple[tuple[int, str], ...] = ()
    written: bool = False
    where: str = ""  # which sheet and row the headers were read from, when not the template's place

    @property
    def rejected_rows(self) -> int:
        return len({error.row for error in self.errors})


def import_roster(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    valid_only: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every row; unless `valid_only`, any error refuses the whole file (ImportRejected)."""
    require(actor, "edit_roster")
    with paused_garbage_collection():
        # The rows are freed when `_import` returns, before the collector is back: it would
        # otherwise begin by scanning the hundreds of thousands allocated while it was paused.
        return _import(db, actor, path, dry_run, valid_only, today or date.today(), progress)


def _import(db: Database, actor: Actor, path: Path, dry_run: bool, valid_only: bool, today: date,
            progress: Progress | None) -> ImportReport:
    """`import_roster`, the collector paused."""
    table = read_roster_table(path)
    columns = _map_headers(table)
    where = "" if table.usual else f"列标题读自{table.where}"
    with db.unit_of_work(actor, write=not dry_run) as uow:
        checker = row_checker(active_policy(uow), today)
        entries, errors = _check_rows(checker, columns, table.rows)
        entries, errors = _within_townships(uow, actor, entries, errors)
        if errors and not valid_only:
            raise ImportRejected(errors)
        existing = _load_existing(uow, [entry.id_number for entry in entries])
        warnings = tuple((entry.row, warning) for entry in entries for warning in entry.warnings)
        if dry_run:
            return ImportReport(
                rows=len(table.rows),
                added=sum(entry.id_number not in existing for entry in entries),
                updated=sum(entry.id_number in existing for entry in entries),
                unchanged=0,
                errors=tuple(errors),
                warnings=warnings,
                where=where,
            )
        writer = _RosterWriter(uow, today, progress)
        try:
            added, updated, unchanged = writer.write(entries, existing)
        except IntegrityError:
            # Only another installation adding the same ID number meanwhile gets here.
            raise ConcurrentEdit("导入期间其他电脑登记了文件中的同一人员, 本次未写入任何数据, 请重新导入") from None
        uow.audit(
            "导入花名册",
            "roster_file",
            path.name,
            {"文件SHA256": _sha256(path), "新增": added, "更新": updated, "无变化": unchanged,
             "拒绝行数": len({error.row for error in errors})},
        )
        uow.commit()
    return ImportReport(len(table.rows), added, updated, unchanged, tuple(errors), warnings, written=True, where=where)


def row_checker(policy, today: date) -> RowChecker:
    """The roster rules with this policy's item names and ages."""
    return RowChecker(
        policy.item_codes_by_name(),
        {item.code for item in policy.items if item.paid},
        today=today,
        item_min_age={item.code: item.min_age for item in policy.items},
    )


def register_person(db: Database, actor: Actor, cells: dict[str, str], *, today: date | None = None) -> int:
    """Enter one new person from a form (template headers -> text); returns the person's id.

    The rows of the template's rules apply as to an imported row. Items asked for in 享受项目
    become applications waiting for approval by another user, not approved enrollments.
    """
    require(actor, "edit_roster")
    today = today or date.today()
    with db.unit_of_work(actor, write=True) as uow:
        entry, errors = row_checker(active_policy(uow), today).check(1, cells)
        if entry is not None:
            errors = list(errors) + _within_townships(uow, actor, [entry], [])[1]
        if errors:
            raise ImportRejected(errors, "未保存: " + "; ".join(f"「{error.column}」{error.reason}" for error in errors))
        if _load_existing(uow, [entry.id_number]):
            raise InvalidInput(f"身份证号 {mask_id_number(entry.id_number)} 已在花名册中, 请在花名册中查找并修改")
        writer = _RosterWriter(uow, today, None)
        writer.write([replace(entry, items=())], {})
        person_id = uow.session.scalar(select(Person.id).where(Person.id_number == entry.id_number))
        for code in entry.items:
            uow.session.add(Enrollment(person_id=person_id, item_code=code, start_month=entry.start_month,
                                       paid_through=entry.paid_through, state=PENDING))
            uow.audit("申请享受项目", "person", person_id, {"项目": code, "起始月份": entry.start_month})
        uow.commit()
    return person_id


def _within_townships(uow: UnitOfWork, actor: Actor, entries: list[RosterEntry], errors: list[RowError]):
    """A township user's rows must name their townships, and may not move someone from elsewhere."""
    if actor.county_wide:
        return entries, errors
    errors = list(errors)
    elsewhere = {entry.row for entry in entries if entry.township not in actor.townships}
    kept = {entry.id_number: entry.row for entry in entries if entry.row not in elsewhere}
    # Only where each person already on the roster lives: the full records are read later, once.
    for chunk in chunks(list(kept)):
        for number, township in uow.session.execute(
                select(Person.id_number, Township.name).join(Village, Person.village_id == Village.id)
                .join(Township, Village.township_id == Township.id).where(Person.id_number.in_(chunk))):
            if township not in actor.townships:
                elsewhere.add(kept[number])
    limit = "、".join(actor.townships)
    for entry in entries:
        if entry.row in elsewhere:
            errors.append(RowError(entry.row, "乡镇", f"您只负责 {limit} 的人员, 不能登记或修改其他乡镇的人员"))
    return [entry for entry in entries if entry.row not in elsewhere], sorted(errors, key=lambda error: error.row)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_roster_table(path: Path) -> Table:
    """The roster's table: the headers on the first row among the first rows of each sheet (花名册
    first) that has every required column."""
    known = {normalize_header(header): header for header in HEADERS}

    def lacking(row: Sequence[Any]) -> list[str]:
        found = {known.get(normalize_header(cell)) for cell in row}
        return [header for header in REQUIRED_HEADERS if header not in found]

    return read_table(path, SHEET_NAME, lacking, "花名册", lacks="缺少必填列")


def header_mapping(path: Path) -> list[tuple[str, str | None]]:
    """Each header of the file's roster table and the template column it is read as (None: ignored)."""
    known = {normalize_header(header): header for header in HEADERS}
    return [(str(cell or ""), known.get(normalize_header(cell))) for cell in read_roster_table(path).header]


def _map_headers(table: Table) -> dict[str, int]:
    """Known header -> column index of the table's header row (which holds every required column);
    refuses a header row naming a column twice."""
    known = {normalize_header(header): header for header in HEADERS}
    columns: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(table.header):
        header = known.get(normalize_header(cell))
        if header is None:
            continue
        if header in columns:
            errors.append(RowError(table.header_row, header, "列名重复"))
        columns[header] = index
    if errors:
        raise ImportRejected(errors)
    return columns


def _check_rows(checker: RowChecker, columns: dict[str, int],
                rows: list[tuple[int, list[Any]]]) -> tuple[list[RosterEntry], list[RowError]]:
    """Check the data rows (numbered as in the sheet), and refuse a second row with the same ID number."""
    width = max(columns.values()) + 1
    numbers = [number for number, _row in rows]
    kept = [row for _number, row in rows]
    if kept and min(map(len, kept)) < width:  # short rows padded: zip stops at the shortest
        kept = [row if len(row) >= width else list(row) + [""] * (width - len(row)) for row in kept]
    transposed = list(zip(*kept)) if kept else [()] * width  # one pass in C instead of one per column
    table = {header: transposed[index] for header, index in columns.items()}
    entries, errors = checker.check_table(numbers, table)
    first_row_of: dict[str, int] = {}
    duplicates = []
    for entry in entries:
        first = first_row_of.setdefault(entry.id_number, entry.row)
        if first != entry.row:
            duplicates.append(RowError(entry.row, "身份证号", f"与第 {first} 行的身份证号重复"))
    if duplicates:
        errors = sorted(errors + duplicates, key=lambda error: error.row)
        refused = {error.row for error in duplicates}
        entries = [entry for entry in entries if entry.row not in refused]
    return entries, errors


@dataclass
class _Existing:
    """What the database holds for a person the file names again."""

    id: int
    version: int
    name: str
    village_id: int
    phone: str
    death_date: date | None
    moved_out_date: date | None = None
    facts: list[Fact] = field(default_factory=list)  # in kind, month and recording order; seq is the place in it
    bank: tuple[str, str, tuple] | None = None  # bank, account, payee (() for the person's own account)
    enrollments: dict[str, tuple[int, Month, Month | None, int]] = field(default_factory=dict)  # id, start, paid, version


def _load_existing(uow: UnitOfWork, id_numbers: Sequence[str]) -> dict[str, _Existing]:
    """What the database holds for each of `id_numbers` already on the roster. A file naming
    many people has each table read whole (`bulk_select_of`), and only their rows kept."""
    session = uow.session
    wanted = set(id_numbers)
    found: dict[str, _Existing] = {}
    query = select(Person.id, Person.version, Person.id_number, Person.name, Person.village_id, Person.phone,
                   Person.death_date, Person.moved_out_date)
    for person_id, version, number, name, village_id, phone, death, moved in bulk_select_of(session, query, Person.id_number, id_numbers):
        if number in wanted:
            found[number] = _Existing(person_id, version, name, village_id, phone, death, moved)
    by_id = {person.id: person for person in found.values()}
    ids = sorted(by_id)
    # Each person's facts in kind, month and recording order (the history index's), numbered in
    # that order: people with the same facts have equal lists (`_RosterWriter._status_changes`).
    query = (select(StatusFact.person_id, StatusFact.kind, StatusFact.value, StatusFact.from_month)
             .order_by(StatusFact.person_id, StatusFact.kind, StatusFact.from_month, StatusFact.id))
    for person_id, kind, value, from_month in bulk_select_of(session, query, StatusFact.person_id, ids):
        if person_id in by_id:
            facts = by_id[person_id].facts
            facts.append(Fact(kind, value, from_month, len(facts)))
    query = (select(BankAccount.person_id, BankAccount.bank_name, BankAccount.account_no, BankAccount.holder,
                    BankAccount.holder_id_number, BankAccount.holder_relation)
             .order_by(BankAccount.person_id, BankAccount.id))  # each person's account in use comes last
    for person_id, bank, account, holder, holder_number, relation in bulk_select_of(session, query, BankAccount.person_id, ids):
        if person_id in by_id:
            by_id[person_id].bank = (bank, account, (holder, holder_number, relation) if holder_number else ())
    query = (select(Enrollment.person_id, Enrollment.id, Enrollment.item_code, Enrollment.start_month,
                    Enrollment.paid_through, Enrollment.version)
             .where(Enrollment.state != "已驳回").order_by(Enrollment.person_id, Enrollment.start_month))
    for person_id, enrollment_id, code, start, paid_through, version in bulk_select_of(session, query, Enrollment.person_id, ids):
        if person_id in by_id:  # of two in one item, the later start's
            by_id[person_id].enrollments[code] = (enrollment_id, start, paid_through, version)
    return found


PERSON_COLUMNS = ("id", "id_number", "name", "sex", "birth_date", "village_id", "phone", "death_date", "moved_out_date",
                  "version", "created_at", "created_by", "updated_at", "updated_by")
FACT_COLUMNS = ("person_id", "kind", "value", "from_month", "recorded_at", "recorded_by")
BANK_COLUMNS = ("person_id", "bank_name", "account_no", "holder", "holder_id_number", "holder_relation", "recorded_at",
                "recorded_by")
ENROLLMENT_COLUMNS = ("person_id", "item_code", "start_month", "paid_through", "state", "approved_by", "approved_at",
                      "version", "created_at", "created_by", "updated_at", "updated_by")


def _shown_account(bank: tuple | None) -> str | None:
    """An account as the log keeps it (the log's readers see the numbers masked): bank, number, and
    the payee when not the person."""
    if bank is None:
        return None
    name, account, payee = bank
    holder = f", 收款人 {payee[0]} ({payee[2]}, {payee[1]})" if payee else ""
    return f"{name} {account}{holder}"


class _RosterWriter:
    """Writes checked entries with bulk statements in one transaction."""

    def __init__(self, uow: UnitOfWork, today: date, progress: Progress | None) -> None:
        self.uow = uow
        self.session = uow.session
        self.moment = now()
        self.user = uow.actor.name
        self.today = today
        self.progress = progress or (lambda done, total: None)
        self.opening: set[int] = set()  # people whose 已发放至 was set or changed
        self._decided: dict[tuple, tuple] = {}  # `_status_changes` of people alike

    def write(self, entries: list[RosterEntry], existing: dict[str, _Existing]) -> tuple[int, int, int]:
        villages = self._village_ids(entries)
        self.uow.filled(len(entries), "persons", "status_facts", "bank_accounts", "enrollments", "prior_payments",
                        "villages", "townships")
        new = [entry for entry in entries if entry.id_number not in existing]
        old = [entry for entry in entries if entry.id_number in existing]
        total = len(entries)
        self.progress(0, total)
        person_ids = self._insert_persons(new, villages)
        self.progress(len(new), total)
        facts, banks, enrollments = [], [], []
        defaults = {kind: default for kind, (_header, _values, default) in STATUS_KINDS.items()}
        for entry in new:
            person_id = person_ids[entry.id_number]
            # A new person has no history: a status worth a fact is one that differs from its default.
            facts += [(person_id, kind, value, entry.status_from, self.moment, self.user)
                      for kind, value in entry.statuses.items() if value != defaults[kind]]
            if entry.bank_account:
                banks.append(self._bank_row(person_id, entry, entry.payee or ()))
            enrollments += [self._enrollment_row(person_id, entry, code) for code in entry.items]
        self.uow.mark_changed(person_ids.values())
        if new:
            # One record names every person added (as id ranges); the file's hash is in the import record.
            self.uow.audit("新增人员", "person", f"{len(new)}人", {"来源": "花名册导入", "人员ID": id_ranges(person_ids.values())})
        updated, unchanged = self._update_persons(old, existing, villages, facts, banks, enrollments)
        bulk_insert(self.session, StatusFact.__table__, FACT_COLUMNS, facts)
        bulk_insert(self.session, BankAccount.__table__, BANK_COLUMNS, banks)
        bulk_insert(self.session, Enrollment.__table__, ENROLLMENT_COLUMNS, enrollments)
        # What an earlier system paid (已发放至) is recorded now, valued as known today.
        self.opening.update(person_ids[entry.id_number] for entry in new if entry.paid_through and entry.items)
        if self.opening:
            self.session.flush()
            record_opening(self.uow, self.opening)
        self.progress(total, total)
        return len(new), updated, unchanged

    def _village_ids(self, entries: Iterable[RosterEntry]) -> dict[tuple[str, str], int]:
        """The township and village dictionary, extended with any names the file brings."""
        session = self.session
        wanted = {(entry.township, entry.village) for entry in entries}
        townships = dict(session.execute(select(Township.name, Township.id)).all())
        missing_towns = sorted({town for town, _ in wanted} - set(townships))
        if missing_towns:
            insert_missing(session, Township.__table__, [{"name": town} for town in missing_towns])
            townships = dict(session.execute(select(Township.name, Township.id)).all())
            self.uow.audit("新增乡镇", "township", f"{len(missing_towns)}个", {"名称": missing_towns})

        def known() -> dict[tuple[str, str], int]:
            query = select(Township.name, Village.name, Village.id).join(Township, Village.township_id == Township.id)
            return {(town, name): village_id for town, name, village_id in session.execute(query)}

        villages = known()
        missing = sorted(wanted - set(villages))
        if missing:
            insert_missing(session, Village.__table__, [{"township_id": townships[town], "name": name} for town, name in missing])
            villages = known()
            self.uow.audit("新增村(社区)", "village", f"{len(missing)}个", {"名称": [f"{town}{name}" for town, name in missing]})
        return villages

    def _insert_persons(self, entries: list[RosterEntry], villages) -> dict[str, int]:
        table = Person.__table__
        ids = allocate_ids(self.session, table, len(entries))
        moment, user = self.moment, self.user
        rows = [
            (person_id, entry.id_number, entry.name, entry.sex, entry.birth_date, villages[(entry.township, entry.village)],
             entry.phone, entry.death_date, entry.moved_out_date, 1, moment, user, moment, user)
            for person_id, entry in zip(ids, entries)
        ]
        bulk_insert(self.session, table, PERSON_COLUMNS, rows)
        return {entry.id_number: person_id for person_id, entry in zip(ids, entries)}

    def _status_changes(self, before: _Existing, entry: RosterEntry) -> tuple[tuple[str, str | None, str], ...]:
        """The statuses of the entry that differ from what holds in its month: (kind, the value
        that held, the new value). People with the same facts and statuses share the answer."""
        key = (tuple(before.facts), entry.status_from, tuple(entry.statuses.items()))
        found = self._decided.get(key)
        if found is None:
            history = StatusHistory(before.facts)
            held = [(kind, history.value(kind, entry.status_from), value) for kind, value in entry.statuses.items()]
            found = self._decided[key] = tuple((kind, old, new) for kind, old, new in held if old != new)
        return found

    def _bank_row(self, person_id: int, entry: RosterEntry, payee: tuple = ()) -> tuple:
        """The account row; `payee` (name, ID number, relation) when someone else holds it."""
        holder, number, relation = payee or (entry.name, None, None)
        return (person_id, entry.bank_name, entry.bank_account, holder, number, relation, self.moment, self.user)

    def _enrollment_row(self, person_id: int, entry: RosterEntry, code: str) -> tuple:
        moment, user = self.moment, self.user
        return (person_id, code, entry.start_month, entry.paid_through, APPROVED, user, moment, 1, moment, user, moment, user)

    def _update_persons(self, entries, existing, villages, facts, banks, enrollments) -> tuple[int, int]:
        person_updates, enrollment_updates = [], []
        unchanged = 0
        for entry in entries:
            before = existing[entry.id_number]
            changes: dict[str, tuple[Any, Any]] = {}
            village_id = villages[(entry.township, entry.village)]
            for label, old, new in (
                ("姓名", before.name, entry.name),
                ("村(社区)", before.village_id, village_id),
                ("联系电话", before.phone, entry.phone),
                ("死亡日期", before.death_date, entry.death_date or before.death_date),
                ("迁出日期", before.moved_out_date, entry.moved_out_date or before.moved_out_date),
            ):
                if old != new:
                    changes[label] = (old, new)
            if changes:
                person_updates.append({
                    "row_id": before.id, "old_version": before.version, "new_name": entry.name,
                    "new_village_id": village_id, "new_phone": entry.phone,
                    "new_death_date": entry.death_date or before.death_date,
                    "new_moved_out_date": entry.moved_out_date or before.moved_out_date,
                })
            for kind, old, value in self._status_changes(before, entry):
                facts.append((before.id, kind, value, entry.status_from, self.moment, self.user))
                changes[STATUS_KINDS[kind][0]] = (old, value)
            kept = before.bank[2] if before.bank else ()
            payee = kept if entry.payee is None else entry.payee  # a file without payee columns keeps the payee
            if entry.bank_account and before.bank != (entry.bank_name, entry.bank_account, payee):
                banks.append(self._bank_row(before.id, entry, payee))
                changes["银行账户"] = (_shown_account(before.bank), _shown_account((entry.bank_name, entry.bank_account, payee)))
            for code in entry.items:
                current = before.enrollments.get(code)
                if current is None:
                    enrollments.append(self._enrollment_row(before.id, entry, code))
                    changes[f"享受项目 {code}"] = (None, str(entry.start_month))
                    if entry.paid_through:
                        self.opening.add(before.id)
                elif (current[1], current[2]) != (entry.start_month, entry.paid_through):
                    if entry.paid_through or current[2]:
                        self.opening.add(before.id)
                    enrollment_updates.append({"row_id": current[0], "old_version": current[3],
                                               "new_start_month": entry.start_month, "new_paid_through": entry.paid_through})
                    changes[f"享受项目 {code}"] = (f"{current[1]} 已发放至 {current[2]}", f"{entry.start_month} 已发放至 {entry.paid_through}")
            if changes:
                self.uow.mark_changed((before.id,))
                self.uow.audit("更新人员", "person", before.id, {
                    "来源": "花名册导入", "行号": entry.row,
                    "变更": {label: {"原": old, "新": new} for label, (old, new) in changes.items()},
                })
            else:
                unchanged += 1
        self._versioned_update(Person.__table__, person_updates, ("name", "village_id", "phone", "death_date", "moved_out_date"))
        self._versioned_update(Enrollment.__table__, enrollment_updates, ("start_month", "paid_through"))
        return len(entries), unchanged

    def _versioned_update(self, table, updates: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
        """UPDATE rows by id (new values as new_<column>), each only if its version is still the one read."""
        if not updates:
            return
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"), table.c.version == bindparam("old_version"))
            .values(version=table.c.version + 1, updated_at=self.moment, updated_by=self.user,
                    **{column: bindparam(f"new_{column}", type_=table.c[column].type) for column in columns})
        )
        changed = 0
        for chunk in chunks(updates, 20_000):
            changed += self.session.connection().execute(statement, list(chunk)).rowcount
        if changed != len(updates):
            raise ConcurrentEdit("导入期间有人修改了其中的人员, 本次未写入任何数据, 请重新导入")
