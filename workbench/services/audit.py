"""Reading the operation log (操作日志): who did what, when, to which record."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, or_, select

from workbench.bootstrap import Database
from workbench.domain.localtime import start_of_day
from workbench.services.accounts import require
from workbench.store.models import AuditRecord
from workbench.store.uow import GENESIS_HASH, Actor, audit_hash

SHOWN_AT_MOST = 2000


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime  # UTC, as stored; `shown` from workbench.domain.localtime gives the local time
    user: str
    installation: str
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any]

    @classmethod
    def of(cls, record: AuditRecord) -> AuditEntry:
        return cls(record.id, record.at, record.user_name, record.installation, record.action, record.entity,
                   record.entity_id, record.detail)


def search_audit(
    db: Database, actor: Actor, *, user: str | None = None, since: date | None = None, until: date | None = None,
    text: str = "", limit: int = SHOWN_AT_MOST,
) -> list[AuditEntry]:
    """The newest records first, filtered by user, date range (inclusive) and a text in action, record or detail."""
    require(actor, "read")
    query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
    if user:
        query = query.where(AuditRecord.user_name == user)
    if since:  # days are the PC's own (local) days; the log keeps UTC
        query = query.where(AuditRecord.at >= start_of_day(since))
    if until:
        query = query.where(AuditRecord.at < start_of_day(until + timedelta(days=1)))
    if text.strip():
        pattern = f"%{text.strip()}%"
        query = query.where(or_(AuditRecord.action.like(pattern), AuditRecord.entity.like(pattern),
                                AuditRecord.entity_id.like(pattern), cast(AuditRecord.detail, String).like(pattern)))
    with db.unit_of_work(actor) as uow:
        return [AuditEntry.of(record) for record in uow.session.scalars(query)]


def audit_users(db: Database, actor: Actor) -> list[str]:
    """Everyone who appears in the log (users, and the system's own steps)."""
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        return list(uow.session.scalars(select(AuditRecord.user_name).distinct().order_by(AuditRecord.user_name)))


@dataclass(frozen=True)
class AuditCheck:
    records: int
    broken: AuditEntry | None  # the first record whose chain does not hold
    reason: str


def verify_audit(db: Database, actor: Actor) -> AuditCheck:
    """Recompute the hash chain from the first record on; report the first that does not hold."""
    require(actor, "read")
    previous = GENESIS_HASH
    count = 0
    with db.unit_of_work(actor) as uow:
        query = select(AuditRecord).order_by(AuditRecord.id).execution_options(yield_per=5000)
        for record in uow.session.scalars(query):
            count += 1
            fields = {"at": record.at, "user_name": record.user_name, "installation": record.installation,
                      "action": record.action, "entity": record.entity, "entity_id": record.entity_id,
                      "detail": record.detail}
            reason = ""
            if record.prev_hash != previous:
                reason = "与前一条记录的链接不符 (前面的记录被删除、插入或改动)"
            elif audit_hash(record.prev_hash, fields) != record.hash:
                reason = "内容与其哈希值不符 (记录被改动或伪造)"
            if reason:
                return AuditCheck(count, AuditEntry.of(record), reason)
            previous = record.hash
    return AuditCheck(count, None, "")
