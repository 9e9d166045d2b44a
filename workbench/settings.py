"""Every option of one user or one PC, declared once: its name, where it is kept, its default and
what it means. The program reads and writes them only through these declarations, and the
README's settings section is printed from them (`uv run python tools/update_readme.py`).

What every PC of a county shares (the policy, its standards, the bank's item codes) is not here:
it lives in the database's settings and standards tables and is set through the services.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Environment:
    """An environment variable: for scripts, the installer's tests and support staff."""

    name: str
    default: str | None
    meaning: str

    def value(self) -> str | None:
        """The variable's value; the default when it is unset or empty."""
        return os.environ.get(self.name) or self.default

    where = "环境变量"


@dataclass(frozen=True)
class Window:
    """Kept by the window through QSettings: the registry on Windows (HKEY_CURRENT_USER), a file
    elsewhere. Read with `QSettings().value(option.key, option.default)`."""

    key: str
    default: str | None
    meaning: str

    @property
    def name(self) -> str:
        return self.key

    where = "QSettings (Windows 注册表)"


@dataclass(frozen=True)
class DataFile:
    """A small file in a folder of the program's: JSON with one field, or plain text (`field` None)."""

    file: str
    field: str | None
    default: str | None
    meaning: str
    machine: bool = False  # in the PC's settings folder, which the installer writes, not the user's data folder

    @property
    def name(self) -> str:
        return f"{self.file}: {self.field}" if self.field else self.file

    @property
    def where(self) -> str:
        return "本机设置文件夹 (安装程序写入)" if self.machine else "用户数据文件夹"

    def path(self) -> Path:
        from workbench.paths import data_dir, machine_settings_dir

        return (machine_settings_dir() if self.machine else data_dir()) / self.file

    def read(self) -> str | None:
        """The stored value; the default when the file is missing, unreadable or lacks the field."""
        try:
            text = self.path().read_text(encoding="utf-8")
            value = json.loads(text).get(self.field) if self.field else text.strip()
        except (OSError, ValueError, AttributeError):
            return self.default
        return value if isinstance(value, str) and value else self.default

    def write(self, value: str) -> None:
        text = json.dumps({self.field: value}, ensure_ascii=False) if self.field else value
        self.path().write_text(text, encoding="utf-8")

    def forget(self) -> None:
        self.path().unlink(missing_ok=True)


@dataclass(frozen=True)
class Credential:
    """A secret in the operating system's credential store (Windows Credential Manager, through
    keyring), under a service name and an account; never in a file."""

    service: str
    account: str  # how the account is named, for the README
    default: str | None
    meaning: str

    @property
    def name(self) -> str:
        return f"{self.service}: {self.account}"

    where = "系统凭据管理器"


# The environment.
DATABASE = Environment("WORKBENCH_DB", None, "数据库地址 (SQLite 文件路径或 postgresql://...); 命令行的 --db 优先")
DATA_FOLDER = Environment("WORKBENCH_DATA_DIR", None, "用户数据文件夹 (默认: Windows 的 %LOCALAPPDATA%\\workbench)")
MACHINE_FOLDER = Environment("WORKBENCH_MACHINE_DIR", None,
                             "本机设置文件夹 (默认: Windows 的 %PROGRAMDATA%\\workbench, 其他系统 /etc/workbench)")
FONTS_FOLDER = Environment("WORKBENCH_FONTS_DIR", None, "系统字体文件夹 (默认: Windows 的 %WINDIR%\\Fonts)")
LANGUAGE = Environment("WORKBENCH_LANGUAGE", "zh_CN", "窗口的语言")
USER = Environment("WORKBENCH_USER", "admin", "命令行的操作用户; --user 优先")
PASSWORD = Environment("WORKBENCH_PASSWORD", None, "命令行操作用户的密码")
NEW_PASSWORD = Environment("WORKBENCH_NEW_PASSWORD", None, "命令行设置的新密码 (user add、首次登录)")

# The window's memory of one user.
LAST_USER = Window("login/user", "admin", "登录窗口预填的用户名: 上次登录的用户")
WINDOW_GEOMETRY = Window("window/geometry", None, "主窗口的位置和大小")
LAST_FOLDER = Window("files/last_folder", "", "选择文件时打开的文件夹: 上次用过的")

# Files of the user's data folder and of the PC's settings folder.
SERVER = DataFile("connection.json", "url", None,
                  "本用户选用的共享服务器地址 (不含密码; 密码在 Windows 凭据管理器); 没有则用本机数据库")
MACHINE_SERVER = DataFile("connection.json", "url", None, "安装时给全机用户设定的共享服务器地址; 用户自选的优先",
                          machine=True)
PRINT_FONT = DataFile("printing.json", "font", None, "打印所用字体 (宋体、仿宋、黑体); 没有则用程序自带的字体")
INSTALLATION = DataFile("installation.id", None, None, "本机安装的随机编号, 写入操作日志; 首次启动时生成")

# The credential store.
SERVER_PASSWORD = Credential("县民政局老年人补贴工作台", "用户@服务器:端口/数据库", None, "共享服务器登录密码")

OPTIONS = (DATABASE, DATA_FOLDER, MACHINE_FOLDER, FONTS_FOLDER, LANGUAGE, USER, PASSWORD, NEW_PASSWORD,
           LAST_USER, WINDOW_GEOMETRY, LAST_FOLDER, SERVER, MACHINE_SERVER, PRINT_FONT, INSTALLATION, SERVER_PASSWORD)


def readme_table() -> str:
    """The README's table of options, one row each, in the order declared."""
    rows = ["| 设置 | 保存在 | 默认 | 含义 |", "|---|---|---|---|"]
    for option in OPTIONS:
        default = f"`{option.default}`" if option.default else "无"
        rows.append(f"| `{option.name}` | {option.where} | {default} | {option.meaning} |")
    return "\n".join(rows) + "\n"
