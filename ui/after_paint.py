"""Work that waits for the screen: calls run on the UI thread once the screen being shown has been painted.

Qt posts a window's paint at low priority; a call posted at that priority joins the queue after it. The tap that
changed the screen is answered first, what can wait (a receipt's printing, the sync worker's push, deleting the
screen that went) comes after.
"""
from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

_TURN = QEvent.Type(QEvent.registerEventType())     # a queued call's turn has come


class AfterPaint(QObject):
    """A queue of calls, each run once the screen painted before it was queued has been drawn."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._calls: deque[Callable[[], None]] = deque()

    def add(self, call: Callable[[], None]) -> None:
        self._calls.append(call)
        QCoreApplication.postEvent(self, QEvent(_TURN), Qt.EventPriority.LowEventPriority.value)

    def customEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == _TURN and self._calls:
            self._calls.popleft()()


@functools.cache
def _deletions() -> AfterPaint:
    """The queue of widgets to delete, made on the UI thread by the first discard: it lives as long as the kiosk."""
    return AfterPaint()


def delete_after_paint(widget: QWidget) -> None:
    """widget deleted once the next screen is drawn: deleting a screen's ~70 widgets on the loop's next turn
    came before that screen's paint, in every screen change (bench.transitions, the standard mode: the form's
    40 -> 26-29 ms, the guide's 52 -> 35-37 ms)."""
    def delete() -> None:
        if shiboken6.isValid(widget):       # its parent, deleted first, may have taken it along
            widget.deleteLater()
    _deletions().add(delete)
