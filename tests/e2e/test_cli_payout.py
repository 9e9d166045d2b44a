"""Payout and standards from the command line, in the formats interfaces.md fixes."""
import csv
import io
from datetime import date

from tests.helpers import make_id, roster_row, workbench, write_rows

OLD = make_id(date(1941, 5, 3), 11)


def test_run_show_approve_diff(cli_db, tmp_path):
    rows = [roster_row(起始月份="2026-09"), roster_row(姓名="李秀英", 身份证号=make_id(date(1936, 2, 2), 32), 性别="女",
                                                    出生日期="1936-02-02", 低保="是", 享受项目="高龄补贴、养老服务补贴", 起始月份="2026-10")]
    assert workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", rows)), db=cli_db).returncode == 0
    added = workbench("user", "add", "shen", "--role", "审核", db=cli_db, env={"WORKBENCH_NEW_PASSWORD": "shen-secret"})
    assert added.returncode == 0, added.stderr

    done = workbench("payout", "run", "2026-10", db=cli_db)
    assert done.returncode == 0, done.stderr
    assert "2026-10 草稿已生成" in done.stdout

    shown = list(csv.reader(io.StringIO(workbench("payout", "show", "2026-10", "--format", "csv", db=cli_db).stdout)))
    assert shown[0] == ["身份证号", "姓名", "项目", "所属期", "金额", "类型"]
    assert [OLD, "王德福", "高龄补贴", "2026-09", "66.67", "补发"] in shown
    assert [OLD, "王德福", "高龄补贴", "2026-10", "66.67", "当月"] in shown

    diff = list(csv.reader(io.StringIO(workbench("payout", "diff", "2026-10", "--format", "csv", db=cli_db).stdout)))
    assert diff[0][:2] == ["类别", "身份证号"] and {row[0] for row in diff[1:]} == {"新增", "补发"}

    own = workbench("payout", "approve", "2026-10", db=cli_db)
    assert own.returncode == 1 and "另一位用户" in own.stderr
    done = workbench("--user", "shen", "payout", "approve", "2026-10", db=cli_db, env={"WORKBENCH_PASSWORD": "shen-secret"})
    assert done.returncode == 0 and "已审批" in done.stdout
    again = workbench("payout", "run", "2026-10", db=cli_db)
    assert again.returncode == 1 and "已审批" in again.stderr

    history = list(csv.reader(io.StringIO(workbench("payout", "history", OLD, "--format", "csv", db=cli_db).stdout)))
    assert history[0] == ["批次月份", "项目", "所属期", "金额", "类型", "原因", "银行结果"]
    assert [row[:5] for row in history[1:]] == [["2026-10", "高龄补贴", "2026-09", "66.67", "补发"],
                                                ["2026-10", "高龄补贴", "2026-10", "66.67", "当月"]]
    unknown = workbench("payout", "history", "110101190001010000", db=cli_db)
    assert unknown.returncode != 0 and "身份证号" in unknown.stderr and "Traceback" not in unknown.stderr


def test_standard_set_and_its_errors(cli_db):
    done = workbench("standard", "set", "低保标准", "农村", "520", "--from", "2025-01-01", db=cli_db)
    assert done.returncode == 0 and "低保标准/农村" in done.stdout
    listed = workbench("standard", "list", db=cli_db).stdout
    assert "低保标准,农村,2025-01-01,520.00" in listed
    for args, message in [
        (("低保标准", "郊区", "520"), "没有「郊区」"),
        (("敬老金", "标准", "50"), "没有名为「敬老金」"),
        (("低保标准", "农村", "-1"), "负数"),
        (("低保标准", "农村", "520.123"), "两位小数"),
    ]:
        refused = workbench("standard", "set", *args, "--from", "2025-01-01", db=cli_db)
        assert refused.returncode == 1 and message in refused.stderr, refused.stderr
    bad_date = workbench("standard", "set", "低保标准", "农村", "520", "--from", "2025-02-30", db=cli_db)
    assert bad_date.returncode == 2 and "不存在" in bad_date.stderr


def test_export_bank_from_the_command_line(cli_db, tmp_path):
    rows = [roster_row(起始月份="2026-10")]
    workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", rows)), db=cli_db)
    workbench("user", "add", "shen", "--role", "审核", db=cli_db, env={"WORKBENCH_NEW_PASSWORD": "shen-secret"})
    workbench("payout", "run", "2026-10", db=cli_db)
    refused = workbench("export", "bank", "2026-10", "--out", str(tmp_path / "out"), db=cli_db)
    assert refused.returncode == 1 and "尚未审批" in refused.stderr
    workbench("--user", "shen", "payout", "approve", "2026-10", db=cli_db, env={"WORKBENCH_PASSWORD": "shen-secret"})
    done = workbench("export", "bank", "2026-10", "--out", str(tmp_path / "out"), db=cli_db)
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["2026-10_阳城农商银行.txt", "汇总.xlsx"]
    assert "1 笔 66.67 元" in done.stdout


