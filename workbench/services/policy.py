"""The active policy: loaded from a preset or a file, kept in the database for every PC."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from workbench.domain.errors import InvalidInput
from workbench.domain.money import ZERO, parse_amount
from workbench.domain.month import Month
from workbench.domain.policy import Policy, parse_policy
from workbench.paths import policy_presets_dir
from workbench.store.models import Batch, Setting, Standard
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
        uow.mark_all_changed()
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
    if added:
        uow.mark_all_changed()
    return added


def _new_standard(policy: Policy, name: str, key: str, amount_text: str):
    """The standard spec and amount a new version names, or a Chinese refusal."""
    try:
        amount = parse_amount(amount_text)
    except (ValueError, TypeError) as problem:
        raise InvalidInput(f"标准金额: {problem}") from None
    names = {spec.name: spec for spec in policy.standards}
    spec = names.get(name) or names.get(_standard_of_item(policy, name))
    if spec is None:
        raise InvalidInput(f"没有名为「{name}」的标准; 可用的标准: {'、'.join(names)}")
    if key not in spec.keys:
        raise InvalidInput(f"标准「{spec.name}」没有「{key}」一项; 应为 {'、'.join(spec.keys)}")
    return spec, amount


def set_standard(db, actor, name: str, key: str, amount_text: str, effective_from: date) -> str:
    """Record a standard from a date (history kept); returns a one-line description."""
    from workbench.services.accounts import require

    require(actor, "set_standard")
    with db.unit_of_work(actor, write=True) as uow:
        spec, amount = _new_standard(active_policy(uow), name, key, amount_text)
        uow.session.add(Standard(name=spec.name, key=key, amount=amount, effective_from=effective_from,
                                 recorded_at=now(), recorded_by=actor.name))
        uow.audit("录入标准", "standard", f"{spec.name}/{key}", {"金额": amount, "生效日期": effective_from})
        uow.mark_all_changed()
        uow.commit()
    unit = "每年" if spec.unit == "year" else "每月"
    return f"标准「{spec.name}/{key}」自 {effective_from.isoformat()} 起为{unit} {amount} 元; 已发放月份的差额在下一次发放时补发或追回"


@dataclass(frozen=True)
class StandardPreview:
    """What a new standard version would change in months already paid (approved batches)."""

    first: Month
    last: Month | None  # the last month paid; None: no paid month is touched
    people: int
    back_pay: Decimal  # owed on top of what was paid
    recovery: Decimal  # paid above what would be owed (negative or zero)


def preview_standard(db, actor, name: str, key: str, amount_text: str, effective_from: date,
                     progress=None) -> StandardPreview:
    """The back pay and recoveries a standard from `effective_from` would cause, before it is saved."""
    from workbench.domain.entitlement import Entitlement, StandardBook
    from workbench.services.accounts import require
    from workbench.services.payout import DRAFT, load_people

    require(actor, "set_standard")
    first = Month.of(effective_from)
    with db.unit_of_work(actor) as uow:
        policy = active_policy(uow)
        spec, amount = _new_standard(policy, name, key, amount_text)
        last = uow.session.scalar(select(func.max(Batch.month)).where(Batch.state != DRAFT))
        if last is None or first > last:
            return StandardPreview(first, None, 0, ZERO, ZERO)
        versions = [tuple(row) for row in uow.session.execute(
            select(Standard.name, Standard.key, Standard.effective_from, Standard.amount).order_by(Standard.id))]
        people = load_people(uow)
    before = Entitlement(policy, StandardBook(versions))
    after = Entitlement(policy, StandardBook([*versions, (spec.name, key, effective_from, amount)]))
    months = list(first.until(last))
    touched, back_pay, recovery = 0, ZERO, ZERO
    for done, person in enumerate(people.values()):
        change = ZERO
        for month in months:
            old = sum((owed.amount for owed in before.month(person, month).values()), ZERO)
            new = sum((owed.amount for owed in after.month(person, month).values()), ZERO)
            difference = new - old
            if difference > 0:
                back_pay += difference
            elif difference < 0:
                recovery += difference
            change = change or difference
        touched += change != 0
        if progress and done % 1000 == 0:
            progress(done, len(people))
    return StandardPreview(first, last, touched, back_pay, recovery)


def _standard_of_item(policy: Policy, name: str) -> str | None:
    """An item's name (or code) stands for the standard it pays from."""
    code = policy.item_codes_by_name().get(name)
    return policy.item(code).standard if code else None


def list_standards(db, actor) -> list[tuple[str, str, date, Decimal, str]]:
    """Every recorded standard version: name, key, effective date, amount, recorded by."""
    with db.unit_of_work(actor) as uow:
        return [tuple(row) for row in uow.session.execute(
            select(Standard.name, Standard.key, Standard.effective_from, Standard.amount, Standard.recorded_by)
            .order_by(Standard.name, Standard.key, Standard.effective_from, Standard.id))]
