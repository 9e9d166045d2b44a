"""The table drawing of printed documents: text wraps inside its cell and never crosses a rule."""
from decimal import Decimal as D

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from workbench.documents.drawing import MARGIN, PAD_X, PdfPages, wrap
from workbench.documents.pdf import NOTICES, ROSTER, ROWS_PER_PAGE, RosterRow, _roster_cells, font, write_roster

REASON = "基本生活 1.30×农村低保标准 520.00 = 676.00 元; 半护理 2.00×护理补贴标准 100.00 = 200.00 元"


@pytest.mark.parametrize("width", [30, 60, 100, 150, 400])
def test_wrapped_lines_fit_and_keep_every_character(width):
    lines = wrap(REASON, width, font(), 9)
    assert all(stringWidth(line, font(), 9) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == REASON.replace(" ", "")
    if width >= 60:  # a figure is not split when it fits on a line of its own
        assert not any(line.endswith(("676", "676.")) for line in lines)


def test_a_figure_wider_than_the_line_is_split_by_characters():
    lines = wrap("6231000011112222333444555", 40, font(), 9)
    assert len(lines) > 1 and "".join(lines) == "6231000011112222333444555"
    assert all(stringWidth(line, font(), 9) <= 40 for line in lines)


def test_short_text_is_one_line_and_line_breaks_are_kept():
    assert wrap("王德福", 50, font(), 9) == ("王德福",)
    assert wrap("甲\n乙", 50, font(), 9) == ("甲", "乙")


def row(number: int, long: bool) -> RosterRow:
    back = "2026-01至2026-09 1,111.11" if number % 3 == 0 else ""
    return RosterRow("欧阳秀兰英" if long else "王德福", "女", "140522********0325", 90,
                     "东关街道办事处西北隅社区居民委员会第三网格" if long else "东关村",
                     "经济困难老年人护理补贴 (重度失能)" if long else "高龄补贴", D("123.45"), D("123.45"), back,
                     D("1234.56") + number, "***************2333", "抵扣 12.00; 2026-09-15 去世" if long else "",
                     person=number)


@pytest.fixture
def drawn(monkeypatch):
    """Every string the PDF writer places, with its position and size, page by page: read back
    from each page's text operators as it is finished (the footer excepted)."""
    pages: list[list[tuple[str, float, float, float]]] = []
    encode, finish = PdfPages._encode, PdfPages._finish_page
    whole: dict[str, tuple[str, float]] = {}  # a text's operators -> (text, size)
    after_font: dict[tuple[str, str], tuple[str, str, float]] = {}  # (font in use, operators without it) -> (text's last font, text, size)

    def remember(self, text, size):
        shown = encode(self, text, size)
        whole[shown[1]] = (shown[3], text, size)
        after_font[(shown[0], shown[2])] = (shown[3], text, size)
        return shown

    def read_page(self):
        page, font_in_use = [], None
        for operator in self._text:
            *_, x, y, tm, shown = operator.split(" ", 7)
            assert tm == "Tm"
            font_in_use, text, size = whole[shown] if shown in whole else after_font[(font_in_use, shown)]
            page.append((text, float(x), float(y), size))
        pages.append(page)
        finish(self)

    monkeypatch.setattr(PdfPages, "_encode", remember)
    monkeypatch.setattr(PdfPages, "_finish_page", read_page)
    return pages


def test_no_cell_text_crosses_a_column_rule(tmp_path, drawn):
    rows = [row(number, number % 2 == 0) for number in range(70)]
    path = tmp_path / "roster.pdf"
    pages = write_roster(path, "2026-10 老年人补贴发放花名册", [("凤城镇", rows), ("町店镇", rows[:3])])
    reader = PdfReader(path)
    assert pages == len(reader.pages) == len(drawn)
    rules = [MARGIN + edge for edge in ROSTER.edges]
    checked = names = 0
    for number, page in enumerate(drawn, start=1):
        subtotal_y = next(y for text, _, y, _ in page if text == "本页小计")
        for text, x, y, size in page:
            if size != 9 or y <= subtotal_y:  # titles, footers, and the total rows with their spans
                continue
            width = stringWidth(text, font(), size)
            crossed = [rule for rule in rules if x - PAD_X + 0.01 < rule < x + width + PAD_X - 0.01]
            assert not crossed, f"「{text}」 crosses a rule on page {number}"
            checked += 1
            names += text == "欧阳秀兰英"
    assert checked > 700 and names == 35 + 2  # every long name is drawn whole, inside its cell
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "东关街道办事处" in text and "凤城镇合计" in text and "町店镇合计" in text and "欧阳秀兰英" in text
    assert f"第 {pages} 页 共 {pages} 页" in reader.pages[-1].extract_text()


def test_pages_hold_at_most_the_row_limit_and_every_row_once(tmp_path, drawn):
    rows = [row(number, number % 5 == 0) for number in range(130)]
    pages = write_roster(tmp_path / "roster.pdf", "花名册", [("凤城镇", rows)])
    numbers = []
    for page in drawn:
        on_page = [int(text) for text, x, _, _ in page if text.isdigit() and x < MARGIN + 10 * mm]
        assert len(on_page) <= ROWS_PER_PAGE
        numbers += on_page
    assert numbers == list(range(1, 131))
    assert pages == len(drawn) >= 6
    assert all(any(text == "本页小计" for text, *_ in page) for page in drawn)
    assert [text for text, *_ in drawn[-1]].count("凤城镇合计") == 1


@pytest.mark.parametrize("number", [9, 1000, 12345, 99999])
def test_a_roster_row_with_a_long_serial_number_stays_on_one_line(number):
    """A township lists tens of thousands of rows: a five-digit 序号 is not broken over two lines
    (it was from 1,000 on, doubling the pages of a county's roster)."""
    cells = _roster_cells(number, row(1, False))  # masked ID and account, amounts, no back pay
    height, laid_out = ROSTER.layout(cells, font())
    assert [lines for _, _, lines, _, _ in laid_out][0] == (str(number),)
    assert all(len(lines) == 1 for _, _, lines, _, _ in laid_out)
    assert height == ROSTER.layout(_roster_cells(1, row(1, False)), font())[0]


def test_a_notice_row_with_a_five_digit_serial_number_stays_on_one_line():
    _, laid_out = NOTICES.layout(["99999", "王德福", "140522********0325", "东关村", "高龄补贴", "2026-11", "", ""], font())
    assert all(len(lines) == 1 for _, _, lines, _, _ in laid_out)


def test_a_row_of_one_line_cells_is_drawn_the_same_without_its_layout(tmp_path):
    """`line_row` (the roster's usual row, drawn without laying it out) writes the very operators
    `row` writes: the same texts at the same places, the same rules."""
    rows = [_roster_cells(number, row(number, False)) for number in (1, 2, 4, 5, 1000, 99998)]  # none with back pay
    assert all(ROSTER.height(cells, font()) == ROSTER.line_height for cells in rows)
    drawn = []
    for draw in (lambda pages, cells: pages.row(ROSTER, cells), lambda pages, cells: pages.line_row(ROSTER, cells)):
        pages = PdfPages(tmp_path / "rows.pdf", landscape(A4), "花名册", font())
        for cells in rows:
            draw(pages, cells)
        pages._rule_columns()
        drawn.append((pages._text, pages._rules, pages.y))
    assert drawn[0] == drawn[1]
    assert sum("Tm" in text for text in drawn[0][0]) == 6 * 11  # every cell shown but the empty 补发 and 备注
