"""Bank payment lists (代发清单) of an approved batch: one file per bank, and 汇总.xlsx."""
from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from sqlalchemy import func, select

from workbench.services.database import Database
from workbench.documents.bank_files import PaymentRow, write_export_summary, write_payment_file
from workbench.documents.output import remove_leftovers, writable_folder
from workbench.domain.actor import Actor
from workbench.domain.bank_template import GENERIC, BankTemplate, parse_template
from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.idnumber import half_width, mask_id_number
from workbench.domain.money import ZERO
from workbench.domain.month import Month
from workbench.memory import paused_garbage_collection
from workbench.paths import resources_dir
from workbench.services.accounts import require
from workbench.domain.batch import APPROVED, DRAFT, EXPORTED
from workbench.store.ledger import PAYMENT, existing_batch
from workbench.services.scope import require_county
from workbench.store.bulk import driver_rows
from workbench.store.models import (AuditRecord, BankExportFile, LedgerLine, Person, Setting, Township, Village,
                                     current_accounts)
from workbench.store.settings import write_setting
from workbench.store.uow import UnitOfWork, now

EXPORT_ACTION = "导出代发清单"
SUMMARY_FILE = "汇总.xlsx"


ALL_BANKS = "全部银行"
ITEM_CODE_SETTING = "item_code."  # + the item's code in the policy: its 补贴项目编码 on the 一卡通 platform


def item_codes(uow: UnitOfWork) -> dict[str, str]:
    """The policy's item codes -> their 一卡通 platform codes, as the administrator entered them."""
    return {key[len(ITEM_CODE_SETTING):]: value for key, value in uow.session.execute(
        select(Setting.key, Setting.value).where(Setting.key.like(f"{ITEM_CODE_SETTING}%"))) if value}


def has_item_codes(db: Database, actor: Actor) -> bool:
    """Whether an administrator entered 一卡通 item codes: the county uploads to the platform."""
    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        return bool(item_codes(uow))


def item_code_text(db: Database, actor: Actor, item: str) -> str:
    """`item code ITEM`: the item's 一卡通 code, or that it has none yet."""
    from workbench.services.enrollment import item_code_of, item_name

    require(actor, "read")
    with db.unit_of_work(actor) as uow:
        ours = item_code_of(uow, item)
        code, label = item_codes(uow).get(ours, ""), item_name(uow, ours)
    return f"「{label}」的一卡通补贴项目编码: {code}" if code else f"「{label}」尚未设置一卡通补贴项目编码"


def set_item_code(db: Database, actor: Actor, item: str, code: str) -> str:
    """`item code ITEM CODE` (管理员): the item's 补贴项目编码 on the 一卡通 platform; empty removes it."""
    from workbench.services.enrollment import item_code_of, item_name

    require(actor, "set_standard")
    code = half_width(code or "").strip()
    if code and not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._-]{0,29}", code):
        raise InvalidInput(f"补贴项目编码「{code}」应为 1-30 位字母或数字 (可含 . _ -), 以平台公布的编码为准")
    with db.unit_of_work(actor, write=True) as uow:
        ours = item_code_of(uow, item)
        label = item_name(uow, ours)
        before = item_codes(uow).get(ours, "")
        taken = next((other for other, value in item_codes(uow).items() if value == code and other != ours), None)
        if code and taken:
            raise InvalidInput(f"编码「{code}」已用于「{item_name(uow, taken)}」")
        write_setting(uow, ITEM_CODE_SETTING + ours, code)
        uow.audit("设置补贴项目编码", "setting", ITEM_CODE_SETTING + ours, {"项目": label, "原": before, "新": code})
        uow.commit()
    return f"「{label}」的一卡通补贴项目编码{'已设为「' + code + '」' if code else '已清除'}"


def load_templates() -> dict[str, BankTemplate]:
    templates = {}
    for path in sorted((resources_dir() / "bank_templates").glob("*.toml")):
        template = parse_template(path.read_text(encoding="utf-8"), path.name)
        templates[template.name] = template
    if GENERIC not in templates:
        raise InvalidInput(f"缺少通用银行模板「{GENERIC}」")
    return templates


@dataclass(frozen=True)
class ExportedFile:
    path: Path
    bank: str
    template: str
    rows: int
    total: Decimal
    sha256: str


@dataclass(frozen=True)
class ExportReport:
    month: Month
    files: tuple[ExportedFile, ...]
    summary: Path
    copy_number: int  # 0 for the first export, n for the n-th marked duplicate

    @property
    def total(self) -> Decimal:
        return sum((exported.total for exported in self.files), ZERO)


def _safe_file_part(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text)


