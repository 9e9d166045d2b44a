"""What a clerk may type into a name or a free text field (乡镇, 村, 开户银行, 电话).

A personal name is Han characters (the CJK extensions too, and 〇), with `·` between the parts of
a name such as 阿依古丽·买买提, or Latin letters with single spaces for a foreign name. Free text
has no control characters or line breaks (they split a bank file's records and reach terminals),
does not begin with = + - @ (a spreadsheet would take it for a formula), and fits the width the
database declares for it on every backend.
"""
from __future__ import annotations

import re
import unicodedata

NAME_DOTS = "·・•‧"  # the middle dots clerks type between the parts of a name; stored as ·
FORMULA_STARTS = "=+-@"
CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # the Unicode categories a stored text may not hold


def has_control(text: str) -> bool:
    """Whether `text` holds a control or format character or a line break (U+2028 and U+2029
    too: Python's splitlines and many readers end a line there). A printable text holds none
    (nor any separator but the space): the usual case, told at once."""
    return not text.isprintable() and any(unicodedata.category(char) in CONTROL for char in text)


_HAN: dict[str, bool] = {}  # character -> whether a name may hold it as a Han character; names share a few thousand


def _han(char: str) -> bool:
    known = _HAN.get(char)
    if known is None:
        known = _HAN[char] = char == "〇" or unicodedata.name(char, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))
    return known


def clean_name(text: str, width: int = 40) -> str:
    """The name as stored (spaces around it dropped, middle dots made ·); ValueError says what is wrong."""
    name = " ".join((text or "").split()) if text and text.strip() else ""
    for dot in NAME_DOTS[1:]:
        name = name.replace(dot, "·")
    if not name:
        raise ValueError("不能为空")
    if len(name) > width:
        raise ValueError(f"过长 (最多 {width} 个字)")
    if has_control(text):
        raise ValueError("不能含换行或控制字符")
    han = any(_han(char) for char in name)
    latin = any(char.isascii() and char.isalpha() for char in name)
    allowed = all(_han(char) or char == "·" or (char.isascii() and (char.isalpha() or char == " ")) for char in name)
    if not allowed or (han and " " in name) or name[0] == "·" or name[-1] == "·" or "··" in name or not (han or latin):
        raise ValueError(f"「{name}」不像姓名: 只能由汉字 (少数民族姓名各部分之间用「·」) 或外文字母组成")
    return name


def clean_text(text: str, width: int, *, may_start: str = "") -> str:
    """Free text as stored (spaces around it dropped); ValueError says what is wrong. `may_start`:
    formula characters allowed first (a phone number's +86)."""
    value = (text or "").strip()
    if has_control(value):
        raise ValueError("不能含换行或控制字符")
    if value and value[0] in FORMULA_STARTS and value[0] not in may_start:
        raise ValueError(f"不能以「{value[0]}」开头 (电子表格会把它当作公式)")
    if len(value) > width:
        raise ValueError(f"过长 (最多 {width} 个字)")
    return value


PHONE_MARKS = set(" -+()/,、转")  # separators clerks type in and between phone numbers (0356-1234567 转 8)
NO_PHONE = {"无", "没有", "-", "—", "/"}  # what clerks write for a person without a phone: stored empty
PHONE_TEXT = re.compile("[0-9" + "".join(re.escape(mark) for mark in sorted(PHONE_MARKS)) + "]*")  # ASCII digits and marks


def clean_phone(text: str, width: int) -> str:
    """A phone number (or two) as stored: digits, with the separators people write; ValueError otherwise."""
    if text and text.isdigit() and text.isascii() and 7 <= len(text) <= width:
        return text  # the usual number, ASCII digits alone: kept as it is by every rule of `phone_by_rules`
    return phone_by_rules(text, width)


def phone_by_rules(text: str, width: int) -> str:
    """`clean_phone`, each rule applied in turn."""
    value = unicodedata.normalize("NFKC", clean_text(text, width, may_start="+-"))
    if value in NO_PHONE:
        return ""
    if not value:
        return value
    if not PHONE_TEXT.fullmatch(value):
        raise ValueError(f"「{value}」不像电话号码: 只能有数字和 - + ( ) 等分隔符")
    if sum(map(str.isdigit, value)) < 7:
        raise ValueError(f"「{value}」不像电话号码: 位数太少")
    if value[0] in "-":
        raise ValueError(f"「{value}」不像电话号码")
    return value
