"""A network receipt printer on 127.0.0.1 that takes ESC/POS like a port-9100 printer.

It answers real-time status requests for the state a test or technician sets, prints nothing while
stopped (paper end, cover open, offline), and keeps every cut receipt: its text lines and QR payloads,
and a PNG when given a directory. Real drivers talk to it over a real socket.
"""
from __future__ import annotations

import dataclasses
import enum
import select
import socket
import threading
from pathlib import Path

from devices.printer import decoder, image
from devices.printer.profile import PROFILE_80MM, PrinterProfile


class PrinterState(enum.Enum):
    OK = "ok"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_END = "paper_end"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"


# Replies to DLE EOT 1, 2 and 4: bits 1 and 4 always set, bits 0 and 7 always clear.
_STATUS: dict[PrinterState, dict[int, int]] = {
    PrinterState.OK: {1: 0x12, 2: 0x12, 4: 0x12},
    PrinterState.PAPER_NEAR_END: {1: 0x12, 2: 0x12, 4: 0x1E},   # 4: bits 2-3 near-end sensor
    PrinterState.PAPER_END: {1: 0x1A, 2: 0x32, 4: 0x7E},        # 1: bit 3 offline; 2: bit 5; 4: bits 5-6
    PrinterState.COVER_OPEN: {1: 0x1A, 2: 0x16, 4: 0x12},       # 2: bit 2 cover open
    PrinterState.OFFLINE: {1: 0x1A, 2: 0x12, 4: 0x12},
}
_PRINTING = (PrinterState.OK, PrinterState.PAPER_NEAR_END)


@dataclasses.dataclass(frozen=True)
class PrintedReceipt:
    lines: tuple[str, ...]
    qr_payloads: tuple[str, ...]
    page: decoder.Page = dataclasses.field(repr=False)
    png: Path | None = None


class PrinterSimulator:
    """Start it, point a driver at .port, set .state / .silent, and wait_for the receipts."""

    def __init__(self, profile: PrinterProfile = PROFILE_80MM, output_dir: Path | None = None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self.profile = profile
        self.output_dir = output_dir
        self.silent = False                      # never answer status requests
        self.paper_remaining: int | None = None  # receipts left on the roll; None: endless
        self._state = PrinterState.OK
        self._receipts: list[PrintedReceipt] = []
        self._changed = threading.Condition()
        self._paper = decoder.Paper()
        self._listener = socket.create_server((host, port))
        self.port: int = self._listener.getsockname()[1]
        self._wake, self._waker = socket.socketpair()
        self._thread = threading.Thread(target=self._serve, name=f"printer-simulator-{self.port}", daemon=True)

    def start(self) -> PrinterSimulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Idempotent: a test that unplugs the printer leaves the fixture's stop to find it stopped."""
        if self._waker.fileno() == -1:
            return
        self._waker.send(b"!")
        self._thread.join(timeout=5)
        for sock in (self._listener, self._wake, self._waker):
            sock.close()

    def __enter__(self) -> PrinterSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def state(self) -> PrinterState:
        with self._changed:
            return self._state

    @state.setter
    def state(self, state: PrinterState) -> None:
        with self._changed:
            self._state = state

    @property
    def receipts(self) -> list[PrintedReceipt]:
        with self._changed:
            return list(self._receipts)

    def take(self) -> list[PrintedReceipt]:
        """The receipts printed so far, out of the tray, as a citizen takes theirs: a long run (bench.soak)
        keeps no paper, and its PNGs are numbered from 1 again."""
        with self._changed:
            taken, self._receipts = self._receipts, []
            return taken

    def wait_for(self, count: int, timeout: float = 5.0) -> list[PrintedReceipt]:
        """All receipts so far, once there are at least count of them."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._receipts) >= count, timeout):
                raise TimeoutError(f"{len(self._receipts)} receipt(s) printed within {timeout}s, expected {count}")
            return list(self._receipts)

    def _serve(self) -> None:
        while True:
            readable, _, _ = select.select([self._listener, self._wake], [], [])
            if self._wake in readable:
                return
            connection, _ = self._listener.accept()
            with connection:
                self._serve_connection(connection)

    def _serve_connection(self, connection: socket.socket) -> None:
        """One client at a time, as port-9100 printers do; the others wait in the backlog."""
        tokenizer = decoder.Tokenizer()
        while True:
            readable, _, _ = select.select([connection, self._wake], [], [])
            if self._wake in readable:
                return
            try:
                data = connection.recv(65536)
            except OSError:
                data = b""
            for token in tokenizer.feed(data) if data else tokenizer.close():
                self._handle(token, connection)
            if not data:
                return

    def _handle(self, token: decoder.Token, connection: socket.socket) -> None:
        if isinstance(token, decoder.StatusRequest):
            reply = None if self.silent else _STATUS[self.state].get(token.n)
            if reply is not None:
                try:
                    connection.sendall(bytes([reply]))
                except OSError:
                    pass             # the client has gone; a printer does not care
            return
        if self.state not in _PRINTING:
            return                   # a stopped printer discards what it is sent
        page = self._paper.apply(token)
        if page is not None:
            self._finish(page)

    def _finish(self, page: decoder.Page) -> None:
        png = None
        if self.output_dir is not None:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            png = self.output_dir / f"receipt-{len(self._receipts) + 1:03d}.png"
            image.draw(page, self.profile.dots).save(png)
        receipt = PrintedReceipt(tuple(decoder.text_lines(page)), tuple(decoder.qr_payloads(page)), page, png)
        with self._changed:
            self._receipts.append(receipt)
            if self.paper_remaining is not None:
                self.paper_remaining -= 1
                if self.paper_remaining <= 0:
                    self._state = PrinterState.PAPER_END
            self._changed.notify_all()
