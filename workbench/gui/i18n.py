"""The screens' words through Qt's translation system.

Every text a screen shows is written in Chinese in the code and passed through `tr`, so another
language is added by translating resources/translations/workbench.ts (kept current with
`uv run python tools/update_translations.py`) and compiling it to workbench_<language>.qm.
Messages from the services (refusals, row errors) stay in Chinese.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = ""  # pyside6-lupdate files a bare tr("...") call under the empty context


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)
