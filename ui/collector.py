"""Python's cyclic garbage collection, on the UI thread only.

Left automatic, a collection runs on whichever thread allocates past the threshold: the sync worker's, a
device's, a background job's (seen in bench.transitions: on the sync worker, every few visits). Qt wrappers
held in reference cycles (a keypad and its field, a screen's closures) are freed by that collection; one freed
there while the UI thread was deleting its widget (a DeferredDelete) crashed the kiosk in Shiboken's
releaseWrapper, about one bench.transitions run in three. Here the collector runs from a timer on the UI
thread, at the thresholds Python would use, as pyqtgraph's GarbageCollector does for the same reason.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 100       # a generation-0 pass over the objects made since the last is well under a millisecond


class UiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        gc.disable()
        self._timer.start(INTERVAL_MS)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def collect(self) -> None:
        """The oldest generation whose count is over its threshold, with the younger ones, as Python would."""
        counts, oldest = gc.get_count(), -1
        for generation, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if count <= threshold:
                break
            oldest = generation
        if oldest >= 0:
            gc.collect(oldest)
