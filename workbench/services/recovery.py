"""The recovery ledger (追回台账): what people owe back, and how it was cleared.

Every 追回 line of an approved batch is a debt of that person for that item until cleared: by a
refund received (退回), a write-off (核销, by a 审批 or 管理员 user, with a reason), or a deduction
from the person's later payments of the same item (抵扣: lines a run writes, unless the setting
turns it off; one the bank returned as failed deducted nothing). Clearings are applied to the
person's oldest uncleared recoveries of the item first: each item is its own special fund.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, text

from workbench.services.database import Database
from workbench.domain.actor import Actor
from workbench.domain.errors import InvalidInput, PermissionDenied
from workbench.domain.idnumber import mask_id_number
from workbench.domain.ledger import DEDUCTION
from workbench.domain.money import ZERO, parse_amount
from workbench.domain.month import Month
from workbench.domain.roles import ADMIN, APPROVER
from workbench.services.accounts import record_unmasking, require, shows_full_numbers
from workbench.domain.batch import DRAFT
from workbench.store.ledger import DEDUCTION_SETTING, deduction_conditions
from workbench.store.ledger import active_policy
from workbench.services.people import person_by
from workbench.services.scope import township_condition
from workbench.store.settings import write_setting
from workbench.store.models import (
    RECOVERY_LINE, Batch, LedgerLine, Person, RecoveryClearing, Township, Village,
)
from workbench.store.uow import UnitOfWork, now

REFUND, WRITE_OFF = "退回", "核销"
METHODS = (REFUND, WRITE_OFF)  # what a user records; 抵扣 is a run's
WRITE_OFF_ROLES = (APPROVER, ADMIN)
COLUMNS = ("身份证号", "姓名", "乡镇", "项目", "所属期", "应追回", "已退回", "已抵扣", "已核销", "未清")
NOTE_CHARS = 200


@dataclass(frozen=True)
class Recovery:
    """One 追回 line of an approved batch and what of it is cleared (amounts positive)."""

    person_id: int
    id_number: str  # as the role may see it
    name: str
    township: str
    item_code: str
    item: str
    period: Month
    batch_month: Month
    owed: Decimal  # 应追回
    refunded: Decimal = ZERO  # 已退回
    deducted: Decimal = ZERO  # 已抵扣
    written_off: Decimal = ZERO  # 已核销

    @property
    def outstanding(self) -> Decimal:  # 未清
        return self.owed - self.refunded - self.deducted - self.written_off

    def row(self) -> list:
        """The line as `recovery list` prints it (COLUMNS)."""
        return [self.id_number, self.name, self.township, self.item, str(self.period), self.owed, self.refunded,
                self.deducted, self.written_off, self.outstanding]


FIELD_OF_METHOD = {REFUND: "refunded", DEDUCTION: "deducted", WRITE_OFF: "written_off"}


def _allocated(uow: UnitOfWork, person_ids=None, township: str | None = None, full: bool = True) -> list[Recovery]:
    """Every recovery of approved batches (of the people or township given, within the user's
    scope), with the clearings applied to each person's oldest recoveries of an item first."""
    session, actor = uow.session, uow.actor
    names = {item.code: item.name for item in active_policy(uow).items}
    query = (select(LedgerLine.person_id, Person.id_number, Person.name, Township.name, LedgerLine.item_code,
                    LedgerLine.period, Batch.month, LedgerLine.amount)
             .join(Batch, LedgerLine.batch_id == Batch.id).join(Person, LedgerLine.person_id == Person.id)
             .join(Village, Person.village_id == Village.id).join(Township, Village.township_id == Township.id)
             .where(text(RECOVERY_LINE), Batch.state != DRAFT)
             .order_by(LedgerLine.person_id, LedgerLine.item_code, LedgerLine.period, Batch.month, LedgerLine.id))
    clearings = (select(RecoveryClearing.person_id, RecoveryClearing.item_code, RecoveryClearing.method,
                        RecoveryClearing.amount).order_by(RecoveryClearing.id))
    deductions = (select(LedgerLine.person_id, LedgerLine.item_code, LedgerLine.amount)
                  .join(Batch, LedgerLine.batch_id == Batch.id).where(*deduction_conditions())
                  .order_by(Batch.month, LedgerLine.id))
    if person_ids is not None:
        query = query.where(LedgerLine.person_id.in_(person_ids))
        clearings = clearings.where(RecoveryClearing.person_id.in_(person_ids))
        deductions = deductions.where(LedgerLine.person_id.in_(person_ids))
    if township is not None:
        query = query.where(Township.name == township)
    if (condition := township_condition(actor)) is not None:
        query = query.where(condition)
    owed: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for person_id, number, name, town, code, period, batch_month, amount in session.execute(query):
        owed[(person_id, code)].append(dict(person_id=person_id, id_number=number if full else mask_id_number(number),
                                            name=name, township=town, item_code=code, item=names.get(code, code),
                                            period=period, batch_month=batch_month, owed=-amount))
    cleared = [(person_id, code, DEDUCTION, -amount) for person_id, code, amount in session.execute(deductions)]
    for person_id, code, method, amount in [*cleared, *session.execute(clearings)]:
        left = amount
        for entry in owed.get((person_id, code), ()):
            if left <= 0:
                break
            field = FIELD_OF_METHOD[method]
            open_part = entry["owed"] - sum(entry.get(name, ZERO) for name in FIELD_OF_METHOD.values())
            part = min(open_part, left)
            if part > 0:
                entry[field] = entry.get(field, ZERO) + part
                left -= part
    return [Recovery(**entry) for entries in owed.values() for entry in entries]


