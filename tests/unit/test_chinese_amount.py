from decimal import Decimal as D

import pytest

from workbench.domain.chinese_amount import amount_in_words


@pytest.mark.parametrize("amount, words", [
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("100", "壹佰元整"),
    ("0", "零元整"),
    ("0.05", "伍分"),
    ("0.50", "伍角"),
    ("10.05", "壹拾元零伍分"),
    ("1005", "壹仟零伍元整"),
    ("1050", "壹仟零伍拾元整"),
    ("10005", "壹万零伍元整"),
    ("100000", "壹拾万元整"),
    ("1000005", "壹佰万零伍元整"),
    ("1010000", "壹佰零壹万元整"),
    ("100100000", "壹亿零壹拾万元整"),
    ("100000001.01", "壹亿零壹元零壹分"),
    ("486056.31", "肆拾捌万陆仟零伍拾陆元叁角壹分"),
    ("-5746.73", "负伍仟柒佰肆拾陆元柒角叁分"),
])
def test_amounts_in_capitals(amount, words):
    assert amount_in_words(D(amount)) == words
