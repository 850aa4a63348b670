"""The framer splits a scanner's byte stream at its terminator however the bytes arrive, and never
glues a frame cut short to the next one."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from devices.scanner.framing import TERMINATORS, Framer
from devices.scanner.payload import PAYLOAD_TOO_LARGE, UNREADABLE
from kiosk.outcome import Outcome

TIMEOUT = 0.3


def shown(results: list[Outcome[bytes]]) -> list[bytes | str]:
    return [result.value if result.ok else result.problem for result in results]


def test_frames_end_at_the_terminator_and_several_may_come_at_once() -> None:
    framer = Framer(b"\r\n", TIMEOUT, 100)
    assert shown(framer.feed(b"first\r\nsecond\r", 0.0)) == [b"first"]
    assert shown(framer.feed(b"\nthird\r\n", 0.1)) == [b"second", b"third"]


def test_a_frame_cut_short_is_unreadable_once_the_line_is_quiet_and_the_next_reads_clean() -> None:
    framer = Framer(b"\r", TIMEOUT, 100)
    assert framer.feed(b"41150219570", 0.0) == []
    assert framer.expire(0.2) == []
    assert shown(framer.expire(0.4)) == [UNREADABLE]
    assert shown(framer.feed(b"XY-0042\r", 5.0)) == [b"XY-0042"]


def test_the_next_scan_arriving_late_does_not_join_the_lost_one() -> None:
    framer = Framer(b"\r", TIMEOUT, 100)
    framer.feed(b"half a sc", 0.0)
    assert shown(framer.feed(b"whole\r", 1.0)) == [UNREADABLE, b"whole"]


def test_slow_bytes_of_one_frame_are_not_a_timeout() -> None:
    framer = Framer(b"\r", TIMEOUT, 100)
    results = [result for step, byte in enumerate(b"slow\r") for result in framer.feed(bytes([byte]), step * 0.25)]
    assert shown(results) == [b"slow"]


def test_an_endless_frame_is_too_large_once_and_the_stream_recovers_at_its_terminator() -> None:
    framer = Framer(b"\r\n", TIMEOUT, 16)
    results = framer.feed(b"x" * 40, 0.0) + framer.feed(b"y" * 40 + b"\r", 0.1) + framer.feed(b"\nok\r\n", 0.2)
    assert shown(results) == [PAYLOAD_TOO_LARGE, b"ok"]


def test_a_spoiled_frame_ends_unreadable() -> None:
    framer = Framer(b"\r", TIMEOUT, 100)
    framer.feed(b"ab", 0.0)
    framer.spoil(0.0)
    assert shown(framer.feed(b"c\rd\r", 0.1)) == [UNREADABLE, b"d"]


frames = st.binary(max_size=40).map(lambda data: data.replace(b"\r", b"").replace(b"\n", b""))


@given(st.lists(frames, max_size=8), st.sampled_from(sorted(TERMINATORS)), st.data())
def test_any_split_of_the_stream_gives_the_same_frames(payloads: list[bytes], name: str,
                                                       data: st.DataObject) -> None:
    terminator = TERMINATORS[name]
    stream = b"".join(payload + terminator for payload in payloads)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    framer = Framer(terminator, TIMEOUT, 64)
    results = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        results += framer.feed(stream[start:end], 0.0)
    assert shown(results) == payloads


@given(st.lists(st.tuples(st.binary(max_size=50), st.floats(0, 0.5)), max_size=20),
       st.sampled_from(sorted(TERMINATORS)))
def test_any_bytes_at_any_pace_never_raise_and_respect_the_cap(chunks: list[tuple[bytes, float]], name: str) -> None:
    framer = Framer(TERMINATORS[name], TIMEOUT, 32)
    now = 0.0
    for chunk, pause in chunks:
        now += pause
        for result in framer.feed(chunk, now) + framer.expire(now):
            assert (result.ok and len(result.value) <= 32) or result.problem in (UNREADABLE, PAYLOAD_TOO_LARGE)
