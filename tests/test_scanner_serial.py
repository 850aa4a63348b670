"""A serial (USB-CDC) scanner over real pyserial on the simulator's pty: frames, garbage, frames cut
short, huge frames and an unplugged cable."""
from __future__ import annotations

import pytest

from devices.health import State
from devices.scanner.payload import PAYLOAD_TOO_LARGE, UNREADABLE, PayloadRules
from devices.scanner.serial_port import SerialScanner
from devices.scanner.simulator import SerialScannerSimulator
from tests.fixtures.common import wait_until
from tests.fixtures.scanner import FRAME_TIMEOUT, StartScanner


def running(simulator: SerialScannerSimulator, start_scanner: StartScanner, terminator: str = "cr",
            rules: PayloadRules = PayloadRules()):
    reports = start_scanner(SerialScanner(simulator.port, 115200, terminator, rules, FRAME_TIMEOUT))
    wait_until(lambda: reports.health_is(State.OK))
    return reports


@pytest.mark.parametrize("terminator, suffix", [("cr", b"\r"), ("lf", b"\n"), ("crlf", b"\r\n")])
def test_utf8_gb18030_and_binary_payloads_arrive_whole(start_scanner: StartScanner, terminator: str,
                                                        suffix: bytes) -> None:
    with SerialScannerSimulator(suffix) as simulator:
        reports = running(simulator, start_scanner, terminator)
        simulator.scan("受理编号 XY-0042".encode())
        simulator.scan("信阳市浉河区".encode("gb18030"))
        simulator.scan(b"\x00\xff\x81binary")
        wait_until(lambda: len(reports.codes) == 3)
    assert reports.texts == ["受理编号 XY-0042", "信阳市浉河区", None]
    assert reports.codes[2].raw == b"\x00\xff\x81binary" and reports.problems == []


def test_several_frames_in_one_burst_and_one_frame_in_dribbles(serial_scanner_simulator: SerialScannerSimulator,
                                                                start_scanner: StartScanner) -> None:
    reports = running(serial_scanner_simulator, start_scanner)
    serial_scanner_simulator.send(b"one\rtwo\rthree\r")
    for byte in b"four\r":
        serial_scanner_simulator.send(bytes([byte]))
    wait_until(lambda: reports.texts == ["one", "two", "three", "four"])


def test_a_frame_without_its_suffix_is_unreadable_not_joined_to_the_next(
        serial_scanner_simulator: SerialScannerSimulator, start_scanner: StartScanner) -> None:
    reports = running(serial_scanner_simulator, start_scanner)
    serial_scanner_simulator.send(b"\x13\x88garbage-and-half-a-fra")
    wait_until(lambda: reports.problems == [UNREADABLE])
    serial_scanner_simulator.scan(b"K24:XY-0007")
    wait_until(lambda: reports.texts == ["K24:XY-0007"])


def test_a_huge_frame_is_refused_and_the_line_recovers(serial_scanner_simulator: SerialScannerSimulator,
                                                       start_scanner: StartScanner) -> None:
    reports = running(serial_scanner_simulator, start_scanner, rules=PayloadRules(max_bytes=1024))
    serial_scanner_simulator.scan(b"A" * 50_000)
    serial_scanner_simulator.scan(b"small")
    wait_until(lambda: reports.texts == ["small"])
    assert reports.problems == [PAYLOAD_TOO_LARGE]


def test_the_same_scan_twice_in_a_row_is_reported_once(serial_scanner_simulator: SerialScannerSimulator,
                                                       start_scanner: StartScanner) -> None:
    reports = running(serial_scanner_simulator, start_scanner)
    serial_scanner_simulator.scan(b"XY-0007")
    serial_scanner_simulator.scan(b"XY-0007")
    serial_scanner_simulator.scan(b"XY-0008")
    wait_until(lambda: reports.texts[-1:] == ["XY-0008"])
    assert reports.texts == ["XY-0007", "XY-0008"]


def test_an_unplugged_scanner_is_absent_and_comes_back(serial_scanner_simulator: SerialScannerSimulator,
                                                       start_scanner: StartScanner) -> None:
    reports = running(serial_scanner_simulator, start_scanner)
    serial_scanner_simulator.unplug()
    wait_until(lambda: reports.health_is(State.ABSENT))
    serial_scanner_simulator.plug()
    wait_until(lambda: reports.health_is(State.OK))
    serial_scanner_simulator.scan(b"back again")
    wait_until(lambda: reports.texts == ["back again"])


def test_an_unknown_terminator_is_refused() -> None:
    with pytest.raises(ValueError, match="terminator"):
        SerialScanner("/dev/null", terminator="tab")
