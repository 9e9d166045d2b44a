"""`workbench [--db URL] COMMAND ...`: the product for scheduled jobs, scripts and support staff."""
from __future__ import annotations

import argparse
import csv
import getpass
import os
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from workbench import __version__
from workbench.faults import fault_message, quiet_unraisable
from workbench.domain.errors import ImportRejected, InvalidInput, WorkbenchError
from workbench.domain.month import Month
from workbench.domain.roles import ROLES
from workbench.settings import DATABASE, NEW_PASSWORD, PASSWORD, USER

if TYPE_CHECKING:  # the database layer is loaded by the commands that open one, not for --help or --version
    from workbench.bootstrap import Database
    from workbench.domain.actor import Actor

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_FAULT = 3  # not the user's doing: the file system, the database, or a fault of the program


def _choices(listed: str) -> str:
    return "、".join(choice.strip().strip("'") for choice in listed.split(","))


# argparse's usage errors, most specific first; each matched part is replaced by its Chinese.
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


class ChineseArgumentParser(argparse.ArgumentParser):
    """Usage errors as one Chinese line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: 命令用法错误: {usage_error(message)}\n")


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份「{text}」格式应为 YYYY-MM") from None


def _year(text: str) -> int:
    """A year a county's records can hold: 2000 to 2100."""
    if not (text.isascii() and text.isdigit()) or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"年度「{text}」应为 2000 到 2100 之间的四位数")
    return int(text)


def _prompt_password(prompt: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise InvalidInput(f"需要密码: 请设置环境变量 {PASSWORD.name} (新用户为 {NEW_PASSWORD.name})")
    return getpass.getpass(prompt)


def acting_user(db: Database, args: argparse.Namespace) -> Actor:
    """The user from --user or `settings.USER`, the password from `settings.PASSWORD`."""
    from workbench.services.accounts import authenticate

    name = args.user or USER.value()
    password = PASSWORD.value()
    if password is None:
        password = _prompt_password(f"用户 {name} 的密码: ")
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


def _terminal_text(value) -> str:
    """A value as one piece of a terminal line: no control characters (an ESC would drive the terminal)."""
    text = "" if value is None else str(value)
    return "".join(character if character >= " " else " " for character in text)


def _print_csv(header: list[str], rows) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)


def _print_rows(output_format: str, header: list[str], rows, unit: str) -> None:
    """CSV for machines (UTF-8, header row), else one line per row and a count."""
    if output_format == "csv":
        _print_csv(header, rows)
        return
    count = 0
    for count, row in enumerate(rows, start=1):
        print("  ".join(_terminal_text(cell) for cell in row))
    print(f"共 {count} {unit}")


# --- command handlers ------------------------------------------------------------------------


def cmd_init(args, db: Database) -> int:
    from workbench.services.setup import initialize

    report = initialize(db, args.policy)
    print(f"数据库{report.schema}; 政策: {report.policy_name}; 新录入标准 {report.standards_added} 项")
    if report.admin_created:
        print(f"已创建管理员 admin, 首次使用时设置密码 ({PASSWORD.name} 或按提示输入)")
    return 0


def cmd_user_add(args, db: Database) -> int:
    from workbench.services.accounts import add_user

    actor = acting_user(db, args)
    password = NEW_PASSWORD.value()
    if password is None:
        password = _prompt_password(f"新用户 {args.name} 的密码: ")
        if _prompt_password("再输入一次: ") != password:
            raise InvalidInput("两次输入的密码不一致")
    add_user(db, actor, args.name, args.role, password, args.township or ())
    scope = f", 乡镇: {'、'.join(args.township)}" if args.township else ""
    print(f"已添加用户 {args.name} ({args.role}{scope})")
    return 0


def cmd_user_list(args, db: Database) -> int:
    from workbench.services.accounts import list_users

    rows = [[user.name, user.role, user.state, user.scope] for user in list_users(db, acting_user(db, args))]
    _print_rows(args.format, ["用户名", "角色", "状态", "乡镇"], rows, "个用户")
    return 0


def cmd_user_set(args, db: Database) -> int:
    from workbench.services.accounts import set_user

    townships = None
    if args.county:
        townships = []
    elif args.township:
        townships = args.township
    active = True if args.enable else False if args.disable else None
    user = set_user(db, acting_user(db, args), args.name, role=args.role, townships=townships, active=active,
                    reset_password=args.reset_password)
    print(f"已修改用户 {user.name}: 角色 {user.role}, 状态 {user.state}, 乡镇 {user.scope}")
    return 0


def cmd_roster_template(args, db_opener) -> int:
    from workbench.documents.output import written
    from workbench.documents.roster_workbook import write_roster
    from workbench.services.policy import template_item_names

    db = db_opener()
    with written(Path(args.out), database=db.files) as path:
        write_roster(path, (), template_item_names(db))
    print(f"已生成花名册模板 {args.out}")
    return 0


def cmd_roster_import(args, db: Database) -> int:
    from workbench.documents.output import written
    from workbench.documents.roster_workbook import write_errors
    from workbench.services.roster_import import import_roster

    actor = acting_user(db, args)
    try:
        report = import_roster(db, actor, Path(args.file), dry_run=args.dry_run, valid_only=args.valid_only)
    except ImportRejected as rejected:
        if args.errors:
            with written(Path(args.errors), database=db.files, inputs=[Path(args.file)]) as path:
                write_errors(path, rejected.errors)
        raise
    if args.errors and report.errors:
        with written(Path(args.errors), database=db.files, inputs=[Path(args.file)]) as path:
            write_errors(path, report.errors)
    verb = "试导入 (未写入)" if args.dry_run else "导入完成"
    added = "将新增" if args.dry_run else "新增"
    updated = "将更新" if args.dry_run else "更新"
    line = f"{verb}: 共 {report.rows} 行, {added} {report.added} 人, {updated} {report.updated} 人"
    if not args.dry_run:
        line += f" (其中 {report.unchanged} 人无变化)"
    if report.errors:
        line += f", 拒绝 {report.rejected_rows} 行"
    if report.warnings:
        line += f", 提示 {len(report.warnings)} 条"
    print(line)
    if report.where:
        print(f"  {report.where}")
    for error in report.errors[:20]:
        print(f"  拒绝 {error}", file=sys.stderr)
    for row, warning in report.warnings[:20]:
        print(f"  提示 第 {row} 行: {warning}")
    return 0


