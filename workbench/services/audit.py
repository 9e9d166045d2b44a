"""Reading the operation log (操作日志): who did what, when, to which record."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, Text, cast, or_, select, type_coerce

from workbench.services.database import Database
from workbench.domain.actor import Actor
from workbench.domain.errors import WorkbenchError
from workbench.domain.idnumber import mask_id_number
from workbench.domain.localtime import shown, start_of_day
from workbench.services.accounts import require
from workbench.store.ledger import active_policy
from workbench.store.bulk import chunks
from workbench.domain.batch import DRAFT
from workbench.store.guards import missing_guards
from workbench.store.ledger import CHAIN_NOTE
from workbench.store.models import AuditRecord, Batch, Person
from workbench.store.uow import GENESIS_HASH, audit_hash

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
    text: str = "", limit: int | None = SHOWN_AT_MOST,
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


ENTITY_NAMES = {
    "person": "人员", "batch": "发放批次", "user": "用户", "standard": "标准", "enrollment": "享受申请",
    "roster_file": "花名册文件", "numbers": "完整号码", "policy": "政策", "township": "乡镇", "village": "村(社区)",
    "database": "数据库", "deaths_file": "死亡名单", "liveness_file": "认证名单", "fund": "专项资金", "setting": "设置",
}
_LONG_NUMBER = re.compile(r"\d{8,}[\dXx]?")


@dataclass(frozen=True)
class ReadableEntry:
    """One log record as a clerk reads it: local time, the object by its Chinese name and, for a
    person, the name and masked ID number; the detail as text with long numbers masked."""

    at: str
    user: str
    installation: str
    action: str
    entity: str
    target: str
    content: str


def readable_audit(db: Database, actor: Actor, entries: list[AuditEntry]) -> list[ReadableEntry]:
    people_ids = {int(entry.entity_id) for entry in entries if entry.entity == "person" and entry.entity_id.isdigit()}
    for entry in entries:
        person = entry.detail.get("人员ID") if isinstance(entry.detail, dict) else None
        if isinstance(person, int):
            people_ids.add(person)
    people: dict[int, str] = {}
    item_names: dict[str, str] = {}
    with db.unit_of_work(actor) as uow:
        for chunk in chunks(sorted(people_ids)):
            for person_id, name, number in uow.session.execute(
                    select(Person.id, Person.name, Person.id_number).where(Person.id.in_(chunk))):
                people[person_id] = f"{name} {mask_id_number(number)}"
        try:
            item_names = {item.code: item.name for item in active_policy(uow).items}
        except WorkbenchError:
            item_names = {}

    def target(entry: AuditEntry) -> str:
        if entry.entity == "person" and entry.entity_id.isdigit():
            return people.get(int(entry.entity_id), "(已不在花名册)")
        if entry.entity == "enrollment" and isinstance(entry.detail, dict):
            return people.get(entry.detail.get("人员ID"), "")
        return _masked(entry.entity_id)

    def content(value: Any) -> str:
        if isinstance(value, dict):
            parts = []
            for key, item in value.items():
                if key == "人员ID":
                    continue
                if key == "项目" and isinstance(item, str):
                    item = item_names.get(item, item)
                parts.append(f"{key}: {content(item)}")
            return "; ".join(parts)
        if isinstance(value, (list, tuple)):
            return "、".join(content(item) for item in value)
        return _masked("" if value is None else str(value))

    return [ReadableEntry(shown(entry.at), entry.user, entry.installation.split("/")[0], entry.action,
                          ENTITY_NAMES.get(entry.entity, entry.entity), target(entry), content(entry.detail)[:500])
            for entry in entries]


AUDIT_COLUMNS = ("时间", "用户", "安装", "操作", "对象", "内容")


def audit_rows(db: Database, actor: Actor, *, user: str | None = None, since: date | None = None,
               until: date | None = None) -> list[list[str]]:
    """`audit list`: the log from the oldest to the newest record, in local time, numbers masked."""
    entries = search_audit(db, actor, user=user, since=since, until=until, limit=None)
    entries.reverse()
    return [[entry.at, entry.user, entry.installation, entry.action, f"{entry.entity} {entry.target}".strip(), entry.content]
            for entry in readable_audit(db, actor, entries)]


def _masked(text: str) -> str:
    """Long digit runs (ID and account numbers) masked as on screen: the first four and last four kept."""
    return _LONG_NUMBER.sub(lambda found: found.group()[:4] + "*" * (len(found.group()) - 8) + found.group()[-4:], text)


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
    missing_guards: tuple[str, ...] = ()  # protecting triggers dropped from the database
    lost: str = ""  # the chain as recorded with an approved batch is not the log's: records removed or rewritten

    @property
    def whole(self) -> bool:
        return self.broken is None and not self.missing_guards and not self.lost

    @property
    def problem(self) -> str:
        """What does not hold, in one line (empty when the log is whole)."""
        if self.broken is not None:
            broken = self.broken
            return f"操作日志第 {broken.id} 条记录异常 ({shown(broken.at)} {broken.user} {broken.action}): {self.reason}"
        problems = ([f"数据库的保护触发器缺失: {'、'.join(self.missing_guards)}"] if self.missing_guards else []) + (
            [self.lost] if self.lost else [])
        return "; ".join(problems)


def verify_audit(db: Database, actor: Actor) -> AuditCheck:
    """Recompute the hash chain from the first record on; report the first that does not hold."""
    require(actor, "read")
    previous = GENESIS_HASH
    count = 0
    with db.unit_of_work(actor) as uow:
        # The fields are read as stored, so a record whose text was rewritten into something unreadable
        # is reported as broken rather than stopping the check.
        columns = [AuditRecord.id, type_coerce(AuditRecord.at, Text), AuditRecord.user_name, AuditRecord.installation,
                   AuditRecord.action, AuditRecord.entity, AuditRecord.entity_id, type_coerce(AuditRecord.detail, Text),
                   AuditRecord.prev_hash, AuditRecord.hash]
        query = select(*columns).order_by(AuditRecord.id).execution_options(yield_per=5000)
        for row in uow.session.execute(query):
            count += 1
            at, detail = _stored_time(row[1]), _stored_detail(row[7])
            entry = AuditEntry(row.id, at, row.user_name, row.installation, row.action, row.entity,
                               row.entity_id, detail if isinstance(detail, dict) else {})
            reason = ""
            if row.prev_hash != previous:
                reason = "与前一条记录的链接不符 (前面的记录被删除、插入或改动)"
            elif at is None or detail is _UNREADABLE:
                reason = "内容无法读取 (记录被改动)"
            else:
                fields = {"at": at, "user_name": row.user_name, "installation": row.installation, "action": row.action,
                          "entity": row.entity, "entity_id": row.entity_id, "detail": detail}
                if audit_hash(row.prev_hash, fields) != row.hash:
                    reason = "内容与其哈希值不符 (记录被改动或伪造)"
            if reason:
                return AuditCheck(count, entry, reason)
            previous = row.hash
        missing = tuple(missing_guards(uow.session, uow.dialect))
        lost = ""
        for month, notes in uow.session.execute(select(Batch.month, Batch.notes).where(Batch.state != DRAFT).order_by(Batch.month)):
            anchor = (notes or {}).get(CHAIN_NOTE) if isinstance(notes, dict) else None
            if not anchor:
                continue
            held = uow.session.scalar(select(AuditRecord.hash).where(AuditRecord.id == anchor[0]))
            if held != anchor[1]:
                lost = (f"{month} 批次审批时记录的第 {anchor[0]} 条日志" +
                        ("已不存在 (日志被截断)" if held is None else "与现在的不同 (日志被改写)"))
                break
    return AuditCheck(count, None, "", missing, lost)


_UNREADABLE = object()


def _stored_time(value: Any) -> datetime | None:
    """The record's time as the database keeps it (text in SQLite, a timestamp in PostgreSQL)."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _stored_detail(value: Any) -> Any:
    """The record's detail as stored (JSON text in SQLite; PostgreSQL's driver reads it already)."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return _UNREADABLE
