"""Amounts in Chinese capitals (大写金额), as written on 汇总表 and vouchers.

Rules of the 人民银行 for filling in amounts: digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 within
groups of four, groups 万 and 亿; one 零 stands for any run of zeros between non-zero digits;
an amount ending at 元 ends with 整, one with 角 or 分 does not.
"""
from __future__ import annotations

from decimal import Decimal

from workbench.domain.money import round_money

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")


def _group(number: int) -> str:
    """0 < number < 10000 in capitals, with inner zeros as one 零 and no leading or trailing 零."""
    text, zero = "", False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + UNITS[position]
    return text


def amount_in_words(amount: Decimal) -> str:
    """12345.67 -> 壹万贰仟叁佰肆拾伍元陆角柒分; 100 -> 壹佰元整; 0 -> 零元整."""
    value = round_money(amount)
    sign = "负" if value < 0 else ""
    fen_total = int(abs(value) * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    if yuan >= 10**16:
        raise ValueError("金额过大")
    parts: list[str] = []
    groups = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        # A zero between this group and a higher one: a gap of whole groups, or fewer than four digits here.
        if parts and (group < 1000 or groups[index + 1] == 0):
            parts.append("零")
        parts.append(_group(group) + GROUPS[index])
    integer = "".join(parts)
    text = sign + (integer + "元" if integer else "")
    if not jiao and not fen:
        return (text or sign + "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif integer:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text
