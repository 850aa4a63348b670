"""Taps and keys held while the kiosk is still coming up behind its first frame, acted on once it is up.

The attract screen is painted before the store, the sync worker, the devices and the voice exist
(ui/bootstrap.py). A citizen who touches it in that second must neither be answered by a half-built
kiosk nor lose the touch: the touch waits here and reaches the same spot of the finished window.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from ui.app_filter import app_filter

if TYPE_CHECKING:
    from PySide6.QtGui import QWindow

log = logging.getLogger(__name__)

MOUSE = (QEvent.MouseButtonPress, QEvent.MouseButtonRelease, QEvent.MouseButtonDblClick)
KEYS = (QEvent.KeyPress, QEvent.KeyRelease)
MOST = 32        # a hand resting on the glass for the whole bring-up is not a queue to replay


class Held(NamedTuple):       # not a dataclass: making one costs 0.6 ms, on the way to the first frame
    kind: QEvent.Type
    at: QPoint | None                # mouse: where in the window; keys: None
    event: QMouseEvent | QKeyEvent   # a copy: Qt reuses the one it delivered


class HeldInput(QObject):
    """Holds the window's mouse presses, releases and keys until `release()`, then delivers them in order.
    Touches reach widgets as the mouse events Qt makes of them, so holding those holds a finger too."""
    watches = (QKeyEvent, QMouseEvent)      # what ui.app_filter asks it about

    def __init__(self, window: QWidget, showing: Callable[[], object]) -> None:
        """showing: what the window shows now (its screen): once a delivered tap changes it, the taps after
        were aimed at a screen that is gone, and are dropped."""
        super().__init__(window)
        self.window = window
        self.showing = showing
        self.held: list[Held] = []
        self.holding = True
        self.handle: QWindow | None = None
        app_filter().join(self)            # the last to join is asked first

    def hold_at(self, handle: QWindow) -> None:
        """Hold input at the shown window's QWindow too, where the platform delivers it before any widget sees
        it: for while the application's filter is off (ui.runner, until the first paint)."""
        self.handle = handle
        handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if not self.holding or kind not in MOUSE + KEYS:
            return False
        if watched is self.handle:              # the QWindow's coordinates are the window's
            at = event.position().toPoint() if isinstance(event, QMouseEvent) else None
        elif isinstance(watched, QWidget) and (watched is self.window or self.window.isAncestorOf(watched)):
            at = watched.mapTo(self.window, event.position().toPoint()) if isinstance(event, QMouseEvent) else None
        else:
            return False
        if len(self.held) < MOST:
            if isinstance(event, QMouseEvent):
                self.held.append(Held(kind, at, event.clone()))
            elif isinstance(event, QKeyEvent):
                self.held.append(Held(kind, None, event.clone()))
        return True

    def release(self) -> None:
        """Stop holding and deliver what was held to the window as it is now."""
        if not self.holding:
            return
        self.holding = False
        app_filter().leave(self)
        if self.handle is not None and isValid(self.handle):
            self.handle.removeEventFilter(self)
        held, self.held = self.held, []
        if held:
            log.info("%d taps and keys held during start-up, delivered now", len(held))
        pressed: QWidget | None = None       # a release goes where its press went, if that is still there
        aimed_at = self.showing()
        for index, item in enumerate(held):
            if self.showing() is not aimed_at:
                log.info("%d held taps and keys dropped: the screen they were aimed at has gone", len(held) - index)
                return
            if item.at is None:
                QApplication.sendEvent(QApplication.focusWidget() or self.window, item.event)
                continue
            target = self.window.childAt(item.at) or self.window
            if item.kind == QEvent.MouseButtonRelease:
                if pressed is None or not isValid(pressed):
                    continue
                target = pressed
            elif item.kind == QEvent.MouseButtonPress:
                pressed = target
            _send_mouse(target, target.mapFrom(self.window, item.at), item.event)


def _send_mouse(target: QWidget, at: QPoint, original: QEvent) -> None:
    assert isinstance(original, QMouseEvent)
    local = QPointF(at)
    QApplication.sendEvent(target, QMouseEvent(original.type(), local, QPointF(target.mapToGlobal(at)),
                                               original.button(), original.buttons(), original.modifiers()))
