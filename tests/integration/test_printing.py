"""Printed documents: the text is extractable and holds the fields, totals and 大写金额."""
import os
import shutil
import subprocess
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import han_name, make_id, roster_row, write_rows
from workbench.domain.chinese_amount import amount_in_words
from workbench.domain.errors import InvalidInput, PermissionDenied
from workbench.domain.month import Month as M
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.policy import set_standard
from workbench.services.printing import print_approval, print_roster, print_summary
from workbench.services.roster_import import import_roster

OLD = make_id(date(1941, 5, 3), 11)
LONG = make_id(date(1936, 2, 2), 32)
CARE = make_id(date(1950, 6, 6), 51)
TEKUN = make_id(date(1948, 8, 8), 61)


@pytest.fixture
def printed_county(sqlite_db, tmp_path):
    db = sqlite_db
    rows = [
        roster_row(起始月份="2026-09"),
        roster_row(姓名="欧阳秀兰英", 身份证号=LONG, 性别="女", 出生日期="1936-02-02", 低保="是", 享受项目="高龄补贴、养老服务补贴",
                   起始月份="2026-10", **{"村(社区)": "东关街道办事处西北隅社区居民委员会第三网格"}),
        roster_row(姓名="张建国", 身份证号=CARE, 出生日期="1950-06-06", 低保边缘="是", 能力评估等级="重度失能",
                   享受项目="护理补贴", 起始月份="2026-10"),
        roster_row(姓名="赵全福", 身份证号=TEKUN, 出生日期="1948-08-08", 特困供养="分散", 自理能力="半护理",
                   享受项目="分散供养", 起始月份="2026-10"),
    ]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    set_standard(db, ADMIN, "低保标准", "农村", "520", date(2024, 1, 1))
    run_month(db, CLERK, M(2026, 10))
    approve_month(db, REVIEWER, M(2026, 10))
    return db


def text_of(path):
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_summary_holds_totals_and_the_amount_in_capitals(printed_county, tmp_path):
    path = print_summary(printed_county, CLERK, M(2026, 10), tmp_path / "summary.pdf")
    text = text_of(path)
    total = sum((line.amount for line in show_month(printed_county, ADMIN, M(2026, 10)) if line.amount > 0), D("0"))
    assert "2026-10 老年人补贴发放汇总表" in text and "已审批" in text
    assert f"{total:,.2f}" in text
    assert amount_in_words(total) in text.replace("\n", "")
    assert "制表人" in text and "审核人" in text and "负责人" in text
    fonts = [font.get_object() for font in PdfReader(path).pages[0]["/Resources"]["/Font"].values()]
    embedded = [font for font in fonts if "WenQuanYiMicroHei" in str(font["/BaseFont"])]
    assert embedded and "/FontFile2" in embedded[0]["/FontDescriptor"].get_object()  # a TrueType subset, embedded


def test_roster_pages_masks_subtotals_and_grand_total(printed_county, tmp_path):
    pages = print_roster(printed_county, CLERK, M(2026, 10), tmp_path / "roster.pdf")
    reader = PdfReader(tmp_path / "roster.pdf")
    assert len(reader.pages) == pages == 1
    text = text_of(tmp_path / "roster.pdf")
    assert "第 1 页 共 1 页" in text and "本页小计" in text and "凤城镇合计" in text
    assert OLD not in text and OLD[-4:] in text and "6231000011112222333" not in text
    assert "欧阳秀兰英" in text and "补发" in text
    with pytest.raises(PermissionDenied):
        print_roster(printed_county, CLERK, M(2026, 10), tmp_path / "full.pdf", full_numbers=True)
    print_roster(printed_county, ADMIN, M(2026, 10), tmp_path / "full.pdf", full_numbers=True)
    assert OLD in text_of(tmp_path / "full.pdf")


def test_a_long_roster_repeats_the_header_on_every_page(sqlite_db, tmp_path):
    rows = [roster_row(姓名=han_name("王德", index), 身份证号=make_id(date(1940, 1, 1), 2 * index + 1), 出生日期="1940-01-01", 起始月份="2026-10")
            for index in range(60)]
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(sqlite_db, CLERK, M(2026, 10))
    pages = print_roster(sqlite_db, CLERK, M(2026, 10), tmp_path / "roster.pdf")
    reader = PdfReader(tmp_path / "roster.pdf")
    assert pages == len(reader.pages) == 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "身份证号" in text and "本页小计" in text and f"第 {number} 页 共 3 页" in text
    assert "60 人" in reader.pages[-1].extract_text()


