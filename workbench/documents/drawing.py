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


def wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """Lines of `text` no wider than `width`, broken between any two Chinese characters and
    between figures or words (a figure is split only when it is wider than the whole line)."""
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
    return lines


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
        cells = [(left, width, wrap(text, width - 2 * PAD_X, font, size), align, size)
                 for left, width, text, align, size in self.segments(row)]
        tallest = max((len(lines) * size * LEADING for _, _, lines, _, size in cells), default=self.size * LEADING)
        return tallest + 2 * PAD_Y, cells

    def height(self, row: Sequence[str | Cell], font: str) -> float:
        return self.layout(row, font)[0]


class PdfPages:
    """A PDF written page by page, with a cursor moving down from the top margin.

    Text goes into one text object a page and rules into one path a page, which is what keeps a
    200,000-line roster fast. `footer(page)` gives each page's footer line.
    """

    def __init__(self, path: Path | BinaryIO, pagesize, title: str, font: str, footer=None):
        if isinstance(path, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
        self.canvas = Canvas(str(path) if isinstance(path, Path) else path, pagesize=pagesize, pageCompression=1, initialFontName=font, initialFontSize=9)
        self.canvas.setTitle(title)
        self.canvas.setAuthor("县民政局老年人补贴工作台")
        self.font = font
        self.ascent = getFont(font).face.ascent / 1000  # baseline below the top of a line, per point of size
        self.page_width, self.page_height = pagesize
        self.frame_width = self.page_width - 2 * MARGIN
        self.footer = footer
        self.page = 1
        self._start_page()

    # --- the page ---

    def _start_page(self) -> None:
        self.y = self.page_height - MARGIN
        self.text = self.canvas.beginText()
        self.rules = self.canvas.beginPath()
        self._size = None
        self._ruled_at = None  # the bottom rule last drawn, which is the next row's top rule

    def _finish_page(self) -> None:
        if self.footer:
            self.line_at(self.footer(self.page), BOTTOM / 2, 8, "center")
        self.canvas.drawText(self.text)
        self.canvas.setLineWidth(0.5)
        self.canvas.drawPath(self.rules, stroke=1, fill=0)
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
        if align != "left":
            spare = width - stringWidth(text, self.font, size)
            left += spare if align == "right" else spare / 2
        self._show(text, left, baseline, size)

    def _show(self, text: str, x: float, baseline: float, size: float) -> None:
        if size != self._size:
            self.text.setFont(self.font, size)
            self._size = size
        self.text.setTextOrigin(x, baseline)
        self.text.textOut(text)

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
        rules = self.rules
        if top != self._ruled_at:
            rules.moveTo(MARGIN, top)
            rules.lineTo(MARGIN + grid.width, top)
        rules.moveTo(MARGIN, bottom)
        rules.lineTo(MARGIN + grid.width, bottom)
        for left, width, lines, align, size in cells:
            rules.moveTo(MARGIN + left, top)
            rules.lineTo(MARGIN + left, bottom)
            leading = size * LEADING
            first = top - (height - len(lines) * leading) / 2 - (leading - size) / 2 - self.ascent * size
            for number, line in enumerate(lines):
                self.line_at(line, first - number * leading, size, align, MARGIN + left + PAD_X, width - 2 * PAD_X)
        rules.moveTo(MARGIN + grid.width, top)
        rules.lineTo(MARGIN + grid.width, bottom)
        self.y = self._ruled_at = bottom
        return height

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
        self.rules.rect(left, top - height, width, height)

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
