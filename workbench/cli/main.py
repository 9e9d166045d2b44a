"""`workbench [--db URL] COMMAND ...`: the product for scheduled jobs, scripts and support staff.

Each command group registers its subcommands next to their handlers (admin, roster, policy,
payout, exchange, paperwork); this module builds the parser from them, guards every command's
files and runs it."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import __version__
from workbench.cli import admin, exchange, paperwork, payout, policy, roster
from workbench.cli.common import EXIT_FAULT, EXIT_REFUSED, ChineseArgumentParser
from workbench.domain.errors import InvalidInput, WorkbenchError
from workbench.faults import fault_message, quiet_unraisable
from workbench.settings import DATABASE, PASSWORD, USER

if TYPE_CHECKING:  # the database layer is loaded by the commands that open one, not for --help or --version
    from workbench.bootstrap import Database


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="workbench", description="县民政局老年人补贴工作台")
    parser.add_argument("--version", action="version", version=f"workbench {__version__}", help="显示版本号并退出")
    parser.add_argument("--db", help=f"数据库地址 (SQLite 文件路径或 postgresql://...); 默认 {DATABASE.name} 或本机数据库")
    parser.add_argument("--user", help=f"操作用户 (默认 {USER.name} 或 {USER.default}); 密码取自 {PASSWORD.name}")
    commands = parser.add_subparsers(dest="command", parser_class=ChineseArgumentParser, metavar="COMMAND")
    # The commands a clerk uses every month first, looking after the program last.
    for register in (admin.register_setup, roster.register, policy.register, payout.register, exchange.register,
                     paperwork.register, admin.register):
        register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        return _start_window(args.db)
    db: Database | None = None

    def opener() -> Database:
        from workbench.bootstrap import open_database

        nonlocal db
        db = open_database(args.db)
        return db

    from workbench.logs import setup_logging

    try:
        log = setup_logging()
    except OSError as problem:  # the user's data folder cannot be written: nothing can be logged or kept
        print(f"错误: 本程序的数据文件夹不能写入: {fault_message(problem)}", file=sys.stderr)
        return EXIT_FAULT
    quiet_unraisable()
    command = " ".join(part for part in (args.command, getattr(args, "action", None)) if part)
    log.info("命令 %s 开始 (workbench %s)", command, __version__)
    try:
        _check_database_file(args)
        _check_inputs(args)
        _check_outputs(args)
        code = args.handler(args, opener if getattr(args, "lazy_db", False) else opener())
        log.info("命令 %s 结束, 退出码 %s", command, code)
        return code
    except WorkbenchError as problem:
        log.warning("命令 %s 被拒绝: %s", command, type(problem).__name__)  # the message may name a person
        print(f"错误: {problem}", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:  # the output piped into `head` and the like, which stopped reading
        raise
    except Exception as problem:  # noqa: BLE001 - the last word to the user; the traceback goes to the log
        log.exception("命令 %s 失败", command)
        print(f"错误: {fault_message(problem)}", file=sys.stderr)
        return EXIT_FAULT
    finally:
        if db is not None:
            db.close()


OUTPUT_OPTIONS = ("out", "errors")  # the options naming a file or folder a command writes
FOLDER_OUTPUTS = {("export", "bank"), ("demo", None)}  # commands whose --out is a folder
MAKES_DATABASE = {"init", "demo"}  # the commands that may create the database --db names


def _check_database_file(args) -> None:
    """A `--db` file that does not exist is a typo, unless the command makes a database: nothing is
    created for it (no folders, no empty database)."""
    if not args.db or "://" in args.db or args.command in MAKES_DATABASE or getattr(args, "lazy_db", False):
        return
    path = Path(args.db)
    if path.is_dir():
        raise InvalidInput(f"--db「{args.db}」是一个文件夹, 请给出数据库文件")
    if not path.exists():
        raise InvalidInput(f"找不到数据库文件「{args.db}」; 新建数据库请用 workbench --db 文件 init")


INPUT_ARGUMENTS = ("file",)  # the arguments naming a file a command reads
INPUT_NAMES = {("import", "bank-return"): "回盘文件", ("import", "deaths"): "死亡名单"}
CHECKS_ITS_OWN_INPUT = {("db", "restore")}  # says first where it may restore to, then which backup is missing


def _check_inputs(args) -> None:
    """A file to read must exist and be a file, before anything is opened."""
    if (args.command, getattr(args, "action", None)) in CHECKS_ITS_OWN_INPUT:
        return
    for name in INPUT_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str) and value:
            path = Path(value)
            if not path.exists():
                what = INPUT_NAMES.get((args.command, getattr(args, "action", None)), "文件")
                raise InvalidInput(f"找不到{what}「{value}」")
            if path.is_dir():
                raise InvalidInput(f"「{value}」是一个文件夹, 请给出文件")


def _check_outputs(args) -> None:
    """One guard for every command: an output is never the database (or its -wal/-shm/-journal)
    nor a file the command reads."""
    from workbench.bootstrap import chosen_url, database_files
    from workbench.documents.output import check_output

    outputs = [Path(value) for name in OUTPUT_OPTIONS if isinstance(value := getattr(args, name, None), str) and value]
    if not outputs:
        return
    url = chosen_url(args.db)
    database = database_files(Path(url.removeprefix("sqlite:///"))) if url.startswith("sqlite:///") else ()
    inputs = [Path(value) for name, value in vars(args).items()
              if name not in (*OUTPUT_OPTIONS, "db") and isinstance(value, str) and value and Path(value).is_file()]
    if (args.command, getattr(args, "action", None)) in FOLDER_OUTPUTS:
        outputs = [out for out in outputs if not out.is_dir()]  # a folder to write files into
    for out in outputs:
        check_output(out, database=database, inputs=inputs)


def _start_window(url: str | None) -> int:
    """No command: the desktop program (`workbench --help` lists the commands)."""
    try:
        from workbench.gui.app import main as window_main
    except ImportError as problem:
        print(f"无法启动图形界面 ({problem}); 命令列表见 workbench --help", file=sys.stderr)
        return EXIT_REFUSED
    return window_main(url)


def run() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
