"""Monthly statistics (统计报表): by township and item, by age bracket, against last month, year to date."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from workbench.bootstrap import Database
from workbench.documents.output import written
from workbench.documents.report_workbook import write_report
from workbench.domain.age import age_at_month_end
from workbench.domain.ledger import RECOVERY
from workbench.domain.money import ZERO
from workbench.domain.month import Month
from workbench.services.accounts import require
from workbench.store.ledger import PAYMENT, existing_batch
from workbench.services.scope import require_county
from workbench.store.bulk import bulk_select
from workbench.store.models import Batch, LedgerLine, Person, Township, Village
from workbench.store.uow import Actor

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


@dataclass
class ReportFigures:
    """A month's figures: by township and item, by age band, and each month of its year by item."""

    month: Month
    state: str
    by_town_item: dict[tuple[str, str], Tally]
    by_age: dict[str, Tally]
    per_month: dict[Month, dict[str, tuple[int, Decimal]]]  # the months of the year up to `month`
    last_month: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # the month before, in any year (环比)

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
    return ReportFigures(month, state, by_town_item, by_age, dict(per_month), last_month)


def monthly_report(db: Database, actor: Actor, month: Month, out: Path) -> Path:
    figures = report_figures(db, actor, month)
    with written(out, database=db.files) as path:
        write_report(path, month, figures.state, figures.by_town_item, figures.by_age, figures.per_month, figures.last_month)
    return out
