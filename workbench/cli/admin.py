"""Setting up and looking after: init, users, the database, the operation log, the selftest, the demo county."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import __version__
from workbench.cli.common import EXIT_REFUSED, acting_user, add_format, date_value, print_rows, prompt_password
from workbench.domain.errors import InvalidInput
from workbench.domain.roles import ROLES
from workbench.settings import NEW_PASSWORD, PASSWORD

if TYPE_CHECKING:
    from workbench.bootstrap import Database


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
        password = prompt_password(f"新用户 {args.name} 的密码: ")
        if prompt_password("再输入一次: ") != password:
            raise InvalidInput("两次输入的密码不一致")
    add_user(db, actor, args.name, args.role, password, args.township or ())
    scope = f", 乡镇: {'、'.join(args.township)}" if args.township else ""
    print(f"已添加用户 {args.name} ({args.role}{scope})")
    return 0


def cmd_user_list(args, db: Database) -> int:
    from workbench.services.accounts import list_users

    rows = [[user.name, user.role, user.state, user.scope] for user in list_users(db, acting_user(db, args))]
    print_rows(args.format, ["用户名", "角色", "状态", "乡镇"], rows, "个用户")
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


def cmd_audit_list(args, db: Database) -> int:
    from workbench.services.audit import AUDIT_COLUMNS, audit_rows

    if args.since and args.until and args.since > args.until:
        raise InvalidInput(f"--from {args.since} 晚于 --to {args.until}")
    rows = audit_rows(db, acting_user(db, args), user=args.log_user, since=args.since, until=args.until)
    print_rows(args.format, list(AUDIT_COLUMNS), rows, "条")
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


def cmd_demo(args, db: Database) -> int:
    from workbench.services.demo import build_demo

    report = build_demo(db, Path(args.out), people=args.people, seed=args.seed, policy=args.policy)
    imported = report.imported
    print(f"演示县已建成: {imported.added} 人; 花名册 {report.roster_file}; 数据库 {db.description}")
    print(f"已计算并审批 {report.month} 的发放, 文件:")
    for path in report.files:
        print(f"  {path}")
    return 0


def register_setup(commands) -> None:
    """init and user: setting up, first in the list."""
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
    add_format(user_list)
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


def register(commands) -> None:
    """The database, the operation log, the selftest and the demo county: looking after the program."""
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
    audit_list.add_argument("--from", dest="since", type=date_value, metavar="YYYY-MM-DD", help="从这一天起")
    audit_list.add_argument("--to", dest="until", type=date_value, metavar="YYYY-MM-DD", help="到这一天止 (含)")
    audit_list.add_argument("--user", dest="log_user", metavar="NAME", help="只列这个用户的操作")
    add_format(audit_list)
    audit_list.set_defaults(handler=cmd_audit_list)

    commands.add_parser("selftest", help="自检: 临时数据库、计算一个月、生成 PDF 和 xlsx").set_defaults(
        handler=cmd_selftest, lazy_db=True)

    demo = commands.add_parser("demo", help="生成演示县数据库和文件")
    demo.add_argument("--out", required=True)
    demo.add_argument("--people", type=int, default=20_000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--policy", default="yangcheng")
    demo.set_defaults(handler=cmd_demo)
