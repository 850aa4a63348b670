"""Kiosk lockdown inside the app: no way out of the kiosk window, whatever is plugged in or pressed.

The operating system does its part (packaging/: the cage compositor shows this one window and
switches to no other, systemd restarts us); this module covers what reaches the app itself:
- no context menus (a long press on a field would offer copy and paste), no drag and drop, no
  clipboard: a previous citizen's ID number must not be pasted back, nor text dragged out (each field is
  also made without them: ui.widgets.locked);
- no key combination with Ctrl, Alt or the Super key does anything, from any keyboard, one
  plugged in later included (Qt delivers every keyboard's keys through the same events): Alt+F4
  does not close, Ctrl+W/Ctrl+Q do not quit, and none of them reaches the keypad navigation either;
- the window stays fullscreen on its screen when a display is plugged in or out, or the
  compositor changes its state;
- an uncaught exception is logged and the app exits with power.RESTART_EXIT_CODE, so systemd brings back a clean
  kiosk instead of a half-working one showing an error.
"""
from __future__ import annotations

import faulthandler
import logging
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QDragLeaveEvent,
    QDropEvent,
    QGuiApplication,
    QInputEvent,
    QKeyEvent,
    QKeySequence,
    QScreen,
    QWindowStateChangeEvent,
)
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import power
from ui.app import KIOSK_FLAGS
from ui.app_filter import app_filter

log = logging.getLogger(__name__)

BLOCKED_MODIFIERS = Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier
# Keys that mean something to a desktop, never to a kiosk, even without a modifier.
BLOCKED_KEYS = {getattr(Qt.Key, name) for name in (
    "Key_Super_L", "Key_Super_R", "Key_Meta", "Key_Menu", "Key_Close", "Key_PowerOff", "Key_PowerDown", "Key_Sleep",
    "Key_Suspend", "Key_Hibernate", "Key_Standby", "Key_LogOff", "Key_Exit", "Key_Launch0", "Key_Explorer",
    "Key_Calculator", "Key_WWW", "Key_HomePage", "Key_LaunchMail", "Key_Search", "Key_Terminal", "Key_TaskPane")}
CLIPBOARD = (QKeySequence.Copy, QKeySequence.Cut, QKeySequence.Paste)
DRAG_AND_DROP = {QEvent.DragEnter, QEvent.DragMove, QEvent.DragLeave, QEvent.Drop}
KEYS = {QEvent.KeyPress, QEvent.KeyRelease, QEvent.ShortcutOverride}


def blocked_key(event: QKeyEvent) -> bool:
    """Whether a key event could leave the kiosk, copy a citizen's data, or is a desktop's key."""
    if event.modifiers() & BLOCKED_MODIFIERS or event.key() in BLOCKED_KEYS:
        return True
    return any(event.matches(sequence) for sequence in CLIPBOARD)   # Shift+Insert pastes too


class Lockdown(QObject):
    """App-wide event filter and screen keeper for the kiosk window; install it after the window."""
    # what ui.app_filter asks it about: keys, touches, the context menu (an input event), drag and drop (QDropEvent:
    # DragEnter, DragMove and Drop), the window's state
    watches = (QInputEvent, QDropEvent, QDragLeaveEvent, QWindowStateChangeEvent)

    def __init__(self, window: QWidget, display: str = "") -> None:
        app = QApplication.instance()
        super().__init__(window)
        self.window = window
        self.display = display
        self.screen = self._configured_screen()
        app_filter().join(self)            # the last to join sees events first
        app.screenAdded.connect(self._soon)
        app.screenRemoved.connect(self._soon)
        app.primaryScreenChanged.connect(self._soon)

    def _configured_screen(self) -> QScreen:
        screens = QGuiApplication.screens()
        named = [s for s in screens if s.name() == self.display]
        if self.display and not named:
            log.warning("display %r not connected (have %s): using the primary screen", self.display,
                        ", ".join(s.name() for s in screens))
        return named[0] if named else QGuiApplication.primaryScreen()

    def place(self) -> None:
        """Fullscreen and frameless on the configured screen (the primary when it is gone)."""
        if self.screen not in QGuiApplication.screens() or self.display:
            self.screen = self._configured_screen()
        window = self.window
        if window.windowFlags() & KIOSK_FLAGS != KIOSK_FLAGS:      # setting them recreates the native window: a flash
            window.setWindowFlags(window.windowFlags() | KIOSK_FLAGS)
        window.setScreen(self.screen)
        window.setGeometry(self.screen.geometry())     # without a window manager showFullScreen alone is not enough
        window.showFullScreen()

    def _soon(self, *_args: object) -> None:
        """After Qt has finished its own reaction to the change, put the window back."""
        QTimer.singleShot(0, self.place)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind in KEYS:
            if not blocked_key(event):
                return False
            if kind == QEvent.ShortcutOverride:
                event.accept()              # claimed here, so no shortcut anywhere fires on it either
            elif kind == QEvent.KeyPress:
                log.info("key combination ignored (kiosk lockdown)")
            return True
        if kind == QEvent.ContextMenu or kind in DRAG_AND_DROP:
            return True
        if kind == QEvent.MouseButtonPress and event.button() == Qt.MiddleButton:
            return True                     # middle-click pastes the selection on Linux
        if watched is self.window and kind == QEvent.WindowStateChange and not self.window.isFullScreen():
            self._soon()
        return False


def install_crash_hook(exit_code: int = power.RESTART_EXIT_CODE) -> None:
    """Log an uncaught exception and end the app with exit_code, so systemd restarts a clean kiosk.

    PySide6 hands an exception raised in a slot or event handler to sys.excepthook and carries on;
    on a kiosk carrying on means a screen in an unknown state with a citizen in front of it. Only
    the type and the stack are logged: an exception's message may hold a citizen's data.
    """
    faulthandler.enable()     # a crash in Qt's C++ leaves its Python stack in the journal

    def report(kind: type[BaseException], value: BaseException | None, tb: TracebackType | None) -> None:
        stack = "".join(traceback.format_tb(tb))
        log.critical("uncaught %s; restarting the kiosk\n%s", kind.__name__, stack)
        app = QApplication.instance()
        if app is not None:
            QTimer.singleShot(0, app, lambda: app.exit(exit_code))    # queued: safe from any thread
        else:
            sys.exit(exit_code)

    sys.excepthook = report
    threading.excepthook = lambda args: report(args.exc_type, args.exc_value, args.exc_traceback)
