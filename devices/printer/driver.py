"""The receipt printer driver: render, ask the printer, send, ask again, and say what happened.

python-escpos's connection classes move the bytes. The real-time status is read here, one byte with
a timeout, because python-escpos reports a printer that does not answer as having paper (devices.md),
and a citizen must never be told to take a receipt that did not come out.
"""
from __future__ import annotations

import dataclasses
import re
import socket
import threading
import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from devices.health import Health, State
from devices.printer.escpos_library import load as load_escpos
from devices.printer.escpos_render import render
from devices.printer.profile import PrinterProfile
from kiosk.outcome import Outcome
from kiosk.receipt import Receipt

if TYPE_CHECKING:
    from escpos.escpos import Escpos

PrintOutcome = Outcome[None]
T = TypeVar("T")

PAPER_OUT = "printer.paper_out"
PAPER_NEAR_END = "printer.paper_near_end"
COVER_OPEN = "printer.cover_open"
OFFLINE = "printer.offline"
UNREACHABLE = "printer.unreachable"
NO_STATUS = "printer.no_status"
UNVERIFIED = "printer.unverified"

DLE_EOT = b"\x10\x04"


@dataclasses.dataclass
class Channel:
    """An open connection: python-escpos's printer object writes, read_byte reads if the link can."""

    printer: Escpos
    read_byte: Callable[[], bytes] | None    # at most one byte, b"" or OSError on timeout

    def write(self, data: bytes) -> None:
        self.printer._raw(data)

    def close(self) -> None:
        self.printer.close()


class Connection(Protocol):
    def open(self, timeout: float) -> Channel:
        """Connect; raise OSError or an escpos error when the printer is not there."""


@dataclasses.dataclass(frozen=True)
class NetworkConnection:
    host: str
    port: int = 9100

    def open(self, timeout: float) -> Channel:
        load_escpos()
        from escpos.printer import Network

        # Network.open() leaks its socket when the connection is refused, so connect here.
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        # a status request is a 3-byte write awaiting its reply: Nagle's algorithm would hold the one
        # after the receipt until the printer's delayed ACK (40 ms on Linux), on every receipt
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        printer = Network(self.host, self.port, timeout=timeout)
        printer.device = sock
        return Channel(printer, lambda: sock.recv(1))


@dataclasses.dataclass(frozen=True)
class SerialConnection:
    device: str
    baudrate: int = 9600

    def open(self, timeout: float) -> Channel:
        load_escpos()
        from escpos.printer import Serial

        printer = Serial(self.device, baudrate=self.baudrate, timeout=timeout)
        printer.open()
        port = printer.device
        port.write_timeout = timeout     # with flow control a stopped printer would block a write forever
        port.reset_input_buffer()
        return Channel(printer, lambda: port.read(1))


@dataclasses.dataclass(frozen=True)
class UsbConnection:
    vendor_id: int
    product_id: int

    def open(self, timeout: float) -> Channel:
        load_escpos()
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise OSError("USB printers need pyusb, which is not installed")
        milliseconds = int(timeout * 1000)
        printer = Usb(self.vendor_id, self.product_id, timeout=milliseconds)
        printer.open()
        return Channel(printer, lambda: bytes(printer.device.read(printer.in_ep, 64, milliseconds))[:1])


@dataclasses.dataclass(frozen=True)
class FileConnection:
    """A printer device file such as /dev/usb/lp0: write only, so it cannot tell what it printed."""

    path: str

    def open(self, timeout: float) -> Channel:
        load_escpos()
        from escpos.printer import File

        printer = File(self.path)
        printer.open()
        return Channel(printer, None)


def connection_for(setting: str) -> Connection:
    """The connection a configuration URI names: tcp://HOST[:PORT] (an IPv6 host in brackets),
    serial:///DEVICE[?baud=N], usb://VID:PID (hexadecimal) or file:///PATH."""
    try:
        uri = urllib.parse.urlsplit(setting)
        well_formed = setting.startswith(f"{uri.scheme}://") and not uri.fragment
        connection = _CONNECTIONS[uri.scheme](uri) if well_formed else None
    except (KeyError, ValueError):
        connection = None
    if connection is None:
        raise ValueError(f"printer: {setting!r} is not tcp://HOST[:PORT], serial:///DEVICE[?baud=N], "
                         "usb://VID:PID or file:///PATH")
    return connection


def _tcp(uri: urllib.parse.SplitResult) -> Connection | None:
    if not uri.hostname or uri.path or uri.query or uri.username or uri.port == 0:
        return None
    return NetworkConnection(uri.hostname, uri.port or 9100)


def _serial(uri: urllib.parse.SplitResult) -> Connection | None:
    options = urllib.parse.parse_qs(uri.query, strict_parsing=True) if uri.query else {}
    baud = options.pop("baud", ["9600"])
    if uri.netloc or not uri.path or options or len(baud) != 1 or not re.fullmatch(r"[1-9][0-9]*", baud[0]):
        return None
    return SerialConnection(urllib.parse.unquote(uri.path), int(baud[0]))


def _usb(uri: urllib.parse.SplitResult) -> Connection | None:
    if uri.path or uri.query or not re.fullmatch(r"[0-9a-fA-F]{4}:[0-9a-fA-F]{4}", uri.netloc):
        return None
    vendor, _, product = uri.netloc.partition(":")
    return UsbConnection(int(vendor, 16), int(product, 16))


