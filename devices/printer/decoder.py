"""A small ESC/POS tokenizer, and the page a printer would make of the tokens.

Tests and the simulator run the bytes the real driver sends through this. It must survive any input
(a simulator on the network gets whatever is sent to it), so bytes it does not understand become
Unknown tokens, never exceptions.
"""
from __future__ import annotations

import dataclasses

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
LF = 0x0A
EOT, ENQ = 0x04, 0x05

# Commands that only change styles the page model ignores (bold, code page, ...): argument counts,
# so that their argument bytes are skipped instead of being misread as text.
def _arg_counts(table: dict[int, str]) -> dict[int, int]:
    return {code: count for count, codes in table.items() for code in codes.encode()}


_ESC_ARGS = _arg_counts({0: "2<@SLim", 1: " !-3=?EGJMRTUVadert{", 2: "$\\c", 3: "p"})
_GS_ARGS = _arg_counts({1: "!/BHIabfhrw|", 2: "$LPW\\"})
_FS_ARGS = _arg_counts({0: "&.", 1: "!-CW", 2: "Sp"})
_CUT_WITH_FEED = (65, 66, 97, 98, 103, 104)
_CUT_PLAIN = (0, 1, 48, 49)
_CUT_PARTIAL = (1, 49, 66, 98, 104)
_ALIGN = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}


@dataclasses.dataclass(frozen=True)
class Init:
    """ESC @"""


@dataclasses.dataclass(frozen=True)
class Text:
    text: str


@dataclasses.dataclass(frozen=True)
class LineFeed:
    """LF: print the line buffer and advance one line."""


@dataclasses.dataclass(frozen=True)
class Feed:
    """ESC d n: print and feed n lines."""

    lines: int


@dataclasses.dataclass(frozen=True)
class KanjiMode:
    """FS & (on) / FS . (off): whether bytes >= 0x80 are read as GB18030 characters."""

    on: bool


@dataclasses.dataclass(frozen=True)
class Align:
    align: str               # "left", "center", "right"


@dataclasses.dataclass(frozen=True)
class Size:
    """ESC ! or GS !: character magnification."""

    width: int
    height: int


@dataclasses.dataclass(frozen=True)
class QRSetting:
    """GS ( k, QR function 165 (model), 167 (module size) or 169 (error correction)."""

    function: int
    value: int


@dataclasses.dataclass(frozen=True)
class QRStore:
    """GS ( k function 180: the payload, kept by the printer until printed."""

    data: bytes

    @property
    def payload(self) -> str:
        return self.data.decode("utf-8", errors="replace")


@dataclasses.dataclass(frozen=True)
class QRPrint:
    """GS ( k function 181: print the stored QR code."""


@dataclasses.dataclass(frozen=True)
class Raster:
    """GS v 0: a bitmap, rows of width_bytes bytes, most significant bit leftmost, 1 = black."""

    width_bytes: int
    height: int
    density: int             # bit 0: double width, bit 1: double height
    data: bytes


@dataclasses.dataclass(frozen=True)
class Cut:
    partial: bool


@dataclasses.dataclass(frozen=True)
class StatusRequest:
    """DLE EOT n: a real-time status request; the printer answers one byte."""

    n: int


@dataclasses.dataclass(frozen=True)
class Command:
    """A well-formed command the page model does not need (bold, code page, CR, barcode ...)."""

    data: bytes


@dataclasses.dataclass(frozen=True)
class Unknown:
    data: bytes


Token = (Init | Text | LineFeed | Feed | KanjiMode | Align | Size | QRSetting | QRStore | QRPrint | Raster | Cut
         | StatusRequest | Command | Unknown)
_Step = tuple[Token, int]     # a token and the position after it


class Tokenizer:
    """Tokens from a byte stream fed as it arrives; a command split across reads waits for its rest."""

    def __init__(self) -> None:
        self._pending = b""
        self._kanji = False

    def feed(self, data: bytes) -> list[Token]:
        return self._scan(self._pending + data, final=False)

    def close(self) -> list[Token]:
        """End of stream: whatever is left becomes a text run or an Unknown token."""
        return self._scan(self._pending, final=True)

    def _scan(self, buf: bytes, final: bool) -> list[Token]:
        tokens: list[Token] = []
        pos = 0
        while pos < len(buf):
            step = _next(buf, pos, self._kanji, final)
            if step is None:
                break
            token, pos = step
            if isinstance(token, KanjiMode):
                self._kanji = token.on
            elif isinstance(token, Init):
                self._kanji = False
            tokens.append(token)
        self._pending = buf[pos:]
        return tokens


