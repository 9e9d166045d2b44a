"""Alembic environment: run with a connection handed in by workbench.store.migrate."""
from __future__ import annotations

from alembic import context

from workbench.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("请通过 `workbench init` 运行数据库迁移")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
