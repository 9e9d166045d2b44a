"""Money (金额): Decimal yuan with two places, rounded half up; integer fen in storage."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(value: Decimal | int) -> Decimal:
    """R(x): round to cents, half up (四舍五入)."""
    if isinstance(value, float):
        raise TypeError("金额不能使用浮点数")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str | int | Decimal, *, allow_negative: bool = False) -> Decimal:
    """Read an amount written by a person; refuse more than two decimals or a negative figure."""
    if isinstance(text, float):
        raise TypeError("金额不能使用浮点数")
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"不是有效的金额: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"不是有效的金额: {text!r}")
    if value != value.quantize(CENT):
        raise ValueError(f"金额最多两位小数: {text}")
    if value < 0 and not allow_negative:
        raise ValueError(f"金额不能为负数: {text}")
    return value.quantize(CENT)


def to_fen(amount: Decimal) -> int:
    """Yuan to integer fen; the amount must already be whole cents."""
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"金额不是整分: {amount}")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)
