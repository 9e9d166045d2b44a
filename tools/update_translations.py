"""Refresh resources/translations/workbench.ts from the screens' tr() texts, and compile every
workbench_<language>.ts beside it to .qm: `uv run python tools/update_translations.py`.

workbench.ts is the template a translator copies to workbench_<language>.ts (en, say); the
program loads workbench_<language>.qm for the language it runs in.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "resources" / "translations"
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / "workbench" / "gui").glob("*.py"))


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none",
                    "-source-language", "zh_CN", "-ts", str(FOLDER / "workbench.ts")], cwd=ROOT, check=True)
    for translated in FOLDER.glob("workbench_*.ts"):
        subprocess.run([str(BIN / "pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none",
                        "-ts", str(translated)], cwd=ROOT, check=True)
        subprocess.run([str(BIN / "pyside6-lrelease"), str(translated), "-qm", str(translated.with_suffix(".qm"))], check=True)


if __name__ == "__main__":
    main()
