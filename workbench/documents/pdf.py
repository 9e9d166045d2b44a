"""Printed documents (PDF, A4) with a Chinese TrueType font embedded as a subset.

Tables are drawn by `drawing`: every cell's text wraps inside the cell, so long names and village
names never run over a rule, and the text stays extractable.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Callable, NamedTuple, Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from workbench.documents.drawing import BOTTOM, LEADING, MARGIN, Cell, Column, Grid, PdfPages, signature_height
from workbench.documents.fonts import printing_font
from workbench.domain.chinese_amount import amount_in_words

BLANK = "\u00a0" * 6  # room to write a figure by hand
SIGNERS = ("制表人", "审核人", "负责人")


def font() -> str:
    """The font chosen for printing (`fonts`), registered; reportlab embeds the subset it uses."""
    return printing_font()


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def centered(texts: Sequence[str], size: float = 9) -> list[Cell]:
    return [Cell(text, align="center", size=size) for text in texts]


def page_footer(title: str, pages: int | None):
    """第 x 页, and 共 y 页 once the pages are counted."""
    return lambda page: f"{title}    第 {page} 页" + (f" 共 {pages} 页" if pages else "")


def counted(path: Path, draw: Callable[[Path | BinaryIO, int | None], int]) -> int:
    """A document drawn twice: into memory to count its pages, then into `path` with 共 y 页 in every
    footer. `draw(target, pages)` returns the number of pages it drew."""
    return draw(path, draw(io.BytesIO(), None))


# --- 汇总表 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    """One township (or the 合计 row): per item the people paid and the amount, then the people
    counted once, the person-times over the items, and the amount."""

    township: str
    items: tuple[tuple[int, Decimal], ...]  # (people, amount) per item, in the table's item order
    people: int
    person_times: int
    amount: Decimal


def write_summary(path: Path, title: str, subtitle: str, items: Sequence[str], rows: Sequence[SummaryRow],
                  total: SummaryRow, note: str = "") -> int:
    """汇总表: a township a row, a column group (人数, 金额) per item, then 合计 (人数 once per person,
    人次 per item, 金额), the 合计 row, the total in capitals and the signature lines; landscape A4,
    第 x 页 共 y 页. Returns the number of pages."""
    town_width, total_width = 24.0, 50.0
    group = min(60.0, (273.0 - town_width - total_width) / max(len(items), 1))  # the page's width, shared
    grid = Grid([Column(town_width)] + [column for _ in items for column in (Column(group * 0.36, "right"),
                                                                              Column(group * 0.64, "right"))]
                + [Column(12, "right"), Column(12, "right"), Column(total_width - 24, "right")], size=9)
    first = [Cell("乡镇", align="center", size=9)] + [Cell(item, span=2, align="center", size=9) for item in items] + [
        Cell("合计", span=3, align="center", size=9)]
    second = [Cell("", size=9)] + [Cell(text, align="center", size=8) for _ in items for text in ("人数", "金额")] + [
        Cell(text, align="center", size=8) for text in ("人数", "人次", "金额")]

    def cells(row: SummaryRow, bold: bool = False) -> list:
        size = 10 if bold else 9
        return ([Cell(row.township, size=size)] + [Cell(text, size=size) for people, amount in row.items
                                                    for text in (str(people) if people else "", money(amount) if amount else "")]
                + [Cell(str(row.people), size=size), Cell(str(row.person_times), size=size), Cell(money(row.amount), size=size)])

    def draw(target, pages: int | None) -> int:
        document = PdfPages(target, landscape(A4), title, font(), page_footer(title, pages))
        document.paragraph(title, 16, "center", after=3 * mm)
        document.paragraph(subtitle, 10, "center", after=4 * mm)
        document.table(grid, None, [first, second])
        document.table(grid, None, [cells(row) for row in rows] + [cells(total, bold=True)])
        document.row(grid, [Cell("合计(大写)", size=10),
                            Cell(amount_in_words(total.amount), span=len(grid.columns) - 1, align="left", size=11)])
        if note:
            document.space(2 * mm)
            document.paragraph(note, 9)
        document.signature_line(SIGNERS, after=8 * mm)
        document.save()
        return document.page

    return counted(path, draw)


# --- 发放花名册 ----------------------------------------------------------------------------------

ROSTER_HEADERS = ("序号", "姓名", "性别", "身份证号", "年龄", "村(社区)", "项目", "月标准", "本月金额", "补发", "实发金额",
                  "账号", "备注")
ROSTER = Grid([Column(12, "right"), Column(20), Column(9), Column(34), Column(9, "right"), Column(24), Column(24),
               Column(15, "right"), Column(16, "right"), Column(30), Column(18, "right"), Column(36),
               Column(26)])  # mm: landscape A4 less the margins (273 mm); 序号 holds five digits on one line
ROWS_PER_PAGE = 25
TITLE_BLOCK = 14 * LEADING + 2 * mm + 10 * LEADING + 2 * mm  # the title and the township above each page's table
SIGNATURE_SPACE = 6 * mm


class RosterRow(NamedTuple):
    """One person's one item in the month: the month's own amount, the back pay it carries (with the
    periods it covers), and what is paid for it; a recovery is named in the note, never netted.
    (A tuple: a county's roster has hundreds of thousands.)"""

    name: str
    sex: str
    id_number: str
    age: int
    village: str
    item: str
    standard: Decimal | None  # the item's monthly amount for the person
    this_month: Decimal
    back_pay: str  # "2026-01至2026-11 733.33", or ""
    paid: Decimal  # this month, back pay and 抵扣: what the bank pays for the item
    account: str
    note: str
    recovered: Decimal = Decimal("0.00")  # 追回 of the item (negative), apart from what is paid
    person: int = 0  # whose row: a person with several items is counted once


def _roster_cells(number: int, row: RosterRow) -> tuple[str, ...]:
    return (str(number), row.name, row.sex, row.id_number, str(row.age), row.village, row.item,
            money(row.standard) if row.standard is not None else "", money(row.this_month), row.back_pay,
            money(row.paid), row.account, row.note)


def _subtotal(rows: Sequence[RosterRow], label: str, words: bool) -> list:
    """What is paid (the bank lists' figure: payments less 抵扣); recoveries are not netted into it
    but named apart."""
    paid = sum((row.paid for row in rows), Decimal("0.00"))
    recovered = sum((row.recovered for row in rows), Decimal("0.00"))
    people = len({row.person for row in rows if row.paid > 0})
    apart = (f"另追回 {money(-recovered)} 元 ({sum(1 for row in rows if row.recovered)} 项), 不计入实发"
             if recovered else "")
    note = "; ".join(part for part in (amount_in_words(paid) if words else "", apart) if part)
    return [Cell(label, span=8), Cell(f"{people} 人", align="right"), Cell(""), money(paid), Cell(note, span=2, size=8)]


def _roster_pages(rows: Sequence[RosterRow], heights: Sequence[float], town: str, room: float,
                  font_name: str) -> list[tuple[int, int, bool]]:
    """(first row, end row, last page of the township) of each page: at most ROWS_PER_PAGE rows,
    as many as fit with the page subtotal, and on the last page the township total and signatures.
    `heights`: each row's height, as drawn."""
    subtotal = ROSTER.height(_subtotal(rows[:1], "本页小计", False), font_name)
    closing = (ROSTER.height(_subtotal(rows, f"{town}合计", True), font_name)
               + signature_height(SIGNATURE_SPACE))
    pages, start = [], 0
    while True:
        end, used = start, subtotal
        while end < len(rows) and end - start < ROWS_PER_PAGE and used + heights[end] <= room:
            used += heights[end]
            end += 1
        end = max(end, min(start + 1, len(rows)))  # a row taller than a page still goes somewhere
        if end == len(rows):
            while end > start + 1 and used + closing > room:  # make room for the total and signatures
                end -= 1
                used -= heights[end]
            if used + closing <= room or end == start:
                pages.append((start, end, True))
                return pages
        pages.append((start, end, False))
        start = end


def write_roster(path: Path, title: str, sections: Sequence[tuple[str, Sequence[RosterRow]]]) -> int:
    """One part per township, paged with a repeated header, page subtotals and a township total.

    The pages are planned first (row heights with wrapped cells), so every footer can say
    "第 x 页 共 y 页"; then each page is drawn. Returns the number of pages."""
    font_name = font()  # the same font measures the pages and draws them
    room = landscape(A4)[1] - MARGIN - BOTTOM - TITLE_BLOCK - ROSTER.height(ROSTER_HEADERS, font_name)
    cells = {town: [_roster_cells(number, row) for number, row in enumerate(rows, start=1)] for town, rows in sections}
    heights = {town: [ROSTER.height(row_cells, font_name) for row_cells in cells[town]] for town, _ in sections}
    plan = [(town, rows, page) for town, rows in sections for page in _roster_pages(rows, heights[town], town, room, font_name)]
    total = len(plan)
    document = PdfPages(path, landscape(A4), title, font_name, lambda page: f"{title}    第 {page} 页 共 {total} 页")
    header = centered(ROSTER_HEADERS)
    for index, (town, rows, (start, end, last)) in enumerate(plan):
        if index:
            document.new_page()
        document.paragraph(title, 14, "center", after=2 * mm)
        document.paragraph(f"乡镇: {town}", 10, after=2 * mm)
        document.row(ROSTER, header)
        town_cells, town_heights = cells[town], heights[town]
        for number in range(start, end):
            if town_heights[number] == ROSTER.line_height:  # the usual row: every cell one line
                document.line_row(ROSTER, town_cells[number])
            else:
                document.row(ROSTER, town_cells[number])
        document.row(ROSTER, _subtotal(rows[start:end], "本页小计", False))
        if last:
            document.row(ROSTER, _subtotal(rows, f"{town}合计", True))
            document.signature_line(SIGNERS, after=SIGNATURE_SPACE)
    document.save()
    return total


# --- 公示名单 -------------------------------------------------------------------------------------

PUBLICITY_HEADERS = ("序号", "姓名", "性别", "村(社区)", "项目", "月标准(元)", "本月金额(元)", "备注")
PUBLICITY = Grid([Column(11, "right"), Column(22), Column(10), Column(36), Column(34), Column(20, "right"),
                  Column(22, "right"), Column(31)], size=10)  # mm: portrait A4 less the margins (186 mm)


@dataclass(frozen=True)
class PublicityRow:
    name: str
    sex: str
    village: str
    item: str
    standard: Decimal | None
    amount: Decimal
    note: str
    person: int = 0


def write_publicity(path: Path, title: str, sections: Sequence[tuple[str, str, Sequence[PublicityRow]]],
                    period_line: str, contact_line: str) -> int:
    """One part per village, each on pages of its own (it is posted in that village): the people
    paid this month, their items and amounts, never an ID or account number. Returns the pages."""
    document = PdfPages(path, A4, title, font(), lambda page: f"{title}    第 {page} 页")
    for index, (town, village, rows) in enumerate(sections):
        if index:
            document.new_page()
        document.paragraph(title, 16, "center", after=2 * mm)
        document.paragraph(f"{town} {village}    共 {len({row.person for row in rows})} 人 {len(rows)} 项", 11, "center",
                           after=4 * mm)
        document.table(PUBLICITY, centered(PUBLICITY_HEADERS, 10),
                       ([str(number), row.name, row.sex, row.village, row.item,
                         money(row.standard) if row.standard is not None else "", money(row.amount), Cell(row.note, size=8)]
                        for number, row in enumerate(rows, start=1)))
        document.space(4 * mm)
        for line in (period_line, contact_line):
            document.paragraph(line, 10, after=2 * mm)
        signer = f"{town}办事处" if town.endswith("街道") else f"{town}人民政府"
        document.paragraph(f"{signer} (盖章)        {BLANK}年{BLANK}月{BLANK}日", 10, "right", after=2 * mm)
    if not sections:
        document.paragraph(title, 16, "center", after=5 * mm)
        document.paragraph("本月没有发放", 10)
    document.save()
    return document.page


# --- 增减变动表 -------------------------------------------------------------------------------------

CHANGES = Grid([Column(40), Column(60), Column(28, "right"), Column(28, "right"), Column(28, "right"), Column(28, "right")],
               size=10)
CHANGED = Grid([Column(30), Column(14), Column(22), Column(38), Column(40), Column(126)])  # mm: landscape A4 (270)


def write_changes(path: Path, title: str, subtitle: str, rows: Sequence[tuple[str, str, int, int, int, int]],
                  people: Sequence[tuple[str, str, str, str, str, str]]) -> int:
    """增减变动表: per township and item last month's people, added, stopped, this month's; then who
    was added or stopped and why. Returns the number of pages."""
    totals = [sum(row[index] for row in rows) for index in range(2, 6)]

    def draw(target, pages: int | None) -> int:
        document = PdfPages(target, landscape(A4), title, font(), page_footer(title, pages))
        document.paragraph(title, 16, "center", after=3 * mm)
        document.paragraph(subtitle, 10, "center", after=4 * mm)
        document.table(CHANGES, centered(("乡镇", "项目", "上月人数", "本月新增", "本月停发", "本月人数"), 10),
                       [[town, item, *(str(value) for value in values)] for town, item, *values in rows]
                       + [[Cell("合计", size=10), "", *(Cell(str(value), size=10) for value in totals)]])
        document.space(6 * mm)
        document.paragraph("新增和停发人员", 12, after=2 * mm)
        document.table(CHANGED, centered(("乡镇", "类别", "姓名", "身份证号", "项目", "原因")),
                       ([town, category, name, number, item, Cell(reason, size=8)]
                        for town, category, name, number, item, reason in people))
        document.signature_line(SIGNERS, after=8 * mm)
        document.save()
        return document.page

    return counted(path, draw)


# --- 待办提醒通知单 ---------------------------------------------------------------------------------

NOTICE_HEADERS = ("序号", "姓名", "身份证号", "村(社区)", "可享受项目", "起始月份", "依据", "是否已告知")
NOTICES = Grid([Column(12, "right"), Column(18), Column(36), Column(28), Column(30), Column(18), Column(68),
                Column(20)])  # mm, landscape A4 less margins; 序号 holds five digits on one line


@dataclass(frozen=True)
class NoticeRow:
    name: str
    id_number: str  # masked
    village: str
    item: str
    month: str
    reason: str


def write_notices(path: Path, title: str, instruction: str, sections: Sequence[tuple[str, Sequence[NoticeRow]]]) -> int:
    """One part per township, each starting a page: who to tell and help apply, and what for."""
    document = PdfPages(path, landscape(A4), title, font(), lambda page: f"{title}    第 {page} 页")
    for index, (town, rows) in enumerate(sections):
        if index:
            document.new_page()
        document.paragraph(title, 14, "center", after=2 * mm)
        document.paragraph(f"乡镇: {town}    共 {len(rows)} 人", 10, after=2 * mm)
        document.paragraph(instruction, 9, after=3 * mm)
        document.table(NOTICES, centered(NOTICE_HEADERS),
                       ([str(number), row.name, row.id_number, row.village, row.item, row.month, Cell(row.reason, size=8), ""]
                        for number, row in enumerate(rows, start=1)))
        document.signature_line(("经办人", "乡镇民政办负责人"), after=6 * mm)
    if not sections:
        document.paragraph(title, 14, "center", after=5 * mm)
        document.paragraph("没有需要通知的人员", 10)
    document.save()
    return len(sections)


# --- 审批表 -------------------------------------------------------------------------------------


FIELDS = Grid([Column(26, "center"), Column(67), Column(26, "center"), Column(67)], size=10)
SIGNATURE_BLOCKS = ("申请人(代办人)", "村(居)民委员会意见", "乡(镇)人民政府审核意见", "县民政局审批意见")
BLOCK = (93 * mm, 42 * mm)


def _pairs(fields: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Two label-value pairs a row."""
    rows = []
    for start in range(0, len(fields), 2):
        row = [text for pair in fields[start:start + 2] for text in pair]
        rows.append(row + [""] * (4 - len(row)))
    return rows


def write_approval_sheets(path: Path, sheets: Sequence[tuple[str, Sequence[tuple[str, str]], Sequence[tuple[str, str]]]]) -> None:
    """One A4 page per sheet: (title, applicant and basis fields, payment fields), then four signature blocks."""
    document = PdfPages(path, A4, sheets[0][0] if sheets else "审批表", font(), lambda page: f"第 {page} 页")
    width, height = BLOCK
    for index, (title, fields, payment) in enumerate(sheets):
        if index:
            document.new_page()
        document.paragraph(title, 16, "center", after=6 * mm)
        document.paragraph("申请人基本情况", 11, after=1 * mm)
        document.table(FIELDS, None, _pairs(fields))
        document.space(4 * mm)
        document.paragraph("补贴项目与金额", 11, after=1 * mm)
        document.table(FIELDS, None, _pairs(payment))
        document.space(6 * mm)
        if 2 * height > document.room():
            document.new_page()
        for number, label in enumerate(SIGNATURE_BLOCKS):
            left, top = MARGIN + (number % 2) * width, document.y - (number // 2) * height
            document.box(left, top, width, height)
            document.line_at(label, top - 4 * mm, 10, "left", left + 2 * mm, width - 4 * mm)
            document.line_at(f"签字(盖章):{BLANK * 3}{BLANK}年{BLANK}月{BLANK}日", top - height + 4 * mm, 9, "right",
                             left + 2 * mm, width - 4 * mm)
        document.space(2 * height)
    document.save()
