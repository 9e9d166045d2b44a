"""Qt set-up shared by the program and its tests: names, font, translations, icons."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from workbench.paths import bundled_font, resources_dir

ORGANIZATION = "县民政局"
APPLICATION = "老年人补贴工作台"
_translators: list[QTranslator] = []  # kept alive as long as the application


def configure(app: QApplication, language: str = "zh_CN") -> None:
    """Names for QSettings, the bundled font for every widget, Qt's and our own translations."""
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app.setWindowIcon(icon("app"))
    font_id = QFontDatabase.addApplicationFont(str(bundled_font()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        app.setFont(QFont(families[0], 10))
    QLocale.setDefault(QLocale(language))
    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_translations), (f"workbench_{language}", str(resources_dir() / "translations"))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _translators.append(translator)


def icon(name: str) -> QIcon:
    """A bundled SVG icon: drawn sharp at any screen scale."""
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))
