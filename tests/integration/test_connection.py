"""The shared server's address is remembered per installation; its password only in the credential store."""
from __future__ import annotations

import json

import pytest

from workbench.bootstrap import open_database
from workbench.connection import configured_server, forget_server, save_server
from workbench.domain.errors import InvalidInput
from workbench.settings import SERVER
from workbench.paths import data_dir


def test_the_password_goes_to_the_credential_store_not_the_file(memory_keyring):
    shown = save_server("postgresql://clerk:s3cret-pw@10.0.0.5:5433/minzheng")
    assert "s3cret-pw" not in shown
    stored = (data_dir() / SERVER.file).read_text(encoding="utf-8")
    assert "s3cret-pw" not in stored and json.loads(stored)["url"] == "postgresql://clerk@10.0.0.5:5433/minzheng"
    assert list(memory_keyring.saved.values()) == ["s3cret-pw"]
    assert configured_server() == "postgresql://clerk:s3cret-pw@10.0.0.5:5433/minzheng"
    forget_server()
    assert configured_server() is None and memory_keyring.saved == {}


def test_an_installation_set_to_a_server_opens_it(memory_keyring, monkeypatch):
    import os

    url = os.environ.get("WORKBENCH_TEST_PG_URL") or "postgresql://postgres@127.0.0.1:5432/test"
    save_server(url)
    db = open_database()
    assert db.is_shared and db.description.startswith("共享服务器")
    db.close()
    with pytest.raises(InvalidInput, match="postgresql://"):
        save_server("sqlite:///x.db")


def test_the_address_the_installer_wrote_serves_every_user(memory_keyring, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_MACHINE_DIR", str(tmp_path / "machine"))
    (tmp_path / "machine").mkdir()
    (tmp_path / "machine" / SERVER.file).write_text('{"url": "postgresql://clerk@10.0.0.5:5432/minzheng"}', encoding="utf-8")
    assert configured_server() == "postgresql://clerk@10.0.0.5:5432/minzheng"
    save_server("postgresql://admin:pw@10.0.0.6/other")  # this user's own choice wins
    assert configured_server() == "postgresql://admin:pw@10.0.0.6/other"
