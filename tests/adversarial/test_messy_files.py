"""Workbooks as clerks really have them: a title above the headers, another sheet's name, a
password, a million empty rows below the data, a return saved again in another encoding."""
import io
import re
import subprocess
import sys
import zipfile
from datetime import date

import openpyxl

from tests.adversarial.conftest import counts, digest, refused
from tests.helpers import PASSWORD, make_id, roster_row, workbench, write_rows


def titled_workbook(path, rows, *, sheet="Sheet1", title_rows=2):
    """The roster under a title and a blank row, on a sheet not called 花名册, as a clerk's own file is."""
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表由各乡镇填报"])
    data = book.create_sheet(sheet)
    data.append(["阳城县高龄津贴发放花名册 (2026年12月)"])
    for _ in range(title_rows - 1):
        data.append([])
    headers = list(rows[0])
    data.append(headers)
    for row in rows:
        data.append([row[header] for header in headers])
    book.save(path)
    return path


def test_headers_under_a_title_on_another_sheet_are_found_and_rows_keep_their_numbers(county, tmp_path):
    good = roster_row(姓名="赵金凤", 身份证号=make_id(date(1940, 2, 2), 22), 性别="女", 出生日期="1940-02-02")
    bad = roster_row(姓名="钱多福", 身份证号=make_id(date(1939, 3, 3), 31), 出生日期="1939-03-03", 性别="未知")
    path = titled_workbook(tmp_path / "乡镇报来的.xlsx", [good, bad])
    checked = workbench("roster", "import", str(path), "--dry-run", db=str(county))
    assert checked.returncode == 1
    assert "第 5 行" in checked.stderr and "性别" in checked.stderr, checked.stderr  # row 5 in the clerk's Excel
    done = workbench("roster", "import", str(path), "--valid-only", db=str(county))
    assert done.returncode == 0, done.stderr
    assert "共 2 行" in done.stdout and "新增 1 人" in done.stdout
    assert "列标题读自工作表「Sheet1」第 3 行" in done.stdout


def test_a_workbook_without_the_headers_names_where_it_looked(county, tmp_path):
    path = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "汇总"
    book.active.append(["姓名", "身份证号", "金额"])
    book.save(path)
    before = counts(county)
    message = refused(workbench("roster", "import", str(path), db=str(county)))
    assert "缺少必填列" in message and "工作表「汇总」第 1 行" in message and "前 10 行" in message
    assert counts(county) == before


def test_a_workbook_locked_with_a_password_is_named_as_such(county, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_rows(tmp_path / "plain.xlsx", [roster_row()])
    locked = tmp_path / "加密的花名册.xlsx"
    with plain.open("rb") as source, locked.open("wb") as target:
        OOXMLFile(source).encrypt("1234", target)
    before = counts(county)
    message = refused(workbench("roster", "import", str(locked), db=str(county)))
    assert "密码" in message and "加密的花名册.xlsx" in message
    assert counts(county) == before
    assert "密码" in refused(workbench("import", "deaths", str(locked), db=str(county)))


def _with_empty_rows(source, target, last_row):
    """The workbook with an empty text in every row below the data down to `last_row`, and a used
    range declared as Excel does: what a sheet looks like after a formula was filled down to the end."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                rows = int(re.search(r'<dimension ref="A1:[A-Z]+(\d+)"', text).group(1))
                empty = io.StringIO()
                for number in range(rows + 1, last_row + 1):
                    empty.write(f'<row r="{number}"><c r="A{number}" t="str"><v></v></c></row>')
                text = re.sub(r'<dimension ref="A1:([A-Z]+)\d+"', rf'<dimension ref="A1:\g<1>{last_row}"', text)
                data = text.replace("</sheetData>", empty.getvalue() + "</sheetData>").encode()
            copy.writestr(item, data)
    return target


def test_a_million_empty_rows_below_the_data_are_passed_over_in_little_memory(county, tmp_path):
    path = _with_empty_rows(write_rows(tmp_path / "r.xlsx", [roster_row(姓名="孙寿山", 身份证号=make_id(date(1938, 4, 4), 41),
                                                                          出生日期="1938-04-04")]),
                            tmp_path / "百万空行.xlsx", 1_048_576)
    # The import runs in a process of its own, whose peak memory is read when it ends.
    measure = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024); "
               "print(done.stdout); print(done.stderr, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", measure, sys.executable, "-m", "workbench", "--db", str(county),
                           "roster", "import", str(path), "--dry-run"], capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "WORKBENCH_PASSWORD": PASSWORD})
    code, megabytes = map(int, done.stdout.split()[:2])
    assert code == 0, done.stderr
    assert "共 1 行" in done.stdout and "将新增 1 人" in done.stdout
    assert megabytes < 400, f"{megabytes} MB"


def test_a_death_list_under_a_title_reports_the_row_of_the_sheet(county, tmp_path):
    path = tmp_path / "死亡名单.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["2026年11月死亡人员名单 (公安局)"])
    book.active.append(["身份证号", "姓名", "死亡日期"])
    book.active.append([make_id(date(1941, 5, 3), 11), "王德福", "2026-13-01"])
    book.save(path)
    before = digest(county), counts(county)
    done = workbench("import", "deaths", str(path), db=str(county))
    assert done.returncode == 1 and "第 3 行" in done.stderr and "死亡日期" in done.stderr, done.stderr
    assert counts(county) == before[1]
