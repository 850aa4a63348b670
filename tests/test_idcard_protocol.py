"""GA/T 467 frames and the card text block, as bytes: known frames, damaged streams, properties."""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from devices.idcard import protocol
from devices.idcard.protocol import (
    PREAMBLE,
    Command,
    FrameError,
    Reply,
    ReplyDecoder,
    Request,
    RequestDecoder,
    Status,
    TextProblem,
)
from devices.idcard.simulator import demo_cards
from kiosk import idnumber, nations
from kiosk.identity import CardType, Identity, Sex


def decode_all(*chunks: bytes) -> list[Reply | FrameError]:
    decoder = ReplyDecoder()
    found = [item for chunk in chunks for item in decoder.feed(chunk)]
    return found + decoder.end()


# -- frames ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("command, wire", [
    (Command.SAM_STATUS, "AA AA AA 96 69 00 03 11 FF ED"),
    (Command.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
    (Command.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
    (Command.READ_BASE_INFO, "AA AA AA 96 69 00 03 30 01 32"),
])
def test_requests_are_the_bytes_readers_expect(command: Command, wire: str) -> None:
    assert protocol.request(command) == bytes.fromhex(wire)


def test_a_no_card_reply_decodes_to_its_status() -> None:
    wire = bytes.fromhex("AA AA AA 96 69 00 04 00 00 80 84")
    assert protocol.reply(Status.NO_CARD) == wire
    assert decode_all(wire) == [Reply(0, 0, Status.NO_CARD)]


def test_a_read_reply_is_1295_bytes_with_text_and_photo_lengths() -> None:
    text, photo = protocol.encode_text(demo_cards()[0]), protocol.BLANK_PHOTO
    wire = protocol.reply(Status.SUCCESS, protocol.base_info(text, photo))
    assert len(wire) == 1295
    assert wire[5:7] == (1288).to_bytes(2, "big") and wire[10:14] == bytes.fromhex("0100 0400")
    [reply] = decode_all(wire)
    assert protocol.split_base_info(reply.data) == (text, photo)


@pytest.mark.parametrize("data", [b"", b"\x01\x00\x04\x00", bytes.fromhex("0100 0400") + bytes(100)])
def test_base_information_with_wrong_lengths_is_refused(data: bytes) -> None:
    assert protocol.split_base_info(data) is None


def test_the_simulator_side_decodes_requests() -> None:
    decoder = RequestDecoder()
    assert decoder.feed(protocol.request(Command.FIND_CARD)) == [Request(b"\x20\x01")]


def test_a_bad_checksum_is_named_and_the_next_frame_still_read() -> None:
    broken = bytearray(protocol.reply(Status.SUCCESS, b"abc"))
    broken[-1] ^= 0x01
    assert decode_all(bytes(broken), protocol.reply(Status.NO_CARD)) == [
        FrameError.BAD_CHECKSUM, Reply(0, 0, Status.NO_CARD)]


@pytest.mark.parametrize("length", [b"\x00\x00", b"\x00\x03", b"\xff\xff",
                                    (protocol.MAX_LENGTH + 1).to_bytes(2, "big")])
def test_impossible_lengths_are_named(length: bytes) -> None:
    assert decode_all(PREAMBLE + length + b"\x00" * 8) == [FrameError.BAD_LENGTH]


def test_a_frame_cut_short_is_truncated_when_the_input_stops() -> None:
    wire = protocol.reply(Status.SUCCESS, bytes(50))
    decoder = ReplyDecoder()
    assert decoder.feed(wire[:30]) == []
    assert decoder.end() == [FrameError.TRUNCATED]
    assert decoder.feed(protocol.reply(Status.NO_CARD)) == [Reply(0, 0, Status.NO_CARD)]


def test_a_whole_frame_after_a_truncated_one_is_found() -> None:
    cut = protocol.reply(Status.SUCCESS, bytes(500))[:40]
    found = decode_all(cut, protocol.reply(Status.CARD_FOUND))
    assert found == [FrameError.TRUNCATED, Reply(0, 0, Status.CARD_FOUND)]


replies = st.builds(Reply, st.integers(0, 255), st.integers(0, 255), st.integers(0, 255),
                    st.binary(max_size=300))


def wire_of(reply: Reply) -> bytes:
    return protocol.reply(reply.sw3, reply.data, reply.sw1, reply.sw2)


def chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    edges = sorted({0, len(data), *(cut % (len(data) + 1) for cut in cuts)})
    return [data[a:b] for a, b in itertools.pairwise(edges)]


@given(st.lists(replies, max_size=5), st.lists(st.integers(min_value=0), max_size=20))
def test_frames_survive_any_chunking(sent: list[Reply], cuts: list[int]) -> None:
    wire = b"".join(map(wire_of, sent))
    assert decode_all(*chunked(wire, cuts)) == sent