def payment_rows(uow: UnitOfWork, batch_id: int, names: dict[str, str], *, by_item: bool = False,
                 codes: dict[str, str] | None = None) -> list[PaymentRow]:
    """Each paid person's payment lines added up (less any 抵扣: the bank pays the net), with the
    account in use now and its holder (the payee when not the person). A person whose deductions
    take all of their payments is not sent. `by_item`: a row per person and item (the 一卡通
    upload), with the item's platform code from `codes`."""
    query = (
        select(Person.id, Person.id_number, Person.name, Township.name, Village.name, LedgerLine.item_code,
               LedgerLine.period, LedgerLine.amount)
        .join(Person, LedgerLine.person_id == Person.id)
        .join(Village, Person.village_id == Village.id)
        .join(Township, Village.township_id == Township.id)
        .where(LedgerLine.batch_id == batch_id, PAYMENT)
        .order_by(Township.name, Village.name, Person.id, LedgerLine.item_code, LedgerLine.period)
    )
    accounts = current_accounts(uow.session)
    found, (*_, periods, amounts) = driver_rows(uow.session, query)
    rows, unpaid = [], []
    texts: dict[tuple, tuple[str, str]] = {}  # the paid lines' (item, period) pairs -> 项目 and 所属期

    def texts_of(paid: tuple) -> tuple[str, str]:
        items = "、".join(dict.fromkeys(names.get(code, code) for code, _ in paid))
        spanned = sorted({periods[period] for _, period in paid})
        span = str(spanned[0]) if len(spanned) == 1 else f"{spanned[0]}~{spanned[-1]}"
        made = texts[paid] = (items, span)
        return made

    # A person's lines (or a person's lines of one item) are consecutive in this order.
    for _, group in groupby(found, itemgetter(0, 5) if by_item else itemgetter(0)):
        lines = list(group)
        person_id, number, name, town, village, code = lines[0][:6]
        if len(lines) == 1:  # the usual case: one line, this month's payment
            net = amounts[lines[0][7]]
            paid = (lines[0][5:7],) if net > 0 else ()
        else:
            net = sum((amounts[line[7]] for line in lines), ZERO)
            paid = tuple(line[5:7] for line in lines if amounts[line[7]] > 0)
        if net == 0:
            continue  # every payment went to repay recoveries (抵扣)
        account = accounts.get(person_id)
        if account is None or not account.bank_name or not account.account_no:
            unpaid.append(f"{name}({mask_id_number(number)})")
            continue
        items, span = texts.get(paid) or texts_of(paid)
        payee = ((account.holder, account.holder_id_number, account.holder_relation or "") if account.holder_id_number
                 else ("", "", ""))
        rows.append(PaymentRow(number, name, account.bank_name, account.account_no, net, items, span, town, village, *payee,
                               (codes or {}).get(code, "") if by_item else ""))
    if unpaid:
        more = f" 等 {len(unpaid)} 人" if len(unpaid) > 5 else ""
        raise InvalidInput(f"以下人员没有银行账户, 无法代发, 请先补录账户: {'、'.join(unpaid[:5])}{more}")
    return rows


