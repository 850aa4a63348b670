"""The real driver and python-escpos's bytes against the printer simulator on a real TCP socket."""
from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pyzbar import pyzbar

from devices.health import State
from devices.printer import decoder
from devices.printer.driver import (
    FileConnection,
    NetworkConnection,
    ReceiptPrinter,
    SerialConnection,
    UsbConnection,
    connection_for,
)
from devices.printer.escpos_render import render
from devices.printer.profile import PROFILE_58MM, PROFILE_80MM
from devices.printer.simulator import PrinterSimulator, PrinterState
from kiosk.receipt import Receipt
from tests.fixtures.common import free_port
from tests.fixtures.printer import PRINTER_TIMEOUT, PrinterFactory

Printer = tuple[PrinterSimulator, ReceiptPrinter]


def test_a_chinese_receipt_comes_out_with_its_text_qr_and_png(printer_80mm: Printer, sample_receipt: Receipt) -> None:
    simulator, driver = printer_80mm
    assert driver.print(sample_receipt).ok
    [receipt] = simulator.wait_for(1)
    assert receipt.lines[0] == "受理回执"
    assert "  收费：￥0.00（免费）" in receipt.lines            # two columns of margin, the full-width colon
    assert any("，凭受理编号" in line for line in receipt.lines)
    assert any("缺少材料：营业场所证明，" in line for line in receipt.lines)
    assert list(receipt.qr_payloads) == sample_receipt.qr_payloads()
    assert receipt.png is not None
    with Image.open(receipt.png) as png:
        assert png.width == PROFILE_80MM.dots


def test_58mm_paper_wraps_narrower_than_80mm(printer_factory: PrinterFactory, sample_receipt: Receipt) -> None:
    printed = {}
    for profile in (PROFILE_80MM, PROFILE_58MM):
        simulator, driver = printer_factory(profile)
        assert driver.print(sample_receipt).ok
        printed[profile.columns] = simulator.wait_for(1)[0].lines
    assert len(printed[32]) > len(printed[48])
    assert printed[48][3:5] == ("  办理事项：", "  个体工商户设立登记（含名称自主申报）")
    assert printed[32][3:6] == ("  办理事项：", "  个体工商户设立登记", "  （含名称自主申报）")


def test_a_printer_without_chinese_font_gets_one_image_whose_qr_still_scans(
        printer_factory: PrinterFactory, sample_receipt: Receipt) -> None:
    profile = dataclasses.replace(PROFILE_58MM, name="58mm-raster", chinese_font=False, native_qr=False)
    assert b"\x1dv0" in render(sample_receipt, profile)
    simulator, driver = printer_factory(profile)
    assert driver.print(sample_receipt).ok
    [receipt] = simulator.wait_for(1)
    assert receipt.lines == () and any(isinstance(block, decoder.Bitmap) for block in receipt.page)
    assert receipt.png is not None
    with Image.open(receipt.png) as png:
        [code] = pyzbar.decode(png, symbols=[pyzbar.ZBarSymbol.QRCODE])
    assert code.data.decode() == sample_receipt.qr_payloads()[0]


@pytest.mark.parametrize("state, problem, health", [
    (PrinterState.OK, None, State.OK),
    (PrinterState.PAPER_NEAR_END, None, State.WARNING),
    (PrinterState.PAPER_END, "printer.paper_out", State.FAULT),
    (PrinterState.COVER_OPEN, "printer.cover_open", State.FAULT),
    (PrinterState.OFFLINE, "printer.offline", State.FAULT),
])
def test_each_printer_state_gives_its_outcome(printer_80mm: Printer, sample_receipt: Receipt, state: PrinterState,
                                              problem: str | None, health: State) -> None:
    simulator, driver = printer_80mm
    simulator.state = state
    assert driver.print(sample_receipt).problem == problem
    assert driver.status().state is health
    assert len(simulator.receipts) == (1 if problem is None else 0)


@pytest.mark.parametrize("state, offline, cover_open, paper_end, near_end", [
    (PrinterState.OK, False, False, False, False),
    (PrinterState.PAPER_NEAR_END, False, False, False, True),
    (PrinterState.PAPER_END, True, False, True, True),
    (PrinterState.COVER_OPEN, True, True, False, False),
    (PrinterState.OFFLINE, True, False, False, False),
])
def test_read_status_names_each_condition(printer_80mm: Printer, state: PrinterState, offline: bool,
                                          cover_open: bool, paper_end: bool, near_end: bool) -> None:
    simulator, driver = printer_80mm
    simulator.state = state
    status = driver.read_status().value
    assert status is not None
    assert (status.offline, status.cover_open, status.paper_end, status.paper_near_end) == \
        (offline, cover_open, paper_end, near_end)


def test_network_status_requests_are_not_held_back_by_nagle(printer_80mm: Printer) -> None:
    """Without TCP_NODELAY the status request after a receipt waits for a delayed ACK: 40 ms each time."""
    simulator, _ = printer_80mm
    channel = NetworkConnection("127.0.0.1", simulator.port).open(PRINTER_TIMEOUT)
    try:
        assert channel.printer.device.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        channel.close()


