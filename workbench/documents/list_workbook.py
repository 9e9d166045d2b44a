"""A list as a workbook: one sheet, a bold frozen header, columns wide enough to read.

Written with xlsxwriter in constant-memory mode, like the other workbooks the program writes, so
a list of a whole county is written quickly."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

import xlsxwriter

from workbench.documents.output import TEXT_AS_TEXT


def write_list(path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Write `rows` under `headers` to a sheet named `title`; text stays text (ID numbers keep every digit)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    widths = [_width(header) for header in headers]
    for row in rows:
        widths = [max(width, _width(value)) for width, value in zip(widths, row)]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, **TEXT_AS_TEXT})
    try:
        bold = book.add_format({"bold": True})
        money = book.add_format({"num_format": "0.00"})
        sheet = book.add_worksheet(title[:31])
        sheet.freeze_panes(1, 0)
        for column, (header, width) in enumerate(zip(headers, widths)):
            sheet.set_column(column, column, min(width, 60))
            sheet.write_string(0, column, str(header), bold)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if isinstance(value, Decimal):
                    sheet.write_number(number, column, float(value), money)
                elif isinstance(value, int) and not isinstance(value, bool):
                    sheet.write_number(number, column, value)
                else:
                    sheet.write_string(number, column, "" if value is None else str(value))
    finally:
        book.close()
    return len(rows)


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(1 if character.isascii() else 2 for character in text) + 2
