"""The command line as scripts use it: real processes, exit codes, one-line Chinese errors."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date

import openpyxl

from tests.helpers import make_id, roster_row, workbench, write_rows
from workbench import __version__

def test_version_and_help():
    done = subprocess.run([sys.executable, "-m", "workbench", "--version"], capture_output=True, text=True)
    assert done.stdout.strip() == f"workbench {__version__}"
    done = subprocess.run([sys.executable, "-m", "workbench", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "roster" in done.stdout and "县民政局" in done.stdout


def test_no_command_opens_the_window_on_the_given_database(monkeypatch, tmp_path):
    from workbench.cli import main as cli
    from workbench.gui import app

    opened = []
    monkeypatch.setattr(app, "main", lambda url: opened.append(url) or 0)
    assert cli.main(["--db", str(tmp_path / "x.db")]) == 0
    assert opened == [str(tmp_path / "x.db")]


def test_init_is_idempotent(cli_db):
    done = workbench("init", "--policy", "yangcheng", db=cli_db)
    assert done.returncode == 0
    assert "已是最新" in done.stdout and "新录入标准 0 项" in done.stdout


def test_unknown_policy_and_bad_usage_are_one_chinese_line(cli_db):
    done = workbench("init", "--policy", "shanghai", db=cli_db)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "找不到政策「shanghai」" in done.stderr
    done = workbench("roster", "change", db=cli_db)
    assert done.returncode == 2 and "缺少参数" in done.stderr and "Traceback" not in done.stderr


def test_template_import_and_list(cli_db, tmp_path):
    template = tmp_path / "template.xlsx"
    assert workbench("roster", "template", "--out", str(template), db=cli_db).returncode == 0
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["花名册", "填写说明"]
    headers = [cell.value for cell in book["花名册"][1]]
    assert headers[:3] == ["姓名", "身份证号", "性别"] and "享受项目" in headers
    assert book["花名册"].column_dimensions["B"].number_format == "@"  # ID column is text
    assert any("高龄补贴" in str(row[0].value) for row in book["填写说明"].iter_rows() if row[0].value)
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in book["花名册"].data_validations.dataValidation}
    assert validations["G2"] == '"城镇,农村"'

    roster = write_rows(tmp_path / "r.xlsx", [roster_row()])
    done = workbench("roster", "import", str(roster), db=cli_db)
    assert done.returncode == 0, done.stderr
    assert "新增 1 人" in done.stdout
    done = workbench("roster", "import", str(roster), db=cli_db)
    assert "更新 1 人 (其中 1 人无变化)" in done.stdout

    listed = list(csv.reader(io.StringIO(workbench("roster", "list", "--format", "csv", db=cli_db).stdout)))
    assert listed[0][:2] == ["身份证号", "姓名"] and listed[1][0] == make_id(date(1941, 5, 3), 11)


def test_clerk_sees_masked_numbers(cli_db, tmp_path):
    workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", [roster_row()])), db=cli_db)
    added = workbench("user", "add", "zhang", "--role", "经办", db=cli_db, env={"WORKBENCH_NEW_PASSWORD": "zhang-secret"})
    assert added.returncode == 0, added.stderr
    done = workbench("--user", "zhang", "roster", "list", "--format", "csv", db=cli_db, env={"WORKBENCH_PASSWORD": "zhang-secret"})
    row = list(csv.reader(io.StringIO(done.stdout)))[1]
    full = make_id(date(1941, 5, 3), 11)
    assert row[0] != full and row[0].endswith(full[-4:]) and full not in done.stdout
    assert "6231000011112222333" not in done.stdout


def test_refused_import_exits_non_zero_names_row_and_field_and_writes_error_list(cli_db, tmp_path):
    rows = [roster_row(), roster_row(身份证号=make_id(date(1936, 2, 2), 41), 性别="男", 出生日期="", 享受项目="敬老金")]
    errors = tmp_path / "errors.xlsx"
    done = workbench("roster", "import", str(write_rows(tmp_path / "bad.xlsx", rows)), "--errors", str(errors), db=cli_db)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "第 3 行" in lines[0] and "享受项目" in lines[0] and "未写入" in lines[0]
    sheet = openpyxl.load_workbook(errors).active
    assert [cell.value for cell in sheet[1]] == ["行号", "列", "错误原因"]
    assert [cell.value for cell in sheet[2]] == [3, "享受项目", "未知的项目「敬老金」"]
    listed = workbench("roster", "list", "--format", "csv", db=cli_db).stdout.strip().splitlines()
    assert len(listed) == 1  # header only: nothing was written


def test_valid_only_and_dry_run(cli_db, tmp_path):
    rows = [roster_row(), roster_row(身份证号=make_id(date(1936, 2, 2), 41), 性别="女", 出生日期="")]
    path = str(write_rows(tmp_path / "mixed.xlsx", rows))
    dry = workbench("roster", "import", path, "--dry-run", "--valid-only", db=cli_db)
    assert dry.returncode == 0 and "将新增 1 人" in dry.stdout and "拒绝 1 行" in dry.stdout
    done = workbench("roster", "import", path, "--valid-only", db=cli_db)
    assert done.returncode == 0 and "新增 1 人" in done.stdout and "第 3 行「性别」" in done.stderr


def test_not_an_xlsx_is_a_message_not_a_traceback(cli_db, tmp_path):
    fake = tmp_path / "roster.xlsx"
    fake.write_bytes(b"not a workbook")
    done = workbench("roster", "import", str(fake), db=cli_db)
    assert done.returncode == 1 and "不是有效的 Excel 文件" in done.stderr and "Traceback" not in done.stderr


def test_roster_change_from_the_command_line(cli_db, tmp_path):
    workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", [roster_row()])), db=cli_db)
    person = make_id(date(1941, 5, 3), 11)
    done = workbench("roster", "change", person, "低保", "是", "--from", "2025-03", db=cli_db)
    assert done.returncode == 0 and "2025-03" in done.stdout
    done = workbench("roster", "change", person, "低保", "是", db=cli_db)
    assert done.returncode == 1 and "--from" in done.stderr
    done = workbench("roster", "change", person, "低保", "是", "--from", "2025-13", db=cli_db)
    assert done.returncode == 2 and "YYYY-MM" in done.stderr


def test_wrong_password_is_refused(cli_db):
    workbench("roster", "list", db=cli_db)  # first use sets admin's password
    done = workbench("roster", "list", db=cli_db, env={"WORKBENCH_PASSWORD": "not-it"})
    assert done.returncode == 1 and "用户名或密码错误" in done.stderr


def test_demo_builds_a_county_and_its_roster(tmp_path):
    db = str(tmp_path / "demo.db")
    done = workbench("demo", "--out", str(tmp_path / "out"), "--people", "300", "--seed", "7", db=db)
    assert done.returncode == 0, done.stderr
    assert "300 人" in done.stdout
    sheet = openpyxl.load_workbook(tmp_path / "out" / "花名册.xlsx", read_only=True)["花名册"]
    assert sum(1 for _ in sheet.iter_rows(min_row=2)) == 300
    written = {path.name for path in (tmp_path / "out").rglob("*") if path.is_file()}
    assert "汇总.xlsx" in written and any(name.endswith("汇总表.pdf") for name in written)
    assert any(name.endswith("统计报表.xlsx") for name in written) and any("发放花名册" in name for name in written)
    assert any(name.endswith("阳城农商银行.txt") for name in written)
    again = workbench("demo", "--out", str(tmp_path / "out"), "--people", "10", db=db)
    assert again.returncode == 1 and "空数据库" in again.stderr


def test_printing_font_from_the_command_line(cli_db, tmp_path, windows_fonts):
    listed = workbench("print", "font", db=cli_db, data_dir=tmp_path / "data")
    assert listed.returncode == 0 and listed.stdout.splitlines() == ["* 文泉驿微米黑 (程序自带)", "  仿宋", "  黑体"]
    refused = workbench("print", "font", "仿宋", db=cli_db, data_dir=tmp_path / "data")
    assert refused.returncode == 1 and "不能用于 PDF" in refused.stderr and "Traceback" not in refused.stderr
    assert workbench("print", "font", "黑体", db=cli_db, data_dir=tmp_path / "data").returncode == 0
    listed = workbench("print", "font", db=cli_db, data_dir=tmp_path / "data")
    assert listed.stdout.splitlines()[-1] == "* 黑体"
