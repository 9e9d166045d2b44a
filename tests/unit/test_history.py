from workbench.domain.history import Fact, StatusHistory
from workbench.domain.month import Month


def test_value_in_force_follows_the_latest_fact_on_or_before_the_month():
    history = StatusHistory([
        Fact("dibao", "是", Month(2025, 3), seq=1),
        Fact("dibao", "否", Month(2025, 9), seq=2),
    ])
    assert history.value("dibao", Month(2025, 2)) == "否"  # the default before any fact
    assert history.value("dibao", Month(2025, 3)) == "是"
    assert history.value("dibao", Month(2025, 8)) == "是"
    assert history.value("dibao", Month(2025, 9)) == "否"


def test_a_later_correction_for_the_same_month_wins_and_history_is_kept():
    history = StatusHistory([
        Fact("ability", "中度失能", Month(2025, 5), seq=10),
        Fact("ability", "重度失能", Month(2025, 5), seq=11),
    ])
    assert history.value("ability", Month(2025, 5)) == "重度失能"
    assert len(history.facts("ability")) == 2


def test_optional_status_can_be_ended_with_none():
    history = StatusHistory([
        Fact("disability_grade", "二级", Month(2024, 1), seq=1),
        Fact("disability_grade", "无", Month(2025, 1), seq=2),
    ])
    assert history.value("disability_grade", Month(2024, 6)) == "二级"
    assert history.value("disability_grade", Month(2025, 1)) is None
    assert history.value("ability", Month(2025, 1)) is None


def test_in_force_lists_the_kinds_off_their_default_and_only_those_asked_for():
    history = StatusHistory([
        Fact("hukou", "农村", Month(2024, 1), seq=1),
        Fact("dibao", "是", Month(2025, 3), seq=2),
        Fact("dibao", "否", Month(2025, 9), seq=3),
        Fact("ability", "重度失能", Month(2025, 5), seq=4),
    ])
    june, october = Month(2025, 6), Month(2025, 10)
    assert history.in_force(june) == (("ability", "重度失能"), ("dibao", "是"), ("hukou", "农村"))
    assert history.in_force(october) == (("ability", "重度失能"), ("hukou", "农村"))  # 低保 否 is the default
    assert history.in_force(june, frozenset({"dibao", "tekun"})) == (("dibao", "是"),)
    assert history.in_force(october, frozenset({"dibao"})) == ()
    assert history.in_force(june) == (("ability", "重度失能"), ("dibao", "是"), ("hukou", "农村"))  # asked again
