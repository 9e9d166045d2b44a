"""The policy's standards and the items' codes on the provincial platform."""
from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.cli.common import acting_user, add_format, date_value, print_csv

if TYPE_CHECKING:
    from workbench.bootstrap import Database
    from workbench.domain.actor import Actor


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
        print_csv(["身份证号", "姓名", "项目", "所属期", "金额", "类型"], rows)
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
    print_csv(["标准", "项", "生效日期", "金额", "录入人"], rows)
    return 0


def cmd_item_code(args, db: Database) -> int:
    from workbench.services.bank_export import item_code_text, set_item_code

    actor = acting_user(db, args)
    print(item_code_text(db, actor, args.item) if args.code is None else set_item_code(db, actor, args.item, args.code))
    return 0


def register(commands) -> None:
    standard = commands.add_parser("standard", help="补贴标准").add_subparsers(dest="action", required=True, metavar="ACTION")
    standard_set = standard.add_parser("set", help="录入标准 (管理员), 如: standard set 低保标准 农村 520 --from 2025-01-01")
    standard_set.add_argument("item", metavar="ITEM")
    standard_set.add_argument("key", metavar="KEY")
    standard_set.add_argument("amount", metavar="AMOUNT")
    standard_set.add_argument("--from", dest="from_date", required=True, type=date_value, help="生效日期 YYYY-MM-DD")
    standard_set.add_argument("--dry-run", action="store_true", help="只列出下次计算因此补发或追回的明细, 不写入")
    add_format(standard_set)
    standard_set.set_defaults(handler=cmd_standard_set)
    standard.add_parser("list", help="列出全部标准及其历史").set_defaults(handler=cmd_standard_list)

    item = commands.add_parser("item", help="补贴项目的设置").add_subparsers(dest="action", required=True, metavar="ACTION")
    item_code = item.add_parser("code", help="项目在一卡通平台的补贴项目编码: 显示, 或设为 CODE (管理员; 空字符串清除)")
    item_code.add_argument("item", metavar="ITEM", help="项目名称或代码")
    item_code.add_argument("code", nargs="?", metavar="CODE")
    item_code.set_defaults(handler=cmd_item_code)
