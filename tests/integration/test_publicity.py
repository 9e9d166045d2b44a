"""公示名单: per village, who is paid this month and how much; never an ID or account number."""
import re
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from tests.conftest import ADMIN, CLERK, REVIEWER, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.domain.errors import PermissionDenied
from workbench.domain.month import Month as M
from workbench.services.payout import approve_month, run_month, show_month
from workbench.services.printing import print_publicity, publicity_phone, set_publicity_phone
from workbench.services.roster_import import import_roster


@pytest.fixture
def county(db, tmp_path):
    rows = [
        roster_row(起始月份="2026-06"),  # back pay from June
        roster_row(姓名="李秀英", 身份证号=make_id(date(1936, 2, 2), 32), 性别="女", 出生日期="1936-02-02", 低保="是",
                   享受项目="高龄补贴、养老服务补贴", 起始月份="2026-10", **{"村(社区)": "西关村"}),
        roster_row(姓名="张建国", 身份证号=make_id(date(1940, 6, 6), 51), 出生日期="1940-06-06", 起始月份="2026-10",
                   乡镇="町店镇", **{"村(社区)": "町店村"}),
    ]
    import_roster(db, CLERK, write_rows(tmp_path / "r.xlsx", rows), today=TODAY)
    run_month(db, CLERK, M(2026, 10), today=TODAY)
    approve_month(db, REVIEWER, M(2026, 10))
    return db


def test_each_village_on_its_own_pages_with_amounts_and_no_numbers(county, tmp_path):
    assert set_publicity_phone(county, ADMIN, "０３５６－１２３４５６７") == "公示名单的监督电话已设为「0356-1234567」"
    out = tmp_path / "公示.pdf"
    pages = print_publicity(county, CLERK, M(2026, 10), out)
    reader = PdfReader(out)
    assert pages == len(reader.pages) == 3
    texts = [page.extract_text() for page in reader.pages]
    assert [("东关村" in text, "西关村" in text, "町店村" in text) for text in texts] == [
        (True, False, False), (False, True, False), (False, False, True)]
    everything = "\n".join(texts)
    assert "2026-10 老年人补贴发放公示名单" in everything and "公示期" in everything and "0356-1234567" in everything
    assert "凤城镇人民政府" in texts[0] and "町店镇人民政府" in texts[2]
    assert not re.search(r"\d{15,}|\*{4,}", everything)  # no ID or account number, not even masked
    paid = {line.name: 0 for line in show_month(county, ADMIN, M(2026, 10))}
    for line in show_month(county, ADMIN, M(2026, 10)):
        paid[line.name] += line.amount
    layout = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    wang = next(line for line in layout.splitlines() if "王德福" in line)
    assert f"{paid['王德福']:,.2f}" in wang, wang
    assert "含补发2026-06至2026-09" in re.sub(r"\s", "", everything)
    li = [line for line in layout.splitlines() if "李秀英" in line]
    assert len(li) == 2 and "共 1 人 2 项" in texts[1]


def test_a_township_alone_and_the_phone_is_an_administrators(county, tmp_path):
    with pytest.raises(PermissionDenied):
        set_publicity_phone(county, CLERK, "0356-1234567")
    assert publicity_phone(county, CLERK) == ""
    out = tmp_path / "町店.pdf"
    assert print_publicity(county, CLERK, M(2026, 10), out, township="町店镇") == 1
    text = PdfReader(out).pages[0].extract_text()
    assert "张建国" in text and "王德福" not in text and "监督电话: ____" in text
