"""Engines for the two supported databases: embedded SQLite and shared PostgreSQL."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.request import pathname2url

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from workbench.domain.errors import InvalidInput

SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE = "workbench_write"  # execution option: this transaction writes


def normalize_url(url: str) -> str:
    """Accept a plain file path for SQLite and the short PostgreSQL scheme for psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve().as_posix()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    """An engine configured for this product's use of the backend."""
    parsed = make_url(normalize_url(url))
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql":
        return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=5)
    raise InvalidInput(f"不支持的数据库类型「{backend}」: 请使用 SQLite 文件或 PostgreSQL 服务器")


def sqlite_path(url: URL) -> Path | None:
    """The file of an SQLite URL's database; None for a database in memory."""
    name = url.database
    return Path(name) if name and name != ":memory:" else None


def sqlite_read_only(path: Path) -> bool:
    """The database file exists and it, or its folder (where SQLite keeps its -wal and -shm), cannot
    be written: a read-only USB stick or disc, or a folder without write permission."""
    return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens `path` only to read (any character of the name quoted); a file on a
    read-only disk is opened as unchangeable, since SQLite could not make its -shm there."""
    return f"file:{pathname2url(str(path))}?{'immutable=1' if sqlite_read_only(path) else 'mode=ro'}"


def _sqlite_engine(parsed) -> Engine:
    path = sqlite_path(parsed)
    read_only = path is not None and sqlite_read_only(path)
    if read_only:
        # Nobody can change a file that cannot be written, so SQLite reads it as it is, without
        # creating a -wal or -shm beside it.
        location = read_only_uri(path)
        engine = create_engine(parsed, creator=lambda: sqlite3.connect(
            location, uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, check_same_thread=False))
    else:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 64 MB of page cache: index inserts in random ID order stay in memory for a county's roster.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # A writer takes the write lock at BEGIN, so two writers queue instead of deadlocking.
        writes = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
