"""What the services need of an opened database. `workbench.bootstrap.Database` is one; the
services take it as this protocol and never import the bootstrap that builds it."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine

from workbench.domain.actor import Actor
from workbench.store.migrate import SchemaState
from workbench.store.uow import UnitOfWork


class Database(Protocol):
    url: str
    engine: Engine
    installation: str

    @property
    def is_shared(self) -> bool: ...

    @property
    def description(self) -> str: ...

    @property
    def sqlite_file(self) -> Path | None: ...

    @property
    def files(self) -> tuple[Path, ...]: ...

    @property
    def network_refusal(self) -> str | None: ...

    @property
    def read_only(self) -> str | None: ...

    @property
    def state(self) -> SchemaState: ...

    def upgrade(self) -> None: ...

    def unit_of_work(self, actor: Actor, *, write: bool = False) -> UnitOfWork: ...

    def close(self) -> None: ...


Opener = Callable[[str], Database]  # opens a database by its address (`workbench.bootstrap.open_database`)
Progress = Callable[[int, int], None]  # a long use case tells how far it is: (done, of how many)
