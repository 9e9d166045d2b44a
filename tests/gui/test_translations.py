"""The screens' words go through Qt's translation system: the template lists them all, and a
compiled translation changes what the window shows."""
from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTranslator

from tests.conftest import ADMIN
from workbench.gui.main_window import MainWindow
from workbench.paths import resources_dir

ROOT = Path(__file__).resolve().parents[2]


def sources(ts: Path) -> set[str]:
    return {html.unescape(text) for text in re.findall(r"<source>([^<]*)</source>", ts.read_text(encoding="utf-8"))}


def test_the_translation_template_lists_every_text_of_the_screens(tmp_path):
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(path) for path in (ROOT / "workbench" / "gui").glob("*.py"))
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run([str(lupdate), *files, "-locations", "none", "-ts", str(fresh)], check=True, capture_output=True)
    committed = sources(resources_dir() / "translations" / "workbench.ts")
    missing = sources(fresh) - committed
    assert not missing, f"run tools/update_translations.py: {sorted(missing)[:5]}"
    assert {"花名册", "月度发放", "姓名", "导入花名册(&I)…"} <= committed


def test_an_english_translation_changes_the_window(sqlite_db, qtbot):
    translator = QTranslator()
    assert translator.load("workbench_en", str(resources_dir() / "translations"))
    QCoreApplication.installTranslator(translator)
    try:
        window = MainWindow(sqlite_db, ADMIN)
        qtbot.addWidget(window)
        assert [window.nav.item(row).text() for row in range(3)] == ["Roster", "Applications", "Monthly payout"]
        roster = window.page("花名册")
        assert roster.model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    finally:
        QCoreApplication.removeTranslator(translator)
    window = MainWindow(sqlite_db, ADMIN)
    qtbot.addWidget(window)
    assert window.nav.item(0).text() == "花名册"


def test_qt_dialogs_speak_chinese_and_file_choosers_open_in_the_last_folder(tmp_path):
    from workbench.gui import common

    assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"  # qtbase_zh_CN is loaded
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") != "&Yes"  # the message boxes' buttons
    common.remember_folder(str(tmp_path / "out" / "花名册.pdf"))
    (tmp_path / "out").mkdir()
    assert common.start_in("汇总表.pdf") == str(tmp_path / "out" / "汇总表.pdf")
    common.remember_folder(str(tmp_path), is_folder=True)
    assert common.start_in() == str(tmp_path)
    common.remember_folder(str(tmp_path / "gone" / "x.pdf"))  # a folder since removed: start as suggested
    assert common.start_in("x.pdf") == "x.pdf"
