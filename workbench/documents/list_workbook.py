"""A list as a workbook: one sheet, a bold frozen header, columns wide enough to read."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def write_list(path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Write `rows` under `headers` to a sheet named `title`; text stays text (ID numbers keep every digit)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [_width(header) for header in headers]
    for row in rows:
        values = ["" if value is None else value if isinstance(value, (int, Decimal)) else str(value) for value in row]
        sheet.append(values)
        widths = [max(width, _width(value)) for width, value in zip(widths, values)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 60)
    sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return len(rows)


def _width(value: Any) -> int:
    text = str(value)
    return sum(1 if character.isascii() else 2 for character in text) + 2
