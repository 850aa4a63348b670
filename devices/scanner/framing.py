"""Frames from a scanner's byte stream, ended by a terminator (CR, LF or CRLF).

Serial lines lose bytes and keyboard-wedge scans get cut short: a frame whose bytes stop coming
before its terminator is reported as unreadable when the line has been quiet for the timeout, so
it is never glued to the front of the next scan. Time is passed in, so the framer is a pure parser.
"""
from __future__ import annotations

from devices.scanner.payload import PAYLOAD_TOO_LARGE, UNREADABLE
from kiosk.outcome import Outcome

TERMINATORS = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n"}


class Framer:
    """feed() bytes as they arrive; call expire() while the line is quiet. Both return, in order,
    a success per complete frame (without its terminator) and a failure per lost one."""

    def __init__(self, terminator: bytes, timeout_s: float, max_bytes: int) -> None:
        if not terminator:
            raise ValueError("a frame needs a terminator")
        self.terminator = terminator
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes
        self._buffer = bytearray()
        self._pending = False           # a frame has begun (bytes, or a spoiled key) and not ended
        self._last = 0.0                # when its last byte came
        self._spoiled = False           # part of it could not be read (a key outside the layout)
        self._overflowed = False        # it passed max_bytes: skipping to its terminator

    def feed(self, data: bytes, now: float) -> list[Outcome[bytes]]:
        results = self.expire(now)
        for byte in data:
            self._begin(now)
            self._buffer.append(byte)
            if self._buffer.endswith(self.terminator):
                del self._buffer[-len(self.terminator):]
                results += self._end()
            elif len(self._buffer) > self.max_bytes:
                # keep the tail that may be the start of a split terminator, drop the rest
                keep = len(self.terminator) - 1
                if not self._overflowed:
                    self._overflowed = True
                    results.append(Outcome.failure(PAYLOAD_TOO_LARGE, f"a frame passed {self.max_bytes} bytes"))
                self._buffer = self._buffer[len(self._buffer) - keep:] if keep else bytearray()
        return results

    def spoil(self, now: float) -> None:
        """Part of the current frame was lost: it ends as unreadable instead of as a frame."""
        self._begin(now)
        self._spoiled = True

    def expire(self, now: float) -> list[Outcome[bytes]]:
        if not self._pending or now - self._last <= self.timeout_s:
            return []
        lost = len(self._buffer)
        overflowed = self._overflowed
        self._reset()
        if overflowed:
            return []                   # already reported as too large
        return [Outcome.failure(UNREADABLE, f"{lost} bytes without a terminator within {self.timeout_s}s")]

    def _begin(self, now: float) -> None:
        self._pending = True
        self._last = now

    def _end(self) -> list[Outcome[bytes]]:
        frame, spoiled, overflowed = bytes(self._buffer), self._spoiled, self._overflowed
        self._reset()
        if overflowed:
            return []
        if spoiled:
            return [Outcome.failure(UNREADABLE, f"{len(frame)} bytes with keys outside the layout")]
        return [Outcome.success(frame)]

    def _reset(self) -> None:
        self._buffer.clear()
        self._pending = self._spoiled = self._overflowed = False
