"""The ID-card simulator's folder (its stable port path) goes when the simulator goes, however it goes."""
from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from devices.idcard.simulator import IdCardSimulator

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def own_temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def folders(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.glob("kiosk24-idcard-*"))


def test_closed_or_dropped_a_simulator_leaves_no_folder(tmp_path: Path) -> None:
    with IdCardSimulator():
        assert len(folders(tmp_path)) == 1
    assert folders(tmp_path) == []
    dropped = IdCardSimulator()
    dropped.unplug()
    del dropped
    gc.collect()
    assert folders(tmp_path) == []


def test_a_killed_simulators_folder_goes_when_the_next_one_starts(tmp_path: Path) -> None:
    code = ("import sys, time\nfrom devices.idcard.simulator import IdCardSimulator\n"
            "s = IdCardSimulator()\nprint(s.port, flush=True)\ntime.sleep(60)\n")
    with subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "TMPDIR": str(tmp_path)},
                          stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        port = Path(child.stdout.readline().strip())
        child.send_signal(signal.SIGKILL)
    assert folders(tmp_path) == [port.parent]           # SIGKILL: no close(), no finalizer
    with IdCardSimulator() as survivor:
        assert folders(tmp_path) == [Path(survivor.port).parent]
