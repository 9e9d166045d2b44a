"""Outputs never overwrite the database or the command's own input, and are never left half-written."""
from pathlib import Path

import pytest

from tests.adversarial.conftest import counts, digest, refused, with_full_disk, with_read_only
from tests.helpers import roster_row, workbench, write_rows

TARGETS = {
    "the database": lambda db, folder: db,
    "its -wal": lambda db, folder: db.with_name(db.name + "-wal"),
    "a folder": lambda db, folder: folder,
}
COMMANDS = {
    "report": ("report", "2026-10", "--out"),
    "print summary": ("print", "summary", "2026-10", "--out"),
    "print roster": ("print", "roster", "2026-10", "--out"),
    "roster template": ("roster", "template", "--out"),
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_over_the_database_or_a_folder_is_refused(county, tmp_path, command, target):
    out = TARGETS[target](county, tmp_path)
    before, tables = digest(county), counts(county)
    message = refused(workbench(*COMMANDS[command], str(out), db=str(county)))
    assert "数据库" in message or "文件夹" in message
    assert digest(county) == before and counts(county) == tables


def test_an_error_list_over_the_roster_it_reports_on_is_refused(county, tmp_path):
    source = write_rows(tmp_path / "bad.xlsx", [roster_row(身份证号="123")])
    before = digest(source)
    message = refused(workbench("roster", "import", str(source), "--errors", str(source), db=str(county)))
    assert "本次读取的文件" in message
    assert digest(source) == before


def test_a_failed_write_leaves_the_old_file_and_no_half_file(county, tmp_path, monkeypatch):
    """A writer that dies half-way (a full disk, a kill): the old report stays, nothing hidden is left."""
    from workbench.bootstrap import open_database
    from workbench.documents import report_workbook
    from workbench.domain.errors import InvalidInput
    from workbench.domain.month import Month
    from workbench.services.accounts import SYSTEM
    from workbench.services import report

    out = tmp_path / "reports" / "report.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"last month's report")

    def dies(path, *rest):
        Path(path).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report, "write_report", dies)
    db = open_database(str(county))
    try:
        with pytest.raises(InvalidInput, match="原有文件未改动"):
            report.monthly_report(db, SYSTEM, Month(2026, 10), out)
    finally:
        db.close()
    assert out.read_bytes() == b"last month's report"
    assert sorted(path.name for path in out.parent.iterdir()) == ["report.xlsx"]
    assert report_workbook.write_report is not dies


FORMULA = "=HYPERLINK(\"http://example.invalid\",\"点此\")"


def test_text_that_looks_like_a_formula_is_written_as_text_in_every_workbook(tmp_path):
    """Names, banks and townships are written as the text they are, never as live formulas."""
    import openpyxl

    from workbench.documents.bank_files import write_export_summary
    from workbench.documents.list_workbook import write_list
    from workbench.documents.roster_workbook import write_roster

    made = []
    write_list(made_path := tmp_path / "list.xlsx", "名单", ["姓名", "乡镇"], [[FORMULA, "+1+1"]])
    made.append(made_path)
    write_roster(made_path := tmp_path / "roster.xlsx", [{"姓名": FORMULA, "乡镇": "@SUM(A1)"}])
    made.append(made_path)
    write_export_summary(made_path := tmp_path / "summary.xlsx", "汇总", [(FORMULA, "-1+2", 1, 12)])
    made.append(made_path)
    for path in made:
        book = openpyxl.load_workbook(path)
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"], path.name
        assert any(cell.value == FORMULA for cell in cells), path.name


def test_a_name_already_in_the_file_that_looks_like_a_formula_is_text_in_csv_and_plain_on_a_terminal(county):
    """Rows written before names were checked (or by hand) still cannot run in a spreadsheet or drive a terminal."""
    import csv
    import io
    import sqlite3

    from decimal import Decimal

    from workbench.cli.common import csv_cell

    with sqlite3.connect(county) as connection:
        connection.execute("UPDATE persons SET name = ?", ("=cmd|' /c calc'!A1\x1b[2J",))
    connection.close()
    before = counts(county)
    listed = workbench("roster", "list", "--format", "csv", db=str(county))
    assert listed.returncode == 0, listed.stderr
    rows = list(csv.reader(io.StringIO(listed.stdout)))
    names = [row[rows[0].index("姓名")] for row in rows[1:]]
    assert names == ["'=cmd|' /c calc'!A1[2J"]
    assert [csv_cell(value) for value in (Decimal("-66.67"), "+5", "-", "-王", "@王", "\t=1")] == [
        "-66.67", "+5", "'-", "'-王", "'@王", "'\t=1"]  # a recovery's amount stays a number
    plain = workbench("roster", "list", db=str(county))
    assert plain.returncode == 0 and "\x1b" not in plain.stdout and "=cmd" in plain.stdout
    assert counts(county) == before


