"""Printed documents (PDF, A4) with the bundled Chinese TrueType font embedded.

Every table cell is a Paragraph with CJK word wrap and escaped text, so long names and village
names wrap inside their cells instead of running over a line.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from workbench.domain.chinese_amount import amount_in_words
from workbench.paths import resources_dir

FONT = "WorkbenchCJK"
BLANK = "&nbsp;" * 6  # room to write a figure by hand (a Paragraph collapses ordinary spaces)
FONT_FILE = "wqy-microhei.ttc"
GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
])


@lru_cache(maxsize=1)
def font() -> str:
    """Register the bundled font once (subset-embedded by reportlab in every PDF)."""
    pdfmetrics.registerFont(TTFont(FONT, str(resources_dir() / "fonts" / FONT_FILE), subfontIndex=0))
    return FONT


@lru_cache(maxsize=None)
def style(size: float = 9, align: str = "left", bold: bool = False) -> ParagraphStyle:
    alignment = {"left": 0, "center": TA_CENTER, "right": TA_RIGHT}[align]
    return ParagraphStyle(f"wb-{size}-{align}-{bold}", fontName=font(), fontSize=size, leading=size * 1.3,
                          alignment=alignment, wordWrap="CJK")


def cell(text, size: float = 9, align: str = "left") -> Paragraph:
    return Paragraph(escape("" if text is None else str(text)), style(size, align))


def fixed(markup: str, size: float = 9, align: str = "left") -> Paragraph:
    """A cell of this module's own markup (no user data in it), e.g. blanks to write on."""
    return Paragraph(markup, style(size, align))


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _footer(label: str, total_pages: int | None):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(font(), 8)
        page = f"第 {doc.page} 页 共 {total_pages} 页" if total_pages else f"第 {doc.page} 页"
        canvas.drawCentredString(doc.pagesize[0] / 2, 8 * mm, f"{label}    {page}")
        canvas.restoreState()
    return draw


def _document(path: Path, pagesize, title: str) -> SimpleDocTemplate:
    path.parent.mkdir(parents=True, exist_ok=True)
    return SimpleDocTemplate(str(path), pagesize=pagesize, title=title, author="县民政局老年人补贴工作台",
                             leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=16 * mm)


def signature_line(names: Sequence[str] = ("制表人", "审核人", "负责人")) -> Table:
    table = Table([[cell(f"{name}: ____________", 10) for name in names] + [fixed(f"日期:{BLANK}年{BLANK}月{BLANK}日", 10)]])
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 10)]))
    return table


# --- 汇总表 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    township: str
    item: str
    people: int
    amount: Decimal


def write_summary(path: Path, title: str, subtitle: str, rows: Sequence[SummaryRow], total_people: int) -> None:
    document = _document(path, A4, title)
    total = sum((row.amount for row in rows), Decimal("0.00"))
    data = [[cell(header, 10, "center") for header in ("乡镇", "项目", "人数", "金额(元)")]]
    data += [[cell(row.township), cell(row.item), cell(row.people, align="right"), cell(money(row.amount), align="right")]
             for row in rows]
    data.append([cell("合计", 10), cell(""), cell(total_people, 10, "right"), cell(money(total), 10, "right")])
    data.append([cell("合计(大写)", 10), cell(amount_in_words(total), 11), "", ""])
    table = Table(data, colWidths=[40 * mm, 60 * mm, 25 * mm, 45 * mm], repeatRows=1)
    table.setStyle(GRID)
    table.setStyle(TableStyle([("SPAN", (1, len(data) - 1), (3, len(data) - 1))]))
    story = [cell(title, 16, "center"), Spacer(1, 3 * mm), cell(subtitle, 10, "center"), Spacer(1, 5 * mm), table,
             Spacer(1, 10 * mm), signature_line()]
    document.build(story, onFirstPage=_footer(title, None), onLaterPages=_footer(title, None))


# --- 发放花名册 ----------------------------------------------------------------------------------

ROSTER_HEADERS = ("序号", "姓名", "性别", "身份证号", "年龄", "村(社区)", "项目", "所属期", "金额", "账号", "备注")
ROSTER_WIDTHS = (10, 18, 9, 38, 10, 28, 30, 17, 20, 44, 14)  # mm, landscape A4 less margins
ROWS_PER_PAGE = 25
ROSTER_PLAIN = TableStyle([
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("FONTSIZE", (0, 0), (-1, -1), 9),
    ("ALIGN", (0, 0), (0, -1), "RIGHT"),
    ("ALIGN", (4, 0), (4, -1), "RIGHT"),
    ("ALIGN", (8, 0), (8, -1), "RIGHT"),
])


@dataclass(frozen=True)
class RosterRow:
    name: str
    sex: str
    id_number: str
    age: int
    village: str
    item: str
    period: str
    amount: Decimal
    account: str
    note: str  # 补发 / 追回 / ""


