"""Schema migrations run from code, with the Alembic scripts found beside the package."""
from __future__ import annotations

import enum

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from workbench.paths import migrations_dir
from workbench.store.engine import is_sqlite


class SchemaState(enum.Enum):
    EMPTY = "empty"  # no schema yet: `init` creates it
    BEHIND = "behind"  # older than this program: `init` upgrades it
    CURRENT = "current"
    AHEAD = "ahead"  # newer than this program: read only until the program is upgraded
    UNVERSIONED = "unversioned"  # this program's tables without the record of their version: left alone


UNVERSIONED_MESSAGE = ("数据库中有本程序的数据表, 但缺少版本记录 (alembic_version): 无法判断其版本, 不能使用或升级, "
                       "没有做任何改动; 请从备份恢复 (workbench db restore) 或联系维护人员")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_state(engine: Engine) -> SchemaState:
    current = current_revision(engine)
    if current is None:
        tables = set(inspect(engine).get_table_names())
        return SchemaState.UNVERSIONED if tables & {"audit_log", "persons", "users"} else SchemaState.EMPTY
    if current == head_revision():
        return SchemaState.CURRENT
    known = {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
    return SchemaState.BEHIND if current in known else SchemaState.AHEAD


def upgrade(engine: Engine) -> None:
    """Bring the schema to this program's head revision."""
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
