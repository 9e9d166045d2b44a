"""Looking after databases: backups and restores of the embedded one, preparing a shared server,
and moving an embedded database to a server with every row and the audit log, checked after."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from workbench.documents.output import written
from workbench.domain.actor import Actor
from workbench.domain.errors import InvalidInput
from workbench.paths import data_dir
from workbench.services.accounts import SYSTEM, require
from workbench.services.audit import verify_audit
from workbench.services.database import Database, Opener
from workbench.domain.batch import DRAFT
from workbench.services.setup import InitReport, initialize
from workbench.store.backup import automatic_backup, backup_folder, check_sqlite, copy_sqlite, database_files
from workbench.store.bulk import bulk_insert, chunks
from workbench.store.migrate import SchemaState
from workbench.store.models import Base, Batch, LedgerLine, PersonChange, Standard
from workbench.store.uow import analyze

USERS_ROLE = "workbench_users"  # the PostgreSQL group role every installation's login belongs to


def sqlite_path(db: Database) -> Path:
    if db.sqlite_file is None:
        raise InvalidInput("这是共享服务器上的数据库: 请用 PostgreSQL 的 pg_dump 备份 (见 README)")
    return db.sqlite_file


def backup_database(db: Database, actor: Actor, out: Path | None = None) -> Path:
    """An online backup of the embedded database (to `out`, or the data folder's backups/)."""
    require(actor, "maintain_database")
    source = sqlite_path(db)
    if out is None:
        made = automatic_backup(source, data_dir(), "manual")
        if made is None:
            raise InvalidInput("数据库是空的, 没有可备份的内容")
        return made
    if out.exists():
        raise InvalidInput(f"「{out}」已存在, 请换一个文件名")
    with written(out, database=db.files) as path:  # a kill or a full disk leaves no half backup
        copy_sqlite(source, path)
        check_sqlite(path)
    return out


def backup_at_start(db: Database) -> Path | None:
    """The embedded database backed up as the program starts (the newest 10 kept in the data
    folder's backups/); nothing for a server, a database that may only be read, or an empty one."""
    if db.sqlite_file is None or db.read_only:
        return None
    return automatic_backup(db.sqlite_file, data_dir(), "start")


def restore_database(backup: Path, target: Path, *, open_database: Opener, accept_broken_log: bool = False) -> Path:
    """Write a checked backup into a new database file (never over an existing one), then open it
    with `open_database` to check it.

    A backup whose operation log does not hold (a record changed, the log cut short, a guard dropped)
    may have been altered after it was made: it is not restored unless the administrator accepts that,
    and then the restore's own log record says what was found."""
    check_sqlite(backup)
    if target.exists() and target.stat().st_size > 0:
        raise InvalidInput(f"「{target}」已存在: 恢复只写入新的数据库文件; 请用 --db 指定一个新文件, "
                           "或先把现有文件移走")
    copy_sqlite(backup, target)
    restored = open_database(str(target))
    kept = False
    try:
        if restored.state is SchemaState.EMPTY:
            raise InvalidInput(f"「{backup.name}」中没有本程序的数据")
        if restored.state is SchemaState.CURRENT:
            check = verify_audit(restored, SYSTEM)
            if not check.whole and not accept_broken_log:
                raise InvalidInput(f"备份「{backup.name}」的操作日志不完整, 可能在备份后被改动过, 没有恢复: {check.problem}; "
                                   "核对后仍要恢复请加 --accept-broken-log")
            with restored.unit_of_work(SYSTEM, write=True) as uow:
                detail = {"备份文件": backup.name} | ({} if check.whole else {"日志检查": check.problem[:400]})
                uow.audit("从备份恢复", "database", target.name, detail)
                uow.commit()
        kept = True
    finally:
        restored.close()
        if not kept:
            for path in database_files(target):
                path.unlink(missing_ok=True)
    return target


def backups(db: Database) -> list[Path]:
    return sorted(backup_folder(data_dir()).glob("workbench-*.db"), reverse=True)


def _grant_users_role(db: Database) -> str:
    """A group role with the rights an installation needs: no rights to change or delete the log."""
    statements = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{USERS_ROLE}') THEN "
        f"CREATE ROLE {USERS_ROLE} NOLOGIN; END IF; END $$",
        f"GRANT USAGE ON SCHEMA public TO {USERS_ROLE}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {USERS_ROLE}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {USERS_ROLE}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {USERS_ROLE}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON alembic_version FROM {USERS_ROLE}",
    ]
    try:
        with db.engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    except Exception as problem:  # noqa: BLE001 - a server without CREATEROLE still works
        return f"未能创建数据库角色 {USERS_ROLE} ({str(problem).splitlines()[0]}); 请数据库管理员按 README 授权"
    return f"数据库角色 {USERS_ROLE} 已就绪: 把各电脑的登录账号加入该角色 (GRANT {USERS_ROLE} TO 账号)"


@dataclass(frozen=True)
class ServerReport:
    init: InitReport
    roles: str
    warnings: tuple[str, ...] = ()


AUTOVACUUM_OFF = ("提示: 该服务器的 autovacuum 已关闭。本程序在每次大批量写入 (导入、计算发放、迁移) 后自行更新统计信息 "
                  "(ANALYZE), 所以查询不会因此变慢; 但修改和删除留下的空间不会自动回收, 数据库会逐渐变大。"
                  "请数据库管理员开启 autovacuum, 或定期运行 VACUUM ANALYZE")


