"""Which character set the bytes of a code without an ECI header are in.

Codes rarely say (an ECI header is optional and most generators leave it out), so the bytes are
guessed as zxing-cpp does: UTF-8 when they are valid UTF-8, then the legacy double-byte sets. Unlike
zxing-cpp, which takes Shift_JIS whenever the bytes hold a few half-width katakana in a row and so
reads much GB2312 Chinese as Japanese, a Chinese kiosk weighs the two by how plausible the text
each gives is: common hanzi for GB18030; kana, first-level kanji and katakana sound marks in the
right places for Shift_JIS. A tie goes to GB18030, the national standard here.
"""
from __future__ import annotations

_UTF8, _GB18030, _SHIFT_JIS = "utf-8", "gb18030", "shift_jis"

# half-width katakana that take the voiced mark ﾞ (ｳ, ｶ-ﾄ, ﾊ-ﾎ) and the semi-voiced ﾟ (ﾊ-ﾎ)
_VOICED = set("ｳｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ")
_SEMI_VOICED = set("ﾊﾋﾌﾍﾎ")
# small kana and the long-vowel mark only ever follow another kana
_AFTER_KANA = set("ｧｨｩｪｫｬｭｮｯｰ")
_HALF_WIDTH_KANA = range(0xFF66, 0xFFA0)
# JIS X 0208's first level, the 2,965 common kanji, as Shift_JIS codes
_KANJI_LEVEL_1 = (0x889F, 0x9872)


def guess(raw: bytes) -> str | None:
    """The codec name raw most plausibly is text in, or None for binary (no candidate decodes)."""
    decoded = {}
    for charset in (_UTF8, _GB18030, _SHIFT_JIS):
        try:
            decoded[charset] = raw.decode(charset)
        except UnicodeDecodeError:
            continue
    utf8 = decoded.get(_UTF8)
    if utf8 is not None and (utf8.isascii() or max(utf8) >= "\u0800" or len(decoded) == 1):
        return _UTF8
    scores = {_UTF8: _western(utf8) if utf8 is not None else None,
              _GB18030: _chinese(decoded[_GB18030]) if _GB18030 in decoded else None,
              _SHIFT_JIS: _japanese(decoded[_SHIFT_JIS]) if _SHIFT_JIS in decoded else None}
    # max keeps the first of equals: UTF-8, then GB18030
    ranked = [(score, charset) for charset, score in scores.items() if score is not None]
    return max(ranked, key=lambda pair: pair[0])[1] if ranked else None


def _western(text: str) -> int:
    """How two-byte UTF-8 reads: +1 for each accented Latin, basic Greek or Russian letter next to
    another letter, as in a word. GB2312 hanzi that happen to be valid UTF-8 come out as Latin
    extensions, IPA, diacritics, Armenian or Hebrew, or as a lone letter between punctuation."""
    return sum(1 for at, char in enumerate(text) if _letter(char)
               and any(other.isalpha() for other in text[max(0, at - 1):at] + text[at + 1:at + 2]))


def _letter(char: str) -> bool:
    return "\u00c0" <= char <= "\u00ff" or "\u0391" <= char <= "\u03c9" or "\u0410" <= char <= "\u044f"


def _chinese(text: str) -> int:
    """How Chinese text reads: +1 for each of GB2312's 3,755 common hanzi, 0 for its rarer ones and
    its punctuation, -1 for kana, Greek, box drawing and GBK's extension, -2 for four-byte characters."""
    score = 0
    for char in text:
        if char.isascii():
            continue
        try:
            lead = char.encode("gb2312")[0]
        except UnicodeEncodeError:
            score -= 1 if _encodes(char, "gbk") else 2
            continue
        score += 1 if 0xB0 <= lead <= 0xD7 else 0 if lead <= 0xA3 or lead >= 0xD8 else -1
    return score


