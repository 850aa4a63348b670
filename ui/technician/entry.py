"""Technician mode's way in and out: the hidden gesture and PIN pad, the centre's QR token, the audit
trail of both, and the automatic leave after inactivity.

Entering wipes the citizen's session first, so a technician never sees what a citizen left behind;
leaving wipes it again and the attract screen is shown.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QWidget

from devices.scanner.payload import Code
from kiosk import accessibility as a11y
from kiosk.config import Config
from kiosk.i18n import Translator
from kiosk.ports import MessageQueue
from kiosk.session import State
from kiosk.technician import (
    AUDIT_FILE,
    LOCKED,
    PIN_FILE,
    WRONG_PIN,
    Attempt,
    AuditTrail,
    PinStore,
    TokenGate,
    is_token,
)
from ui.app_filter import app_filter
from ui.bridge import Bridge
from ui.idle import IdleWatch
from ui.technician import gesture
from ui.technician.context import TechContext
from ui.technician.operations import Operations
from ui.technician.pages import pages
from ui.technician.pinpad import PinPad
from ui.technician.shell import Shell
from ui.theme import Theme

if TYPE_CHECKING:
    from ui.mainwindow import MainWindow

PIN_TECHNICIAN = "pin"      # who entered by the kiosk's PIN: the PIN names no one


class Technician(QObject):
    """Watches the attract screen for the gesture, takes tokens from the code scanner, owns the layers."""
    watches = (QKeyEvent, QMouseEvent)      # what ui.app_filter asks it about

    def __init__(self, window: MainWindow, config: Config, messages: MessageQueue | None, bridge: Bridge,
                 ops: Operations, tokens: TokenGate, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.ops = ops                  # the kiosk as the pages act on it (ui/technician/operations.py)
        self.window = window
        self.config = config
        self.messages = messages
        self.bridge = bridge
        self.tokens = tokens            # centre-signed QR tokens, each once, checked by the centre's time
        self.pins = PinStore(config.data_dir / PIN_FILE)
        self.trail = AuditTrail(config.data_dir / AUDIT_FILE, messages)
        self.gesture = gesture.Gesture(clock)
        self.who = ""
        self.pad: PinPad | None = None
        self.shell: Shell | None = None
        self._seen: tuple[int, int] | None = None
        self.idle = IdleWatch(config.technician_timeout_s, 0, lambda _left: None, self.timed_out, lambda: None)
        self.idle.setParent(self)
        app_filter().join(self.idle)
        app_filter().join(self)
        bridge.code_scanned.connect(self._scanned)

    @property
    def active(self) -> bool:
        return self.pad is not None or self.shell is not None

    def audit(self, action: str, detail: str = "", who: str | None = None) -> None:
        """Off the UI thread: the trail syncs its file to disk and writes the message queue."""
        technician = self.who if who is None else who
        self.bridge.run(lambda: self.trail.record(technician, action, detail), lambda _event: None)

    # -- the gesture ---------------------------------------------------------------------------
    def corner(self, where: QPoint) -> gesture.Corner:
        side = a11y.px(gesture.CORNER_MM, self.window.ppi)
        if where.y() < side and where.x() < side:
            return gesture.Corner.TOP_LEFT
        if where.y() < side and where.x() >= self.window.width() - side:
            return gesture.Corner.TOP_RIGHT
        return gesture.Corner.ELSEWHERE

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(event, (QKeyEvent, QMouseEvent)):    # cheap on every other event of the application
            return False
        kind = event.type()
        if kind in (QEvent.KeyPress, QEvent.KeyRelease) and self.active:
            # the tactile keypad must not work the screens beneath (the window passes keys on to its widgets)
            return isinstance(watched, QWidget) and watched.window() is self.window and not self._on_cover(watched)
        if kind not in (QEvent.MouseButtonPress, QEvent.MouseButtonRelease) or self.active:
            return False
        if self.window.session.state is not State.ATTRACT or not isinstance(watched, QWidget) \
                or watched.window() is not self.window:
            return False
        assert isinstance(event, QMouseEvent)
        seen = (int(kind), event.timestamp())
        if seen == self._seen:           # the same touch offered again to the widget's parents
            return False
        self._seen = seen
        corner = self.corner(self.window.mapFromGlobal(event.globalPosition().toPoint()))
        if kind == QEvent.MouseButtonRelease:
            self.gesture.release(corner)
        elif self.gesture.press(corner):
            self.open_pad()
        return False

    def _on_cover(self, watched: QWidget) -> bool:
        covers = [cover for cover in (self.pad, self.shell) if cover is not None]
        return any(cover is watched or cover.isAncestorOf(watched) for cover in covers)

    # -- the PIN -------------------------------------------------------------------------------
    def open_pad(self) -> None:
        self.wipe_citizen()
        self.pad = PinPad(self.window, self.config.language, self.enter_pin, self.cancel_pad, self.window.access.ppi)
        self.pad.show()
        self.pad.raise_()
        self.pad.field.setFocus()
        self.idle.arm(True)
        if not self.pins.is_set:
            self.pad.refused(Attempt(False, "technician.problem.no_pin"))
        else:
            self.pad.lock(self.pins.locked_until())

    def cancel_pad(self) -> None:
        if self.pad is not None:
            self.pad.remove()
            self.pad = None
        self.idle.arm(self.shell is not None)

    def enter_pin(self, pin: str) -> None:
        self.bridge.run(lambda: self.pins.check(pin), self._checked)

    def _checked(self, attempt: Attempt) -> None:
        if not isinstance(attempt, Attempt):     # the check itself failed (Bridge.run's failure): no entry
            attempt = Attempt(False, "technician.problem.unexpected")
        if attempt.ok:
            self.audit("entry", "pin", who=PIN_TECHNICIAN)
            self.open_shell(PIN_TECHNICIAN)
            return
        if attempt.problem == WRONG_PIN:
            self.audit("pin_failed", f"{attempt.left} left", who=PIN_TECHNICIAN)
        elif attempt.problem == LOCKED and attempt.fresh:
            self.audit("pin_failed", "0 left", who=PIN_TECHNICIAN)
            self.audit("lockout", f"until {attempt.until.isoformat() if attempt.until else ''}", who=PIN_TECHNICIAN)
        elif attempt.problem == LOCKED:
            self.audit("pin_while_locked", "", who=PIN_TECHNICIAN)
        if self.pad is not None:
            self.pad.refused(attempt)

    # -- the token -----------------------------------------------------------------------------
    def _scanned(self, code: Code) -> None:
        if code.text is not None:
            self.accept_code(code.text)

    def accept_code(self, text: str) -> bool:
        """A scanned code: True when it was a technician token (accepted or refused), so no one else acts on it."""
        if not is_token(text):
            return False
        if self.shell is not None:
            return True                  # the same token seen again by the camera, or a scanner test
        if self.window.session.state is State.SUBMITTING:
            return True                  # a citizen's application is being written: not now
        checked = self.tokens.check(text)
        if not checked.ok:
            self.audit("token_refused", f"{checked.problem}: {checked.detail}", who="")
            if self.pad is not None:
                self.pad.refused(None, checked.problem)
            return True
        token = checked.value
        assert token is not None
        self.audit("entry", f"token until {token.expires.isoformat()}", who=token.name)
        self.cancel_pad()
        self.wipe_citizen()
        self.open_shell(token.name)
        return True

    # -- the shell -----------------------------------------------------------------------------
    def open_shell(self, who: str) -> None:
        self.who = who
        self.cancel_pad()
        if self.shell is None:
            self.shell = Shell(self.window, pages(), self.config.language, self.context, self.leave,
                               on_page=lambda key: self.audit("page", key), ppi=self.window.access.ppi)
            self.shell.show()
            self.shell.raise_()
            self.shell.entry(self.shell.current).setFocus()
        self.idle.arm(True)

    def context(self, tr: Translator, theme: Theme, width: int) -> TechContext:
        return TechContext(self.ops, self.bridge, lambda action, detail: self.audit(action, detail), tr, theme,
                           technician=self.who, width=width)

    def leave(self, reason: str = "button") -> None:
        if self.shell is not None:
            self.audit("leave", reason)
            self.shell.remove()
            self.shell = None
        self.cancel_pad()
        self.who = ""
        self.wipe_citizen()

    def timed_out(self) -> None:
        self.leave("timeout")

    def wipe_citizen(self) -> None:
        """Whatever state a citizen left the kiosk in, it is the attract screen with nothing of them."""
        controller = self.window.controller
        if controller.session.state is not State.ATTRACT:
            controller.home()
        else:
            controller.session.wipe()
            controller.changed.emit()
