"""Policy files: the presets carry the seeds' figures; a broken file names the broken key."""
from decimal import Decimal

import pytest

from workbench.domain.policy import PolicyError, parse_policy
from workbench.paths import policy_presets_dir


def preset(name: str) -> str:
    return (policy_presets_dir() / f"{name}.toml").read_text(encoding="utf-8")


def test_yangcheng_preset_holds_the_seed_figures():
    policy = parse_policy(preset("yangcheng"))
    assert policy.name == "阳城县"
    assert policy.standard("高龄补贴").amounts == {"80-89": Decimal("800"), "90-99": Decimal("2400"), "100+": Decimal("3600")}
    assert policy.standard("养老服务补贴").amounts == {"标准": Decimal("70")}
    assert policy.standard("护理补贴").amounts == {"标准": Decimal("100")}
    # Figures the seed leaves open are not invented.
    assert policy.standard("低保标准").amounts == {}
    assert policy.standard("重度残疾人护理补贴").amounts == {}
    assert policy.item("YLFW").max_age == 99
    assert policy.item("FSGY").care_multiples == {"全自理": Decimal("1"), "半护理": Decimal("2"), "全护理": Decimal("3")}
    assert policy.item("FSGY").basic_multiple == Decimal("1.3")
    assert [(group.items, group.rule) for group in policy.overlaps] == [(("HLBT", "ZDHL", "JZHL"), "higher")]


def test_jincheng_preset_holds_the_seed_figures():
    policy = parse_policy(preset("jincheng-chengqu"))
    assert policy.standard("高龄津贴").amounts["80-89/低保"] == Decimal("1640")
    assert policy.standard("高龄津贴").amounts["90-99"] == Decimal("2760")
    assert policy.standard("三四级精神智力残疾护理补贴").amounts == {"标准": Decimal("54.50")}
    assert policy.item_codes_by_name()["高龄补贴"] == "GLJT"
    assert "YLFW" not in {item.code for item in policy.items}


@pytest.mark.parametrize(
    "edit, key",
    [
        (lambda text: text.replace("effective_from = 2024-01-01\n", ""), "effective_from"),
        (lambda text: text.replace('"80-89" = "800"', '"80-89" = "-800"'), "amounts.80-89"),
        (lambda text: text.replace("{ ages = [90, 99], key = \"90-99\" }", "{ ages = [85, 99], key = \"90-99\" }"), "重叠"),
        (lambda text: text.replace('standard = "养老服务补贴"', 'standard = "敬老金"'), "敬老金"),
        (lambda text: text.replace('rule = "flat"', 'rule = "lump"', 1), "rule"),
        (lambda text: text.replace('requires = ["低保"]', 'requires = ["贫困"]'), "贫困"),
        (lambda text: text.replace('"半护理" = "2", ', ""), "care_multiples.半护理"),
        (lambda text: text.replace('name = "养老服务补贴"\nrule', 'name = "高龄补贴"\nrule'), "高龄补贴"),
        (lambda text: text.replace('items = ["HLBT", "ZDHL", "JZHL"]', 'items = ["HLBT", "CJBT"]'), "overlaps"),
        (lambda text: text.replace('rule = "age_bracket"', 'rule = "age_bracket"\npayment_months = [13]'), "payment_months"),
        (lambda text: text.replace('rule = "age_bracket"', 'rule = "age_bracket"\nend_rule = "never"'), "end_rule"),
        (lambda text: text.replace('code = "GLBT"', 'code = "GL\\nBT"'), "code"),  # a line break in a code
        (lambda text: text.replace('code = "GLBT"', 'code = "GL\\u001eBT"'), "code"),
        (lambda text: text.replace('code = "GLBT"', 'code = " "'), "code"),
    ],
)
def test_broken_policy_names_the_key(edit, key):
    with pytest.raises(PolicyError, match=key):
        parse_policy(edit(preset("yangcheng")))


def test_amount_written_as_float_is_refused():
    with pytest.raises(PolicyError, match="引号"):
        parse_policy(preset("jincheng-chengqu").replace('"标准" = "54.5"', '"标准" = 54.5'))
