"""Scanners without hardware, each speaking to the real source over a real channel.

- camera_frames(): images letterboxed into 1280x720 camera frames, as an image sequence or a
  video file that CameraScanner opens with cv2.VideoCapture like a camera;
- HidSimulator: a FIFO behind a by-id style path, fed the struct input_event records a kernel
  writes for a keyboard-wedge scanner (machines without /dev/uinput cannot make a virtual one);
- SerialScannerSimulator: a pty behind a stable path, as a USB-CDC scanner appears.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
import tty
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from devices.scanner.camera import FRAME_SIZE
from devices.scanner.hid import EV_KEY, EVENT, KEY_DOWN, KEY_ENTER, KEY_UP, US_LAYOUT

Image = Any

EV_SYN, EV_MSC, MSC_SCAN = 0, 4, 4
KEY_LEFTSHIFT, KEY_LEFTCTRL = 42, 29


def letterbox(image: Image, size: tuple[int, int] = FRAME_SIZE, fill: int = 128) -> Image:
    """The image centred in a grey frame of size (width, height), shrunk to fit, never enlarged."""
    import cv2
    import numpy as np
    width, height = size
    scale = min(width / image.shape[1], height / image.shape[0], 1.0)
    if scale < 1.0:
        image = cv2.resize(image, (int(image.shape[1] * scale), int(image.shape[0] * scale)),
                           interpolation=cv2.INTER_AREA)
    frame = np.full((height, width, *image.shape[2:]), fill, np.uint8)
    top, left = (height - image.shape[0]) // 2, (width - image.shape[1]) // 2
    frame[top:top + image.shape[0], left:left + image.shape[1]] = image
    return frame


def camera_frames(images: Iterable[Image | Path | None], target: Path) -> str:
    """Write the images as camera frames (None: an empty frame, as when a code is taken away) and
    return what to give CameraScanner: target itself when it ends in .avi (MJPEG), else target
    is a directory and the result a lossless PNG sequence pattern in it."""
    import cv2
    import numpy as np
    frames = []
    for image in images:
        if isinstance(image, Path):
            image = cv2.imread(str(image), cv2.IMREAD_GRAYSCALE)
        frames.append(np.full(FRAME_SIZE[::-1], 128, np.uint8) if image is None else letterbox(image))
    if target.suffix == ".avi":
        writer = cv2.VideoWriter(str(target), cv2.VideoWriter.fourcc(*"MJPG"), 15, FRAME_SIZE)
        for frame in frames:
            writer.write(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR) if frame.ndim == 2 else frame)
        writer.release()
        return str(target)
    target.mkdir(parents=True, exist_ok=True)
    for number, frame in enumerate(frames):
        cv2.imwrite(str(target / f"frame{number:04d}.png"), frame)
    return str(target / "frame%04d.png")


def _keys_for(char: str) -> tuple[set[int], int]:
    """(modifiers, key) that type char on the US layout; control bytes go as Ctrl+key."""
    if char == "\r":
        return set(), KEY_ENTER
    if ord(char) < 0x20 and char != "\t":
        modifiers, key = _keys_for(chr(ord(char) | 0x40).lower())
        return modifiers | {KEY_LEFTCTRL}, key
    for code, (plain, shifted) in US_LAYOUT.items():
        if char == plain:
            return set(), code
        if char == shifted:
            return {KEY_LEFTSHIFT}, code
    raise ValueError(f"{char!r} cannot be typed on a US keyboard")


def key_events(text: str) -> list[tuple[int, int, int]]:
    """The (type, code, value) events a keyboard-wedge scanner sends to type text, as a kernel
    reports them: a scancode before each key, a SYN after each press or release."""
    events: list[tuple[int, int, int]] = []
    for char in text:
        modifiers, key = _keys_for(char)
        for code, value in [(m, KEY_DOWN) for m in sorted(modifiers)] + [(key, KEY_DOWN), (key, KEY_UP)] \
                + [(m, KEY_UP) for m in sorted(modifiers)]:
            events += [(EV_MSC, MSC_SCAN, code), (EV_KEY, code, value), (EV_SYN, 0, 0)]
    return events


class HidSimulator:
    """A keyboard-wedge scanner: give HidScanner .pattern (with exclusive=False: a FIFO cannot be
    grabbed), then scan(). unplug() and plug() remove and bring back the device file."""

    NAME = "usb-Kiosk24_Simulated_Scanner-event-kbd"

    def __init__(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="kiosk24-hid-")
        self.pattern = os.path.join(self._dir, "usb-*Scanner*-event-kbd")
        self._path = os.path.join(self._dir, self.NAME)
        self._fd: int | None = None
        self.plug()

    def __enter__(self) -> HidSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def scan(self, text: str, enter: bool = True) -> None:
        """Type text, then Enter unless enter is False (a scan cut short)."""
        self.send(key_events(text + ("\r" if enter else "")))

    def send(self, events: list[tuple[int, int, int]]) -> None:
        if self._fd is None:
            raise RuntimeError("the simulated scanner is unplugged")
        now = time.time()
        records = b"".join(EVENT.pack(int(now), int(now % 1 * 1e6), kind, code, value)
                           for kind, code, value in events)
        os.write(self._fd, records)

    def plug(self) -> None:
        if self._fd is None:
            os.mkfifo(self._path)
            # read-write, so opening needs no reader yet and the FIFO never reads as closed
            self._fd = os.open(self._path, os.O_RDWR)

    def unplug(self) -> None:
        if self._fd is not None:
            os.unlink(self._path)
            os.close(self._fd)
            self._fd = None

    def close(self) -> None:
        self.unplug()
        shutil.rmtree(self._dir, ignore_errors=True)


class SerialScannerSimulator:
    """A USB-CDC scanner on a pty: give SerialScanner .port, then scan() or send() raw bytes.
    .port is a symlink that unplug() removes and plug() points at a new pty."""

    def __init__(self, suffix: bytes = b"\r") -> None:
        self.suffix = suffix
        self._dir = tempfile.mkdtemp(prefix="kiosk24-serial-scanner-")
        self.port = os.path.join(self._dir, "scanner")
        self._fds: tuple[int, int] | None = None
        self.plug()

    def __enter__(self) -> SerialScannerSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def scan(self, payload: bytes) -> None:
        self.send(payload + self.suffix)

    def send(self, data: bytes) -> None:
        """Raw bytes: garbage, half a frame, several frames at once."""
        if self._fds is None:
            raise RuntimeError("the simulated scanner is unplugged")
        view = memoryview(data)
        while view:
            view = view[os.write(self._fds[0], view):]

    def plug(self) -> None:
        if self._fds is None:
            master, slave = os.openpty()
            tty.setraw(slave)           # before the driver opens it: no echo, no line editing
            self._fds = (master, slave)
            link = self.port + ".new"
            os.symlink(os.ttyname(slave), link)
            os.replace(link, self.port)

    def unplug(self) -> None:
        if self._fds is not None:
            os.unlink(self.port)
            for fd in self._fds:
                os.close(fd)
            self._fds = None

    def close(self) -> None:
        self.unplug()
        shutil.rmtree(self._dir, ignore_errors=True)
