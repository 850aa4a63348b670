"""The app's nightly housekeeping: a timer on the UI thread looks once a minute whether the configured
hour has come, and runs sync.housekeeping on the bridge's pool, so the glass never waits on a VACUUM."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from kiosk.config import Config
from sync import housekeeping
from sync.health_report import Queue
from sync.outbox import Outbox
from ui.bridge import Bridge

log = logging.getLogger(__name__)

CHECK_MS = 60_000


class Nightly(QObject):
    def __init__(self, parent: QObject, config: Config, outbox: Outbox, messages: Queue | None, bridge: Bridge,
                 clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        super().__init__(parent)
        self.config, self.outbox, self.messages, self.bridge, self.clock = config, outbox, messages, bridge, clock
        self.last_day: dt.date | None = None
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start()

    def check(self) -> None:
        now = self.clock()
        if self.running or not housekeeping.is_due(now, self.config.housekeeping_hour, self.last_day):
            return
        self.last_day, self.running = now.date(), True
        config, outbox, messages = self.config, self.outbox, self.messages
        self.bridge.run(lambda: housekeeping.run(config, outbox, messages), self._done)

    def _done(self, result: object) -> None:
        self.running = False
        if not isinstance(result, housekeeping.Housekeeping):
            log.error("nightly housekeeping failed: %s", result)
