"""The calendar month (月份), the unit in which subsidies are owed and paid."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterator

_MONTH_TEXT = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))\s*$")


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month; ordered, hashable, with arithmetic in whole months."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"不是有效的月份: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read YYYY-MM (also YYYY/MM, YYYY年M月, YYYYMM); raise ValueError otherwise."""
        if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
            return cls(int(text[:4]), int(text[5:]))  # the canonical spelling, without the regex
        found = _MONTH_TEXT.match(text or "")
        if not found:
            raise ValueError(f"月份格式应为 YYYY-MM: {text!r}")
        year, month = int(found.group(1)), int(found.group(2) or found.group(3))
        return cls(year, month)

    @classmethod
    def of(cls, day: date | datetime) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> Month:
        """Inverse of `index`."""
        year, month0 = divmod(index, 12)
        return cls(year, month0 + 1)

    @property
    def index(self) -> int:
        """Months since year 0; consecutive months differ by one."""
        return self.year * 12 + self.month - 1

    @property
    def code(self) -> int:
        """YYYYMM as an integer, the form stored in the database."""
        return self.year * 100 + self.month

    @classmethod
    def from_code(cls, code: int) -> Month:
        return cls(code // 100, code % 100)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __add__(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __sub__(self, other: int | Month):  # type: ignore[override]
        if isinstance(other, Month):
            return self.index - other.index
        return Month.from_index(self.index - other)

    def until(self, last: Month) -> Iterator[Month]:
        """Every month from this one through `last`, inclusive."""
        for index in range(self.index, last.index + 1):
            yield Month.from_index(index)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
