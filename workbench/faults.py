"""The last word on a failure that is not a refusal: one Chinese line for the user, the traceback
for the log. Used by the command line and the window alike."""
from __future__ import annotations


def fault_message(problem: BaseException) -> str:
    """One Chinese line for a failure that is not a refusal: what failed, which file, what to do."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(problem, OSError):
        where = f"「{problem.filename}」" if problem.filename else ""
        reasons = {28: "磁盘已满", 13: "没有权限", 30: "磁盘只读", 2: "找不到文件或文件夹", 21: "这是一个文件夹"}
        reason = reasons.get(problem.errno or 0, problem.strerror or str(problem))
        return f"读写文件{where}失败: {reason}; 请检查后重试, 已有的数据没有改动"
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
