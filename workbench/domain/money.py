"""Money (金额): Decimal yuan with two places, rounded half up; integer fen in storage."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
LARGEST = Decimal("1000000000000")  # 1e12 yuan: beyond any budget, far within the ledger's integer fen
_WRITTEN = re.compile(r"-?\d+(?:\.\d*)?", re.ASCII)  # how a person writes an amount: no exponent, no _


def round_money(value: Decimal | int) -> Decimal:
    """R(x): round to cents, half up (四舍五入)."""
    if isinstance(value, float):
        raise TypeError("金额不能使用浮点数")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str | int | Decimal, *, allow_negative: bool = False) -> Decimal:
    """Read an amount written by a person; refuse more than two decimals or a negative figure."""
    if isinstance(text, float):
        raise TypeError("金额不能使用浮点数")
    written = str(text).strip().replace(",", "")
    if not isinstance(text, Decimal) and not _WRITTEN.fullmatch(written):
        raise ValueError(f"不是有效的金额: {text!r} (请写成 1234.56 这样的数字)")
    try:
        value = Decimal(written)
    except InvalidOperation:
        raise ValueError(f"不是有效的金额: {text!r}") from None
    if not value.is_finite() or abs(value) >= LARGEST:
        raise ValueError(f"金额不合理: {text!r}")
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
