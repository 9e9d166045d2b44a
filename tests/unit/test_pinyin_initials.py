"""Search's table of pinyin initials says what pypinyin says, character by character."""
import sys
from pathlib import Path

from pypinyin.pinyin_dict import pinyin_dict

from workbench.domain.search import _char_initials, name_initials

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from update_pinyin_initials import initials_by_pypinyin  # noqa: E402


def test_every_character_has_the_initials_pypinyin_gives():
    characters = {chr(code) for code in pinyin_dict} | {chr(code) for code in range(0x3400, 0xA000)}
    characters |= set("AZaz09·・-— 　()（）ÀÉİßＡｚ０ぁア한")
    differing = [char for char in sorted(characters) if _char_initials(char) != initials_by_pypinyin(char)]
    assert differing == []


def test_names_are_searchable_under_each_reading():
    assert name_initials("王德福") == "wdf|ydf"
    assert name_initials("曾秀英") == "cxy|zxy"
    assert name_initials("单 田芳") == "dtf|ctf|stf"
    assert name_initials("阿Q·李") == "aq·l|eq·l"
