"""The reviewer's lines of a month (新增/停发/变更/补发/追回) as a table model.

All lines are held; the view shows them through a list of row numbers that the filters (category,
township, a search by name, pinyin initials or ID number) and the sort order rebuild. Amounts sort
as numbers, by whole fen computed once when the lines arrive. What takes long (reading the lines,
the pinyin of every name) is done by `load_review` on a worker thread; the screen thread only
filters and sorts lists of numbers.
"""
from __future__ import annotations

import heapq
from array import array
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPersistentModelIndex, Qt

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.month import Month
from workbench.domain.search import SearchIndex
from workbench.gui import common
from workbench.services.payout import (
    DIFF_CATEGORIES, DiffLine, MonthStatus, RunReport, batch_report, diff_month, month_status,
)
from workbench.memory import paused_garbage_collection, release_gently

CATEGORIES = DIFF_CATEGORIES
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


BLOCK = 20_000  # lines sorted at once: a longer sort would hold the interpreter from the screen's thread


def _sorted_gently(count: int, keys: Sequence, descending: bool) -> array:
    """The line numbers 0..count-1 ordered by `keys`: blocks sorted apart and merged, so that no
    single call runs long enough to stall the screen's thread (equal keys keep their order)."""
    key = keys.__getitem__
    blocks = [sorted(range(start, min(start + BLOCK, count)), key=key, reverse=descending)
              for start in range(0, count, BLOCK)]
    return array("q", heapq.merge(*blocks, key=key, reverse=descending))


