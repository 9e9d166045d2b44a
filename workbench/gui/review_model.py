"""The reviewer's lines of a month (新增/停发/变更/补发/追回) as a table model.

All lines are held; the view shows them through a list of row numbers that the filters (category,
township, a search by name, pinyin initials or ID number) and the sort order rebuild. Amounts sort
as numbers, by whole fen computed once when the lines arrive. What takes long (reading the lines,
the pinyin of every name) is done by `load_review` on a worker thread; the screen thread only
filters and sorts lists of numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workbench.bootstrap import Database
from workbench.domain.month import Month
from workbench.domain.search import SearchIndex
from workbench.gui.i18n import tr
from workbench.services.payout import DiffLine, MonthStatus, RunReport, batch_report, diff_month, month_status
from workbench.store.uow import Actor

CATEGORIES = ("新增", "停发", "变更", "补发", "追回")
COLUMNS = (  # header (shown through tr), DiffLine attribute
    (QT_TRANSLATE_NOOP("", "类别"), "category"),
    (QT_TRANSLATE_NOOP("", "乡镇"), "township"),
    (QT_TRANSLATE_NOOP("", "身份证号"), "id_number"),
    (QT_TRANSLATE_NOOP("", "姓名"), "name"),
    (QT_TRANSLATE_NOOP("", "项目"), "item"),
    (QT_TRANSLATE_NOOP("", "所属期"), "period"),
    (QT_TRANSLATE_NOOP("", "金额"), "amount"),
    (QT_TRANSLATE_NOOP("", "上月金额"), "previous"),
    (QT_TRANSLATE_NOOP("", "原因"), "reason"),
)
AMOUNTS = {"amount", "previous"}
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _fen(amount: Decimal | None) -> int:
    """An amount as whole fen, for ordering (an empty 上月金额 first)."""
    return -(10**15) if amount is None else int(amount * 100)


@dataclass
class Review:
    """A month as the reviewer sees it: where it stands, its totals and its lines."""

    month: Month
    status: MonthStatus
    report: RunReport | None = None
    lines: list[DiffLine] = field(default_factory=list)
    search: SearchIndex = field(default_factory=SearchIndex)
    sort_keys: dict[str, list] = field(default_factory=dict)  # attribute -> one key per line

    @property
    def townships(self) -> list[str]:
        return sorted({line.township for line in self.lines})


def load_review(db: Database, actor: Actor, month: Month) -> Review:
    """Everything the review screen shows for `month`, read on a worker thread."""
    status = month_status(db, actor, month)
    review = Review(month, status)
    if status.state is None:
        return review
    review.report = batch_report(db, actor, month)
    review.lines = lines = diff_month(db, actor, month)
    review.search.extend([line.name for line in lines], [line.id_number for line in lines])
    order = {name: index for index, name in enumerate(CATEGORIES)}
    review.sort_keys = {
        "category": [order.get(line.category, len(order)) for line in lines],
        "amount": [_fen(line.amount) for line in lines],
        "previous": [_fen(line.previous) for line in lines],
        "period": [int(line.period) for line in lines],
    }
    return review


@dataclass(frozen=True)
class ReviewFilter:
    category: str | None = None
    township: str | None = None
    query: str = ""


class ReviewModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.review: Review | None = None
        self.filter = ReviewFilter()
        self.order: list[int] = []  # every line, in the sort order
        self.rows: list[int] = []  # the lines shown, in the sort order
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None

    # Qt's model interface
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.review is None:
            return None
        attribute = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(self.review.lines[self.rows[index.row()]], attribute)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and attribute in AMOUNTS:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and attribute == "reason":
            return self.review.lines[self.rows[index.row()]].reason
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section][0]) if 0 <= section < len(COLUMNS) else None
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._order_lines()
        self.rows = self._passing()
        self.layoutChanged.emit()

    # Loading and filtering
    def set_review(self, review: Review | None) -> None:
        self.beginResetModel()
        self.review = review
        self._order_lines()
        self.rows = self._passing()
        self.endResetModel()

    def set_filter(self, new: ReviewFilter) -> None:
        if new == self.filter:
            return
        self.beginResetModel()
        self.filter = new
        self.rows = self._passing()
        self.endResetModel()

    def line(self, shown_row: int) -> DiffLine:
        return self.review.lines[self.rows[shown_row]]

    def total(self) -> int:
        return len(self.review.lines) if self.review is not None else 0

    def counts(self) -> dict[str, int]:
        """Lines per category, of all lines (whatever is shown)."""
        counts = dict.fromkeys(CATEGORIES, 0)
        for line in self.review.lines if self.review is not None else ():
            counts[line.category] = counts.get(line.category, 0) + 1
        return counts

    def _order_lines(self) -> None:
        everyone = range(self.total())
        if self.review is None or self.sorted_by is None:
            self.order = list(everyone)  # as the service gives them: by category, then ID number
            return
        column, direction = self.sorted_by
        attribute = COLUMNS[column][1]
        keys = self.review.sort_keys.get(attribute)
        if keys is None:
            lines = self.review.lines
            keys = self.review.sort_keys[attribute] = [getattr(line, attribute) for line in lines]
        self.order = sorted(everyone, key=keys.__getitem__, reverse=direction == Qt.SortOrder.DescendingOrder)

    def _passing(self) -> list[int]:
        if self.review is None:
            return []
        lines, wanted, rows = self.review.lines, self.filter, self.order
        if wanted.category:
            rows = [row for row in rows if lines[row].category == wanted.category]
        if wanted.township:
            rows = [row for row in rows if lines[row].township == wanted.township]
        if wanted.query.strip():
            rows = self.review.search.matches(wanted.query, rows)
        return rows if rows is not self.order else list(rows)
