"""Bank payment list files (代发清单): xlsx or delimited text, plus the export summary workbook."""
from __future__ import annotations

import codecs
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import Sequence

import xlsxwriter

from workbench.domain.bank_template import BankTemplate
from workbench.domain.errors import InvalidInput
from workbench.documents.output import TEXT_AS_TEXT


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """One transfer of a batch: a person's payment lines added up (or, for the 一卡通 upload, one
    item's). The account is the payee's: the person's own, or a 代领人's."""

    id_number: str  # the person's (享受人)
    name: str
    bank: str
    account: str
    amount: Decimal
    items: str
    periods: str
    township: str
    village: str
    payee_name: str = ""  # a payee who is not the person; empty: the person is paid
    payee_id_number: str = ""
    relation: str = ""  # the payee's relation to the person
    item_code: str = ""  # the item's 补贴项目编码 on the 一卡通 platform (one item's row)

    @property
    def holder_name(self) -> str:
        """The account holder's name, which the bank checks against the account."""
        return self.payee_name or self.name

    @property
    def holder_id_number(self) -> str:
        return self.payee_id_number or self.id_number


# Template sources: 姓名 and 身份证号 are the account holder's (the payee's when there is one).
ID_SOURCES = ("身份证号", "账号", "享受人身份证号", "收款人身份证号", "补贴项目编码")  # written as text
_FIELDS = {"姓名": "holder_name", "身份证号": "holder_id_number", "账号": "account", "金额": "amount", "项目": "items",
           "所属期": "periods", "乡镇": "township", "村": "village", "开户银行": "bank", "享受人姓名": "name",
           "享受人身份证号": "id_number", "收款人姓名": "holder_name", "收款人身份证号": "holder_id_number",
           "与享受人关系": "relation", "补贴项目编码": "item_code", "补贴项目名称": "items"}


def _getters(template: BankTemplate):
    """For each column, a function of (row, sequence number) giving its value."""
    getters = []
    for column in template.columns:
        if column.constant is not None:
            getters.append(lambda row, number, text=column.constant: text)
        elif column.source == "序号":
            getters.append(lambda row, number: number)
        else:
            getters.append(lambda row, number, field=_FIELDS[column.source]: getattr(row, field))
    return getters


def write_payment_file(path: Path, template: BankTemplate, rows: Sequence[PaymentRow], *, title: str,
                       notes: Sequence[tuple[str, str]], today: date) -> None:
    if template.format == "xlsx":
        _write_xlsx(path, template, rows, title, notes)
    elif template.by_item:
        _write_items(path, template, rows, title, notes)
    else:
        _write_text(path, template, rows, today)


def _write_items(path: Path, template: BankTemplate, rows: Sequence[PaymentRow], title: str,
                 notes: Sequence[tuple[str, str]]) -> None:
    """The 一卡通 upload: a sheet per item (named by the item, in the order of the platform codes),
    each a payment sheet of its own, and a 说明 sheet."""
    book = xlsxwriter.Workbook(str(path), TEXT_AS_TEXT)
    try:
        formats = _formats(book)
        by_item: dict[str, list[PaymentRow]] = defaultdict(list)
        for row in rows:
            by_item[row.items].append(row)
        for item, item_rows in sorted(by_item.items(), key=lambda pair: (pair[1][0].item_code, pair[0])):
            _payment_sheet(book, _sheet_name(item), template, item_rows, formats)
        _about_sheet(book, title, notes, formats["bold"])
    finally:
        book.close()


def _formats(book) -> dict:
    return {"bold": book.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "align": "center"}),
            "money": book.add_format({"num_format": "0.00"}),
            "money_bold": book.add_format({"num_format": "0.00", "bold": True}),
            "text": book.add_format({"num_format": "@"})}


WIDTHS = {"身份证号": 21, "账号": 23, "项目": 24, "所属期": 17, "享受人身份证号": 21, "收款人身份证号": 21, "补贴项目名称": 16}


