"""The synthetic county: valid, reproducible, with a real county's mix."""
from collections import Counter
from datetime import date

from workbench.domain.age import age_on
from workbench.domain.idnumber import parse_id_number
from workbench.domain.policy import parse_policy
from workbench.domain.roster import RowChecker
from workbench.paths import policy_presets_dir
from workbench.synthetic import TOWNSHIPS, SyntheticCounty

TODAY = date(2026, 11, 22)


def policy(name="yangcheng"):
    return parse_policy((policy_presets_dir() / f"{name}.toml").read_text(encoding="utf-8"))


def test_same_seed_same_county_other_seed_other_county():
    first = SyntheticCounty(policy(), seed=5, today=TODAY).rows(200)
    assert first == SyntheticCounty(policy(), seed=5, today=TODAY).rows(200)
    assert first != SyntheticCounty(policy(), seed=6, today=TODAY).rows(200)


def test_every_row_passes_the_roster_check_and_ids_are_unique():
    for name in ("yangcheng", "jincheng-chengqu"):
        active = policy(name)
        rows = SyntheticCounty(active, seed=1, today=TODAY).rows(3000)
        checker = RowChecker(active.item_codes_by_name(), {item.code for item in active.items}, today=TODAY)
        entries, errors = checker.check_table(list(range(2, len(rows) + 2)), {h: [row[h] for row in rows] for h in rows[0]})
        assert errors == []
        assert len({entry.id_number for entry in entries}) == len(rows)


def test_the_mix_looks_like_a_county():
    rows = SyntheticCounty(policy(), seed=3, today=TODAY).rows(5000)
    ages = [age_on(parse_id_number(row["身份证号"]).birth_date, TODAY) for row in rows]
    assert min(ages) >= 60 and max(ages) <= 106
    assert 0.45 < sum(80 <= age <= 89 for age in ages) / len(ages) < 0.6
    assert 0.09 < sum(row["低保"] == "是" for row in rows) / len(rows) < 0.15
    assert set(Counter(row["乡镇"] for row in rows)) == set(TOWNSHIPS)
    assert all(row["身份证号"].startswith("140522") for row in rows)
    assert any(len(row["姓名"]) == 4 for row in SyntheticCounty(policy(), seed=3, today=TODAY).rows(20000))
    # Everyone 80 or over is enrolled in 高龄补贴; items always come with a bank account.
    assert all("高龄补贴" in row["享受项目"] for row, age in zip(rows, ages) if age >= 80)
    assert all(row["银行账号"] for row in rows if row["享受项目"])
