"""Every option of one user or one PC is declared once (workbench/settings.py), read only through
that declaration, and listed in the README from it."""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

import workbench
from workbench import settings
from workbench.settings import OPTIONS, Credential, DataFile, Environment, Window

PACKAGE = Path(workbench.__file__).parent
ROOT = PACKAGE.parent


def literal_uses(names: set[str], package: Path = PACKAGE) -> set[str]:
    """Where a string literal of the program (outside settings.py) is one of `names`."""
    return {
        f"{path.relative_to(package)}:{node.lineno} {node.value}"
        for path in package.rglob("*.py") if path.name != "settings.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names
    }


def declared_names() -> set[str]:
    names = set()
    for option in OPTIONS:
        names.add(option.name)
        if isinstance(option, DataFile):
            names.add(option.file)  # a credential's service is the program's title, which other places name too
    return names


def test_no_option_is_named_outside_its_declaration():
    assert literal_uses(declared_names()) == set()


def test_the_check_finds_an_option_named_twice(tmp_path):
    (tmp_path / "leaky.py").write_text('import os\nname = os.environ.get("WORKBENCH_DB")\n', encoding="utf-8")
    assert literal_uses(declared_names(), tmp_path) == {"leaky.py:2 WORKBENCH_DB"}


def test_each_option_is_declared_once():
    names = [(option.where, option.name) for option in OPTIONS]
    assert len(names) == len(set(names))
    assert set(OPTIONS) == {value for value in vars(settings).values() if isinstance(value, (Environment, Window, DataFile, Credential))}


def test_the_readme_lists_the_options_as_declared():
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "tools" / "update_readme.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert tool.rewritten(text) == text, "run: uv run python tools/update_readme.py"
    for option in OPTIONS:
        assert f"| `{option.name}` | {option.where} |" in text


def test_an_environment_option_falls_back_to_its_default(monkeypatch):
    monkeypatch.setenv("WORKBENCH_USER", "")
    assert settings.USER.value() == "admin"
    monkeypatch.setenv("WORKBENCH_USER", "王芳")
    assert settings.USER.value() == "王芳"


@pytest.mark.parametrize("stored", ["", "not json", '["a list"]', '{"font": 3}', '{"other": "宋体"}'])
def test_a_settings_file_that_cannot_be_read_gives_the_default(tmp_path, monkeypatch, stored):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path))
    (tmp_path / settings.PRINT_FONT.file).write_text(stored, encoding="utf-8")
    assert settings.PRINT_FONT.read() is None


def test_a_settings_file_keeps_what_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("WORKBENCH_MACHINE_DIR", str(tmp_path / "machine"))
    (tmp_path / "machine").mkdir()
    settings.PRINT_FONT.write("仿宋")
    settings.INSTALLATION.write("0123456789abcdef")
    settings.MACHINE_SERVER.write("postgresql://clerk@10.0.0.5/minzheng")
    assert settings.PRINT_FONT.read() == "仿宋"
    assert settings.INSTALLATION.read() == "0123456789abcdef"
    assert settings.SERVER.read() is None  # the user's own file is not the PC's
    assert settings.MACHINE_SERVER.read() == "postgresql://clerk@10.0.0.5/minzheng"
    settings.PRINT_FONT.forget()
    assert settings.PRINT_FONT.read() is None
