"""Monthly statistics (统计报表): by township and item, by age bracket, against last month, year to date."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from workbench.services.database import Database
from workbench.documents.output import written
from workbench.documents.report_workbook import write_report
from workbench.domain.actor import Actor
from workbench.domain.age import age_at_month_end
from workbench.domain.ledger import CURRENT, RECOVERY
from workbench.domain.money import ZERO
from workbench.domain.month import Month
from workbench.services.accounts import require
from workbench.store.ledger import PAYMENT, existing_batch
from workbench.services.scope import require_county
from workbench.store.bulk import bulk_select
from workbench.store.models import Batch, LedgerLine, Person, Township, Village

AGE_BANDS = ((60, 79, "60-79岁"), (80, 89, "80-89岁"), (90, 99, "90-99岁"), (100, 200, "100岁及以上"))


@dataclass
class Tally:
    """People paid, what they were paid (net of 抵扣, as the bank lists), and what is to be recovered."""

    people: set
    paid: Decimal = ZERO
    recovered: Decimal = ZERO

    def add(self, person_id: int, amount: Decimal, kind: str) -> None:
        if kind == RECOVERY:
            self.recovered += amount
            return
        if amount > 0:
            self.people.add(person_id)
        self.paid += amount


def _tally() -> Tally:
    return Tally(set())


@dataclass(frozen=True)
class ChangeRow:
    """增减变动 of one township and item: people paid last month and this month (for the month itself,
    the 当月 line), those added and those stopped."""

    township: str
    item: str
    before: int
    added: int
    stopped: int
    now: int


@dataclass(frozen=True)
class ChangedPerson:
    township: str
    category: str  # 新增 / 停发
    name: str
    id_number: str  # masked: the report goes to the city
    item: str
    reason: str


@dataclass
class ReportFigures:
    """A month's figures: by township and item, by age band, and each month of its year by item."""

    month: Month
    state: str
    by_town_item: dict[tuple[str, str], Tally]
    by_age: dict[str, Tally]
    per_month: dict[Month, dict[str, tuple[int, Decimal]]]  # the months of the year up to `month`
    last_month: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # the month before, in any year (环比)
    changes: list[ChangeRow] = field(default_factory=list)  # 增减变动, per township and item
    changed: list[ChangedPerson] = field(default_factory=list)  # 增减明细: who came and who stopped, and why

    def by_township(self) -> dict[str, tuple[int, Decimal]]:
        """People paid and amount paid per township."""
        people: dict[str, set] = defaultdict(set)
        paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for (town, _item), tally in self.by_town_item.items():
            people[town] |= tally.people
            paid[town] += tally.paid
        return {town: (len(people[town]), paid[town]) for town in sorted(people)}

    def monthly_totals(self) -> list[tuple[Month, Decimal]]:
        """Every month of the year, January to December: the amount paid (zero where nothing was)."""
        return [(month, sum((amount for _people, amount in self.per_month.get(month, {}).values()), ZERO))
                for month in Month(self.month.year, 1).until(Month(self.month.year, 12))]


