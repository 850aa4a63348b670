"""Python's cyclic garbage collection, on the UI thread only.

Left automatic, a collection runs on whichever thread allocates past the threshold: the sync worker's, a
device's, a background job's (seen in bench.transitions: on the sync worker, every few visits). Qt wrappers
held in reference cycles (a keypad and its field, a screen's closures) are freed by that collection; one freed
there while the UI thread was deleting its widget (a DeferredDelete) crashed the kiosk in Shiboken's
releaseWrapper, about one bench.transitions run in three. Here the collector runs from a timer on the UI
thread, at the thresholds Python would use, as pyqtgraph's GarbageCollector does for the same reason.

A full collection walks every object tracked, ~400,000 once the kiosk is up, and stopped the screen for about
300 ms each time (bench.gc_pause). What is alive once start-up has settled lives as long as the kiosk: once the
kiosk waits on its start screen, a full collection clears what start-up left and the rest is frozen (gc.freeze),
left out of the collections after it: 0.3 ms each then.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 100       # a generation-0 pass over the objects made since the last is well under a millisecond
SETTLED_S = 30.0        # start-up's deferred parts (store, worker, devices, voice, the next keyboard) are up


class UiThreadCollector(QObject):
    def __init__(self, parent: QObject, waiting: Callable[[], bool] = lambda: False) -> None:
        """waiting: whether the kiosk waits on its start screen, no citizen's visit under way."""
        super().__init__(parent)
        self._waiting, self._started = waiting, time.monotonic()
        self._thresholds = gc.get_threshold()
        # kept here, not asked of gc: gc.get_freeze_count() walks every frozen object, ~400,000, 24.6 ms a tick,
        # and the tick every 100 ms kept a quarter of a core busy and made about one screen change in four wait for it
        self._frozen = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        gc.disable()
        self._timer.start(INTERVAL_MS)

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        self._frozen = False
        gc.enable()

    def collect(self) -> None:
        """The oldest generation whose count is over its threshold, with the younger ones, as Python would;
        once start-up has settled and the kiosk waits, a full collection and what outlives it frozen."""
        if not self._frozen and time.monotonic() - self._started > SETTLED_S and self._waiting():
            gc.collect()
            gc.freeze()
            self._frozen = True
            return
        counts, oldest = gc.get_count(), -1
        for generation, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if count <= threshold:
                break
            oldest = generation
        if oldest >= 0:
            gc.collect(oldest)
