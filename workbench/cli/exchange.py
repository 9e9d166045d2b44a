"""Files exchanged with other offices: bank lists out, bank returns and death lists in."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.cli.common import acting_user, listing_rejections, month_value, print_name_differences

if TYPE_CHECKING:
    from workbench.bootstrap import Database


def cmd_export_bank(args, db: Database) -> int:
    from workbench.services.bank_export import export_bank

    actor = acting_user(db, args)
    report = export_bank(db, actor, args.month, Path(args.out), bank=args.bank, template_name=args.template)
    copy = f" (第 {report.copy_number} 份副本)" if report.copy_number else ""
    for exported in report.files:
        print(f"{exported.path.name}: {exported.bank} {exported.rows} 笔 {exported.total:.2f} 元 [{exported.template}]")
    print(f"{report.month} 代发清单已导出{copy}: {len(report.files)} 个文件, 合计 {report.total:.2f} 元; 汇总 {report.summary.name}")
    return 0


def cmd_import_deaths(args, db: Database) -> int:
    from workbench.services.deaths import import_deaths

    report = listing_rejections(lambda: import_deaths(db, acting_user(db, args), Path(args.file), dry_run=args.dry_run,
                                                       accept_names=args.accept_names))
    verb = "将记录" if args.dry_run else "已记录"
    print(f"死亡名单 {report.rows} 行: {verb}死亡 {report.recorded} 人, 花名册中已有相同记录 {report.already} 人, "
          f"不在花名册 {len(report.not_on_roster)} 人")
    for row, name, old, new in report.corrected:
        print(f"  第 {row} 行 {name}: 死亡日期由 {old.isoformat()} 改为 {new.isoformat()}")
    print_name_differences(report.name_differs, args.accept_names)
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


def register(commands) -> None:
    export = commands.add_parser("export", help="导出").add_subparsers(dest="action", required=True, metavar="ACTION")
    bank = export.add_parser("bank", help="导出已审批批次的银行代发清单")
    bank.add_argument("month", metavar="YYYY-MM", type=month_value)
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
    bank_return.add_argument("month", metavar="YYYY-MM", type=month_value)
    bank_return.add_argument("file", metavar="F.xlsx")
    bank_return.set_defaults(handler=cmd_import_bank_return)
