"""A kiosk whose machine lacks PulseAudio's client library (libpulse.so.0) still serves, silent.

Qt Multimedia (the voice's player) and Qt Virtual Keyboard's QML plugin both link libpulse.so.0. The
tests run the real kiosk in a private mount namespace whose library folder has that file deleted (an
overlay, so the machine keeps it), which is exactly what the dynamic loader meets on such a machine.
"""
from __future__ import annotations

import functools
import os
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from devices.health import Health, State
from sync import alerts
from ui.access import NO_AUDIO_OUTPUT

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = Path("/usr/lib") / (sysconfig.get_config_var("MULTIARCH") or "")
# The overlay hides libpulse.so.0 and whatever it points to; tmpfs holds the overlay's own folders.
HIDE = ("mount -t tmpfs none {scratch} && mkdir {scratch}/upper {scratch}/work && "
        "mount -t overlay overlay -o lowerdir={libs},upperdir={scratch}/upper,workdir={scratch}/work {libs} && "
        "rm -f {libs}/libpulse.so.0* && exec \"$@\"")


def namespace_prefix(scratch: Path) -> list[str]:
    """The command prefix that runs a program without libpulse.so.0 (scratch: an empty folder)."""
    scratch.mkdir()
    script = HIDE.format(scratch=shlex.quote(str(scratch)), libs=shlex.quote(str(LIBRARIES)))
    unshare = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        unshare[1:1] = ["--user", "--map-root-user"]
    return [*unshare, "sh", "-c", script, "sh"]


@functools.cache
def why_not_here(scratch: Path) -> str | None:
    """None when this machine can hide the library from a process, else why it cannot."""
    try:
        probe = subprocess.run([*namespace_prefix(scratch), "sh", "-c", f"test ! -e {LIBRARIES}/libpulse.so.0"],
                               capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        return "unshare (util-linux) is not installed"
    return None if probe.returncode == 0 else f"no private mount namespace here: {probe.stderr.strip()}"


def without_libpulse(*command: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    reason = why_not_here(tmp_path.parent / "probe-libpulse")
    if reason:
        pytest.skip(reason)
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run([*namespace_prefix(tmp_path / "namespace"), *command], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=180)


def test_the_library_is_really_gone_in_there(tmp_path: Path) -> None:
    result = without_libpulse(sys.executable, "-c", "from PySide6 import QtMultimedia", tmp_path=tmp_path)
    assert result.returncode != 0 and "libpulse.so.0: cannot open shared object file" in result.stderr


def test_run_check_paints_without_voice_and_says_why(tmp_path: Path) -> None:
    result = without_libpulse(sys.executable, "-m", "tooling.cli", "run", "--check", tmp_path=tmp_path,
                              KIOSK24_DATA_DIR=str(tmp_path), KIOSK24_KIOSK_ID="XY-SILENT-01")
    assert result.returncode == 0, result.stderr
    assert "attract screen painted" in result.stderr
    assert "voice guidance: no audio output: libpulse.so.0" in result.stderr


def test_the_keyboard_that_cannot_load_is_named(tmp_path: Path) -> None:
    code = ("import os; os.environ.update(QT_IM_MODULE='qtvirtualkeyboard', QT_VIRTUALKEYBOARD_DESKTOP_DISABLE='1')\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from ui import keyboard\n"
            "from kiosk.accessibility import Profile\n"
            "from ui import theme\n"
            "try:\n"
            "    keyboard.TextKeyboard('zh_CN', 800, theme.for_profile(Profile(), 'zh_CN', 96.0))\n"
            "except keyboard.KeyboardUnavailable as exc:\n"
            "    print('unavailable:', exc)\n")
    result = without_libpulse(sys.executable, "-c", code, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("unavailable:") and "libpulse.so.0" in result.stdout, result.stdout


def test_the_heartbeat_carries_the_no_audio_alert() -> None:
    silent = Health("speech", State.FAULT, NO_AUDIO_OUTPUT).as_dict()
    [alert] = alerts.from_devices([silent])
    assert alert["code"] == "speech.no_audio_output" and alert["severity"] == alerts.FAULT