def export_bank(
    db: Database, actor: Actor, month: Month, out_dir: Path, *, bank: str | None = None,
    template_name: str | None = None, today: date | None = None,
) -> ExportReport:
    """Write the payment lists of `month`'s approved batch into `out_dir`; a repeat is a marked copy."""
    require(actor, "export")
    require_county(actor, "导出全县的银行代发清单")
    today = today or date.today()
    templates = load_templates()
    if template_name is not None and template_name not in templates:
        raise InvalidInput(f"没有名为「{template_name}」的银行模板; 可用: {'、'.join(templates)}")
    by_item = template_name is not None and templates[template_name].by_item
    # The collector paused: it would rescan the county's rows and the workbooks' cells again and again.
    with paused_garbage_collection(), db.unit_of_work(actor, write=True) as uow:
        batch, names = existing_batch(uow, month)
        if batch.state == DRAFT:
            raise InvalidInput(f"{month} 的发放批次尚未审批, 不能导出代发清单")
        codes = item_codes(uow) if by_item else {}
        rows = payment_rows(uow, batch.id, names, by_item=by_item, codes=codes)
        if by_item:
            lacking = sorted({row.items for row in rows if not row.item_code})
            if lacking:
                raise InvalidInput(f"以下项目还没有一卡通平台的补贴项目编码: {'、'.join(lacking)}; "
                                   "请管理员用 workbench item code 项目 编码 录入 (编码以平台为准, 本程序不代拟)")
        expected = uow.session.scalar(
            select(func.sum(LedgerLine.amount)).where(LedgerLine.batch_id == batch.id, PAYMENT)
        ) or ZERO
        by_bank: dict[str, list[PaymentRow]] = defaultdict(list)
        for row in rows:
            by_bank[row.bank].append(row)
        if sum((row.amount for row in rows), ZERO) != expected:
            raise InvalidInput(f"代发清单合计与批次发放合计 {expected} 元不符, 未导出任何文件")
        if bank is not None:
            if bank not in by_bank:
                raise NotFound(f"{month} 的批次中没有开户银行为「{bank}」的人员; 有: {'、'.join(sorted(by_bank))}")
            by_bank = {bank: by_bank[bank]}
        if by_item:  # the 一卡通 upload: one workbook for every bank
            by_bank = {ALL_BANKS: [row for rows_of_bank in by_bank.values() for row in rows_of_bank]}
        earlier = uow.session.scalar(
            select(func.count()).select_from(AuditRecord)
            .where(AuditRecord.action == EXPORT_ACTION, AuditRecord.entity_id == str(month))
        ) or 0
        copy = f"_副本{earlier}" if earlier else ""
        made_folder = not out_dir.exists()
        writable_folder(out_dir)
        remove_leftovers(out_dir, ".导出中-*")  # an export cut off earlier: its files are not to be sent
        # Everything is written aside first, and moved into place only once every file succeeded.
        staging = Path(tempfile.mkdtemp(prefix=".导出中-", dir=out_dir))
        try:
            report = _write_files(uow, batch, month, by_bank, templates, template_name, staging, copy, earlier, actor, today)
            for exported in report.files:
                exported.path.replace(out_dir / exported.path.name)
            report.summary.replace(out_dir / report.summary.name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if made_folder and not any(out_dir.iterdir()):
                out_dir.rmdir()  # the folder made for this export, left empty by its failure
            raise
        shutil.rmtree(staging, ignore_errors=True)
        report = ExportReport(month, tuple(replace(f, path=out_dir / f.path.name) for f in report.files),
                              out_dir / report.summary.name, earlier)
        if batch.state == APPROVED:
            batch.state = EXPORTED
        uow.commit()
    return report


def _write_files(uow: UnitOfWork, batch, month: Month, by_bank: dict[str, list[PaymentRow]],
                 templates: dict[str, BankTemplate], template_name: str | None, out_dir: Path, copy: str,
                 earlier: int, actor: Actor, today: date) -> ExportReport:
    """One file per bank in its template, and 汇总.xlsx, all in `out_dir`; audited as one export."""
    files = []
    for bank_name, bank_rows in sorted(by_bank.items()):
        template = templates[template_name] if template_name else next(
            (t for t in templates.values() if bank_name in t.banks), templates[GENERIC])
        path = out_dir / f"{month}_{_safe_file_part(template.name if template.by_item else bank_name)}{copy}{template.suffix}"
        title = (f"{month} 惠民惠农财政补贴资金一卡通发放清单" if template.by_item
                 else f"{month} 老年人补贴代发清单 ({bank_name})") + (f" 副本{earlier}" if earlier else "")
        notes = [("月份", str(month)), ("开户银行", bank_name), ("笔数", str(len(bank_rows))),
                 ("总金额", f"{sum((r.amount for r in bank_rows), ZERO):.2f}"), ("导出人", actor.name),
                 ("导出日期", today.isoformat()), ("副本", f"第 {earlier} 份副本, 勿重复发放" if earlier else "否")]
        write_payment_file(path, template, bank_rows, title=title, notes=notes, today=today)
        total = sum((row.amount for row in bank_rows), ZERO)
        written = path.read_bytes()
        digest = hashlib.sha256(written).hexdigest()
        files.append(ExportedFile(path, bank_name, template.name, len(bank_rows), total, digest))
        # Kept to match the bank's return: a text file's own text (its return has no 所属期).
        uow.session.add(BankExportFile(month=month, bank=bank_name, template=template.name, name=path.name, sha256=digest,
                                       content=written.decode(template.encoding) if template.format == "text" else None,
                                       exported_at=now(), exported_by=actor.name))
    by_town: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for bank_rows in by_bank.values():
        for row in bank_rows:
            by_town[(row.bank, row.township)].append(row.amount)
    groups = [(bank_name, town, len(amounts), sum(amounts, ZERO)) for (bank_name, town), amounts in by_town.items()]
    summary = out_dir / f"汇总{copy}.xlsx"
    write_export_summary(summary, f"{month} 老年人补贴代发汇总" + (f" (副本{earlier})" if earlier else ""), groups)
    uow.audit(EXPORT_ACTION, "batch", str(month), {"副本": earlier, "文件": [
        {"文件": exported.path.name, "SHA256": exported.sha256, "开户银行": exported.bank, "模板": exported.template,
         "笔数": exported.rows, "金额": exported.total} for exported in files]})
    return ExportReport(month, tuple(files), summary, earlier)
