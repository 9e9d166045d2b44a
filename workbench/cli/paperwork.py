"""Paperwork: the monthly report, the printed documents, and the checks (待办提醒, 疑点)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.cli.common import acting_user, add_format, month_value, print_rows

if TYPE_CHECKING:
    from workbench.bootstrap import Database


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


def cmd_check(args, db: Database) -> int:
    from workbench.services.checks import doubtful, upcoming

    finder = upcoming if args.action == "upcoming" else doubtful
    findings = finder(db, acting_user(db, args))
    rows = [[finding.kind, finding.id_number, finding.name, finding.township, finding.item,
             str(finding.month) if finding.month else "", finding.reason] for finding in findings]
    print_rows(args.format, ["类型", "身份证号", "姓名", "乡镇", "项目", "月份", "原因"], rows, "条")
    return 0


def register(commands) -> None:
    report = commands.add_parser("report", help="月度统计报表 (xlsx)")
    report.add_argument("month", metavar="YYYY-MM", type=month_value)
    report.add_argument("--out", required=True)
    report.set_defaults(handler=cmd_report)

    printer = commands.add_parser("print", help="打印 (PDF)").add_subparsers(dest="action", required=True, metavar="ACTION")
    approval = printer.add_parser("approval", help="审批表")
    approval.add_argument("id_number", metavar="ID")
    approval.add_argument("--item", required=True)
    approval.add_argument("--out", required=True)
    roster_pdf = printer.add_parser("roster", help="发放花名册 (身份证号和账号默认遮盖, 可用于公示)")
    roster_pdf.add_argument("month", metavar="YYYY-MM", type=month_value)
    roster_pdf.add_argument("--out", required=True)
    roster_pdf.add_argument("--township")
    roster_pdf.add_argument("--full-numbers", action="store_true", help="打印完整号码 (仅限审核/审批/管理员, 记入操作日志)")
    approvals = printer.add_parser("approvals", help="从该月起享受的全部审批表, 一人一页")
    approvals.add_argument("month", metavar="YYYY-MM", type=month_value)
    approvals.add_argument("--out", required=True)
    summary_pdf = printer.add_parser("summary", help="汇总表")
    summary_pdf.add_argument("month", metavar="YYYY-MM", type=month_value)
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
        sub.add_argument("month", metavar="YYYY-MM", type=month_value)
        sub.add_argument("--out", required=True)
        sub.set_defaults(handler=handler)
    hotline = printer.add_parser("hotline", help="公示名单上的监督电话: 显示, 或设为 NUMBER (管理员)")
    hotline.add_argument("number", nargs="?", metavar="NUMBER")
    hotline.set_defaults(handler=cmd_print_hotline)
    font = printer.add_parser("font", help="打印字体: 列出本机可用的 (* 为当前), 或设为 NAME (宋体/仿宋/黑体, Windows 系统字体)")
    font.add_argument("name", nargs="?", metavar="NAME")
    font.set_defaults(handler=cmd_print_font, lazy_db=True)

    check = commands.add_parser("check", help="主动发现: 待办提醒与疑点核查").add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, help_text in (("upcoming", "将符合条件而未登记的人员, 及下月档次变化"), ("doubtful", "疑点: 死亡后仍发放、同名同生日、共用账号等")):
        sub = check.add_parser(name, help=help_text)
        add_format(sub)
        sub.set_defaults(handler=cmd_check)
