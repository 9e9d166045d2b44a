"""The active policy: loaded from a preset or a file, kept in the database for every PC."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from workbench.domain.actor import Actor
from workbench.domain.errors import InvalidInput
from workbench.domain.money import ZERO, parse_amount
from workbench.domain.month import Month
from workbench.domain.policy import Policy, parse_policy
from workbench.paths import policy_presets_dir
from workbench.services.database import Database
from workbench.store.bulk import chunks
from workbench.store.ledger import POLICY_SETTING, active_policy
from workbench.store.migrate import SchemaState
from workbench.store.models import Batch, Person, Setting, Standard
from workbench.store.uow import UnitOfWork, now



def current_policy(db: Database, actor: Actor) -> Policy:
    """The policy in force: its items and standards."""
    with db.unit_of_work(actor) as uow:
        return active_policy(uow)


def template_item_names(db: Database) -> list[str]:
    """The items a blank roster template names: the policy's, or none before the database is set up."""
    from workbench.services.accounts import SYSTEM

    if db.state is not SchemaState.CURRENT:
        return []
    try:
        return [item.name for item in current_policy(db, SYSTEM).items]
    except InvalidInput:
        return []


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


MOST_A_STANDARD = Decimal("100000")  # yuan a year (or a month): above any subsidy's standard


def _new_standard(policy: Policy, name: str, key: str, amount_text: str):
    """The standard spec and amount a new version names, or a Chinese refusal."""
    try:
        amount = parse_amount(amount_text)
    except (ValueError, TypeError) as problem:
        raise InvalidInput(f"标准金额: {problem}") from None
    if not ZERO < amount <= MOST_A_STANDARD:
        raise InvalidInput(f"标准金额: {amount} 元不合理, 应在 0.01 到 {MOST_A_STANDARD} 元之间")
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
class PreviewLine:
    """A 补发 or 追回 line the next run would write because of a new standard."""

    person_id: int
    item_code: str
    period: Month
    amount: Decimal
    kind: str  # 补发 / 追回
    id_number: str = ""
    name: str = ""
    item: str = ""


@dataclass(frozen=True)
class StandardPreview:
    """What a new standard version would change in months already paid (approved batches): the
    补发 and 追回 lines the next run would write for it, computed by the ledger engine."""

    first: Month
    last: Month | None  # the last month paid; None: no paid month is touched
    people: int
    back_pay: Decimal  # owed on top of what was paid
    recovery: Decimal  # paid above what would be owed (negative or zero)
    lines: tuple[PreviewLine, ...] = ()
    month: Month | None = None  # the month of the next run, whose lines these are


def preview_standard(db, actor, name: str, key: str, amount_text: str, effective_from: date,
                     progress=None, *, today: date | None = None) -> StandardPreview:
    """The back pay and recoveries a standard from `effective_from` would cause, before it is saved:
    for each person whose amounts it changes, the 补发 and 追回 lines the next run would write with it
    and not without it (settle over what was paid, in the run's back-pay window), so that the
    preview and the run agree to the fen."""
    from workbench.domain.entitlement import Entitlement, StandardBook
    from workbench.domain.ledger import BACK_PAY, RECOVERY, settle, window_start
    from workbench.services.accounts import require
    from workbench.domain.batch import DRAFT
    from workbench.store.ledger import load_entitlement, load_people, next_run_month, paid_in_window

    require(actor, "set_standard")
    first = Month.of(effective_from)
    with db.unit_of_work(actor) as uow:
        policy = active_policy(uow)
        spec, amount = _new_standard(policy, name, key, amount_text)
        last = uow.session.scalar(select(func.max(Batch.month)).where(Batch.state != DRAFT))
        if last is None or first > last:
            return StandardPreview(first, None, 0, ZERO, ZERO)
        month = next_run_month(uow, today or date.today())
        before = load_entitlement(uow)
        versions = [tuple(row) for row in uow.session.execute(
            select(Standard.name, Standard.key, Standard.effective_from, Standard.amount).order_by(Standard.id))]
        after = Entitlement(policy, StandardBook([*versions, (spec.name, key, effective_from, amount)]),
                            liveness_deadline=before.liveness_deadline)
        people = load_people(uow)
        window = list(max(first, window_start(month, policy.back_pay_months)).until(month - 1))
        touched = set()
        for done, (person_id, person) in enumerate(people.items()):
            # What an earlier system paid was recorded at import: only what is owed can change.
            if any(before.month(person, period) != after.month(person, period) for period in window):
                touched.add(person_id)
            if progress and done % 1000 == 0:
                progress(done, len(people))
        paid = paid_in_window(uow, window_start(month, policy.back_pay_months), touched) if touched else {}
        who = {person_id: (number, person_name) for chunk in chunks(sorted(touched))
               for person_id, number, person_name in uow.session.execute(
                   select(Person.id, Person.id_number, Person.name).where(Person.id.in_(chunk)))}
    names = {item.code: item.name for item in policy.items}
    lines = []
    for person_id in sorted(touched, key=lambda person_id: who[person_id][0]):
        held = paid.get(person_id, {})
        # The lines this standard adds or changes: those the run would write with it and not without it.
        without = {tuple(line) for line in settle(before, people[person_id], month, policy.back_pay_months, held)[0]}
        drafted, _missing = settle(after, people[person_id], month, policy.back_pay_months, held)
        lines += [PreviewLine(person_id, line.item_code, line.period, line.amount, line.kind, *who[person_id],
                              names.get(line.item_code, line.item_code))
                  for line in drafted if line.kind in (BACK_PAY, RECOVERY) and tuple(line) not in without]
    back_pay = sum((line.amount for line in lines if line.kind == BACK_PAY), ZERO)
    recovery = sum((line.amount for line in lines if line.kind == RECOVERY), ZERO)
    return StandardPreview(first, last, len({line.person_id for line in lines}), back_pay, recovery, tuple(lines), month)


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
