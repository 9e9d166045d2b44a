"""The active policy: loaded from a preset or a file, kept in the database for every PC."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from workbench.domain.errors import InvalidInput
from workbench.domain.policy import Policy, parse_policy
from workbench.paths import policy_presets_dir
from workbench.store.models import Setting, Standard
from workbench.store.uow import UnitOfWork, now

POLICY_SETTING = "policy"


def preset_names() -> list[str]:
    return sorted(path.stem for path in policy_presets_dir().glob("*.toml"))


def read_policy_source(reference: str) -> str:
    """The text of a preset (by name) or of a policy file (by path)."""
    preset = policy_presets_dir() / f"{reference}.toml"
    path = preset if preset.is_file() else Path(reference)
    if not path.is_file():
        raise InvalidInput(f"找不到政策「{reference}」: 可用的预置政策为 {'、'.join(preset_names())}, 或给出政策文件路径")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"政策文件「{path.name}」不是 UTF-8 编码") from None


def active_policy(uow: UnitOfWork) -> Policy:
    text = uow.session.scalar(select(Setting.value).where(Setting.key == POLICY_SETTING))
    if text is None:
        raise InvalidInput("尚未加载政策, 请先运行 workbench init --policy <预置名或文件>")
    return parse_policy(text)


def install_policy(uow: UnitOfWork, policy: Policy) -> int:
    """Store the policy text and the preset's standards (those not yet recorded); return how many."""
    setting = uow.session.get(Setting, POLICY_SETTING)
    moment = now()
    if setting is None:
        uow.session.add(Setting(key=POLICY_SETTING, value=policy.source_text, updated_at=moment, updated_by=uow.actor.name))
        uow.audit("加载政策", "policy", policy.code, {"名称": policy.name})
    elif setting.value != policy.source_text:
        before = parse_policy(setting.value)
        setting.value, setting.updated_at, setting.updated_by = policy.source_text, moment, uow.actor.name
        uow.audit("更换政策", "policy", policy.code, {"原政策": before.code, "新政策": policy.code})
    existing = {
        (row.name, row.key, row.effective_from, row.amount)
        for row in uow.session.execute(select(Standard.name, Standard.key, Standard.effective_from, Standard.amount))
    }
    added = 0
    for spec in policy.standards:
        for key, amount in spec.amounts.items():
            if (spec.name, key, policy.effective_from, amount) in existing:
                continue
            uow.session.add(
                Standard(name=spec.name, key=key, amount=amount, effective_from=policy.effective_from,
                         recorded_at=moment, recorded_by=uow.actor.name)
            )
            uow.audit("录入标准", "standard", f"{spec.name}/{key}",
                      {"金额": amount, "生效日期": policy.effective_from, "来源": "政策预置"})
            added += 1
    return added