def _japanese(text: str) -> int:
    """How Japanese text reads: +1 for kana and first-level kanji, +2 for each sound mark on a kana
    that takes it, -1 for second-level kanji, Greek, Cyrillic and box drawing, -3 for a sound mark,
    small kana or long-vowel mark where Japanese never puts one."""
    score, before = 0, ""
    for char in text:
        if char.isascii():
            pass
        elif ord(char) in _HALF_WIDTH_KANA:
            score += _half_width(char, before)
        elif "\u3041" <= char <= "\u30fc":
            score += 1
        else:
            code = int.from_bytes(char.encode(_SHIFT_JIS))
            score += 0 if code < 0x8300 else 1 if _KANJI_LEVEL_1[0] <= code <= _KANJI_LEVEL_1[1] else -1
        before = char
    return score


def _half_width(char: str, before: str) -> int:
    if char == "ﾞ":
        return 2 if before in _VOICED else -3
    if char == "ﾟ":
        return 2 if before in _SEMI_VOICED else -3
    if char in _AFTER_KANA:
        return 0 if before and ord(before) in _HALF_WIDTH_KANA else -3
    return 0


def _encodes(char: str, charset: str) -> bool:
    try:
        char.encode(charset)
        return True
    except UnicodeEncodeError:
        return False


# ECI designators (ISO/IEC 18004, AIM ECI register) and the codecs that read them
ECI_CODECS = {
    0: "cp437", 1: "latin-1", 2: "cp437", 3: "latin-1", 4: "iso8859-2", 5: "iso8859-3", 6: "iso8859-4",
    7: "iso8859-5", 8: "iso8859-6", 9: "iso8859-7", 10: "iso8859-8", 11: "iso8859-9", 12: "iso8859-10",
    13: "iso8859-11", 15: "iso8859-13", 16: "iso8859-14", 17: "iso8859-15", 18: "iso8859-16",
    20: _SHIFT_JIS, 21: "cp1250", 22: "cp1251", 23: "cp1252", 24: "cp1256", 25: "utf-16-be", 26: _UTF8,
    27: "ascii", 28: "big5", 29: _GB18030, 30: "euc-kr", 32: _GB18030, 33: "utf-16-le", 34: "utf-32-be",
    35: "utf-32-le", 170: "ascii",
}
# symbology identifier modifiers of a QR code that carries ECI designators (]Q2, ]Q4, ]Q6)
_ECI_MODIFIERS = (b"]Q2", b"]Q4", b"]Q6")
_DESIGNATOR_DIGITS = 6


def declared_text(eci_bytes: bytes) -> str | None:
    """The text of a code's ECI protocol bytes (symbology identifier, then data in which \\nnnnnn
    switches the character set and \\\\ is a backslash), each segment in its declared set; None when
    the code declares none (or only ECI 899, binary), names a set unknown here or holds bytes its
    declared set cannot read: then the caller guesses."""
    if eci_bytes[:3] not in _ECI_MODIFIERS:
        return None
    segments: list[tuple[int | None, bytearray]] = [(None, bytearray())]
    data, at = eci_bytes[3:], 0
    while at < len(data):
        if data[at:at + 1] == b"\\" and data[at + 1:at + 2] == b"\\":
            segments[-1][1].append(0x5C)
            at += 2
        elif data[at:at + 1] == b"\\" and data[at + 1:at + 1 + _DESIGNATOR_DIGITS].isdigit():
            segments.append((int(data[at + 1:at + 1 + _DESIGNATOR_DIGITS]), bytearray()))
            at += 1 + _DESIGNATOR_DIGITS
        else:
            segments[-1][1].append(data[at])
            at += 1
    if all(eci in (None, 899) for eci, _ in segments):
        return None
    text = []
    for eci, raw in segments:
        codec = guess(bytes(raw)) if eci is None else ECI_CODECS.get(eci)
        if codec is None:
            return None
        try:
            text.append(bytes(raw).decode(codec))
        except UnicodeDecodeError:
            return None
    return "".join(text)
