"""Deaths from a 公安户籍注销 or 殡葬火化 list (导入死亡名单): matched by ID number, recorded, and
the recoveries they cause shown before anything is written (--dry-run) and after."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from workbench.services.database import Database
from workbench.documents.xlsx_reader import listed_people, read_list
from workbench.domain.actor import Actor
from workbench.domain.errors import ImportRejected, InvalidInput, RowError
from workbench.domain.idnumber import mask_id_number
from workbench.domain.ledger import RECOVERY, settle
from workbench.domain.money import ZERO
from workbench.domain.month import Month
from workbench.domain.roster import cell_text, parse_date
from workbench.services.accounts import require
from workbench.domain.batch import DRAFT
from workbench.store.ledger import load_entitlement, load_people, paid_in_window
from workbench.services.people import person_by
from workbench.services.scope import require_county
from workbench.store.models import Batch, Person

HEADERS = {  # what the column is called in 公安 and 殡葬 lists -> our field
    "身份证号": "id", "公民身份号码": "id", "证件号码": "id", "身份证号码": "id",
    "姓名": "name", "死者姓名": "name",
    "死亡日期": "date", "注销日期": "date", "火化日期": "date", "死亡时间": "date",
}


@dataclass(frozen=True)
class Recovery:
    row: int
    name: str
    id_number: str  # masked
    death_date: date
    periods: tuple[Month, ...]
    amount: Decimal  # negative: to be recovered


@dataclass
class DeathReport:
    rows: int
    recorded: int = 0  # deaths newly recorded (or corrected)
    already: int = 0  # the same date was already on the roster
    not_on_roster: list[tuple[int, str, str]] = field(default_factory=list)  # row, name, masked ID
    name_differs: list[tuple[int, str, str]] = field(default_factory=list)  # row, name in the list, name on the roster
    corrected: list[tuple[int, str, date, date]] = field(default_factory=list)  # row, name, old date, new date
    recoveries: list[Recovery] = field(default_factory=list)
    written: bool = False

    @property
    def recovery_total(self) -> Decimal:
        return sum((recovery.amount for recovery in self.recoveries), ZERO)


def _read(path: Path) -> tuple[list[tuple[int, str, str, date]], list[RowError]]:
    entries, errors = [], []
    today = date.today()
    rows = read_list(path, HEADERS, {"id": "身份证号", "date": "死亡日期"}, "死亡名单")
    for number, id_number, cells in listed_people(rows, errors):
        try:
            died = parse_date(cells["date"])
        except ValueError as problem:
            errors.append(RowError(number, "死亡日期", str(problem)))
            continue
        if died > today:
            errors.append(RowError(number, "死亡日期", f"{died.isoformat()} 晚于今天"))
            continue
        entries.append((number, id_number, cell_text(cells.get("name", "")), died))
    return entries, errors


def import_deaths(db: Database, actor: Actor, path: Path, *, dry_run: bool = False, accept_names: bool = False) -> DeathReport:
    """Record each listed death of a person on the roster; all or nothing; recoveries shown either way.

    A row whose name differs from the roster's is held (listed, not recorded) unless `accept_names`:
    the ID number may be mistyped into someone else's."""
    require(actor, "edit_roster")
    require_county(actor, "导入全县的死亡名单")
    entries, errors = _read(path)
    if errors:
        raise ImportRejected(errors)
    report = DeathReport(rows=len(entries))
    with db.unit_of_work(actor, write=not dry_run) as uow:
        session = uow.session
        numbers = [id_number for _, id_number, _, _ in entries]
        persons = {person.id_number: person for person in session.scalars(select(Person).where(Person.id_number.in_(numbers)))}
        changed: dict[int, tuple[int, Person, date]] = {}
        for row, id_number, name, died in entries:
            person = persons.get(id_number)
            if person is None:
                report.not_on_roster.append((row, name, mask_id_number(id_number)))
                continue
            if died < person.birth_date:
                raise ImportRejected([RowError(row, "死亡日期", "早于出生日期")])
            if person.death_date == died:
                report.already += 1
                continue
            if name and name != person.name:
                report.name_differs.append((row, name, person.name))
                if not accept_names:
                    continue  # held: the number may be mistyped into someone else's
            if person.death_date is not None:
                report.corrected.append((row, person.name, person.death_date, died))
            changed[person.id] = (row, person, died)
        report.recorded = len(changed)
        report.recoveries = _recoveries(uow, changed)
        if dry_run or not changed:
            return report
        for row, person, died in changed.values():
            uow.audit("记录死亡", "person", person.id, {"变更": {"死亡日期": {"原": person.death_date, "新": died}},
                                                      "来源": path.name, "行": row})
            person.death_date = died
        uow.mark_changed(changed)
        uow.filled(len(changed), "persons")
        uow.audit("导入死亡名单", "deaths_file", path.name, {
            "文件SHA256": hashlib.sha256(path.read_bytes()).hexdigest(), "记录死亡": report.recorded,
            "不在花名册": len(report.not_on_roster), "应追回": report.recovery_total})
        uow.commit()
        report.written = True
    return report


def death_recoveries(db: Database, actor: Actor, who: str | int, died: date) -> list[Recovery]:
    """What the next monthly run would recover if `who` (an ID number or a person id) died on
    `died`: the same computation the run does, nothing written (the form asks before it records)."""
    require(actor, "edit_roster")
    with db.unit_of_work(actor) as uow:
        person = person_by(uow, who)
        if died < person.birth_date:
            raise InvalidInput("死亡日期早于出生日期")
        return _recoveries(uow, {person.id: (1, person, died)})


def _recoveries(uow, changed: dict[int, tuple[int, Person, date]]) -> list[Recovery]:
    """What the next monthly run will recover from each newly dead person: paid months after death."""
    if not changed:
        return []
    last_paid = uow.session.scalar(select(func.max(Batch.month)).where(Batch.state != DRAFT))
    if last_paid is None:
        return []
    entitlement = load_entitlement(uow)
    back_pay = entitlement.policy.back_pay_months
    month = last_paid + 1  # the run that will settle it
    held = paid_in_window(uow, month - back_pay, set(changed))
    people = load_people(uow, only=set(changed))
    found = []
    for person_id, (row, person, died) in sorted(changed.items(), key=lambda item: item[1][0]):
        record = people.get(person_id)
        if record is None:
            continue
        lines, _missing = settle(entitlement, record._replace(death_date=died), month, back_pay, held.get(person_id, {}))
        taken = [line for line in lines if line.kind == RECOVERY]
        if taken:
            found.append(Recovery(row, person.name, mask_id_number(person.id_number), died,
                                  tuple(sorted({line.period for line in taken})), sum((line.amount for line in taken), ZERO)))
    return found
