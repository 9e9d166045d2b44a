"""Printed documents: 汇总表, 发放花名册 per township, and approval sheets (审批表)."""
from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from operator import itemgetter
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from workbench.services.database import Database
from workbench.documents.output import written
from workbench.documents.pdf import (PublicityRow, RosterRow, SummaryRow, write_approval_sheets, write_publicity,
                                     write_roster, write_summary)
from workbench.domain.actor import Actor
from workbench.domain.age import age_on
from workbench.domain.entitlement import EnrollmentSpan
from workbench.domain.errors import InvalidInput, NotFound, PermissionDenied
from workbench.domain.idnumber import mask_account, mask_id_number
from workbench.domain.money import ZERO
from workbench.domain.month import Month
from workbench.domain.roles import may
from workbench.domain.vocabulary import REJECTED
from workbench.services.accounts import record_unmasking, require, shows_full_numbers
from workbench.domain.ledger import settle, window_start
from workbench.domain.ledger import BACK_PAY, CURRENT, DEDUCTION, RECOVERY
from workbench.store.ledger import (active_policy, existing_batch, load_entitlement, load_people, next_run_month,
                                    paid_in_window)
from workbench.services.people import person_by
from workbench.services.scope import require_county, require_township
from workbench.store.bulk import bulk_select
from workbench.memory import paused_garbage_collection
from workbench.store.settings import read_setting, write_setting
from workbench.store.models import BankAccount, Enrollment, LedgerLine, Person, Township, Village, current_accounts

APPROVAL_TITLES = {
    "age_bracket": "高龄补贴申请审批表",
    "dispersed_support": "特困人员救助供养审批表 (分散供养)",
}
CARE_TITLE = "经济困难老年人护理补贴申请审批表"


def _batch_lines(uow, batch_id: int, township: str | None = None, townships: tuple[str, ...] = ()):
    """The batch's lines with their person and place, in township, village, person, item and period order."""
    query = (
        select(Township.name, Village.name, Person.id, Person.name, Person.sex, Person.id_number, Person.birth_date,
               LedgerLine.item_code, LedgerLine.period, LedgerLine.amount, LedgerLine.kind, Person.death_date,
               Person.moved_out_date)
        .join(Person, LedgerLine.person_id == Person.id)
        .join(Village, Person.village_id == Village.id)
        .join(Township, Village.township_id == Township.id)
        .where(LedgerLine.batch_id == batch_id)
        .order_by(Township.name, Village.name, Person.id, LedgerLine.item_code, LedgerLine.period)
    )
    if township:
        query = query.where(Township.name == township)
    elif townships:
        query = query.where(Township.name.in_(townships))
    return bulk_select(uow.session, query)


def print_summary(db: Database, actor: Actor, month: Month, out: Path) -> Path:
    """汇总表: a township a row and an item a column group (人数, 金额), 合计 with people counted once
    and person-times, the total in capitals; amounts are what the bank pays (recoveries apart)."""
    require(actor, "read")
    require_county(actor, "打印全县的汇总表")
    with db.unit_of_work(actor) as uow:
        batch, names = existing_batch(uow, month)
        order = [item.code for item in active_policy(uow).items]
        paid: dict[tuple[str, str], set[int]] = defaultdict(set)  # (township, item) -> people paid
        amounts: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        towns: set[str] = set()
        recovered, recoveries = ZERO, 0
        for town, _village, person_id, *_person, code, _period, amount, kind, _died, _left in _batch_lines(uow, batch.id):
            towns.add(town)
            if kind == RECOVERY:
                recovered += amount
                recoveries += 1
                continue
            amounts[(town, code)] += amount  # what the bank pays: payments, less 抵扣
            if amount > 0:
                paid[(town, code)].add(person_id)
        state = batch.state
    codes = [code for code in order if any(key[1] == code for key in amounts)] + sorted(
        {code for _, code in amounts} - set(order))

    def row(label: str, places: set[str]) -> SummaryRow:
        people = [set().union(*(paid[(town, code)] for town in places)) for code in codes]
        return SummaryRow(label, tuple((len(who), sum((amounts[(town, code)] for town in places), ZERO))
                                       for who, code in zip(people, codes)),
                          len(set().union(*people)) if people else 0, sum(len(who) for who in people),
                          sum((amounts[key] for key in amounts if key[0] in places), ZERO))

    rows = [row(town, {town}) for town in sorted(towns)]
    note = f"另追回 {-recovered:,.2f} 元 ({recoveries} 笔), 不计入实发金额。" if recoveries else ""
    with written(out, database=db.files) as path:
        write_summary(path, f"{month} 老年人补贴发放汇总表", f"批次状态: {state}    单位: 人、元",
                      [names.get(code, code) for code in codes], rows, row("合计", towns), note)
    return out


