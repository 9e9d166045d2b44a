"""Reading workbooks fast: python-calamine first, openpyxl read-only as the fallback."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.domain.errors import InvalidInput


def read_sheet(path: Path, preferred_sheet: str | None = None, *, max_rows: int | None = None) -> list[list[Any]]:
    """All rows (or the first `max_rows`) of the preferred sheet (else the first one) as Python values; '' for empty."""
    if not path.is_file():
        raise InvalidInput(f"找不到文件「{path}」")
    try:
        return _read_with_calamine(path, preferred_sheet, max_rows)
    except ImportError:
        return _read_with_openpyxl(path, preferred_sheet, max_rows)


def _read_with_calamine(path: Path, preferred_sheet: str | None, max_rows: int | None) -> list[list[Any]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if not names:
            raise InvalidInput(f"文件「{path.name}」中没有工作表")
        name = preferred_sheet if preferred_sheet in names else names[0]
        return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=max_rows)
    except CalamineError as problem:
        raise InvalidInput(f"文件「{path.name}」不是有效的 Excel 文件 (.xlsx): {problem}") from None


def _read_with_openpyxl(path: Path, preferred_sheet: str | None, max_rows: int | None) -> list[list[Any]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as problem:
        raise InvalidInput(f"文件「{path.name}」不是有效的 Excel 文件 (.xlsx): {problem}") from None
    try:
        sheet = workbook[preferred_sheet] if preferred_sheet in workbook.sheetnames else workbook.worksheets[0]
        return [["" if value is None else value for value in row] for row in sheet.iter_rows(max_row=max_rows, values_only=True)]
    finally:
        workbook.close()
