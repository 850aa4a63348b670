"""The one scanner interface, and the thread, gate and reporting every source shares.

A source (camera, keyboard wedge, serial) runs on its own thread and reports through three plain
callbacks, called on that thread: a Code, a problem (an i18n key), a change of Health. ui/ turns
them into Qt signals in its bridge.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from devices.health import Health, State
from devices.scanner.payload import Code, Gate, PayloadRules, Symbology
from kiosk.outcome import Outcome

log = logging.getLogger(__name__)
T = TypeVar("T")

OnCode = Callable[[Code], None]
OnProblem = Callable[[str], None]
OnHealth = Callable[[Health], None]

# how long a source waits before it looks for its device again
RECONNECT_S = 1.0


class Scanner(Protocol):
    def start(self, on_code: OnCode, on_problem: OnProblem, on_health: OnHealth) -> None: ...

    def stop(self) -> None: ...


class ThreadedScanner:
    """Base of the sources: _serve() talks to the device until it fails or stop() is called.

    _serve() returns when it cannot use the device (having reported its health) and raises when
    the device fails under it (reported absent here); either way it is served again after
    RECONNECT_S, so an unplugged scanner comes back without a restart.
    """

    source = ""

    def __init__(self, rules: PayloadRules) -> None:
        self.rules = rules
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._gate = Gate(rules, self.source)
        self._on_code: OnCode = _ignore
        self._on_problem: OnProblem = _ignore
        self._on_health: OnHealth = _ignore
        self._health: State | None = None

    def start(self, on_code: OnCode, on_problem: OnProblem, on_health: OnHealth) -> None:
        if self._thread is not None:
            raise RuntimeError("scanner already started")
        self._on_code, self._on_problem, self._on_health = on_code, on_problem, on_health
        self._gate = Gate(self.rules, self.source)
        self._health = None
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"scanner-{self.source}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop and wait for the thread; a source notices within its read slice."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _serve(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._serve()
            except Exception as error:       # a device that fails in any way is retried, never fatal
                log.debug("scanner %s failed", self.source, exc_info=True)
                self._report_health(State.ABSENT, f"{self.source}: {error}")
            self._stop.wait(RECONNECT_S)

    def _admit(self, raw: bytes, symbology: Symbology = Symbology.UNKNOWN, declared: str | None = None) -> None:
        outcome = self._gate.admit(raw, symbology, time.monotonic(), declared)
        if outcome is None:
            return
        if outcome.ok:
            log.info("scanner %s: %r", self.source, outcome.value)
            _call(self._on_code, outcome.unwrap())
        else:
            self._report_problem(outcome)

    def _report_frames(self, frames: list[Outcome[bytes]]) -> None:
        for frame in frames:
            if frame.ok:
                self._admit(frame.unwrap())
            else:
                self._report_problem(frame)

    def _report_problem(self, outcome: Outcome[Any]) -> None:
        log.info("scanner %s: %s (%s)", self.source, outcome.problem, outcome.detail)
        _call(self._on_problem, outcome.problem or "")

    def _report_health(self, state: State, detail: str = "") -> None:
        if state is not self._health:
            self._health = state
            log.info("scanner %s %s %s", self.source, state.value, detail)
            _call(self._on_health, Health("scanner", state, detail))


def _call(callback: Callable[[T], None], value: T) -> None:
    """A failing callback must not stop the kiosk seeing codes."""
    try:
        callback(value)
    except Exception:
        log.exception("scanner callback failed")


def _ignore(value: object) -> None:
    """Callbacks before start()."""
