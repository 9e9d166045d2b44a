"""Backups of the embedded database through SQLite's online backup API (never a file copy of a
live database: a copy taken mid-write can be torn). Kept in the data folder's backups/, newest N."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from workbench.domain.errors import InvalidInput
from workbench.store.engine import read_only_uri

KEEP = 10


def database_files(path: Path) -> tuple[Path, ...]:
    """An SQLite database file and its companions (-wal, -shm, -journal)."""
    return (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")))


def copy_sqlite(source: Path, target: Path) -> Path:
    """Copy the database `source` into `target` page by page while others may be using it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(read_only_uri(source), uri=True) as reader, sqlite3.connect(target) as writer:
        reader.backup(writer, pages=4096)
    writer.close()
    reader.close()
    return target


def check_sqlite(path: Path) -> None:
    """Refuse a file that is not a sound SQLite database."""
    if not path.is_file():
        raise InvalidInput(f"找不到备份文件「{path}」")
    try:
        with sqlite3.connect(read_only_uri(path), uri=True) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        connection.close()
    except sqlite3.DatabaseError as problem:
        raise InvalidInput(f"「{path.name}」不是有效的数据库文件: {problem}") from None
    if result != "ok":
        raise InvalidInput(f"备份文件「{path.name}」已损坏: {result}")


def backup_folder(data_folder: Path) -> Path:
    return data_folder / "backups"


def keep_newest(folder: Path, keep: int = KEEP) -> None:
    backups = sorted(folder.glob("workbench-*.db"))
    for old in backups[:-keep] if keep else backups:
        old.unlink(missing_ok=True)


def automatic_backup(database: Path, data_folder: Path, reason: str, *, keep: int = KEEP) -> Path | None:
    """A dated backup before something that changes the database (start, migration); the newest `keep` stay."""
    if not database.is_file() or database.stat().st_size == 0:
        return None
    folder = backup_folder(data_folder)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = copy_sqlite(database, folder / f"workbench-{stamp}-{reason}.db")
    keep_newest(folder, keep)
    return target
