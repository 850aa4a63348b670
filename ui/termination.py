"""SIGINT (Ctrl+C) and SIGTERM (systemd's stop, `kill`) end the kiosk's event loop, so the kiosk stops
the way closing it does and whoever started it (the demo: its case store and simulators) cleans up after.

Qt's event loop runs no Python while it waits, so Python's handler would only run at the next event,
which an idle kiosk may never get: the signal's wake-up byte, written to a pipe Qt watches, is that
event. A pipe rather than a socket pair: the socket module is not loaded before the first paint.
"""
from __future__ import annotations

import os
import signal

from PySide6.QtCore import QCoreApplication, QSocketNotifier, QTimer

STOPPING = (signal.SIGINT, signal.SIGTERM)
_kept: list[object] = []        # the pipe's notifier lives as long as the process (and so does the pipe)


def stop_on_signals(application: QCoreApplication) -> None:
    """From now on SIGINT and SIGTERM make application.exec() return 0, also when one comes before the loop
    runs (while the kiosk is built): the timer fires as soon as it does."""
    woken, waker = os.pipe()
    for end in (woken, waker):
        os.set_blocking(end, False)
    signal.set_wakeup_fd(waker, warn_on_full_buffer=False)
    notifier = QSocketNotifier(woken, QSocketNotifier.Type.Read, application)
    notifier.activated.connect(lambda: os.read(woken, 64))      # Python runs the handler before this returns
    _kept.append(notifier)
    for number in STOPPING:
        signal.signal(number, lambda _number, _frame: QTimer.singleShot(0, lambda: application.exit(0)))
