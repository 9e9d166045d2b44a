from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.idnumber import InvalidIdNumber, check_digit, mask_account, mask_id_number, parse_id_number


def make_id(first17: str) -> str:
    return first17 + check_digit(first17)


def test_known_check_digit_from_the_standard():
    # GB 11643-1999 appendix example: 11010519491231002X
    assert check_digit("11010519491231002") == "X"
    assert parse_id_number("11010519491231002X").sex == "女"


def test_yangcheng_code_of_a_person_born_1940_is_accepted():
    # 140522 (阳城县) did not exist in 1940; the region code must never be checked against the birth year.
    number = make_id("14052219400315001")
    person = parse_id_number(number)
    assert person.birth_date == date(1940, 3, 15)
    assert person.sex == "男"
    assert person.region_code == "140522"


def test_lower_case_x_is_accepted_and_upper_cased():
    first17 = next(f"140522193801010{n:02d}" for n in range(100) if check_digit(f"140522193801010{n:02d}") == "X")
    assert parse_id_number(first17 + "x").number == first17 + "X"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("14052219400315001", "18 位"),
        ("1405221940031500A1", "前 17 位"),
        (make_id("14052219400230001")[:17] + "0", "出生日期"),  # 30 February
        (make_id("14052219401301001"), "出生日期"),  # month 13
        (make_id("14052230000101001"), "不合理"),  # born in the future
        (make_id("04052219400101001"), "地区码"),
    ],
)
def test_invalid_numbers_say_why(text, reason):
    with pytest.raises(InvalidIdNumber, match=reason):
        parse_id_number(text, today=date(2026, 11, 22))


def test_wrong_check_digit_is_refused():
    number = make_id("14052219400315001")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(InvalidIdNumber, match="校验位"):
        parse_id_number(wrong)


def test_sex_comes_from_the_17th_digit():
    assert parse_id_number(make_id("14052219400315002")).sex == "女"
    assert parse_id_number(make_id("14052219400315003")).sex == "男"


@given(region=st.integers(min_value=100000, max_value=999999), born=st.dates(min_value=date(1880, 1, 1), max_value=date(2026, 11, 22)),
       serial=st.integers(min_value=0, max_value=999), other=st.sampled_from("0123456789X"))
def test_any_number_is_taken_with_its_check_character_and_refused_with_another(region, born, serial, other):
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    right = check_digit(first17)
    person = parse_id_number(first17 + right, today=date(2026, 11, 22))
    assert (person.number, person.birth_date, person.sex) == (first17 + right, born, "男" if serial % 2 else "女")
    if other != right:
        with pytest.raises(InvalidIdNumber, match="校验位"):
            parse_id_number(first17 + other, today=date(2026, 11, 22))


def test_masks_keep_only_what_identifies_nothing():
    number = make_id("14052219400315001")
    assert mask_id_number(number) == "140522" + "*" * 8 + number[-4:]
    assert mask_account("6231123456781234567") == "*" * 15 + "4567"
    assert mask_account("") == ""
