"""The command-line tests' database: a fresh SQLite file made by `workbench init`."""
import pytest

from tests.helpers import workbench


@pytest.fixture
def cli_db(tmp_path):
    db = str(tmp_path / "cli.db")
    done = workbench("init", "--policy", "yangcheng", db=db)
    assert done.returncode == 0, done.stderr
    return db
