"""The one place where threads meet widgets: device callbacks and background work become Qt signals.

Device pollers and the sync worker call the plain callbacks below from their own threads; Qt
queues the signals to the UI thread. Background jobs (storing, printing) run on a small pool so
the UI thread never waits on a disk or a printer.
"""
from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from devices.health import Health
from kiosk.identity import Identity
from kiosk.outcome import Outcome

log = logging.getLogger(__name__)


class Bridge(QObject):
    identity_read = Signal(object)      # Identity
    credential_problem = Signal(str)    # i18n key
    health_changed = Signal(object)     # Health
    queue_changed = Signal(object)      # sync.outbox.QueueStatus
    _finished = Signal(object, object)  # (then, result)

    def __init__(self) -> None:
        super().__init__()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kiosk-bg")
        self._finished.connect(lambda then, result: then(result))

    # callbacks handed to device and sync threads
    def on_identity(self, identity: Identity) -> None:
        self.identity_read.emit(identity)

    def on_problem(self, key: str) -> None:
        self.credential_problem.emit(key)

    def on_health(self, health: Health) -> None:
        self.health_changed.emit(health)

    def on_queue(self, status: Any) -> None:
        self.queue_changed.emit(status)

    def run(self, job: Callable[[], Any], then: Callable[[Any], None]) -> Future:
        """Run job off the UI thread; call then(result) back on the UI thread."""
        def done(future: Future) -> None:
            try:
                result = future.result()
            except Exception as exc:       # a job that raised still ends its screen: never a frozen kiosk
                log.exception("background job failed")
                result = Outcome.failure("error.unexpected", repr(exc))
            self._finished.emit(then, result)

        future = self._pool.submit(job)
        future.add_done_callback(done)
        return future

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
