"""The database tables, as SQLAlchemy 2 typed models.

Tables a clerk edits carry a version column (optimistic locking) and who/when columns.
History is kept by appending: status facts, bank accounts and standards are never updated.
"""
from __future__ import annotations

from typing import NamedTuple
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from workbench.domain.month import Month
from workbench.domain.vocabulary import BANK_FAILED
from workbench.store.bulk import driver_rows
from workbench.store.types import Money, MonthColumn

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


ONLY_ON = "only_on"  # a schema item's `info` key: the one database it is made on


def sqlite_only(constraint: ForeignKeyConstraint) -> ForeignKeyConstraint:
    """A constraint made on SQLite only: PostgreSQL checks the same with triggers (migration 0013)."""
    constraint.info[ONLY_ON] = "sqlite"
    return constraint.ddl_if(dialect="sqlite")


class Edited:
    """Who and when, and a version that makes a stale save fail instead of overwriting."""

    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}


class User(Edited, Base):  # 用户
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    role: Mapped[str] = mapped_column(String(8))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(default=True)
    # A township user (乡镇经办) sees and changes only these townships' people; empty: the whole county.
    townships: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")


class Township(Base):  # 乡镇
    __tablename__ = "townships"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


class Village(Base):  # 村(社区)
    __tablename__ = "villages"
    __table_args__ = (UniqueConstraint("township_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("townships.id"))
    name: Mapped[str] = mapped_column(String(60))


class Person(Edited, Base):  # 老年人
    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    death_date: Mapped[date | None] = mapped_column(Date)
    moved_out_date: Mapped[date | None] = mapped_column(Date)


class StatusFact(Base):  # 状态事实: holds from a month on; appended, never updated
    __tablename__ = "status_facts"
    # A person's history in the order a run reads it, the value included: the run reads the index alone.
    __table_args__ = (Index("ix_status_facts_history", "person_id", "kind", "from_month", "id", "value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(20))
    from_month: Mapped[Month] = mapped_column(MonthColumn)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(40))


class BankAccount(Base):  # 银行账户: the newest row of a person is the one in use
    __tablename__ = "bank_accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    bank_name: Mapped[str] = mapped_column(String(60))
    account_no: Mapped[str] = mapped_column(String(30))
    holder: Mapped[str] = mapped_column(String(40))  # the account holder: the person, or the payee
    holder_id_number: Mapped[str | None] = mapped_column(String(18))  # the payee's; None: the person's own account
    holder_relation: Mapped[str | None] = mapped_column(String(20))  # the payee's relation (子女, 配偶, 照料人)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(40))


class CurrentAccount(NamedTuple):
    """A person's account in use (their newest row) and who holds it. (A tuple: a county reads
    hundreds of thousands at once.)"""

    bank_name: str
    account_no: str
    holder: str
    holder_id_number: str | None
    holder_relation: str | None


def current_accounts(session) -> dict[int, CurrentAccount]:
    """Every person's account in use: one plain scan of the accounts in (person, id) order, the last
    row of each person kept. No join and no grouped subquery for a planner to misjudge right after a
    large import, when the tables have no statistics yet."""
    rows, _readers = driver_rows(session, select(BankAccount.person_id, BankAccount.bank_name, BankAccount.account_no,
                                                 BankAccount.holder, BankAccount.holder_id_number, BankAccount.holder_relation)
                                 .order_by(BankAccount.person_id, BankAccount.id))  # text columns: read as they are
    make = CurrentAccount._make
    return {row[0]: make(row[1:]) for row in rows}


class Enrollment(Edited, Base):  # 享受资格
    __tablename__ = "enrollments"
    # The unique constraint's index also serves lookups by person.
    __table_args__ = (UniqueConstraint("person_id", "item_code", "start_month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    item_code: Mapped[str] = mapped_column(String(20))
    start_month: Mapped[Month] = mapped_column(MonthColumn)
    end_month: Mapped[Month | None] = mapped_column(MonthColumn)
    paid_through: Mapped[Month | None] = mapped_column(MonthColumn)  # 已发放至 (earlier system)
    state: Mapped[str] = mapped_column(String(8))  # 待审批 / 已批准 / 已驳回
    approved_by: Mapped[str | None] = mapped_column(String(40))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)


class PriorPayment(Base):  # 原系统已发放: what an earlier system paid, recorded at import
    """The months an earlier system paid one person for one item (已发放至), valued once, when
    recorded, with the standards and facts then known: one amount per month from `first_month`,
    space-separated. Months the earlier system paid before `first_month` (beyond the back-pay
    window then) are closed: never paid again, never recovered by a run."""

    __tablename__ = "prior_payments"
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    first_month: Mapped[Month] = mapped_column(MonthColumn)
    amounts: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(40))


class Standard(Base):  # 标准: an amount in force from a date; appended, never updated
    __tablename__ = "standards"
    __table_args__ = (Index("ix_standards_lookup", "name", "key", "effective_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Money)
    effective_from: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(40))


class Setting(Base):  # 设置 shared by every installation (the policy text, for one)
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(40))


class AuditRecord(Base):  # 操作日志: append-only, each record hashes the one before it
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_name: Mapped[str] = mapped_column(String(40), index=True)
    installation: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class Batch(Edited, Base):  # 发放批次: one per month and item group
    __tablename__ = "batches"
    __table_args__ = (UniqueConstraint("month", "item_group"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[Month] = mapped_column(MonthColumn)
    item_group: Mapped[str] = mapped_column(String(20), default="全部")
    state: Mapped[str] = mapped_column(String(8))  # 草稿 / 已审批 / 已导出 / 已对账
    run_by: Mapped[str] = mapped_column(String(40))
    run_at: Mapped[datetime] = mapped_column(DateTime)
    approved_by: Mapped[str | None] = mapped_column(String(40))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    notes: Mapped[dict] = mapped_column(JSON, default=dict)  # missing standards, counts
    changes_through: Mapped[int] = mapped_column(Integer, default=0)  # last person_changes id it saw


FAILED_LINE = f"bank_status = '{BANK_FAILED}'"  # written out, so that the partial index below serves the query
RECOVERY_LINE, DEDUCTION_LINE = "kind = '追回'", "kind = '抵扣'"  # the same, for the ledger's kinds


class LedgerLine(Base):  # 发放明细: the single truth of what was paid
    __tablename__ = "ledger_lines"
    __table_args__ = (
        # The n-th line of a person, item and period exists once: two runs cannot both pay it.
        # Both keys begin with what grows (the period, the batch), so that a month's lines are
        # added at their end, not between every person's earlier lines (migration 0007).
        UniqueConstraint("period", "person_id", "item_code", "seq"),
        Index("ix_ledger_lines_batch_person", "batch_id", "person_id"),
        # The few lines a bank returned as failed, found without reading every line.
        Index("ix_ledger_lines_failed", "batch_id", sqlite_where=text(FAILED_LINE), postgresql_where=text(FAILED_LINE)),
        # The few recoveries and deductions, which the recovery ledger (追回台账) adds up at each run.
        Index("ix_ledger_lines_recovered", "person_id", sqlite_where=text(RECOVERY_LINE), postgresql_where=text(RECOVERY_LINE)),
        Index("ix_ledger_lines_deducted", "person_id", sqlite_where=text(DEDUCTION_LINE),
              postgresql_where=text(DEDUCTION_LINE)),
        # The batch and the person a line names: on PostgreSQL checked once per statement by
        # triggers, which a run's hundreds of thousands of lines need (migration 0013).
        sqlite_only(ForeignKeyConstraint(["batch_id"], ["batches.id"])),
        sqlite_only(ForeignKeyConstraint(["person_id"], ["persons.id"])),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(Integer)
    item_code: Mapped[str] = mapped_column(String(20))
    period: Mapped[Month] = mapped_column(MonthColumn)
    seq: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)
    kind: Mapped[str] = mapped_column(String(4))  # 当月 / 补发 / 追回
    reason: Mapped[str] = mapped_column(String(300))
    bank_status: Mapped[str | None] = mapped_column(String(4))  # 银行回盘: 已支付 / 失败 (失败: not paid)
    bank_note: Mapped[str | None] = mapped_column(String(100))


class BatchTotal(Base):  # 批次合计: an approved batch's amount per item and kind, written when it is approved
    """What an approved batch holds, summed once: the 专项资金 spending reads these instead of
    adding up every line of the year. Lines the bank later returns as failed are subtracted
    where they are read (ix_ledger_lines_failed). Rows are never changed (database triggers)."""

    __tablename__ = "batch_totals"
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(4), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    lines: Mapped[int] = mapped_column(Integer)


class RecoveryClearing(Base):  # 追回台账的清偿: a refund or a write-off of a person's recoveries
    """Part of a person's 追回 of one item cleared: 退回 (refund received) or 核销 (written off).
    The 追回 lines of approved batches are what is owed; these are applied to them oldest first.
    Appended, never changed."""

    __tablename__ = "recovery_clearings"
    __table_args__ = (Index("ix_recovery_clearings_person", "person_id", "item_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    item_code: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Money)  # positive
    method: Mapped[str] = mapped_column(String(4))  # 退回 / 核销
    cleared_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(40))


class BankExportFile(Base):  # 代发文件: each file an export wrote, kept to match the bank's return
    """One payment file as exported: its month, bank, template, name and hash, and for a text
    template its text (a text return has no 所属期: it is matched against this)."""

    __tablename__ = "bank_export_files"
    __table_args__ = (Index("ix_bank_export_files_month", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[Month] = mapped_column(MonthColumn)
    bank: Mapped[str] = mapped_column(String(60))
    template: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str | None] = mapped_column(Text)
    exported_at: Mapped[datetime] = mapped_column(DateTime)
    exported_by: Mapped[str] = mapped_column(String(40))


class PersonChange(Base):  # 变更记录: who may be owed something different since an id
    """Persons whose entitlement inputs changed, as an id range; no range means everyone.

    Written by the database (triggers on every table a person's amounts depend on, migration
    0010) and by the unit of work, with the change itself. A run recomputes the back-pay window
    only for persons changed since the last approved batch; everyone else is settled up to it.
    Rows before an approved batch's are removed at its approval.
    """

    __tablename__ = "person_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    first_person_id: Mapped[int | None] = mapped_column(Integer)
    last_person_id: Mapped[int | None] = mapped_column(Integer)


class LivenessCheck(Base):  # 生存认证: one row per check; appended, never updated
    __tablename__ = "liveness_checks"
    __table_args__ = (Index("ix_liveness_checks_person", "person_id", "checked_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    checked_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(10))  # 上门 / 视频 / 人脸识别 / 社保认证
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(40))


class FundAllocation(Base):  # 专项资金下达: a year's budget of an item is the sum of its allocations
    __tablename__ = "fund_allocations"
    __table_args__ = (Index("ix_fund_allocations_year", "year", "item_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    item_code: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(10))  # 财政 (本级) / 上级补助
    amount: Mapped[Decimal] = mapped_column(Money)  # negative: 调减
    note: Mapped[str] = mapped_column(String(100), default="")  # 文号
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(40))