def test_import_bank_return_from_the_command_line(cli_db, tmp_path):
    import openpyxl

    workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2026-10", 开户银行="晋城银行")])), db=cli_db)
    workbench("user", "add", "shen", "--role", "审核", db=cli_db, env={"WORKBENCH_NEW_PASSWORD": "shen-secret"})
    workbench("payout", "run", "2026-10", db=cli_db)
    workbench("--user", "shen", "payout", "approve", "2026-10", db=cli_db, env={"WORKBENCH_PASSWORD": "shen-secret"})
    workbench("export", "bank", "2026-10", "--out", str(tmp_path / "out"), db=cli_db)
    book = openpyxl.load_workbook(tmp_path / "out" / "2026-10_晋城银行.xlsx")
    sheet = book["代发清单"]
    sheet.cell(1, 10, "处理结果")
    sheet.cell(2, 10, "失败")
    sheet.cell(1, 11, "失败原因")
    sheet.cell(2, 11, "户名不符")
    book.save(tmp_path / "return.xlsx")
    done = workbench("import", "bank-return", "2026-10", str(tmp_path / "return.xlsx"), db=cli_db)
    assert done.returncode == 0, done.stderr
    assert "失败 1 人 66.67 元" in done.stdout and "批次已对账" in done.stdout
    again = workbench("import", "bank-return", "2026-09", str(tmp_path / "return.xlsx"), db=cli_db)
    assert again.returncode == 1 and "2026-09 还没有发放批次" in again.stderr


def test_report_from_the_command_line(cli_db, tmp_path):
    import openpyxl

    workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2026-10")])), db=cli_db)
    workbench("payout", "run", "2026-10", db=cli_db)
    done = workbench("report", "2026-10", "--out", str(tmp_path / "report.xlsx"), db=cli_db)
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(tmp_path / "report.xlsx").sheetnames == ["乡镇项目", "年龄段", "环比", "增减变动", "增减明细", "本年累计"]


def test_import_deaths_dry_run_shows_recoveries_and_writes_nothing(cli_db, tmp_path):
    import openpyxl

    from tests.helpers import make_id, roster_row, workbench, write_rows

    write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2026-08")])
    assert workbench("roster", "import", str(tmp_path / "r.xlsx"), db=cli_db).returncode == 0
    workbench("user", "add", "shen", "--role", "审核", db=cli_db, env={"WORKBENCH_NEW_PASSWORD": "shen-secret"})
    for month in ("2026-08", "2026-09"):
        assert workbench("payout", "run", month, db=cli_db).returncode == 0
        approved = workbench("--user", "shen", "payout", "approve", month, db=cli_db, env={"WORKBENCH_PASSWORD": "shen-secret"})
        assert approved.returncode == 0, approved.stderr
    book = openpyxl.Workbook()
    book.active.append(["身份证号", "姓名", "死亡日期"])
    book.active.append([make_id(__import__("datetime").date(1941, 5, 3), 11), "王德福", "2026-08-10"])
    book.save(tmp_path / "deaths.xlsx")
    done = workbench("import", "deaths", str(tmp_path / "deaths.xlsx"), "--dry-run", db=cli_db)
    assert done.returncode == 0, done.stderr
    assert "将记录死亡 1 人" in done.stdout and "2026-09 已发 66.67 元" in done.stdout and "未写入任何数据" in done.stdout
    listing = workbench("roster", "list", "--format", "csv", db=cli_db)
    assert "2026-08-10" not in listing.stdout
    done = workbench("import", "deaths", str(tmp_path / "deaths.xlsx"), db=cli_db)
    assert done.returncode == 0 and "已记录死亡 1 人" in done.stdout
    assert "2026-08-10" in workbench("roster", "list", "--format", "csv", db=cli_db).stdout


