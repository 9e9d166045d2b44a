"""Owed amounts, case by case, worked by hand from the seeds' figures.

阳城县: 高龄补贴 800 / 2400 / 3600 a year; 养老服务补贴 70 a month (低保, 80-99); 护理补贴 100.
晋城市城区: 高龄津贴 920 / 2760 / 5400 a year, with 低保 1640 / 3240 / 5400; 重度残疾人护理补贴 109.
Annual standards are paid monthly: month m gets R(A·m/12) − R(A·(m−1)/12).
"""
from datetime import date
from decimal import Decimal as D

import pytest

from workbench.domain.entitlement import EnrollmentSpan, Entitlement, PersonRecord, Situation, StandardBook, annual_installment
from workbench.domain.history import Fact, StatusHistory
from workbench.domain.month import Month as M
from workbench.domain.policy import parse_policy
from workbench.paths import policy_presets_dir


def preset(name):
    return parse_policy((policy_presets_dir() / f"{name}.toml").read_text(encoding="utf-8"))


def engine(name="yangcheng", extra=()):
    policy = preset(name)
    versions = [(spec.name, key, policy.effective_from, amount) for spec in policy.standards for key, amount in spec.amounts.items()]
    return Entitlement(policy, StandardBook([*versions, *extra]))


def person(birth, items, facts=(), start=M(2024, 1), death=None, **extra):
    history = StatusHistory([Fact(kind, value, month, seq) for seq, (kind, value, month) in enumerate(facts)])
    spans = tuple(EnrollmentSpan(code, start) for code in items)
    return PersonRecord(1, birth, history, spans, death_date=death, **extra)


def owed(eng, who, month, item):
    return eng.month(who, month)[item]


def test_installments_of_800_sum_to_800_with_cumulative_rounding():
    shares = [annual_installment(D("800"), m) for m in range(1, 13)]
    assert shares[:3] == [D("66.67"), D("66.66"), D("66.67")]
    assert sum(shares) == D("800")


def test_80th_birthday_pays_from_the_next_month():
    eng = engine()
    who = person(date(1945, 6, 15), ["GLBT"])
    june, july = owed(eng, who, M(2025, 6), "GLBT"), owed(eng, who, M(2025, 7), "GLBT")
    assert june.amount == 0 and "未满 80 周岁" in june.reason
    assert july.amount == D("66.67")  # R(800·7/12) − R(800·6/12) = 466.67 − 400.00


def test_90th_birthday_moves_to_the_higher_bracket_next_month():
    eng = engine()
    who = person(date(1935, 3, 10), ["GLBT"])
    assert owed(eng, who, M(2025, 3), "GLBT").amount == D("66.67")  # still 800 a year
    assert owed(eng, who, M(2025, 4), "GLBT").amount == D("200.00")  # R(2400·4/12) − R(2400·3/12)


def test_100th_birthday_raises_gaoling_and_stops_yanglao_fuwu():
    eng = engine()
    who = person(date(1925, 8, 1), ["GLBT", "YLFW"], facts=[("dibao", "是", M(2024, 1))])
    august, september = eng.month(who, M(2025, 8)), eng.month(who, M(2025, 9))
    assert august["GLBT"].amount == D("200.00") and august["YLFW"].amount == D("70.00")
    assert september["GLBT"].amount == D("300.00")  # R(3600·9/12) − R(3600·8/12)
    assert september["YLFW"].amount == 0 and "99" in september["YLFW"].reason


def test_29_february_birthday_reaches_90_on_28_february():
    eng = engine()
    who = person(date(1936, 2, 29), ["GLBT"])
    assert owed(eng, who, M(2026, 2), "GLBT").amount == annual_installment(D("800"), 2)
    assert owed(eng, who, M(2026, 3), "GLBT").amount == D("200.00")  # R(600) − R(400)


def test_death_mid_month_is_paid_through_that_month():
    eng = engine()
    who = person(date(1930, 1, 1), ["GLBT"], death=date(2025, 5, 17))
    assert owed(eng, who, M(2025, 5), "GLBT").amount == annual_installment(D("2400"), 5)
    june = owed(eng, who, M(2025, 6), "GLBT")
    assert june.amount == 0 and "2025-05-17 死亡" in june.reason


def test_jincheng_dibao_gained_mid_year_pays_the_dibao_rate_from_that_month():
    eng = engine("jincheng-chengqu")
    who = person(date(1940, 1, 5), ["GLJT"], facts=[("dibao", "是", M(2025, 7))])
    assert owed(eng, who, M(2025, 6), "GLJT").amount == D("76.67")  # R(920·6/12) − R(920·5/12) = 460 − 383.33
    assert owed(eng, who, M(2025, 7), "GLJT").amount == D("136.67")  # R(1640·7/12) − R(1640·6/12) = 956.67 − 820


