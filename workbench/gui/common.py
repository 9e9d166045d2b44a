"""Small pieces every screen uses: messages and file choosers (one place, so tests can answer them),
month pickers, read-only tables, and calling a service with its refusal shown in Chinese."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Callable, Sequence

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDateEdit, QFileDialog, QHeaderView, QInputDialog, QMessageBox, QTableWidget,
    QTableWidgetItem, QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.domain.month import Month


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


def open_file(parent: QWidget, title: str, filters: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return path or None


def save_file(parent: QWidget, title: str, suggested: str, filters: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path or None


def choose_directory(parent: QWidget, title: str) -> str | None:
    return QFileDialog.getExistingDirectory(parent, title) or None


def attempt(parent: QWidget, title: str, action: Callable[[], Any]) -> Any:
    """Call a service; a refusal is shown in a message box and None returned."""
    try:
        return action()
    except WorkbenchError as problem:
        warn(parent, title, str(problem))
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


def read_only_table(headers: Sequence[str]) -> QTableWidget:
    """A table for short lists (at most a few thousand rows): sortable, whole rows selected."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
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
