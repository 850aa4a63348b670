"""`kiosk24 devices decode` and `scanner-test`, run as a technician runs them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2

from devices.scanner.simulator import SerialScannerSimulator
from devices.scanner.synthetic import code128_image, qr_image
from tests.fixtures.devices_cli import ROOT, DevicesCli


def lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_decode_prints_one_json_line_per_image_and_goes_on_past_bad_files(tmp_path: Path,
                                                                          devices_cli: DevicesCli) -> None:
    cv2.imwrite(str(tmp_path / "receipt.png"), qr_image("K24:XY-20261125-0007"))
    cv2.imwrite(str(tmp_path / "chinese.jpg"), 255 - qr_image("信阳市政务服务中心", 6))
    cv2.imwrite(str(tmp_path / "barcode.webp"), cv2.copyMakeBorder(code128_image("XY-0042"), 30, 30, 0, 0,
                                                                   cv2.BORDER_CONSTANT, value=255))
    cv2.imwrite(str(tmp_path / "blank.png"), qr_image("x")[:20, :20])
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    names = ["receipt.png", "empty.png", "chinese.jpg", "corrupt.png", "missing.png", "barcode.webp", "blank.png"]
    result = devices_cli("decode", "--json", *(str(tmp_path / name) for name in names))
    assert result.returncode == 1, result.stderr
    out = {Path(line["file"]).name: line for line in lines(result.stdout)}
    assert list(out) == names
    assert out["receipt.png"]["codes"] == [{"text": "K24:XY-20261125-0007", "format": "qr"}]
    assert out["chinese.jpg"]["codes"] == [{"text": "信阳市政务服务中心", "format": "qr"}]
    assert out["barcode.webp"]["codes"] == [{"text": "XY-0042", "format": "code128"}]
    assert out["blank.png"]["codes"] == [] and out["receipt.png"]["ms"] > 0
    assert out["empty.png"] == {"file": str(tmp_path / "empty.png"), "error": "empty file"}
    assert "damaged" in out["corrupt.png"]["error"] and "No such file" in out["missing.png"]["error"]


def test_decode_exits_0_when_every_file_was_an_image_and_shows_crafted_text_safely(tmp_path: Path,
                                                                                   devices_cli: DevicesCli) -> None:
    cv2.imwrite(str(tmp_path / "crafted.png"), qr_image("<b>\x1b[31mred</b>\u202e"))
    result = devices_cli("decode", str(tmp_path / "crafted.png"))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "<b>" not in result.stdout
    assert "qr: \uff1cb\uff1e\ufffd[31mred\uff1c/b\uff1e\ufffd" in result.stdout


def test_scanner_test_reports_a_serial_scan_without_its_payload(
        serial_scanner_simulator: SerialScannerSimulator) -> None:
    command = [sys.executable, "-m", "tooling.cli", "devices", "scanner-test",
               "--serial", serial_scanner_simulator.port, "--json", "--seconds", "20"]
    with subprocess.Popen(command, cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert json.loads(process.stdout.readline()) == {"event": "health", "state": "ok", "detail": ""}
        serial_scanner_simulator.scan(b"411502195706140321")
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert lines(out) == [{"event": "code", "format": "unknown", "source": "serial", "bytes": 18, "binary": False}]
    assert "4115" not in out + err
