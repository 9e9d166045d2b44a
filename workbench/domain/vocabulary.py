"""Fixed value sets of the roster (字典), and the status facts that carry effective months."""
from __future__ import annotations

YES, NO = "是", "否"
NONE_VALUE = "无"  # a fact that ends an optional status (an assessment or disability withdrawn)
YES_NO = (YES, NO)
SEXES = ("男", "女")
HUKOU = ("城镇", "农村")  # 户籍性质: chooses the urban or rural 低保标准
TEKUN = ("否", "分散", "集中")  # 特困供养
SELF_CARE = ("全自理", "半护理", "全护理")  # 特困人员自理能力
ABILITY = ("能力完好", "轻度失能", "中度失能", "重度失能", "完全失能")  # GB/T 42195-2022
DISABILITY_KIND = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
DISABILITY_GRADE = ("一级", "二级", "三级", "四级")

# Status facts (状态事实): kind code -> (template header, allowed values, value when no fact exists).
STATUS_KINDS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "hukou": ("户籍性质", HUKOU, None),
    "dibao": ("低保", YES_NO, NO),
    "dibao_edge": ("低保边缘", YES_NO, NO),
    "tekun": ("特困供养", TEKUN, "否"),
    "self_care": ("自理能力", SELF_CARE, None),
    "ability": ("能力评估等级", ABILITY, None),
    "disability_kind": ("残疾类别", DISABILITY_KIND, None),
    "disability_grade": ("残疾等级", DISABILITY_GRADE, None),
}
STATUS_KIND_BY_HEADER = {header: kind for kind, (header, _, _) in STATUS_KINDS.items()}
STATUS_DEFAULTS = {kind: default for kind, (_, _, default) in STATUS_KINDS.items()}  # a kind's value before any fact


def status_choices(kind: str) -> tuple[str, ...]:
    """The values a status may be changed to: its allowed values, and 无 for an optional status
    (one with no value before any fact), except 户籍性质, which every person has."""
    _, allowed, default = STATUS_KINDS[kind]
    return allowed + ((NONE_VALUE,) if default is None and kind != "hukou" else ())

# Enrollment (享受资格) states: an application waits until someone other than its author decides.
PENDING, APPROVED, REJECTED = "待审批", "已批准", "已驳回"
ENDED = "已终止"  # shown for an approved enrollment given an end month; not a stored state
BANK_PAID, BANK_FAILED = "已支付", "失败"  # 银行回盘 of a ledger line; a failed line does not count as paid
