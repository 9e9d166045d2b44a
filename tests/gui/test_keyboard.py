"""The keyboard, as a clerk works without the mouse: every labelled field has a mnemonic bound to it,
Tab leaves the roster table, Down or Enter in the search box moves to the results, F1 lists the
shortcuts."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QLineEdit, QWidget

from tests.conftest import ADMIN, CLERK, TODAY
from tests.helpers import roster_row, write_rows
from workbench.gui.main_window import SCREENS, MainWindow
from workbench.services.roster_import import import_roster

INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox)


def unlabelled_fields(page: QWidget) -> list[str]:
    """Inputs that no mnemonic label names (a search box may say what it is in its placeholder)."""
    buddies = {}
    for label in page.findChildren(QLabel):
        if label.buddy() is not None:
            buddies[label.buddy()] = label.text()
    missing = []
    for field in [child for kind in INPUTS for child in page.findChildren(kind)]:
        if field.parent() is not None and isinstance(field.parent(), INPUTS):
            continue  # a spin box's own line edit, a combo box's editor
        if not field.isVisibleTo(page) or not field.isEnabled():
            continue
        text = buddies.get(field)
        if text is None and isinstance(field, QLineEdit) and field.placeholderText():
            continue
        if text is None or "&" not in text:
            missing.append(f"{type(field).__name__} {field.objectName() or ''} label={text!r}")
    return missing


@pytest.fixture
def window(sqlite_db, tmp_path, qtbot, answers):
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2026-10")]), today=TODAY)
    main = MainWindow(sqlite_db, ADMIN)
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)
    qtbot.waitUntil(lambda: not main.page("花名册").loading, timeout=30_000)
    return main


def mnemonics(page: QWidget) -> list[str]:
    """The Alt+letter keys a screen's visible labels and buttons answer to."""
    texts = [label.text() for label in page.findChildren(QLabel) if label.buddy() is not None and label.isVisibleTo(page)]
    texts += [button.text() for button in page.findChildren(QAbstractButton) if button.isVisibleTo(page)]
    return [found.group(1).upper() for text in texts if (found := re.search(r"&([^&])", text))]


def test_every_labelled_field_of_every_screen_has_a_mnemonic(window):
    missing = {}
    for row, name in enumerate(SCREENS):
        window.nav.setCurrentRow(row)
        found = unlabelled_fields(window.page(name))
        keys = mnemonics(window.page(name))
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            found.append(f"Alt+{'/'.join(twice)} used twice")
        if found:
            missing[name] = found
    assert not missing, "\n".join(f"{name}: {fields}" for name, fields in missing.items())


def test_the_person_form_has_a_mnemonic_for_every_field(window, sqlite_db, qtbot):
    from workbench.gui.person_dialog import PersonDialog

    for person_id in (None, window.page("花名册").model.person_id(0)):  # a newcomer's form, a person's form
        form = PersonDialog(sqlite_db, ADMIN, person_id)
        qtbot.addWidget(form)
        form.show()
        keys = mnemonics(form)
        assert not unlabelled_fields(form) and len(keys) == len(set(keys)), (unlabelled_fields(form), sorted(keys))


def test_tab_leaves_the_roster_table_and_down_moves_from_the_search_to_the_results(window, qtbot):
    roster = window.page("花名册")
    table = roster.view
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()
    roster.search_box.setFocus()
    qtbot.waitUntil(roster.search_box.hasFocus)
    qtbot.keyClick(roster.search_box, Qt.Key.Key_Down)
    assert table.hasFocus() and table.currentIndex().row() == 0
    roster.search_box.setFocus()
    qtbot.keyClick(roster.search_box, Qt.Key.Key_Return)
    assert table.hasFocus()


def test_f1_lists_the_shortcuts(window, monkeypatch):
    from workbench.gui import main_window

    shown = []
    monkeypatch.setattr(main_window.QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window.show_about()
    assert "Ctrl+1" in shown[0] and "F5" in shown[0] and "Ctrl+Shift+L" in shown[0] and "F9" in shown[0]
