"""Keyboard-wedge scanners: key events to characters on the US layout, and the real reader on the
struct input_event records a kernel would write (through the simulator's FIFO)."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from devices.health import State
from devices.scanner.framing import Framer
from devices.scanner.hid import EV_KEY, KEY_DOWN, KEY_UP, HidScanner, KeyDecoder
from devices.scanner.payload import UNREADABLE, Symbology
from devices.scanner.simulator import HidSimulator, key_events
from tests.fixtures.common import wait_until
from tests.fixtures.scanner import FRAME_TIMEOUT, StartScanner

KEY_F1, KEY_LEFTALT, KEY_A = 59, 56, 30
# what a US keyboard can type: printable ASCII, tab, and the control bytes GS1 codes carry
TYPABLE = st.text(st.sampled_from([chr(c) for c in range(0x20, 0x7F)] + ["\t", "\x1d", "\x1e", "\x04"]))


def typed(events: list[tuple[int, int, int]], decoder: KeyDecoder | None = None) -> list[bytes | None]:
    decoder = decoder or KeyDecoder()
    return [decoder.feed(code, value) for kind, code, value in events if kind == EV_KEY]


def test_shift_gives_the_upper_row_and_enter_ends_the_frame() -> None:
    out = b"".join(byte for byte in typed(key_events("Ab1!\r")) if byte)
    assert out == b"Ab1!\r"


def test_gs1_separators_come_as_ctrl_right_bracket() -> None:
    assert b"".join(byte for byte in typed(key_events("01\x1d10")) if byte) == b"01\x1d10"


def test_releases_modifiers_and_lock_keys_carry_no_character() -> None:
    decoder = KeyDecoder()
    assert [decoder.feed(code, value) for code, value in [(42, KEY_DOWN), (58, KEY_DOWN), (58, KEY_UP),
                                                          (KEY_A, KEY_DOWN), (KEY_A, KEY_UP), (42, KEY_UP),
                                                          (KEY_A, 2), (KEY_A, KEY_DOWN)]] \
        == [None, None, None, b"A", None, None, None, b"a"]


def test_keys_outside_the_layout_and_alt_combinations_are_unmapped() -> None:
    decoder = KeyDecoder()
    assert decoder.feed(KEY_F1, KEY_DOWN) == KeyDecoder.UNMAPPED
    decoder.feed(KEY_LEFTALT, KEY_DOWN)
    assert decoder.feed(KEY_A, KEY_DOWN) == KeyDecoder.UNMAPPED


@given(TYPABLE)
def test_anything_a_scanner_types_reads_back(text: str) -> None:
    assert b"".join(byte for byte in typed(key_events(text)) if byte) == text.encode("ascii")


@given(st.lists(st.tuples(st.integers(0, 800), st.integers(-1, 3)), max_size=200))
def test_any_key_events_never_raise_and_frame_cleanly(events: list[tuple[int, int]]) -> None:
    decoder, framer = KeyDecoder(), Framer(b"\r", FRAME_TIMEOUT, 64)
    for code, value in events:
        out = decoder.feed(code, value)
        if out == KeyDecoder.UNMAPPED:
            framer.spoil(0.0)
        elif out:
            for frame in framer.feed(out, 0.0):
                assert frame.ok or frame.problem in (UNREADABLE, "scanner.payload_too_large")


# -- the reader on kernel records -------------------------------------------------------------------

def scanner_for(simulator: HidSimulator) -> HidScanner:
    return HidScanner(simulator.pattern, frame_timeout_s=FRAME_TIMEOUT, exclusive=False)


def test_scans_come_through_the_device_file(hid_simulator: HidSimulator, start_scanner: StartScanner) -> None:
    reports = start_scanner(scanner_for(hid_simulator))
    wait_until(lambda: reports.health_is(State.OK))
    hid_simulator.scan("K24:XY-20261125-0007")
    hid_simulator.scan("411502195706140321")
    wait_until(lambda: len(reports.codes) == 2)
    assert reports.texts == ["K24:XY-20261125-0007", "411502195706140321"]
    assert {(code.source, code.format) for code in reports.codes} == {("hid", Symbology.UNKNOWN)}


def test_a_scan_cut_short_is_unreadable_and_the_next_one_is_whole(hid_simulator: HidSimulator,
                                                                  start_scanner: StartScanner) -> None:
    reports = start_scanner(scanner_for(hid_simulator))
    wait_until(lambda: reports.health_is(State.OK))
    hid_simulator.scan("4115021957", enter=False)
    wait_until(lambda: reports.problems == [UNREADABLE])
    hid_simulator.scan("XY-0042")
    wait_until(lambda: reports.texts == ["XY-0042"])


def test_a_function_key_in_a_scan_spoils_only_that_scan(hid_simulator: HidSimulator,
                                                        start_scanner: StartScanner) -> None:
    reports = start_scanner(scanner_for(hid_simulator))
    wait_until(lambda: reports.health_is(State.OK))
    hid_simulator.send([*key_events("ab")[:6], (EV_KEY, KEY_F1, KEY_DOWN), (EV_KEY, KEY_F1, KEY_UP),
                        *key_events("c\r")])
    hid_simulator.scan("clean")
    wait_until(lambda: reports.texts == ["clean"])
    assert reports.problems == [UNREADABLE]


def test_an_unplugged_scanner_is_absent_and_comes_back(hid_simulator: HidSimulator,
                                                       start_scanner: StartScanner) -> None:
    reports = start_scanner(scanner_for(hid_simulator))
    wait_until(lambda: reports.health_is(State.OK))
    hid_simulator.unplug()
    wait_until(lambda: reports.health_is(State.ABSENT))
    hid_simulator.plug()
    wait_until(lambda: reports.health_is(State.OK))
    hid_simulator.scan("back again")
    wait_until(lambda: reports.texts == ["back again"])


def test_a_missing_device_is_absent(start_scanner: StartScanner, tmp_path: Path) -> None:
    reports = start_scanner(HidScanner(str(tmp_path / "usb-*-event-kbd")))
    wait_until(lambda: reports.health_is(State.ABSENT))
    assert "nothing matches" in reports.health[-1].detail


def test_a_device_that_cannot_be_grabbed_is_a_fault(hid_simulator: HidSimulator,
                                                    start_scanner: StartScanner) -> None:
    reports = start_scanner(HidScanner(hid_simulator.pattern))      # a FIFO takes no EVIOCGRAB
    wait_until(lambda: reports.health_is(State.FAULT))
    assert "cannot be grabbed" in reports.health[-1].detail
