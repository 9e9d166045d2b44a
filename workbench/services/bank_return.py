"""Bank returns (银行回盘): mark each paid person's lines paid or failed; failed ones are paid again.

The return file is matched line by line against the batch's payment list by account and name;
a line that matches nothing, a different amount, another month's line or the same line twice
refuses the whole file. Nothing is guessed, and nothing is changed until every line matches.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select, update

from workbench.services.database import Database
from workbench.documents.bank_files import read_text_return, return_text
from workbench.documents.xlsx_reader import read_table
from workbench.domain.actor import Actor
from workbench.domain.bank_template import BankTemplate
from workbench.domain.errors import ImportRejected, InvalidInput, RowError
from workbench.domain.idnumber import mask_id_number
from workbench.domain.money import parse_amount
from workbench.domain.month import Month
from workbench.domain.roles import may
from workbench.domain.roster import cell_text, normalize_header
from workbench.services.accounts import require
from workbench.services.bank_export import payment_rows, load_templates
from workbench.domain.vocabulary import BANK_FAILED, BANK_PAID
from workbench.domain.batch import DRAFT, RECONCILED
from workbench.store.ledger import PAYMENT, existing_batch
from workbench.services.scope import require_county, township_condition
from workbench.store.models import BankExportFile, LedgerLine, Person, Township, Village

RESULT, REASON = "处理结果", "失败原因"
SUCCEEDED = ("成功", "已支付", "支付成功", "入账成功")
FAILED = ("失败", "支付失败", "入账失败", "退回")


@dataclass(frozen=True)
class ReturnReport:
    month: Month
    paid: int
    failed: int
    failed_amount: Decimal
    reconciled: bool  # every person of the batch now has a result


def _columns(header_row) -> tuple[dict[str, int], list[str]]:
    """Which column holds 姓名, 账号, 金额 (by any template's headers), 所属期, result and reason;
    and which of the required ones the row lacks."""
    headers = {normalize_header(cell): index for index, cell in enumerate(header_row)}
    wanted = {"结果": RESULT, "原因": REASON}
    columns = {key: headers[normalize_header(name)] for key, name in wanted.items() if normalize_header(name) in headers}
    for template in load_templates().values():
        for column in template.columns:
            if column.source in ("姓名", "账号", "金额", "所属期") and normalize_header(column.header) in headers:
                columns.setdefault(column.source, headers[normalize_header(column.header)])
    missing = [name for key, name in (("姓名", "姓名"), ("账号", "账号"), ("金额", "金额"), ("结果", RESULT)) if key not in columns]
    return columns, missing


def _layout(header_row) -> dict[str, int]:
    columns, missing = _columns(header_row)
    if missing:
        raise InvalidInput(f"无法识别回盘文件的格式: 缺少列「{'、'.join(missing)}」")
    return columns


def _read_return(path: Path) -> tuple[list, list[tuple[int, list]], BankTemplate | None]:
    """A return's header row and its numbered data rows: an xlsx return as its table; a text return
    through the text template whose layout it has (and that template)."""
    if path.suffix.lower() not in (".txt", ".csv", ".dat"):
        table = read_table(path, "代发清单", lambda row: _columns(row)[1], "回盘文件")
        return table.header, table.rows, None
    text_templates = [template for template in load_templates().values() if template.format == "text"]
    for template in text_templates:
        rows = read_text_return(path, template)
        if all(len(row) in (len(template.columns) + 1, len(template.columns) + 2) for row in rows[1:]) and len(rows) > 1:
            return rows[0], list(enumerate(rows[1:], start=2)), template
    raise InvalidInput(f"无法识别回盘文件「{path.name}」的格式: 与任何文本银行模板的列数都不符")


def import_bank_return(db: Database, actor: Actor, month: Month, path: Path) -> ReturnReport:
    require(actor, "export")
    require_county(actor, "导入银行回盘")
    header, rows, text_template = _read_return(path)
    columns = _layout(header)
    with db.unit_of_work(actor, write=True) as uow:
        batch, names = existing_batch(uow, month)
        if batch.state == DRAFT:
            raise InvalidInput(f"{month} 的发放批次尚未审批, 没有可回盘的代发清单")
        if text_template is not None:
            _check_the_months_file(uow, month, text_template, path)
        sent = {(row.account, row.holder_name): row for row in payment_rows(uow, batch.id, names)}
        errors: list[RowError] = []
        seen: dict[tuple[str, str], int] = {}
        results: dict[str, tuple[str, str]] = {}  # id number -> (status, reason)
        for number, row in rows:
            cell = lambda key: cell_text(row[columns[key]]) if key in columns and columns[key] < len(row) else ""  # noqa: E731
            name, account = cell("姓名"), cell("账号")
            if not account:
                if not name or any(cell_text(value) == "合计" for value in row):
                    continue  # blank or totals row
                errors.append(RowError(number, "账号", f"{name} 缺少账号"))
                continue
            key = (account, name)
            if key in seen:
                errors.append(RowError(number, "账号", f"与第 {seen[key]} 行重复"))
                continue
            seen[key] = number
            payment = sent.get(key)
            if payment is None:
                errors.append(RowError(number, "账号", f"{name} 的这个账号不在 {month} 的代发清单中, 无法匹配"))
                continue
            try:
                amount = parse_amount(cell("金额"))
            except ValueError as problem:  # read as every amount is read: no rounding, no exponent
                errors.append(RowError(number, "金额", str(problem)))
                continue
            if amount != payment.amount:
                errors.append(RowError(number, "金额", f"{amount} 与代发清单的 {payment.amount} 不符"))
            if "所属期" in columns and cell("所属期") and cell("所属期") != payment.periods:
                errors.append(RowError(number, "所属期", f"「{cell('所属期')}」不是 {month} 批次的数据"))
            outcome = cell("结果")
            if outcome in SUCCEEDED:
                results[payment.id_number] = (BANK_PAID, "")
            elif outcome in FAILED:
                results[payment.id_number] = (BANK_FAILED, cell("原因")[:100] or "银行未说明原因")
            else:
                errors.append(RowError(number, RESULT, f"「{outcome}」无法识别, 应为 成功 或 失败"))
        if errors:
            raise ImportRejected(errors)
        persons = dict(uow.session.execute(select(Person.id_number, Person.id).where(Person.id_number.in_(list(results)))).all())
        failed_ids = []
        for id_number, (status, reason) in results.items():
            uow.session.execute(
                update(LedgerLine)
                .where(LedgerLine.batch_id == batch.id, LedgerLine.person_id == persons[id_number], PAYMENT)
                .values(bank_status=status, bank_note=reason or None)
            )
            if status == BANK_FAILED:
                failed_ids.append(persons[id_number])
        uow.mark_changed(failed_ids)  # their periods are unpaid again: the next run pays them
        failed_amount = sum((sent_row.amount for sent_row in sent.values() if results.get(sent_row.id_number, ("",))[0] == BANK_FAILED), Decimal("0.00"))
        reconciled = all(row.id_number in results for row in sent.values())
        uow.audit("导入银行回盘", "batch", str(month), {"文件": path.name, "成功": len(results) - len(failed_ids),
                                                      "失败": len(failed_ids), "失败金额": failed_amount})
        if reconciled:
            batch.state = RECONCILED
        uow.commit()
    return ReturnReport(month, len(results) - len(failed_ids), len(failed_ids), failed_amount, reconciled)


def _file_parts(text: str, template: BankTemplate) -> tuple[tuple[str, ...] | None, set[tuple[str, ...]]]:
    """A text payment file (or its return) as its summary line's fields and its lines' fields,
    each cut to the template's columns (a return appends its results)."""
    lines = [line for line in text.splitlines() if line.strip()]
    summary = None
    if template.header_line and lines:
        summary, lines = tuple(lines[0].split(template.delimiter)[:len(template.header_line)]), lines[1:]
    if template.trailer_line and lines:
        lines = lines[:-1]
    return summary, {tuple(line.split(template.delimiter)[:len(template.columns)]) for line in lines}


def _check_the_months_file(uow, month: Month, template: BankTemplate, path: Path) -> None:
    """A text return has no 所属期: it must be the return of a file exported for `month` (the
    same summary line and lines as one recorded at export), not of another month's file, even
    where the accounts and amounts are the same."""
    recorded = uow.session.execute(select(BankExportFile.month, BankExportFile.content).where(
        BankExportFile.template == template.name, BankExportFile.content.is_not(None))).all()
    if not recorded:
        return  # exported before files were kept: matched line by line below
    summary, lines = _file_parts(return_text(path, template), template)

    def returns(content: str) -> bool:
        sent_summary, sent_lines = _file_parts(content, template)
        return lines <= sent_lines and (summary is None or summary == sent_summary)

    if any(returns(content) for when, content in recorded if when == month):
        return
    others = sorted({when for when, content in recorded if when != month and returns(content)})
    if others:
        raise InvalidInput(f"回盘文件「{path.name}」是 {others[-1]} 导出的代发文件的回盘, 不是 {month} 的 "
                           f"(汇总行与明细都与 {others[-1]} 的文件一致); 未导入任何结果")
    if any(when == month for when, _content in recorded):
        raise InvalidInput(f"回盘文件「{path.name}」与 {month} 导出的代发文件不一致 (汇总行或明细不同), "
                           "可能不是这次导出的回盘; 未导入任何结果")


@dataclass(frozen=True)
class FailedPayment:
    """A person whose transfer the bank returned: to be paid again once the account is right."""

    id_number: str  # as the role may see it
    name: str
    township: str
    amount: Decimal
    reason: str


def failed_payments(db: Database, actor: Actor, month: Month) -> list[FailedPayment]:
    """The month's transfers the bank returned as failed, per person, with the bank's reason."""
    require(actor, "read")
    full = may(actor.role, "see_full_numbers")
    with db.unit_of_work(actor) as uow:
        batch, _names = existing_batch(uow, month)
        query = (select(Person.id_number, Person.name, Township.name, LedgerLine.amount, LedgerLine.bank_note)
                 .join(Person, LedgerLine.person_id == Person.id).join(Village, Person.village_id == Village.id)
                 .join(Township, Village.township_id == Township.id)
                 .where(LedgerLine.batch_id == batch.id, LedgerLine.bank_status == BANK_FAILED)
                 .order_by(Township.name, Person.id_number))
        if not actor.county_wide:
            query = query.where(township_condition(actor))
        people: dict[str, list] = {}
        for number, name, township, amount, note in uow.session.execute(query):
            entry = people.setdefault(number, [name, township, Decimal("0.00"), note or ""])
            entry[2] += amount
    return [FailedPayment(number if full else mask_id_number(number), name, township, amount, reason)
            for number, (name, township, amount, reason) in people.items()]
