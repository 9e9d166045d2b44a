"""Applications for an item (享受项目申请): entered by one user, approved or rejected by another."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workbench.services.database import Database
from workbench.domain.actor import Actor
from workbench.domain.age import age_at_month_end
from workbench.domain.errors import InvalidInput, NotFound, PermissionDenied
from workbench.domain.idnumber import mask_id_number
from workbench.domain.month import Month
from workbench.domain.vocabulary import APPROVED, ENDED, PENDING, REJECTED
from workbench.services.opening import record_opening
from workbench.services.accounts import record_unmasking, require, shows_full_numbers
from workbench.store.ledger import active_policy
from workbench.services.scope import check_person, township_condition
from workbench.store.models import Enrollment, Person, Township, Village
from workbench.store.uow import now


@dataclass(frozen=True)
class Application:
    """One application (an enrollment) as the approvals screen lists it."""

    enrollment_id: int
    person_id: int
    id_number: str  # as the role may see it
    name: str
    township: str
    village: str
    item_code: str
    item_name: str
    start_month: Month
    entered_by: str
    entered_at: datetime
    state: str = PENDING
    decided_by: str = ""
    end_month: Month | None = None

    @property
    def shown_state(self) -> str:
        """待审批, 已批准, 已驳回, or 已终止 for an approved enrollment with an end month."""
        return ENDED if self.state == APPROVED and self.end_month is not None else self.state


def apply_for_item(db: Database, actor: Actor, person_id: int, item_code: str, start_month: Month) -> int:
    """Record an application for an item from `start_month`; returns the enrollment's id."""
    require(actor, "edit_roster")
    with db.unit_of_work(actor, write=True) as uow:
        session = uow.session
        policy = active_policy(uow)
        item = next((item for item in policy.items if item.code == item_code), None)
        if item is None:
            raise InvalidInput(f"政策中没有项目「{item_code}」")
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("没有这个人员")
        check_person(session, actor, person)
        if person.death_date and Month.of(person.death_date) < start_month:
            raise InvalidInput(f"{person.name} 已于 {person.death_date.isoformat()} 去世, 不能从 {start_month} 起申请")
        age = age_at_month_end(person.birth_date, start_month)
        if age < item.min_age:
            raise InvalidInput(f"「{item.name}」要求年满 {item.min_age} 周岁; {person.name} 在 {start_month} 为 {age} 周岁")
        open_ones = session.scalars(
            select(Enrollment).where(Enrollment.person_id == person_id, Enrollment.item_code == item_code,
                                     Enrollment.state != REJECTED)
        ).all()
        for held in open_ones:
            if held.end_month is None or held.end_month >= start_month:
                raise InvalidInput(f"{person.name} 已有「{item.name}」({held.state}, 自 {held.start_month} 起), 不能重复申请")
        enrollment = Enrollment(person_id=person_id, item_code=item_code, start_month=start_month, state=PENDING)
        session.add(enrollment)
        session.flush()
        uow.audit("申请享受项目", "enrollment", enrollment.id,
                  {"人员ID": person_id, "项目": item.name, "起始月份": start_month})
        uow.commit()
        return enrollment.id


def pending_applications(db: Database, actor: Actor) -> list[Application]:
    return list_applications(db, actor, PENDING)


def list_applications(db: Database, actor: Actor, state: str | None = PENDING) -> list[Application]:
    """Applications in one state (待审批, 已批准, 已驳回, 已终止; None: all), the oldest first, so that a
    decided one can be found and its 审批表 printed again."""
    require(actor, "read")
    full = shows_full_numbers(db, actor)
    with db.unit_of_work(actor) as uow:
        names = {item.code: item.name for item in active_policy(uow).items}
        conditions = {None: [], ENDED: [Enrollment.state == APPROVED, Enrollment.end_month.is_not(None)],
                      APPROVED: [Enrollment.state == APPROVED, Enrollment.end_month.is_(None)]}.get(
            state, [Enrollment.state == state])
        if not actor.county_wide:
            conditions.append(township_condition(actor))
        rows = uow.session.execute(
            select(Enrollment.id, Person.id, Person.id_number, Person.name, Township.name, Village.name,
                   Enrollment.item_code, Enrollment.start_month, Enrollment.created_by, Enrollment.created_at,
                   Enrollment.state, Enrollment.approved_by, Enrollment.end_month)
            .join(Person, Enrollment.person_id == Person.id)
            .join(Village, Person.village_id == Village.id)
            .join(Township, Village.township_id == Township.id)
            .where(*conditions)
            .order_by(Enrollment.created_at, Enrollment.id)
        ).all()
    if full:
        record_unmasking(db, actor, f"{state or '全部'}申请", len(rows))
    return [
        Application(enrollment_id, person_id, number if full else mask_id_number(number), name, township, village,
                    code, names.get(code, code), start, entered_by, entered_at, decided_state, decided_by or "", end)
        for (enrollment_id, person_id, number, name, township, village, code, start, entered_by, entered_at,
             decided_state, decided_by, end) in rows
    ]


