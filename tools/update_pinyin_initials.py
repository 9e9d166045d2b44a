"""Refresh workbench/domain/pinyin_initials.txt, the initial letters of every reading of each Han
character pypinyin knows: `uv run python tools/update_pinyin_initials.py`.

Search reads this table instead of loading pypinyin, whose dictionaries take about half a second
to load at every start. Each line is the initials of a character's readings, in pypinyin's
order and separated by commas, a tab, and the characters that have exactly those.
"""
from __future__ import annotations

from pathlib import Path

from pypinyin import Style, pinyin
from pypinyin.pinyin_dict import pinyin_dict

TABLE = Path(__file__).resolve().parents[1] / "workbench" / "domain" / "pinyin_initials.txt"


def initials_by_pypinyin(char: str) -> tuple[str, ...]:
    """Every initial letter pypinyin reads `char` with, lower case; other characters as themselves."""
    readings = pinyin(char, style=Style.FIRST_LETTER, heteronym=True, errors=lambda text: [text.lower()])[0]
    return tuple(dict.fromkeys(reading.lower() for reading in readings if reading))


def main() -> None:
    grouped: dict[tuple[str, ...], list[str]] = {}
    for code in sorted(pinyin_dict):
        char = chr(code)
        found = initials_by_pypinyin(char)
        if found != (char.lower(),):
            grouped.setdefault(found, []).append(char)
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text("".join(f"{','.join(initials)}\t{''.join(chars)}\n" for initials, chars in sorted(grouped.items())),
                     encoding="utf-8")


if __name__ == "__main__":
    main()
