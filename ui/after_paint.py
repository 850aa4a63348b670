"""Work that waits for the screen: calls run on the UI thread once the screen being shown has been painted.

Qt posts a window's paint at low priority; a call posted at that priority joins the queue after it. The tap that
changed the screen is answered first, what can wait (a receipt's printing, the sync worker's push, deleting the
screen that went) comes after. A screen that went lives on, hidden, until then: what it queued for itself (a
cursor put in its first field, a page's flick) is dropped, not run on a screen no citizen sees.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

_TURN = QEvent.Type(QEvent.registerEventType())     # a queued call's turn has come
GONE = "gone"       # the property of a widget retired: it and all in it are on their way out


class AfterPaint(QObject):
    """A queue of calls, each run once the screen painted before it was queued has been drawn."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._calls: deque[Callable[[], None]] = deque()

    def add(self, call: Callable[[], None]) -> None:
        self._calls.append(call)
        QCoreApplication.postEvent(self, QEvent(_TURN), Qt.EventPriority.LowEventPriority.value)

    def waiting(self) -> int:
        """How many calls wait for their turn (a test's sign that the screen is complete)."""
        return len(self._calls)

    def customEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == _TURN and self._calls:
            self._calls.popleft()()

    def retire(self, widget: QWidget) -> None:
        """widget hidden now and deleted once the next screen is drawn: deleting a screen's ~70 widgets on the
        loop's next turn came before that screen's paint, in every screen change (bench.transitions, 10 visits, the
        p95 of all changes: standard mode 54.6 -> 43.8 ms, large text 55.2 -> 41.0, the accessible 53.6 -> 42.3)."""
        widget.hide()
        widget.setProperty(GONE, True)

        def delete() -> None:
            if shiboken6.isValid(widget):       # its parent, deleted first, may have taken it along
                widget.deleteLater()
        self.add(delete)


def gone(widget: QWidget) -> bool:
    """Whether widget is in a retired one, on its way out."""
    at: QWidget | None = widget
    while at is not None:
        if at.property(GONE):
            return True
        at = at.parentWidget()
    return False


def unless_gone(context: QWidget, call: Callable[[], None]) -> Callable[[], None]:
    """call, for later: dropped if context has gone by then (with its screen, or deleted)."""
    return lambda: None if not shiboken6.isValid(context) or gone(context) else call()


def soon(context: QWidget, call: Callable[[], None]) -> None:
    """call on the loop's next turn, unless context has gone by then (with its screen, or deleted)."""
    QTimer.singleShot(0, context, unless_gone(context, call))
