"""Importing the standard roster (花名册导入): all or nothing, set-based, audited.

A new ID number adds a person; an ID number already in the database updates that person:
changed fields, new status facts from the row's month, a new bank account, new or corrected
enrollments. Enrollments listed in an imported roster are recorded as approved: the roster is
the bureau's register of people already approved on paper.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from sqlalchemy import bindparam, insert, select, update

from workbench.documents.xlsx_reader import read_sheet
from workbench.domain.errors import ConcurrentEdit, ImportRejected, RowError
from workbench.domain.history import Fact, StatusHistory
from workbench.domain.month import Month
from workbench.domain.roster import HEADERS, REQUIRED_HEADERS, SHEET_NAME, RosterEntry, RowChecker, normalize_header
from workbench.domain.vocabulary import STATUS_KINDS
from workbench.bootstrap import Database
from workbench.services.accounts import require
from workbench.services.policy import active_policy
from workbench.store.models import BankAccount, Enrollment, Person, StatusFact, Township, Village
from workbench.store.uow import Actor, UnitOfWork, now

APPROVED = "已批准"
CHUNK = 5000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportReport:
    rows: int
    added: int
    updated: int
    unchanged: int
    errors: tuple[RowError, ...] = ()
    warnings: tuple[tuple[int, str], ...] = ()
    written: bool = False

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
    today = today or date.today()
    rows = read_sheet(path, SHEET_NAME)
    columns = _map_headers(rows[0] if rows else [])
    with db.unit_of_work(actor, write=not dry_run) as uow:
        policy = active_policy(uow)
        checker = RowChecker(
            policy.item_codes_by_name(),
            {item.code for item in policy.items if item.paid},
            today=today,
            item_min_age={item.code: item.min_age for item in policy.items},
        )
        entries, errors = _check_rows(checker, columns, rows)
        if errors and not valid_only:
            raise ImportRejected(errors)
        existing = _load_existing(uow, [entry.id_number for entry in entries])
        warnings = tuple((entry.row, warning) for entry in entries for warning in entry.warnings)
        if dry_run:
            return ImportReport(
                rows=len(rows) - 1,
                added=sum(entry.id_number not in existing for entry in entries),
                updated=sum(entry.id_number in existing for entry in entries),
                unchanged=0,
                errors=tuple(errors),
                warnings=warnings,
            )
        writer = _RosterWriter(uow, today, progress)
        added, updated, unchanged = writer.write(entries, existing)
        uow.audit(
            "导入花名册",
            "roster_file",
            path.name,
            {"文件SHA256": _sha256(path), "新增": added, "更新": updated, "无变化": unchanged,
             "拒绝行数": len({error.row for error in errors})},
        )
        uow.commit()
    return ImportReport(len(rows) - 1, added, updated, unchanged, tuple(errors), warnings, written=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _map_headers(header_row: Sequence[Any]) -> dict[str, int]:
    """Known header -> column index; refuses a file missing a required column."""
    known = {normalize_header(header): header for header in HEADERS}
    columns: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(header_row):
        header = known.get(normalize_header(cell))
        if header is None:
            continue
        if header in columns:
            errors.append(RowError(1, header, "列名重复"))
        columns[header] = index
    errors += [RowError(1, header, "缺少必填列") for header in REQUIRED_HEADERS if header not in columns]
    if errors:
        raise ImportRejected(errors, f"导入被拒绝, 未写入任何数据: 文件缺少必填列「{'、'.join(e.column for e in errors)}」"
                             if all(e.reason == "缺少必填列" for e in errors) else None)
    return columns


def _check_rows(checker: RowChecker, columns: dict[str, int], rows: list[list[Any]]) -> tuple[list[RosterEntry], list[RowError]]:
    entries: list[RosterEntry] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    width = max(columns.values()) + 1
    for number, row in enumerate(rows[1:], start=2):
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        cells = {header: row[index] for header, index in columns.items()}
        if all(value == "" or value is None for value in cells.values()):
            continue
        entry, row_errors = checker.check(number, cells)
        if entry is not None:
            first = first_row_of.setdefault(entry.id_number, number)
            if first != number:
                row_errors = [RowError(number, "身份证号", f"与第 {first} 行的身份证号重复")]
                entry = None
        errors += row_errors
        if entry is not None:
            entries.append(entry)
    if errors:
        # A row refused anywhere is refused everywhere: drop its entry too.
        bad_rows = {error.row for error in errors}
        entries = [entry for entry in entries if entry.row not in bad_rows]
    return entries, errors


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class _Existing:
    """What the database holds for a person the file names again."""

    id: int
    version: int
    name: str
    village_id: int
    phone: str
    death_date: date | None
    facts: list[Fact] = field(default_factory=list)
    bank: tuple[str, str] | None = None
    enrollments: dict[str, tuple[int, Month, Month | None]] = field(default_factory=dict)


def _load_existing(uow: UnitOfWork, id_numbers: Sequence[str]) -> dict[str, _Existing]:
    session = uow.session
    found: dict[str, _Existing] = {}
    for chunk in _chunks(id_numbers):
        for row in session.execute(
            select(Person.id, Person.version, Person.id_number, Person.name, Person.village_id,
                   Person.phone, Person.death_date).where(Person.id_number.in_(chunk))
        ):
            found[row.id_number] = _Existing(row.id, row.version, row.name, row.village_id, row.phone, row.death_date)
    by_id = {person.id: person for person in found.values()}
    ids = list(by_id)
    for chunk in _chunks(ids):
        for row in session.execute(
            select(StatusFact.person_id, StatusFact.kind, StatusFact.value, StatusFact.from_month, StatusFact.id)
            .where(StatusFact.person_id.in_(chunk))
        ):
            by_id[row.person_id].facts.append(Fact(row.kind, row.value, row.from_month, row.id))
        for row in session.execute(
            select(BankAccount.person_id, BankAccount.bank_name, BankAccount.account_no)
            .where(BankAccount.person_id.in_(chunk)).order_by(BankAccount.id)
        ):
            by_id[row.person_id].bank = (row.bank_name, row.account_no)
        for row in session.execute(
            select(Enrollment.person_id, Enrollment.id, Enrollment.item_code, Enrollment.start_month, Enrollment.paid_through)
            .where(Enrollment.person_id.in_(chunk), Enrollment.state != "已驳回").order_by(Enrollment.start_month)
        ):
            by_id[row.person_id].enrollments[row.item_code] = (row.id, row.start_month, row.paid_through)
    return found


class _RosterWriter:
    """Writes checked entries with bulk statements in one transaction."""

    def __init__(self, uow: UnitOfWork, today: date, progress: Progress | None) -> None:
        self.uow = uow
        self.session = uow.session
        self.moment = now()
        self.user = uow.actor.name
        self.today = today
        self.progress = progress or (lambda done, total: None)

    def write(self, entries: list[RosterEntry], existing: dict[str, _Existing]) -> tuple[int, int, int]:
        villages = self._village_ids(entries)
        new = [entry for entry in entries if entry.id_number not in existing]
        old = [entry for entry in entries if entry.id_number in existing]
        total = len(entries)
        self.progress(0, total)
        person_ids = self._insert_persons(new, villages)
        self.progress(len(new), total)
        facts, banks, enrollments = [], [], []
        for entry in new:
            person_id = person_ids[entry.id_number]
            facts += self._new_facts(person_id, entry, StatusHistory())
            if entry.bank_account:
                banks.append(self._bank_row(person_id, entry))
            enrollments += [self._enrollment_row(person_id, entry, code) for code in entry.items]
            self.uow.audit("新增人员", "person", person_id, {"姓名": entry.name, "来源": "花名册导入", "行号": entry.row})
        updated, unchanged = self._update_persons(old, existing, villages, facts, banks, enrollments)
        self._insert(StatusFact, facts)
        self._insert(BankAccount, banks)
        self._insert(Enrollment, enrollments)
        self.progress(total, total)
        return len(new), updated, unchanged

    def _insert(self, model, rows: list[dict[str, Any]]) -> None:
        for chunk in _chunks(rows, 20_000):
            self.session.execute(insert(model.__table__), list(chunk))

    def _village_ids(self, entries: Iterable[RosterEntry]) -> dict[tuple[str, str], int]:
        """The township and village dictionary, extended with any names the file brings."""
        session = self.session
        townships = dict(session.execute(select(Township.name, Township.id)).all())
        wanted = {(entry.township, entry.village) for entry in entries}
        missing_towns = sorted({town for town, _ in wanted} - set(townships))
        for town in missing_towns:
            townships[town] = session.execute(insert(Township).values(name=town).returning(Township.id)).scalar_one()
            self.uow.audit("新增乡镇", "township", townships[town], {"名称": town})
        villages = {
            (town, name): village_id
            for town, name, village_id in session.execute(
                select(Township.name, Village.name, Village.id).join(Township, Village.township_id == Township.id)
            )
        }
        for town, name in sorted(wanted - set(villages)):
            villages[(town, name)] = session.execute(
                insert(Village).values(township_id=townships[town], name=name).returning(Village.id)
            ).scalar_one()
            self.uow.audit("新增村(社区)", "village", villages[(town, name)], {"乡镇": town, "名称": name})
        return villages

    def _insert_persons(self, entries: list[RosterEntry], villages) -> dict[str, int]:
        ids: dict[str, int] = {}
        table = Person.__table__
        for chunk in _chunks(entries, 20_000):
            rows = [
                {
                    "id_number": entry.id_number, "name": entry.name, "sex": entry.sex, "birth_date": entry.birth_date,
                    "village_id": villages[(entry.township, entry.village)], "phone": entry.phone,
                    "death_date": entry.death_date, "moved_out_date": None, "version": 1,
                    "created_at": self.moment, "created_by": self.user, "updated_at": self.moment, "updated_by": self.user,
                }
                for entry in chunk
            ]
            result = self.session.execute(
                insert(table).returning(table.c.id, table.c.id_number, sort_by_parameter_order=True), rows
            )
            ids.update((id_number, person_id) for person_id, id_number in result)
        return ids

    def _new_facts(self, person_id: int, entry: RosterEntry, history: StatusHistory) -> list[dict[str, Any]]:
        """Facts for the statuses that differ from what holds in the entry's month."""
        rows = []
        for kind, value in entry.statuses.items():
            if history.value(kind, entry.status_from) != value:
                rows.append({"person_id": person_id, "kind": kind, "value": value, "from_month": entry.status_from,
                             "recorded_at": self.moment, "recorded_by": self.user})
        return rows

    def _bank_row(self, person_id: int, entry: RosterEntry) -> dict[str, Any]:
        return {"person_id": person_id, "bank_name": entry.bank_name, "account_no": entry.bank_account,
                "holder": entry.name, "recorded_at": self.moment, "recorded_by": self.user}

    def _enrollment_row(self, person_id: int, entry: RosterEntry, code: str) -> dict[str, Any]:
        return {"person_id": person_id, "item_code": code, "start_month": entry.start_month, "end_month": None,
                "paid_through": entry.paid_through, "state": APPROVED, "approved_by": self.user,
                "approved_at": self.moment, "version": 1, "created_at": self.moment, "created_by": self.user,
                "updated_at": self.moment, "updated_by": self.user}

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
            ):
                if old != new:
                    changes[label] = (old, new)
            if changes:
                person_updates.append({
                    "pid": before.id, "old_version": before.version, "new_name": entry.name, "new_village": village_id,
                    "new_phone": entry.phone, "new_death": entry.death_date or before.death_date,
                })
            new_facts = self._new_facts(before.id, entry, StatusHistory(before.facts))
            for row in new_facts:
                header = STATUS_KINDS[row["kind"]][0]
                changes[header] = (StatusHistory(before.facts).value(row["kind"], entry.status_from), row["value"])
            facts += new_facts
            if entry.bank_account and before.bank != (entry.bank_name, entry.bank_account):
                banks.append(self._bank_row(before.id, entry))
                changes["银行账户"] = (before.bank, (entry.bank_name, entry.bank_account))
            for code in entry.items:
                current = before.enrollments.get(code)
                if current is None:
                    enrollments.append(self._enrollment_row(before.id, entry, code))
                    changes[f"享受项目 {code}"] = (None, str(entry.start_month))
                elif (current[1], current[2]) != (entry.start_month, entry.paid_through):
                    enrollment_updates.append({"eid": current[0], "new_start": entry.start_month, "new_paid": entry.paid_through})
                    changes[f"享受项目 {code}"] = (f"{current[1]} 已发放至 {current[2]}", f"{entry.start_month} 已发放至 {entry.paid_through}")
            if changes:
                self.uow.audit("更新人员", "person", before.id, {
                    "来源": "花名册导入", "行号": entry.row,
                    "变更": {label: {"原": old, "新": new} for label, (old, new) in changes.items()},
                })
            else:
                unchanged += 1
        self._apply_person_updates(person_updates)
        self._apply_enrollment_updates(enrollment_updates)
        return len(entries), unchanged

    def _apply_person_updates(self, updates: list[dict[str, Any]]) -> None:
        if not updates:
            return
        table = Person.__table__
        statement = (
            update(table)
            .where(table.c.id == bindparam("pid"), table.c.version == bindparam("old_version"))
            .values(name=bindparam("new_name"), village_id=bindparam("new_village"), phone=bindparam("new_phone"),
                    death_date=bindparam("new_death"), version=table.c.version + 1,
                    updated_at=self.moment, updated_by=self.user)
        )
        changed = 0
        for chunk in _chunks(updates, 20_000):
            changed += self.session.connection().execute(statement, list(chunk)).rowcount
        if changed != len(updates):
            raise ConcurrentEdit("导入期间有人修改了其中的人员, 请重新导入")

    def _apply_enrollment_updates(self, updates: list[dict[str, Any]]) -> None:
        if not updates:
            return
        table = Enrollment.__table__
        statement = (
            update(table)
            .where(table.c.id == bindparam("eid"))
            .values(start_month=bindparam("new_start", type_=table.c.start_month.type),
                    paid_through=bindparam("new_paid", type_=table.c.paid_through.type),
                    version=table.c.version + 1, updated_at=self.moment, updated_by=self.user)
        )
        for chunk in _chunks(updates, 20_000):
            self.session.connection().execute(statement, list(chunk))
