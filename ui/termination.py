"""SIGINT (Ctrl+C) and SIGTERM (systemd's stop, `kill`) end the kiosk's event loop, so the kiosk stops
the way closing it does and whoever started it (the demo: its case store and simulators) cleans up after.

Qt's event loop runs no Python while it waits, so Python's handler would only run at the next event,
which an idle kiosk may never get: the signal's wake-up byte, written to a socket Qt watches, is that
event.
"""
from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QCoreApplication, QSocketNotifier, QTimer

STOPPING = (signal.SIGINT, signal.SIGTERM)
_kept: list[object] = []        # the sockets and their notifier live as long as the process


def stop_on_signals(application: QCoreApplication) -> None:
    """From now on SIGINT and SIGTERM make application.exec() return 0, also when one comes before the loop
    runs (while the kiosk is built): the timer fires as soon as it does."""
    waker, woken = socket.socketpair()
    for end in (waker, woken):
        end.setblocking(False)
    signal.set_wakeup_fd(waker.fileno(), warn_on_full_buffer=False)
    notifier = QSocketNotifier(woken.fileno(), QSocketNotifier.Type.Read, application)
    notifier.activated.connect(lambda: woken.recv(64))      # Python runs the handler before this returns
    _kept.extend((waker, woken, notifier))
    for number in STOPPING:
        signal.signal(number, lambda _number, _frame: QTimer.singleShot(0, lambda: application.exit(0)))
