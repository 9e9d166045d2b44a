"""The log holds no personal data; the diagnostics zip holds the log, versions and settings without passwords."""
from __future__ import annotations

import json
import logging
import zipfile

from tests.helpers import make_id, roster_row, write_rows
from workbench.cli.main import main as cli_main
from workbench.logs import LOG_FILE, MaskNumbers, log_folder
from workbench.services.diagnostics import export_diagnostics


def test_numbers_are_masked_before_a_line_is_written():
    record = logging.LogRecord("workbench", logging.INFO, __file__, 1, "人员 %s 账号 %s", ("14052219410503011X", "6231000011112222333"), None)
    MaskNumbers().filter(record)
    assert "14052219410503011X" not in record.getMessage() and "6231000011112222333" not in record.getMessage()
    assert record.getMessage().endswith("2333")


def test_commands_are_logged_without_personal_data_and_zipped_for_support(sqlite_db, tmp_path, monkeypatch):
    from datetime import date

    monkeypatch.setenv("WORKBENCH_PASSWORD", "admin-secret")
    number = make_id(date(1941, 5, 3), 11)
    source = write_rows(tmp_path / "r.xlsx", [roster_row(), roster_row(身份证号=number[:-1] + "0")])
    assert cli_main(["--db", sqlite_db.url, "roster", "import", str(source)]) == 1  # one bad row: refused
    text = (log_folder() / LOG_FILE).read_text(encoding="utf-8")
    assert "命令 roster import 开始" in text and "被拒绝: ImportRejected" in text
    assert number not in text and number[:-1] not in text and "王德福" not in text
    out = export_diagnostics(sqlite_db, tmp_path / "diag.zip")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        facts = json.loads(archive.read("诊断信息.json"))
        contents = b"".join(archive.read(name) for name in names).decode("utf-8")
    assert "logs/workbench.log" in names and facts["versions"]["workbench"] and facts["schema"] == "current"
    assert "admin-secret" not in contents and number not in contents