def cmd_roster_change(args, db: Database) -> int:
    from workbench.services.roster import change_person

    actor = acting_user(db, args)
    print(change_person(db, actor, args.id_number, args.field, args.value, args.from_month))
    return 0


def cmd_roster_list(args, db: Database) -> int:
    from workbench.services.roster import list_roster

    actor = acting_user(db, args)
    lines = list_roster(db, actor, township=args.township)
    header = ["身份证号", "姓名", "性别", "出生日期", "年龄", "乡镇", "村(社区)", "户籍性质", "低保", "特困供养", "享受项目", "开户银行", "银行账号", "死亡日期"]
    rows = (
        [line.id_number, line.name, line.sex, line.birth_date.isoformat(), line.age, line.township, line.village,
         line.hukou, line.dibao, line.tekun, line.items, line.bank_name, line.account,
         line.death_date.isoformat() if line.death_date else ""]
        for line in lines
    )
    _print_rows(args.format, header, rows, "人")
    return 0


def cmd_demo(args, db: Database) -> int:
    from workbench.services.demo import build_demo

    report = build_demo(db, Path(args.out), people=args.people, seed=args.seed, policy=args.policy)
    imported = report.imported
    print(f"演示县已建成: {imported.added} 人; 花名册 {report.roster_file}; 数据库 {db.description}")
    print(f"已计算并审批 {report.month} 的发放, 文件:")
    for path in report.files:
        print(f"  {path}")
    return 0