@paused_garbage_collection()
def print_roster(db: Database, actor: Actor, month: Month, out: Path, *, township: str | None = None,
                 full_numbers: bool = False) -> int:
    """发放花名册 per township; ID and account numbers masked (公示) unless asked for by a role that may see them."""
    require(actor, "read")
    if full_numbers and not may(actor.role, "see_full_numbers"):
        raise PermissionDenied(f"角色「{actor.role}」不能打印完整的身份证号和账号")
    if township is not None:
        require_township(actor, township)
    with db.unit_of_work(actor, write=full_numbers) as uow:
        batch, names = existing_batch(uow, month)
        lines = _batch_lines(uow, batch.id, township, actor.townships)  # a township user: their townships
        if township and not lines:
            raise NotFound(f"{month} 的批次中没有「{township}」的人员")
        accounts = {person_id: account.account_no for person_id, account in current_accounts(uow.session).items()}
        if full_numbers:
            uow.audit("打印完整号码", "batch", str(month), {"文件": out.name, "乡镇": township or "全部"})
            uow.commit()
    sections = roster_sections(lines, month, names, full_numbers, accounts)
    with written(out, database=db.files) as path:
        return write_roster(path, f"{month} 老年人补贴发放花名册", sorted(sections.items()))


PUBLICITY_PHONE = "publicity.phone"  # setting: the bureau's 监督电话 printed on every 公示名单


def print_publicity(db: Database, actor: Actor, month: Month, out: Path, *, township: str | None = None) -> int:
    """公示名单 per village: the people paid in `month`, their items, monthly amounts and what is paid,
    for posting in the village (村务公开); no ID or account number. Returns the number of pages."""
    require(actor, "read")
    if township is not None:
        require_township(actor, township)
    with db.unit_of_work(actor) as uow:
        batch, names = existing_batch(uow, month)
        lines = _batch_lines(uow, batch.id, township, actor.townships)
        if township and not lines:
            raise NotFound(f"{month} 的批次中没有「{township}」的人员")
        phone = read_setting(uow, PUBLICITY_PHONE)
    villages: dict[tuple[str, str], list[PublicityRow]] = defaultdict(list)
    for town, rows in roster_sections(lines, month, names, False, {}).items():
        for row in rows:
            if row.paid <= 0:
                continue  # the list says who is paid this month
            note = f"含补发 {row.back_pay.split(' ')[0]}" if row.back_pay else ""
            villages[(town, row.village)].append(
                PublicityRow(row.name, row.sex, row.village, row.item, row.standard, row.paid, note, row.person))
    sections = [(town, village, rows) for (town, village), rows in sorted(villages.items())]
    period = f"公示期: 自{BLANK_DATE}起至{BLANK_DATE}止 (不少于7天)。对名单有异议的, 可在公示期内向村(居)委会、乡(镇)人民政府或县民政局反映。"
    contact = f"监督电话: {phone}" if phone else f"监督电话: {'_' * 16}"
    with written(out, database=db.files) as path:
        return write_publicity(path, f"{month} 老年人补贴发放公示名单", sections, period, contact)


BLANK_DATE = "\u00a0" * 4 + "年" + "\u00a0" * 3 + "月" + "\u00a0" * 3 + "日"


def set_publicity_phone(db: Database, actor: Actor, phone: str) -> str:
    """The 监督电话 printed on the 公示名单 (管理员)."""
    from workbench.domain.text import clean_phone

    require(actor, "set_standard")
    try:
        phone = clean_phone(phone, 40)
    except ValueError as problem:
        raise InvalidInput(f"监督电话: {problem}") from None
    with db.unit_of_work(actor, write=True) as uow:
        write_setting(uow, PUBLICITY_PHONE, phone)
        uow.audit("设置监督电话", "setting", PUBLICITY_PHONE, {"电话": phone})
        uow.commit()
    return f"公示名单的监督电话已设为「{phone}」" if phone else "公示名单的监督电话已清空"


def publicity_phone(db: Database, actor: Actor) -> str:
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        return read_setting(uow, PUBLICITY_PHONE)


def _span(periods: list[Month]) -> str:
    return str(periods[0]) if len(periods) == 1 else f"{periods[0]}至{periods[-1]}"