def server_warnings(db: Database) -> list[str]:
    """What a shared server's settings mean for this program: autovacuum off, for one (a warning, not a refusal)."""
    if not db.is_shared:
        return []
    with db.engine.connect() as connection:
        autovacuum = connection.exec_driver_sql("SHOW autovacuum").scalar()
    return [AUTOVACUUM_OFF] if str(autovacuum).lower() in ("off", "false", "0") else []


def setup_server(url: str, policy: str, *, open_database: Opener) -> ServerReport:
    """Prepare an empty PostgreSQL database for shared use: schema, the users' role, admin, policy.
    `open_database` opens it by its address."""
    db = open_database(url)
    try:
        if not db.is_shared:
            raise InvalidInput("setup-server 需要 PostgreSQL 数据库地址 (postgresql://用户:密码@服务器/数据库)")
        if db.state is not SchemaState.EMPTY:
            raise InvalidInput("该数据库不是空的: setup-server 只用于新建的空数据库; 升级请用 workbench init")
        report = initialize(db, policy)
        return ServerReport(report, _grant_users_role(db), tuple(server_warnings(db)))
    finally:
        db.close()


@dataclass(frozen=True)
class CopyReport:
    rows: dict[str, int]  # table -> rows copied (equal on both sides)
    paid_total: Decimal  # the sum of every ledger line, equal on both sides
    audit_records: int


def _totals(db: Database) -> tuple[dict[str, int], Decimal, Decimal]:
    with db.engine.connect() as connection:
        counts = {table.name: connection.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables}
        lines = connection.execute(select(func.coalesce(func.sum(LedgerLine.amount), 0))).scalar()
        standards = connection.execute(select(func.coalesce(func.sum(Standard.amount), 0))).scalar()
    return counts, Decimal(lines), Decimal(standards)


def copy_database(db: Database, actor: Actor, to_url: str, progress=None, *, open_database: Opener) -> CopyReport:
    """Copy every row (ids, audit log and all) into an empty database (opened by `open_database`),
    then compare the two."""
    require(actor, "maintain_database")
    target = open_database(to_url)
    try:
        if target.url == db.url:
            raise InvalidInput("目标数据库与当前数据库相同")
        if db.state is not SchemaState.CURRENT:
            raise InvalidInput("当前数据库不是本程序的版本, 请先运行 workbench init")
        if target.state is SchemaState.EMPTY:
            target.upgrade()
        elif target.state is not SchemaState.CURRENT:
            raise InvalidInput("目标数据库的版本与本程序不同")
        counts, _, _ = _totals(target)
        if any(counts.values()):
            raise InvalidInput("目标数据库已有数据: 只能复制到新建的空数据库 (不要先运行 setup-server 或 init)")
        source_counts, source_paid, source_standards = _totals(db)
        _copy_rows(db, target, sum(source_counts.values()), progress)
        analyze(target.engine, [table.name for table in Base.metadata.sorted_tables])  # a server's planner needs them now
        target_counts, target_paid, target_standards = _totals(target)
        different = [name for name in source_counts if source_counts[name] != target_counts[name]]
        if different or source_paid != target_paid or source_standards != target_standards:
            raise InvalidInput(f"复制后核对不一致 (表: {'、'.join(different) or '金额合计'}); 目标数据库请勿使用")
        check = verify_audit(target, SYSTEM)
        if check.broken is not None:
            raise InvalidInput(f"复制后操作日志校验失败: 第 {check.broken.id} 条 {check.reason}")
        if target.is_shared:
            _grant_users_role(target)
        with target.unit_of_work(SYSTEM, write=True) as uow:
            uow.audit("复制数据库", "database", "", {"来源": db.description, "行数": sum(source_counts.values())})
            uow.commit()
        return CopyReport(source_counts, source_paid, check.records)
    finally:
        target.close()


COPY_PART = 20_000  # rows read and written at a time by `db copy`


def _copy_rows(source: Database, target: Database, total: int, progress) -> None:
    """Table by table in dependency order; approved batches are written as drafts and then given
    their state, so the database's own guards on approved batches stay in force throughout. The
    change log comes last: the target's triggers log the rows copied, and the source's log
    replaces what they wrote."""
    changes = PersonChange.__table__
    tables = [table for table in Base.metadata.sorted_tables if table is not changes] + [changes]
    done = 0
    states: dict[int, str] = {}
    with source.engine.connect() as reader, target.engine.begin() as writer, Session(bind=writer) as session:
        for table in tables:
            if table is changes:
                writer.execute(changes.delete())
            names = [column.name for column in table.columns]
            result = reader.execution_options(yield_per=COPY_PART).execute(select(table).order_by(*table.primary_key.columns))
            for part in result.partitions():
                rows = [tuple(row) for row in part]
                if table.name == Batch.__tablename__:
                    state, key = names.index("state"), names.index("id")
                    for index, row in enumerate(rows):
                        states[row[key]] = row[state]
                        rows[index] = (*row[:state], DRAFT, *row[state + 1:])
                bulk_insert(session, table, names, rows)  # COPY on PostgreSQL
                done += len(rows)
                if progress:
                    progress(done, total)
        batches = Batch.__table__
        for state in set(states.values()) - {DRAFT}:
            ids = [batch_id for batch_id, held in states.items() if held == state]
            for chunk in chunks(ids):
                writer.execute(update(batches).where(batches.c.id.in_(chunk)).values(state=state))
        if target.is_shared:
            for table in tables:
                if "id" in table.columns and table.columns["id"].autoincrement in (True, "auto"):
                    writer.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
