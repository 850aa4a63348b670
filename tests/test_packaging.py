"""What install-kiosk puts on a kiosk is sound: the unit parses, the scripts pass shellcheck, the
example configuration loads, and unit, scripts and configuration agree on the paths."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from kiosk import config as kiosk_config

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"
SCRIPTS = [PACKAGING / "install-kiosk", PACKAGING / "rollback-kiosk"]


def test_the_unit_file_parses_without_a_warning() -> None:
    checked = subprocess.run(["systemd-analyze", "verify", str(PACKAGING / "kiosk24.service")],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr


def test_the_scripts_pass_shellcheck() -> None:
    checked = subprocess.run(["shellcheck", *map(str, SCRIPTS)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout


def test_the_example_configuration_loads_and_agrees_with_the_unit() -> None:
    config = kiosk_config.load(PACKAGING / "kiosk24.toml", {})
    unit = (PACKAGING / "kiosk24.service").read_text(encoding="utf-8")
    assert str(config.data_dir) == "/var/lib/kiosk24" and f"KIOSK24_DATA_DIR={config.data_dir}" in unit
    [exec_start] = re.findall(r"^ExecStart=(.*)$", unit, re.M)
    assert exec_start \
        == "/usr/bin/cage -d -m extend -- /opt/kiosk24/current/bin/kiosk24 run --config /etc/kiosk24/kiosk24.toml"
    for script in SCRIPTS:
        text = script.read_text(encoding="utf-8")
        assert "PREFIX=/opt/kiosk24\n" in text and "ETC=/etc/kiosk24\n" in text and "DATA=/var/lib/kiosk24\n" in text
