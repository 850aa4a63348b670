"""A SAM ID-card reader on a pty: the driver talks to it exactly as to a USB-serial reader.

The demo lays its cards on it from a button; tests and technicians add faults (damaged replies,
a card taken away mid-read, a hung reader) and unplug or plug the reader to watch recovery.
"""
from __future__ import annotations

import dataclasses
import enum
import os
import select
import shutil
import tempfile
import threading
import tty
import weakref
from collections.abc import Callable
from pathlib import Path

from devices.face import samples
from devices.idcard import protocol
from devices.idcard.protocol import Command, FrameError, Request, Status
from kiosk.demo_people import demo_people
from kiosk.identity import Identity


class Fault(enum.Enum):
    UNSELECTABLE = "unselectable"   # a card is found but does not answer selection (a bus card, say)
    BAD_CHECKSUM = "bad_checksum"   # read replies arrive with a corrupt checksum
    CARD_MOVED = "card_moved"       # the card is taken away during the read: 0x41, and it is gone
    TRUNCATED = "truncated"         # read replies stop halfway
    SILENT = "silent"               # the reader hangs: nothing is answered


class _Line:
    """One plugged-in pty and the thread that answers requests on it."""

    def __init__(self, answer: Callable[[Request | FrameError], bytes | None]) -> None:
        self._master, self._slave = os.openpty()
        # raw before anyone opens it: an echoing line discipline would send the replies back to us
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        self.device = os.ttyname(self._slave)
        self._wake, self._waker = os.pipe()
        self._thread = threading.Thread(target=self._serve, args=(answer,), name="idcard-simulator",
                                        daemon=True)
        self._thread.start()

    def close(self) -> None:
        os.write(self._waker, b"x")
        self._thread.join()
        for fd in (self._master, self._slave, self._wake, self._waker):
            os.close(fd)

    def _serve(self, answer: Callable[[Request | FrameError], bytes | None]) -> None:
        decoder = protocol.RequestDecoder()
        while True:
            readable, _, _ = select.select([self._master, self._wake], [], [])
            if self._wake in readable:
                return
            try:
                chunk = os.read(self._master, 4096)
            except BlockingIOError:
                continue
            for item in decoder.feed(chunk):
                reply = answer(item)
                if reply and not self._send(reply):
                    return

    def _send(self, data: bytes) -> bool:
        """Write all of data unless woken to close first (a host that stopped reading can't hang us)."""
        while data:
            readable, _writable, _ = select.select([self._wake], [self._master], [])
            if readable:
                return False
            try:
                data = data[os.write(self._master, data):]
            except BlockingIOError:
                continue
        return True


_FOLDER = "kiosk24-idcard-"         # + the owner's pid + "-" + a random part


