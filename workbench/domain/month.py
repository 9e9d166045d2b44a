"""The calendar month (月份), the unit in which subsidies are owed and paid."""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from functools import lru_cache
from typing import Iterator

_MONTH_TEXT = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))\s*$", re.ASCII)


class Month(int):
    """A calendar month: ordered, hashable, with arithmetic in whole months.

    The value is the number of months since year 0 (`index`), so comparing, hashing and
    counting months are integer operations: a payout run does millions of them.
    """

    __slots__ = ()

    def __new__(cls, year: int, month: int) -> Month:
        if not 1 <= month <= 12 or not 1 <= year <= 9999:
            raise ValueError(f"不是有效的月份: {year}-{month}")
        return int.__new__(cls, year * 12 + month - 1)

    def __getnewargs__(self) -> tuple[int, int]:
        return self.year, self.month

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read YYYY-MM (also YYYY/MM, YYYY年M月, YYYYMM); raise ValueError otherwise."""
        if len(text) == 7 and text[4] == "-" and text.isascii() and text[:4].isdigit() and text[5:].isdigit():
            return cls(int(text[:4]), int(text[5:]))  # the canonical spelling, without the regex
        found = _MONTH_TEXT.match(text or "")
        if not found:
            raise ValueError(f"月份格式应为 YYYY-MM: {text!r}")
        return cls(int(found.group(1)), int(found.group(2) or found.group(3)))

    @classmethod
    def of(cls, day: date | datetime) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> Month:
        """Inverse of `index`."""
        return _month_at(index)

    @property
    def year(self) -> int:
        return int(self) // 12

    @property
    def month(self) -> int:
        return int(self) % 12 + 1

    @property
    def index(self) -> int:
        """Months since year 0; consecutive months differ by one."""
        return int(self)

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
        if isinstance(months, Month):
            raise TypeError("两个月份不能相加")
        return _month_at(int(self) + months)

    def __sub__(self, other: int) -> Month | int:  # type: ignore[override]
        if isinstance(other, Month):
            return int(self) - int(other)
        return _month_at(int(self) - other)

    def until(self, last: Month) -> Iterator[Month]:
        """Every month from this one through `last`, inclusive."""
        for index in range(int(self), int(last) + 1):
            yield _month_at(index)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"

    def __format__(self, spec: str) -> str:  # f-strings show the month, not the index
        return format(str(self), spec)


@lru_cache(maxsize=None)
def _month_at(index: int) -> Month:
    year, month0 = divmod(index, 12)
    return Month(year, month0 + 1)
