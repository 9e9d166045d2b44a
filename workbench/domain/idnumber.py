"""The 18-digit resident ID number (居民身份证号码, GB 11643-1999).

Only the structure, the birth date and the ISO 7064 MOD 11-2 check digit are checked. The
region code is never checked against the birth year: numbers were issued in the 1980s-90s with
the code current then, so every elderly holder of a code created later would be refused.
"""
from __future__ import annotations

from datetime import date
from operator import mul
from typing import NamedTuple

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = date(1880, 1, 1)


_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def half_width(text: str) -> str:
    """Full-width letters, digits and signs (as a Chinese input method types them) as ASCII; the
    ideographic space as a space. Other characters are left as they are."""
    return text.translate(_HALF_WIDTH)


def ascii_digits(text: str) -> bool:
    """Whether `text` is made of the digits 0-9 only (not ³, not other scripts' digits)."""
    return text.isascii() and text.isdigit()


class InvalidIdNumber(ValueError):
    """The text is not a valid resident ID number; the message says why, in Chinese."""


_DIGIT_OFFSET = ord("0") * sum(_WEIGHTS)


def check_digit(first17: str) -> str:
    """The check character for the first 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17:
        raise ValueError("需要 17 位数字")
    # Weighted sum over the ASCII codes, less the weighted codes of '0': one pass in C.
    total = sum(map(mul, first17.encode("ascii"), _WEIGHTS)) - _DIGIT_OFFSET
    return _CHECK_CHARS[total % 11]


class ResidentId(NamedTuple):
    """A validated ID number with what it says about its holder. (A tuple: an import makes one
    for each of hundreds of thousands of rows.)"""

    number: str
    birth_date: date
    sex: str  # 男 / 女

    @property
    def region_code(self) -> str:
        return self.number[:6]


_BIRTHS: dict[str, date] = {}  # YYYYMMDD -> the date: a county's people share a few tens of thousands


def parse_id_number(text: str, *, today: date | None = None) -> ResidentId:
    """Validate an ID number (a lower-case x is accepted and upper-cased)."""
    text = text or ""
    number = (text if text.isascii() else half_width(text)).strip().upper()
    if len(number) != 18:
        raise InvalidIdNumber(f"身份证号应为 18 位, 实际 {len(number)} 位")
    if not ascii_digits(number[:17]) or not (ascii_digits(number[17]) or number[17] == "X"):
        raise InvalidIdNumber("身份证号前 17 位应为数字, 最后一位为数字或 X")
    if number[0] == "0":
        raise InvalidIdNumber("身份证号的地区码无效")
    birth = _BIRTHS.get(number[6:14])
    if birth is None:
        try:
            birth = _BIRTHS[number[6:14]] = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            raise InvalidIdNumber(f"身份证号中的出生日期 {number[6:14]} 不存在") from None
    if birth < EARLIEST_BIRTH or birth > (today or date.today()):
        raise InvalidIdNumber(f"身份证号中的出生日期 {birth.isoformat()} 不合理")
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber("身份证号校验位错误")
    sex = "男" if int(number[16]) % 2 == 1 else "女"
    return ResidentId(number=number, birth_date=birth, sex=sex)


def mask_id_number(number: str) -> str:
    """Keep the region code and the last four characters: 140522********123X."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_account(account: str) -> str:
    """Keep the last four digits of a bank account."""
    if not account:
        return ""
    keep = account[-4:] if len(account) > 4 else ""
    return "*" * (len(account) - len(keep)) + keep
