"""What a receipt printer can do, as data: the renderer and driver read this, never a model name."""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class PrinterProfile:
    name: str
    paper_mm: int
    columns: int             # half-width (ASCII) characters per line; a Chinese character takes two
    dots: int                # printable width in dots at 203 dpi, the raster image width
    chinese_font: bool       # has a GB18030 font reachable through kanji mode (FS &)
    native_qr: bool          # prints QR codes itself from GS ( k
    can_read_status: bool    # answers DLE EOT real-time status requests
    qr_module_dots: int = 6  # QR module size; larger modules scan better from thermal paper


PROFILE_80MM = PrinterProfile(
    name="80mm", paper_mm=80, columns=48, dots=576, chinese_font=True, native_qr=True, can_read_status=True
)
PROFILE_58MM = PrinterProfile(
    name="58mm", paper_mm=58, columns=32, dots=384, chinese_font=True, native_qr=True, can_read_status=True,
    qr_module_dots=5,
)

PROFILES: dict[str, PrinterProfile] = {p.name: p for p in (PROFILE_80MM, PROFILE_58MM)}
