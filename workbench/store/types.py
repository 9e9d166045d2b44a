"""Column types that carry domain values: money as integer fen, months as YYYYMM."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Integer
from sqlalchemy.types import TypeDecorator

from workbench.domain.money import from_fen, to_fen
from workbench.domain.month import Month


class Money(TypeDecorator[Decimal]):
    """Decimal yuan stored as integer fen, so SQL sums are exact on every backend."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("金额不能使用浮点数")
        return to_fen(Decimal(value))

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        return None if value is None else from_fen(int(value))


class MonthColumn(TypeDecorator[Month]):
    """A Month stored as the integer YYYYMM (readable in SQL, ordered like months)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Month | None, dialect) -> int | None:
        return None if value is None else value.code

    def process_result_value(self, value: int | None, dialect) -> Month | None:
        return None if value is None else Month.from_code(int(value))