def decode(data: bytes) -> list[Token]:
    tokenizer = Tokenizer()
    return tokenizer.feed(data) + tokenizer.close()


def _next(buf: bytes, pos: int, kanji: bool, final: bool) -> _Step | None:
    """The token at pos; None if the stream must say more first (never when final)."""
    first = buf[pos]
    if first >= 0x20:
        return _text(buf, pos, kanji, final)
    parse = _PARSERS.get(first)
    if parse is None:
        return _control(buf, pos)
    try:
        return parse(buf, pos)
    except _Incomplete:
        return (Unknown(buf[pos:]), len(buf)) if final else None


class _Incomplete(Exception):
    """The command runs past the end of what has arrived."""


def _take(buf: bytes, start: int, count: int) -> bytes:
    if start + count > len(buf):
        raise _Incomplete
    return buf[start:start + count]


def _text(buf: bytes, pos: int, kanji: bool, final: bool) -> _Step | None:
    end = pos
    while end < len(buf) and buf[end] >= 0x20:
        end += 1
    if end == len(buf) and not final:
        return None          # the run may go on (and a GB18030 character may be split)
    raw = buf[pos:end]
    return Text(raw.decode("gb18030", errors="replace") if kanji else raw.decode("latin-1")), end


def _control(buf: bytes, pos: int) -> _Step:
    byte = buf[pos]
    if byte == LF:
        return LineFeed(), pos + 1
    if byte in (0x09, 0x0C, 0x0D, 0x18):        # HT, FF, CR, CAN
        return Command(bytes([byte])), pos + 1
    return Unknown(bytes([byte])), pos + 1


def _esc(buf: bytes, pos: int) -> _Step:
    code = _take(buf, pos + 1, 1)[0]
    if code == ord("*"):                       # column bit image: m nL nH, then n or 3n bytes
        m, low, high = _take(buf, pos + 2, 3)
        end = pos + 5 + (low + 256 * high) * (3 if m in (32, 33) else 1)
        return Command(_take(buf, pos, end - pos)), end
    if code not in _ESC_ARGS:
        return Unknown(buf[pos:pos + 2]), pos + 2
    end = pos + 2 + _ESC_ARGS[code]
    raw = _take(buf, pos, end - pos)
    arg = raw[-1]
    if code == ord("@"):
        return Init(), end
    if code == ord("a") and arg in _ALIGN:
        return Align(_ALIGN[arg]), end
    if code == ord("!"):
        return Size(2 if arg & 0x20 else 1, 2 if arg & 0x10 else 1), end
    if code == ord("d"):
        return Feed(arg), end
    return Command(raw), end


def _gs(buf: bytes, pos: int) -> _Step:
    code = _take(buf, pos + 1, 1)[0]
    if code == ord("("):                        # GS ( x pL pH data
        low, high = _take(buf, pos + 3, 2)
        end = pos + 5 + low + 256 * high
        raw = _take(buf, pos, end - pos)
        return (_qr(raw) if raw[2] == ord("k") else None) or Command(raw), end
    if code == ord("v"):                        # GS v 0 m xL xH yL yH data
        zero, m, xl, xh, yl, yh = _take(buf, pos + 2, 6)
        if zero not in (0, 48):
            return Unknown(buf[pos:pos + 2]), pos + 2
        width_bytes, height = xl + 256 * xh, yl + 256 * yh
        data = _take(buf, pos + 8, width_bytes * height)
        return Raster(width_bytes, height, m & 3, data), pos + 8 + len(data)
    if code == ord("V"):
        m = _take(buf, pos + 2, 1)[0]
        if m not in _CUT_PLAIN + _CUT_WITH_FEED:
            return Unknown(buf[pos:pos + 2]), pos + 2
        end = pos + (4 if m in _CUT_WITH_FEED else 3)
        _take(buf, pos, end - pos)
        return Cut(partial=m in _CUT_PARTIAL), end
    if code == ord("k"):
        return _barcode(buf, pos)
    if code not in _GS_ARGS:
        return Unknown(buf[pos:pos + 2]), pos + 2
    end = pos + 2 + _GS_ARGS[code]
    raw = _take(buf, pos, end - pos)
    if code == ord("!"):
        return Size(((raw[-1] >> 4) & 7) + 1, (raw[-1] & 7) + 1), end
    return Command(raw), end