# garbage rich in preamble pieces, which is what makes resynchronising hard
preamble_pieces = st.sampled_from([PREAMBLE[:n] for n in range(1, 5)] + [PREAMBLE[1:], b"\x96\x69"])
garbage = st.lists(st.binary(max_size=12) | preamble_pieces, max_size=6).map(b"".join)


@given(st.lists(st.tuples(garbage, replies), max_size=4), st.lists(st.integers(min_value=0), max_size=10))
def test_garbage_between_frames_is_skipped(stream: list[tuple[bytes, Reply]], cuts: list[int]) -> None:
    assume(all(PREAMBLE not in noise for noise, _ in stream))
    wire = b"".join(noise + wire_of(reply) for noise, reply in stream)
    assert decode_all(*chunked(wire, cuts)) == [reply for _, reply in stream]


@given(st.lists(st.binary(max_size=40) | preamble_pieces | st.just(PREAMBLE), max_size=20))
def test_any_bytes_never_raise(chunks: list[bytes]) -> None:
    for item in decode_all(*chunks):
        assert isinstance(item, (Reply, FrameError))


# -- the text block -------------------------------------------------------------------------------

def test_the_resident_layout_is_at_the_documented_offsets() -> None:
    text = protocol.encode_text(demo_cards()[0])
    assert len(text) == 256
    assert text[0:6].decode("utf-16-le") == "刘桂芳"
    assert text[30:32] == "2".encode("utf-16-le")
    assert text[32:36] == "01".encode("utf-16-le")
    assert text[36:52] == "19570614".encode("utf-16-le")
    assert text[122:158] == "411502195706140321".encode("utf-16-le")
    assert text[188:204] == "20150420".encode("utf-16-le")
    assert text[204:220] == "长期      ".encode("utf-16-le")
    assert text[248:250] == b" \x00"


def test_the_foreigner_layout_is_at_the_documented_offsets() -> None:
    text = protocol.encode_text(demo_cards()[3])
    assert text[0:38] == "MUELLER, ANNA MARIA".encode("utf-16-le")
    assert text[122:152] == "DEU411588031201".encode("utf-16-le")
    assert text[152:158] == "DEU".encode("utf-16-le")
    assert text[158:162] == "安娜".encode("utf-16-le")
    assert text[220:236] == "19880312".encode("utf-16-le")
    assert text[248:250] == "I".encode("utf-16-le")


@pytest.mark.parametrize("card", demo_cards(), ids=lambda card: card.card_type.value + card.id_number[-4:])
def test_demo_cards_round_trip(card: Identity) -> None:
    assert idnumber.is_valid(card.id_number) or card.card_type is CardType.FOREIGN_PERMANENT
    assert protocol.decode_text(protocol.encode_text(card), card.photo) == card


def test_demo_residents_live_in_xinyang() -> None:
    residents = [card for card in demo_cards() if card.card_type is CardType.RESIDENT]
    assert len(residents) == 3
    assert all(card.id_number.startswith("4115") and "信阳市" in card.address for card in residents)


def test_the_2023_foreigners_card_is_read_with_the_old_layout() -> None:
    text = bytearray(protocol.encode_text(demo_cards()[3]))
    text[248:250] = "Y".encode("utf-16-le")
    decoded = protocol.decode_text(bytes(text))
    assert isinstance(decoded, Identity) and decoded.card_type is CardType.FOREIGN_PERMANENT


def test_a_foreigner_without_a_chinese_name_is_greeted_by_the_english_one() -> None:
    card = dataclasses.replace(demo_cards()[3], name="MUELLER, ANNA MARIA")
    text = protocol.encode_text(card)
    assert text[158:188] == " ".encode("utf-16-le") * 15
    assert protocol.decode_text(text, card.photo) == card


def resident_text(**fields: str) -> bytes:
    """The first demo card with some fields overwritten at their byte offsets."""
    offsets = {"name": 0, "sex": 30, "birth": 36, "number": 122, "valid_to": 204, "marker": 248}
    text = bytearray(protocol.encode_text(demo_cards()[0]))
    for name, value in fields.items():
        raw = value.encode("utf-16-le")
        text[offsets[name]:offsets[name] + len(raw)] = raw
    return bytes(text)


@pytest.mark.parametrize("fields, problem", [
    ({"number": "411502195706140322"}, TextProblem.ID_CHECK_DIGIT),
    ({"number": "41150219570614032A"}, TextProblem.ID_SHAPE),
    ({"number": "411502195713140321"}, TextProblem.ID_BIRTH_DATE),
    ({"name": "               "}, TextProblem.NAME),
    ({"sex": "5"}, TextProblem.SEX),
    ({"birth": "19570631"}, TextProblem.DATE),
    ({"valid_to": "长久"}, TextProblem.DATE),
    ({"marker": "Q"}, TextProblem.CARD_TYPE),
])
def test_unusable_text_is_a_named_problem(fields: dict[str, str], problem: TextProblem) -> None:
    assert protocol.decode_text(resident_text(**fields)) is problem


