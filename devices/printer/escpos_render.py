"""ESC/POS bytes for a receipt, built with python-escpos.

python-escpos 3.1 never switches the printer's kanji mode on and turns Chinese punctuation into '?'
(devices.md), so text goes through the printer object's raw write: GB18030 between FS & and FS .
Printers without a Chinese font or native QR get the same page drawn as one raster image.
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from devices.printer.escpos_library import load as load_escpos
from devices.printer.profile import PrinterProfile
from kiosk.punctuation import pair
from kiosk.receipt import Kind, Line, Receipt

if TYPE_CHECKING:
    from escpos.printer import Dummy

KANJI_ON, KANJI_OFF = b"\x1c&", b"\x1c."
# Blank columns each side of the text: print heads reach to within a millimetre or two of the paper's
# edge, and a receipt printed edge to edge reads as cramped and loses characters where the paper wanders.
MARGIN_COLUMNS = 2
# Chinese typesetting never starts a line with closing punctuation; the character before comes along.
_NO_LINE_START = frozenset("，。、：；！？）》」』】〕”’…·,.:;!?)]}%")
# An ASCII word, a bracketed aside (（含名称自主申报）, kept whole where it fits a line), or any other character
_UNIT = re.compile(r"[!-~]+|（[^（）\n]{1,20}）|.")


def render(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """The bytes that print this receipt on a printer described by profile, ending with a cut."""
    native = _native(receipt, profile)
    if profile.chinese_font and profile.native_qr:
        return native
    return _raster(native, profile)


def _native(receipt: Receipt, profile: PrinterProfile) -> bytes:
    load_escpos()
    from escpos.constants import QR_ECLEVEL_M

    printer = _dummy(profile)
    printer.hw("INIT")
    width = text_columns(profile)
    for line in receipt.lines:
        if line.kind is Kind.TITLE:
            printer.set(align="center", custom_size=True, width=2, height=2)
            _write(printer, wrap(line.value, width // 2))
            printer.set(align="left", custom_size=True, width=1, height=1)
        elif line.kind is Kind.TEXT:
            _write(printer, _indented(wrap(line.value, width)))
        elif line.kind is Kind.FIELD:
            _write(printer, _indented(field_lines(line, width)))
        elif line.kind is Kind.RULE:
            _write(printer, _indented(["-" * width]))
        elif line.kind is Kind.FEED:
            printer.print_and_feed(1)
        elif line.kind is Kind.QR:
            printer.set(align="center")
            printer.qr(line.value, native=True, size=profile.qr_module_dots, ec=QR_ECLEVEL_M)
            printer.set(align="left")
    printer.cut()
    return printer.output


def _raster(native: bytes, profile: PrinterProfile) -> bytes:
    """Draw the page the native bytes describe, so both paths share one layout; send it as GS v 0."""
    from PIL import Image

    from devices.printer import decoder, image

    picture = image.draw(decoder.pages(native)[0], profile.dots)
    printer = _dummy(profile)
    printer.hw("INIT")
    printer.image(picture.convert("1", dither=Image.Dither.NONE))
    printer.cut()
    return printer.output


def _dummy(profile: PrinterProfile) -> Dummy:
    """A python-escpos Dummy that keeps the bytes, with an escpos profile made from ours.

    Its default profile has no paper width (image() then prints a notice to stdout), and an empty
    escpos Profile has no cutter (cut() then sends nothing).
    """
    load_escpos()
    from escpos.capabilities import Profile
    from escpos.printer import Dummy

    escpos_profile = Profile(columns=profile.columns, features={"paperFullCut": True, "bitImageRaster": True,
                                                                "qrCode": profile.native_qr})
    escpos_profile.profile_data = {**escpos_profile.profile_data,
                                   "media": {"dpi": 203, "width": {"mm": profile.paper_mm, "pixels": profile.dots}}}
    return Dummy(profile=escpos_profile)


def text_columns(profile: PrinterProfile) -> int:
    """Columns a line of text may fill: the paper's less a margin each side."""
    return profile.columns - 2 * MARGIN_COLUMNS


def _indented(lines: list[str]) -> list[str]:
    """The left margin as spaces: the same bytes on every printer, and the raster path draws them too."""
    return [" " * MARGIN_COLUMNS + text if text else text for text in lines]


def _write(printer: Dummy, lines: list[str]) -> None:
    for text in lines:
        data = text.encode("gb18030", errors="replace")
        printer._raw((data if text.isascii() else KANJI_ON + data + KANJI_OFF) + b"\n")


def columns(text: str) -> int:
    """Printed width in half-width columns: whatever GB18030 sends as more than one byte prints full width."""
    return sum(1 if ch.isascii() else 2 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most width columns: Chinese breaks between any characters, Latin at spaces."""
    lines: list[str] = []
    for paragraph in _printable(text).split("\n"):
        line: list[str] = []
        for unit in _units(paragraph, width):
            if line and columns("".join(line)) + columns(unit) > width:
                carry = _carry(line, unit, width)
                lines.append("".join(line).rstrip())
                line = carry
            if unit == " " and not line:
                continue
            line.append(unit)
        lines.append("".join(line).rstrip())
    return lines


def field_lines(line: Line, width: int) -> list[str]:
    """label: value on one line where it fits, else the label on its own line above the value."""
    whole = wrap(pair(line.label, line.value), width)
    return whole if len(whole) == 1 else wrap(pair(line.label, "").rstrip(), width) + wrap(line.value, width)


def _printable(text: str) -> str:
    """Citizens' input reaches the printer: control characters would be commands, so they become spaces.

    ¥ (U+00A5) is a four-byte GB18030 sequence that printers print as garbage; ￥ is the one they know.
    """
    text = text.replace("\r\n", "\n").replace("¥", "￥")
    return "".join(" " if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text)


def _units(paragraph: str, width: int) -> list[str]:
    """Pieces a line may break between; an ASCII word longer than a line is cut into line-long pieces,
    a bracketed aside too wide for a line into its characters."""
    units = []
    for unit in _UNIT.findall(paragraph):
        if unit.startswith("（") and columns(unit) > width:
            units.extend(unit)
        else:
            units.extend(unit[i:i + width] for i in range(0, len(unit), width))
    return units


def _carry(line: list[str], unit: str, width: int) -> list[str]:
    """Start of the next line: the last unit of this one when unit may not start a line."""
    if unit in _NO_LINE_START and len(line) > 1 and not line[-1].isspace() \
            and columns(line[-1]) + columns(unit) <= width:
        return [line.pop()]
    return []