def _sweep_abandoned() -> None:
    """Remove the folders of simulators whose process died before close() (a SIGKILL): nothing else can."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_FOLDER}*-*"):
        owner = folder.name.removeprefix(_FOLDER).split("-", 1)[0]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            shutil.rmtree(folder, ignore_errors=True)


class IdCardSimulator:
    """A reader with at most one card on it, behind a stable path like /dev/serial/by-id/....

    .port is a symlink to the current pty: unplug() removes it, plug() points it at a new pty, so
    a driver that reconnects by path recovers as it would from a real USB reader. insert(),
    remove() and fault may be used from any thread; plug(), unplug(), close() from one.
    """

    def __init__(self) -> None:
        _sweep_abandoned()
        self._dir = tempfile.mkdtemp(prefix=f"{_FOLDER}{os.getpid()}-")
        self._remove_dir = weakref.finalize(self, shutil.rmtree, self._dir, ignore_errors=True)   # unclosed ones too
        self.port = os.path.join(self._dir, "reader")
        self.fault: Fault | None = None
        self.requests = 0               # requests answered or ignored: shows a driver is polling
        self._lock = threading.Lock()
        self._card: tuple[bytes, bytes] | None = None     # (text, photo)
        self._selected = False
        self._line: _Line | None = None
        self.plug()

    def __enter__(self) -> IdCardSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def plugged(self) -> bool:
        return self._line is not None

    def insert(self, card: Identity | bytes) -> None:
        """Lay a card on the reader: an identity, or a raw 256-byte text block (to test bad cards)."""
        if isinstance(card, Identity):
            text, photo = protocol.encode_text(card), card.photo or protocol.BLANK_PHOTO
        else:
            text, photo = bytes(card), protocol.BLANK_PHOTO
        if len(text) != protocol.TEXT_SIZE or len(photo) != protocol.PHOTO_SIZE:
            raise ValueError(f"a card holds {protocol.TEXT_SIZE} bytes of text and {protocol.PHOTO_SIZE} of photo")
        with self._lock:
            self._card, self._selected = (text, photo), False

    def remove(self) -> None:
        with self._lock:
            self._card, self._selected = None, False

    def plug(self) -> None:
        """Connect the reader: a new pty appears behind .port."""
        if self._line is not None:
            return
        self._line = _Line(self._answer)
        link = self.port + ".new"
        os.symlink(self._line.device, link)
        os.replace(link, self.port)         # atomic: a driver never sees a half-made link

    def unplug(self) -> None:
        """Pull the cable: .port disappears and an open driver gets I/O errors."""
        if self._line is None:
            return
        os.unlink(self.port)
        self._line.close()
        self._line = None

    def close(self) -> None:
        self.unplug()
        self._remove_dir()

    def _answer(self, item: Request | FrameError) -> bytes | None:
        with self._lock:
            self.requests += 1
            if self.fault is Fault.SILENT:
                return None
            if isinstance(item, FrameError):
                bad = Status.REQUEST_CHECKSUM if item is FrameError.BAD_CHECKSUM else Status.REQUEST_LENGTH
                return protocol.reply(bad)
            if item.command == Command.SAM_STATUS.value:
                return protocol.reply(Status.SUCCESS)
            if item.command == Command.FIND_CARD.value:
                return protocol.reply(Status.NO_CARD if self._card is None else Status.CARD_FOUND)
            if item.command == Command.SELECT_CARD.value:
                self._selected = self._card is not None and self.fault is not Fault.UNSELECTABLE
                return protocol.reply(Status.SUCCESS if self._selected else Status.SELECT_FAILED)
            if item.command == Command.READ_BASE_INFO.value:
                return self._read_reply()
            return protocol.reply(Status.UNKNOWN_COMMAND)

    def _read_reply(self) -> bytes:
        if self._card is None or not self._selected:
            return protocol.reply(Status.READ_FAILED)
        if self.fault is Fault.CARD_MOVED:
            self._card, self._selected = None, False
            return protocol.reply(Status.READ_FAILED)
        whole = protocol.reply(Status.SUCCESS, protocol.base_info(*self._card))
        if self.fault is Fault.BAD_CHECKSUM:
            return whole[:-1] + bytes([whole[-1] ^ 0xFF])
        if self.fault is Fault.TRUNCATED:
            return whole[:len(whole) // 2]
        return whole


def chip_photo(person: str) -> bytes:
    """A packaged genuine face (devices/face/sample_photos) as the chip's 1,024 photo bytes: JPEG in
    place of the vendors' WLT, padded with zeros, so the whole 人证核验 path runs without a vendor."""
    return samples.card_photo(person).ljust(protocol.PHOTO_SIZE, b"\0")


FACES = {"411502195706140321": "obama", "41150319830217439X": "biden"}     # demo cardholders with genuine faces


def demo_cards() -> list[Identity]:
    """The demo's fictional cardholders (kiosk.demo_people) as their cards read: the first two carry genuine
    face photos (a pensioner and a working-age man, for 人证核验), the others the blank one."""
    return [dataclasses.replace(person, photo=chip_photo(FACES[person.id_number]) if person.id_number in FACES
                                else protocol.BLANK_PHOTO) for person in demo_people()]
