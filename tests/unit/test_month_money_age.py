from datetime import date
from decimal import Decimal

import pytest

from workbench.domain.age import age_on, anniversary, month_reaching
from workbench.domain.money import from_fen, parse_amount, round_money, to_fen
from workbench.domain.month import Month


class TestMonth:
    @pytest.mark.parametrize("text", ["2025-03", "2025/3", "2025年3月", "202503", " 2025-3 "])
    def test_parses_the_spellings_clerks_use(self, text):
        assert Month.parse(text) == Month(2025, 3)

    @pytest.mark.parametrize("text", ["2025-13", "25-03", "2025-03-01", "三月", ""])
    def test_refuses_what_is_not_a_month(self, text):
        with pytest.raises(ValueError):
            Month.parse(text)

    def test_arithmetic_crosses_years(self):
        assert Month(2024, 12) + 1 == Month(2025, 1)
        assert Month(2025, 1) - 1 == Month(2024, 12)
        assert Month(2025, 3) - Month(2024, 3) == 12
        assert list(Month(2024, 11).until(Month(2025, 2))) == [Month(2024, 11), Month(2024, 12), Month(2025, 1), Month(2025, 2)]

    def test_code_round_trip_and_text(self):
        assert Month(2025, 3).code == 202503
        assert Month.from_code(202503) == Month(2025, 3)
        assert str(Month(2025, 3)) == "2025-03"
        assert Month(2024, 2).last_day() == date(2024, 2, 29)


class TestMoney:
    def test_round_half_up_not_bankers(self):
        assert round_money(Decimal("0.125")) == Decimal("0.13")
        assert round_money(Decimal("66.665")) == Decimal("66.67")
        assert round_money(Decimal("-0.125")) == Decimal("-0.13")

    def test_floats_are_refused(self):
        with pytest.raises(TypeError):
            round_money(0.1)
        with pytest.raises(TypeError):
            parse_amount(0.1)

    @pytest.mark.parametrize("text, reason", [("1.234", "两位小数"), ("-5", "负数"), ("abc", "有效"), ("NaN", "有效")])
    def test_bad_amounts(self, text, reason):
        with pytest.raises(ValueError, match=reason):
            parse_amount(text)

    def test_fen_round_trip(self):
        assert to_fen(Decimal("54.50")) == 5450
        assert from_fen(5450) == Decimal("54.50")
        with pytest.raises(ValueError):
            to_fen(Decimal("0.001"))


class TestAge:
    def test_age_is_reached_on_the_birthday(self):
        birth = date(1945, 6, 15)
        assert age_on(birth, date(2025, 6, 14)) == 79
        assert age_on(birth, date(2025, 6, 15)) == 80

    def test_29_february_reaches_its_age_on_28_february_in_a_common_year(self):
        birth = date(1944, 2, 29)
        assert anniversary(birth, 2024) == date(2024, 2, 29)
        assert anniversary(birth, 2025) == date(2025, 2, 28)
        assert age_on(birth, date(2025, 2, 27)) == 80
        assert age_on(birth, date(2025, 2, 28)) == 81
        assert month_reaching(birth, 81) == Month(2025, 2)
