"""The ID-card reader driver over pyserial, and the poller thread that watches it for cards.

Every call returns an Outcome instead of raising, so a reader that is unplugged, hung or fed a
damaged card ends up as a named i18n key on the screen, never as a traceback.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from devices.health import Health, State
from devices.idcard import protocol
from devices.idcard.protocol import Command, FrameError, Reply, Status
from kiosk.identity import Identity
from kiosk.outcome import Outcome

log = logging.getLogger(__name__)

NO_CARD = "idcard.no_card"
SELECT_FAILED = "idcard.select_failed"
READ_FAILED = "idcard.read_failed"
BAD_FRAME = "idcard.bad_frame"
BAD_CARD = "idcard.bad_card"
READER_ABSENT = "idcard.reader_absent"

# what each status means for each command: None is success, a key is a failure
_FIND: dict[int, str | None] = {Status.CARD_FOUND: None, Status.NO_CARD: NO_CARD}
_SELECT: dict[int, str | None] = {Status.SUCCESS: None, Status.SELECT_FAILED: SELECT_FAILED, Status.NO_CARD: NO_CARD}
_READ: dict[int, str | None] = {Status.SUCCESS: None, Status.READ_FAILED: READ_FAILED}
_SAM: dict[int, str | None] = {Status.SUCCESS: None}

# pyserial waits at most this long per read call, so a reply deadline is kept to this precision
_READ_SLICE = 0.05


def _port_errors() -> tuple[type[BaseException], ...]:
    """What a vanished port raises: pyserial's own error, OSError, and termios.error from a flush."""
    import termios

    import serial
    return serial.SerialException, OSError, termios.error


class IdCardReader:
    """One SAM reader on a serial port. Not thread-safe: one owner (usually a CardPoller).

    The port opens on first use and closes itself on an I/O error, so the next call reconnects:
    give a stable path (/dev/serial/by-id/...) and an unplugged reader comes back by itself.
    """

    def __init__(self, port: str, baudrate: int = 115200, timeout: float = 2.0) -> None:
        self.port = port
        self.baudrate = baudrate
        self.timeout = timeout          # for each reply; a read of text and photo takes the longest
        self._serial: Any = None

    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> Outcome[None]:
        """Open the port if it is not open; DTR and RTS are left alone (setting them fails on a pty)."""
        if self._serial is not None:
            return Outcome.success(None)
        import serial
        try:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=_READ_SLICE,
                                         write_timeout=self.timeout)
        except _port_errors() as error:
            return Outcome.failure(READER_ABSENT, str(error))
        return Outcome.success(None)

    def close(self) -> None:
        if self._serial is not None:
            serial_port, self._serial = self._serial, None
            try:
                serial_port.close()
            except _port_errors():
                pass                    # closing a port that has gone away has nothing left to do

    def __enter__(self) -> IdCardReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sam_status(self) -> Outcome[None]:
        """Is a working SAM module answering on this port? For technicians' diagnostics."""
        return _without_value(self._command(Command.SAM_STATUS, _SAM))

    def find_card(self) -> Outcome[None]:
        """Ok while a card lies on the reader; idcard.no_card otherwise."""
        return _without_value(self._command(Command.FIND_CARD, _FIND))

    def read_card(self) -> Outcome[Identity]:
        """Find, select and read the card on the reader: its identity, or a named failure.

        The identity is stamped with when it was read and a SHA-256 of the text and photo exactly as the
        chip sent them: the centre takes these as proof the card was read in this visit (card proof)."""
        for command, meanings in ((Command.FIND_CARD, _FIND), (Command.SELECT_CARD, _SELECT)):
            step = self._command(command, meanings)
            if not step.ok:
                return step.forward()
        read = self._command(Command.READ_BASE_INFO, _READ)
        if not read.ok:
            return read.forward()
        parts = protocol.split_base_info(read.unwrap().data)
        if parts is None:
            return Outcome.failure(BAD_FRAME, "base information lengths do not add up")
        identity = protocol.decode_text(*parts)
        if isinstance(identity, protocol.TextProblem):
            return Outcome.failure(BAD_CARD, f"text: {identity.value}")
        return Outcome.success(dataclasses.replace(identity, read_at=dt.datetime.now(dt.UTC),
                                                   chip_sha256=hashlib.sha256(b"".join(parts)).hexdigest()))

    def _command(self, command: Command, meanings: dict[int, str | None]) -> Outcome[Reply]:
        """Send one request and wait for its reply, read as success or a failure key."""
        answer = self._exchange(protocol.request(command))
        if not answer.ok:
            return answer
        reply = answer.unwrap()
        if reply.sw3 not in meanings:
            return Outcome.failure(BAD_FRAME, f"{command.name}: unexpected status {reply.sw3:#04x}")
        problem = meanings[reply.sw3]
        if problem is not None:
            return Outcome.failure(problem, f"{command.name}: status {reply.sw3:#04x}")
        return Outcome.success(reply)

    def _exchange(self, request: bytes) -> Outcome[Reply]:
        opened = self.open()
        if not opened.ok:
            return opened.forward()
        port = self._serial
        decoder = protocol.ReplyDecoder()
        try:
            port.reset_input_buffer()   # a reply that came too late for the last request is stale
            port.write(request)
            deadline = time.monotonic() + self.timeout
            while time.monotonic() < deadline:
                for item in decoder.feed(port.read(max(1, port.in_waiting))):
                    if isinstance(item, Reply):
                        return Outcome.success(item)
                    return Outcome.failure(BAD_FRAME, item.value)
        except _port_errors() as error:
            self.close()
            return Outcome.failure(READER_ABSENT, str(error))
        broken = [item for item in decoder.end() if isinstance(item, FrameError)]
        if broken:
            return Outcome.failure(BAD_FRAME, broken[0].value)
        # the port is there but nothing answers: a hung reader, or something else on that port
        return Outcome.failure(READER_ABSENT, f"no reply within {self.timeout}s")


