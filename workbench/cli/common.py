"""What every command group shares: exit codes, argument types, the acting user, printing rows."""
from __future__ import annotations

import argparse
import csv
import getpass
import re
import sys
from typing import TYPE_CHECKING, NoReturn

from workbench.domain.errors import ImportRejected, InvalidInput
from workbench.domain.month import Month
from workbench.settings import NEW_PASSWORD, PASSWORD, USER

if TYPE_CHECKING:
    from workbench.bootstrap import Database
    from workbench.domain.actor import Actor


EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_FAULT = 3  # not the user's doing: the file system, the database, or a fault of the program


def _choices(listed: str) -> str:
    return "、".join(choice.strip().strip("'") for choice in listed.split(","))


_USAGE_ERRORS = (
    (re.compile(r"invalid choice: '?(.*?)'? \(choose from (.*)\)"),
     lambda found: f"无效的选项「{found[1]}」(可选: {_choices(found[2])})"),
    (re.compile(r"expected one argument"), lambda found: "需要一个值"),
    (re.compile(r"expected at most one argument"), lambda found: "最多一个值"),
    (re.compile(r"expected at least one argument"), lambda found: "至少需要一个值"),
    (re.compile(r"expected (\d+) arguments?"), lambda found: f"需要 {found[1]} 个值"),
    (re.compile(r"invalid \S+ value: '?(.*?)'?$"), lambda found: f"值「{found[1]}」无效"),
    (re.compile(r"not allowed with argument (.+)"), lambda found: f"不能与参数 {found[1]} 同时使用"),
    (re.compile(r"one of the arguments (.+) is required"), lambda found: f"参数 {found[1]} 须给出其中一个"),
    (re.compile(r"ambiguous option: (\S+) could match (.+)"), lambda found: f"选项 {found[1]} 不明确, 可能是 {found[2]}"),
    (re.compile(r"the following arguments are required: (.+)"), lambda found: f"缺少参数: {_choices(found[1])}"),
    (re.compile(r"unrecognized arguments: (.+)"), lambda found: f"无法识别的参数: {found[1]}"),
    (re.compile(r"^argument (.+?): "), lambda found: f"参数 {found[1]}: "),
)


def usage_error(message: str) -> str:
    """An argparse usage error in Chinese."""
    for pattern, chinese in _USAGE_ERRORS:
        message = pattern.sub(chinese, message)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "用法: " if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """Help in Chinese, and usage errors as one Chinese line on stderr."""

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "参数", "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: 命令用法错误: {usage_error(message)}\n")


def month_value(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份「{text}」格式应为 YYYY-MM") from None


def year_value(text: str) -> int:
    """A year a county's records can hold: 2000 to 2100."""
    if not (text.isascii() and text.isdigit()) or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"年度「{text}」应为 2000 到 2100 之间的四位数")
    return int(text)


def date_value(text: str):
    from workbench.domain.roster import parse_date

    try:
        return parse_date(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def prompt_password(prompt: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise InvalidInput(f"需要密码: 请设置环境变量 {PASSWORD.name} (新用户为 {NEW_PASSWORD.name})")
    return getpass.getpass(prompt)


def acting_user(db: Database, args: argparse.Namespace) -> Actor:
    """The user from --user or `settings.USER`, the password from `settings.PASSWORD`."""
    from workbench.services.accounts import authenticate

    name = args.user or USER.value()
    password = PASSWORD.value()
    if password is None:
        password = prompt_password(f"用户 {name} 的密码: ")
    return authenticate(db, name, password)


_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def csv_cell(value) -> str:
    """A value as a CSV cell that a spreadsheet opens as text: a text beginning with = + - @ (or a tab
    or line break) gets a leading ' so it is never run as a formula; numbers such as -66.67 stay numbers;
    control characters are dropped."""
    text = "" if value is None else str(value)
    text = "".join(character for character in text if character >= " " or character in "\t\n")
    if text[:1] in ("=", "+", "-", "@", "\t", "\n") and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def terminal_text(value) -> str:
    """A value as one piece of a terminal line: no control characters (an ESC would drive the terminal)."""
    text = "" if value is None else str(value)
    return "".join(character if character >= " " else " " for character in text)


def print_csv(header: list[str], rows) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)


def print_rows(output_format: str, header: list[str], rows, unit: str) -> None:
    """CSV for machines (UTF-8, header row), else one line per row and a count."""
    if output_format == "csv":
        print_csv(header, rows)
        return
    count = 0
    for count, row in enumerate(rows, start=1):
        print("  ".join(terminal_text(cell) for cell in row))
    print(f"共 {count} {unit}")


def listing_rejections(call):
    """Run an import; a rejected file's first 20 row errors are printed before the refusal."""
    try:
        return call()
    except ImportRejected as rejected:
        for error in rejected.errors[:20]:
            print(f"  {error}", file=sys.stderr)
        raise


def print_name_differences(differs, accepted: bool) -> None:
    for row, listed, on_roster in differs:
        held = "已按身份证号导入" if accepted else "该行未导入, 核实后可加 --accept-names 导入"
        print(f"  第 {row} 行: 名单姓名「{listed}」与花名册「{on_roster}」不同, {held}")


def add_format(parser) -> None:
    """--format table (one line per row, then a count) or csv (UTF-8, a header row)."""
    parser.add_argument("--format", choices=("table", "csv"), default="table")