def report_figures(db: Database, actor: Actor, month: Month) -> ReportFigures:
    require(actor, "read")
    require_county(actor, "查看全县的统计报表")
    with db.unit_of_work(actor) as uow:
        batch, names = existing_batch(uow, month)
        lines = bulk_select(uow.session, (
            select(LedgerLine.person_id, LedgerLine.item_code, LedgerLine.amount, LedgerLine.kind, Person.birth_date,
                   Township.name)
            .join(Person, LedgerLine.person_id == Person.id)
            .join(Village, Person.village_id == Village.id)
            .join(Township, Village.township_id == Township.id)
            .where(LedgerLine.batch_id == batch.id)
        ))
        by_town_item: dict[tuple[str, str], Tally] = defaultdict(_tally)
        by_age: dict[str, Tally] = defaultdict(_tally)
        for person_id, code, amount, kind, birth, town in lines:
            by_town_item[(town, names.get(code, code))].add(person_id, amount, kind)
            age = age_at_month_end(birth, month)
            band = next((label for low, high, label in AGE_BANDS if low <= age <= high), "60岁以下")
            by_age[band].add(person_id, amount, kind)
        year = uow.session.execute(
            select(Batch.month, LedgerLine.item_code, func.count(func.distinct(LedgerLine.person_id)), func.sum(LedgerLine.amount))
            .join(Batch, LedgerLine.batch_id == Batch.id)
            .where(Batch.month >= min(Month(month.year, 1), month - 1), Batch.month <= month, PAYMENT)
            .group_by(Batch.month, LedgerLine.item_code)
        ).all()
        state = batch.state
    per_month: dict[Month, dict[str, tuple[int, Decimal]]] = defaultdict(dict)
    for batch_month, code, people, amount in year:
        per_month[batch_month][names.get(code, code)] = (people, amount)
    last_month = per_month.pop(month - 1, {}) if month.month == 1 else per_month.get(month - 1, {})
    changes, changed = _changes(db, actor, month, names)
    return ReportFigures(month, state, by_town_item, by_age, dict(per_month), last_month, changes, changed)


def _changes(db: Database, actor: Actor, month: Month, names: dict[str, str]) -> tuple[list[ChangeRow], list[ChangedPerson]]:
    """The month's 新增 and 停发 (the reviewer's lists, from the ledger) per township and item, with the
    people paid the month before and this month."""
    from workbench.services.payout import diff_month

    with db.unit_of_work(actor) as uow:
        counts: dict[tuple[str, str, Month], int] = {}
        for batch_month, town, code, people in uow.session.execute(
            select(Batch.month, Township.name, LedgerLine.item_code, func.count(func.distinct(LedgerLine.person_id)))
            .join(Batch, LedgerLine.batch_id == Batch.id)
            .join(Person, LedgerLine.person_id == Person.id)
            .join(Village, Person.village_id == Village.id)
            .join(Township, Village.township_id == Township.id)
            .where(Batch.month.in_([month - 1, month]), LedgerLine.kind == CURRENT, LedgerLine.period == Batch.month)
            .group_by(Batch.month, Township.name, LedgerLine.item_code)
        ):
            counts[(town, names.get(code, code), batch_month)] = people
    changed = [ChangedPerson(line.township, line.category, line.name, line.id_number, line.item, line.reason)
               for line in diff_month(db, actor, month, masked=True) if line.category in ("新增", "停发")]
    added: dict[tuple[str, str], int] = defaultdict(int)
    stopped: dict[tuple[str, str], int] = defaultdict(int)
    for person in changed:
        (added if person.category == "新增" else stopped)[(person.township, person.item)] += 1
    keys = sorted({(town, item) for town, item, _ in counts} | set(added) | set(stopped))
    rows = [ChangeRow(town, item, counts.get((town, item, month - 1), 0), added[(town, item)], stopped[(town, item)],
                      counts.get((town, item, month), 0)) for town, item in keys]
    changed.sort(key=lambda person: (person.township, person.category != "新增", person.item, person.id_number))
    return rows, changed


def monthly_report(db: Database, actor: Actor, month: Month, out: Path) -> Path:
    figures = report_figures(db, actor, month)
    with written(out, database=db.files) as path:
        write_report(path, month, figures.state, figures.by_town_item, figures.by_age, figures.per_month, figures.last_month,
                     figures.changes, figures.changed)
    return out


def print_changes(db: Database, actor: Actor, month: Month, out: Path) -> int:
    """增减变动表 as a PDF, the same figures as the report workbook's sheets. Returns the pages."""
    from workbench.documents.pdf import write_changes

    figures = report_figures(db, actor, month)
    rows = [(row.township, row.item, row.before, row.added, row.stopped, row.now) for row in figures.changes]
    people = [(person.township, person.category, person.name, person.id_number, person.item, person.reason)
              for person in figures.changed]
    with written(out, database=db.files) as path:
        return write_changes(path, f"{month} 老年人补贴增减变动表", f"批次状态: {figures.state}    与 {month - 1} 相比",
                             rows, people)
