"""生存认证 (liveness checks): recorded one by one or from an 认证结果 list, and the county's
deadline month after which a person without a check that year is withheld (暂停, not ended).

A check changes what is owed, so recording one marks the person changed: the next run pays the
months withheld, as back pay.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from workbench.services.database import Database
from workbench.documents.xlsx_reader import listed_people, read_list
from workbench.domain.actor import Actor
from workbench.domain.errors import ImportRejected, InvalidInput, RowError
from workbench.domain.idnumber import mask_id_number
from workbench.domain.month import Month
from workbench.domain.roles import may
from workbench.domain.roster import cell_text, parse_date
from workbench.domain.vocabulary import APPROVED
from workbench.services.accounts import record_unmasking, require
from workbench.store.ledger import LIVENESS_SETTING, liveness_deadline
from workbench.services.people import person_by
from workbench.services.scope import require_county, township_condition
from workbench.store.bulk import bulk_select, chunks
from workbench.memory import paused_garbage_collection
from workbench.store.settings import write_setting
from workbench.store.models import Enrollment, LivenessCheck, Person, Township, Village
from workbench.store.uow import now

METHODS = ("上门", "视频", "人脸识别", "社保认证")
COLUMNS = ("身份证号", "姓名", "乡镇", "村(社区)", "上次认证", "暂停自")  # Unchecked.row()
HEADERS = {
    "身份证号": "id", "公民身份号码": "id", "证件号码": "id", "身份证号码": "id",
    "姓名": "name",
    "认证日期": "date", "认证时间": "date", "核验日期": "date",
    "认证方式": "method", "方式": "method",
}


def _method(text: str) -> str:
    if text not in METHODS:
        raise ValueError(f"认证方式「{text}」不在 {'/'.join(METHODS)} 之中")
    return text


def _checked_on(value, today: date) -> date:
    checked_on = parse_date(value)
    if checked_on > today:
        raise ValueError(f"{checked_on.isoformat()} 晚于今天")
    return checked_on


def record_check(db: Database, actor: Actor, who: str | int, checked_on: date, method: str) -> str:
    """Record one check of a person (ID number, or the person's row id); returns the person's name."""
    require(actor, "edit_roster")
    try:
        method = _method(method)
        checked_on = _checked_on(checked_on, date.today())
    except ValueError as problem:
        raise InvalidInput(str(problem)) from None
    with db.unit_of_work(actor, write=True) as uow:
        person = person_by(uow, who)
        if checked_on < person.birth_date or (person.death_date and checked_on > person.death_date):
            raise InvalidInput(f"{person.name} 的认证日期 {checked_on.isoformat()} 不在其生存期间")
        uow.session.add(LivenessCheck(person_id=person.id, checked_on=checked_on, method=method,
                                      recorded_at=now(), recorded_by=actor.name))
        uow.mark_changed([person.id])
        uow.audit("生存认证", "person", person.id, {"认证日期": checked_on, "方式": method})
        uow.commit()
        return person.name


@dataclass
class CheckImport:
    rows: int
    recorded: int = 0
    already: int = 0  # the same person and date were on record
    not_on_roster: list[tuple[int, str, str]] = field(default_factory=list)  # row, name, masked ID
    name_differs: list[tuple[int, str, str]] = field(default_factory=list)  # row, listed, on the roster
    written: bool = False


def import_checks(db: Database, actor: Actor, path: Path, *, dry_run: bool = False, accept_names: bool = False) -> CheckImport:
    """Record every check of a 认证结果 list (身份证号, 认证日期, 认证方式); all or nothing. A row whose
    name differs from the roster's is held (listed, not recorded) unless `accept_names`."""
    require(actor, "edit_roster")
    require_county(actor, "导入全县的生存认证名单")
    entries, errors = [], []
    today = date.today()
    rows = read_list(path, HEADERS, {"id": "身份证号", "date": "认证日期", "method": "认证方式"}, "认证名单")
    for number, id_number, cells in listed_people(rows, errors):
        try:
            checked_on = _checked_on(cells["date"], today)
        except ValueError as problem:
            errors.append(RowError(number, "认证日期", str(problem)))
            continue
        try:
            method = _method(cell_text(cells["method"]))
        except ValueError as problem:
            errors.append(RowError(number, "认证方式", str(problem)))
            continue
        entries.append((number, id_number, cell_text(cells.get("name", "")), checked_on, method))
    if errors:
        raise ImportRejected(errors)
    report = CheckImport(rows=len(entries))
    with db.unit_of_work(actor, write=not dry_run) as uow:
        session = uow.session
        persons = {}
        for chunk in chunks(sorted({entry[1] for entry in entries})):
            for person_id, number, name, birth, died in session.execute(
                    select(Person.id, Person.id_number, Person.name, Person.birth_date, Person.death_date)
                    .where(Person.id_number.in_(chunk))):
                persons[number] = (person_id, name, birth, died)
        known = set()
        for chunk in chunks(sorted(person_id for person_id, *_ in persons.values())):
            known.update(session.execute(select(LivenessCheck.person_id, LivenessCheck.checked_on)
                                         .where(LivenessCheck.person_id.in_(chunk))))
        added = []
        for row, id_number, name, checked_on, method in entries:
            if id_number not in persons:
                report.not_on_roster.append((row, name, mask_id_number(id_number)))
                continue
            person_id, roster_name, birth, died = persons[id_number]
            if checked_on < birth or (died and checked_on > died):
                errors.append(RowError(row, "认证日期", f"{roster_name} 的认证日期 {checked_on.isoformat()} 不在其生存期间"))
                continue
            if (person_id, checked_on) in known:
                report.already += 1
                continue
            if name and name != roster_name:
                report.name_differs.append((row, name, roster_name))
                if not accept_names:
                    continue  # held: the number may be mistyped into someone else's
            known.add((person_id, checked_on))
            added.append((person_id, checked_on, method))
        if errors:
            raise ImportRejected(errors)
        report.recorded = len(added)
        if dry_run or not added:
            return report
        moment = now()
        session.add_all(LivenessCheck(person_id=person_id, checked_on=checked_on, method=method,
                                      recorded_at=moment, recorded_by=actor.name) for person_id, checked_on, method in added)
        uow.mark_changed({person_id for person_id, _, _ in added})
        uow.filled(len(added), "liveness_checks")
        uow.audit("导入认证名单", "liveness_file", path.name, {
            "文件SHA256": hashlib.sha256(path.read_bytes()).hexdigest(), "记录认证": report.recorded,
            "已有": report.already, "不在花名册": len(report.not_on_roster)})
        uow.commit()
        report.written = True
    return report


def set_deadline(db: Database, actor: Actor, month: int) -> None:
    """Set the 生存认证截止月 (1–11; 0 stops withholding); everyone's entitlement is recomputed."""
    require(actor, "set_standard")
    if not 0 <= month <= 11:
        raise InvalidInput("生存认证截止月应为 1 至 11 (该月底前须完成当年认证), 0 表示不因未认证暂停发放")
    with db.unit_of_work(actor, write=True) as uow:
        before = liveness_deadline(uow) or 0
        if before == month:
            return
        write_setting(uow, LIVENESS_SETTING, str(month))
        uow.mark_all_changed()
        uow.audit("设置生存认证截止月", "setting", LIVENESS_SETTING, {"原": before, "新": month})
        uow.commit()


def deadline(db: Database, actor: Actor) -> int | None:
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        return liveness_deadline(uow)


@dataclass(frozen=True)
class Unchecked:
    person_id: int
    id_number: str  # as the role may see it
    name: str
    township: str
    village: str
    last_check: date | None
    withheld_from: Month | None  # the first month withheld, if the deadline has passed

    def row(self) -> list[str]:
        """The person as a line of the 未认证 list (COLUMNS), for the command line and the window."""
        return [self.id_number, self.name, self.township, self.village,
                self.last_check.isoformat() if self.last_check else "从未认证",
                str(self.withheld_from) if self.withheld_from else ""]


def _unchecked_in(year: int) -> tuple:
    """The conditions of a person of the 未认证 list of `year`: living, on the roster, enrolled
    (approved) before the year, and no check dated in it."""
    enrolled_before = select(Enrollment.id).where(
        Enrollment.person_id == Person.id, Enrollment.state == APPROVED, Enrollment.start_month < Month(year, 1))
    checked_in_year = select(LivenessCheck.id).where(
        LivenessCheck.person_id == Person.id, LivenessCheck.checked_on >= date(year, 1, 1),
        LivenessCheck.checked_on <= date(year, 12, 31))
    return (Person.death_date.is_(None), Person.moved_out_date.is_(None), enrolled_before.exists(), ~checked_in_year.exists())


def unchecked_count(uow, year: int) -> int:
    """How many people `unchecked` lists, counted by the database."""
    return uow.session.scalar(select(func.count()).select_from(Person).where(*_unchecked_in(year)))


@paused_garbage_collection()
def unchecked(db: Database, actor: Actor, year: int, *, today: date | None = None, masked: bool = False) -> list[Unchecked]:
    """The living people with an approved enrollment, enrolled before `year`, and no check in it
    (`masked`: numbers as a 经办 sees them, whatever the role)."""
    require(actor, "read")
    today = today or date.today()
    full = may(actor.role, "see_full_numbers") and not masked
    with db.unit_of_work(actor) as uow:
        session = uow.session
        cutoff = liveness_deadline(uow)
        last = {person_id: checked_on for person_id, checked_on in session.execute(
            select(LivenessCheck.person_id, func.max(LivenessCheck.checked_on)).group_by(LivenessCheck.person_id))}
        query = (select(Person.id, Person.id_number, Person.name, Township.name, Village.name)
                 .join(Village, Person.village_id == Village.id).join(Township, Village.township_id == Township.id)
                 .where(*_unchecked_in(year), *([] if actor.county_wide else [township_condition(actor)])))
        withheld_from = Month(year, cutoff + 1) if cutoff and Month(year, cutoff + 1) <= Month.of(today) else None
        found = [Unchecked(person_id, number if full else mask_id_number(number), name, town, village,
                           last.get(person_id), withheld_from)
                 for person_id, number, name, town, village in bulk_select(session, query)]
    if full and found:
        record_unmasking(db, actor, "未生存认证名单", len(found))
    return sorted(found, key=lambda entry: (entry.township, entry.village, entry.name))
