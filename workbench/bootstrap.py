"""The one place that wires the database, the unit of work and the installation together."""
from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from workbench.domain.actor import Actor
from workbench.domain.errors import InvalidInput, SchemaMismatch
from workbench.paths import data_dir, default_database_url
from workbench.settings import DATABASE, INSTALLATION
from workbench.store import migrate
from workbench.store.backup import automatic_backup, database_files
from workbench.store.engine import make_engine, normalize_url, sqlite_path, sqlite_read_only
from workbench.store.location import network_location, refusal
from workbench.store.migrate import UNVERSIONED_MESSAGE, SchemaState
from workbench.store.uow import UnitOfWork

AHEAD_MESSAGE = "数据库版本比本程序新, 请先升级本程序; 在此之前只能查看, 不能修改"


def installation_name() -> str:
    """This PC's name and a random id kept in the data folder, for the audit log."""
    marker = INSTALLATION.read()
    if marker is None:
        marker = uuid.uuid4().hex
        INSTALLATION.write(marker)
    return f"{socket.gethostname()}/{marker[:8]}"


@dataclass
class Database:
    """An opened database: the engine, and whether this program may write to it."""

    url: str
    engine: Engine
    installation: str

    @property
    def is_shared(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def description(self) -> str:
        """For the status bar: which database, without the password."""
        url = self.engine.url
        if self.is_shared:
            return f"共享服务器 {url.host}:{url.port or 5432}/{url.database}"
        return f"本机数据库 {url.database}"

    @property
    def sqlite_file(self) -> Path | None:
        """The embedded database's file; None for a server (or an in-memory database)."""
        return None if self.is_shared else sqlite_path(self.engine.url)

    @property
    def files(self) -> tuple[Path, ...]:
        """The embedded database's file and its companions (-wal, -shm, -journal): never an output."""
        return database_files(self.sqlite_file) if self.sqlite_file is not None else ()

    @cached_property
    def network_refusal(self) -> str | None:
        """For an SQLite file on a network share, why it may not be written; else None."""
        path = self.sqlite_file
        where = network_location(path) if path else None
        return refusal(path, where) if where else None

    @cached_property
    def read_only(self) -> str | None:
        """Why nothing may be written to this database (a network share, a file or folder that cannot
        be written, a schema newer than this program); None when it may be. Reading still works."""
        if self.network_refusal:
            return self.network_refusal
        path = self.sqlite_file
        if path is not None and sqlite_read_only(path):
            return (f"数据库文件「{path}」所在的位置是只读的 (只读的U盘、光盘或没有写权限的文件夹): 只能查看, 不能修改; "
                    "要修改请把它复制到可写的文件夹")
        if self.state is SchemaState.AHEAD:
            return AHEAD_MESSAGE
        return None

    def _refuse_writing(self) -> None:
        """Refuse a write to a database that may only be read, saying why."""
        if self.read_only:
            raise SchemaMismatch(self.read_only) if self.state is SchemaState.AHEAD else InvalidInput(self.read_only)

    @cached_property
    def state(self) -> SchemaState:
        return migrate.schema_state(self.engine)

    def upgrade(self) -> None:
        self._refuse_writing()
        if self.state is SchemaState.UNVERSIONED:
            raise SchemaMismatch(UNVERSIONED_MESSAGE)
        made = None
        if self.state is SchemaState.BEHIND and self.sqlite_file:
            made = automatic_backup(self.sqlite_file, data_dir(), "before-upgrade")
        before = migrate.current_revision(self.engine)
        try:
            migrate.upgrade(self.engine)
        except DBAPIError as problem:  # the upgrade is one transaction: nothing of it stays
            detail = str(problem.orig).splitlines()[0] if problem.orig else type(problem).__name__
            raise SchemaMismatch(
                f"数据库升级失败: 版本记录 ({before or '无'}) 与库中实际的表不符 ({detail}); 数据库没有改动"
                + (f", 升级前的备份在「{made}」" if made else "") + "; 请从备份恢复或联系维护人员") from problem
        finally:
            self.__dict__.pop("state", None)

    def unit_of_work(self, actor: Actor, *, write: bool = False) -> UnitOfWork:
        if self.state is SchemaState.EMPTY:
            raise SchemaMismatch("数据库尚未初始化, 请先运行 workbench init")
        if self.state is SchemaState.UNVERSIONED:
            raise SchemaMismatch(UNVERSIONED_MESSAGE)
        if write:
            self._refuse_writing()
        if self.state is SchemaState.BEHIND:
            raise SchemaMismatch("数据库版本比本程序旧, 请管理员运行 workbench init 升级数据库")
        return UnitOfWork(self.engine, actor, self.installation, write=write)

    def close(self) -> None:
        self.engine.dispose()


def chosen_url(url: str | None = None, *, shared: bool = True) -> str:
    """The address of the database named by `url`, else WORKBENCH_DB, else the shared server chosen
    in the settings (unless `shared` is false), else the embedded one."""
    from workbench.connection import configured_server

    return normalize_url(url or DATABASE.value() or (configured_server() if shared else None)
                         or default_database_url())


def open_database(url: str | None = None) -> Database:
    """Open the database `chosen_url` names."""
    chosen = chosen_url(url)
    return Database(url=chosen, engine=make_engine(chosen), installation=installation_name())