def _qr(raw: bytes) -> Token | None:
    """GS ( k with cn 49 (QR): raw is the whole command, parameters from offset 5."""
    params = raw[5:]
    if len(params) < 2 or params[0] != 49:
        return None
    function = params[1]
    if function == 80 and len(params) >= 3:
        return QRStore(params[3:])
    if function == 81:
        return QRPrint()
    if function in (65, 67, 69) and len(params) >= 3:
        return QRSetting(function + 100, params[2])
    return None


def _barcode(buf: bytes, pos: int) -> _Step:
    """GS k m: data up to NUL for m <= 6, else a length byte and that many bytes."""
    m = _take(buf, pos + 2, 1)[0]
    if m <= 6:
        nul = buf.find(b"\x00", pos + 3)
        if nul < 0:
            raise _Incomplete
        end = nul + 1
    else:
        end = pos + 4 + _take(buf, pos + 3, 1)[0]
    return Command(_take(buf, pos, end - pos)), end


def _fs(buf: bytes, pos: int) -> _Step:
    code = _take(buf, pos + 1, 1)[0]
    if code not in _FS_ARGS:
        return Unknown(buf[pos:pos + 2]), pos + 2
    end = pos + 2 + _FS_ARGS[code]
    raw = _take(buf, pos, end - pos)
    if code in b"&.":
        return KanjiMode(on=code == ord("&")), end
    return Command(raw), end


def _dle(buf: bytes, pos: int) -> _Step:
    code, arg = _take(buf, pos + 1, 2)
    if code == EOT:
        return StatusRequest(arg), pos + 3
    if code == ENQ:
        return Command(buf[pos:pos + 3]), pos + 3
    return Unknown(buf[pos:pos + 1]), pos + 1


_PARSERS = {ESC: _esc, GS: _gs, FS: _fs, DLE: _dle}


# --- the page: what comes out of the printer ------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TextLine:
    text: str
    align: str = "left"
    width: int = 1
    height: int = 1


@dataclasses.dataclass(frozen=True)
class QRCode:
    payload: str
    module: int              # dots per module
    align: str = "left"


@dataclasses.dataclass(frozen=True)
class Bitmap:
    width_bytes: int
    height: int
    density: int
    data: bytes
    align: str = "left"


Block = TextLine | QRCode | Bitmap
Page = tuple[Block, ...]


class Paper:
    """Applies tokens the way a printer does; each cut hands back the finished page."""

    def __init__(self) -> None:
        self._blocks: list[Block] = []
        self._line: list[str] = []
        self._reset()

    def _reset(self) -> None:
        self._line.clear()
        self._align, self._width, self._height = "left", 1, 1
        self._qr_module, self._qr_payload = 3, ""

    def apply(self, token: Token) -> Page | None:
        if isinstance(token, Init):
            self._reset()
        elif isinstance(token, Text):
            self._line.append(token.text)
        elif isinstance(token, LineFeed):
            self._end_line()
        elif isinstance(token, Feed):
            for _ in range(token.lines):
                self._end_line()
        elif isinstance(token, Align):
            self._align = token.align
        elif isinstance(token, Size):
            self._width, self._height = token.width, token.height
        elif isinstance(token, QRSetting) and token.function == 167:
            self._qr_module = token.value
        elif isinstance(token, QRStore):
            self._qr_payload = token.payload
        elif isinstance(token, QRPrint) and self._qr_payload:
            self._blocks.append(QRCode(self._qr_payload, self._qr_module, self._align))
        elif isinstance(token, Raster):
            self._blocks.append(Bitmap(token.width_bytes, token.height, token.density, token.data, self._align))
        elif isinstance(token, Cut):
            return self._finish()
        return None

    def _end_line(self) -> None:
        self._blocks.append(TextLine("".join(self._line), self._align, self._width, self._height))
        self._line.clear()

    def _finish(self) -> Page:
        if self._line:
            self._end_line()
        # The feed before a cut only brings the print past the cutter: it is not part of the receipt.
        while self._blocks and isinstance(self._blocks[-1], TextLine) and not self._blocks[-1].text:
            self._blocks.pop()
        page, self._blocks = tuple(self._blocks), []
        return page


def pages(data: bytes) -> list[Page]:
    """The pages a printer would cut from these bytes (anything after the last cut stays in it)."""
    paper = Paper()
    return [page for token in decode(data) if (page := paper.apply(token)) is not None]


def text_lines(page: Page) -> list[str]:
    """The printed text lines, blank lines left out."""
    return [block.text for block in page if isinstance(block, TextLine) and block.text.strip()]


def qr_payloads(page: Page) -> list[str]:
    return [block.payload for block in page if isinstance(block, QRCode)]
