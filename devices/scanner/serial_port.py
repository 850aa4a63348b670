"""Serial (USB-CDC) scanners over pyserial: raw payload bytes, each frame ended by a set suffix."""
from __future__ import annotations

import time

from devices.health import State
from devices.scanner.framing import TERMINATORS, Framer
from devices.scanner.payload import PayloadRules
from devices.scanner.source import ThreadedScanner

# pyserial waits at most this long per read, so stop() and frame timeouts are noticed this quickly
_READ_SLICE = 0.05


class SerialScanner(ThreadedScanner):
    """A scanner on a serial port; give a stable path (/dev/serial/by-id/...) so it comes back
    by itself after being unplugged. terminator is "cr", "lf" or "crlf", as the scanner is set."""

    source = "serial"

    def __init__(self, port: str, baudrate: int = 9600, terminator: str = "cr",
                 rules: PayloadRules = PayloadRules(), frame_timeout_s: float = 0.3) -> None:
        if terminator not in TERMINATORS:
            raise ValueError(f"terminator: {terminator!r} is not one of {', '.join(TERMINATORS)}")
        super().__init__(rules)
        self.port = port
        self.baudrate = baudrate
        self.terminator = TERMINATORS[terminator]
        self.frame_timeout_s = frame_timeout_s

    def _serve(self) -> None:
        import serial
        with serial.Serial(self.port, self.baudrate, timeout=_READ_SLICE) as port:
            framer = Framer(self.terminator, self.frame_timeout_s, self.rules.max_bytes)
            self._report_health(State.OK)
            while not self._stop.is_set():
                data = port.read(max(1, port.in_waiting))
                now = time.monotonic()
                self._report_frames(framer.feed(data, now) if data else framer.expire(now))
