"""Material Design Icons drawn from the font file qtawesome bundles, without importing qtawesome: its
import brings qtpy, which star-imports Qt's modules (0.15 s), and its first icon loads a dozen icon
fonts (0.04 s), all on the way to the attract screen, which needs four glyphs of one font."""
from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPixmap

FONT = "materialdesignicons6-webfont-6.9.96.ttf"
CHARMAP = "materialdesignicons6-webfont-charmap-6.9.96.json"
PREFIX = "mdi6."
GLYPH_SHARE = 0.875     # of the box, the rest for the font's bearing: qtawesome's proportion, so sizes stay


def _fonts() -> Path:
    """qtawesome's font folder, found without running its package."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("qtawesome is not installed: its Material Design Icons font is needed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@cache
def _font() -> tuple[str, str]:
    """The font's family, registered with Qt once, and its charmap's text."""
    folder = _fonts()
    loaded = QFontDatabase.addApplicationFont(str(folder / FONT))
    if loaded < 0:
        raise RuntimeError(f"Qt cannot load {folder / FONT}")
    return QFontDatabase.applicationFontFamilies(loaded)[0], (folder / CHARMAP).read_text("utf-8")


def _code(charmap: str, name: str) -> str:
    """The glyph's code in the charmap's JSON text, read at its key alone: the whole map is 7,367 names (~2.3 ms
    to parse before the first paint), the attract screen draws four. A key is a string followed by a colon."""
    key = charmap.find(json.dumps(name) + ":")
    if key < 0:
        raise KeyError(name)
    code, _ = _DECODER.raw_decode(charmap, charmap.index('"', key + len(json.dumps(name)) + 1))
    return str(code)


_DECODER = json.JSONDecoder()


def pixmap(name: str, colour: str, size_px: int) -> QPixmap:
    """The icon `mdi6.NAME` in colour, centred in a transparent square of size_px."""
    family, charmap = _font()
    glyph = chr(int(_code(charmap, name.removeprefix(PREFIX)), 16))
    picture = QPixmap(size_px, size_px)
    picture.fill(Qt.transparent)
    font = QFont(family)
    font.setPixelSize(round(GLYPH_SHARE * size_px))
    painter = QPainter(picture)
    painter.setFont(font)
    painter.setPen(QColor(colour))
    painter.drawText(QRect(0, 0, size_px, size_px), Qt.AlignCenter, glyph)
    painter.end()
    return picture
