"""The last word on a failure that is not a refusal: one Chinese line for the user, the traceback
for the log. Used by the command line and the window alike."""
from __future__ import annotations

import errno


_REASONS = {errno.ENOSPC: "磁盘已满", errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "磁盘只读",
            errno.ENOENT: "找不到文件或文件夹", errno.EISDIR: "这是一个文件夹", errno.ENOTDIR: "路径中有一段不是文件夹",
            errno.EEXIST: "已存在同名的文件", errno.ENAMETOOLONG: "文件名太长", errno.EIO: "磁盘读写出错"}


def os_reason(problem: BaseException) -> str:
    """Why a file operation failed, in a clerk's words."""
    if getattr(problem, "sqlite_errorcode", None) == 13:  # SQLITE_FULL: the disk it writes to is full
        return _REASONS[errno.ENOSPC]
    code = getattr(problem, "errno", None)
    return _REASONS.get(code, getattr(problem, "strerror", None) or str(problem)) if code else str(problem)


def fault_message(problem: BaseException) -> str:
    """One Chinese line for a failure that is not a refusal: what failed, which file, what to do."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if not isinstance(problem, OSError) and problem.args and isinstance(problem.args[0], OSError):
        problem = problem.args[0]  # a library's wrapper of a file error (xlsxwriter's FileCreateError)

    if isinstance(problem, OSError):
        where = f"「{problem.filename}」" if problem.filename else ""
        return f"读写文件{where}失败: {os_reason(problem)}; 请检查后重试, 已有的数据没有改动"
    if isinstance(problem, OperationalError) and (server := _server_problem(str(problem.orig or problem))):
        return server
    if isinstance(problem, OperationalError) or "not a database" in str(problem):
        return ("无法打开或读取数据库 (文件不是本程序的数据库、已损坏、只读, 或服务器无法连接); "
                "请检查 --db 或连接设置, 已有的数据没有改动")
    if isinstance(problem, DBAPIError):
        return "数据库拒绝了这次操作, 没有保存任何改动; 详情已记入日志"
    return ("程序内部错误, 本次操作没有完成, 详情已记入日志; "
            "请在「设置」中导出诊断信息发给维护人员")


def report_fault(problem: BaseException, where: str) -> str:
    """Log `problem` with its traceback (what the maintainers need) and return the line for the user."""
    import logging

    logging.getLogger("workbench").error("%s 失败", where, exc_info=(type(problem), problem, problem.__traceback__))
    return fault_message(problem)


def _server_problem(text: str) -> str | None:
    """Why a PostgreSQL server could not be used, from the driver's message (the server's own words
    may be English or Chinese); None when it is not about connecting."""
    import re

    found = re.search(r'server at "([^"]+)"(?:\s*\([^)]*\))?, port (\d+)', text)
    if not found and "connection failed" not in text and "could not connect" not in text:
        return None
    server = f"{found.group(1)}:{found.group(2)}" if found else "数据库服务器"
    named = re.search(r'(database|role|数据库|角色) "([^"]+)"', text)
    if named and ("does not exist" in text or "不存在" in text):
        what = "数据库" if named.group(1) in ("database", "数据库") else "登录用户"
        return f"服务器 {server} 上没有{what}「{named.group(2)}」; 请检查连接地址 (--db 或「设置 → 数据库连接」)"
    if "password" in text or "密码" in text or "pg_hba.conf" in text:
        return f"服务器 {server} 拒绝登录 (用户名或密码不对, 或本机未获授权); 请向数据库管理员核对"
    return (f"无法连接数据库服务器 {server} (地址或端口不对、服务器未开机, 或被防火墙挡住); "
            "请检查连接地址后重试, 已有的数据没有改动")


def quiet_unraisable() -> None:
    """Errors Python can only report, not raise (a library's half-closed file cleaned up after a full
    disk): logged, never printed over the one line the user gets."""
    import logging
    import sys

    def logged(unraisable) -> None:
        logging.getLogger("workbench").warning("清理时出错 (%s): %s", getattr(unraisable.object, "__qualname__", ""),
                                               unraisable.exc_value)

    sys.unraisablehook = logged
