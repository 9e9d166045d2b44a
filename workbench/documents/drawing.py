"""Ruled tables and text drawn straight onto a reportlab canvas.

Printed rosters run to thousands of pages, and reportlab's flowables (a Paragraph per cell, a
Table per page, the whole story kept in memory) took minutes for them. This module measures and
draws each cell itself: text wraps inside its cell at any character (CJK has no spaces to break
at), a row grows to its tallest cell, and each page's text goes into one text object and its
rules into one path.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterable, Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

PAD_X = 3.0  # points inside a cell's left and right rules
PAD_Y = 2.0
LEADING = 1.3  # line height as a multiple of the font size
MARGIN = 12 * mm
BOTTOM = 16 * mm


LATIN_RUN = re.compile(r"[!-~]+|.")  # a run of printable ASCII (a figure, a word), or any one other character


def wrap(text: str, width: float, font: str, size: float) -> tuple[str, ...]:
    """Lines of `text` no wider than `width`, broken between any two Chinese characters and
    between figures or words (a figure is split only when it is wider than the whole line)."""
    # Every glyph of these fonts is at most one em wide, so a short text needs no measuring.
    if len(text) * size <= width and "\n" not in text:
        return (text,)
    return _measured_lines(text, width, font, size)


@lru_cache(maxsize=100_000)  # a roster repeats its townships, villages, items and amounts on every page
def _measured_lines(text: str, width: float, font: str, size: float) -> tuple[str, ...]:
    lines: list[str] = []
    for part in text.split("\n"):
        # Every glyph of these fonts is at most one em wide, so a short text needs no measuring.
        if len(part) * size <= width or stringWidth(part, font, size) <= width:
            lines.append(part)
            continue
        line, used = "", 0.0
        for token in LATIN_RUN.findall(part):
            advance = stringWidth(token, font, size)
            if line and used + advance > width:
                lines.append(line.rstrip())
                line, used = "", 0.0
                if token == " ":
                    continue
            if advance > width:  # longer than a line: by characters
                for char in token:
                    step = stringWidth(char, font, size)
                    if line and used + step > width:
                        lines.append(line)
                        line, used = "", 0.0
                    line += char
                    used += step
                continue
            line += token
            used += advance
        lines.append(line)
    return tuple(lines)


@dataclass(frozen=True)
class Cell:
    """A cell that differs from its column: spans several columns, or has its own alignment or size."""
    text: str
    span: int = 1
    align: str | None = None
    size: float | None = None


@dataclass(frozen=True)
class Column:
    width: float  # mm
    align: str = "left"


class Grid:
    """The columns of a ruled table; rows are sequences of str or Cell, one per column or span."""

    def __init__(self, columns: Sequence[Column], size: float = 9):
        self.columns = tuple(columns)
        self.size = size
        self.edges = [0.0]  # offsets of the column rules from the table's left rule
        for column in self.columns:
            self.edges.append(self.edges[-1] + column.width * mm)
        self.width = self.edges[-1]
        # (left offset, width, align) of each column, for a row of plain texts
        self._plain = tuple((self.edges[index], self.edges[index + 1] - self.edges[index], column.align)
                            for index, column in enumerate(self.columns))
        self._rooms = tuple(width - 2 * PAD_X for _, width, _ in self._plain)  # the text's width in each column
        # (where the text starts, its width, align) of each column, as `PdfPages.row` places a cell's lines
        self._starts = tuple((MARGIN + left + PAD_X, room, align) for (left, _, align), room in zip(self._plain, self._rooms))
        self._lefts = tuple(left for left, _, _ in self._plain)
        self.line_height = size * LEADING + 2 * PAD_Y  # a row whose every cell is one line

    def segments(self, row: Sequence[str | Cell]):
        """(left offset, width, text, align, size) of each cell of a row."""
        edges, columns, index = self.edges, self.columns, 0
        for value in row:
            if isinstance(value, Cell):
                span = value.span
                yield (edges[index], edges[index + span] - edges[index], value.text, value.align or columns[index].align,
                       value.size or self.size)
            else:
                span = 1
                yield edges[index], edges[index + 1] - edges[index], value, columns[index].align, self.size
            index += span

    def layout(self, row: Sequence[str | Cell], font: str) -> tuple[float, list]:
        """The row's height and its cells' wrapped lines."""
        size = self.size
        if self._is_plain(row):
            cells = [(left, width, wrap(text, room, font, size), align, size)
                     for (left, width, align), room, text in zip(self._plain, self._rooms, row)]
            return max(len(lines) for _, _, lines, _, _ in cells) * size * LEADING + 2 * PAD_Y, cells
        cells = [(left, width, wrap(text, width - 2 * PAD_X, font, size), align, size)
                 for left, width, text, align, size in self.segments(row)]
        tallest = max((len(lines) * size * LEADING for _, _, lines, _, size in cells), default=self.size * LEADING)
        return tallest + 2 * PAD_Y, cells

    def height(self, row: Sequence[str | Cell], font: str) -> float:
        size = self.size
        if self._is_plain(row):  # as `layout` measures it, without keeping the cells
            most = 1
            for room, text in zip(self._rooms, row):
                # `wrap`'s own first test, made here: a county's roster measures two million cells,
                # nearly all of them short, and the call alone costs 7% of printing it.
                if len(text) * size > room or "\n" in text:
                    most = max(most, len(wrap(text, room, font, size)))
            return most * size * LEADING + 2 * PAD_Y  # `line_height` when every cell is one line
        return self.layout(row, font)[0]

    def _is_plain(self, row: Sequence[str | Cell]) -> bool:
        """Whether `row` is one text for each column, none a `Cell`."""
        return len(row) == len(self._plain) and bool(row) and Cell not in set(map(type, row))


class PdfPages:
    """A PDF written page by page, with a cursor moving down from the top margin.

    Each page's text is one text block and its rules one path, written as PDF operators: a
    200,000-line roster draws two million texts, and reportlab's text and path objects format
    every one afresh. A text's encoding in the embedded font's subsets, its width and its
    wrapping are worked out once per document. `footer(page)` gives each page's footer line.
    """

    def __init__(self, path: Path | BinaryIO, pagesize, title: str, font: str, footer=None):
        if isinstance(path, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
        self.canvas = Canvas(str(path) if isinstance(path, Path) else path, pagesize=pagesize, pageCompression=1, initialFontName=font, initialFontSize=9)
        self.canvas.setTitle(title)
        self.canvas.setAuthor("县民政局老年人补贴工作台")
        self.font = font
        self._face = getFont(font)
        self.ascent = self._face.face.ascent / 1000  # baseline below the top of a line, per point of size
        self.page_width, self.page_height = pagesize
        self.frame_width = self.page_width - 2 * MARGIN
        self.footer = footer
        self.page = 1
        self._encoded: dict[tuple[str, float], tuple[str, str, str, str]] = {}  # (text, size) -> `_encode`
        self._widths: dict[tuple[str, float], float] = {}
        self._numbers: dict[float, str] = {}
        self._placed: dict[Grid, list[dict[str, tuple[str, tuple]]]] = {}  # grid -> per column: text -> `_placing`
        self._start_page()

    # --- the page ---

    def _start_page(self) -> None:
        self.y = self.page_height - MARGIN
        self._text: list[str] = []  # the page's text operators
        self._rules: list[str] = []  # the page's path operators
        self._font_in_use = None  # the font selection ("/F1+0 9 Tf") the text block made last
        self._ruled_at = None  # the bottom rule last drawn, which is the next row's top rule
        self._columns = None  # (cells' left offsets, right rule, top, bottom) of the rows just drawn with the same rules

    def _rule_columns(self) -> None:
        """The column rules of the rows drawn since the columns last changed, each one line down them all."""
        if self._columns is not None:
            lefts, right, top, bottom = self._columns
            top, bottom = self._number(top), self._number(bottom)
            xs = [self._number(MARGIN + left) for left in lefts] + [self._number(right)]
            self._rules.extend(f"{x} {top} m {x} {bottom} l" for x in xs)
            self._columns = None

    def _finish_page(self) -> None:
        self._rule_columns()
        if self.footer:
            self.line_at(self.footer(self.page), BOTTOM / 2, 8, "center")
        if self._text:
            self.canvas.addLiteral("BT " + " ".join(self._text) + " ET")
        if self._rules:
            self.canvas.addLiteral("0.5 w " + " ".join(self._rules) + " S")
        self.canvas.showPage()

    def new_page(self) -> None:
        self._finish_page()
        self.page += 1
        self._start_page()

    def room(self) -> float:
        return self.y - BOTTOM

    def save(self) -> None:
        self._finish_page()
        self.canvas.save()

    # --- text ---

    def line_at(self, text: str, baseline: float, size: float, align: str = "left", left: float = MARGIN,
                width: float | None = None) -> None:
        """One line of text on `baseline`, aligned within [left, left + width]."""
        if not text:
            return
        width = self.frame_width if width is None else width
        self._show(text, left if align == "left" else self._aligned(text, size, align, left, width), baseline, size)

    def _aligned(self, text: str, size: float, align: str, left: float, width: float) -> float:
        """Where `text` starts, right-aligned or centred within [left, left + width]."""
        spare = width - self.width_of(text, size)
        return left + (spare if align == "right" else spare / 2)

    def _number(self, value: float) -> str:
        """A coordinate as the page's operators write it (the same few hundred recur on every page)."""
        written = self._numbers.get(value)
        if written is None:
            written = self._numbers[value] = f"{value:.2f}"
        return written

    def width_of(self, text: str, size: float) -> float:
        width = self._widths.get((text, size))
        if width is None:
            width = self._widths[(text, size)] = stringWidth(text, self.font, size)
        return width

    def _shown(self, text: str, size: float) -> tuple[str, str, str, str]:
        """`_encode`'s answer for `text` at `size`, worked out once per document."""
        shown = self._encoded.get((text, size))
        if shown is None:
            shown = self._encoded[(text, size)] = self._encode(text, size)
        return shown

    def _show(self, text: str, x: float, baseline: float, size: float) -> None:
        shown = self._encoded.get((text, size)) or self._shown(text, size)
        numbers = self._numbers
        self._text.append(f"1 0 0 1 {numbers.get(x) or self._number(x)} {numbers.get(baseline) or self._number(baseline)} Tm "
                          + (shown[2] if shown[0] == self._font_in_use else shown[1]))
        self._font_in_use = shown[3]

    def _encode(self, text: str, size: float) -> tuple[str, str, str, str]:
        """The operators showing `text` at `size`: each run of characters in one subset of the
        embedded font selected and shown. Returned as the first run's font, the whole, the whole
        without the first selection (when that font is in use already) and the last run's font.

        The font assigns each new character to a subset once, so a text's runs stay the same for
        the rest of the document."""
        doc, escape = self.canvas._doc, self.canvas._escape
        runs = [(f"{self._face.getSubsetInternalName(subset, doc)} {size:g} Tf", f"({escape(part)}) Tj")
                for subset, part in self._face.splitString(text, doc)]
        whole = " ".join(f"{font} {part}" for font, part in runs)
        after_first = " ".join([runs[0][1]] + [f"{font} {part}" for font, part in runs[1:]])
        return runs[0][0], whole, after_first, runs[-1][0]

    def paragraph(self, text: str, size: float = 9, align: str = "left", after: float = 0.0) -> None:
        """Text across the frame, wrapped, starting a new page when it does not fit."""
        lines = wrap(text, self.frame_width, self.font, size)
        if len(lines) * size * LEADING > self.room():
            self.new_page()
        for line in lines:
            self.line_at(line, self.y - size * (LEADING - 1) / 2 - self.ascent * size, size, align)
            self.y -= size * LEADING
        self.y -= after

    def space(self, height: float) -> None:
        self.y -= height

    # --- tables ---

    def row(self, grid: Grid, row: Sequence[str | Cell], laid_out=None) -> float:
        """Draw one ruled row at the cursor (no page check); returns its height."""
        height, cells = laid_out or grid.layout(row, self.font)
        top, bottom = self.y, self.y - height
        self._rule_row(grid, top, bottom, tuple([cell[0] for cell in cells]))
        show, aligned, ascent = self._show, self._aligned, self.ascent
        firsts: dict[tuple[float, int], float] = {}  # (size, lines) -> the first line's baseline: most cells share one
        for left, width, lines, align, size in cells:
            leading = size * LEADING
            first = firsts.get((size, len(lines)))
            if first is None:
                first = firsts[(size, len(lines))] = top - (height - len(lines) * leading) / 2 - (leading - size) / 2 - ascent * size
            start = MARGIN + left + PAD_X
            for index, line in enumerate(lines):
                if line:  # placed as `line_at` places it
                    x = start if align == "left" else aligned(line, size, align, start, width - 2 * PAD_X)
                    show(line, x, first - index * leading, size)
        self.y = self._ruled_at = bottom
        return height

    def line_row(self, grid: Grid, texts: Sequence[str]) -> float:
        """Draw a row of one plain text per column, each on one line (`Grid.height` gave it
        `grid.line_height`), as `row` draws it, without laying it out; returns its height.

        What places and shows a text in its column is kept per column: a roster repeats its
        villages, items and amounts on every page."""
        height, size = grid.line_height, grid.size
        top, bottom = self.y, self.y - height
        self._rule_row(grid, top, bottom, grid._lefts)
        leading = size * LEADING
        baseline = top - (height - leading) / 2 - (leading - size) / 2 - self.ascent * size
        at = f" {self._number(baseline)} Tm "
        columns = self._placed.get(grid)
        if columns is None:
            columns = self._placed[grid] = [{} for _ in grid._starts]
        operators, font_in_use = self._text, self._font_in_use
        for placed, text, start in zip(columns, texts, grid._starts):
            if text:
                found = placed.get(text)
                if found is None:
                    found = placed[text] = self._placing(text, size, *start)
                where, shown = found
                operators.append(where + at + (shown[2] if shown[0] == font_in_use else shown[1]))
                font_in_use = shown[3]
        self._font_in_use = font_in_use
        self.y = self._ruled_at = bottom
        return height

    def _placing(self, text: str, size: float, start: float, room: float, align: str) -> tuple[str, tuple]:
        """How `_show` writes `text` in a column, but for the baseline: the matrix up to its x, and
        the text's operators (`_encode`)."""
        x = start if align == "left" else self._aligned(text, size, align, start, room)
        return f"1 0 0 1 {self._number(x)}", self._shown(text, size)

    def _rule_row(self, grid: Grid, top: float, bottom: float, lefts: tuple[float, ...]) -> None:
        """A row's rules: its top (unless the row above drew it) and bottom; its column rules are
        drawn with those of the rows around it that share them."""
        number, right = self._number, MARGIN + grid.width
        left_edge, right_edge = number(MARGIN), number(right)
        if top != self._ruled_at:
            self._rules.append(f"{left_edge} {number(top)} m {right_edge} {number(top)} l")
        self._rules.append(f"{left_edge} {number(bottom)} m {right_edge} {number(bottom)} l")
        columns = self._columns
        if columns is not None and columns[0] == lefts and columns[3] == top and columns[1] == right:
            self._columns = (lefts, right, columns[2], bottom)
        else:
            self._rule_columns()
            self._columns = (lefts, right, top, bottom)

    def table(self, grid: Grid, header: Sequence[str | Cell] | None, rows: Iterable[Sequence[str | Cell]]) -> None:
        """Rows flowing down the page, onto new pages as needed, the header repeated on each."""
        header_layout = grid.layout(header, self.font) if header else None
        if header_layout:
            if header_layout[0] * 2 > self.room():
                self.new_page()
            self.row(grid, header, header_layout)
        for row in rows:
            laid_out = grid.layout(row, self.font)
            if laid_out[0] > self.room():
                self.new_page()
                if header_layout:
                    self.row(grid, header, header_layout)
            self.row(grid, row, laid_out)

    def box(self, left: float, top: float, width: float, height: float) -> None:
        self._rules.append(f"{left:.2f} {top - height:.2f} {width:.2f} {height:.2f} re")

    def signature_line(self, names: Sequence[str], after: float = 0.0, size: float = 10) -> None:
        """制表人: ____  审核人: ____  … 日期: 年 月 日, evenly across the frame."""
        blank = "\u00a0" * 6
        texts = [f"{name}: ____________" for name in names] + [f"日期:{blank}年{blank}月{blank}日"]
        if signature_height(after, size) > self.room():
            self.new_page()
        width = self.frame_width / len(texts)
        baseline = self.y - after - self.ascent * size
        for index, text in enumerate(texts):
            self.line_at(text, baseline, size, "left", MARGIN + index * width, width)
        self.y -= signature_height(after, size)


def signature_height(after: float, size: float = 10) -> float:
    """The height `PdfPages.signature_line` takes, for planning pages before drawing them."""
    return after + size * LEADING