def _payment_sheet(book, name: str, template: BankTemplate, rows: Sequence[PaymentRow], formats: dict) -> None:
    """One sheet of transfers in the template's columns, numbered from 1, and a 合计 row; ID and
    account numbers as text, amounts as numbers shown with two places."""
    sheet = book.add_worksheet(name)
    sheet.freeze_panes(1, 0)
    for index, column in enumerate(template.columns):
        sheet.set_column(index, index, WIDTHS.get(column.source, 10), formats["text"] if column.source in ID_SOURCES else None)
        sheet.write_string(0, index, column.header, formats["bold"])
    amount_column = next(index for index, column in enumerate(template.columns) if column.source == "金额")
    sheet.set_column(amount_column, amount_column, 12, formats["money"])
    _write_transfers(sheet, template, rows)
    last = len(rows) + 1
    sheet.write_string(last, 0, "合计", formats["money_bold"])
    sheet.write_string(last, 1, f"{len(rows)} 笔")
    sheet.write_number(last, amount_column, float(sum((row.amount for row in rows), Decimal("0.00"))), formats["money_bold"])


def _write_transfers(sheet, template: BankTemplate, rows: Sequence[PaymentRow]) -> None:
    """The transfers from the sheet's second row on, a cell at a time by its kind: the sequence
    number and amounts as numbers, every other value as text (an empty one left blank)."""
    numbered = [index for index, column in enumerate(template.columns) if column.source == "序号"]
    amounts = [index for index, column in enumerate(template.columns) if column.source == "金额"]
    constants = [(index, column.constant) for index, column in enumerate(template.columns) if column.constant]
    texts = [(index, _FIELDS[column.source]) for index, column in enumerate(template.columns)
             if column.constant is None and column.source not in ("序号", "金额")]
    text_columns = [index for index, _ in texts]
    read = attrgetter(*(field for _, field in texts)) if texts else (lambda row: ())
    single = len(texts) == 1  # attrgetter of one field gives the value, not a tuple
    write_string, write_number = sheet.write_string, sheet.write_number
    for number, row in enumerate(rows, start=1):
        for index in numbered:
            write_number(number, index, number)
        for index in amounts:  # xlsx keeps numbers as doubles: shown with two places by the column's format
            write_number(number, index, float(row.amount))
        for index, text in constants:
            write_string(number, index, text)
        found = read(row)
        for index, text in zip(text_columns, (found,) if single else found):
            if text:
                write_string(number, index, text)


def _about_sheet(book, title: str, notes: Sequence[tuple[str, str]], bold) -> None:
    """The 说明 sheet: the file's title and its notes (month, bank, count, total, who, when, copy)."""
    about = book.add_worksheet("说明")
    about.set_column(0, 0, 12)
    about.set_column(1, 1, 40)
    about.write_string(0, 0, title, bold)
    for number, (key, value) in enumerate(notes, start=2):
        about.write_string(number, 0, key)
        about.write_string(number, 1, value)


def _sheet_name(item: str) -> str:
    """An item's name as a sheet name: at most 31 characters, none of the ones Excel refuses."""
    return "".join("_" if character in "[]:*?/\\" else character for character in item)[:31] or "项目"


def _write_xlsx(path: Path, template: BankTemplate, rows: Sequence[PaymentRow], title: str,
                notes: Sequence[tuple[str, str]]) -> None:
    # Default (in-memory) mode: shared strings, as Excel writes them, and faster than constant-memory
    # mode while the caller has the collector paused; a county's list fits in memory.
    book = xlsxwriter.Workbook(str(path), TEXT_AS_TEXT)
    try:
        formats = _formats(book)
        bold, money, money_bold = formats["bold"], formats["money"], formats["money_bold"]
        _payment_sheet(book, "代发清单", template, rows, formats)
        total = sum((row.amount for row in rows), Decimal("0.00"))

        by_town: dict[str, list[Decimal]] = defaultdict(list)
        for row in rows:
            by_town[row.township].append(row.amount)
        towns = book.add_worksheet("乡镇汇总")
        for index, (header, width) in enumerate((("乡镇", 14), ("笔数", 8), ("金额", 16))):
            towns.set_column(index, index, width)
            towns.write_string(0, index, header, bold)
        for number, (town, amounts) in enumerate(sorted(by_town.items()), start=1):
            towns.write_string(number, 0, town)
            towns.write_number(number, 1, len(amounts))
            towns.write_number(number, 2, float(sum(amounts, Decimal("0.00"))), money)
        towns.write_string(len(by_town) + 1, 0, "合计", money_bold)
        towns.write_number(len(by_town) + 1, 1, len(rows))
        towns.write_number(len(by_town) + 1, 2, float(total), money_bold)

        _about_sheet(book, title, notes, bold)
    finally:
        book.close()