def decide_application(db: Database, actor: Actor, enrollment_id: int, *, approve: bool, note: str = "") -> str:
    """Approve or reject an application; never the applicant's own. Returns a one-line summary."""
    require(actor, "approve")
    if not approve and not note.strip():
        raise InvalidInput("驳回申请须填写理由")
    with db.unit_of_work(actor, write=True) as uow:
        enrollment = uow.session.get(Enrollment, enrollment_id)
        if enrollment is None:
            raise NotFound("没有这条申请")
        if enrollment.state != PENDING:
            raise InvalidInput(f"这条申请已{enrollment.state}, 不能再次审批")
        if enrollment.created_by == actor.name:
            raise PermissionDenied(f"不能审批自己录入的申请: 录入人为「{actor.name}」, 须由其他用户审批")
        person = check_person(uow.session, actor, uow.session.get(Person, enrollment.person_id))
        enrollment.state = APPROVED if approve else REJECTED
        enrollment.approved_by, enrollment.approved_at = actor.name, now()
        uow.audit("审批申请" if approve else "驳回申请", "enrollment", enrollment.id,
                  {"人员ID": person.id, "项目": enrollment.item_code, "起始月份": enrollment.start_month,
                   "结果": enrollment.state, "理由": note.strip()})
        item = item_name(uow, enrollment.item_code)
        summary = f"{person.name} 的「{item}」申请{enrollment.state}"
        if approve:
            uow.mark_changed((person.id,))
            uow.session.flush()
            if enrollment.paid_through is not None:
                record_opening(uow, (person.id,))  # what an earlier system paid, valued now
            summary += monthly_amount_text(uow, person.id, enrollment.item_code, enrollment.start_month)
        uow.commit()
        return summary


def item_name(uow, code: str) -> str:
    return next((item.name for item in active_policy(uow).items if item.code == code), code)


def monthly_amount_text(uow, person_id: int, code: str, start: Month) -> str:
    """What the person is owed for the item in its first month, as the ledger engine computes it."""
    from workbench.store.ledger import load_entitlement, load_people

    people = load_people(uow, only={person_id})
    owed = load_entitlement(uow).month(people[person_id], start).get(code) if person_id in people else None
    if owed is None or owed.missing:
        return f", 自 {start} 起享受" + (f" (缺少标准「{owed.missing}」, 录入后计算)" if owed and owed.missing else "")
    return f", 自 {start} 起每月 {owed.amount} 元 ({owed.reason})"


def item_code_of(uow, item: str) -> str:
    """An item named by its name (高龄补贴), an alias or its code."""
    policy = active_policy(uow)
    code = policy.item_codes_by_name().get(item)
    if code is None:
        raise InvalidInput(f"政策中没有项目「{item}」; 有: {'、'.join(known.name for known in policy.items)}")
    return code


def apply_by_id_number(db: Database, actor: Actor, id_number: str, item: str, start_month: Month) -> str:
    """`enroll apply`: an application for the person with this ID number."""
    from workbench.services.people import find_person

    with db.unit_of_work(actor) as uow:
        person = find_person(uow, id_number)
        person_id, name, code = person.id, person.name, item_code_of(uow, item)
        item_label = item_name(uow, code)
    apply_for_item(db, actor, person_id, code, start_month)
    return f"已登记 {name} 的「{item_label}」申请, 自 {start_month} 起, 待其他用户审批"


def decide_by_id_number(db: Database, actor: Actor, id_number: str, item: str, *, approve: bool, note: str = "") -> str:
    """`enroll approve` / `enroll reject`: the person's application for the item waiting for a decision."""
    from workbench.services.people import find_person

    require(actor, "approve")
    with db.unit_of_work(actor) as uow:
        person = find_person(uow, id_number)
        code = item_code_of(uow, item)
        waiting = uow.session.scalars(select(Enrollment.id).where(
            Enrollment.person_id == person.id, Enrollment.item_code == code, Enrollment.state == PENDING)).all()
        if not waiting:
            raise NotFound(f"{person.name} 没有待审批的「{item_name(uow, code)}」申请")
    return decide_application(db, actor, waiting[0], approve=approve, note=note)


def end_enrollment(db: Database, actor: Actor, id_number: str, item: str, last_month: Month) -> str:
    """`enroll end`: the person's approved enrollment in the item ends after `last_month` (paid up to
    and including it). A month already paid after it is recovered by the next run."""
    from workbench.services.people import find_person

    require(actor, "edit_roster")
    with db.unit_of_work(actor, write=True) as uow:
        person = find_person(uow, id_number)
        code = item_code_of(uow, item)
        label = item_name(uow, code)
        held = uow.session.scalars(select(Enrollment).where(
            Enrollment.person_id == person.id, Enrollment.item_code == code, Enrollment.state == APPROVED)
            .order_by(Enrollment.start_month.desc())).first()
        if held is None:
            raise NotFound(f"{person.name} 没有已批准的「{label}」")
        if last_month < held.start_month:
            raise InvalidInput(f"{person.name} 的「{label}」自 {held.start_month} 起享受, 不能在 {last_month} 之后终止; "
                               "从未享受的申请请驳回")
        if held.end_month is not None and held.end_month <= last_month:
            raise InvalidInput(f"{person.name} 的「{label}」已于 {held.end_month} 之后终止")
        before = held.end_month
        held.end_month = last_month
        uow.audit("终止享受项目", "enrollment", held.id, {"人员ID": person.id, "项目": code, "享受至": last_month,
                                                     "原截止": before})
        uow.mark_changed((person.id,))
        uow.commit()
        return f"{person.name} 的「{label}」享受至 {last_month}, 此后停发"