def _date(text: str):
    from workbench.domain.roster import parse_date

    try:
        return parse_date(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def cmd_standard_set(args, db: Database) -> int:
    from workbench.services.policy import set_standard

    actor = acting_user(db, args)
    if args.dry_run:
        return _standard_dry_run(args, db, actor)
    print(set_standard(db, actor, args.item, args.key, args.amount, args.from_date))
    return 0


def _standard_dry_run(args, db: Database, actor: Actor) -> int:
    """The 补发 and 追回 lines the next run would write for a new standard (columns of payout show), and
    their totals; nothing written."""
    from workbench.domain.idnumber import mask_id_number
    from workbench.domain.roles import may
    from workbench.services.policy import preview_standard

    preview = preview_standard(db, actor, args.item, args.key, args.amount, args.from_date)
    full = may(actor.role, "see_full_numbers")
    rows = [[line.id_number if full else mask_id_number(line.id_number), line.name, line.item, str(line.period),
             f"{line.amount:.2f}", line.kind] for line in preview.lines]
    if args.format == "csv":
        _print_csv(["身份证号", "姓名", "项目", "所属期", "金额", "类型"], rows)
        return 0
    for row in rows:
        print("  ".join(row))
    month = f"{preview.month} 的计算" if preview.month else "下次计算"
    print(f"试运行, 未写入: {month}将为 {preview.people} 人补发 {preview.back_pay} 元, 追回 {-preview.recovery} 元 ({len(rows)} 行)")
    return 0


def cmd_standard_list(args, db: Database) -> int:
    from workbench.services.policy import list_standards

    actor = acting_user(db, args)
    rows = [[name, key, effective.isoformat(), f"{amount:.2f}", by] for name, key, effective, amount, by in list_standards(db, actor)]
    _print_csv(["标准", "项", "生效日期", "金额", "录入人"], rows)
    return 0


def cmd_payout_run(args, db: Database) -> int:
    from workbench.services.payout import run_month

    actor = acting_user(db, args)
    report = run_month(db, actor, args.month, full=args.full)
    parts = [f"{kind} {count} 行 {total:.2f} 元" for kind, (count, total) in sorted(report.by_kind.items())]
    print(f"{report.month} 草稿已生成: {report.people} 人, {report.lines} 行; 发放 {report.paid:.2f} 元, "
          f"追回 {-report.recovered:.2f} 元" + (f" ({'; '.join(parts)})" if parts else ""))
    for standard, people in sorted(report.missing.items()):
        print(f"  缺少标准「{standard}」: {people} 人的相关项目未计算, 录入标准后在下次发放时补发", file=sys.stderr)
    return 0


def cmd_payout_show(args, db: Database) -> int:
    from workbench.services.payout import show_month

    actor = acting_user(db, args)
    lines = show_month(db, actor, args.month)
    rows = [[line.id_number, line.name, line.item, str(line.period), f"{line.amount:.2f}", line.kind] for line in lines]
    _print_rows(args.format, ["身份证号", "姓名", "项目", "所属期", "金额", "类型"], rows, "行")
    return 0


def cmd_payout_approve(args, db: Database) -> int:
    from workbench.services.payout import approve_month

    actor = acting_user(db, args)
    batch = approve_month(db, actor, args.month)
    print(f"{batch.month} 发放批次已审批并锁定 (审批人 {batch.approved_by})")
    return 0


def cmd_payout_history(args, db: Database) -> int:
    from workbench.services.payout import payment_history

    rows = [[str(line.batch_month), line.item, str(line.period), f"{line.amount:.2f}", line.kind, line.reason, line.bank]
            for line in payment_history(db, acting_user(db, args), args.id_number)]
    _print_rows(args.format, ["批次月份", "项目", "所属期", "金额", "类型", "原因", "银行结果"], rows, "行")
    return 0


def cmd_recovery_list(args, db: Database) -> int:
    from workbench.services.recovery import COLUMNS, list_recoveries

    found = list_recoveries(db, acting_user(db, args), township=args.township, everything=args.all)
    rows = [[f"{value:.2f}" if isinstance(value, Decimal) else value for value in entry.row()] for entry in found]
    _print_rows(args.format, list(COLUMNS), rows, "笔")
    if args.format == "table" and found:
        print(f"合计: 应追回 {sum(entry.owed for entry in found):.2f} 元, 未清 {sum(entry.outstanding for entry in found):.2f} 元")
    return 0


def cmd_recovery_record(args, db: Database) -> int:
    from workbench.services.recovery import record_clearing

    cleared = record_clearing(db, acting_user(db, args), args.id_number, args.amount, args.method, args.date, args.note or "")
    print(f"已记录{args.method}: " + "; ".join(f"{item} {amount:.2f} 元" for item, amount in cleared))
    return 0


def cmd_recovery_deduction(args, db: Database) -> int:
    from workbench.services.recovery import set_deduction

    print(set_deduction(db, acting_user(db, args), args.switch == "on"))
    return 0


def cmd_payout_diff(args, db: Database) -> int:
    from workbench.services.payout import diff_month

    actor = acting_user(db, args)
    rows = [
        [line.category, line.id_number, line.name, line.item, str(line.period), f"{line.amount:.2f}",
         "" if line.previous is None else f"{line.previous:.2f}", line.reason]
        for line in diff_month(db, actor, args.month)
    ]
    _print_rows(args.format, ["类别", "身份证号", "姓名", "项目", "所属期", "金额", "上月金额", "原因"], rows, "行")
    return 0


def cmd_export_bank(args, db: Database) -> int:
    from workbench.services.bank_export import export_bank

    actor = acting_user(db, args)
    report = export_bank(db, actor, args.month, Path(args.out), bank=args.bank, template_name=args.template)
    copy = f" (第 {report.copy_number} 份副本)" if report.copy_number else ""
    for exported in report.files:
        print(f"{exported.path.name}: {exported.bank} {exported.rows} 笔 {exported.total:.2f} 元 [{exported.template}]")
    print(f"{report.month} 代发清单已导出{copy}: {len(report.files)} 个文件, 合计 {report.total:.2f} 元; 汇总 {report.summary.name}")
    return 0


def _listing_rejections(call):
    """Run an import; a rejected file's first 20 row errors are printed before the refusal."""
    try:
        return call()
    except ImportRejected as rejected:
        for error in rejected.errors[:20]:
            print(f"  {error}", file=sys.stderr)
        raise


def _print_name_differences(differs, accepted: bool) -> None:
    for row, listed, on_roster in differs:
        held = "已按身份证号导入" if accepted else "该行未导入, 核实后可加 --accept-names 导入"
        print(f"  第 {row} 行: 名单姓名「{listed}」与花名册「{on_roster}」不同, {held}")


def cmd_import_deaths(args, db: Database) -> int:
    from workbench.services.deaths import import_deaths

    report = _listing_rejections(lambda: import_deaths(db, acting_user(db, args), Path(args.file), dry_run=args.dry_run,
                                                       accept_names=args.accept_names))
    verb = "将记录" if args.dry_run else "已记录"
    print(f"死亡名单 {report.rows} 行: {verb}死亡 {report.recorded} 人, 花名册中已有相同记录 {report.already} 人, "
          f"不在花名册 {len(report.not_on_roster)} 人")
    for row, name, old, new in report.corrected:
        print(f"  第 {row} 行 {name}: 死亡日期由 {old.isoformat()} 改为 {new.isoformat()}")
    _print_name_differences(report.name_differs, args.accept_names)
    for recovery in report.recoveries:
        periods = f"{recovery.periods[0]} 至 {recovery.periods[-1]}" if len(recovery.periods) > 1 else str(recovery.periods[0])
        print(f"  追回 第 {recovery.row} 行 {recovery.name} {recovery.id_number}: 于 {recovery.death_date.isoformat()} 死亡, "
              f"{periods} 已发 {-recovery.amount} 元")
    for row, name, number in report.not_on_roster:
        print(f"  不在花名册 第 {row} 行 {name} {number}")
    print(f"应追回合计 {-report.recovery_total} 元 (在下次计算发放时生成追回明细)"
          + ("; 试运行, 未写入任何数据" if args.dry_run else ""))
    return 0


def cmd_import_bank_return(args, db: Database) -> int:
    from workbench.services.bank_return import import_bank_return

    actor = acting_user(db, args)
    report = import_bank_return(db, actor, args.month, Path(args.file))
    print(f"{report.month} 回盘已导入: 成功 {report.paid} 人, 失败 {report.failed} 人 {report.failed_amount:.2f} 元"
          + ("; 批次已对账" if report.reconciled else "") + ("; 失败的金额在下次发放时重新发放" if report.failed else ""))
    return 0


def cmd_report(args, db: Database) -> int:
    from workbench.services.report import monthly_report

    actor = acting_user(db, args)
    path = monthly_report(db, actor, args.month, Path(args.out))
    print(f"{args.month} 统计报表已生成: {path}")
    return 0


def cmd_print(args, db: Database) -> int:
    from workbench.services import printing

    actor = acting_user(db, args)
    out = Path(args.out)
    if args.action == "approval":
        printing.print_approval(db, actor, args.id_number, args.item, out)
    elif args.action == "approvals":
        print(f"共 {printing.print_month_approvals(db, actor, args.month, out)} 张审批表")
    elif args.action == "roster":
        pages = printing.print_roster(db, actor, args.month, out, township=args.township, full_numbers=args.full_numbers)
        print(f"共 {pages} 页")
    elif args.action == "notices":
        print(f"共 {printing.print_notices(db, actor, out, township=args.township)} 人待通知")
    else:
        printing.print_summary(db, actor, args.month, out)
    print(f"已生成 {out}")
    return 0


def cmd_print_font(args, _opener) -> int:
    from workbench.documents import fonts

    if args.name:
        print(f"打印字体已设为「{fonts.choose(args.name)}」")
        return 0
    current = fonts.chosen()
    for name in fonts.available():
        print(f"{'*' if name == current else ' '} {name}")
    return 0


# --- the parser ------------------------------------------------------------------------------


def cmd_db_backup(args, db: Database) -> int:
    from workbench.services.maintenance import backup_database

    made = backup_database(db, acting_user(db, args), Path(args.out) if args.out else None)
    print(f"已备份到 {made}")
    return 0


def cmd_db_restore(args, opener) -> int:
    from sqlalchemy.engine import make_url

    from workbench.bootstrap import chosen_url, open_database
    from workbench.services.maintenance import restore_database

    url = make_url(chosen_url(args.db, shared=False))
    if url.get_backend_name() != "sqlite":
        raise InvalidInput("db restore 只用于本机数据库; 共享服务器请用 PostgreSQL 的 pg_restore (见 README)")
    restored = restore_database(Path(args.file), Path(url.database), open_database=open_database,
                                accept_broken_log=args.accept_broken_log)
    print(f"已从 {args.file} 恢复到新数据库 {restored}")
    return 0


def cmd_db_setup_server(args, _opener) -> int:
    from workbench.bootstrap import open_database
    from workbench.services.maintenance import setup_server

    report = setup_server(args.url, args.policy, open_database=open_database)
    print(f"服务器数据库已就绪: 政策 {report.init.policy_name}, 管理员 admin (首次登录时设置密码)")
    print(report.roles)
    for warning in report.warnings:
        print(warning)
    return 0


def cmd_db_copy(args, db: Database) -> int:
    from workbench.bootstrap import open_database
    from workbench.services.maintenance import copy_database

    report = copy_database(db, acting_user(db, args), args.to, open_database=open_database)
    print(f"已复制 {sum(report.rows.values())} 行 (操作日志 {report.audit_records} 条), 发放金额合计 {report.paid_total} 元; "
          "两边的行数、金额合计和操作日志链已核对一致")
    return 0


def cmd_item_code(args, db: Database) -> int:
    from workbench.services.bank_export import item_code_text, set_item_code

    actor = acting_user(db, args)
    print(item_code_text(db, actor, args.item) if args.code is None else set_item_code(db, actor, args.item, args.code))
    return 0


def cmd_print_publicity(args, db: Database) -> int:
    from workbench.services.printing import print_publicity

    pages = print_publicity(db, acting_user(db, args), args.month, Path(args.out), township=args.township)
    print(f"共 {pages} 页\n已生成 {args.out}")
    return 0


def cmd_print_changes(args, db: Database) -> int:
    from workbench.services.report import print_changes

    pages = print_changes(db, acting_user(db, args), args.month, Path(args.out))
    print(f"共 {pages} 页\n已生成 {args.out}")
    return 0


def cmd_print_hotline(args, db: Database) -> int:
    from workbench.services.printing import publicity_phone, set_publicity_phone

    actor = acting_user(db, args)
    if args.number is None:
        print(publicity_phone(db, actor) or "尚未设置监督电话 (公示名单上留空待填)")
    else:
        print(set_publicity_phone(db, actor, args.number))
    return 0


def cmd_audit_list(args, db: Database) -> int:
    from workbench.services.audit import AUDIT_COLUMNS, audit_rows

    if args.since and args.until and args.since > args.until:
        raise InvalidInput(f"--from {args.since} 晚于 --to {args.until}")
    rows = audit_rows(db, acting_user(db, args), user=args.log_user, since=args.since, until=args.until)
    _print_rows(args.format, list(AUDIT_COLUMNS), rows, "条")
    return 0


ENROLL_COLUMNS = ("身份证号", "姓名", "乡镇", "村(社区)", "项目", "起始月份", "享受至", "状态", "录入人", "审批人")


def cmd_enroll(args, db: Database) -> int:
    from workbench.services import enrollment

    actor = acting_user(db, args)
    if args.action == "list":
        rows = [[entry.id_number, entry.name, entry.township, entry.village, entry.item_name, entry.start_month,
                 entry.end_month or "", entry.shown_state, entry.entered_by, entry.decided_by]
                for entry in enrollment.list_applications(db, actor, args.state)]
        _print_rows(args.format, list(ENROLL_COLUMNS), rows, "条")
        return 0
    if args.action == "apply":
        print(enrollment.apply_by_id_number(db, actor, args.id_number, args.item, args.start))
    elif args.action in ("approve", "reject"):
        print(enrollment.decide_by_id_number(db, actor, args.id_number, args.item, approve=args.action == "approve",
                                             note=getattr(args, "reason", "") or ""))
    else:
        print(enrollment.end_enrollment(db, actor, args.id_number, args.item, args.after))
    return 0


def cmd_audit_verify(args, db: Database) -> int:
    from workbench.services.audit import verify_audit

    check = verify_audit(db, acting_user(db, args))
    if check.whole:
        print(f"操作日志完整: {check.records} 条记录, 哈希链全部一致, 数据库的保护触发器齐全")
        return 0
    print("错误: " + ("" if check.broken else "操作日志或数据库保护异常: ") + check.problem, file=sys.stderr)
    return EXIT_REFUSED


def cmd_selftest(args, _opener) -> int:
    from workbench.selftest import SELFTEST_STEPS, run_selftest

    def show(step) -> None:
        print(f"{'通过' if step.problem is None else '失败'}  {step.name}  ({step.seconds:.2f} s)"
              + (f"\n      {step.problem}" if step.problem else ""), flush=True)

    steps = run_selftest(show)
    if steps and all(step.problem is None for step in steps) and len(steps) == SELFTEST_STEPS:
        for warning in _shared_server_warnings(args):
            print(warning)
        print(f"OK ({sum(step.seconds for step in steps):.1f} s, workbench {__version__})")
        return 0
    print(f"失败: {steps[-1].name}" if steps else "失败", file=sys.stderr)
    return EXIT_REFUSED


def _shared_server_warnings(args) -> list[str]:
    """When this installation works on a shared server: what its settings mean (autovacuum off)."""
    from workbench.services.maintenance import server_warnings

    from workbench.bootstrap import open_database

    db = open_database(args.db)  # the database this installation uses: an embedded one has nothing to say
    try:
        return server_warnings(db)
    finally:
        db.close()


def cmd_check(args, db: Database) -> int:
    from workbench.services.checks import doubtful, upcoming

    finder = upcoming if args.action == "upcoming" else doubtful
    findings = finder(db, acting_user(db, args))
    rows = [[finding.kind, finding.id_number, finding.name, finding.township, finding.item,
             str(finding.month) if finding.month else "", finding.reason] for finding in findings]
    _print_rows(args.format, ["类型", "身份证号", "姓名", "乡镇", "项目", "月份", "原因"], rows, "条")
    return 0


def cmd_budget(args, db: Database) -> int:
    from workbench.services.budget import COLUMNS, add_allocation, fund_status

    actor = acting_user(db, args)
    year = args.year or date.today().year
    if args.amount is not None:
        if not args.item:
            raise InvalidInput("录入资金须用 --item 指明补贴项目")
        funds = add_allocation(db, actor, year, args.item, args.source, args.amount, args.note or "")
        print(f"已录入 {year} 年「{funds.name}」{args.source} {args.amount} 元; 预算合计 {funds.budget} 元")
    rows = [funds.row() for funds in fund_status(db, actor, year)]
    if args.format != "csv":
        print(f"{year} 年专项资金 (已审批批次, 银行退回的不计)")
    _print_rows(args.format, list(COLUMNS), rows, "个项目")
    return 0


def cmd_liveness(args, db: Database) -> int:
    from workbench.services import liveness

    actor = acting_user(db, args)
    if args.action == "record":
        name = liveness.record_check(db, actor, args.id_number, args.date, args.method)
        print(f"已记录 {name} 于 {args.date.isoformat()} 的生存认证 ({args.method})")
    elif args.action == "import":
        report = _listing_rejections(lambda: liveness.import_checks(db, actor, Path(args.file), dry_run=args.dry_run,
                                                                    accept_names=args.accept_names))
        verb = "将记录" if args.dry_run else "已记录"
        print(f"认证名单 {report.rows} 行: {verb} {report.recorded} 条, 已有相同记录 {report.already} 条, "
              f"不在花名册 {len(report.not_on_roster)} 人" + ("; 试运行, 未写入任何数据" if args.dry_run else ""))
        _print_name_differences(report.name_differs, args.accept_names)
        for row, name, number in report.not_on_roster:
            print(f"  不在花名册 第 {row} 行 {name} {number}")
    elif args.action == "deadline":
        if args.month is not None:
            liveness.set_deadline(db, actor, args.month)
        month = liveness.deadline(db, actor)
        print(f"生存认证截止月: 每年 {month} 月底, 之后未认证的暂停发放, 认证后补发" if month
              else "生存认证截止月: 未设置, 未认证不暂停发放")
    else:
        year = args.year or date.today().year
        rows = [entry.row() for entry in liveness.unchecked(db, actor, year)]
        _print_rows(args.format, list(liveness.COLUMNS), rows, "人")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="workbench", description="县民政局老年人补贴工作台")
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument("--db", help=f"数据库地址 (SQLite 文件路径或 postgresql://...); 默认 {DATABASE.name} 或本机数据库")
    parser.add_argument("--user", help=f"操作用户 (默认 {USER.name} 或 {USER.default}); 密码取自 {PASSWORD.name}")
    commands = parser.add_subparsers(dest="command", parser_class=ChineseArgumentParser, metavar="COMMAND")

    init = commands.add_parser("init", help="创建或升级数据库, 加载政策")
    init.add_argument("--policy", required=True, help="预置政策 yangcheng | jincheng-chengqu, 或政策文件路径")
    init.set_defaults(handler=cmd_init)

    user = commands.add_parser("user", help="用户管理").add_subparsers(dest="action", required=True, metavar="ACTION")
    user_add = user.add_parser("add", help="添加用户 (管理员操作)")
    user_add.add_argument("name")
    user_add.add_argument("--role", required=True, choices=ROLES)
    user_add.add_argument("--township", action="append", metavar="T", help="乡镇用户: 只能查看和修改该乡镇的人员 (可重复)")
    user_add.set_defaults(handler=cmd_user_add)
    user_list = user.add_parser("list", help="列出用户: 角色、状态、乡镇 (管理员操作)")
    user_list.add_argument("--format", choices=("table", "csv"), default="table")
    user_list.set_defaults(handler=cmd_user_list)
    user_set = user.add_parser("set", help="修改用户: 角色、乡镇、停用/启用、重置密码 (管理员操作)")
    user_set.add_argument("name")
    user_set.add_argument("--role", choices=ROLES)
    scope = user_set.add_mutually_exclusive_group()
    scope.add_argument("--township", action="append", metavar="T", help="限定为这些乡镇 (可重复)")
    scope.add_argument("--county", action="store_true", help="取消乡镇限定: 全县")
    state = user_set.add_mutually_exclusive_group()
    state.add_argument("--disable", action="store_true", help="停用")
    state.add_argument("--enable", action="store_true", help="启用")
    user_set.add_argument("--reset-password", action="store_true", help="重置密码: 用户下次登录时设置新密码")
    user_set.set_defaults(handler=cmd_user_set)

    roster = commands.add_parser("roster", help="花名册").add_subparsers(dest="action", required=True, metavar="ACTION")
    template = roster.add_parser("template", help="生成标准花名册模板")
    template.add_argument("--out", required=True)
    template.set_defaults(handler=cmd_roster_template, lazy_db=True)
    importer = roster.add_parser("import", help="导入花名册")
    importer.add_argument("file")
    importer.add_argument("--dry-run", action="store_true", help="只检查, 不写入")
    importer.add_argument("--errors", help="把错误清单写入此 xlsx 文件")
    importer.add_argument("--valid-only", action="store_true", help="只导入正确的行, 报告其余的行")
    importer.set_defaults(handler=cmd_roster_import)
    change = roster.add_parser("change", help="记录一项变更")
    change.add_argument("id_number", metavar="ID")
    change.add_argument("field", metavar="FIELD")
    change.add_argument("value", metavar="VALUE")
    change.add_argument("--from", dest="from_month", type=_month, help="状态生效月份 YYYY-MM")
    change.set_defaults(handler=cmd_roster_change)
    listing = roster.add_parser("list", help="列出花名册")
    listing.add_argument("--township")
    listing.add_argument("--format", choices=("table", "csv"), default="table")
    listing.set_defaults(handler=cmd_roster_list)

    standard = commands.add_parser("standard", help="补贴标准").add_subparsers(dest="action", required=True, metavar="ACTION")
    standard_set = standard.add_parser("set", help="录入标准 (管理员), 如: standard set 低保标准 农村 520 --from 2025-01-01")
    standard_set.add_argument("item", metavar="ITEM")
    standard_set.add_argument("key", metavar="KEY")
    standard_set.add_argument("amount", metavar="AMOUNT")
    standard_set.add_argument("--from", dest="from_date", required=True, type=_date, help="生效日期 YYYY-MM-DD")
    standard_set.add_argument("--dry-run", action="store_true", help="只列出下次计算因此补发或追回的明细, 不写入")
    standard_set.add_argument("--format", choices=("table", "csv"), default="table")
    standard_set.set_defaults(handler=cmd_standard_set)
    standard.add_parser("list", help="列出全部标准及其历史").set_defaults(handler=cmd_standard_list)

    payout = commands.add_parser("payout", help="月度发放").add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, handler, help_text in (
        ("run", cmd_payout_run, "计算 (或重新计算) 该月的发放草稿"),
        ("show", cmd_payout_show, "列出该月发放明细"),
        ("approve", cmd_payout_approve, "审批并锁定 (须由计算人以外的用户)"),
        ("diff", cmd_payout_diff, "与上月比较: 新增/停发/变更/补发/追回"),
    ):
        sub = payout.add_parser(name, help=help_text)
        sub.add_argument("month", metavar="YYYY-MM", type=_month)
        if name == "run":
            sub.add_argument("--full", action="store_true", help="为每个人重算整个补发期 (默认只重算有变更的人)")
        if name in ("show", "diff"):
            sub.add_argument("--format", choices=("table", "csv"), default="table")
        sub.set_defaults(handler=handler)
    history = payout.add_parser("history", help="一个人的全部发放记录: 批次月份、项目、所属期、金额、类型、原因、银行结果")
    history.add_argument("id_number", metavar="ID")
    history.add_argument("--format", choices=("table", "csv"), default="table")
    history.set_defaults(handler=cmd_payout_history)

    recovery = commands.add_parser("recovery", help="追回台账").add_subparsers(dest="action", required=True, metavar="ACTION")
    recovery_list = recovery.add_parser("list", help="未清的追回款 (--all: 全部): 应追回、已退回、已抵扣、已核销、未清")
    recovery_list.add_argument("--township", help="只列这个乡镇")
    recovery_list.add_argument("--all", action="store_true", help="包括已清的")
    recovery_list.add_argument("--format", choices=("table", "csv"), default="table")
    recovery_list.set_defaults(handler=cmd_recovery_list)
    recovery_record = recovery.add_parser("record", help="记录退回或核销 (核销: 审批或管理员), 先冲抵最早的未清追回款")
    recovery_record.add_argument("id_number", metavar="ID")
    recovery_record.add_argument("amount", metavar="AMOUNT")
    recovery_record.add_argument("--method", required=True, choices=("退回", "核销"))
    recovery_record.add_argument("--date", required=True, type=_date, help="退回或核销日期 YYYY-MM-DD")
    recovery_record.add_argument("--note", help="收据号或说明; 核销须写理由")
    recovery_record.set_defaults(handler=cmd_recovery_record)
    deduction = recovery.add_parser("deduction", help="追回款是否从同一人员以后同一项目的发放中抵扣 (默认 on; 管理员)")
    deduction.add_argument("switch", choices=("on", "off"))
    deduction.set_defaults(handler=cmd_recovery_deduction)

    export = commands.add_parser("export", help="导出").add_subparsers(dest="action", required=True, metavar="ACTION")
    bank = export.add_parser("bank", help="导出已审批批次的银行代发清单")
    bank.add_argument("month", metavar="YYYY-MM", type=_month)
    bank.add_argument("--out", required=True, help="输出文件夹")
    bank.add_argument("--bank", help="只导出这家开户银行")
    bank.add_argument("--template", help="所有银行都使用这个模板")
    bank.set_defaults(handler=cmd_export_bank)

    imports = commands.add_parser("import", help="导入").add_subparsers(dest="action", required=True, metavar="ACTION")
    deaths = imports.add_parser("deaths", help="导入死亡名单 (公安户籍注销/殡葬火化), 显示由此产生的追回")
    deaths.add_argument("file")
    deaths.add_argument("--dry-run", action="store_true", help="只检查并显示追回, 不写入")
    deaths.add_argument("--accept-names", action="store_true", help="姓名与花名册不同的行也按身份证号导入 (核实之后)")
    deaths.set_defaults(handler=cmd_import_deaths)
    bank_return = imports.add_parser("bank-return", help="导入银行回盘文件, 标记成功和失败")
    bank_return.add_argument("month", metavar="YYYY-MM", type=_month)
    bank_return.add_argument("file", metavar="F.xlsx")
    bank_return.set_defaults(handler=cmd_import_bank_return)

    report = commands.add_parser("report", help="月度统计报表 (xlsx)")
    report.add_argument("month", metavar="YYYY-MM", type=_month)
    report.add_argument("--out", required=True)
    report.set_defaults(handler=cmd_report)

    database = commands.add_parser("db", help="数据库维护").add_subparsers(dest="action", required=True, metavar="ACTION")
    backup = database.add_parser("backup", help="在线备份本机数据库 (管理员)")
    backup.add_argument("--out", help="备份文件; 默认数据文件夹的 backups/")
    backup.set_defaults(handler=cmd_db_backup)
    restore = database.add_parser("restore", help="把备份恢复为一个新的数据库文件 (--db 指定)")
    restore.add_argument("file")
    restore.add_argument("--accept-broken-log", action="store_true", help="操作日志不完整的备份也恢复 (恢复记录会注明)")
    restore.set_defaults(handler=cmd_db_restore, lazy_db=True)
    setup = database.add_parser("setup-server", help="为多台电脑共用准备一个空的 PostgreSQL 数据库")
    setup.add_argument("url", metavar="URL")
    setup.add_argument("--policy", default="yangcheng", help="预置政策 (默认 yangcheng)")
    setup.set_defaults(handler=cmd_db_setup_server, lazy_db=True)
    copy = database.add_parser("copy", help="把当前数据库完整复制到另一个 (空) 数据库并核对")
    copy.add_argument("--to", required=True, metavar="URL")
    copy.set_defaults(handler=cmd_db_copy)
    audit = commands.add_parser("audit", help="操作日志").add_subparsers(dest="action", required=True, metavar="ACTION")
    audit.add_parser("verify", help="校验操作日志的哈希链").set_defaults(handler=cmd_audit_verify)
    audit_list = audit.add_parser("list", help="列出操作日志 (本地时间, 从早到晚): 时间、用户、安装、操作、对象、内容")
    audit_list.add_argument("--from", dest="since", type=_date, metavar="YYYY-MM-DD", help="从这一天起")
    audit_list.add_argument("--to", dest="until", type=_date, metavar="YYYY-MM-DD", help="到这一天止 (含)")
    audit_list.add_argument("--user", dest="log_user", metavar="NAME", help="只列这个用户的操作")
    audit_list.add_argument("--format", choices=("table", "csv"), default="table")
    audit_list.set_defaults(handler=cmd_audit_list)

    item = commands.add_parser("item", help="补贴项目的设置").add_subparsers(dest="action", required=True, metavar="ACTION")
    item_code = item.add_parser("code", help="项目在一卡通平台的补贴项目编码: 显示, 或设为 CODE (管理员; 空字符串清除)")
    item_code.add_argument("item", metavar="ITEM", help="项目名称或代码")
    item_code.add_argument("code", nargs="?", metavar="CODE")
    item_code.set_defaults(handler=cmd_item_code)

    enroll = commands.add_parser("enroll", help="享受项目: 申请、审批、驳回、终止、列表").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    enroll_apply = enroll.add_parser("apply", help="登记申请 (经办及以上), 由其他用户审批")
    enroll_approve = enroll.add_parser("approve", help="批准申请 (审批或管理员, 须非录入人)")
    enroll_reject = enroll.add_parser("reject", help="驳回申请 (须填写理由)")
    enroll_end = enroll.add_parser("end", help="终止已批准的项目: 享受至该月, 此后停发 (已发的多发月份由下次计算追回)")
    for sub in (enroll_apply, enroll_approve, enroll_reject, enroll_end):
        sub.add_argument("id_number", metavar="ID", help="身份证号")
        sub.add_argument("item", metavar="ITEM", help="项目名称或代码")
        sub.set_defaults(handler=cmd_enroll)
    enroll_apply.add_argument("--from", dest="start", type=_month, required=True, metavar="YYYY-MM", help="起始月份")
    enroll_reject.add_argument("--reason", required=True, help="驳回理由")
    enroll_end.add_argument("--after", type=_month, required=True, metavar="YYYY-MM", help="享受至该月 (含)")
    enroll_list = enroll.add_parser("list", help="申请和享受项目列表")
    enroll_list.add_argument("--state", choices=("待审批", "已批准", "已驳回", "已终止"), help="只列这种状态 (默认全部)")
    enroll_list.add_argument("--format", choices=("table", "csv"), default="table")
    enroll_list.set_defaults(handler=cmd_enroll)

    check = commands.add_parser("check", help="主动发现: 待办提醒与疑点核查").add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, help_text in (("upcoming", "将符合条件而未登记的人员, 及下月档次变化"), ("doubtful", "疑点: 死亡后仍发放、同名同生日、共用账号等")):
        sub = check.add_parser(name, help=help_text)
        sub.add_argument("--format", choices=("table", "csv"), default="table")
        sub.set_defaults(handler=cmd_check)

    budget = commands.add_parser("budget", help="专项资金: 各项目预算、已支出、余额与预警")
    budget.add_argument("year", nargs="?", type=_year, metavar="YEAR")
    budget.add_argument("--item", help="录入资金的补贴项目 (名称或代码)")
    budget.add_argument("--amount", help="录入一笔资金下达 (元; 负数为调减), 管理员操作")
    budget.add_argument("--source", choices=("财政", "上级补助"), default="财政")
    budget.add_argument("--note", help="文号或说明")
    budget.add_argument("--format", choices=("table", "csv"), default="table")
    budget.set_defaults(handler=cmd_budget)

    alive = commands.add_parser("liveness", help="生存认证").add_subparsers(dest="action", required=True, metavar="ACTION")
    record = alive.add_parser("record", help="记录一次生存认证")
    record.add_argument("id_number", metavar="ID")
    record.add_argument("date", metavar="YYYY-MM-DD", type=_date)
    record.add_argument("--method", required=True, choices=("上门", "视频", "人脸识别", "社保认证"))
    alive_import = alive.add_parser("import", help="导入认证结果名单 (身份证号, 认证日期, 认证方式)")
    alive_import.add_argument("file")
    alive_import.add_argument("--dry-run", action="store_true")
    alive_import.add_argument("--accept-names", action="store_true", help="姓名与花名册不同的行也按身份证号导入 (核实之后)")
    alive_deadline = alive.add_parser("deadline", help="查看或设置生存认证截止月 (1–11, 0 为不暂停; 管理员)")
    alive_deadline.add_argument("month", nargs="?", type=int)
    missing = alive.add_parser("missing", help="当年尚未认证的享受人员")
    missing.add_argument("year", nargs="?", type=_year, metavar="YEAR")
    missing.add_argument("--format", choices=("table", "csv"), default="table")
    for sub in (record, alive_import, alive_deadline, missing):
        sub.set_defaults(handler=cmd_liveness)

    commands.add_parser("selftest", help="自检: 临时数据库、计算一个月、生成 PDF 和 xlsx").set_defaults(
        handler=cmd_selftest, lazy_db=True)

    printer = commands.add_parser("print", help="打印 (PDF)").add_subparsers(dest="action", required=True, metavar="ACTION")
    approval = printer.add_parser("approval", help="审批表")
    approval.add_argument("id_number", metavar="ID")
    approval.add_argument("--item", required=True)
    approval.add_argument("--out", required=True)
    roster_pdf = printer.add_parser("roster", help="发放花名册 (身份证号和账号默认遮盖, 可用于公示)")
    roster_pdf.add_argument("month", metavar="YYYY-MM", type=_month)
    roster_pdf.add_argument("--out", required=True)
    roster_pdf.add_argument("--township")
    roster_pdf.add_argument("--full-numbers", action="store_true", help="打印完整号码 (仅限审核/审批/管理员, 记入操作日志)")
    approvals = printer.add_parser("approvals", help="从该月起享受的全部审批表, 一人一页")
    approvals.add_argument("month", metavar="YYYY-MM", type=_month)
    approvals.add_argument("--out", required=True)
    summary_pdf = printer.add_parser("summary", help="汇总表")
    summary_pdf.add_argument("month", metavar="YYYY-MM", type=_month)
    summary_pdf.add_argument("--out", required=True)
    notices = printer.add_parser("notices", help="待办提醒通知单: 各乡镇符合条件而未申请的人员 (身份证号遮盖)")
    notices.add_argument("--out", required=True)
    notices.add_argument("--township")
    for sub in (approval, approvals, roster_pdf, summary_pdf, notices):
        sub.set_defaults(handler=cmd_print)
    publicity = printer.add_parser("publicity", help="公示名单: 各村(社区)本月发放的人员、项目和金额, 不含身份证号和账号")
    publicity.add_argument("--township", help="只打印这个乡镇")
    changes = printer.add_parser("changes", help="增减变动表: 各乡镇各项目的上月人数、新增、停发、本月人数, 及新增停发人员和原因")
    for sub, handler in ((publicity, cmd_print_publicity), (changes, cmd_print_changes)):
        sub.add_argument("month", metavar="YYYY-MM", type=_month)
        sub.add_argument("--out", required=True)
        sub.set_defaults(handler=handler)
    hotline = printer.add_parser("hotline", help="公示名单上的监督电话: 显示, 或设为 NUMBER (管理员)")
    hotline.add_argument("number", nargs="?", metavar="NUMBER")
    hotline.set_defaults(handler=cmd_print_hotline)
    font = printer.add_parser("font", help="打印字体: 列出本机可用的 (* 为当前), 或设为 NAME (宋体/仿宋/黑体, Windows 系统字体)")
    font.add_argument("name", nargs="?", metavar="NAME")
    font.set_defaults(handler=cmd_print_font, lazy_db=True)

    demo = commands.add_parser("demo", help="生成演示县数据库和文件")
    demo.add_argument("--out", required=True)
    demo.add_argument("--people", type=int, default=20_000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--policy", default="yangcheng")
    demo.set_defaults(handler=cmd_demo)
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
