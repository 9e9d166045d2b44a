"""Small builders shared by the tests."""
from __future__ import annotations

import os
import subprocess
import sys

from datetime import date
from pathlib import Path
from typing import Iterable, Mapping

from workbench.documents.roster_workbook import write_roster
from workbench.domain.idnumber import check_digit


def make_id(birth: date, serial: int = 1, region: str = "140522") -> str:
    """A valid ID number; an odd serial is a man, an even one a woman."""
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + check_digit(first17)


def wrong_check_digit(number: str) -> str:
    """The same number with a check character that is not the right one."""
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def roster_row(**overrides: str) -> dict[str, str]:
    """A valid roster row: an 85-year-old rural man enrolled in 高龄补贴, with a bank account."""
    row = {
        "姓名": "王德福",
        "身份证号": make_id(date(1941, 5, 3), 11),
        "性别": "男",
        "出生日期": "1941-05-03",
        "乡镇": "凤城镇",
        "村(社区)": "东关村",
        "户籍性质": "农村",
        "联系电话": "13800000000",
        "低保": "否",
        "开户银行": "阳城农商银行",
        "银行账号": "6231000011112222333",
        "享受项目": "高龄补贴",
        "起始月份": "2024-01",
    }
    row.update(overrides)
    return row


def write_rows(path: Path, rows: Iterable[Mapping[str, str]]) -> Path:
    write_roster(path, rows)
    return path


PASSWORD = "admin-secret"


def workbench(*args: str, db: str, env: dict | None = None, data_dir=None) -> subprocess.CompletedProcess:
    """Run the real command line in its own process, as scripts do (admin's password preset)."""
    environment = {**os.environ, "WORKBENCH_PASSWORD": PASSWORD, **(env or {})}
    if data_dir:
        environment["WORKBENCH_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "workbench", "--db", db, *args],
        capture_output=True, text=True, env=environment, timeout=120,
    )


def han_name(surname: str, number: int) -> str:
    """A distinct name for the n-th made-up person, in Han characters as a real name is."""
    return surname + "".join("零一二三四五六七八九"[int(digit)] for digit in str(number))
