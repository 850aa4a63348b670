"""The demo stops on one signal: Ctrl+C in its terminal or SIGTERM to its process ends the kiosk, the
case store and the simulators, and nothing it started is left running or listening."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
STARTED = re.compile(r"demo: case store http://127\.0\.0\.1:(\d+), printer 127\.0\.0\.1:(\d+)")

pytestmark = [pytest.mark.slow, pytest.mark.gui]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def children(pid: int) -> set[int]:
    """Every process whose parent is pid, read from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue            # it ended while we looked
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_one_signal_stops_everything_the_demo_started(tmp_path: Path, how: str) -> None:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK24_DATA_DIR": str(tmp_path / "kiosk")}
    # A session of its own, as a terminal gives a command its own process group.
    demo = subprocess.Popen([sys.executable, "-m", "tooling.cli", "demo", "--data-dir", str(tmp_path / "demo")],
                            cwd=ROOT, env=environment, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert demo.stderr is not None
        seen = []
        for line in demo.stderr:
            seen.append(line)
            if "ID-card reader ok" in line or "kiosk24: cannot start" in line:
                break                   # the kiosk is built and its devices are open
        ports = [int(p) for p in STARTED.search("".join(seen)).groups()]   # type: ignore[union-attr]
        casestore_port, printer_port = ports
        assert requests.get(f"http://127.0.0.1:{casestore_port}/api/v1/health", timeout=5).ok
        started = children(demo.pid)
        assert started, "the demo started no case store process"

        if how == "ctrl-c":
            os.killpg(demo.pid, signal.SIGINT)      # what the terminal does: the whole foreground group
        else:
            demo.send_signal(signal.SIGTERM)        # `kill PID`: the demo alone
        _, rest = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
    assert demo.returncode == 0, "".join(seen) + rest
    assert not listening(casestore_port) and not listening(printer_port)
    assert not [pid for pid in started if Path(f"/proc/{pid}").exists()], "a process the demo started still runs"