def write_roster(path: Path, title: str, sections: Sequence[tuple[str, Sequence[RosterRow]]]) -> int:
    """One section per township, paged with a repeated header, page subtotals and a grand total."""
    document = _document(path, landscape(A4), title)
    pages = [(town, rows[start:start + ROWS_PER_PAGE], start, start + ROWS_PER_PAGE >= len(rows))
             for town, rows in sections for start in range(0, max(len(rows), 1), ROWS_PER_PAGE)]
    story = []
    for page_number, (town, rows, offset, last) in enumerate(pages, start=1):
        section_rows = next(section for name, section in sections if name == town)
        data = [[cell(header, 9, "center") for header in ROSTER_HEADERS]]
        for number, row in enumerate(rows, start=offset + 1):
            # Names, villages and items wrap (Paragraphs); the fixed-format figures this program
            # writes itself (numbers, months, masked IDs) cannot, and plain cells draw far faster.
            data.append([str(number), cell(row.name), row.sex, row.id_number, str(row.age), cell(row.village),
                         cell(row.item), str(row.period), money(row.amount), row.account, row.note])
        subtotal = sum((row.amount for row in rows), Decimal("0.00"))
        data.append([cell("本页小计", 9), "", "", "", "", "", "", cell(f"{len(rows)} 笔", align="right"),
                     cell(money(subtotal), 9, "right"), "", ""])
        if last:
            grand = sum((row.amount for row in section_rows), Decimal("0.00"))
            data.append([cell(f"{town}合计", 9), "", "", "", "", "", "", cell(f"{len(section_rows)} 笔", align="right"),
                         cell(money(grand), 9, "right"), cell(amount_in_words(grand), 8), ""])
        table = Table(data, colWidths=[width * mm for width in ROSTER_WIDTHS], repeatRows=1)
        table.setStyle(GRID)
        table.setStyle(ROSTER_PLAIN)
        table.setStyle(TableStyle([("SPAN", (0, len(rows) + 1), (6, len(rows) + 1))]
                                  + ([("SPAN", (0, len(rows) + 2), (6, len(rows) + 2)), ("SPAN", (9, len(rows) + 2), (10, len(rows) + 2))]
                                     if last else [])))
        story += [cell(title, 14, "center"), Spacer(1, 2 * mm), cell(f"乡镇: {town}", 10), Spacer(1, 2 * mm), table]
        if last:
            story += [Spacer(1, 6 * mm), signature_line()]
        if page_number < len(pages):
            story.append(PageBreak())
    document.build(story, onFirstPage=_footer(title, len(pages)), onLaterPages=_footer(title, len(pages)))
    return len(pages)


# --- 待办提醒通知单 ---------------------------------------------------------------------------------

NOTICE_HEADERS = ("序号", "姓名", "身份证号", "村(社区)", "可享受项目", "起始月份", "依据", "是否已告知")
NOTICE_WIDTHS = (10, 18, 36, 28, 30, 18, 70, 20)  # mm, landscape A4 less margins


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
    document = _document(path, landscape(A4), title)
    story = []
    for index, (town, rows) in enumerate(sections):
        data = [[cell(header, 9, "center") for header in NOTICE_HEADERS]]
        data += [[str(number), cell(row.name), row.id_number, cell(row.village), cell(row.item), row.month,
                  cell(row.reason, 8), ""] for number, row in enumerate(rows, start=1)]
        table = Table(data, colWidths=[width * mm for width in NOTICE_WIDTHS], repeatRows=1)
        table.setStyle(GRID)
        story += [cell(title, 14, "center"), Spacer(1, 2 * mm), cell(f"乡镇: {town}    共 {len(rows)} 人", 10),
                  Spacer(1, 2 * mm), cell(instruction, 9), Spacer(1, 3 * mm), table, Spacer(1, 6 * mm),
                  signature_line(("经办人", "乡镇民政办负责人"))]
        if index < len(sections) - 1:
            story.append(PageBreak())
    if not story:
        story = [cell(title, 14, "center"), Spacer(1, 5 * mm), cell("没有需要通知的人员", 10)]
    document.build(story, onFirstPage=_footer(title, None), onLaterPages=_footer(title, None))
    return len(sections)


# --- 审批表 -------------------------------------------------------------------------------------


def write_approval_sheets(path: Path, sheets: Sequence[tuple[str, Sequence[tuple[str, str]], Sequence[tuple[str, str]]]]) -> None:
    """One A4 page per sheet: (title, applicant and basis fields, payment fields), then four signature blocks."""
    document = _document(path, A4, sheets[0][0] if sheets else "审批表")
    story = []
    for index, (title, fields, payment) in enumerate(sheets):
        def grid(pairs):
            rows = []
            for start in range(0, len(pairs), 2):
                row = []
                for label, value in pairs[start:start + 2]:
                    row += [cell(label, 10, "center"), cell(value, 10)]
                row += [cell(""), cell("")] * (2 - len(pairs[start:start + 2]))
                rows.append(row)
            table = Table(rows, colWidths=[26 * mm, 67 * mm, 26 * mm, 67 * mm])
            table.setStyle(GRID)
            return table

        blocks = []
        for label in ("申请人(代办人)", "村(居)民委员会意见", "乡(镇)人民政府审核意见", "县民政局审批意见"):
            blocks.append([cell(label, 10), Spacer(1, 16 * mm),
                           fixed(f"签字(盖章):{BLANK * 3}{BLANK}年{BLANK}月{BLANK}日", 9, "right")])
        signatures = Table([[blocks[0], blocks[1]], [blocks[2], blocks[3]]], colWidths=[93 * mm, 93 * mm],
                           rowHeights=[42 * mm, 42 * mm])
        signatures.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [cell(title, 16, "center"), Spacer(1, 6 * mm), cell("申请人基本情况", 11), Spacer(1, 1 * mm), grid(fields),
                  Spacer(1, 4 * mm), cell("补贴项目与金额", 11), Spacer(1, 1 * mm), grid(payment), Spacer(1, 6 * mm),
                  KeepTogether([signatures])]
        if index < len(sheets) - 1:
            story.append(PageBreak())
    document.build(story, onFirstPage=_footer("", None), onLaterPages=_footer("", None))
