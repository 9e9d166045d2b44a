"""What a clerk may type into a free text or a phone field."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.text import clean_phone, clean_text, phone_by_rules


@pytest.mark.parametrize("typed, stored", [
    ("0356-1234567 转 8", "0356-1234567 转 8"),
    ("+86 13812345678", "+86 13812345678"),
    ("(0356)1234567、13800000000", "(0356)1234567、13800000000"),
    ("１３８１２３４５６７８", "13812345678"),  # full-width digits, as an input method types them
    (" 13812345678 ", "13812345678"),
    ("无", ""),
    ("", ""),
])
def test_a_phone_number_is_stored_with_the_separators_clerks_write(typed, stored):
    assert clean_phone(typed, 40) == stored


@pytest.mark.parametrize("typed, problem", [
    ("138١٢٣٤٥٦٧٨9", "只能有数字"),  # digits of another script are digits, but not a phone's
    ("1381234567a", "只能有数字"),
    ("138.1234.5678", "只能有数字"),
    ("12345", "位数太少"),
    ("138\u200b12345678", "控制字符"),
    ("=13812345678", "公式"),
])
def test_a_phone_number_with_other_characters_is_refused(typed, problem):
    with pytest.raises(ValueError, match=problem):
        clean_phone(typed, 40)


@pytest.mark.parametrize("typed", ["东关村", "东关\u3000村", "Room 3", "2号楼·东"])
def test_printable_text_and_spaces_of_any_width_are_kept(typed):
    assert clean_text(typed, 40) == typed


@pytest.mark.parametrize("typed", ["东关\n村", "东关\t村", "东关\u200b村", "东关\u2028村", "东关\x7f村", "\u202e村"])
def test_line_breaks_and_control_characters_are_refused_wherever_they_are(typed):
    with pytest.raises(ValueError, match="控制字符"):
        clean_text(typed, 40)


@settings(max_examples=400, deadline=None)
@given(typed=st.text(alphabet="0123456789１٣ -+()转无=\n", max_size=24), width=st.integers(min_value=1, max_value=40))
def test_a_phone_number_of_plain_digits_is_kept_as_every_rule_would_keep_it(typed, width):
    def outcome(clean):
        try:
            return clean(typed, width)
        except ValueError as problem:
            return str(problem)

    assert outcome(clean_phone) == outcome(phone_by_rules)
