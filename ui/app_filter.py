"""The application's one event filter, which asks the kiosk's watchers (idle, keypad, focus, lockdown, the
technician's gesture, input held at start-up) in turn.

Every event of the application passes an application-wide filter: a screen built is thousands (polish,
layout, paint). Each filter written in Python costs a crossing into Python and a Python wrapper for the event
and the object, whatever it then decides; six of them were 20 ms of a 50 ms screen change. One filter makes
that crossing once per event and hands the event to the watchers, each of which keeps its own cheap test first.
Even one crossing is ~5 us, ~10 ms of a screen built, so the filter is off while a screen is built (`quiet`).
After the build the new screen's own events still come (show, polish, layout, paint: ~390 of the service guide's),
and each was handed to every watcher, six Python calls, though none watches them: each watcher says which events it
watches (their classes: touch and keys, mostly) and the filter asks only those, after one isinstance test for all.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid


class AppFilter(QObject):
    """Installed once on the application; watchers join and leave it as they would install a filter of their own."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        # each with the event classes it watches; replaced, never changed in place: an event may be on its way
        self.watchers: list[tuple[QObject, tuple[type[QEvent], ...]]] = []
        self.wanted: tuple[type[QEvent], ...] = ()       # every watcher's classes together
        self._goodbyes: dict[QObject, Callable[[], None]] = {}
        self._quiet = 0
        app.installEventFilter(self)

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Off the application while a screen is built. No touch or key arrives meanwhile (the UI thread is
        busy; input waits for the event loop), and the build's own events, thousands, are none of the
        watchers' business: they watch input (focus is followed through a signal, and fields are made
        locked, ui.widgets.locked, rather than caught being polished)."""
        app = self.parent()
        self._quiet += 1
        if self._quiet == 1:
            app.removeEventFilter(self)
        try:
            yield
        finally:
            self._quiet -= 1
            if self._quiet == 0:
                app.installEventFilter(self)

    def join(self, watcher: QObject) -> None:
        """Asked before those that joined earlier, as Qt asks the filter installed last first; gone with the
        watcher's deletion, as Qt drops a deleted filter object. Asked only about events of the classes in its
        `watches` (PySide hands each event over as its most derived class: QMouseEvent, QKeyEvent,
        QWindowStateChangeEvent); without one, about every event."""
        self.leave(watcher)
        events: tuple[type[QEvent], ...] = getattr(watcher, "watches", (QEvent,))
        self._watch([(watcher, events), *self.watchers])
        self._goodbyes[watcher] = goodbye = lambda: self._forget(watcher)
        watcher.destroyed.connect(goodbye)

    def leave(self, watcher: QObject) -> None:
        goodbye = self._goodbyes.get(watcher)
        if goodbye is not None:
            watcher.destroyed.disconnect(goodbye)
            self._forget(watcher)

    def _forget(self, watcher: QObject) -> None:
        """Its Python methods are never asked again once its C++ object is being deleted."""
        self._watch([(other, events) for other, events in self.watchers if other is not watcher])
        self._goodbyes.pop(watcher, None)

    def _watch(self, watchers: list[tuple[QObject, tuple[type[QEvent], ...]]]) -> None:
        self.watchers = watchers
        self.wanted = tuple(dict.fromkeys(kind for _, events in watchers for kind in events))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(event, self.wanted):      # a paint, a layout, a polish: no watcher's business
            return False
        for watcher, events in self.watchers:
            if isinstance(event, events) and watcher.eventFilter(watched, event):
                return True
        return False


_made: AppFilter | None = None


def app_filter() -> AppFilter:
    """The running application's one filter, made on first use. Kept here, not looked up among the
    application's children: that lookup wraps each child in Python (the event dispatcher, the session manager,
    the style), and PySide makes each one's class and enums, the first frame's window then (~1 ms of its first
    paint; the style's enums come later anyway, when an event of the style meets the filter)."""
    global _made
    app = QApplication.instance()
    assert isinstance(app, QApplication), "the kiosk's watchers need a QApplication"
    if _made is None or not isValid(_made) or _made.parent() is not app:
        _made = AppFilter(app)
    return _made