def test_undecodable_or_short_text_is_a_named_problem() -> None:
    lone_surrogate = b"\x00\xd8" + protocol.encode_text(demo_cards()[0])[2:]
    assert protocol.decode_text(lone_surrogate) is TextProblem.ENCODING
    assert protocol.decode_text(bytes(255)) is TextProblem.LENGTH


def test_a_lower_case_x_check_digit_is_normalised() -> None:
    decoded = protocol.decode_text(resident_text(number="41150319830217439x", birth="19830217"))
    assert isinstance(decoded, Identity) and decoded.id_number == "41150319830217439X"


def test_a_card_that_cannot_exist_is_refused_by_the_encoder() -> None:
    with pytest.raises(ValueError):
        protocol.encode_text(dataclasses.replace(demo_cards()[0], name="名" * 16))
    with pytest.raises(ValueError):
        protocol.encode_text(dataclasses.replace(demo_cards()[0], valid_from=None))


@given(st.binary(min_size=256, max_size=256))
def test_any_text_block_decodes_or_names_its_problem(text: bytes) -> None:
    assert isinstance(protocol.decode_text(text), (Identity, TextProblem))


hanzi = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
dates = st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31))
valid_to = st.none() | dates


def id_numbers(regions: list[str]) -> st.SearchStrategy[str]:
    def number(region: str, birth: dt.date, serial: int) -> str:
        first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
        return first17 + idnumber.check_digit(first17)
    return st.builds(number, st.sampled_from(regions), st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
                     st.integers(0, 999))


residents = st.builds(
    Identity, name=st.text(hanzi, min_size=1, max_size=15), sex=st.sampled_from(Sex), birth_date=dates,
    id_number=id_numbers(["411502", "411503", "411521"]), nation=st.sampled_from(sorted(nations.NATIONS)),
    address=st.text(hanzi | st.sampled_from("0123456789号"), max_size=35),
    authority=st.text(hanzi, max_size=15), valid_from=dates, valid_to=valid_to,
    card_type=st.just(CardType.RESIDENT),
)
hmt_residents = st.builds(
    Identity, name=st.text(hanzi, min_size=1, max_size=15), sex=st.sampled_from(Sex), birth_date=dates,
    id_number=id_numbers(["810000", "820000", "830000"]), address=st.text(hanzi, max_size=35),
    authority=st.text(hanzi, max_size=15), valid_from=dates, valid_to=valid_to,
    card_type=st.just(CardType.HMT_RESIDENCE),
)
english_names = st.lists(st.from_regex(r"\A[A-Z]{1,12}\Z"), min_size=1, max_size=4).map(" ".join).filter(
    lambda name: len(name) <= 60)


@st.composite
def foreigners(draw: st.DrawFn) -> Identity:
    english = draw(english_names)
    return Identity(
        name=draw(st.just(english) | st.text(hanzi, min_size=1, max_size=15)), english_name=english,
        sex=draw(st.sampled_from(Sex)), birth_date=draw(dates), card_type=CardType.FOREIGN_PERMANENT,
        id_number=draw(st.from_regex(r"\A[A-Z]{3}[0-9]{12}\Z")), nation=draw(st.from_regex(r"\A[A-Z]{3}\Z")),
        authority=draw(st.from_regex(r"\A[0-9]{4}\Z")), valid_from=draw(dates), valid_to=draw(valid_to),
    )


@given(residents | hmt_residents | foreigners())
def test_identities_round_trip_through_the_text_block(identity: Identity) -> None:
    assert protocol.decode_text(protocol.encode_text(identity)) == identity


# -- nations --------------------------------------------------------------------------------------

def test_the_56_nations_and_the_two_extra_codes() -> None:
    assert len(nations.NATIONS) == 58
    assert [f"{n:02d}" for n in range(1, 57)] + ["97", "98"] == list(nations.NATIONS)
    assert nations.lookup("01").zh == "汉" and nations.lookup("56").zh == "基诺"
    assert nations.lookup("98").zh == "外国血统中国籍人士"
    assert len({nation.zh for nation in nations.NATIONS.values()}) == 58


def test_nation_lookup_accepts_a_single_digit_and_refuses_unknown_codes() -> None:
    assert nations.lookup("3") == nations.lookup(" 03 ") == nations.Nation("03", "回", "Hui")
    assert nations.lookup("57") is None and nations.lookup("") is None
