"""Where the program finds its bundled files and keeps the user's data."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

from workbench.settings import DATA_FOLDER, MACHINE_FOLDER

APP_NAME = "workbench"
_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """A top-level folder shipped with the program (db/, resources/), found from the package."""
    candidates = []
    if hasattr(sys, "_MEIPASS"):  # a PyInstaller bundle
        candidates.append(Path(sys._MEIPASS) / name)
    candidates += [_PACKAGE / "_bundled" / name, _PACKAGE.parent / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"找不到程序文件夹 {name} (安装不完整)")


def migrations_dir() -> Path:
    return _bundled("db")


def resources_dir() -> Path:
    return _bundled("resources")


def bundled_font() -> Path:
    """WenQuanYi Micro Hei, the TrueType font of the window and, by default, of printed documents."""
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def policy_presets_dir() -> Path:
    return resources_dir() / "policies"


def data_dir() -> Path:
    """The per-user data folder (`settings.DATA_FOLDER` overrides it)."""
    override = DATA_FOLDER.value()
    folder = Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_database_url() -> str:
    return f"sqlite:///{(data_dir() / 'workbench.db').as_posix()}"


def ui_dir() -> Path:
    """The Qt Designer forms (.ui) of the desktop program."""
    return _bundled("ui")


def machine_settings_dir() -> Path:
    """Settings the installer writes for every user of the PC (the shared server's address)."""
    override = MACHINE_FOLDER.value()
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / APP_NAME
    return Path("/etc") / APP_NAME