DIBAO_STANDARDS = [("低保标准", "城镇", date(2024, 1, 1), D("800")), ("低保标准", "农村", date(2024, 1, 1), D("520"))]


@pytest.mark.parametrize(
    "hukou, self_care, expected",
    [
        ("农村", "全自理", D("776.00")),  # R(1.3 × 520) + 1 × 100
        ("农村", "半护理", D("876.00")),
        ("农村", "全护理", D("976.00")),
        ("城镇", "全自理", D("1140.00")),  # R(1.3 × 800) + 1 × 100
        ("城镇", "半护理", D("1240.00")),
        ("城镇", "全护理", D("1340.00")),
    ],
)
def test_dispersed_support_by_hukou_and_self_care(hukou, self_care, expected):
    eng = engine(extra=DIBAO_STANDARDS)
    who = person(date(1950, 4, 4), ["FSGY"], facts=[("hukou", hukou, M(2024, 1)), ("tekun", "分散", M(2024, 1)), ("self_care", self_care, M(2024, 1))])
    assert owed(eng, who, M(2025, 3), "FSGY").amount == expected


def test_an_item_whose_standard_is_missing_is_reported_not_zeroed():
    eng = engine()  # 阳城县 leaves 低保标准 to the administrator
    who = person(date(1950, 4, 4), ["FSGY"], facts=[("hukou", "农村", M(2024, 1)), ("tekun", "分散", M(2024, 1)), ("self_care", "全自理", M(2024, 1))])
    result = owed(eng, who, M(2025, 3), "FSGY")
    assert result.amount == 0 and result.missing == "低保标准/农村"


def test_a_standard_entered_later_with_an_earlier_date_applies_from_that_date():
    eng = engine(extra=[("高龄补贴", "80-89", date(2025, 1, 1), D("960"))])
    who = person(date(1940, 1, 5), ["GLBT"])
    assert owed(eng, who, M(2024, 12), "GLBT").amount == annual_installment(D("800"), 12)
    assert owed(eng, who, M(2025, 1), "GLBT").amount == D("80.00")


def test_care_subsidy_needs_hardship_and_disability_and_excludes_tekun():
    eng = engine()
    base = [("ability", "重度失能", M(2024, 1))]
    poor = person(date(1950, 1, 1), ["HLBT"], facts=[*base, ("dibao_edge", "是", M(2024, 1))])
    not_poor = person(date(1950, 1, 1), ["HLBT"], facts=base)
    tekun = person(date(1950, 1, 1), ["HLBT"], facts=[*base, ("dibao", "是", M(2024, 1)), ("tekun", "集中", M(2024, 1))])
    assert owed(eng, poor, M(2025, 1), "HLBT").amount == D("100.00")
    assert owed(eng, not_poor, M(2025, 1), "HLBT").amount == 0
    assert "特困" in owed(eng, tekun, M(2025, 1), "HLBT").reason


def test_elderly_care_and_severe_disability_care_pay_only_the_higher():
    eng = engine("jincheng-chengqu")
    who = person(date(1950, 1, 1), ["HLBT", "ZDHL"], facts=[
        ("ability", "完全失能", M(2024, 1)), ("dibao", "是", M(2024, 1)),
        ("disability_kind", "肢体", M(2024, 1)), ("disability_grade", "一级", M(2024, 1)),
    ])
    month = eng.month(who, M(2025, 1))
    assert month["ZDHL"].amount == D("109.00")
    assert month["HLBT"].amount == 0 and "重度残疾人护理补贴" in month["HLBT"].reason


def test_higher_of_two_cannot_be_chosen_while_one_standard_is_missing():
    eng = engine()  # 阳城县 has no figure for 重度残疾人护理补贴 yet
    who = person(date(1950, 1, 1), ["HLBT", "ZDHL"], facts=[
        ("ability", "完全失能", M(2024, 1)), ("dibao", "是", M(2024, 1)),
        ("disability_kind", "肢体", M(2024, 1)), ("disability_grade", "一级", M(2024, 1)),
    ])
    month = eng.month(who, M(2025, 1))
    assert month["HLBT"].amount == 0 and month["HLBT"].missing == "重度残疾人护理补贴/标准"


def test_enrolled_before_qualifying_owes_nothing_until_then():
    eng = engine()
    who = person(date(1945, 12, 20), ["GLBT"], start=M(2025, 11))
    assert owed(eng, who, M(2025, 12), "GLBT").amount == 0
    assert owed(eng, who, M(2026, 1), "GLBT").amount == annual_installment(D("800"), 1)
    assert owed(eng, who, M(2025, 10), "GLBT").reason == "不在享受期内"


