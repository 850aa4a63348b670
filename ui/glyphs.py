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
def _font() -> tuple[str, dict[str, str]]:
    """The font's family, registered with Qt once, and its glyph names."""
    folder = _fonts()
    loaded = QFontDatabase.addApplicationFont(str(folder / FONT))
    if loaded < 0:
        raise RuntimeError(f"Qt cannot load {folder / FONT}")
    return QFontDatabase.applicationFontFamilies(loaded)[0], json.loads((folder / CHARMAP).read_text("utf-8"))


def pixmap(name: str, colour: str, size_px: int) -> QPixmap:
    """The icon `mdi6.NAME` in colour, centred in a transparent square of size_px."""
    family, charmap = _font()
    glyph = chr(int(charmap[name.removeprefix(PREFIX)], 16))
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
