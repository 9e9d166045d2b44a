"""Schema migrations run from code, with the Alembic scripts found beside the package.

Which revision a database is at, and whether it is this program's, is read without Alembic:
every command asks it at start, and Alembic (about a fifth of a second to import) is needed
only to migrate.
"""
from __future__ import annotations

import enum
import re
from functools import lru_cache

from sqlalchemy import Engine, inspect, text

from workbench.paths import migrations_dir
from workbench.store.engine import is_sqlite

VERSION_TABLE = "alembic_version"


class SchemaState(enum.Enum):
    EMPTY = "empty"  # no schema yet: `init` creates it
    BEHIND = "behind"  # older than this program: `init` upgrades it
    CURRENT = "current"
    AHEAD = "ahead"  # newer than this program: read only until the program is upgraded
    UNVERSIONED = "unversioned"  # this program's tables without the record of their version: left alone


UNVERSIONED_MESSAGE = ("数据库中有本程序的数据表, 但缺少版本记录 (alembic_version): 无法判断其版本, 不能使用或升级, "
                       "没有做任何改动; 请从备份恢复 (workbench db restore) 或联系维护人员")


def _config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


_REVISION = re.compile(r"^revision = ['\"](\w+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision = (?:['\"](\w+)['\"]|None)", re.MULTILINE)


@lru_cache(maxsize=1)
def revisions() -> dict[str, str | None]:
    """Each migration script's revision -> the revision it follows (None for the first), read
    from the scripts' text."""
    found: dict[str, str | None] = {}
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision and down:
            found[revision.group(1)] = down.group(1)
    return found


def head_revision() -> str:
    """The revision no other follows: this program's schema."""
    known = revisions()
    heads = set(known) - set(known.values())
    if len(heads) != 1:
        raise RuntimeError(f"数据库迁移脚本应有唯一的最新版本, 现有: {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database (None: no record)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        return connection.scalar(text(f"SELECT version_num FROM {VERSION_TABLE}"))


def schema_state(engine: Engine) -> SchemaState:
    current = current_revision(engine)
    if current is None:
        tables = set(inspect(engine).get_table_names())
        return SchemaState.UNVERSIONED if tables & {"audit_log", "persons", "users"} else SchemaState.EMPTY
    if current == head_revision():
        return SchemaState.CURRENT
    return SchemaState.BEHIND if current in revisions() else SchemaState.AHEAD


def upgrade(engine: Engine) -> None:
    """Bring the schema to this program's head revision."""
    from alembic import command

    config = _config()
    with engine.connect() as connection:
        if is_sqlite(engine):
            # Batch-mode table rebuilds must not trip foreign keys; the pragma only works
            # outside a transaction, so it goes straight to the driver connection.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            if is_sqlite(engine):
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
