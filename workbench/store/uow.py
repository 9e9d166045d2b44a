"""The unit of work: one transaction per use case, rolled back unless committed.

It also owns the audit log: use cases call `audit(...)`, and the records are chained and
written in the same transaction at commit, so a change and its audit land together or not at all.
"""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import Engine, event, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workbench.domain.actor import Actor
from workbench.domain.errors import ConcurrentEdit, DatabaseUnavailable
from workbench.domain.month import Month
from workbench.store.engine import WRITE, sqlite_path
from workbench.store.models import AuditRecord, Edited, PersonChange

AUDIT_LOCK_KEY = 710_522  # PostgreSQL advisory lock serialising the audit chain
GENESIS_HASH = "0" * 64
CHANGES_CHANNEL = "workbench_changes"  # PostgreSQL LISTEN/NOTIFY channel: "something was saved"


def now() -> datetime:
    """The current time in UTC, without zone (stored alike on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def jsonable(value: Any) -> Any:
    """Domain values as JSON text: Decimal, date and Month become strings."""
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, (Decimal, Month)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Sorted ids as [first, last] runs: compact even for 200,000 people."""
    runs: list[list[int]] = []
    for value in sorted(ids):
        if runs and runs[-1][1] == value - 1:
            runs[-1][1] = value
        else:
            runs.append([value, value])
    return runs


