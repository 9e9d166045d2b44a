"""Roster upkeep (花名册维护): dated changes to one person, and the roster listing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator

from sqlalchemy import select

from workbench.bootstrap import Database
from workbench.domain.age import age_on
from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.history import Fact, StatusHistory
from workbench.domain.idnumber import InvalidIdNumber, mask_account, mask_id_number, parse_id_number
from workbench.domain.month import Month
from workbench.domain.roles import may
from workbench.domain.roster import parse_date
from workbench.domain.vocabulary import NONE_VALUE, STATUS_KIND_BY_HEADER, STATUS_KINDS
from workbench.services.accounts import require
from workbench.services.policy import active_policy
from workbench.store.models import BankAccount, Enrollment, Person, StatusFact, Township, Village
from workbench.store.uow import Actor, UnitOfWork, now

PERSON_FIELDS = {"姓名": "name", "联系电话": "phone"}
DATE_FIELDS = {"死亡日期": "death_date", "迁出日期": "moved_out_date"}
BANK_FIELDS = ("开户银行", "银行账号")
CHANGEABLE = (*PERSON_FIELDS, *DATE_FIELDS, *BANK_FIELDS, *STATUS_KIND_BY_HEADER)


def find_person(uow: UnitOfWork, id_number: str) -> Person:
    try:
        number = parse_id_number(id_number).number
    except InvalidIdNumber as problem:
        raise InvalidInput(f"身份证号无效: {problem}") from None
    person = uow.session.scalar(select(Person).where(Person.id_number == number))
    if person is None:
        raise NotFound(f"花名册中没有身份证号为 {mask_id_number(number)} 的人员")
    return person


def change_person(
    db: Database, actor: Actor, id_number: str, field: str, value: str, from_month: Month | None, *, today: date | None = None
) -> str:
    """Record one dated change; returns a one-line description of what was recorded."""
    require(actor, "edit_roster")
    today = today or date.today()
    field = field.strip()
    value = value.strip()
    if field not in CHANGEABLE:
        raise InvalidInput(f"不能修改「{field}」; 可修改的字段: {'、'.join(CHANGEABLE)}")
    with db.unit_of_work(actor, write=True) as uow:
        person = find_person(uow, id_number)
        if field in STATUS_KIND_BY_HEADER:
            summary = _change_status(uow, person, STATUS_KIND_BY_HEADER[field], field, value, from_month)
        elif field in DATE_FIELDS:
            summary = _change_date(uow, person, field, value, today)
        elif field in BANK_FIELDS:
            summary = _change_bank(uow, person, field, value)
        else:
            if not value and field == "姓名":
                raise InvalidInput("姓名不能为空")
            before = getattr(person, PERSON_FIELDS[field])
            setattr(person, PERSON_FIELDS[field], value)
            uow.audit("修改人员", "person", person.id, {"变更": {field: {"原": before, "新": value}}})
            summary = f"{field} 已改为「{value}」"
        uow.mark_changed((person.id,))
        uow.commit()
    return summary


def _change_status(uow, person, kind, header, value, from_month) -> str:
    if from_month is None:
        raise InvalidInput(f"「{header}」是按月生效的状态, 请用 --from YYYY-MM 给出生效月份")
    allowed = STATUS_KINDS[kind][1]
    optional = STATUS_KINDS[kind][2] is None and kind != "hukou"
    if value not in allowed and not (optional and value == NONE_VALUE):
        choices = "/".join(allowed + ((NONE_VALUE,) if optional else ()))
        raise InvalidInput(f"「{header}」的值「{value}」无效, 应为 {choices}")
    if from_month < Month.of(person.birth_date):
        raise InvalidInput(f"生效月份 {from_month} 早于出生月份")
    history = StatusHistory(
        Fact(row.kind, row.value, row.from_month, row.id)
        for row in uow.session.execute(
            select(StatusFact.kind, StatusFact.value, StatusFact.from_month, StatusFact.id)
            .where(StatusFact.person_id == person.id, StatusFact.kind == kind)
        )
    )
    before = history.value(kind, from_month)
    uow.session.add(StatusFact(person_id=person.id, kind=kind, value=value, from_month=from_month,
                               recorded_at=now(), recorded_by=uow.actor.name))
    uow.audit("状态变更", "person", person.id, {"变更": {header: {"原": before, "新": value, "生效月份": from_month}}})
    return f"{header} 自 {from_month} 起为「{value}」(原为「{before or '无'}」)"


def _change_date(uow, person, header, value, today) -> str:
    attribute = DATE_FIELDS[header]
    before = getattr(person, attribute)
    if value in ("", NONE_VALUE):
        new = None
    else:
        try:
            new = parse_date(value)
        except ValueError as problem:
            raise InvalidInput(f"「{header}」: {problem}") from None
        if new > today:
            raise InvalidInput(f"「{header}」{new.isoformat()} 晚于今天")
        if new < person.birth_date:
            raise InvalidInput(f"「{header}」早于出生日期")
    setattr(person, attribute, new)
    uow.audit("修改人员", "person", person.id, {"变更": {header: {"原": before, "新": new}}})
    return f"{header} 已记为 {new.isoformat() if new else '无'}"


def _change_bank(uow, person, header, value) -> str:
    current = uow.session.scalar(
        select(BankAccount).where(BankAccount.person_id == person.id).order_by(BankAccount.id.desc()).limit(1)
    )
    bank_name = current.bank_name if current else ""
    account = current.account_no if current else ""
    if header == "开户银行":
        if not value:
            raise InvalidInput("开户银行不能为空")
        bank_name = value
    else:
        account = value.replace(" ", "")
        if not account.isdigit() or not 8 <= len(account) <= 30:
            raise InvalidInput("银行账号只能是 8-30 位数字")
    uow.session.add(BankAccount(person_id=person.id, bank_name=bank_name, account_no=account, holder=person.name,
                                recorded_at=now(), recorded_by=uow.actor.name))
    uow.audit("更换银行账户", "person", person.id, {"变更": {header: {
        "原": (current.bank_name, current.account_no) if current else None, "新": (bank_name, account)}}})
    shown = value if header == "开户银行" else mask_account(account)
    return f"{header} 已改为 {shown}"


@dataclass(frozen=True)
class RosterLine:
    """One person of the roster listing, as the screen or a CSV shows it."""

    id_number: str
    name: str
    sex: str
    birth_date: date
    age: int
    township: str
    village: str
    hukou: str
    dibao: str
    tekun: str
    items: str
    bank_name: str
    account: str
    death_date: date | None


def list_roster(db: Database, actor: Actor, *, township: str | None = None, today: date | None = None) -> Iterator[RosterLine]:
    """Everyone on the roster (optionally one township), numbers masked unless the role may see them."""
    require(actor, "read")
    today = today or date.today()
    month = Month.of(today)
    full = may(actor.role, "see_full_numbers")
    with db.unit_of_work(actor) as uow:
        session = uow.session
        item_names = {item.code: item.name for item in active_policy(uow).items}
        query = (
            select(Person.id, Person.id_number, Person.name, Person.sex, Person.birth_date, Person.death_date,
                   Township.name.label("township"), Village.name.label("village"))
            .join(Village, Person.village_id == Village.id)
            .join(Township, Village.township_id == Township.id)
            .order_by(Township.name, Village.name, Person.id)
        )
        if township:
            query = query.where(Township.name == township)
            if session.scalar(select(Township.id).where(Township.name == township)) is None:
                raise NotFound(f"没有名为「{township}」的乡镇")
        people = session.execute(query).all()
        wanted = {row.id for row in people}
        facts: dict[int, list[Fact]] = {}
        for row in session.execute(select(StatusFact.person_id, StatusFact.kind, StatusFact.value, StatusFact.from_month, StatusFact.id)):
            if row.person_id in wanted:
                facts.setdefault(row.person_id, []).append(Fact(row.kind, row.value, row.from_month, row.id))
        items: dict[int, list[str]] = {}
        for row in session.execute(
            select(Enrollment.person_id, Enrollment.item_code)
            .where(Enrollment.state == "已批准").order_by(Enrollment.person_id, Enrollment.item_code)
        ):
            items.setdefault(row.person_id, []).append(item_names.get(row.item_code, row.item_code))
        banks = {row.person_id: (row.bank_name, row.account_no)
                 for row in session.execute(select(BankAccount.person_id, BankAccount.bank_name, BankAccount.account_no).order_by(BankAccount.id))}
    for row in people:
        history = StatusHistory(facts.get(row.id, ()))
        bank_name, account = banks.get(row.id, ("", ""))
        yield RosterLine(
            id_number=row.id_number if full else mask_id_number(row.id_number),
            name=row.name,
            sex=row.sex,
            birth_date=row.birth_date,
            age=age_on(row.birth_date, min(today, row.death_date or today)),
            township=row.township,
            village=row.village,
            hukou=history.value("hukou", month) or "",
            dibao=history.value("dibao", month) or "",
            tekun=history.value("tekun", month) or "",
            items="、".join(dict.fromkeys(items.get(row.id, ()))),
            bank_name=bank_name,
            account=account if full else mask_account(account),
            death_date=row.death_date,
        )
