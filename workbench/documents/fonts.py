"""The font printed documents are written in: the bundled one, or on Windows a system font.

The bundled WenQuanYi Micro Hei makes a PDF the same on every PC (and in tests). A county that
prints its forms in 宋体, 仿宋 or 黑体 chooses one of the Windows system fonts instead; the choice
is kept per user in the data folder, because the fonts are the PC's.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from workbench.domain.errors import InvalidInput
from workbench.paths import bundled_font
from workbench.settings import FONTS_FOLDER, PRINT_FONT

BUNDLED = "文泉驿微米黑 (程序自带)"
SYSTEM_FONTS = {  # name: the TrueType file in the Windows font folder
    "宋体": "simsun.ttc",
    "仿宋": "simfang.ttf",
    "黑体": "simhei.ttf",
}


def system_fonts_dir() -> Path | None:
    """Windows' font folder (`settings.FONTS_FOLDER` overrides it); None where there is none."""
    override = FONTS_FOLDER.value()
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    return None


def font_file(name: str) -> Path | None:
    """The file of a font by its name, or None if this PC does not have it."""
    if name == BUNDLED:
        return bundled_font()
    folder = system_fonts_dir()
    if name not in SYSTEM_FONTS or folder is None:
        return None
    path = folder / SYSTEM_FONTS[name]
    return path if path.is_file() else None


def available() -> list[str]:
    """The fonts that can be chosen on this PC, the bundled one first."""
    return [BUNDLED] + [name for name in SYSTEM_FONTS if font_file(name) is not None]


def chosen() -> str:
    """The font chosen for printing; the bundled one if none was, or if the chosen file is gone."""
    name = PRINT_FONT.read() or BUNDLED
    return name if font_file(name) is not None else BUNDLED


def choose(name: str) -> str:
    """Print in `name` from now on (checked by registering it); returns the name."""
    if name not in SYSTEM_FONTS and name != BUNDLED:
        raise InvalidInput(f"没有字体「{name}」; 可选: {'、'.join(available())}")
    if font_file(name) is None:
        raise InvalidInput(f"本机没有字体「{name}」(应在 {system_fonts_dir() or 'Windows 字体文件夹'} 中有 {SYSTEM_FONTS[name]})")
    registered(name)
    PRINT_FONT.write(name)
    return name


@lru_cache(maxsize=None)
def registered(name: str) -> str:
    """Register a font with reportlab once; returns the name documents draw with."""
    path = font_file(name)
    if path is None:
        raise InvalidInput(f"本机没有字体「{name}」")
    pdf_name = "WorkbenchCJK" if name == BUNDLED else f"WorkbenchCJK-{path.stem}"
    try:
        pdfmetrics.registerFont(TTFont(pdf_name, str(path), subfontIndex=0))
    except (TTFError, OSError) as problem:
        raise InvalidInput(f"字体「{name}」({path.name}) 不能用于 PDF (需要 TrueType 轮廓): {problem}") from None
    return pdf_name


def printing_font() -> str:
    """The registered name of the font chosen for printing."""
    return registered(chosen())
