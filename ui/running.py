"""The kiosk once brought up (ui/bootstrap.py): its parts, started and stopped together. Apart from the
bootstrap, which the first frame needs: making this class costs ~1 ms, after the first paint."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.config import Config
    from sync.centre_link import HttpCentreLink
    from sync.outbox import Outbox
    from sync.worker import SyncWorker
    from ui.bridge import Bridge
    from ui.collector import UiThreadCollector
    from ui.controller import Controller
    from ui.mainwindow import MainWindow
    from ui.watchdog import EventLoopWatchdog


@dataclasses.dataclass
class Kiosk:
    config: Config
    outbox: Outbox
    worker: SyncWorker
    bridge: Bridge
    controller: Controller
    window: MainWindow
    card_poller: Any = None          # devices.idcard.reader.CardPoller when a reader is configured
    watchdog: EventLoopWatchdog | None = None    # when started by systemd as a notify service
    technician: Any = None           # ui.technician.entry.Technician: the way into technician mode
    scanner: Any = None              # devices.scanner.source.Scanner when a code scanner is configured
    on_health: Callable[[Any], None] = lambda health: None     # what devices report their health to
    centre: HttpCentreLink | None = None    # the online services' link, closed with the kiosk
    collector: UiThreadCollector | None = None      # Python's garbage collection, on the UI thread once started

    def start(self) -> None:
        from kiosk.session import State
        from ui.collector import UiThreadCollector

        # before other threads run Python; start-up's heap frozen once the kiosk waits for its first citizen
        self.collector = UiThreadCollector(self.window, lambda: self.window.session.state is State.ATTRACT)
        self.collector.start()
        self.worker.start()
        if self.card_poller is not None:
            self.card_poller.start()
        if self.scanner is not None:
            self.scanner.start(self.bridge.on_code, self.bridge.on_problem, self.on_health)
        if self.watchdog is not None:
            self.watchdog.start()

    def stop(self) -> None:
        """Stop threads before the window goes: no callback may reach a deleted widget."""
        if self.watchdog is not None:
            self.watchdog.stop()
        if self.card_poller is not None:
            self.card_poller.stop()
        if self.scanner is not None:
            self.scanner.stop()
        self.worker.stop()
        self.bridge.shutdown()
        if self.centre is not None:
            # after the pool: no online query is in flight; its pooled sockets would otherwise be left
            # to the garbage collector, long after the centre hung up on them
            self.centre.close()
        if self.window.voice is not None:
            self.window.voice.close()    # after the pool: no synthesis can queue a new source now
        if self.collector is not None:
            self.collector.stop()