def roster_sections(lines, month: Month, names: dict[str, str], full_numbers: bool,
                    accounts: dict[int, str]) -> dict[str, list[RosterRow]]:
    """The batch's lines (ordered by township, village, person, item, period) as one row per person
    and item: the month's amount, the back pay with its periods, 抵扣, and what is paid; 追回 apart.
    `accounts`: each person's account number in use (none for a list that shows no account)."""
    sections: dict[str, list[RosterRow]] = defaultdict(list)
    end_of_month = month.last_day()
    for (town, _village, person_id, code), group in groupby(lines, key=itemgetter(0, 1, 2, 7)):
        this_month = back_total = deducted = recovered_total = ZERO
        back, recovered = [], []  # the periods of the back pay and of the recoveries
        last_current = last_back = None  # the amounts of the last month's and the last back pay line
        for line in group:  # one pass over the person's lines of the item
            period, amount, kind = line[8], line[9], line[10]
            if kind == CURRENT:
                last_current = amount
                if period == month:
                    this_month += amount
            elif kind == BACK_PAY:
                back.append(period)
                back_total += amount
                last_back = amount
            elif kind == RECOVERY:
                recovered.append(period)
                recovered_total += amount
            elif kind == DEDUCTION:
                deducted += amount
        _town, village, _pid, name, sex, number, birth, *_line, died, left = line  # the person's, on every line
        standard = last_current if last_current is not None else last_back
        notes = []
        if deducted:
            notes.append(f"抵扣 {-deducted:,.2f}")
        if recovered:
            notes.append(f"追回 {_span(recovered)} {-recovered_total:,.2f} (不计入实发)")
        if died:
            notes.append(f"{died.isoformat()} 去世")
        elif left:
            notes.append(f"{left.isoformat()} 迁出")
        at = min(end_of_month, died) if died else end_of_month  # never an age past death
        account = accounts.get(person_id, "")
        sections[town].append(RosterRow(
            name, sex, number if full_numbers else mask_id_number(number), age_on(birth, at), village,
            names.get(code, code), standard, this_month,
            f"{_span(back)} {back_total:,.2f}" if back else "",
            this_month + back_total + deducted,
            account if full_numbers else mask_account(account), "; ".join(notes),
            recovered_total, person_id))
    return sections


def approval_sheet(uow, entitlement, person: Person, code: str, start: Month, record, month: Month, today: date,
                   full: bool = True):
    """(title, applicant fields, payment fields) of one person's enrollment in one item; the ID and
    account numbers masked unless `full`."""
    item = entitlement.items[code]
    place = uow.session.execute(select(Township.name, Village.name).join(Village, Village.township_id == Township.id)
                                .where(Village.id == person.village_id)).one()
    bank = uow.session.execute(select(BankAccount.bank_name, BankAccount.account_no, BankAccount.holder,
                                      BankAccount.holder_id_number, BankAccount.holder_relation)
                               .where(BankAccount.person_id == person.id).order_by(BankAccount.id.desc()).limit(1)).first()
    if not any(span.item_code == code for span in record.enrollments):
        # An application not yet approved: the sheet shows what approving it would pay.
        record = record._replace(enrollments=(*record.enrollments, EnrollmentSpan(code, start)))
    history = record.history
    now_owed = entitlement.month(record, month).get(code)
    # The back pay is what the next run writes for this person (the ledger engine over what was
    # already paid, by us or an earlier system), not a second calculation.
    back_pay = entitlement.policy.back_pay_months
    paid = paid_in_window(uow, window_start(month, back_pay), {person.id}).get(person.id, {})
    lines, _missing = settle(entitlement, record, month, back_pay, paid)
    back = [(line.period, line.amount) for line in lines if line.item_code == code and line.kind == BACK_PAY]
    back_total = sum((amount for _, amount in back), ZERO)
    value = lambda kind: history.value(kind, month) or "无"  # noqa: E731
    fields = [
        ("姓名", person.name), ("性别", person.sex), ("出生日期", person.birth_date.isoformat()),
        ("身份证号", person.id_number if full else mask_id_number(person.id_number)), ("户籍性质", value("hukou")), ("年龄", f"{age_on(person.birth_date, today)} 周岁"),
        ("住址", f"{place[0]}{place[1]}"), ("联系电话", person.phone or ""),
        ("开户银行", bank[0] if bank else ""),
        ("银行账号", (bank[1] if full else mask_account(bank[1])) if bank else ""),
        *([("收款人", f"{bank[2]} ({bank[4]})"),
           ("收款人身份证号", bank[3] if full else mask_id_number(bank[3]))] if bank and bank[3] else []),
        ("低保", value("dibao")), ("低保边缘", value("dibao_edge")), ("特困供养", value("tekun")),
        ("自理能力", value("self_care")), ("能力评估", value("ability")),
        ("残疾", f"{history.value('disability_kind', month)} {history.value('disability_grade', month)}"
                 if history.value("disability_kind", month) else "无"),
    ]
    amount = f"{now_owed.amount:.2f} 元" if now_owed else "—"
    if now_owed and now_owed.missing:
        amount = f"缺少标准「{now_owed.missing}」, 录入后计算"
    payment = [
        ("申请项目", item.name), ("起始月份", str(start)), ("月发放金额", amount), ("计算依据", now_owed.reason if now_owed else ""),
        ("补发期间", (f"{back[0][0]} 至 {back[-1][0]}" if len(back) > 1 else str(back[0][0])) if back else "无"),
        ("补发金额", f"{back_total:.2f} 元 (最多补发 {entitlement.policy.back_pay_months} 个月)"),
    ]
    title = APPROVAL_TITLES.get(item.rule) or (CARE_TITLE if "生活不能自理" in item.requires else f"{item.name}申请审批表")
    return title, fields, payment


