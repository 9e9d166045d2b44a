"""The standard roster workbook (标准花名册): the blank template, a filled roster, the error list."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping, Sequence

import xlsxwriter

from workbench.domain.errors import RowError
from workbench.domain.roster import COLUMNS, GUIDE_SHEET_NAME, SHEET_NAME
from workbench.documents.output import TEXT_AS_TEXT

VALIDATED_ROWS = 200_000  # data validation lists cover this many rows


def write_roster(path: Path, rows: Iterable[Mapping[str, str]] = (), item_names: Sequence[str] = ()) -> int:
    """Write the template with `rows` (header -> text) filled in; return the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, **TEXT_AS_TEXT})
    try:
        header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
        required = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "align": "center"})
        as_text = workbook.add_format({"num_format": "@"})
        sheet = workbook.add_worksheet(SHEET_NAME)
        sheet.freeze_panes(1, 0)
        for index, column in enumerate(COLUMNS):
            sheet.set_column(index, index, column.width, as_text if column.text else None)
            sheet.write_string(0, index, column.header, required if column.required == "是" else header)
            if column.choices:
                sheet.data_validation(
                    1, index, VALIDATED_ROWS, index,
                    {"validate": "list", "source": list(column.choices), "error_message": f"请从列表中选择: {'/'.join(column.choices)}"},
                )
        count = 0
        for count, row in enumerate(rows, start=1):
            for index, column in enumerate(COLUMNS):
                value = row.get(column.header, "")
                if value:
                    sheet.write_string(count, index, value)
        _write_guide(workbook, header, item_names)
    finally:
        workbook.close()
    return count


def _write_guide(workbook, header, item_names: Sequence[str]) -> None:
    guide = workbook.add_worksheet(GUIDE_SHEET_NAME)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for index, (title, width) in enumerate((("列名", 14), ("是否必填", 20), ("填写要求", 60), ("可选值", 36))):
        guide.set_column(index, index, width, wrap)
        guide.write_string(0, index, title, header)
    for row, column in enumerate(COLUMNS, start=1):
        guide.write_row(row, 0, [column.header, column.required, column.note, "/".join(column.choices)])
    row = len(COLUMNS) + 2
    guide.write_string(row, 0, "说明", header)
    notes = [
        "第一行为列名; 列的顺序不限, 多余的列会被忽略; 中文和英文括号均可。",
        "身份证号、银行账号、日期和月份请以文本格式填写, 避免 Excel 把长数字改成科学计数法。",
        "同一身份证号已在系统中的, 按本表更新该人信息, 不会重复登记。",
        "整个文件有任何错误时不写入任何数据; 错误清单注明行号、列名和原因。",
    ]
    if item_names:
        notes.append("本县可填写的享受项目: " + "、".join(item_names))
    for offset, note in enumerate(notes, start=1):
        guide.write_string(row + offset, 0, f"{offset}. {note}")


def write_errors(path: Path, errors: Sequence[RowError]) -> None:
    """The error list of a refused import: 行号, 列, 错误原因."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, **TEXT_AS_TEXT})
    try:
        header = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
        sheet = workbook.add_worksheet("错误清单")
        sheet.freeze_panes(1, 0)
        for index, (title, width) in enumerate((("行号", 8), ("列", 14), ("错误原因", 70))):
            sheet.set_column(index, index, width)
            sheet.write_string(0, index, title, header)
        for number, error in enumerate(errors, start=1):
            sheet.write_number(number, 0, error.row)
            sheet.write_string(number, 1, error.column)
            sheet.write_string(number, 2, error.reason)
    finally:
        workbook.close()

