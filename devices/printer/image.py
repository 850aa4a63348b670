"""Pictures of printed pages with Pillow: the simulator's PNGs, and the raster fallback's image.

Sizes are in printer dots (203 dpi): a Chinese character of the standard font is 24 dots square and
an ASCII character half as wide, so a monospaced CJK face at 24 px reproduces the printer's columns.
"""
from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from devices.printer.decoder import Bitmap, Block, Page, QRCode, TextLine

FONT_DOTS = 24
LINE_DOTS = 30               # the default line spacing of most 80 mm printers
MARGIN_DOTS = 12

# Debian's fonts-noto-cjk (face 7: Noto Sans Mono CJK SC) and fonts-wqy-microhei.
_KNOWN_FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 7),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)


class FontMissing(RuntimeError):
    """No font with Chinese glyphs: every character would print as a box."""


@functools.cache
def font_file() -> tuple[str, int]:
    """Path and face index of a Chinese font: a known Debian path, else whatever fontconfig offers."""
    for path, index in _KNOWN_FONTS:
        if Path(path).exists():
            return path, index
    found = _fontconfig_match()
    if found is None:
        raise FontMissing("no Chinese font found: install fonts-noto-cjk or fonts-wqy-microhei")
    return found


def _fontconfig_match() -> tuple[str, int] | None:
    if shutil.which("fc-match") is None:
        return None
    # fc-match always names some font, so check that the one it names covers Simplified Chinese.
    result = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{lang}", "monospace:lang=zh-cn"],
                            capture_output=True, text=True, timeout=10, check=False)
    fields = result.stdout.split("\n")
    if len(fields) != 3 or "zh-cn" not in fields[2].split("|"):
        return None
    return fields[0], int(fields[1] or 0)


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    path, index = font_file()
    return ImageFont.truetype(path, size, index=index)


def draw(page: Page, width: int) -> Image.Image:
    """The page as printed: black on white, `width` dots wide, blocks stacked as the paper feeds."""
    pieces = [(_piece(block), block.align) for block in page]
    paper = Image.new("L", (width, sum(p.height for p, _ in pieces) + 2 * MARGIN_DOTS), 255)
    top = MARGIN_DOTS
    for piece, align in pieces:
        left = {"left": 0, "center": (width - piece.width) // 2, "right": width - piece.width}[align]
        paper.paste(piece, (max(left, 0), top))
        top += piece.height
    return paper


def _piece(block: Block) -> Image.Image:
    if isinstance(block, TextLine):
        return _text(block)
    if isinstance(block, QRCode):
        return _qr(block)
    return _bitmap(block)


def _text(line: TextLine) -> Image.Image:
    font = _font(FONT_DOTS * line.height)
    piece = Image.new("L", (max(1, round(font.getlength(line.text))), LINE_DOTS * line.height), 255)
    ImageDraw.Draw(piece).text((0, piece.height // 2), line.text, font=font, fill=0, anchor="lm")
    if line.width != line.height:
        piece = piece.resize((piece.width * line.width // line.height, piece.height))
    return piece


def _qr(code: QRCode) -> Image.Image:
    symbol = qrcode.QRCode(box_size=max(1, code.module), border=4)
    symbol.add_data(code.payload)
    symbol.make(fit=True)
    return symbol.make_image().get_image().convert("L")


def _bitmap(bitmap: Bitmap) -> Image.Image:
    size = (bitmap.width_bytes * 8, bitmap.height)
    if size[0] * size[1] == 0:
        return Image.new("L", (1, 1), 255)
    picture = Image.frombytes("1", size, bitmap.data, "raw", "1;I").convert("L")
    scale_x, scale_y = (2 if bitmap.density & 1 else 1), (2 if bitmap.density & 2 else 1)
    return picture.resize((size[0] * scale_x, size[1] * scale_y))