def _write_text(path: Path, template: BankTemplate, rows: Sequence[PaymentRow], today: date) -> None:
    total = sum((row.amount for row in rows), Decimal("0.00"))
    summary = {"日期": today.strftime("%Y%m%d"), "单位": template.unit, "笔数": str(len(rows)), "总金额": f"{total:.2f}"}
    lines = []
    getters = _getters(template)
    if template.header_line:
        lines.append(template.delimiter.join(summary[field] for field in template.header_line))
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, getter in zip(template.columns, getters):
            value = getter(row, number)
            cell = f"{value:.2f}" if column.source == "金额" else str(value)
            if template.delimiter in cell:
                raise InvalidInput(f"第 {number} 笔 ({row.holder_name}) 的「{column.header}」含分隔符「{template.delimiter}」, 银行无法读取")
            cells.append(cell)
        lines.append(template.delimiter.join(cells))
    if template.trailer_line:
        lines.append(template.delimiter.join(summary[field] for field in template.trailer_line))
    content = "\r\n".join(lines) + "\r\n"
    try:
        data = content.encode(template.encoding)
    except UnicodeEncodeError as problem:
        bad = content[problem.start:problem.end]
        raise InvalidInput(f"字符「{bad}」无法用 {template.encoding.upper()} 编码写入银行文件, 请改用该银行支持的写法 (如同音常用字) 后重新导出") from None
    path.write_bytes(data)


def write_export_summary(path: Path, title: str, groups: Sequence[tuple[str, str, int, Decimal]]) -> None:
    """汇总.xlsx: count and total per bank and township, with subtotals per bank."""
    book = xlsxwriter.Workbook(str(path), TEXT_AS_TEXT)
    try:
        bold = book.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7"})
        money = book.add_format({"num_format": "0.00"})
        money_bold = book.add_format({"num_format": "0.00", "bold": True})
        sheet = book.add_worksheet("汇总")
        sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
        for index, (header, width) in enumerate((("开户银行", 20), ("乡镇", 14), ("笔数", 8), ("金额", 16))):
            sheet.set_column(index, index, width)
            sheet.write_string(2, index, header, bold)
        row_number = 3
        for bank in sorted({group[0] for group in groups}):
            mine = [group for group in groups if group[0] == bank]
            for _, town, count, total in sorted(mine):
                sheet.write_row(row_number, 0, [bank, town, count])
                sheet.write_number(row_number, 3, float(total), money)
                row_number += 1
            sheet.write_row(row_number, 0, [bank, "小计", sum(group[2] for group in mine)])
            sheet.write_number(row_number, 3, float(sum((group[3] for group in mine), Decimal("0.00"))), money_bold)
            row_number += 1
        sheet.write_row(row_number, 0, ["合计", "", sum(group[2] for group in groups)])
        sheet.write_number(row_number, 3, float(sum((group[3] for group in groups), Decimal("0.00"))), money_bold)
    finally:
        book.close()


def return_text(path: Path, template: BankTemplate) -> str:
    """A text return's content. Banks send it in the template's encoding, but a file opened and saved
    again (in Notepad, say) may be UTF-8: that is read as UTF-8, never as garbled characters."""
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif template.encoding.replace("-", "").lower() != "utf8" and not data.isascii() and _is_utf8(data):
        encoding = "utf-8"  # GBK text with Chinese in it is almost never valid UTF-8 as well
    else:
        encoding = template.encoding
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InvalidInput(f"回盘文件「{path.name}」不是 {template.encoding.upper()} 或 UTF-8 编码的文本") from None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_text_return(path: Path, template: BankTemplate) -> list[list[str]]:
    """A bank's text result file in `template`'s layout, with 处理结果 and 失败原因 appended to each
    line, as rows under a header row named like the template's columns (summary lines dropped)."""
    text = return_text(path, template)
    lines = [line for line in text.splitlines() if line.strip()]
    if template.header_line and lines:
        lines = lines[1:]
    if template.trailer_line and lines:
        lines = lines[:-1]
    header = [column.header for column in template.columns] + ["处理结果", "失败原因"]
    return [header] + [line.split(template.delimiter) for line in lines]
