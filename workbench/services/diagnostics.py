"""导出诊断信息: one zip for support with the logs, versions and settings, without passwords."""
from __future__ import annotations

import json
import platform
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from workbench import __version__
from workbench.services.database import Database
from workbench.logs import log_folder
from workbench.settings import OPTIONS, DataFile
from workbench.paths import data_dir

PACKAGES = ("sqlalchemy", "alembic", "psycopg", "pyside6-essentials", "reportlab", "openpyxl", "xlsxwriter", "keyring")


def versions() -> dict[str, str]:
    found = {"workbench": __version__, "python": sys.version.split()[0], "platform": platform.platform()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "未安装"
    return found


def export_diagnostics(db: Database | None, out: Path) -> Path:
    """Zip the logs, the versions, which database (no password) and the data folder's settings."""
    facts = {"versions": versions(), "data_folder": str(data_dir())}
    if db is not None:
        facts["database"] = db.engine.url.render_as_string(hide_password=True)
        facts["schema"] = db.state.value
        facts["network_share"] = bool(db.network_refusal)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("诊断信息.json", json.dumps(facts, ensure_ascii=False, indent=2))
        for log in sorted(log_folder().glob("workbench.log*")):
            archive.write(log, f"logs/{log.name}")
        for option in OPTIONS:  # the settings files (the server's address; its password is in the credential store only)
            if isinstance(option, DataFile) and option.path().is_file():
                archive.write(option.path(), ("本机设置/" if option.machine else "") + option.file)
        backups = sorted((data_dir() / "backups").glob("workbench-*.db"))
        archive.writestr("backups.txt", "\n".join(f"{path.name} {path.stat().st_size}" for path in backups))
    return out
