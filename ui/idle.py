"""Idle watch: no touch for a while → a warning with a countdown → back to the start, session wiped."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QInputEvent

_ACTIVITY = {QEvent.MouseButtonPress, QEvent.TouchBegin, QEvent.KeyPress, QEvent.Wheel}


class IdleWatch(QObject):
    """Counts seconds without input; `on_warning(seconds_left)` then `on_timeout()`."""
    watches = (QInputEvent,)        # what ui.app_filter asks it about

    def __init__(self, timeout_s: int, warning_s: int, on_warning: Callable[[int], None],
                 on_timeout: Callable[[], None], on_active: Callable[[], None]) -> None:
        super().__init__()
        self.timeout_s, self.warning_s = timeout_s, warning_s
        self.on_warning, self.on_timeout, self.on_active = on_warning, on_timeout, on_active
        self.idle_s = 0
        self.armed = False
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._second)

    def arm(self, armed: bool) -> None:
        """Only a screen with a citizen on it times out; the attract screen waits forever."""
        self.armed = armed
        self.idle_s = 0
        self._tick.start() if armed else self._tick.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # an application-wide filter sees every event (a screen built is thousands): the cheap tests first,
        # as event.type() makes a Python enum each time
        if self.armed and isinstance(event, QInputEvent) and event.type() in _ACTIVITY:
            warned = self.idle_s >= self.timeout_s - self.warning_s
            self.idle_s = 0
            if warned:
                self.on_active()
        return False

    def _second(self) -> None:
        self.idle_s += 1
        left = self.timeout_s - self.idle_s
        if left <= 0:
            self.arm(False)
            self.on_timeout()
        elif left <= self.warning_s:
            self.on_warning(left)