@pytest.mark.parametrize("person, item, title", [
    (OLD, "高龄补贴", "高龄补贴申请审批表"),
    (CARE, "护理补贴", "经济困难老年人护理补贴申请审批表"),
    (TEKUN, "分散供养", "特困人员救助供养审批表"),
])
def test_approval_sheets(printed_county, tmp_path, person, item, title):
    path = print_approval(printed_county, CLERK, person, item, tmp_path / "a.pdf", today=TODAY)
    text = text_of(path).replace("\n", " ")
    assert title in text
    for label in ("申请人(代办人)", "村(居)民委员会意见", "乡(镇)人民政府审核意见", "县民政局审批意见", "身份证号", "开户银行", "起始月份", "月发放金额", "补发金额"):
        assert label in text
    if item == "分散供养":
        assert "876.00 元" in text  # R(1.3 × 520) + 2 × 100


DOCUMENT_SHOTS = Path(os.environ.get("WORKBENCH_SCREENSHOTS", Path(__file__).resolve().parents[2] / "build" / "screenshots")) / "documents"


def test_first_pages_render_to_png(printed_county, tmp_path):
    """Page 1 of every document, drawn by poppler into build/screenshots/documents/ to be looked at."""
    from workbench.services.printing import print_publicity
    from workbench.services.report import print_changes

    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is needed to render documents; .ci/run installs it")
    documents = [print_summary(printed_county, CLERK, M(2026, 10), tmp_path / "汇总表.pdf"),
                 print_approval(printed_county, CLERK, OLD, "高龄补贴", tmp_path / "审批表.pdf", today=TODAY)]
    print_roster(printed_county, CLERK, M(2026, 10), tmp_path / "发放花名册.pdf")
    print_publicity(printed_county, CLERK, M(2026, 10), tmp_path / "公示名单.pdf")
    print_changes(printed_county, ADMIN, M(2026, 10), tmp_path / "增减变动表.pdf")
    documents += [tmp_path / "发放花名册.pdf", tmp_path / "公示名单.pdf", tmp_path / "增减变动表.pdf"]
    DOCUMENT_SHOTS.mkdir(parents=True, exist_ok=True)
    for document in documents:
        target = DOCUMENT_SHOTS / document.stem
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(document), str(target)],
                       check=True)
        assert target.with_suffix(".png").stat().st_size > 5000


def test_all_approvals_of_a_month_one_per_page(printed_county, tmp_path):
    from workbench.services.printing import print_month_approvals

    count = print_month_approvals(printed_county, CLERK, M(2026, 10), tmp_path / "month.pdf", today=TODAY)
    reader = PdfReader(tmp_path / "month.pdf")
    assert count == len(reader.pages) == 4  # 李: 高龄 and 养老服务; 张: 护理; 赵: 分散供养 (王 started in September)
    assert "特困人员救助供养审批表" in " ".join(page.extract_text() for page in reader.pages)


def embedded_fonts(path) -> set[str]:
    """The families of the fonts a PDF uses (a subset's name is its family and a number)."""
    return {str(font.get_object()["/BaseFont"]).split("+")[-1].split("-")[0]
            for page in PdfReader(path).pages for font in page["/Resources"]["/Font"].values()}


def test_a_system_font_chosen_for_printing_is_embedded(printed_county, tmp_path, windows_fonts):
    from workbench.documents import fonts

    assert fonts.available() == [fonts.BUNDLED, "仿宋", "黑体"] and fonts.chosen() == fonts.BUNDLED
    print_summary(printed_county, CLERK, M(2026, 10), tmp_path / "bundled.pdf")
    assert embedded_fonts(tmp_path / "bundled.pdf") == {"WenQuanYiMicroHei"}
    fonts.choose("黑体")
    assert fonts.chosen() == "黑体"
    print_summary(printed_county, CLERK, M(2026, 10), tmp_path / "chosen.pdf")
    assert embedded_fonts(tmp_path / "chosen.pdf") == {"BitstreamVeraSans"}
    with pytest.raises(InvalidInput, match="仿宋.*TrueType"):
        fonts.choose("仿宋")
    with pytest.raises(InvalidInput, match="本机没有字体「宋体」"):
        fonts.choose("宋体")
    assert fonts.chosen() == "黑体"  # a refused choice changes nothing
    (windows_fonts / "simhei.ttf").unlink()
    assert fonts.chosen() == fonts.BUNDLED  # the font was removed from the PC: back to the bundled one