def test_check_lists_are_csv_with_a_header(cli_db, tmp_path):
    from tests.helpers import make_id, roster_row, workbench, write_rows

    rows = [roster_row(), roster_row(姓名="王德福", 身份证号=make_id(__import__("datetime").date(1941, 5, 3), 13, "140521"))]
    write_rows(tmp_path / "r.xlsx", rows)
    assert workbench("roster", "import", str(tmp_path / "r.xlsx"), db=cli_db).returncode == 0
    done = workbench("check", "doubtful", "--format", "csv", db=cli_db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "类型,身份证号,姓名,乡镇,项目,月份,原因"
    assert sum(line.startswith("同名同生日,") for line in lines) == 2 and sum(line.startswith("共用银行账号,") for line in lines) == 2
    done = workbench("check", "upcoming", "--format", "csv", db=cli_db)
    assert done.returncode == 0 and done.stdout.startswith("类型,身份证号")


def test_liveness_and_budget_commands(cli_db, tmp_path):
    write_rows(tmp_path / "r.xlsx", [roster_row(起始月份="2025-01", 已发放至="2026-09")])
    assert workbench("roster", "import", str(tmp_path / "r.xlsx"), db=cli_db).returncode == 0
    assert "未设置" in workbench("liveness", "deadline", db=cli_db).stdout
    done = workbench("liveness", "deadline", "6", db=cli_db)
    assert done.returncode == 0 and "每年 6 月底" in done.stdout
    missing = list(csv.reader(io.StringIO(workbench("liveness", "missing", "2026", "--format", "csv", db=cli_db).stdout)))
    assert missing[0] == ["身份证号", "姓名", "乡镇", "村(社区)", "上次认证", "暂停自"]
    assert missing[1][1:] == ["王德福", "凤城镇", "东关村", "从未认证", "2026-07"]
    run = workbench("payout", "run", "2026-10", db=cli_db)
    assert run.returncode == 0, run.stderr
    shown = workbench("payout", "show", "2026-10", "--format", "csv", db=cli_db).stdout
    assert OLD not in shown  # withheld
    bad = workbench("liveness", "record", OLD, "2026-09-01", "--method", "电话", db=cli_db)
    assert bad.returncode == 2
    done = workbench("liveness", "record", OLD, "2026-09-01", "--method", "上门", db=cli_db)
    assert done.returncode == 0 and "已记录 王德福 于 2026-09-01" in done.stdout
    assert workbench("payout", "run", "2026-10", db=cli_db).returncode == 0
    shown = list(csv.reader(io.StringIO(workbench("payout", "show", "2026-10", "--format", "csv", db=cli_db).stdout)))
    assert [OLD, "王德福", "高龄补贴", "2026-10", "66.67", "当月"] in shown

    done = workbench("budget", "2026", "--item", "高龄补贴", "--amount", "800", "--note", "阳财社〔2026〕1号", db=cli_db)
    assert done.returncode == 0, done.stderr
    assert "已录入 2026 年「高龄补贴」财政 800 元" in done.stdout
    table = list(csv.reader(io.StringIO(workbench("budget", "2026", "--format", "csv", db=cli_db).stdout)))
    assert table[0] == ["项目", "财政", "上级补助", "预算合计", "已支出", "余额", "月均支出", "预计全年", "应追回", "已退回", "已核销", "预警"]
    assert table[1][:6] == ["高龄补贴", "800.00", "0.00", "800.00", "0.00", "800.00"]  # the October batch is a draft
    refused = workbench("budget", "--amount", "100", db=cli_db)
    assert refused.returncode == 1 and "--item" in refused.stderr


def test_standard_dry_run_lists_the_lines_and_writes_nothing(cli_db, tmp_path):
    rows = [roster_row(起始月份="2026-09")]
    assert workbench("roster", "import", str(write_rows(tmp_path / "r.xlsx", rows)), db=cli_db).returncode == 0
    assert workbench("user", "add", "shen", "--role", "审核", db=cli_db, env={"WORKBENCH_NEW_PASSWORD": "shen-secret"}).returncode == 0
    for month in ("2026-09", "2026-10"):
        assert workbench("payout", "run", month, db=cli_db).returncode == 0
        assert workbench("--user", "shen", "payout", "approve", month, db=cli_db,
                         env={"WORKBENCH_PASSWORD": "shen-secret"}).returncode == 0
    dry = workbench("standard", "set", "高龄补贴", "80-89", "960", "--from", "2026-09-01", "--dry-run", "--format", "csv", db=cli_db)
    assert dry.returncode == 0, dry.stderr
    lines = list(csv.reader(io.StringIO(dry.stdout)))
    assert lines[0] == ["身份证号", "姓名", "项目", "所属期", "金额", "类型"]
    # 960 a year: 80.00 for September and for October; 800 paid 66.67 for each
    assert [row[3:] for row in lines[1:]] == [["2026-09", "13.33", "补发"], ["2026-10", "13.33", "补发"]]
    listed = workbench("standard", "list", db=cli_db)
    assert "960" not in listed.stdout  # nothing written