def print_approval(db: Database, actor: Actor, who: str | int, item_name: str, out: Path, *, today: date | None = None) -> Path:
    """The approval sheet of one person's enrollment in one item, with what it pays and the back pay."""
    require(actor, "read")
    today = today or date.today()
    with db.unit_of_work(actor) as uow:
        person = person_by(uow, who)  # an ID number, or a person id from a screen
        entitlement = load_entitlement(uow)
        code = entitlement.policy.item_codes_by_name().get(item_name)
        if code is None:
            raise InvalidInput(f"没有名为「{item_name}」的项目")
        start = uow.session.scalar(select(Enrollment.start_month).where(Enrollment.person_id == person.id, Enrollment.item_code == code)
                                   .order_by(Enrollment.start_month.desc()).limit(1))
        if start is None:
            raise NotFound(f"{person.name} 没有享受「{entitlement.items[code].name}」的登记")
        record = load_people(uow, only={person.id})[person.id]
        full = shows_full_numbers(db, actor)  # a 经办's sheet masks them
        sheet = approval_sheet(uow, entitlement, person, code, start, record, next_run_month(uow, today), today, full)
    with written(out, database=db.files) as path:
        write_approval_sheets(path, [sheet])
    if full:
        record_unmasking(db, actor, f"审批表 {out.name}", 1)
    return out


def print_month_approvals(db: Database, actor: Actor, month: Month, out: Path, *, today: date | None = None) -> int:
    """Every enrollment starting in `month`, one sheet a page, in one PDF; returns the number of sheets."""
    require(actor, "read")
    today = today or date.today()
    with db.unit_of_work(actor) as uow:
        entitlement = load_entitlement(uow)
        starting = uow.session.execute(
            select(Person, Enrollment.item_code, Enrollment.start_month)
            .join(Enrollment, Enrollment.person_id == Person.id)
            .where(Enrollment.start_month == month, Enrollment.state != REJECTED)
            .order_by(Person.village_id, Person.id, Enrollment.item_code)
        ).all()
        if not starting:
            raise NotFound(f"没有从 {month} 起享受的登记")
        records = load_people(uow, only={person.id for person, _, _ in starting})
        run_month = max(month, next_run_month(uow, today))
        full = shows_full_numbers(db, actor)
        sheets = [approval_sheet(uow, entitlement, person, code, start, records[person.id], run_month, today, full)
                  for person, code, start in starting]
    with written(out, database=db.files) as path:
        write_approval_sheets(path, sheets)
    if full:
        record_unmasking(db, actor, f"{month} 审批表 {out.name}", len(sheets))
    return len(sheets)


def print_notices(db: Database, actor: Actor, out: Path, *, township: str | None = None, today: date | None = None) -> int:
    """待办提醒通知单: per township, the people who qualify but have not applied (ID numbers masked:
    the list goes to township offices). Returns how many people it names."""
    from workbench.documents.pdf import NoticeRow, write_notices
    from workbench.services.checks import NOT_ENROLLED, notices_by_township, upcoming
    from workbench.services.roster_views import township_names

    today = today or date.today()
    if township is not None and township not in township_names(db, actor):
        raise NotFound(f"没有乡镇「{township}」")
    sections = notices_by_township(upcoming(db, actor, today=today, masked=True))
    if township is not None:
        sections = [(town, rows) for town, rows in sections if town == township]
    rows = [(town, [NoticeRow(finding.name, finding.id_number, finding.village, finding.item, str(finding.month),
                              finding.reason.removeprefix(NOT_ENROLLED)) for finding in findings])
            for town, findings in sections]
    with written(out, database=db.files) as path:
        write_notices(path, f"待办提醒通知单 ({today.isoformat()})",
                      "以下人员经系统比对符合补贴条件但尚未申请。请乡镇民政办告知本人或家属, 协助其提交申请材料; "
                      "自起始月份起享受, 逾期申请的按规定补发。", rows)
    return sum(len(findings) for _, findings in rows)