def test_the_roster_total_is_what_the_bank_pays_and_the_dead_do_not_age(db, tmp_path):
    from workbench.services.bank_export import export_bank
    from workbench.services.roster import change_person

    late = make_id(date(1941, 10, 10), 13)  # 84 when he dies in September, 85 only in October
    rows = [roster_row(起始月份="2026-08"),
            roster_row(姓名="赵老汉", 身份证号=late, 出生日期="1941-10-10", 起始月份="2026-08")]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    for month in (M(2026, 8), M(2026, 9), M(2026, 10)):
        run_month(db, CLERK, month, today=TODAY)
        approve_month(db, REVIEWER, month)
    change_person(db, CLERK, late, "死亡日期", "2026-09-15", None, today=TODAY)
    run_month(db, CLERK, M(2026, 11), today=TODAY)
    approve_month(db, REVIEWER, M(2026, 11))
    lines = show_month(db, ADMIN, M(2026, 11))
    paid = sum(line.amount for line in lines if line.amount > 0)
    recovered = sum(line.amount for line in lines if line.amount < 0)
    assert recovered < 0 < paid
    bank = export_bank(db, ADMIN, M(2026, 11), tmp_path / "bank", today=TODAY)
    assert bank.total == paid
    out = tmp_path / "roster.pdf"
    print_roster(db, ADMIN, M(2026, 11), out, township="凤城镇", full_numbers=True)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    total_line = next(line for line in text.splitlines() if "凤城镇合计" in line)
    assert f"{paid:,.2f}" in total_line or f"{paid:.2f}" in total_line, total_line  # the bank's figure, not netted
    assert f"另追回 {-recovered:,.2f}" in text.replace("\n", " ")
    death_rows = [line for line in text.splitlines() if "赵老汉" in line]
    assert death_rows and all(" 84 " in line and " 85 " not in line for line in death_rows), death_rows


def test_the_approval_sheets_back_pay_is_what_the_next_run_pays(db, tmp_path):
    row = roster_row(起始月份="2026-08")
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", [row]), today=TODAY)
    for month in (M(2026, 8), M(2026, 9), M(2026, 10)):
        run_month(db, CLERK, month, today=TODAY)
        approve_month(db, REVIEWER, month)

    def sheet_text() -> str:
        out = print_approval(db, ADMIN, row["身份证号"], "高龄补贴", tmp_path / "sheet.pdf", today=TODAY)
        return subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout

    text = sheet_text()  # August to October are paid: the sheet must not promise them again
    assert "补发期间" in text and "200.00 元" not in text and "0.00 元 (最多补发" in text, text
    set_standard(db, ADMIN, "高龄补贴", "80-89", "960", date(2026, 8, 1))  # a raise from August
    run_month(db, CLERK, M(2026, 11), today=TODAY)
    back = sum(line.amount for line in show_month(db, ADMIN, M(2026, 11)) if line.kind == "补发")
    text = sheet_text()  # printed while November's draft is open: the same back pay as the draft's
    assert f"{back:.2f} 元 (最多补发" in text and "2026-08 至 2026-10" in text, (back, text)


def test_the_summary_is_a_cross_tab_counting_a_person_once(printed_county, tmp_path):
    out = print_summary(printed_county, CLERK, M(2026, 10), tmp_path / "summary.pdf")
    layout = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    header = next(line for line in layout.splitlines() if "高龄补贴" in line)
    assert "养老服务补贴" in header and "护理补贴" in header and "分散供养" in header and "合计" in header
    assert "人次" in layout and "第1页共1页" in layout.replace(" ", "")
    town = next(line for line in layout.splitlines() if line.strip().startswith("凤城镇"))
    lines = show_month(printed_county, ADMIN, M(2026, 10))
    paid = sum((line.amount for line in lines if line.kind != "追回"), D("0"))
    figures = town.split()
    # Four people are paid; 欧阳秀兰英 has two items: 4 people, 5 person-times.
    assert figures[-3:] == ["4", "5", f"{paid:,.2f}"], town


def test_seventeen_townships_fit_on_one_page(sqlite_db, tmp_path):
    towns = [f"{name}镇" for name in "东西南北中上下前后左右金木水火土山"]
    rows = [roster_row(姓名=han_name("王德", index), 身份证号=make_id(date(1940, 1, 1), 2 * index + 1), 出生日期="1940-01-01",
                       乡镇=town, 起始月份="2026-10") for index, town in enumerate(towns)]
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(sqlite_db, CLERK, M(2026, 10))
    out = print_summary(sqlite_db, CLERK, M(2026, 10), tmp_path / "summary.pdf")
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert all(town in text for town in towns) and "合计(大写)" in text and "负责人" in text