def list_recoveries(db: Database, actor: Actor, *, township: str | None = None, everything: bool = False) -> list[Recovery]:
    """`recovery list`: recoveries not yet cleared (all with `everything`), by township, person,
    item and period. ID numbers are masked unless the role may see them (then the reading is audited)."""
    require(actor, "read")
    full = shows_full_numbers(db, actor)
    with db.unit_of_work(actor) as uow:
        found = _allocated(uow, township=township, full=full)
    shown = [entry for entry in found if everything or entry.outstanding > 0]
    shown.sort(key=lambda entry: (entry.township, entry.id_number, entry.item_code, entry.period, entry.batch_month))
    if full and shown:
        record_unmasking(db, actor, "追回台账", len(shown))
    return shown


def outstanding_of(uow: UnitOfWork, person_id: int) -> list[Recovery]:
    """One person's recoveries not yet cleared (for the person form)."""
    return [entry for entry in _allocated(uow, [person_id], full=False) if entry.outstanding > 0]


def record_clearing(db: Database, actor: Actor, who: str | int, amount_text: str, method: str, on: date, note: str = "",
                    *, today: date | None = None) -> list[tuple[str, Decimal]]:
    """`recovery record`: a refund received or a write-off of `amount` for one person, applied to
    their oldest uncleared recoveries first (across items, by period); returns (item, amount) per
    item cleared. More than is outstanding is refused; nothing is written then."""
    require(actor, "edit_roster" if method == REFUND else "approve")
    if method not in METHODS:
        raise InvalidInput(f"清偿方式应为 {' 或 '.join(METHODS)}, 不是「{method}」")
    if method == WRITE_OFF and actor.role not in WRITE_OFF_ROLES:
        raise PermissionDenied(f"核销只能由审批或管理员用户办理; 当前用户「{actor.name}」是{actor.role}")
    try:
        amount = parse_amount(amount_text)
    except ValueError as problem:
        raise InvalidInput(f"金额: {problem}") from None
    if amount <= 0:
        raise InvalidInput("金额: 应大于 0")
    note = note.strip()
    if any(ord(char) < 32 or ord(char) == 127 for char in note):
        raise InvalidInput("备注: 不能含换行或控制字符")
    if len(note) > NOTE_CHARS:
        raise InvalidInput(f"备注: 最多 {NOTE_CHARS} 个字")
    if method == WRITE_OFF and not note:
        raise InvalidInput("核销须在 --note 中写明理由")
    if on > (today or date.today()):
        raise InvalidInput(f"日期: {on.isoformat()} 还没有到")
    with db.unit_of_work(actor, write=True) as uow:
        person = person_by(uow, who)
        open_entries = [entry for entry in _allocated(uow, [person.id]) if entry.outstanding > 0]
        outstanding = sum((entry.outstanding for entry in open_entries), ZERO)
        if amount > outstanding:
            raise InvalidInput(f"{person.name} 未清的追回款共 {outstanding} 元, 不能{method} {amount} 元")
        left, by_item = amount, defaultdict(lambda: ZERO)
        for entry in sorted(open_entries, key=lambda entry: (entry.period, entry.batch_month, entry.item_code)):
            part = min(entry.outstanding, left)
            by_item[entry.item_code] += part
            left -= part
            if left == 0:
                break
        moment = now()
        names = {entry.item_code: entry.item for entry in open_entries}
        for code, part in by_item.items():
            uow.session.add(RecoveryClearing(person_id=person.id, item_code=code, amount=part, method=method, cleared_on=on,
                                             note=note, recorded_at=moment, recorded_by=actor.name))
        uow.mark_changed((person.id,))  # a draft's deductions (抵扣) read what is still owed: compute it again
        uow.audit(f"追回{method}", "person", person.id, {
            "金额": amount, "日期": on, "备注": note, "项目": {names[code]: part for code, part in by_item.items()},
            "此前未清": outstanding})
        uow.commit()
    return [(names[code], part) for code, part in by_item.items()]


def cleared_in_year(uow: UnitOfWork, year: int) -> dict[tuple[str, str], Decimal]:
    """(item, method) -> amount cleared in `year` (by the date of the refund or write-off)."""
    found: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    query = select(RecoveryClearing.item_code, RecoveryClearing.method, RecoveryClearing.amount).where(
        RecoveryClearing.cleared_on >= date(year, 1, 1), RecoveryClearing.cleared_on <= date(year, 12, 31))
    for code, method, amount in uow.session.execute(query):
        found[(code, method)] += amount
    return found


def set_deduction(db: Database, actor: Actor, on: bool) -> str:
    """Whether runs take recoveries from the same person's later payments of the item (管理员)."""
    require(actor, "set_standard")
    with db.unit_of_work(actor, write=True) as uow:
        write_setting(uow, DEDUCTION_SETTING, "1" if on else "0")
        uow.mark_all_changed()  # a draft's deductions follow the setting: compute it again
        uow.audit("设置追回抵扣", "setting", DEDUCTION_SETTING, {"抵扣": "是" if on else "否"})
        uow.commit()
    return ("追回款将从同一人员以后同一项目的发放中抵扣 (银行按抵扣后的净额发放)" if on
            else "追回款不抵扣: 只能退回或核销")
