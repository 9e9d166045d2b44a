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


def read_list(path: Path, headers: dict[str, str], required: dict[str, str], what: str) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a list another office sends (死亡名单, 认证结果): each non-empty row's number and
    its cells by our field. `headers` maps each accepted column title to a field; a missing
    `required` field (field -> the name shown) refuses the whole file."""
    from workbench.domain.errors import ImportRejected, RowError
    from workbench.domain.roster import normalize_header

    rows = read_sheet(path)
    if not rows:
        raise ImportRejected([RowError(1, next(iter(required.values())), "文件是空的")])
    columns: dict[str, int] = {}
    for index, cell in enumerate(rows[0]):
        key = headers.get(normalize_header(cell))
        if key and key not in columns:
            columns[key] = index
    missing = [name for key, name in required.items() if key not in columns]
    if missing:
        raise ImportRejected([RowError(1, name, "缺少此列") for name in missing],
                             f"{what}缺少列「{'、'.join(missing)}」, 未写入任何数据")
    found = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {key: row[index] if index < len(row) else "" for key, index in columns.items()}
        if any(value not in ("", None) for value in cells.values()):
            found.append((number, cells))
    return found


def listed_id_number(cells: dict[str, Any], row: int, errors: list) -> str | None:
    """The row's ID number (field "id") in its stored form, or None with the reason added to `errors`."""
    from workbench.domain.errors import RowError
    from workbench.domain.idnumber import InvalidIdNumber, parse_id_number
    from workbench.domain.roster import cell_text

    try:
        return parse_id_number(cell_text(cells["id"])).number
    except InvalidIdNumber as problem:
        errors.append(RowError(row, "身份证号", str(problem)))
        return None
