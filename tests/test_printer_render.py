"""The bytes python-escpos and our renderer produce, read back with the decoder."""
from __future__ import annotations

import dataclasses
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.printer import decoder
from devices.printer.escpos_render import KANJI_OFF, KANJI_ON, MARGIN_COLUMNS, columns, render, text_columns, wrap
from devices.printer.profile import PROFILE_58MM, PROFILE_80MM
from kiosk.punctuation import pair
from kiosk.receipt import Kind, Line, Receipt

RASTER_58MM = dataclasses.replace(PROFILE_58MM, name="58mm-raster", chinese_font=False, native_qr=False)
CLOSING_PUNCTUATION = "，。、：；！？）"


def only_page(data: bytes) -> decoder.Page:
    pages = decoder.pages(data)
    assert len(pages) == 1
    return pages[0]


def unindented(page: decoder.Page) -> list[str]:
    """The page's text lines without the left margin every line but the centred title has."""
    return [line.removeprefix(" " * MARGIN_COLUMNS) for line in decoder.text_lines(page)]


def squeezed(text: str) -> str:
    """Wrapping may drop the space it breaks at; compare text without whitespace."""
    return "".join(text.split())


def test_chinese_goes_out_as_gb18030_inside_kanji_mode(sample_receipt: Receipt) -> None:
    data = render(sample_receipt, PROFILE_80MM)
    assert KANJI_ON + "  受理编号：XY-20261125-0007".encode("gb18030") + KANJI_OFF + b"\n" in data
    assert "，凭受理编号".encode("gb18030") in data and "。缺少材料：".encode("gb18030") in data
    assert "￥0.00".encode("gb18030") == b"\xa3\xa40.00" and b"\xa3\xa40.00" in data
    assert "¥".encode("gb18030") not in data
    assert data.startswith(b"\x1b@") and data.endswith(b"\x1dV\x00")


def test_text_and_qr_round_trip(sample_receipt: Receipt) -> None:
    page = only_page(render(sample_receipt, PROFILE_80MM))
    lines = unindented(page)
    assert "受理编号：XY-20261125-0007" in lines
    assert "收费：￥0.00（免费）" in lines
    assert squeezed("".join(lines)).endswith(squeezed(
        "请妥善保管本回执，凭受理编号或扫描二维码查询办理进度。缺少材料：营业场所证明，请于5个工作日内补齐。"
        "Questions: call the 12345 citizen hotline."))
    assert decoder.qr_payloads(page) == sample_receipt.qr_payloads()


def test_title_is_centred_double_size_and_the_rest_is_not(sample_receipt: Receipt) -> None:
    title, *rest = only_page(render(sample_receipt, PROFILE_80MM))
    assert title == decoder.TextLine("受理回执", align="center", width=2, height=2)
    assert all(block.width == 1 for block in rest if isinstance(block, decoder.TextLine))


def test_qr_is_native_and_centred(sample_receipt: Receipt) -> None:
    data = render(sample_receipt, PROFILE_80MM)
    assert b"\x1d(k" in data and b"\x1dv0" not in data
    [code] = [block for block in only_page(data) if isinstance(block, decoder.QRCode)]
    assert (code.align, code.module) == ("center", PROFILE_80MM.qr_module_dots)


def test_lines_keep_a_margin_each_side_and_58mm_wraps_narrower(sample_receipt: Receipt) -> None:
    wide = decoder.text_lines(only_page(render(sample_receipt, PROFILE_80MM)))
    narrow = decoder.text_lines(only_page(render(sample_receipt, PROFILE_58MM)))
    assert max(map(columns, wide)) == 48 - MARGIN_COLUMNS and max(map(columns, narrow)) == 32 - MARGIN_COLUMNS
    assert all(line.startswith(" " * MARGIN_COLUMNS) for line in wide[1:] + narrow[1:] if line)
    assert len(narrow) > len(wide)
    assert squeezed("".join(narrow)) == squeezed("".join(wide)).replace("-" * 44, "-" * 28)


def test_the_raster_page_has_white_margins_where_the_native_one_has_spaces(sample_receipt: Receipt) -> None:
    from devices.printer import image

    picture = image.draw(only_page(render(sample_receipt, PROFILE_58MM)), PROFILE_58MM.dots)
    inked = picture.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert inked is not None
    margin_dots = MARGIN_COLUMNS * image.FONT_DOTS // 2
    left, _, right, _ = inked
    assert left >= margin_dots - 1 and PROFILE_58MM.dots - right >= margin_dots - 1