class TextColumn:
    """Many texts held as a few long strings (one per block of texts) and arrays of where each text
    begins: no object the cyclic garbage collector looks into (a tuple of 600,000 texts costs it
    one long look), and no single join or copy long enough to stall the screen's thread."""

    __slots__ = ("_blocks", "_length")

    def __init__(self, texts: Sequence[str]) -> None:
        self._blocks: list[tuple[str, array]] = []
        for first in range(0, len(texts), BLOCK):
            part = texts[first:first + BLOCK]
            starts, position = array("q", [0]), 0
            for text in part:
                position += len(text)
                starts.append(position)
            self._blocks.append(("".join(part), starts))
        self._length = len(texts)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> str:
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        text, starts = self._blocks[index // BLOCK]
        offset = index % BLOCK
        return text[starts[offset]:starts[offset + 1]]

    def __iter__(self):
        for text, starts in self._blocks:
            for offset in range(len(starts) - 1):
                yield text[starts[offset]:starts[offset + 1]]


class FenColumn:
    """Amounts held as whole fen in an array, read back as Decimal with two places (None, an empty
    上月金额, stays None and sorts first); the fen are the column's sort keys."""

    __slots__ = ("_fen",)
    NONE = -(2**62)

    def __init__(self, amounts: Sequence[Decimal | None]) -> None:
        self._fen = array("q", (self.NONE if amount is None else int(amount * 100) for amount in amounts))

    def __len__(self) -> int:
        return len(self._fen)

    def __getitem__(self, index: int) -> Decimal | None:
        fen = self._fen[index]
        return None if fen == self.NONE else Decimal(fen).scaleb(-2)

    @property
    def keys(self) -> array:
        return self._fen


@dataclass
class Review:
    """A month as the reviewer sees it: where it stands, its totals and its lines.

    The lines are held as columns, not as one object per line: texts as one string each, amounts
    in fen and periods as month numbers in arrays, sort keys and orders in arrays. Python's cyclic
    garbage collector, which runs on the screen's thread, never looks into any of them (hundreds
    of thousands of objects would stall it)."""

    month: Month
    status: MonthStatus
    report: RunReport | None = None
    columns: dict[str, Sequence] = field(default_factory=lambda: {attribute: () for _header, attribute in COLUMNS})
    search: SearchIndex = field(default_factory=SearchIndex)
    sort_keys: dict[str, Sequence] = field(default_factory=dict)  # attribute -> one key per line
    spans: dict[str, range] = field(default_factory=dict)  # category -> its lines (the service groups them)
    townships: list[str] = field(default_factory=list)
    orders: dict[tuple[str, bool], array] = field(default_factory=dict)  # (attribute, descending) -> lines

    def __len__(self) -> int:
        return len(self.columns["category"])

    def parts(self) -> list:
        """The large lists this review holds, to be freed gently once no one reads them."""
        return [self.columns, self.sort_keys, self.orders, self.search._texts]

    def line(self, index: int) -> DiffLine:
        values = {attribute: column[index] for attribute, column in self.columns.items()}
        return DiffLine(**{**values, "period": Month.from_index(values["period"])})

    def text(self, attribute: str, index: int) -> str:
        value = self.columns[attribute][index]
        if attribute == "period":
            return str(Month.from_index(value))
        return "" if value is None else str(value)

    def counts(self) -> dict[str, int]:
        return {category: len(self.spans.get(category, ())) for category in CATEGORIES}

    def category_rows(self, category: str | None) -> range:
        return self.spans.get(category, range(0)) if category else range(len(self))

    def ordered(self, attribute: str, descending: bool) -> array:
        """Every line in the order of one column (computed once, on a worker thread)."""
        order = self.orders.get((attribute, descending))
        if order is None:
            keys = self.sort_keys.get(attribute, self.columns[attribute])
            order = self.orders[(attribute, descending)] = _sorted_gently(len(self), keys, descending)
        return order


def load_review(db: Database, actor: Actor, month: Month) -> Review:
    """Everything the review screen shows for `month`, read on a worker thread (with the cyclic
    collector paused: the lines being read are all alive)."""
    with paused_garbage_collection():
        status = month_status(db, actor, month)
        review = Review(month, status)
        if status.state is None:
            return review
        review.report = batch_report(db, actor, month)
        lines = diff_month(db, actor, month)
        columns = review.columns
        for attribute in columns:
            if attribute == "period":
                columns[attribute] = array("q", (int(line.period) for line in lines))
            elif attribute in AMOUNTS:
                columns[attribute] = FenColumn([getattr(line, attribute) for line in lines])
            else:
                values = [getattr(line, attribute) for line in lines]
                columns[attribute] = TextColumn(values)
                release_gently(values)
        release_gently(lines)
        review.search.extend(columns["name"], columns["id_number"], {})
        categories, start = columns["category"], 0
        for category in CATEGORIES:  # the service gives the lines grouped by category, in this order
            end = start
            while end < len(categories) and categories[end] == category:
                end += 1
            review.spans[category] = range(start, end)
            start = end
        review.townships = sorted(set(columns["township"]))
        order = {category: index for index, category in enumerate(CATEGORIES)}
        review.sort_keys = {
            "category": array("q", (order[category] for category in categories)),
            "amount": columns["amount"].keys,
            "previous": columns["previous"].keys,
        }
        return review


@dataclass(frozen=True)
class ReviewFilter:
    category: str | None = None
    township: str | None = None
    query: str = ""

    @property
    def by_category_only(self) -> bool:
        return not self.township and not self.query.strip()


SortOrder = tuple[int, bool]  # column, descending


def arranged_rows(review: Review | None, wanted: ReviewFilter, sorted_by: SortOrder | None) -> Sequence[int]:
    """The lines shown, in the order shown. Long for a large month: called on a worker thread,
    except where it is a span of one category in the service's order."""
    if review is None:
        return range(0)
    span = review.category_rows(wanted.category)
    if sorted_by is None:
        rows: Sequence[int] = span
    else:
        column, descending = sorted_by
        order = review.ordered(COLUMNS[column][1], descending)
        rows = order if len(span) == len(review) else [row for row in order if row in span]
    if wanted.township:
        townships = review.columns["township"]
        rows = [row for row in rows if townships[row] == wanted.township]
    if wanted.query.strip():
        rows = review.search.matches(wanted.query, rows)
    return rows


class ReviewModel(common.RowsModel):
    """`arrange_later(number, filter, sort order)`, when given, is asked to compute the rows for a
    new filter or sort order (on a worker thread) and hand them to `show_rows` with the same number;
    without it they are computed at once. Only the newest request's rows are shown."""

    COLUMNS = COLUMNS

    def __init__(self, parent=None, *,
                 arrange_later: Callable[[int, ReviewFilter, SortOrder | None], None] | None = None) -> None:
        super().__init__(parent)
        self.arrange_later = arrange_later
        self.review: Review | None = None
        self.filter = ReviewFilter()
        self.sorted_by: SortOrder | None = None
        self.rows: Sequence[int] = range(0)
        self.requests = 0  # filters and orders asked for so far
        self.waiting_for: int | None = None  # the request being arranged on a worker thread

    @property
    def arranging(self) -> bool:
        return self.waiting_for is not None

    # Qt's model interface
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.review is None:
            return None
        attribute = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.review.text(attribute, self.rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole and attribute in AMOUNTS:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and attribute == "reason":
            return self.review.columns["reason"][self.rows[index.row()]]
        return None


    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._arrange(self.filter, (column, order == Qt.SortOrder.DescendingOrder) if column >= 0 else None)

    # Loading and filtering
    def set_review(self, review: Review | None) -> None:
        """A newly read month, shown with the current filter and order."""
        self.review = review
        self._arrange(self.filter, self.sorted_by, reset=True)

    def set_filter(self, new: ReviewFilter) -> None:
        if new != self.filter:
            self._arrange(new, self.sorted_by)

    def _arrange(self, wanted: ReviewFilter, sorted_by: SortOrder | None, *, reset: bool = False) -> None:
        """Show the rows for a filter and order: at once where that is cheap (a category's span in the
        service's order) or there is no one to ask, else when `arrange_later` hands them over."""
        self.requests += 1
        if self.arrange_later is None or sorted_by is None and wanted.by_category_only:
            self.show_rows(self.requests, wanted, sorted_by, arranged_rows(self.review, wanted, sorted_by))
            return
        self.waiting_for = self.requests
        if reset:  # the rows of another month are not shown meanwhile
            self.beginResetModel()
            self.rows = range(0)
            self.endResetModel()
        self.arrange_later(self.requests, wanted, sorted_by)

    def show_rows(self, request: int, wanted: ReviewFilter, sorted_by: SortOrder | None, rows: Sequence[int]) -> None:
        if request != self.requests:
            return  # a later filter or order was asked for meanwhile
        self.waiting_for = None
        self.beginResetModel()
        self.filter, self.sorted_by, self.rows = wanted, sorted_by, rows
        self.endResetModel()

    def line(self, shown_row: int) -> DiffLine:
        return self.review.line(self.rows[shown_row])

    def total(self) -> int:
        return len(self.review) if self.review is not None else 0

    def counts(self) -> dict[str, int]:
        """Lines per category, of all lines (whatever is shown)."""
        return self.review.counts() if self.review is not None else dict.fromkeys(CATEGORIES, 0)
