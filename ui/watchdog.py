"""systemd's notify protocol, fed from the UI event loop: a frozen UI stops the pings and gets restarted.

The pings come from a QTimer on the UI thread on purpose. A thread of its own would keep pinging
while the screen hangs, and the kiosk would stand frozen in a station all night.
"""
from __future__ import annotations

import logging
import socket

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)


class SystemdNotifier:
    """Datagrams to NOTIFY_SOCKET (a path, or @name for the abstract namespace)."""

    def __init__(self, address: str) -> None:
        self.address = "\0" + address[1:] if address.startswith("@") else address
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._failing = False

    def notify(self, message: str) -> None:
        try:
            self._socket.sendto(message.encode("ascii"), self.address)
            self._failing = False
        except OSError as exc:
            if not self._failing:        # once per outage: a missing supervisor must not flood the log
                log.warning("cannot notify the service manager: %s", exc)
            self._failing = True

    def close(self) -> None:
        self._socket.close()


class EventLoopWatchdog(QObject):
    def __init__(self, notifier: SystemdNotifier, watchdog_usec: int) -> None:
        super().__init__()
        self.notifier = notifier
        self._timer = QTimer(self)
        self._timer.setInterval(max(watchdog_usec // 2000, 100))   # half the timeout, in ms
        self._timer.timeout.connect(lambda: notifier.notify("WATCHDOG=1"))
        self.enabled = watchdog_usec > 0

    def start(self) -> None:
        """READY=1 once the event loop runs (so after the first frame), then the pings."""
        QTimer.singleShot(0, lambda: self.notifier.notify("READY=1"))
        if self.enabled:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.notifier.notify("STOPPING=1")
        self.notifier.close()