def test_a_field_that_does_not_fit_puts_its_label_above_the_value_and_keeps_an_aside_whole() -> None:
    receipt = Receipt((Line(Kind.FIELD, "个体工商户设立登记（含名称自主申报）", "办理事项"),))
    assert unindented(only_page(render(receipt, PROFILE_58MM))) == [
        "办理事项：", "个体工商户设立登记", "（含名称自主申报）"]


def test_a_latin_name_is_never_broken_inside_a_word() -> None:
    department = "Xinyang Municipal Human Resources and Social Security Bureau"
    lines = wrap(department, text_columns(PROFILE_58MM))
    assert len(lines) > 1 and " ".join(lines) == department


def test_a_line_never_starts_with_closing_punctuation() -> None:
    assert wrap("一二三四五六七，八九", 14) == ["一二三四五六", "七，八九"]


def test_control_characters_in_citizen_input_cannot_become_commands() -> None:
    receipt = Receipt((Line(Kind.FIELD, "张三\x1dV\x00\x1b@\x10\x04\x01", "申请人"),))
    tokens = decoder.decode(render(receipt, PROFILE_80MM))
    assert sum(isinstance(t, decoder.Cut) for t in tokens) == 1
    assert sum(isinstance(t, decoder.Init) for t in tokens) == 1
    assert not any(isinstance(t, decoder.StatusRequest) for t in tokens)


def test_raster_fallback_draws_the_whole_receipt_as_one_image(sample_receipt: Receipt) -> None:
    data = render(sample_receipt, RASTER_58MM)
    tokens = decoder.decode(data)
    rasters = [t for t in tokens if isinstance(t, decoder.Raster)]
    assert rasters and all(r.width_bytes * 8 == RASTER_58MM.dots for r in rasters)
    assert not any(isinstance(t, (decoder.Text, decoder.QRStore, decoder.KanjiMode)) for t in tokens)
    assert isinstance(tokens[-1], decoder.Cut)


# --- properties ---------------------------------------------------------------------------------

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
RECEIPT_TEXT = st.text(st.one_of(CHINESE, st.characters(min_codepoint=0x20, max_codepoint=0x7E),
                                 st.sampled_from(CLOSING_PUNCTUATION + "（《“￥¥")), max_size=120)


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_any_bytes_decode_without_raising(data: bytes) -> None:
    decoder.pages(data)


@given(st.binary(max_size=300), st.lists(st.integers(min_value=0, max_value=300), max_size=5))
def test_bytes_fed_in_pieces_decode_like_bytes_fed_at_once(data: bytes, cuts: list[int]) -> None:
    tokenizer = decoder.Tokenizer()
    tokens: list[decoder.Token] = []
    bounds = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    for start, end in itertools.pairwise(bounds):
        tokens += tokenizer.feed(data[start:end])
    assert tokens + tokenizer.close() == decoder.decode(data)


@settings(deadline=None)
@given(st.lists(st.tuples(st.sampled_from([Kind.TITLE, Kind.TEXT, Kind.FIELD]), RECEIPT_TEXT, RECEIPT_TEXT),
                max_size=6),
       st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=200),
       st.sampled_from([PROFILE_80MM, PROFILE_58MM]))
def test_render_then_decode_gives_back_text_and_qr(items: list[tuple[Kind, str, str]], payload: str,
                                                   profile) -> None:
    receipt = Receipt((*tuple(Line(kind, value, label) for kind, value, label in items), Line(Kind.QR, payload)))
    page = only_page(render(receipt, profile))
    expected = "".join(pair(line.label, line.value) if line.kind is Kind.FIELD else line.value
                       for line in receipt.lines if line.kind is not Kind.QR)
    assert squeezed("".join(decoder.text_lines(page))) == squeezed(expected.replace("¥", "￥"))
    assert decoder.qr_payloads(page) == [payload]
    for block in page:
        if isinstance(block, decoder.TextLine):
            assert columns(block.text) * block.width <= profile.columns - MARGIN_COLUMNS


@given(RECEIPT_TEXT, st.integers(min_value=4, max_value=48))
def test_wrapped_lines_fit_and_keep_every_character(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(columns(line) <= width for line in lines)
    assert squeezed("".join(lines)) == squeezed(text.replace("¥", "￥"))
