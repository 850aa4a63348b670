"""USB HID keyboard-wedge scanners, read from their own input device with an exclusive grab.

Such a scanner is a keyboard that types the payload and presses Enter. Read through the desktop,
its keys would land in whatever text field has focus; read from /dev/input/event* with EVIOCGRAB,
only Kiosk24 sees them. The device file is read with the standard library: struct input_event
records and one ioctl are all it takes, with no compiled extension to install, and the simulator
writes the same records into a pipe, so tests run this reader on real kernel bytes.

Key events become characters through a US keyboard layout (KeyDecoder, a pure class), and
characters become frames ended by Enter through the same Framer as serial scanners.
"""
from __future__ import annotations

import errno
import fcntl
import glob
import os
import select
import struct
import time

from devices.health import State
from devices.scanner.framing import Framer
from devices.scanner.payload import PayloadRules
from devices.scanner.source import ThreadedScanner

# struct input_event: struct timeval (two longs), __u16 type, __u16 code, __s32 value
EVENT = struct.Struct("@llHHi")
EV_KEY = 1
KEY_UP, KEY_DOWN = 0, 1
EVIOCGRAB = 0x40044590              # _IOW('E', 0x90, int)

KEY_ENTER, KEY_KPENTER = 28, 96
_SHIFT = {42, 54}                   # KEY_LEFTSHIFT, KEY_RIGHTSHIFT
_CTRL = {29, 97}                    # KEY_LEFTCTRL, KEY_RIGHTCTRL
_ALT = {56, 100}                    # KEY_LEFTALT, KEY_RIGHTALT: no layout character comes with Alt
_IGNORED = {58, 69, 70}             # KEY_CAPSLOCK, KEY_NUMLOCK, KEY_SCROLLLOCK: keycodes are read unlocked


def _row(first_code: int, plain: str, shifted: str) -> dict[int, tuple[str, str]]:
    return {first_code + i: pair for i, pair in enumerate(zip(plain, shifted, strict=True))}


# linux/input-event-codes.h, US layout: keycode -> (plain, with Shift)
US_LAYOUT: dict[int, tuple[str, str]] = {
    **_row(2, "1234567890-=", "!@#$%^&*()_+"),
    15: ("\t", "\t"),
    **_row(16, "qwertyuiop[]", "QWERTYUIOP{}"),
    **_row(30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
    **_row(43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
    55: ("*", "*"), 57: (" ", " "),
    **_row(71, "789-456+1230.", "789-456+1230."),       # the keypad, which some scanners type digits on
    98: ("/", "/"),
}


class KeyDecoder:
    """Key events of one keyboard to bytes: a layout character, Enter as CR, Ctrl+letter as the
    control byte (scanners send GS1's FNC1 as Ctrl+]). A press it cannot map is UNMAPPED."""

    UNMAPPED = b""

    def __init__(self, layout: dict[int, tuple[str, str]] = US_LAYOUT) -> None:
        self.layout = layout
        self._held: set[int] = set()

    def feed(self, code: int, value: int) -> bytes | None:
        """None for events that carry no character (releases, modifiers, repeats)."""
        if value == KEY_UP:
            self._held.discard(code)
            return None
        if value != KEY_DOWN or code in _IGNORED:
            return None
        if code in _SHIFT | _CTRL | _ALT:
            self._held.add(code)
            return None
        if code in (KEY_ENTER, KEY_KPENTER):
            return b"\r"
        if code not in self.layout or self._held & _ALT:
            return self.UNMAPPED
        char = self.layout[code][1 if self._held & _SHIFT else 0]
        if self._held & _CTRL:
            return bytes([ord(char.upper()) & 0x1F]) if "@" <= char.upper() <= "_" else self.UNMAPPED
        return char.encode("ascii")


def find_device(pattern: str) -> str | None:
    """The first path matching pattern, e.g. /dev/input/by-id/usb-*Scanner*-event-kbd."""
    matches = sorted(glob.glob(pattern))
    return matches[0] if matches else None


class HidScanner(ThreadedScanner):
    """A keyboard-wedge scanner found by a /dev/input/by-id pattern (its name survives replugging).

    exclusive=False skips the grab, for a pipe from the simulator, which is no input device.
    """

    source = "hid"

    def __init__(self, pattern: str, rules: PayloadRules = PayloadRules(), frame_timeout_s: float = 0.3,
                 exclusive: bool = True) -> None:
        super().__init__(rules)
        self.pattern = pattern
        self.frame_timeout_s = frame_timeout_s
        self.exclusive = exclusive

    def _serve(self) -> None:
        path = find_device(self.pattern)
        if path is None:
            self._report_health(State.ABSENT, f"hid: nothing matches {self.pattern}")
            return
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            if not self.exclusive or self._grabbed(fd, path):
                self._read_events(fd)
        finally:
            os.close(fd)

    def _grabbed(self, fd: int, path: str) -> bool:
        """Without the grab, scans would also type into the desktop: then the scanner is not used."""
        try:
            fcntl.ioctl(fd, EVIOCGRAB, 1)
        except OSError as error:
            reason = "taken by another program" if error.errno == errno.EBUSY else error.strerror
            self._report_health(State.FAULT, f"hid: {path} cannot be grabbed: {reason}")
            return False
        return True

    def _read_events(self, fd: int) -> None:
        keys = KeyDecoder()
        framer = Framer(b"\r", self.frame_timeout_s, self.rules.max_bytes)
        pending = b""
        self._report_health(State.OK)
        while not self._stop.is_set():
            readable, _, _ = select.select([fd], [], [], 0.05)
            now = time.monotonic()
            if not readable:
                self._report_frames(framer.expire(now))
                continue
            try:
                chunk = os.read(fd, EVENT.size * 64)
            except BlockingIOError:
                continue
            if not chunk:
                raise OSError(errno.ENODEV, "the input device went away")
            pending += chunk
            whole = len(pending) - len(pending) % EVENT.size
            for _, _, kind, code, value in EVENT.iter_unpack(pending[:whole]):
                if kind != EV_KEY:
                    continue
                typed = keys.feed(code, value)
                if typed == KeyDecoder.UNMAPPED:
                    framer.spoil(now)
                elif typed:
                    self._report_frames(framer.feed(typed, now))
            pending = pending[whole:]
