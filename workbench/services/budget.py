"""专项资金: each item's yearly budget (本级财政 and 上级补助 allocations), what approved batches
spent by month, the balance, and a warning when the run rate will not be covered."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select, text

from workbench.services.database import Database
from workbench.domain.actor import Actor
from workbench.domain.errors import InvalidInput
from workbench.domain.ledger import RECOVERY
from workbench.domain.money import ZERO, parse_amount, round_money
from workbench.domain.month import Month
from workbench.services.accounts import require
from workbench.domain.batch import DRAFT
from workbench.store.ledger import active_policy
from workbench.services.recovery import REFUND, WRITE_OFF, cleared_in_year
from workbench.memory import paused_garbage_collection
from workbench.store.models import FAILED_LINE, Batch, BatchTotal, FundAllocation, LedgerLine
from workbench.store.types import Money
from workbench.store.uow import now

SOURCES = ("财政", "上级补助")
COLUMNS = ("项目", "财政", "上级补助", "预算合计", "已支出", "余额", "月均支出", "预计全年", "应追回", "已退回", "已核销", "预警")  # ItemFunds.row()


@dataclass
class ItemFunds:
    code: str
    name: str
    budget_by_source: dict[str, Decimal] = field(default_factory=dict)
    spent_by_month: dict[int, Decimal] = field(default_factory=dict)  # 1–12: paid (当月 and 补发) by batch month
    recovered: Decimal = ZERO  # 追回 recorded in the year's batches (negative)
    refunded: Decimal = ZERO  # 追回 refunded to the fund in the year (退回, by its date)
    written_off: Decimal = ZERO  # 追回 written off in the year (核销, by its date)
    last_month: int = 0  # the year's last approved batch month, 0 if none
    months_run: int = 0  # how many of the year's months have an approved batch

    @property
    def budget(self) -> Decimal:
        return sum(self.budget_by_source.values(), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum(self.spent_by_month.values(), ZERO)

    @property
    def balance(self) -> Decimal:
        """The budget less what was paid, with what was refunded back in the fund."""
        return self.budget - self.spent + self.refunded

    @property
    def monthly_rate(self) -> Decimal:
        return round_money(self.spent / self.months_run) if self.months_run else ZERO

    @property
    def projected(self) -> Decimal:
        """The year's spending if the months left spend at the average of the months paid so far."""
        return self.spent + self.monthly_rate * (12 - self.last_month)

    def row(self) -> list:
        """The item as a line of the 专项资金 table (COLUMNS), for the command line and the window."""
        return [self.name, self.budget_by_source.get("财政", "0.00"), self.budget_by_source.get("上级补助", "0.00"),
                self.budget, self.spent, self.balance, self.monthly_rate, self.projected, -self.recovered,
                self.refunded, self.written_off, self.warning or ""]

    @property
    def warning(self) -> str | None:
        if self.budget <= 0:
            return "未录入预算" if self.spent > 0 else None
        if self.balance < 0:
            return f"已超支 {-self.balance} 元"
        if self.projected <= self.budget or not self.monthly_rate:
            return None
        short_from = self.last_month + 1 + int(self.balance // self.monthly_rate)
        return (f"按每月约 {self.monthly_rate} 元的支出, 预计 {short_from} 月资金不足, "
                f"全年缺口约 {self.projected - self.budget} 元")


def add_allocation(db: Database, actor: Actor, year: int, item: str, source: str, amount_text: str, note: str = "") -> ItemFunds:
    """Record an allocation (资金下达) of `amount` to an item's budget for `year`; negative reduces it."""
    require(actor, "set_standard")
    if source not in SOURCES:
        raise InvalidInput(f"资金来源「{source}」不在 {'/'.join(SOURCES)} 之中")
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"年度 {year} 不对")
    try:
        amount = parse_amount(amount_text, allow_negative=True)
    except (ValueError, TypeError) as problem:
        raise InvalidInput(f"金额: {problem}") from None
    if amount == 0:
        raise InvalidInput("金额不能为 0")
    with db.unit_of_work(actor, write=True) as uow:
        codes = active_policy(uow).item_codes_by_name()
        if item not in codes:
            raise InvalidInput(f"没有补贴项目「{item}」")
        code = codes[item]
        uow.session.add(FundAllocation(year=year, item_code=code, source=source, amount=amount, note=note[:100],
                                       recorded_at=now(), recorded_by=actor.name))
        uow.audit("录入专项资金", "fund", f"{year}/{code}", {"来源": source, "金额": amount, "文号": note})
        uow.commit()
    return next(funds for funds in fund_status(db, actor, year) if funds.code == code)


@paused_garbage_collection()
def fund_status(db: Database, actor: Actor, year: int) -> list[ItemFunds]:
    """Every item of the policy (and any other item with an allocation or spending) for `year`."""
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        session = uow.session
        policy = active_policy(uow)
        found = {item.code: ItemFunds(item.code, item.name) for item in policy.items if item.paid}
        for code, source, amount in session.execute(
                select(FundAllocation.item_code, FundAllocation.source, func.sum(FundAllocation.amount, type_=Money))
                .where(FundAllocation.year == year).group_by(FundAllocation.item_code, FundAllocation.source)):
            found.setdefault(code, ItemFunds(code, code)).budget_by_source[source] = amount
        in_year = (select(Batch.id, Batch.month)
                   .where(Batch.state != DRAFT, Batch.month >= Month(year, 1), Batch.month <= Month(year, 12)).subquery())
        spending = select(BatchTotal.item_code, in_year.c.month, BatchTotal.kind, BatchTotal.amount).join(
            in_year, BatchTotal.batch_id == in_year.c.id)
        failed = (select(LedgerLine.item_code, in_year.c.month, LedgerLine.kind, -func.sum(LedgerLine.amount, type_=Money))
                  .join(in_year, LedgerLine.batch_id == in_year.c.id).where(text(FAILED_LINE))
                  .group_by(LedgerLine.item_code, in_year.c.month, LedgerLine.kind))
        by_item: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        for code, month, kind, amount in [*session.execute(spending), *session.execute(failed)]:
            funds = found.setdefault(code, ItemFunds(code, code))
            if kind == RECOVERY:
                funds.recovered += amount
            else:
                by_item[code][month.month] += amount
        months = set(session.scalars(select(in_year.c.month)))
        for (code, method), amount in cleared_in_year(uow, year).items():
            funds = found.setdefault(code, ItemFunds(code, code))
            if method == REFUND:
                funds.refunded += amount
            elif method == WRITE_OFF:
                funds.written_off += amount
    for funds in found.values():
        funds.spent_by_month = dict(sorted(by_item.get(funds.code, {}).items()))
        funds.last_month = max(months).month if months else 0
        funds.months_run = len(months)
    return list(found.values())
