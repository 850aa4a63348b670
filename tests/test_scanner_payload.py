"""Payloads from any scanner: decoding never raises, screens never get control characters or
markup, repeats are dropped, prefixes and suffixes stripped, huge payloads refused."""
from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from devices.scanner.payload import (
    DISPLAY_LIMIT,
    PAYLOAD_TOO_LARGE,
    Code,
    Gate,
    PayloadRules,
    Symbology,
    decode_text,
    display_text,
)

RULES = PayloadRules(duplicate_window_s=2.0)


def admit(gate: Gate, raw: bytes, now: float = 0.0) -> Code | None:
    outcome = gate.admit(raw, Symbology.QR, now)
    assert outcome is None or outcome.ok, outcome
    return outcome.value if outcome else None


# -- decoding --------------------------------------------------------------------------------------

def test_utf8_comes_first_then_gb18030_then_binary() -> None:
    text = "信阳市政务服务中心 受理编号 XY-2026-0042"
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(text.encode("gb18030")) == text
    assert decode_text(b"\xff\xfe\x00\x81") is None


@given(st.binary(max_size=512))
def test_any_bytes_decode_without_raising(raw: bytes) -> None:
    text = decode_text(raw)
    assert text is None or raw in {text.encode(charset, "replace") for charset in ("utf-8", "gb18030", "shift_jis")}


@given(st.text(max_size=200).filter(lambda text: text.isascii() or max(text) >= "\u0800"))
def test_any_text_beyond_two_byte_utf8_round_trips(text: str) -> None:
    """Two-byte UTF-8 alone is weighed against GB18030 (charset.py); three- and four-byte is sure."""
    assert decode_text(text.encode("utf-8")) == text


def test_western_words_read_as_utf8() -> None:
    for word in ("Müller", "café", "Привет мир", "Ελλάδα"):
        assert decode_text(word.encode("utf-8")) == word


# -- what a screen may show ------------------------------------------------------------------------

def test_control_characters_bidi_overrides_and_markup_never_reach_a_screen() -> None:
    crafted = "<b onclick=x>&amp;</b>\x1b[2J\r\n\u202eevil\u200b\x00"
    shown = display_text(crafted)
    assert not set(shown) & set("<>&\x1b\r\n\u202e\u200b\x00")
    assert shown.startswith("\uff1cb onclick=x\uff1e\uff06amp;\uff1c/b\uff1e\ufffd[2J  \ufffdevil")


@given(st.text())
def test_display_text_is_always_printable_plain_and_short(text: str) -> None:
    shown = display_text(text)
    assert len(shown) <= DISPLAY_LIMIT
    assert not set(shown) & set("<>&")
    assert all(unicodedata.category(char)[0] != "C" or char == "\ufffd" for char in shown)


def test_binary_codes_show_a_hex_preview_and_no_repr_shows_a_payload() -> None:
    code = Code(bytes(range(0x80, 0xA0)), None, Symbology.QR, "camera")
    assert code.binary and code.display == "80 81 82 83 84 85 86 87 88 89 8a 8b 8c 8d 8e 8f \u2026"
    secret = Code(b"411502195706140321", "411502195706140321", Symbology.QR, "camera")
    assert "4115" not in repr(secret) and "18 bytes" in repr(secret)


# -- the gate --------------------------------------------------------------------------------------

def test_a_code_held_up_is_reported_once_and_again_after_it_was_away() -> None:
    gate = Gate(RULES, "camera")
    seen = [admit(gate, b"K24:XY-0007", now) for now in (0.0, 0.5, 1.0, 2.9, 4.8)]
    assert [code is not None for code in seen] == [True, False, False, False, False]
    assert admit(gate, b"K24:XY-0007", 7.0) is not None         # away for more than the window


def test_two_codes_alternating_are_each_reported_once() -> None:
    gate = Gate(RULES, "camera")
    seen = [admit(gate, raw, now / 10) for now, raw in enumerate([b"outer", b"inner"] * 5)]
    assert [code.text for code in seen if code] == ["outer", "inner"]


def test_prefix_and_suffix_set_on_the_scanner_are_stripped() -> None:
    gate = Gate(PayloadRules(prefix=b"]Q1", suffix=b"\t"), "serial")
    code = admit(gate, b"]Q1411502195706140321\t")
    assert code is not None and code.text == "411502195706140321" and code.source == "serial"
    assert admit(gate, b"no prefix here", 5.0).text == "no prefix here"
    assert admit(gate, b"]Q1\t", 10.0) is None                  # nothing left: ignored


def test_huge_payloads_are_refused_by_name_and_empty_ones_ignored() -> None:
    gate = Gate(PayloadRules(max_bytes=100), "serial")
    refused = gate.admit(b"x" * 101, Symbology.UNKNOWN, 0.0)
    assert refused is not None and refused.problem == PAYLOAD_TOO_LARGE
    assert gate.admit(b"", Symbology.UNKNOWN, 0.0) is None
    assert admit(gate, b"x" * 100).text == "x" * 100


@given(st.lists(st.tuples(st.binary(max_size=64), st.floats(0, 100)), max_size=30))
def test_the_gate_takes_any_payloads_in_any_order(scans: list[tuple[bytes, float]]) -> None:
    gate = Gate(PayloadRules(prefix=b"P", suffix=b"S", max_bytes=48), "serial")
    for raw, now in sorted(scans, key=lambda scan: scan[1]):
        outcome = gate.admit(raw, Symbology.UNKNOWN, now)
        assert outcome is None or outcome.ok or outcome.problem == PAYLOAD_TOO_LARGE
