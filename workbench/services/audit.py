"""Reading the operation log (操作日志): who did what, when, to which record."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, cast, or_, select

from workbench.bootstrap import Database
from workbench.services.accounts import require
from workbench.store.models import AuditRecord
from workbench.store.uow import Actor

SHOWN_AT_MOST = 2000


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user: str
    installation: str
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any]


def search_audit(
    db: Database, actor: Actor, *, user: str | None = None, since: date | None = None, until: date | None = None,
    text: str = "", limit: int = SHOWN_AT_MOST,
) -> list[AuditEntry]:
    """The newest records first, filtered by user, date range (inclusive) and a text in action, record or detail."""
    require(actor, "read")
    query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
    if user:
        query = query.where(AuditRecord.user_name == user)
    if since:
        query = query.where(AuditRecord.at >= datetime.combine(since, time.min))
    if until:
        query = query.where(AuditRecord.at < datetime.combine(until + timedelta(days=1), time.min))
    if text.strip():
        pattern = f"%{text.strip()}%"
        query = query.where(or_(AuditRecord.action.like(pattern), AuditRecord.entity.like(pattern),
                                AuditRecord.entity_id.like(pattern), cast(AuditRecord.detail, String).like(pattern)))
    with db.unit_of_work(actor) as uow:
        return [AuditEntry(record.id, record.at, record.user_name, record.installation, record.action, record.entity,
                           record.entity_id, record.detail) for record in uow.session.scalars(query)]


def audit_users(db: Database, actor: Actor) -> list[str]:
    """Everyone who appears in the log (users, and the system's own steps)."""
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        return list(uow.session.scalars(select(AuditRecord.user_name).distinct().order_by(AuditRecord.user_name)))
