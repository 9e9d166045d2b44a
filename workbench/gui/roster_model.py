"""The roster table model: columns held as lists, rows shown through an index list.

A county of 200,000 people costs a few lists of strings, not an item per cell. Parts (one
township each) arrive from a loader thread and are appended; filters and the search box only
rebuild the list of shown row numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt, QThread, Signal
from PySide6.QtGui import QBrush, QColor

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.search import SearchIndex
from workbench.gui import common
from workbench.services.accounts import record_unmasking
from workbench.services.roster_views import (
    AFTER_FIRST_VILLAGE, DECEASED, FIRST_VILLAGE, ON_ROSTER, WHOLE, RosterTable, roster_table, township_names,
)

COLUMNS = (  # header (shown through tr), RosterTable attribute
    (QT_TRANSLATE_NOOP("", "姓名"), "names"),
    (QT_TRANSLATE_NOOP("", "身份证号"), "id_numbers"),
    (QT_TRANSLATE_NOOP("", "性别"), "sexes"),
    (QT_TRANSLATE_NOOP("", "年龄"), "ages"),
    (QT_TRANSLATE_NOOP("", "乡镇"), "townships"),
    (QT_TRANSLATE_NOOP("", "村(社区)"), "villages"),
    (QT_TRANSLATE_NOOP("", "状态"), "statuses"),
    (QT_TRANSLATE_NOOP("", "户籍"), "hukou"),
    (QT_TRANSLATE_NOOP("", "低保"), "dibao"),
    (QT_TRANSLATE_NOOP("", "特困供养"), "tekun"),
    (QT_TRANSLATE_NOOP("", "享受项目"), "items"),
    (QT_TRANSLATE_NOOP("", "待审批"), "pending"),
)
NUMERIC = {"ages", "pending"}
_GREY = QBrush(QColor("#888888"))


@dataclass(frozen=True)
class RosterFilter:
    township: str | None = None
    village: str | None = None
    status: str | None = None  # 在册 / 已故 / 已迁出
    item: str | None = None  # item code
    query: str = ""


class RosterModel(common.RowsModel):
    """`find_person` (a whole ID number -> person id or None, asked of the database) lets a role
    without full numbers find someone by the exact number."""

    COLUMNS = COLUMNS

    def __init__(self, parent=None, *, find_person: Callable[[str], int | None] | None = None) -> None:
        super().__init__(parent)
        self.find_person = find_person
        self.table: RosterTable | None = None
        self.search = SearchIndex()
        self.filter = RosterFilter()
        self.rows: list[int] = []

    # Qt's model interface
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.table is None:
            return None
        row = self.rows[index.row()]
        attribute = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(self.table, attribute)[row]
            if attribute == "pending":
                return str(value) if value else ""
            return str(value)
        if role == Qt.ItemDataRole.UserRole:
            return self.table.person_ids[row]
        if role == Qt.ItemDataRole.TextAlignmentRole and attribute in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.table.statuses[row] != ON_ROSTER:
            return _GREY
        if role == Qt.ItemDataRole.ToolTipRole and self.table.statuses[row] == DECEASED:
            death = self.table.death_dates[row]
            return f"已于 {death.isoformat()} 去世" if death else None
        return None


    # Loading and filtering
    def clear(self) -> None:
        self.beginResetModel()
        self.table, self.rows, self.search = None, [], SearchIndex()
        self.endResetModel()

    def append(self, part: RosterTable) -> None:
        """Add the next part of the roster; its rows that pass the filter appear at the end."""
        if self.table is None:
            start = 0
            self.table = RosterTable(**{name: (list(value) if value is not None else None)
                                        for name, value in vars(part).items()})
        else:
            start = len(self.table)
            self.table.extend(part)
        self.search.extend(part.names, part.full_ids)
        shown = self._passing(range(start, len(self.table)))
        if shown:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(shown) - 1)
            self.rows.extend(shown)
            self.endInsertRows()

    def set_filter(self, new: RosterFilter) -> None:
        self.filter = new
        self.beginResetModel()
        self.rows = self._passing(range(len(self.table))) if self.table is not None else []
        self.endResetModel()

    def _passing(self, candidates: range) -> list[int]:
        table, wanted = self.table, self.filter
        rows = list(candidates)
        if wanted.township:
            townships = table.townships
            rows = [row for row in rows if townships[row] == wanted.township]
        if wanted.village:
            villages = table.villages
            rows = [row for row in rows if villages[row] == wanted.village]
        if wanted.status:
            statuses = table.statuses
            rows = [row for row in rows if statuses[row] == wanted.status]
        if wanted.item:
            codes = table.item_codes
            rows = [row for row in rows if wanted.item in codes[row]]
        if wanted.query.strip():
            query = wanted.query.strip()
            if table.full_ids is None and len(query) == 18:
                # A role without full numbers finds a person only by the whole, exact ID number.
                found = self.find_person(query.upper()) if self.find_person else None
                rows = [row for row in rows if table.person_ids[row] == found]
            else:
                rows = self.search.matches(query, rows)
        return rows

    def person_id(self, shown_row: int) -> int:
        return self.table.person_ids[self.rows[shown_row]]

    def total(self) -> int:
        return len(self.table) if self.table is not None else 0


class RosterLoader(QThread):
    """Reads the roster one township at a time and hands each part to the screen."""

    part_loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self._stop = False

    def stop(self) -> None:
        self._stop = True

    def run(self) -> None:
        try:
            shown = 0
            for index, township in enumerate(township_names(self.db, self.actor)):
                # The first township's first village alone: the first rows show before a large
                # township is read.
                for part_of in (FIRST_VILLAGE, AFTER_FIRST_VILLAGE) if index == 0 else (WHOLE,):
                    if self._stop:
                        return
                    part = roster_table(self.db, self.actor, township=township, audited=False, part=part_of)
                    shown += len(part)
                    if len(part):
                        self.part_loaded.emit(part)
            record_unmasking(self.db, self.actor, "花名册", shown)  # once per load, for roles shown full numbers
        except Exception as problem:  # noqa: BLE001 - reported on the screen
            self.failed.emit(str(problem))
