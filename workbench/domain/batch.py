"""A payout batch's states (发放批次): 草稿 → 已审批 (locked) → 已导出 → 已对账."""
from __future__ import annotations

DRAFT, APPROVED, EXPORTED, RECONCILED = "草稿", "已审批", "已导出", "已对账"
ALL_ITEMS = "全部"  # the item group of a batch for every item
