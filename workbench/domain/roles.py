"""Roles (角色) and what each may do: the one table of permissions."""
from __future__ import annotations

CLERK, REVIEWER, APPROVER, ADMIN = "经办", "审核", "审批", "管理员"
ROLES = (CLERK, REVIEWER, APPROVER, ADMIN)

PERMISSIONS: dict[str, frozenset[str]] = {
    "edit_roster": frozenset({CLERK, ADMIN}),  # 录入、导入、变更花名册
    "approve": frozenset({REVIEWER, APPROVER, ADMIN}),  # 审核审批 (never one's own entry)
    "run_payout": frozenset({CLERK, ADMIN}),
    "export": frozenset({CLERK, REVIEWER, APPROVER, ADMIN}),
    "set_standard": frozenset({ADMIN}),
    "manage_users": frozenset({ADMIN}),
    "maintain_database": frozenset({ADMIN}),  # 备份、复制数据库
    "see_full_numbers": frozenset({REVIEWER, APPROVER, ADMIN}),  # 完整身份证号、账号
    "read": frozenset(ROLES),
}

ACTION_NAMES = {
    "edit_roster": "维护花名册",
    "approve": "审核审批",
    "run_payout": "计算发放",
    "export": "导出",
    "set_standard": "修改标准",
    "manage_users": "管理用户",
    "maintain_database": "备份或复制数据库 (须由管理员办理)",
    "see_full_numbers": "查看完整证件号码",
    "read": "查看",
}


def may(role: str, permission: str) -> bool:
    return role in PERMISSIONS[permission]
