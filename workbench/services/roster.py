"""Roster upkeep (花名册维护): dated changes to one person."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from workbench.services.database import Database
from workbench.domain.actor import Actor
from workbench.domain.errors import ConcurrentEdit, InvalidInput
from workbench.domain.history import Fact, StatusHistory
from workbench.domain.idnumber import InvalidIdNumber, ascii_digits, half_width, mask_account, parse_id_number
from workbench.domain.month import Month
from workbench.domain.roster import TEXT_WIDTHS, parse_date
from workbench.domain.text import clean_name, clean_phone, clean_text
from workbench.domain.vocabulary import NONE_VALUE, STATUS_KIND_BY_HEADER, status_choices
from workbench.services.accounts import require
from workbench.store.models import BankAccount, StatusFact
from workbench.store.uow import now
from workbench.services.people import person_by


PERSON_FIELDS = {"姓名": "name", "联系电话": "phone"}
DATE_FIELDS = {"死亡日期": "death_date", "迁出日期": "moved_out_date"}
BANK_FIELDS = ("开户银行", "银行账号", "收款人")  # 收款人: "姓名,身份证号,关系" (代领人), or 本人
CHANGEABLE = (*PERSON_FIELDS, *DATE_FIELDS, *BANK_FIELDS, *STATUS_KIND_BY_HEADER)


def change_person(
    db: Database, actor: Actor, who: str | int, field: str, value: str, from_month: Month | None, *,
    today: date | None = None, expected_version: int | None = None,
) -> str:
    """Record one dated change of the person with ID number (or person id) `who`; returns what was recorded.

    Every change, a status fact too, counts as an edit of the person (its version goes up), so a
    form opened before someone else's change (`expected_version`) is refused instead of writing
    over what it never saw.
    """
    require(actor, "edit_roster")
    today = today or date.today()
    field = field.strip()
    value = value.strip()
    if field not in CHANGEABLE:
        raise InvalidInput(f"不能修改「{field}」; 可修改的字段: {'、'.join(CHANGEABLE)}")
    with db.unit_of_work(actor, write=True) as uow:
        person = person_by(uow, who)
        if expected_version is not None and person.version != expected_version:
            raise ConcurrentEdit(f"{person.name} 的信息在你打开之后已被「{person.updated_by}」修改, "
                                 "未保存你的修改; 请重新打开后再改")
        if field in STATUS_KIND_BY_HEADER:
            summary = _change_status(uow, person, STATUS_KIND_BY_HEADER[field], field, value, from_month)
        elif field in DATE_FIELDS:
            summary = _change_date(uow, person, field, value, today)
        elif field in BANK_FIELDS:
            summary = _change_bank(uow, person, field, value)
        else:
            try:
                value = clean_name(value) if field == "姓名" else clean_phone(value, TEXT_WIDTHS[field])
            except ValueError as problem:
                raise InvalidInput(f"{field}: {problem}") from None
            before = getattr(person, PERSON_FIELDS[field])
            setattr(person, PERSON_FIELDS[field], value)
            uow.audit("修改人员", "person", person.id, {"变更": {field: {"原": before, "新": value}}})
            summary = f"{field} 已改为「{value}」"
        person.updated_at = now()  # the edit the version counts (the stamp fills in who)
        uow.mark_changed((person.id,))
        uow.commit()
    return summary


def _change_status(uow, person, kind, header, value, from_month) -> str:
    if from_month is None:
        raise InvalidInput(f"「{header}」是按月生效的状态, 请用 --from YYYY-MM 给出生效月份")
    if value not in (choices := status_choices(kind)):
        raise InvalidInput(f"「{header}」的值「{value}」无效, 应为 {'/'.join(choices)}")
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
    """A new account row: another bank or number (the payee kept), or another payee (the account kept)."""
    current = uow.session.scalar(
        select(BankAccount).where(BankAccount.person_id == person.id).order_by(BankAccount.id.desc()).limit(1)
    )
    bank_name = current.bank_name if current else ""
    account = current.account_no if current else ""
    payee = (current.holder, current.holder_id_number, current.holder_relation) if current and current.holder_id_number else ()
    if header == "开户银行":
        try:
            bank_name = clean_text(value, TEXT_WIDTHS["开户银行"])
        except ValueError as problem:
            raise InvalidInput(f"开户银行: {problem}") from None
        if not bank_name:
            raise InvalidInput("开户银行不能为空")
    elif header == "银行账号":
        account = half_width(value).replace(" ", "")
        if not ascii_digits(account) or not 8 <= len(account) <= 30:
            raise InvalidInput("银行账号只能是 8-30 位数字")
    else:
        if current is None:
            raise InvalidInput("尚未登记银行账户: 请先填写开户银行和银行账号")
        payee = parse_payee(value, person.id_number)
    uow.session.add(BankAccount(person_id=person.id, bank_name=bank_name, account_no=account,
                                holder=payee[0] if payee else person.name, holder_id_number=payee[1] if payee else None,
                                holder_relation=payee[2] if payee else None, recorded_at=now(), recorded_by=uow.actor.name))
    before = ((current.bank_name, current.account_no) + ((current.holder, current.holder_id_number, current.holder_relation)
                                                        if current.holder_id_number else ())) if current else None
    uow.audit("更换银行账户", "person", person.id, {"变更": {header: {"原": before, "新": (bank_name, account) + payee}}})
    if header == "开户银行":
        old, new = (current.bank_name if current else ""), bank_name
    elif header == "银行账号":
        old, new = mask_account(current.account_no) if current else "", mask_account(account)
    else:
        old = f"{current.holder} ({current.holder_relation})" if current and current.holder_id_number else "本人"
        new = f"{payee[0]} ({payee[2]})" if payee else "本人"
    return f"{header} 已由 {old or '无'} 改为 {new}"


def parse_payee(value: str, own_number: str) -> tuple[str, str, str] | tuple[()]:
    """A payee typed as 姓名,身份证号,关系 (代领人); 本人 or empty: the person is paid."""
    text = (value or "").strip()
    if text in ("", "本人"):
        return ()
    parts = [part.strip() for part in re.split(r"[,，、;；\s]+", text) if part.strip()]
    if len(parts) != 3:
        raise InvalidInput("收款人应写作「姓名,身份证号,关系」, 如「王小明,140522198001010011,子女」; 本人领取写「本人」")
    name, number, relation = parts
    try:
        name = clean_name(name)
        relation = clean_text(relation, 20)
        number = parse_id_number(number).number
    except (ValueError, InvalidIdNumber) as problem:
        raise InvalidInput(f"收款人: {problem}") from None
    if number == own_number:
        raise InvalidInput("收款人是本人时请写「本人」")
    return name, number, relation
