"""Reading workbooks fast: python-calamine first, openpyxl read-only as the fallback."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.domain.errors import InvalidInput


HEADER_SEARCH_ROWS = 10  # the header row is looked for in the first rows of every sheet (a title may stand above it)
_CFB_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE file: an old .xls, or an xlsx locked with a password
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class Table:
    """A sheet's header row and its data rows (empty rows left out), with the rows' numbers in the sheet."""

    sheet: str
    header_row: int
    header: list[Any]
    rows: list[tuple[int, list[Any]]]
    first_sheet: str

    @property
    def where(self) -> str:
        return f"工作表「{self.sheet}」第 {self.header_row} 行"

    @property
    def usual(self) -> bool:
        """The headers are where a template puts them: the first row of the expected (or first) sheet."""
        return self.header_row == 1 and self.sheet == self.first_sheet


def read_table(path: Path, preferred_sheet: str | None, missing: Callable[[Sequence[Any]], list[str]], what: str,
               *, lacks: str = "缺少列") -> Table:
    """The table of a workbook: the first row, among the first rows of each sheet (the preferred one
    first), that `missing` finds nothing lacking in is the header row; the rows below it are the data.

    `missing(row)` names the required columns a row lacks. A file where no row has them all is
    refused, naming the sheet and row that came closest."""
    best: tuple[int, str, int, list[str]] | None = None  # (lacking, sheet, row, what it lacks)
    sheets = _sheets(path)
    names = [name for name, _ in sheets]
    first = preferred_sheet if preferred_sheet in names else names[0]
    for name, rows in sorted(sheets, key=lambda sheet: sheet[0] != first):
        iterator = iter(rows())
        for number, row in enumerate(iterator, start=1):
            if number > HEADER_SEARCH_ROWS:
                break
            if not _filled(row):
                continue
            lacking = missing(row)
            if not lacking:
                return Table(name, number, list(row), _data_rows(iterator, number), first)
            if best is None or len(lacking) < best[0]:
                best = (len(lacking), name, number, lacking)
    from workbench.domain.errors import ImportRejected, RowError

    if best is None:
        raise ImportRejected([RowError(1, "", "文件是空的")], f"{what}「{path.name}」是空的, 未写入任何数据")
    _, sheet, row, lacking = best
    read = "、".join(f"「{name}」" for name in names)
    raise ImportRejected([RowError(row, column, lacks) for column in lacking],
                         f"{what}{lacks}「{'、'.join(lacking)}」(最接近的列标题在工作表「{sheet}」第 {row} 行; "
                         f"已查看工作表{read}的前 {HEADER_SEARCH_ROWS} 行), 未写入任何数据")


def _filled(row: Sequence[Any]) -> bool:
    return any(value is not None and str(value).strip() for value in row)


def _data_rows(iterator: Iterator[Sequence[Any]], header_row: int) -> list[tuple[int, list[Any]]]:
    """The non-empty rows after the header, numbered as in the sheet. Empty rows (a million of them
    formatted below the data, say) are passed over one at a time, never kept."""
    return [(number, ["" if value is None else value for value in row])
            for number, row in enumerate(iterator, start=header_row + 1) if _filled(row)]


def _sheets(path: Path) -> list[tuple[str, Callable[[], Iterable[Sequence[Any]]]]]:
    """Each sheet's name and a way to iterate its rows from row 1."""
    if not path.is_file():
        raise InvalidInput(f"找不到文件「{path}」")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _CFB_MAGIC and _ENCRYPTED in path.read_bytes():
        raise InvalidInput(f"文件「{path.name}」设置了打开密码, 无法读取: 请在 Excel 中打开它, 在「文件 → 信息 → 保护工作簿 → "
                           "用密码进行加密」中清空密码, 保存后再导入")
    try:
        from python_calamine import CalamineError, CalamineWorkbook
    except ImportError:
        return _sheets_with_openpyxl(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
    except (CalamineError, OSError, ValueError) as problem:
        _log_unreadable(path, problem)
        raise InvalidInput(f"文件「{path.name}」不是有效的 Excel 文件 (.xlsx 或 .xls): 请在 Excel 中打开, "
                           "另存为「Excel 工作簿 (.xlsx)」后再导入") from None
    if not names:
        raise InvalidInput(f"文件「{path.name}」中没有工作表")
    large = _large_sheets(path)
    streamed = dict(_sheets_with_openpyxl(path)) if large else {}

    def rows_of(name: str) -> Callable[[], Iterable[Sequence[Any]]]:
        if name in large and name in streamed:
            return streamed[name]

        def rows() -> Iterable[Sequence[Any]]:
            try:
                sheet = workbook.get_sheet_by_name(name)
            except (CalamineError, ValueError) as problem:
                _log_unreadable(path, problem)
                raise InvalidInput(f"文件「{path.name}」的工作表「{name}」无法读取: 请在 Excel 中另存为 .xlsx 后再导入") from None
            # Rows come from row 1 (empty leading rows included) and from the sheet's first used column.
            return sheet.iter_rows()
        return rows

    return [(name, rows_of(name)) for name in names]


CELLS_IN_MEMORY = 6_000_000  # a sheet whose used range is larger is read a row at a time
_DIMENSION = re.compile(rb'<dimension\s+ref="\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?"')


def _large_sheets(path: Path) -> set[str]:
    """The sheets of an xlsx whose used range (as the file declares it) is too large to hold at once:
    a stray space typed in row 1,048,576, or a million formatted empty rows below the data. The fast
    reader keeps every cell of the range; these are read a row at a time instead."""
    import zipfile
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        with zipfile.ZipFile(path) as archive:
            parts = {item.get("Id"): item.get("Target", "") for item in
                     ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))}
            large = set()
            for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(f"{main}sheet"):
                target = parts.get(sheet.get(relation), "")
                member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if member not in archive.namelist():
                    continue
                with archive.open(member) as stream:
                    found = _DIMENSION.search(stream.read(4096))
                if found:
                    first_column, first_row, last_column, last_row = found.groups()
                    rows = int(last_row or first_row) - int(first_row) + 1
                    columns = _column_number(last_column or first_column) - _column_number(first_column) + 1
                    if rows * columns > CELLS_IN_MEMORY:
                        large.add(sheet.get("name"))
                elif archive.getinfo(member).file_size > 50_000_000:  # no declared range: judged by size
                    large.add(sheet.get("name"))
            return large
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return set()  # not an xlsx (an .xls, say): the fast reader judges it


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _sheets_with_openpyxl(path: Path) -> list[tuple[str, Callable[[], Iterable[Sequence[Any]]]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as problem:
        _log_unreadable(path, problem)
        raise InvalidInput(f"文件「{path.name}」不是有效的 Excel 文件 (.xlsx): 请在 Excel 中另存为 .xlsx 后再导入") from None
    return [(sheet.title, lambda sheet=sheet: sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]


def _log_unreadable(path: Path, problem: BaseException) -> None:
    import logging

    logging.getLogger("workbench").warning("无法读取工作簿 %s: %s", path.suffix, str(problem).splitlines()[0][:200])


def read_list(path: Path, headers: dict[str, str], required: dict[str, str], what: str) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a list another office sends (死亡名单, 认证结果): each non-empty row's number and
    its cells by our field. `headers` maps each accepted column title to a field; a missing
    `required` field (field -> the name shown) refuses the whole file."""
    from workbench.domain.roster import normalize_header

    def lacking(row: Sequence[Any]) -> list[str]:
        found = {headers.get(normalize_header(cell)) for cell in row}
        return [name for key, name in required.items() if key not in found]

    table = read_table(path, None, lacking, what)
    columns: dict[str, int] = {}
    for index, cell in enumerate(table.header):
        key = headers.get(normalize_header(cell))
        if key and key not in columns:
            columns[key] = index
    found = []
    for number, row in table.rows:
        cells = {key: row[index] if index < len(row) else "" for key, index in columns.items()}
        if any(value not in ("", None) for value in cells.values()):
            found.append((number, cells))
    return found


def listed_people(rows: list[tuple[int, dict[str, Any]]], errors: list) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """Each row of a list (`read_list`) with its ID number (field "id") in its stored form, one row
    per number: a row with an invalid number or with a number an earlier row gave is left out, its
    reason added to `errors`."""
    from workbench.domain.errors import RowError
    from workbench.domain.idnumber import InvalidIdNumber, parse_id_number
    from workbench.domain.roster import cell_text

    seen: dict[str, int] = {}
    for number, cells in rows:
        try:
            id_number = parse_id_number(cell_text(cells["id"])).number
        except InvalidIdNumber as problem:
            errors.append(RowError(number, "身份证号", str(problem)))
            continue
        if id_number in seen:
            errors.append(RowError(number, "身份证号", f"与第 {seen[id_number]} 行的身份证号重复"))
            continue
        seen[id_number] = number
        yield number, id_number, cells
