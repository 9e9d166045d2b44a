"""What the roster screens and the listing read: one person's details, the roster as columns, the listing."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Iterator

from sqlalchemy import select

from workbench.services.database import Database
from workbench.domain.actor import Actor
from workbench.domain.age import age_on
from workbench.domain.errors import InvalidInput, NotFound, PermissionDenied
from workbench.domain.idnumber import mask_account, mask_id_number
from workbench.domain.money import ZERO
from workbench.domain.month import Month
from workbench.domain.vocabulary import APPROVED, NONE_VALUE, REJECTED, STATUS_DEFAULTS, STATUS_KINDS
from workbench.services.accounts import record_unmasking, require, shows_full_numbers
from workbench.store.ledger import active_policy
from workbench.services.scope import persons_in_scope, require_township, township_condition
from workbench.store.bulk import bulk_select
from workbench.services.people import find_person, person_by
from workbench.store.models import BankAccount, Enrollment, Person, StatusFact, Township, Village, current_accounts


@dataclass(frozen=True)
class PersonHead:
    """Who a person is, as every roster view shows them."""

    id_number: str  # as the role may see it
    name: str
    sex: str
    birth_date: date
    age: int
    township: str
    village: str


@dataclass(frozen=True)
class PersonDetail(PersonHead):
    """One person as the person form shows them: fields, status history, items, account."""

    person_id: int
    phone: str
    death_date: date | None
    moved_out_date: date | None
    facts: list[tuple[str, str, Month, str, datetime]]  # header, value, from month, by, at
    enrollments: list[tuple[str, Month, Month | None, str, str]]  # item name, start, end, state, decided by
    bank_name: str
    account: str  # as the role may see it
    version: int
    accounts: list[tuple[str, str, str, datetime, str]] = ()  # every account, newest first: bank, number, payee, when, by
    payee: str = "本人"  # who is paid into the account in use: 本人, or a payee with relation and (masked) ID
    owing: dict[str, Decimal] = field(default_factory=dict)  # item name -> recoveries not yet cleared (追回台账)


def person_detail(db: Database, actor: Actor, person_id: int, *, today: date | None = None) -> PersonDetail:
    require(actor, "read")
    today = today or date.today()
    full = shows_full_numbers(db, actor)
    with db.unit_of_work(actor) as uow:
        session = uow.session
        person = person_by(uow, person_id)
        village = session.get(Village, person.village_id)
        township = session.get(Township, village.township_id)
        names = {item.code: item.name for item in active_policy(uow).items}
        facts = [
            (STATUS_KINDS[kind][0], value, from_month, by, at)
            for kind, value, from_month, by, at in session.execute(
                select(StatusFact.kind, StatusFact.value, StatusFact.from_month, StatusFact.recorded_by,
                       StatusFact.recorded_at).where(StatusFact.person_id == person_id)
                .order_by(StatusFact.from_month, StatusFact.id))
        ]
        enrollments = [
            (names.get(code, code), start, end, state, decided or "")
            for code, start, end, state, decided in session.execute(
                select(Enrollment.item_code, Enrollment.start_month, Enrollment.end_month, Enrollment.state,
                       Enrollment.approved_by).where(Enrollment.person_id == person_id)
                .order_by(Enrollment.start_month, Enrollment.id))
        ]
        accounts = [
            (bank_name, number if full else mask_account(number),
             f"{holder} ({relation}, {holder_number if full else mask_id_number(holder_number)})" if holder_number else "本人",
             at, by)
            for bank_name, number, holder, holder_number, relation, at, by in session.execute(
                select(BankAccount.bank_name, BankAccount.account_no, BankAccount.holder, BankAccount.holder_id_number,
                       BankAccount.holder_relation, BankAccount.recorded_at, BankAccount.recorded_by)
                .where(BankAccount.person_id == person_id).order_by(BankAccount.id.desc()))
        ]
        bank_name, account = accounts[0][:2] if accounts else ("", "")
        from workbench.services.recovery import outstanding_of  # the recovery ledger reads people through this module

        owing: dict[str, Decimal] = {}
        for entry in outstanding_of(uow, person.id):
            owing[entry.item] = owing.get(entry.item, ZERO) + entry.outstanding
        end = person.death_date if person.death_date and person.death_date < today else today
        detail = PersonDetail(
            person.id_number if full else mask_id_number(person.id_number), person.name, person.sex,
            person.birth_date, age_on(person.birth_date, end), township.name, village.name, person.id, person.phone,
            person.death_date, person.moved_out_date, facts, enrollments, bank_name, account, person.version, accounts,
            owing=owing, payee=accounts[0][2] if accounts else "本人",
        )
    if full:
        record_unmasking(db, actor, f"人员 {person_id}", 1)
    return detail


# What the roster screen filters on: a person's standing on the roster today.
ON_ROSTER, DECEASED, MOVED_OUT = "在册", "已故", "已迁出"
TABLE_STATUSES = (ON_ROSTER, DECEASED, MOVED_OUT)


@dataclass
class RosterTable:
    """The whole roster (or one township) as columns, for the screen's table and the listing.

    Column-wise so a county of 200,000 people loads in one pass per table and costs a few lists,
    not an object per person. `search_ids` holds the full ID numbers only for roles that may see
    them; for the others it is None and a search matches a whole ID number only.
    """

    person_ids: list[int]
    id_numbers: list[str]  # as the role may see them
    full_ids: list[str] | None
    names: list[str]
    sexes: list[str]
    birth_dates: list[date]
    death_dates: list[date | None]
    ages: list[int]
    townships: list[str]
    villages: list[str]
    statuses: list[str]  # 在册 / 已故 / 已迁出
    hukou: list[str]
    dibao: list[str]
    tekun: list[str]
    items: list[str]  # approved items, by name, joined with 、
    item_codes: list[frozenset[str]]  # approved and waiting items, by code
    pending: list[int]  # enrollments waiting for approval

    def __len__(self) -> int:
        return len(self.person_ids)

    def extend(self, more: RosterTable) -> None:
        """Append another part of the roster (the next township)."""
        for column in fields(self):
            mine, theirs = getattr(self, column.name), getattr(more, column.name)
            if mine is None or theirs is None:
                setattr(self, column.name, None)
            else:
                mine.extend(theirs)


def _current_statuses(session, month: Month, kinds: tuple[str, ...], persons=None) -> dict[str, dict[int, str]]:
    """For each kind, the value in `month` of each person (or of `persons`, a subquery) that has a fact."""
    latest: dict[tuple[int, str], tuple[Month, int, str]] = {}
    query = (
        select(StatusFact.person_id, StatusFact.kind, StatusFact.from_month, StatusFact.id, StatusFact.value)
        .where(StatusFact.kind.in_(kinds), StatusFact.from_month <= month)
    )
    if persons is not None:
        query = query.where(StatusFact.person_id.in_(persons))
    for person_id, kind, from_month, seq, value in bulk_select(session, query):
        key = (person_id, kind)
        held = latest.get(key)
        if held is None or (from_month, seq) > held[:2]:
            latest[key] = (from_month, seq, value)
    values: dict[str, dict[int, str]] = {kind: {} for kind in kinds}
    for (person_id, kind), (_, _, value) in latest.items():
        values[kind][person_id] = "" if value == NONE_VALUE else value
    return values


def township_names(db: Database, actor: Actor) -> list[str]:
    """The townships on the roster that the user may see."""
    with db.unit_of_work(actor) as uow:
        query = select(Township.name).order_by(Township.name)
        limit = township_condition(actor)
        return list(uow.session.scalars(query if limit is None else query.where(limit)))


WHOLE, FIRST_VILLAGE, AFTER_FIRST_VILLAGE = "whole", "first village", "after first village"  # parts of a township


def roster_table(db: Database, actor: Actor, *, township: str | None = None, today: date | None = None,
                 audited: bool = True, part: str = WHOLE) -> RosterTable:
    """Everyone on the roster (or one township) as columns, ordered by township, village, entry.

    The screen loads a county one township at a time, the first township's first village (by
    name) before the rest of it (`part`), so the first rows show at once; it records the showing
    of full numbers once for the whole load (`audited=False` for the parts).
    """
    require(actor, "read")
    today = today or date.today()
    month = Month.of(today)
    full = shows_full_numbers(db, actor)
    with db.unit_of_work(actor) as uow:
        session = uow.session
        item_names = {item.code: item.name for item in active_policy(uow).items}
        query = (
            select(Person.id, Person.id_number, Person.name, Person.sex, Person.birth_date, Person.death_date,
                   Person.moved_out_date, Township.name, Village.name)
            .join(Village, Person.village_id == Village.id)
            .join(Township, Village.township_id == Township.id)
        )
        persons = None
        if township:
            require_township(actor, township)
            township_id = session.scalar(select(Township.id).where(Township.name == township))
            if township_id is None:
                raise NotFound(f"没有名为「{township}」的乡镇")
            query = query.where(Village.township_id == township_id)
            persons = select(Person.id).join(Village, Person.village_id == Village.id).where(Village.township_id == township_id)
            if part != WHOLE:
                first = session.scalar(select(Village.id).where(Village.township_id == township_id)
                                       .order_by(Village.name).limit(1))
                chosen = Person.village_id == first if part == FIRST_VILLAGE else Person.village_id != first
                query, persons = query.where(chosen), persons.where(chosen)
        elif not actor.county_wide:
            query = query.where(township_condition(actor))
            persons = persons_in_scope(actor)
        people = bulk_select(session, query)
        people.sort(key=lambda row: (row[7], row[8], row[0]))
        statuses = _current_statuses(session, month, ("hukou", "dibao", "tekun"), persons)
        approved: dict[int, list[str]] = {}
        codes: dict[int, set[str]] = {}
        pending: dict[int, int] = {}
        enrollments = select(Enrollment.person_id, Enrollment.item_code, Enrollment.state).where(
            Enrollment.state != REJECTED, (Enrollment.end_month.is_(None)) | (Enrollment.end_month >= month),
        ).order_by(Enrollment.person_id, Enrollment.item_code)
        if persons is not None:
            enrollments = enrollments.where(Enrollment.person_id.in_(persons))
        for person_id, code, state in bulk_select(session, enrollments):
            codes.setdefault(person_id, set()).add(code)
            if state == APPROVED:
                approved.setdefault(person_id, []).append(item_names.get(code, code))
            else:
                pending[person_id] = pending.get(person_id, 0) + 1
    ids = [row[0] for row in people]
    numbers = [row[1] for row in people]
    if full and audited:
        record_unmasking(db, actor, f"花名册{f'({township})' if township else ''}", len(numbers))
    hukou, dibao, tekun = statuses["hukou"], statuses["dibao"], statuses["tekun"]
    item_text = {person_id: "、".join(dict.fromkeys(names)) for person_id, names in approved.items()}
    # One set for everyone with the same items: the cyclic collector looks at each set object, and
    # one per person would be a county's worth on the screen's thread at every full collection.
    alike: dict[frozenset[str], frozenset[str]] = {}
    frozen: dict[int, frozenset[str]] = {}
    for person_id, held in codes.items():
        items = frozenset(held)
        frozen[person_id] = alike.setdefault(items, items)
    no_codes: frozenset[str] = frozenset()
    return RosterTable(
        person_ids=ids,
        id_numbers=numbers if full else [mask_id_number(number) for number in numbers],
        full_ids=list(numbers) if full else None,  # a list of its own: extending both must not extend one twice
        names=[row[2] for row in people],
        sexes=[row[3] for row in people],
        birth_dates=[row[4] for row in people],
        death_dates=[row[5] for row in people],
        ages=[age_on(row[4], row[5] if row[5] and row[5] < today else today) for row in people],
        townships=[row[7] for row in people],
        villages=[row[8] for row in people],
        statuses=[DECEASED if row[5] else MOVED_OUT if row[6] else ON_ROSTER for row in people],
        hukou=[hukou.get(person_id, "") for person_id in ids],
        dibao=[dibao.get(person_id, STATUS_DEFAULTS["dibao"]) for person_id in ids],
        tekun=[tekun.get(person_id, STATUS_DEFAULTS["tekun"]) for person_id in ids],
        items=[item_text.get(person_id, "") for person_id in ids],
        item_codes=[frozen.get(person_id, no_codes) for person_id in ids],
        pending=[pending.get(person_id, 0) for person_id in ids],
    )


@dataclass(frozen=True)
class RosterLine(PersonHead):
    """One person of the roster listing, as a CSV shows it."""

    hukou: str
    dibao: str
    tekun: str
    items: str
    bank_name: str
    account: str
    death_date: date | None


def list_roster(db: Database, actor: Actor, *, township: str | None = None, today: date | None = None) -> Iterator[RosterLine]:
    """Everyone on the roster (optionally one township), numbers masked unless the role may see them."""
    table = roster_table(db, actor, township=township, today=today)
    full = table.full_ids is not None
    with db.unit_of_work(actor) as uow:
        banks = {person_id: (account.bank_name, account.account_no)
                 for person_id, account in current_accounts(uow.session).items()}
    for index, person_id in enumerate(table.person_ids):
        bank_name, account = banks.get(person_id, ("", ""))
        yield RosterLine(
            id_number=table.id_numbers[index],
            name=table.names[index],
            sex=table.sexes[index],
            birth_date=table.birth_dates[index],
            age=table.ages[index],
            township=table.townships[index],
            village=table.villages[index],
            hukou=table.hukou[index],
            dibao=table.dibao[index],
            tekun=table.tekun[index],
            items=table.items[index],
            bank_name=bank_name,
            account=account if full else mask_account(account),
            death_date=table.death_dates[index],
        )


def person_id_of(db: Database, actor: Actor, id_number: str) -> int | None:
    """The person with this whole ID number, or None (for finding someone by their full number)."""
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        try:
            return find_person(uow, id_number).id
        except (InvalidInput, NotFound, PermissionDenied):  # a township user: not in their townships
            return None
