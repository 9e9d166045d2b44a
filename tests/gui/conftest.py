"""The desktop screens under pytest-qt: Qt on the X display, the program's font and translations, settings
kept in a temporary folder, and message boxes and file choosers answered by the test."""
from __future__ import annotations

import gc
import os


from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from workbench.gui import common  # noqa: E402
from workbench.gui.collector import install_collector  # noqa: E402
from workbench.gui.style import configure  # noqa: E402

SCREENSHOTS = Path(os.environ.get("WORKBENCH_SCREENSHOTS", Path(__file__).resolve().parents[2] / "build" / "screenshots"))


def distinct_colours(image: QImage) -> int:
    step_x, step_y = max(image.width() // 60, 1), max(image.height() // 60, 1)
    return len({image.pixel(x, y) for x in range(0, image.width(), step_x) for y in range(0, image.height(), step_y)})


def open_every_screen(window) -> None:
    """Show the window and visit each screen by the navigation, as a clerk clicking down the list."""
    from workbench.gui.main_window import SCREENS

    window.show()
    for row, name in enumerate(SCREENS):
        window.nav.setCurrentRow(row)
        assert window.current_page() is window.page(name)


@pytest.fixture(scope="session")
def qapp_args(pytestconfig):
    """On the X display pytest-xvfb started (or the developer's own), through Qt's xcb platform as
    users see it; offscreen only where there is no display at all. Decided here, when the application
    is made, because pytest-xvfb sets DISPLAY after this file is read."""
    platform = os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY") else "offscreen")
    return [pytestconfig.getini("qt_qapp_name"), "-platform", platform]


@pytest.fixture(scope="session", autouse=True)
def _configured_application(qapp, tmp_path_factory):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("qsettings")))
    configure(qapp)
    return qapp


@pytest.fixture(autouse=True)
def _collected_on_the_screen_thread(qapp):
    """As in the program: no cyclic collection on worker threads while a screen test runs, and the
    test's garbage (its closed pages and models) collected here, on the screen's thread, after it."""
    collector = install_collector(qapp)
    yield collector
    collector.stop()
    collector.deleteLater()
    gc.collect()


class Answers:
    """What the test answers to the program's questions, and the messages it was shown."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []
        self.confirm = True
        self.files: dict[str, str | None] = {}
        self.print_choice: tuple[str | None, bool] | None = (None, False)
        self.opened: list[str] = []

    def answer(self, title: str) -> str | None:
        return self.files.get(title)


@pytest.fixture
def answers(monkeypatch) -> Answers:
    given = Answers()
    monkeypatch.setattr(common, "inform", lambda parent, title, text: given.messages.append((title, text)))
    monkeypatch.setattr(common, "warn", lambda parent, title, text: given.messages.append((title, text)))
    monkeypatch.setattr(common, "confirm", lambda parent, title, text: given.messages.append((title, text)) or given.confirm)
    monkeypatch.setattr(common, "choose_directory", lambda parent, title: given.answer(title))
    monkeypatch.setattr(common, "save_file", lambda parent, title, suggested, filters: given.answer(title))
    monkeypatch.setattr(common, "open_file", lambda parent, title, filters: given.answer(title))
    monkeypatch.setattr(common, "ask_text", lambda parent, title, label: given.answer(title))
    monkeypatch.setattr(common, "choose", lambda parent, title, label, items: given.answer(title))
    monkeypatch.setattr(common, "print_options", lambda parent, title, townships, allow_full: given.print_choice)
    monkeypatch.setattr(common, "open_document", lambda path: given.opened.append(str(path)) or True)
    return given
