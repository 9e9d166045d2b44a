"""The monthly payout, the recovery ledger (追回台账) and the special funds (专项资金)."""
from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from workbench.cli.common import acting_user, add_format, date_value, month_value, print_rows, year_value
from workbench.domain.errors import InvalidInput

if TYPE_CHECKING:
    from workbench.bootstrap import Database


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
    print_rows(args.format, ["身份证号", "姓名", "项目", "所属期", "金额", "类型"], rows, "行")
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
    print_rows(args.format, ["批次月份", "项目", "所属期", "金额", "类型", "原因", "银行结果"], rows, "行")
    return 0


def cmd_payout_diff(args, db: Database) -> int:
    from workbench.services.payout import diff_month

    actor = acting_user(db, args)
    rows = [
        [line.category, line.id_number, line.name, line.item, str(line.period), f"{line.amount:.2f}",
         "" if line.previous is None else f"{line.previous:.2f}", line.reason]
        for line in diff_month(db, actor, args.month)
    ]
    print_rows(args.format, ["类别", "身份证号", "姓名", "项目", "所属期", "金额", "上月金额", "原因"], rows, "行")
    return 0


def cmd_recovery_list(args, db: Database) -> int:
    from workbench.services.recovery import COLUMNS, list_recoveries

    found = list_recoveries(db, acting_user(db, args), township=args.township, everything=args.all)
    rows = [[f"{value:.2f}" if isinstance(value, Decimal) else value for value in entry.row()] for entry in found]
    print_rows(args.format, list(COLUMNS), rows, "笔")
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
    print_rows(args.format, list(COLUMNS), rows, "个项目")
    return 0


def register(commands) -> None:
    payout = commands.add_parser("payout", help="月度发放").add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, handler, help_text in (
        ("run", cmd_payout_run, "计算 (或重新计算) 该月的发放草稿"),
        ("show", cmd_payout_show, "列出该月发放明细"),
        ("approve", cmd_payout_approve, "审批并锁定 (须由计算人以外的用户)"),
        ("diff", cmd_payout_diff, "与上月比较: 新增/停发/变更/补发/追回"),
    ):
        sub = payout.add_parser(name, help=help_text)
        sub.add_argument("month", metavar="YYYY-MM", type=month_value)
        if name == "run":
            sub.add_argument("--full", action="store_true", help="为每个人重算整个补发期 (默认只重算有变更的人)")
        if name in ("show", "diff"):
            add_format(sub)
        sub.set_defaults(handler=handler)
    history = payout.add_parser("history", help="一个人的全部发放记录: 批次月份、项目、所属期、金额、类型、原因、银行结果")
    history.add_argument("id_number", metavar="ID")
    add_format(history)
    history.set_defaults(handler=cmd_payout_history)

    recovery = commands.add_parser("recovery", help="追回台账").add_subparsers(dest="action", required=True, metavar="ACTION")
    recovery_list = recovery.add_parser("list", help="未清的追回款 (--all: 全部): 应追回、已退回、已抵扣、已核销、未清")
    recovery_list.add_argument("--township", help="只列这个乡镇")
    recovery_list.add_argument("--all", action="store_true", help="包括已清的")
    add_format(recovery_list)
    recovery_list.set_defaults(handler=cmd_recovery_list)
    recovery_record = recovery.add_parser("record", help="记录退回或核销 (核销: 审批或管理员), 先冲抵最早的未清追回款")
    recovery_record.add_argument("id_number", metavar="ID")
    recovery_record.add_argument("amount", metavar="AMOUNT")
    recovery_record.add_argument("--method", required=True, choices=("退回", "核销"))
    recovery_record.add_argument("--date", required=True, type=date_value, help="退回或核销日期 YYYY-MM-DD")
    recovery_record.add_argument("--note", help="收据号或说明; 核销须写理由")
    recovery_record.set_defaults(handler=cmd_recovery_record)
    deduction = recovery.add_parser("deduction", help="追回款是否从同一人员以后同一项目的发放中抵扣 (默认 on; 管理员)")
    deduction.add_argument("switch", choices=("on", "off"))
    deduction.set_defaults(handler=cmd_recovery_deduction)

    budget = commands.add_parser("budget", help="专项资金: 各项目预算、已支出、余额与预警")
    budget.add_argument("year", nargs="?", type=year_value, metavar="YEAR")
    budget.add_argument("--item", help="录入资金的补贴项目 (名称或代码)")
    budget.add_argument("--amount", help="录入一笔资金下达 (元; 负数为调减), 管理员操作")
    budget.add_argument("--source", choices=("财政", "上级补助"), default="财政")
    budget.add_argument("--note", help="文号或说明")
    add_format(budget)
    budget.set_defaults(handler=cmd_budget)