def _file(uri: urllib.parse.SplitResult) -> Connection | None:
    if uri.netloc or not uri.path or uri.query:
        return None
    return FileConnection(urllib.parse.unquote(uri.path))


_CONNECTIONS: dict[str, Callable[[urllib.parse.SplitResult], Connection | None]] = {
    "tcp": _tcp, "serial": _serial, "usb": _usb, "file": _file,
}


@dataclasses.dataclass(frozen=True)
class RealTimeStatus:
    """The printer's replies to DLE EOT 1, 2 and 4."""

    printer: int
    offline_cause: int
    paper: int

    @property
    def problem(self) -> str | None:
        """The i18n key of what stops printing, or None."""
        if self.cover_open:
            return COVER_OPEN
        if self.paper_end:
            return PAPER_OUT
        if self.offline or self.offline_cause & 0x40:
            return OFFLINE
        return None

    @property
    def offline(self) -> bool:
        return bool(self.printer & 0x08)

    @property
    def cover_open(self) -> bool:
        return bool(self.offline_cause & 0x04)

    @property
    def paper_end(self) -> bool:
        return bool(self.paper & 0x60 or self.offline_cause & 0x20)

    @property
    def paper_near_end(self) -> bool:
        return bool(self.paper & 0x0C)

    def __str__(self) -> str:
        return f"DLE EOT 1/2/4 = {self.printer:#04x} {self.offline_cause:#04x} {self.paper:#04x}"


class _NoStatus(Exception):
    """The printer did not answer a status request, or answered something that is not a status byte."""


class ReceiptPrinter:
    """One receipt printer; a connection per job with timeouts, so an unplugged printer answers fast."""

    def __init__(self, connection: Connection, profile: PrinterProfile, timeout: float = 2.0) -> None:
        self.connection = connection
        self.profile = profile
        self.timeout = timeout
        self._lock = threading.Lock()    # printers take one connection at a time

    def print(self, receipt: Receipt) -> PrintOutcome:
        """Ok only when the printer reported itself ready both before the receipt and after its cut."""
        data = render(receipt, self.profile)
        return self._with_channel(lambda channel: self._print(channel, data))

    print_receipt = print                # the name kiosk.ports.ReceiptPrinter asks for

    def read_status(self) -> Outcome[RealTimeStatus | None]:
        """The printer's real-time status, for technicians; None when it cannot report one."""
        result = self._with_channel(lambda channel: self._read_status(channel) if self._reads(channel) else None)
        return result.forward() if isinstance(result, Outcome) else Outcome.success(result)   # Outcome: a failure

    def status(self) -> Health:
        """For technician mode and the heartbeat: paper near end is a warning, a stopped printer a fault."""
        read = self.read_status()
        if not read.ok:
            state = State.ABSENT if read.problem == UNREACHABLE else State.FAULT
            return Health("printer", state, read.problem or "")
        result = read.value
        if result is None:
            return Health("printer", State.OK, "connected; this printer cannot report its status")
        if result.problem:
            return Health("printer", State.FAULT, result.problem)
        if result.paper_near_end:
            return Health("printer", State.WARNING, PAPER_NEAR_END)
        return Health("printer", State.OK)

    def _with_channel(self, job: Callable[[Channel], T]) -> T | PrintOutcome:
        load_escpos()
        from escpos.exceptions import Error as EscposError

        with self._lock:
            try:
                channel = self.connection.open(self.timeout)
            except (EscposError, OSError) as exc:
                return Outcome.failure(UNREACHABLE, str(exc))
            try:
                return job(channel)
            except _NoStatus as exc:
                return Outcome.failure(NO_STATUS, str(exc))
            except OSError as exc:
                return Outcome.failure(UNREACHABLE, f"connection lost while sending: {exc}")
            finally:
                channel.close()

    def _print(self, channel: Channel, data: bytes) -> PrintOutcome:
        if not self._reads(channel):
            channel.write(data)
            return Outcome.failure(UNVERIFIED, "sent; this printer cannot report whether a receipt came out")
        before = self._read_status(channel)
        if before.problem:
            return Outcome.failure(before.problem, f"before printing: {before}")
        channel.write(data)
        after = self._read_status(channel)
        if after.problem:
            return Outcome.failure(after.problem, f"after printing: {after}")
        return Outcome.success(None)

    def _reads(self, channel: Channel) -> bool:
        return self.profile.can_read_status and channel.read_byte is not None

    def _read_status(self, channel: Channel) -> RealTimeStatus:
        return RealTimeStatus(*(_query(channel, n) for n in (1, 2, 4)))


def _query(channel: Channel, n: int) -> int:
    assert channel.read_byte is not None
    channel.write(DLE_EOT + bytes([n]))
    try:
        reply = channel.read_byte()
    except OSError as exc:
        raise _NoStatus(f"no reply to DLE EOT {n}: {exc}") from exc
    if not reply:
        raise _NoStatus(f"no reply to DLE EOT {n}")
    if reply[0] & 0x93 != 0x12:    # bits 1 and 4 set, bits 0 and 7 clear in every status byte
        raise _NoStatus(f"DLE EOT {n}: {reply[0]:#04x} is not a status byte")
    return reply[0]