def test_a_stopped_printer_discards_what_it_is_sent(printer_80mm: Printer, sample_receipt: Receipt) -> None:
    simulator, driver = printer_80mm
    simulator.state = PrinterState.PAPER_END
    with socket.create_connection(("127.0.0.1", simulator.port), timeout=PRINTER_TIMEOUT) as sock:
        sock.sendall(render(sample_receipt, PROFILE_80MM) + b"\x10\x04\x04")
        assert sock.recv(1) == b"\x7e"     # answered after the receipt's bytes: they have been handled
    simulator.state = PrinterState.OK
    assert driver.print(sample_receipt).ok
    assert len(simulator.wait_for(1)) == 1
    assert simulator.receipts[0].lines[0] == "受理回执"


def test_paper_running_out_with_the_receipt_is_not_ok(printer_80mm: Printer, sample_receipt: Receipt) -> None:
    simulator, driver = printer_80mm
    simulator.paper_remaining = 1
    outcome = driver.print(sample_receipt)
    assert outcome.problem == "printer.paper_out" and "after printing" in outcome.detail


def test_an_unreachable_printer_is_reported_quickly(sample_receipt: Receipt) -> None:
    driver = ReceiptPrinter(NetworkConnection("127.0.0.1", free_port()), PROFILE_80MM, timeout=2.0)
    started = time.monotonic()
    assert driver.print(sample_receipt).problem == "printer.unreachable"
    assert driver.status().state is State.ABSENT
    assert time.monotonic() - started < 1.0


def test_a_silent_printer_is_not_ok(printer_80mm: Printer, sample_receipt: Receipt) -> None:
    simulator, driver = printer_80mm
    simulator.silent = True
    assert driver.print(sample_receipt).problem == "printer.no_status"
    assert driver.status().state is State.FAULT
    assert simulator.receipts == []


@pytest.fixture
def not_a_printer() -> Iterator[int]:
    """Something on a port that answers every request with 0x00, which no status byte can be."""
    server = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        connection, _ = server.accept()
        with connection:
            while connection.recv(3):
                connection.sendall(b"\x00")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    thread.join(timeout=5)
    server.close()


def test_a_reply_that_is_no_status_byte_is_not_ok(not_a_printer: int, sample_receipt: Receipt) -> None:
    driver = ReceiptPrinter(NetworkConnection("127.0.0.1", not_a_printer), PROFILE_80MM, PRINTER_TIMEOUT)
    outcome = driver.print(sample_receipt)
    assert outcome.problem == "printer.no_status" and "0x00 is not a status byte" in outcome.detail


def test_a_write_only_printer_file_is_unverified(tmp_path: Path, sample_receipt: Receipt) -> None:
    device = tmp_path / "lp0"
    device.touch()
    driver = ReceiptPrinter(FileConnection(str(device)), PROFILE_80MM, PRINTER_TIMEOUT)
    assert driver.print(sample_receipt).problem == "printer.unverified"
    [page] = decoder.pages(device.read_bytes())
    assert decoder.text_lines(page)[0] == "受理回执"
    assert driver.status().state is State.OK


def test_configuration_uris_name_connections() -> None:
    assert connection_for("tcp://10.0.0.7:9100") == NetworkConnection("10.0.0.7", 9100)
    assert connection_for("tcp://printer") == NetworkConnection("printer", 9100)
    assert connection_for("tcp://[::1]:9101") == NetworkConnection("::1", 9101)
    assert connection_for("serial:///dev/ttyS0") == SerialConnection("/dev/ttyS0", 9600)
    assert connection_for("serial:///dev/ttyUSB0?baud=19200") == SerialConnection("/dev/ttyUSB0", 19200)
    assert connection_for("usb://04b8:0202") == UsbConnection(0x04B8, 0x0202)
    assert connection_for("file:///dev/usb/lp0") == FileConnection("/dev/usb/lp0")


@pytest.mark.parametrize("setting", [
    "lpt1", "", "tcp://", "tcp://printer:0", "tcp://printer:99999", "tcp://printer:9100/queue", "tcp://[::1",
    "serial:/dev/ttyS0", "serial:///dev/ttyS0?baud=fast", "serial:///dev/ttyS0?baud=0",
    "serial:///dev/ttyS0?parity=N", "serial:///dev/ttyS0?baud=1&baud=2", "usb:0416:5011", "usb://4b8:202",
    "usb://04b8", "file:/dev/usb/lp0", "file://host/dev/usb/lp0", "ipp://printer",
])
def test_a_malformed_uri_is_named_in_the_error(setting: str) -> None:
    with pytest.raises(ValueError, match="tcp://HOST"):
        connection_for(setting)


@given(st.sampled_from(["", "tcp://", "tcp://[", "serial:///", "usb://", "file:///"]), st.text())
def test_any_setting_names_a_connection_or_raises_value_error(scheme: str, rest: str) -> None:
    try:
        connection_for(scheme + rest)
    except ValueError as exc:
        assert "tcp://HOST" in str(exc)