def test_a_condition_never_holds_without_one_of_the_facts_it_names():
    """facts_for lets the upcoming check skip people; it must never skip one who qualifies."""
    from itertools import combinations

    from workbench.domain.policy import CONDITIONS
    from workbench.domain.vocabulary import NONE_VALUE, STATUS_KINDS

    for name in ("yangcheng", "jincheng-chengqu"):
        eng = engine(name)
        singles = [(kind, value) for kind, (_, values, _) in STATUS_KINDS.items() for value in (*values, NONE_VALUE)]
        for condition in CONDITIONS:
            named = eng.facts_for(condition)
            for pair in [*combinations(singles, 2), *((single,) for single in singles), ()]:
                history = StatusHistory([Fact(kind, value, M(2025, 1), seq) for seq, (kind, value) in enumerate(pair)])
                june = M(2025, 6)
                if eng._holds(condition, Situation(june, (85, 85), None, None, (), history.in_force(june), False)):
                    assert any(kind in named and (named[kind] is None and value != NONE_VALUE or value in (named[kind] or ()))
                               for kind, value in pair), (name, condition, pair)


def test_an_item_owes_the_same_whatever_the_statuses_it_does_not_read():
    """statuses_read lets a run treat as alike people who differ only in other statuses: for every
    item alone, and for all of a preset's items together, random statuses (each kind absent or
    any of its values) give the same amounts and reasons as the statuses those items read."""
    import random

    from workbench.domain.vocabulary import NONE_VALUE, STATUS_KINDS

    june, rng = M(2025, 6), random.Random(7)
    choices = {kind: (None, *values, NONE_VALUE) for kind, (_, values, _) in STATUS_KINDS.items()}
    samples = []
    for _ in range(600):
        drawn = [(kind, rng.choice(values)) for kind, values in choices.items()]
        history = StatusHistory([Fact(kind, value, M(2025, 1), seq) for seq, (kind, value) in enumerate(drawn) if value])
        samples.append(history.in_force(june))
    differing = 0
    for name in ("yangcheng", "jincheng-chengqu"):
        eng = engine(name)
        codes = list(eng.items)
        for enrolled in [(code,) for code in codes] + [tuple(codes)]:
            read = frozenset().union(*(eng.statuses_read(code) for code in enrolled))
            for age in (65, 85, 95):
                for statuses in samples:
                    whole = Situation(june, (age, age), None, None, tuple((code, True) for code in enrolled), statuses, False)
                    seen = whole._replace(statuses=tuple(item for item in statuses if item[0] in read))
                    assert eng.owed(whole) == eng.owed(seen), (name, enrolled, age, statuses)
                    differing += seen != whole
    assert differing > 10_000  # most samples hold statuses the items do not read


def test_past_the_liveness_deadline_a_person_without_a_check_is_withheld():
    eng = engine()
    eng.liveness_deadline = 6
    unchecked = person(date(1941, 5, 3), ["GLBT"], start=M(2025, 1))
    assert owed(eng, unchecked, M(2026, 6), "GLBT").amount == D("66.67")  # by the deadline: paid
    july = owed(eng, unchecked, M(2026, 7), "GLBT")
    assert july.amount == 0 and july.withheld and "生存认证" in july.reason
    checked = person(date(1941, 5, 3), ["GLBT"], start=M(2025, 1), checked_years=frozenset({2026}))
    assert owed(eng, checked, M(2026, 7), "GLBT").amount == D("66.67")
    newcomer = person(date(1941, 5, 3), ["GLBT"], start=M(2026, 3))
    assert owed(eng, newcomer, M(2026, 7), "GLBT").amount == D("66.67")  # enrolled this year: the application was the check
    assert owed(eng, newcomer, M(2027, 7), "GLBT").withheld
    assert eng.month(unchecked, M(2026, 7), ignore_end=True)["GLBT"].amount == D("66.67")  # what an earlier system paid
    eng.liveness_deadline = None
    assert owed(eng, unchecked, M(2026, 7), "GLBT").amount == D("66.67")


def test_a_withheld_month_already_paid_is_not_recovered():
    from workbench.domain.ledger import Paid, settle

    eng = engine()
    eng.liveness_deadline = 6
    unchecked = person(date(1941, 5, 3), ["GLBT"], start=M(2025, 1))
    lines, _ = settle(eng, unchecked, M(2026, 8), 12, {("GLBT", M(2026, 7)): Paid(D("66.67"), 1)}, after=M(2026, 6))
    assert lines == []
