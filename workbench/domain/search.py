"""Finding people by what a clerk types: part of a name, pinyin initials (wdf for 王德福), an ID number."""
from __future__ import annotations

from itertools import islice, product
from pathlib import Path

MAX_READINGS = 8  # a name of several polyphonic characters is searchable under its first few readings


def _load_initials() -> dict[str, tuple[str, ...]]:
    """Han character -> the initials of its readings, from the table made from pypinyin's
    dictionary (tools/update_pinyin_initials.py): a line per set of initials, then its characters."""
    table: dict[str, tuple[str, ...]] = {}
    for line in Path(__file__).with_name("pinyin_initials.txt").read_text(encoding="utf-8").splitlines():
        letters, chars = line.split("\t")
        initials = tuple(letters.split(","))
        table.update(dict.fromkeys(chars, initials))
    return table


_INITIALS = _load_initials()


def _char_initials(char: str) -> tuple[str, ...]:
    """Every initial letter the character may be read with (单: d, s, c), lower case; a character
    that is not Han as itself, lower case."""
    return _INITIALS.get(char) or (char.lower(),)


def name_initials(name: str) -> str:
    """The name's pinyin initials under each reading, joined with |: 曾秀英 -> "cxy|zxy"."""
    choices = [_char_initials(char) for char in name if not char.isspace()]
    return "|".join("".join(letters) for letters in islice(product(*choices), MAX_READINGS))


class SearchIndex:
    """One lower-case text per row to match a query against, built once per loaded part."""

    def __init__(self) -> None:
        self._texts: list[str] = []

    def extend(self, names: list[str], id_numbers: list[str] | None, initials: dict[str, str] | None = None) -> None:
        """Add rows; `id_numbers` only when the user may search by partial ID number. `initials`
        remembers each name's initials across calls, for lists that name a person many times."""
        numbers = id_numbers or [""] * len(names)
        known = {} if initials is None else initials
        for name, number in zip(names, numbers):
            letters = known.get(name)
            if letters is None:
                letters = known[name] = name_initials(name)
            self._texts.append(f"{name}\x1f{letters}\x1f{number.lower()}")

    def __len__(self) -> int:
        return len(self._texts)

    def matches(self, query: str, rows: list[int]) -> list[int]:
        """The rows (of those given) whose name, initials or ID number contain the query."""
        query = query.strip().lower()
        if not query:
            return rows
        texts = self._texts
        return [row for row in rows if query in texts[row]]
