"""systemd's notify protocol: READY once painted, pings from the UI event loop, silence when it hangs."""
from __future__ import annotations

import contextlib
import itertools
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from ui.watchdog import EventLoopWatchdog, SystemdNotifier

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def supervisor(tmp_path: Path):
    """The service manager's end of NOTIFY_SOCKET."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(0.05)
    yield sock
    sock.close()


def received(sock: socket.socket, until: float, enough=lambda messages: False) -> list[tuple[float, str]]:
    """Datagrams until the deadline, or until `enough` says the test has seen what it waits for."""
    messages: list[tuple[float, str]] = []
    while time.monotonic() < until and not enough(messages):
        with contextlib.suppress(TimeoutError):
            messages.append((time.monotonic(), sock.recv(256).decode()))
    return messages


def test_the_real_app_reports_ready_and_pings(supervisor: socket.socket, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK24_DATA_DIR": str(tmp_path / "data"),
           "NOTIFY_SOCKET": supervisor.getsockname(), "WATCHDOG_USEC": "200000"}
    process = subprocess.Popen([sys.executable, "-m", "tooling.cli", "run", "--windowed"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        messages = [m for _, m in received(supervisor, time.monotonic() + 30,
                                           enough=lambda got: sum(m == "WATCHDOG=1" for _, m in got) >= 5)]
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "READY=1" in messages
    assert messages.index("READY=1") < messages.index("WATCHDOG=1")
    assert messages.count("WATCHDOG=1") >= 5


@pytest.mark.gui
def test_a_blocked_ui_thread_stops_the_pings(qtbot, supervisor: socket.socket) -> None:
    watchdog = EventLoopWatchdog(SystemdNotifier(supervisor.getsockname()), watchdog_usec=200_000)
    watchdog.start()
    QTimer.singleShot(400, lambda: time.sleep(1.0))             # the UI thread hangs for a second
    deadline = time.monotonic() + 2.5
    stamps: list[float] = []
    while time.monotonic() < deadline:
        qtbot.wait(20)
        stamps += [t for t, m in received(supervisor, time.monotonic() + 0.01) if m == "WATCHDOG=1"]
    watchdog.stop()
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert len(stamps) >= 5 and max(gaps) >= 0.9                 # no ping while the loop was blocked


def test_notifier_survives_a_missing_supervisor(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    notifier = SystemdNotifier(str(tmp_path / "nobody-listens"))
    for _ in range(3):
        notifier.notify("WATCHDOG=1")                             # never raises
    notifier.close()
    warnings = [r for r in caplog.records if "cannot notify" in r.getMessage()]
    assert len(warnings) == 1                                     # logged once per outage, not per ping
