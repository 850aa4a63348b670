"""The one place where threads meet widgets: device callbacks and background work become Qt signals.

Device pollers and the sync worker call the plain callbacks below from their own threads; Qt
queues the signals to the UI thread. Background jobs (storing, printing) run on a small pool so
the UI thread never waits on a disk or a printer.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ui.after_paint import AfterPaint

# The first frame's bridge carries nothing (ui/bootstrap.py): what devices, jobs and the camera's preview
# need (devices.health, kiosk.outcome, QImage's enums) is imported where used, after the first paint.
if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from devices.health import Health
    from kiosk.identity import Identity

log = logging.getLogger(__name__)

WORKERS = 2
PREVIEW_FPS = 5          # enough to aim a code at the camera; each frame costs a resize and a copy
PREVIEW_WIDTH = 480


class Bridge(QObject):
    identity_read = Signal(object)      # Identity
    credential_problem = Signal(str)    # i18n key
    code_scanned = Signal(object)       # devices.scanner.payload.Code, from the code scanner
    health_changed = Signal(object)     # Health
    queue_changed = Signal(object)      # sync.outbox.QueueStatus
    camera_frame = Signal(object)       # QImage: the code camera's picture, for the technician's preview
    _finished = Signal(object, object)  # (then, result)

    def __init__(self, runs_jobs: bool = True) -> None:
        """runs_jobs=False: the first frame's bridge (ui/bootstrap.py), which no tap reaches: no pool, so no
        threads are started (nor concurrent.futures imported) before the attract screen is painted."""
        super().__init__()
        self._pool: ThreadPoolExecutor | None = None
        if runs_jobs:
            from concurrent.futures import ThreadPoolExecutor
            self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="kiosk-bg")
            # The workers start now, not on the first citizens' taps: the pool starts a thread inside submit(),
            # and Thread.start() waits on the UI thread until the new thread runs, 0.9 s measured on a busy
            # machine (bench.transitions: the assisted mode's first spoken screen). Both jobs hold the barrier,
            # so each has its own thread.
            ready = threading.Barrier(WORKERS + 1)
            for _ in range(WORKERS):
                self._pool.submit(ready.wait)
            ready.wait()
        self._closed = False
        self._last_frame = 0.0
        self._after_paint = AfterPaint(self)     # dropped with the bridge: nothing queued outlives the kiosk
        # a method of the bridge, not a lambda: a lambda's connection outlives the bridge, and a result queued
        # before the kiosk stopped then ran on a window already deleted, crashing the process
        self._finished.connect(self._deliver)

    def _deliver(self, then: Callable[[Any], None], result: Any) -> None:
        """On the UI thread. After shutdown nothing reaches the screens: the kiosk is going."""
        if not self._closed:
            then(result)

    # callbacks handed to device and sync threads
    def on_identity(self, identity: Identity) -> None:
        self.identity_read.emit(identity)

    def on_code(self, code: Any) -> None:
        self.code_scanned.emit(code)

    def on_problem(self, key: str) -> None:
        self.credential_problem.emit(key)

    def on_health(self, health: Health) -> None:
        self.health_changed.emit(health)

    def on_queue(self, status: Any) -> None:
        self.queue_changed.emit(status)

    def on_frame(self, frame: Any) -> None:
        """A camera frame (BGR numpy array) on the camera's thread: at most PREVIEW_FPS of them become a
        small QImage there, so the UI thread only paints and the decoder keeps its frame rate."""
        now = time.monotonic()
        if now - self._last_frame < 1.0 / PREVIEW_FPS:
            return
        self._last_frame = now
        try:
            import cv2
            from PySide6.QtGui import QImage
            height, width = frame.shape[:2]
            scale = PREVIEW_WIDTH / width
            small = cv2.cvtColor(cv2.resize(frame, (PREVIEW_WIDTH, max(1, round(height * scale)))), cv2.COLOR_BGR2RGB)
            image = QImage(small.data, small.shape[1], small.shape[0], small.strides[0], QImage.Format_RGB888).copy()
        except Exception:              # a preview that fails must not stop the camera reading codes
            log.exception("camera preview frame dropped")
            return
        self.camera_frame.emit(image)

    def run(self, job: Callable[[], Any], then: Callable[[Any], None]) -> Future | None:
        """Run job off the UI thread; call then(result) back on the UI thread."""
        from kiosk.outcome import Outcome

        def done(future: Future) -> None:
            try:
                result = future.result()
            except Exception as exc:       # a job that raised still ends its screen: never a frozen kiosk
                log.exception("background job failed")
                result = Outcome.failure("error.unexpected", repr(exc))
            self._finished.emit(then, result)

        if self._closed:        # the kiosk is stopping: a result still on its way may ask for more
            log.debug("background job refused: the kiosk is stopping")
            return None
        if self._pool is None:
            raise RuntimeError("this bridge runs no jobs (the first frame's)")
        future = self._pool.submit(job)
        future.add_done_callback(done)
        return future

    def after_paint(self, call: Callable[[], None]) -> None:
        """call, on the UI thread, once the screen being shown has been painted (ui.after_paint). For work that
        would take the GIL from the screen's building (the receipt's printing, the sync worker's push): the
        receipt screen's 11 ms took 35-45 ms."""
        self._after_paint.add(call)

    def shutdown(self) -> None:
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=True)
