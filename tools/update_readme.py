"""Rewrite the README's table of settings from their declarations in workbench/settings.py."""
from __future__ import annotations

import sys
from pathlib import Path

from workbench.settings import readme_table

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- settings: printed by tools/update_readme.py -->\n", "<!-- end of settings -->\n"


def rewritten(text: str) -> str:
    """`text` with the part between the markers replaced by the table."""
    head, found, rest = text.partition(BEGIN)
    _, ended, tail = rest.partition(END)
    if not found or not ended:
        raise SystemExit(f"README.md lacks the markers {BEGIN.strip()} … {END.strip()}")
    return head + BEGIN + readme_table() + END + tail


if __name__ == "__main__":
    README.write_text(rewritten(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{README}: settings table rewritten", file=sys.stderr)