def _without_value(outcome: Outcome[Reply]) -> Outcome[None]:
    return Outcome.success(None) if outcome.ok else outcome.forward()


# one "no card" may be a glitch while a card still lies there (unverified on hardware: some readers
# are said to answer it once after a read), so removal needs a second look
_ABSENT_POLLS_FOR_REMOVAL = 2


class CardPoller:
    """Watches the reader on its own thread and reports through plain callbacks.

    A card is reported once per placement; a problem once until it changes or the card goes.
    Health is reported when its state changes: ABSENT when the port cannot be used, FAULT when
    it is open but nothing answers, OK otherwise. Callbacks run on the poller's thread.
    """

    def __init__(self, reader: IdCardReader, on_identity: Callable[[Identity], None],
                 on_problem: Callable[[str], None], on_health: Callable[[Health], None],
                 interval: float = 0.25) -> None:
        self.reader = reader
        self.interval = interval
        self._on_identity = on_identity
        self._on_problem = on_problem
        self._on_health = on_health
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._health: State | None = None
        self._card_done = False         # the card on the reader was reported (or refused)
        self._absent_polls = 0
        self._last_problem: str | None = None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("poller already started")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="idcard-poller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop polling, wait for the thread (at most one reply timeout), close the port."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.reader.close()

    def rearm(self) -> None:
        """Read the card on the reader afresh: a citizen who laid it down early is not ignored
        when the kiosk asks for it. Safe from any thread; takes effect at the next poll."""
        self._card_done, self._last_problem = False, None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._poll()
            except Exception:           # a failing callback must not stop the kiosk seeing cards
                log.exception("ID-card poller step failed")
            self._stop.wait(self.interval)

    def _poll(self) -> None:
        # once a card is reported only its removal matters, so a cheap find replaces the read. Whether this poll
        # finds or reads is taken once: rearm() from the UI thread between a find and its check made the find's
        # empty answer pass for a read, and reported no one (None) as the citizen's identity.
        done = self._card_done
        outcome: Outcome[Any] = self.reader.find_card() if done else self.reader.read_card()
        self._report_health(outcome)
        if outcome.problem == NO_CARD:
            self._absent_polls += 1
            if self._absent_polls >= _ABSENT_POLLS_FOR_REMOVAL:
                self._card_done, self._last_problem = False, None
            return
        self._absent_polls = 0
        if outcome.problem == READER_ABSENT:
            # whatever lay on the reader may be gone when it comes back: read afresh then
            self._card_done, self._last_problem = False, None
        elif done:
            return                      # the reported card is still there (or one find failed)
        elif outcome.ok:
            self._card_done, self._last_problem = True, None
            self._on_identity(outcome.unwrap())
        else:
            self._card_done = outcome.problem == BAD_CARD     # reading it again changes nothing
            self._report_problem(outcome)

    def _report_problem(self, outcome: Outcome[Any]) -> None:
        if outcome.problem != self._last_problem:
            log.info("ID card: %s (%s)", outcome.problem, outcome.detail)
            self._last_problem = outcome.problem
            self._on_problem(outcome.problem or "")

    def _report_health(self, outcome: Outcome[Any]) -> None:
        if outcome.problem != READER_ABSENT:
            state = State.OK
        elif self.reader.is_open:
            state = State.FAULT
        else:
            state = State.ABSENT
        if state is not self._health:
            self._health = state
            detail = "" if state is State.OK else outcome.detail
            log.info("ID-card reader %s %s", state.value, detail)
            self._on_health(Health("idcard", state, detail))
