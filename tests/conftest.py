"""Shared fixtures: isolated data folders, and real databases (SQLite and PostgreSQL).

PostgreSQL tests read the server's URL from WORKBENCH_TEST_PG_URL; without it they skip with
a visible reason, unless WORKBENCH_REQUIRE_PG=1 (set by .ci/run), when they fail instead.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from datetime import date
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from workbench.bootstrap import Database, open_database
from workbench.domain.actor import Actor
from workbench.services.setup import initialize

PG_ENV = "WORKBENCH_TEST_PG_URL"
TODAY = date(2026, 11, 22)  # the tests' fixed "today", so ages and months never drift

ADMIN = Actor("admin", "管理员")
CLERK = Actor("clerk", "经办")
REVIEWER = Actor("reviewer", "审核")


def pytest_configure(config) -> None:
    # Session fixtures open databases before any per-test fixture runs: keep them off the real folder.
    os.environ["WORKBENCH_DATA_DIR"] = tempfile.mkdtemp(prefix="workbench-test-")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """No test touches the real per-user data folder or a WORKBENCH_DB from the environment."""
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    monkeypatch.delenv("WORKBENCH_USER", raising=False)
    monkeypatch.delenv("WORKBENCH_PASSWORD", raising=False)


def pg_url_or_skip() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("WORKBENCH_REQUIRE_PG") == "1":
            pytest.fail(f"{PG_ENV} 未设置, 但 WORKBENCH_REQUIRE_PG=1 要求运行 PostgreSQL 测试")
        pytest.skip(f"{PG_ENV} 未设置: 跳过 PostgreSQL 测试")
    return url


def _pg_admin_engine(url: str):
    return create_engine(make_url(url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT", pool_pre_ping=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated, initialized (阳城县 preset) SQLite file that each test copies."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = open_database(str(path))
    initialize(db, "yangcheng")
    db.close()
    return path


@pytest.fixture(scope="session")
def pg_template():
    """A migrated, initialized PostgreSQL database that each test clones with CREATE DATABASE ... TEMPLATE."""
    url = os.environ.get(PG_ENV)
    if not url:
        yield None
        return
    admin = _pg_admin_engine(url)
    name = f"wb_tpl_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    template_url = make_url(url).set(drivername="postgresql+psycopg", database=name)
    db = open_database(template_url.render_as_string(hide_password=False))
    initialize(db, "yangcheng")
    db.close()
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_sqlite_db(template: Path, folder: Path) -> Database:
    path = folder / f"wb_{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(template, path)
    return open_database(str(path))


@pytest.fixture
def pg_db_factory(pg_template):
    """Makes fresh PostgreSQL databases cloned from the template; drops them afterwards."""
    created: list[tuple[str, Database]] = []

    def make() -> Database:
        url = pg_url_or_skip()
        name = f"wb_{uuid.uuid4().hex[:12]}"
        admin = _pg_admin_engine(url)
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
        admin.dispose()
        db = open_database(make_url(url).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False))
        created.append((name, db))
        return db

    yield make
    if created:
        admin = _pg_admin_engine(os.environ[PG_ENV])
        with admin.connect() as connection:
            for name, db in created:
                db.close()
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, sqlite_template, tmp_path) -> Database:
    """A fresh, initialized database of each kind (阳城县 preset, admin without password)."""
    if request.param == "sqlite":
        database = make_sqlite_db(sqlite_template, tmp_path)
        yield database
        database.close()
    else:
        yield request.getfixturevalue("pg_db_factory")()


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path) -> Database:
    database = make_sqlite_db(sqlite_template, tmp_path)
    yield database
    database.close()


class MemoryKeyring(KeyringBackend):
    """A credential store in memory, for the tests (a server has no desktop credential store)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def set_password(self, service, username, password):
        self.saved[(service, username)] = password

    def get_password(self, service, username):
        return self.saved.get((service, username))

    def delete_password(self, service, username):
        self.saved.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


@pytest.fixture
def windows_fonts(tmp_path, monkeypatch):
    """A stand-in for C:\\Windows\\Fonts: a real TrueType font as 黑体 and a broken file as 仿宋."""
    import reportlab

    folder = tmp_path / "Fonts"
    folder.mkdir()
    shutil.copy(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf", folder / "simhei.ttf")
    (folder / "simfang.ttf").write_bytes(b"not a font at all")
    monkeypatch.setenv("WORKBENCH_FONTS_DIR", str(folder))
    return folder