def audit_hash(prev_hash: str, record: dict[str, Any]) -> str:
    """The chain hash of one audit record, over every field a forger would change."""
    canonical = json.dumps(
        [
            prev_hash,
            record["at"].isoformat(),
            record["user_name"],
            record["installation"],
            record["action"],
            record["entity"],
            record["entity_id"],
            record["detail"],
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


ANALYZE_FROM_ROWS = 1000  # a write this large gets its tables analysed (PostgreSQL)...
ANALYZE_GROWTH = 0.1  # ...when it adds this part of the rows the table had, as autovacuum's own default rule


def analyze(engine: Engine, tables: Iterable[str]) -> None:
    """Refresh the planner's statistics of `tables` (PostgreSQL; cheap next to the load that needs it)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        for table in tables:
            connection.exec_driver_sql(f'ANALYZE "{table}"')
        connection.commit()


def analyze_grown(engine: Engine, written: dict[str, int]) -> None:
    """`analyze` the tables that rows were just written to, where that changed them enough: never
    analysed, or grown by ANALYZE_GROWTH of the rows the planner knew of. (A month's lines added to
    a year of them leave its statistics as they were, and analysing them anyway costs a run a
    quarter of a second.)"""
    if engine.dialect.name != "postgresql" or not written:
        return
    with engine.connect() as connection:
        known = dict(connection.execute(text("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relname = ANY(:names)"),
                                        {"names": list(written)}).all())
    analyze(engine, sorted(table for table, rows in written.items()
                           if known.get(table, -1) < 0 or rows >= ANALYZE_GROWTH * known[table]))


class UnitOfWork:
    """`with db.unit_of_work(actor, write=True) as uow: ...; uow.commit()`."""

    def __init__(self, engine: Engine, actor: Actor, installation: str, *, write: bool) -> None:
        self._engine = engine.execution_options(**{WRITE: True}) if write else engine
        self.actor = actor
        self.installation = installation
        self.write = write
        self._pending_audit: list[dict[str, Any]] = []
        self._changed: set[int] = set()
        self._changed_all = False
        self._analyze: dict[str, int] = {}  # table -> rows written by large writes
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = Session(bind=self._engine, expire_on_commit=False)
        event.listen(self.session, "before_flush", self._stamp)
        return self

    def __exit__(self, kind, problem, _traceback) -> None:
        try:
            self.session.rollback()
            self.session.close()
        except DBAPIError:
            pass  # the connection is gone; the server has rolled the transaction back
        if isinstance(problem, DBAPIError) and problem.connection_invalidated:
            raise DatabaseUnavailable(
                "与数据库服务器的连接中断, 本次操作没有保存 (服务器已撤销未完成的部分); 连接恢复后请重试") from problem

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def beside(self) -> UnitOfWork | None:
        """A unit of work of its own that only reads, on another connection to the same database,
        for another thread to read with while this one works: it sees what is committed, not
        this one's changes. None where no other connection sees the same database (SQLite in
        memory)."""
        if self.dialect == "sqlite" and sqlite_path(self._engine.url) is None:
            return None
        return UnitOfWork(self._engine.execution_options(**{WRITE: False}), self.actor, self.installation, write=False)

    def audit(self, action: str, entity: str, entity_id: Any, detail: dict[str, Any] | None = None) -> None:
        """Record who did what to which record; written with the rest at commit."""
        self._pending_audit.append(
            {
                "user_name": self.actor.name,
                "installation": self.installation,
                "action": action,
                "entity": entity,
                "entity_id": str(entity_id),
                "detail": jsonable(detail or {}),
            }
        )

    def mark_changed(self, person_ids: Iterable[int]) -> None:
        """These persons may now be owed something different, for any month: the next run
        recomputes their whole back-pay window. Every use case that changes a person's dates,
        status facts, enrollments or paid lines must say so here."""
        self._changed.update(person_ids)

    def filled(self, rows: int, *tables: str) -> None:
        """A bulk write of `rows` rows into `tables`: on PostgreSQL, when it is a large one, the tables
        it changed enough are analysed right after the commit (`analyze_grown`). A planner without statistics for tables that just grew
        from nothing to 200,000 rows chooses plans that take minutes; autovacuum would analyse them
        only later, or never where it is off."""
        if rows >= ANALYZE_FROM_ROWS and self.dialect == "postgresql":
            for table in tables:
                self._analyze[table] = self._analyze.get(table, 0) + rows

    def mark_all_changed(self) -> None:
        """Everyone may be owed something different (a standard or the policy changed)."""
        self._changed_all = True

    def commit(self) -> None:
        try:
            self.session.flush()
            self._write_changes()
            self._notify_others()
            self._write_audit()
            self.session.commit()
        except StaleDataError:
            self.session.rollback()
            raise ConcurrentEdit("该记录已被其他人修改并保存, 请重新加载后再修改") from None
        self._pending_audit.clear()
        self._changed.clear()
        self._changed_all = False
        if self._analyze:
            analyze_grown(self._engine, self._analyze)
            self._analyze.clear()

    def _write_changes(self) -> None:
        # Before the audit lock: a run holds the change log locked and then wants that lock.
        if self._changed_all:
            rows = [{"first_person_id": None, "last_person_id": None}]
        else:
            rows = [{"first_person_id": first, "last_person_id": last} for first, last in id_ranges(self._changed)]
        if rows:
            self.session.execute(insert(PersonChange), rows)

    def _notify_others(self) -> None:
        """On PostgreSQL, tell the open windows of every installation what changed (sent at commit)."""
        if self.dialect != "postgresql" or not self._pending_audit:
            return
        actions = list(dict.fromkeys(record["action"] for record in self._pending_audit))[:5]
        payload = json.dumps({"installation": self.installation, "user": self.actor.name, "actions": actions},
                             ensure_ascii=False)
        self.session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANGES_CHANNEL, "payload": payload})

    def _write_audit(self) -> None:
        if not self._pending_audit:
            return
        if self.dialect == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
        prev = self.session.scalar(select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1)) or GENESIS_HASH
        stamp = now()
        rows = []
        for record in self._pending_audit:
            record = {**record, "at": stamp, "prev_hash": prev}
            record["hash"] = prev = audit_hash(record["prev_hash"], record)
            rows.append(record)
        self.session.execute(insert(AuditRecord), rows)

    def _stamp(self, session: Session, _context, _instances) -> None:
        moment = now()
        for obj in session.new:
            if isinstance(obj, Edited):
                obj.created_at = obj.updated_at = moment
                obj.created_by = obj.updated_by = self.actor.name
        for obj in session.dirty:
            if isinstance(obj, Edited) and session.is_modified(obj):
                obj.updated_at = moment
                obj.updated_by = self.actor.name
