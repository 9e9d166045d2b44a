"""The roster: the template, imports and changes, enrollments (享受项目), liveness checks (生存认证)."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.cli.common import (
    acting_user, add_format, date_value, listing_rejections, month_value, print_name_differences,
    print_rows, year_value,
)
from workbench.domain.errors import ImportRejected

if TYPE_CHECKING:
    from workbench.bootstrap import Database


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
    from workbench.services.roster_views import list_roster

    actor = acting_user(db, args)
    lines = list_roster(db, actor, township=args.township)
    header = ["身份证号", "姓名", "性别", "出生日期", "年龄", "乡镇", "村(社区)", "户籍性质", "低保", "特困供养", "享受项目", "开户银行", "银行账号", "死亡日期"]
    rows = (
        [line.id_number, line.name, line.sex, line.birth_date.isoformat(), line.age, line.township, line.village,
         line.hukou, line.dibao, line.tekun, line.items, line.bank_name, line.account,
         line.death_date.isoformat() if line.death_date else ""]
        for line in lines
    )
    print_rows(args.format, header, rows, "人")
    return 0


ENROLL_COLUMNS = ("身份证号", "姓名", "乡镇", "村(社区)", "项目", "起始月份", "享受至", "状态", "录入人", "审批人")


def cmd_enroll(args, db: Database) -> int:
    from workbench.services import enrollment

    actor = acting_user(db, args)
    if args.action == "list":
        rows = [[entry.id_number, entry.name, entry.township, entry.village, entry.item_name, entry.start_month,
                 entry.end_month or "", entry.shown_state, entry.entered_by, entry.decided_by]
                for entry in enrollment.list_applications(db, actor, args.state)]
        print_rows(args.format, list(ENROLL_COLUMNS), rows, "条")
        return 0
    if args.action == "apply":
        print(enrollment.apply_by_id_number(db, actor, args.id_number, args.item, args.start))
    elif args.action in ("approve", "reject"):
        print(enrollment.decide_by_id_number(db, actor, args.id_number, args.item, approve=args.action == "approve",
                                             note=getattr(args, "reason", "") or ""))
    else:
        print(enrollment.end_enrollment(db, actor, args.id_number, args.item, args.after))
    return 0


def cmd_liveness(args, db: Database) -> int:
    from workbench.services import liveness

    actor = acting_user(db, args)
    if args.action == "record":
        name = liveness.record_check(db, actor, args.id_number, args.date, args.method)
        print(f"已记录 {name} 于 {args.date.isoformat()} 的生存认证 ({args.method})")
    elif args.action == "import":
        report = listing_rejections(lambda: liveness.import_checks(db, actor, Path(args.file), dry_run=args.dry_run,
                                                                    accept_names=args.accept_names))
        verb = "将记录" if args.dry_run else "已记录"
        print(f"认证名单 {report.rows} 行: {verb} {report.recorded} 条, 已有相同记录 {report.already} 条, "
              f"不在花名册 {len(report.not_on_roster)} 人" + ("; 试运行, 未写入任何数据" if args.dry_run else ""))
        print_name_differences(report.name_differs, args.accept_names)
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
        print_rows(args.format, list(liveness.COLUMNS), rows, "人")
    return 0


def register(commands) -> None:
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
    change.add_argument("--from", dest="from_month", type=month_value, help="状态生效月份 YYYY-MM")
    change.set_defaults(handler=cmd_roster_change)
    listing = roster.add_parser("list", help="列出花名册")
    listing.add_argument("--township")
    add_format(listing)
    listing.set_defaults(handler=cmd_roster_list)

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
    enroll_apply.add_argument("--from", dest="start", type=month_value, required=True, metavar="YYYY-MM", help="起始月份")
    enroll_reject.add_argument("--reason", required=True, help="驳回理由")
    enroll_end.add_argument("--after", type=month_value, required=True, metavar="YYYY-MM", help="享受至该月 (含)")
    enroll_list = enroll.add_parser("list", help="申请和享受项目列表")
    enroll_list.add_argument("--state", choices=("待审批", "已批准", "已驳回", "已终止"), help="只列这种状态 (默认全部)")
    add_format(enroll_list)
    enroll_list.set_defaults(handler=cmd_enroll)

    alive = commands.add_parser("liveness", help="生存认证").add_subparsers(dest="action", required=True, metavar="ACTION")
    record = alive.add_parser("record", help="记录一次生存认证")
    record.add_argument("id_number", metavar="ID")
    record.add_argument("date", metavar="YYYY-MM-DD", type=date_value)
    record.add_argument("--method", required=True, choices=("上门", "视频", "人脸识别", "社保认证"))
    alive_import = alive.add_parser("import", help="导入认证结果名单 (身份证号, 认证日期, 认证方式)")
    alive_import.add_argument("file")
    alive_import.add_argument("--dry-run", action="store_true")
    alive_import.add_argument("--accept-names", action="store_true", help="姓名与花名册不同的行也按身份证号导入 (核实之后)")
    alive_deadline = alive.add_parser("deadline", help="查看或设置生存认证截止月 (1–11, 0 为不暂停; 管理员)")
    alive_deadline.add_argument("month", nargs="?", type=int)
    missing = alive.add_parser("missing", help="当年尚未认证的享受人员")
    missing.add_argument("year", nargs="?", type=year_value, metavar="YEAR")
    add_format(missing)
    for sub in (record, alive_import, alive_deadline, missing):
        sub.set_defaults(handler=cmd_liveness)
