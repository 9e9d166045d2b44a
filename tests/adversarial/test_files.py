"""Files and databases that are not what they should be: one Chinese line, never a traceback."""
import pytest

from tests.adversarial.conftest import digest, refused
from tests.helpers import workbench


@pytest.mark.parametrize("make", ["text file", "pdf", "folder"])
def test_a_database_that_is_not_one_is_refused_with_one_line(tmp_path, make):
    target = tmp_path / "not-a-db"
    if make == "folder":
        target.mkdir()
    else:
        target.write_bytes(b"%PDF-1.4 not a database" if make == "pdf" else "账本\n".encode())
    before = digest(target)
    message = refused(workbench("roster", "list", db=str(target)))
    assert "数据库" in message
    assert digest(target) == before


@pytest.mark.parametrize("command", [
    ("import", "bank-return", "2026-10"),
    ("import", "deaths"),
    ("roster", "import"),
])
def test_a_file_to_read_that_does_not_exist_is_named(county, tmp_path, command):
    missing = tmp_path / "回盘.xlsx"
    message = refused(workbench(*command, str(missing), db=str(county)))
    assert "找不到" in message and "回盘.xlsx" in message