def test_what_an_interrupted_export_or_print_left_behind_is_cleared_by_the_next(county, tmp_path):
    """A kill or a power cut during an export leaves a hidden folder of complete-looking bank files
    (not hidden at all on Windows); the next export or print in that folder removes it."""
    import os
    import time

    out = tmp_path / "代发"
    stale_export = out / ".导出中-k3x9"
    stale_export.mkdir(parents=True)
    (stale_export / "2026-10_阳城农商银行.txt").write_text("half", encoding="gbk")
    stale_print = out / ".汇总.写入中-1a2b3c4d.pdf"
    stale_print.write_bytes(b"%PDF-1.4 half")
    fresh = out / ".导出中-now1"  # another PC's export in progress
    fresh.mkdir()
    hours_ago = time.time() - 2 * 3600
    for path in (stale_export / "2026-10_阳城农商银行.txt", stale_export, stale_print):
        os.utime(path, (hours_ago, hours_ago))
    assert workbench("export", "bank", "2026-10", "--out", str(out), db=str(county)).returncode == 0
    assert not stale_export.exists() and fresh.exists()
    assert workbench("print", "summary", "2026-10", "--out", str(out / "汇总表.pdf"), db=str(county)).returncode == 0
    assert not stale_print.exists()
    assert sorted(path.name for path in out.iterdir() if path.name.startswith(".")) == [".导出中-now1"]


@pytest.mark.parametrize("command", [
    ("report", "2026-10", "--out", "{out}/报表.xlsx"),
    ("print", "summary", "2026-10", "--out", "{out}/汇总表.pdf"),
    ("print", "roster", "2026-10", "--out", "{out}/花名册.pdf"),
    ("roster", "template", "--out", "{out}/模板.xlsx"),
    ("export", "bank", "2026-10", "--out", "{out}/代发"),
    ("db", "backup", "--out", "{out}/备份.db"),
    ("print", "notices", "--out", "{out}/通知.pdf"),
])
def test_an_output_folder_that_cannot_be_written_is_named(county, tmp_path, command):
    out = tmp_path / "光盘"
    out.mkdir()
    before = counts(county)
    done = with_read_only(out, *(part.format(out=out) for part in command), db=county, data_dir=tmp_path / "data")
    message = refused(done)
    assert str(out) in message and ("不能写入" in message or "只读" in message), message
    assert list(out.iterdir()) == [] and counts(county) == before


@pytest.mark.parametrize("command", [
    ("report", "2026-10", "--out", "{out}/报表.xlsx"),
    ("print", "summary", "2026-10", "--out", "{out}/汇总表.pdf"),
    ("print", "roster", "2026-10", "--out", "{out}/花名册.pdf"),
    ("export", "bank", "2026-10", "--out", "{out}/代发"),
    ("db", "backup", "--out", "{out}/备份.db"),
])
def test_a_full_disk_leaves_the_old_files_and_no_half_file(county, tmp_path, command):
    import tarfile

    out = tmp_path / "U盘"
    out.mkdir()
    (out / "上月报表.xlsx").write_bytes(b"last month")
    before = counts(county)
    after = tmp_path / "after.tar"
    done = with_full_disk(out, *(part.format(out=out) for part in command), db=county, data_dir=tmp_path / "data",
                          after=after)
    message = refused(done)
    assert "磁盘已满" in message, message
    with tarfile.open(after) as packed:
        left = {member.name.removeprefix("./"): packed.extractfile(member).read() if member.isfile() else None
                for member in packed.getmembers() if member.name != "."}
    assert left == {"上月报表.xlsx": b"last month"}
    assert counts(county) == before
