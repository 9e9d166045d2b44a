"""Small pieces every screen uses: messages and file choosers (one place, so tests can answer them),
month pickers, read-only tables, and calling a service with its refusal shown in Chinese."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHeaderView,
    QInputDialog, QLabel, QLineEdit, QMessageBox, QTableWidget, QTableWidgetItem, QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.faults import report_fault
from workbench.domain.month import Month
from workbench.gui.i18n import tr
from workbench.settings import LAST_FOLDER


def inform(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    text, accepted = QInputDialog.getText(parent, title, label)
    return text if accepted else None


def choose(parent: QWidget, title: str, label: str, items: Sequence[str]) -> str | None:
    text, accepted = QInputDialog.getItem(parent, title, label, list(items), 0, False)
    return text if accepted else None


def start_in(suggested: str = "") -> str:
    """Where a file chooser opens: the last folder used (with the suggested file name), if it is still there."""
    folder = str(QSettings().value(LAST_FOLDER.key, LAST_FOLDER.default) or "")
    if not folder or not Path(folder).is_dir():
        return suggested
    return str(Path(folder) / suggested) if suggested else folder


def remember_folder(chosen: str | None, *, is_folder: bool = False) -> str | None:
    if chosen:
        QSettings().setValue(LAST_FOLDER.key, str(Path(chosen) if is_folder else Path(chosen).parent))
    return chosen or None


def open_file(parent: QWidget, title: str, filters: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, start_in(), filters)
    return remember_folder(path)


def save_file(parent: QWidget, title: str, suggested: str, filters: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, start_in(suggested), filters)
    return remember_folder(path)


def choose_directory(parent: QWidget, title: str) -> str | None:
    return remember_folder(QFileDialog.getExistingDirectory(parent, title, start_in()), is_folder=True)


def open_document(path: str | Path) -> bool:
    """Show a saved document (a PDF) in the system's viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def print_options(parent: QWidget, title: str, townships: Sequence[str], allow_full: bool | None) -> tuple[str | None, bool] | None:
    """Ask which township to print (None: all of them) and whether with full ID and account numbers
    (offered only to the roles that may see them; not asked when `allow_full` is None: a document
    without numbers); None if cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    township_box = QComboBox()
    township_box.addItem("全部乡镇", None)
    for name in townships:
        township_box.addItem(name, name)
    full = QCheckBox("完整身份证号和银行账号 (内部存档用; 公示用请勿勾选)")
    full.setEnabled(bool(allow_full))
    form = QFormLayout(dialog)
    label = QLabel("乡镇(&T)")
    label.setBuddy(township_box)
    form.addRow(label, township_box)
    if allow_full is not None:
        form.addRow("", full)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return township_box.currentData(), full.isChecked()


def attempt(parent: QWidget, title: str, action: Callable[[], Any]) -> Any:
    """Call a service; a refusal, or a failure of the disk or the database, is shown in a message box
    and None returned (the traceback of a failure goes to the log)."""
    try:
        return action()
    except WorkbenchError as problem:
        warn(parent, title, str(problem))
        return None
    except Exception as problem:  # noqa: BLE001 - the last word to the user
        warn(parent, title, report_fault(problem, title))
        return None


class MonthEdit(QDateEdit):
    """A month picker (YYYY-MM): the year and month are typed, Up/Down and the arrows step one month
    (December to January of the next year), Page Up/Down one year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM")

    def stepBy(self, steps: int) -> None:
        self.setDate(self.date().addMonths(steps))

    def keyPressEvent(self, event) -> None:
        years = {Qt.Key.Key_PageUp: 1, Qt.Key.Key_PageDown: -1}.get(event.key())
        if years is None:
            super().keyPressEvent(event)
        else:
            self.setDate(self.date().addYears(years))

    def stepEnabled(self) -> QDateEdit.StepEnabledFlag:
        return QDateEdit.StepEnabledFlag.StepUpEnabled | QDateEdit.StepEnabledFlag.StepDownEnabled


def month_edit(initial: Month | None = None) -> QDateEdit:
    """A month picker (YYYY-MM) on `initial`, else this month."""
    edit = MonthEdit()
    month = initial or Month.of(date.today())
    edit.setDate(QDate(month.year, month.month, 1))
    return edit


def picked_month(edit: QDateEdit) -> Month:
    picked = edit.date()
    return Month(picked.year(), picked.month())


def picked_date(edit: QDateEdit) -> date:
    picked = edit.date()
    return date(picked.year(), picked.month(), picked.day())


class SearchEdit(QLineEdit):
    """A search box: Down, Enter or Return moves to the results (`to_results`)."""

    to_results = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.to_results.emit()
            return
        super().keyPressEvent(event)


def focus_results(view: QAbstractItemView) -> None:
    """Move the keyboard to a list of results, on its current (else first) row."""
    view.setFocus()
    if not view.currentIndex().isValid() and view.model() is not None and view.model().rowCount() > 0:
        view.setCurrentIndex(view.model().index(0, 0))


class RowsModel(QAbstractTableModel):
    """A table model that shows `rows` (numbers of the lines it holds) under `COLUMNS` ((header,
    attribute) pairs, the headers shown through tr): the counts and headers of Qt's interface."""

    COLUMNS: tuple[tuple[str, str], ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: Sequence[int] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return tr(self.COLUMNS[section][0]) if 0 <= section < len(self.COLUMNS) else None
        return str(section + 1)


def labelled(text: str, field: QWidget) -> QLabel:
    """A label with a mnemonic (&X) that moves the keyboard to `field`."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


def read_only_table(headers: Sequence[str]) -> QTableWidget:
    """A table for short lists (at most a few thousand rows): sortable, whole rows selected."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the next control
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[Any]], keys: Sequence[Any] | None = None) -> None:
    """Replace the table's rows; `keys` (one per row) are kept on the first cell for later lookup."""
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if isinstance(value, (int, float, Decimal)):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == 0 and keys is not None:
                item.setData(Qt.ItemDataRole.UserRole, keys[row_index])
            table.setItem(row_index, column, item)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # keep the given order
    table.setSortingEnabled(True)  # until the user clicks a header


def selected_key(table: QTableWidget) -> Any:
    row = table.currentRow()
    if row < 0:
        return None
    item = table.item(row, 0)
    return item.data(Qt.ItemDataRole.UserRole) if item else None
