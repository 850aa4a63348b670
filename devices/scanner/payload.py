"""What every scanner source reports: one Code value, and the rules each payload passes first.

A payload is outside input: a citizen's phone screen, a printed receipt or a crafted code. So it is
capped in size, decoded without ever raising (by its ECI header, else by a guess between UTF-8,
GB18030 and Shift_JIS, else kept as binary), and given a
display form in which control characters and markup cannot reach a screen raw. Payloads may be
e-credentials: a Code's repr, and every log line about one, shows only its format and length.
"""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import unicodedata

from devices.scanner.charset import guess
from kiosk.outcome import Outcome

PAYLOAD_TOO_LARGE = "scanner.payload_too_large"
UNREADABLE = "scanner.unreadable"

# what a screen shows of a payload at most; the whole text stays in Code.text for the parser
DISPLAY_LIMIT = 200
_HEX_PREVIEW = 16
# full-width look-alikes: no renderer (Qt rich text, HTML) takes them for markup
_MARKUP = str.maketrans({"<": "\uff1c", ">": "\uff1e", "&": "\uff06"})


class Symbology(enum.Enum):
    QR = "qr"
    CODE128 = "code128"
    EAN13 = "ean13"
    UNKNOWN = "unknown"     # keyboard-wedge and serial scanners do not say what they read


@dataclasses.dataclass(frozen=True)
class Code:
    """One scanned payload. text is None for a binary payload; raw is exact, for parsers of binary codes."""

    raw: bytes
    text: str | None
    format: Symbology
    source: str             # "camera", "hid", "serial"

    @property
    def binary(self) -> bool:
        return self.text is None

    @property
    def display(self) -> str:
        """Safe to put on a screen: see display_text; a hex preview for binary payloads."""
        if self.text is None:
            preview = self.raw[:_HEX_PREVIEW].hex(" ")
            return preview + " \u2026" if len(self.raw) > _HEX_PREVIEW else preview
        return display_text(self.text)

    def __repr__(self) -> str:
        kind = "binary" if self.binary else "text"
        return f"Code({self.format.value}, {kind}, {len(self.raw)} bytes, from {self.source})"


def decode_text(raw: bytes) -> str | None:
    """raw as text in the character set it most plausibly is (devices/scanner/charset.py: UTF-8,
    GB18030 or Shift_JIS), or None for binary. For codes without an ECI header: one that has one is
    read by its decoder, which knows the declared set."""
    charset = guess(raw)
    return raw.decode(charset) if charset is not None else None


def display_text(text: str, limit: int = DISPLAY_LIMIT) -> str:
    """Line breaks and tabs become spaces; other control and format characters (bidi overrides,
    zero-width marks), private-use and unassigned ones become U+FFFD; <, > and & become full-width;
    the result is cut to limit characters."""
    safe = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\r\n":
            safe.append(" ")
        elif category[0] == "C" or category in ("Zl", "Zp"):
            safe.append("\ufffd")
        else:
            safe.append(char)
    shown = "".join(safe).translate(_MARKUP)
    return shown if len(shown) <= limit else shown[:limit - 1] + "\u2026"


@dataclasses.dataclass(frozen=True)
class PayloadRules:
    """Per source: prefixes and suffixes a scanner is set to add, the size cap, the duplicate window."""

    prefix: bytes = b""
    suffix: bytes = b""
    max_bytes: int = 4096               # a QR code holds at most 2953 bytes
    duplicate_window_s: float = 2.0


class Gate:
    """Turns what a source read into a Code or a named problem, and drops repeats.

    A payload seen again within the window of its last sighting is dropped, so a code held in
    front of the camera for ten seconds is reported once; it is reported again after it has been
    away for the window. Only digests of recent payloads are kept. One gate per source thread.
    """

    def __init__(self, rules: PayloadRules, source: str) -> None:
        self.rules = rules
        self.source = source
        self._last_seen: dict[bytes, float] = {}

    def admit(self, raw: bytes, symbology: Symbology, now: float, declared: str | None = None) \
            -> Outcome[Code] | None:
        """None for an empty payload or a repeat; else the Code, or why it was refused. declared is
        the text by the code's ECI header, kept when no prefix or suffix was cut off raw."""
        if not raw or self._repeated(raw, now):
            return None
        if len(raw) > self.rules.max_bytes:
            return Outcome.failure(PAYLOAD_TOO_LARGE, f"{len(raw)} bytes, at most {self.rules.max_bytes}")
        body = raw.removeprefix(self.rules.prefix).removesuffix(self.rules.suffix)
        if not body:
            return None
        text = declared if declared is not None and body == raw else decode_text(body)
        return Outcome.success(Code(body, text, symbology, self.source))

    def _repeated(self, raw: bytes, now: float) -> bool:
        window = self.rules.duplicate_window_s
        self._last_seen = {key: seen for key, seen in self._last_seen.items() if now - seen <= window}
        key = hashlib.blake2b(raw, digest_size=16).digest()
        repeated = key in self._last_seen
        self._last_seen[key] = now
        return repeated
