"""Payload text: the ECI header honoured, else the character set guessed from real bytes, so
Japanese Shift_JIS codes and Chinese GB18030 codes both read right on a Chinese kiosk."""
from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st

from devices.scanner.charset import declared_text, guess
from devices.scanner.payload import Gate, PayloadRules, decode_text
from devices.scanner.pipeline import Pipeline, ZxingDecoder

KIOSK = Path(__file__).resolve().parents[1] / "kiosk"


def chinese_strings() -> list[str]:
    """Every Chinese string the kiosk itself shows or files: its zh_CN texts and its service catalog."""
    def strings(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)
        elif isinstance(node, str) and not node.isascii():
            yield node
    return [*strings(tomllib.loads((KIOSK / "i18n" / "zh_CN.toml").read_text("utf-8"))),
            *strings(json.loads((KIOSK / "data" / "catalog.json").read_text("utf-8")))]


def test_every_chinese_string_of_the_kiosk_reads_right_as_gb18030_and_as_utf8() -> None:
    texts = chinese_strings()
    assert len(texts) > 500
    assert [text for text in texts if decode_text(text.encode("gb18030")) != text] == []
    assert [text for text in texts if decode_text(text.encode("utf-8")) != text] == []


@pytest.mark.parametrize("name", ["10.png", "17.webp", "26.webp", "31.webp"])
def test_japanese_photos_without_an_eci_header_read_as_shift_jis(corpus: list[tuple[Path, str]], name: str) -> None:
    import cv2
    path, expected = next((path, text) for path, text in corpus if path.parent.name == "qrcode-2" and path.name == name)
    symbols = Pipeline(ZxingDecoder()).decode(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)).symbols
    assert [symbol.raw for symbol in symbols] == [expected.encode("shift_jis")]
    assert [decode_text(symbol.raw) for symbol in symbols] == [expected]


def test_a_chinese_photo_keeps_its_gb2312_text(corpus: list[tuple[Path, str]]) -> None:
    """qrcode-2/33.png holds 阿 as the GB2312 bytes B0 A2, which Shift_JIS would read as two katakana."""
    import cv2
    path, expected = next((path, text) for path, text in corpus if path.name == "33.png")
    symbols = Pipeline(ZxingDecoder()).decode(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)).symbols
    assert b"\xb0\xa2" in symbols[0].raw and decode_text(symbols[0].raw) == expected


def eci_code(text: str, encoding: str, eci: bool):
    matrix = segno.make_qr(text, encoding=encoding, eci=eci).matrix_iter(scale=4, border=4)
    return np.array([[0 if dark else 255 for dark in row] for row in matrix], np.uint8)


def test_the_eci_header_decides_over_the_guess() -> None:
    """A lone 诉 in GB18030 (CB DF) also reads as the katakana ﾋﾟ, which the guess prefers for so
    short a text; the header settles it, through the gate as the camera passes it on."""
    pipeline, gate = Pipeline(ZxingDecoder()), Gate(PayloadRules(), "camera")
    guessed = pipeline.decode(eci_code("诉", "gb18030", eci=False)).symbols[0]
    declared = pipeline.decode(eci_code("诉", "gb18030", eci=True)).symbols[0]
    assert guessed.raw == declared.raw == "诉".encode("gb18030")
    assert (guessed.declared, decode_text(guessed.raw)) == (None, "ﾋﾟ")
    code = gate.admit(declared.raw, declared.format, 0.0, declared.declared)
    assert code is not None and code.unwrap().text == "诉"
    russian = pipeline.decode(eci_code("Привет", "cp1251", eci=True)).symbols[0]
    assert russian.raw == "Привет".encode("cp1251") and russian.declared == "Привет"


def test_eci_protocol_bytes_segment_by_segment() -> None:
    assert declared_text(b"]Q2\\000026a\\\\b\\000020\x83e\x83L") == "a\\bテキ"
    assert declared_text(b"]Q1plain") is None                      # no header: the caller guesses
    assert declared_text(b"]Q2\\000899\xff\xfe") is None            # binary declared: guessed, i.e. kept binary
    assert declared_text(b"]Q2\\000999abc") is None                 # a set unknown here
    assert declared_text(b"]Q2\\000026\xff") is None                # bytes the declared set cannot read


def test_binary_stays_binary() -> None:
    assert guess(b"\xff\xfe\x00\x81") is None and decode_text(bytes(range(0xF8, 0x100))) is None


@given(st.binary(max_size=512))
def test_any_bytes_decode_without_raising_to_text_they_were(raw: bytes) -> None:
    charset = guess(raw)
    assert charset is None or raw.decode(charset).encode(charset) == raw
