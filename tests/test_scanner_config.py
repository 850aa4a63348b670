"""The scanner chosen from configuration, and seen by `kiosk24 devices list|status`."""
from __future__ import annotations

import json

import pytest

from devices import factory
from devices.scanner.camera import CameraScanner
from devices.scanner.hid import HidScanner
from devices.scanner.serial_port import SerialScanner
from devices.scanner.simulator import SerialScannerSimulator
from kiosk import config as kiosk_config
from tests.fixtures.devices_cli import DevicesCli


def scanner_for(uri: str):
    return factory.code_scanner(kiosk_config.load(None, {}, scanner=uri))


def test_each_kind_from_its_uri() -> None:
    assert scanner_for("") is None
    camera = scanner_for("camera:0")
    assert isinstance(camera, CameraScanner) and camera.device == 0
    assert scanner_for("camera:///dev/video2").device == "/dev/video2"
    hid = scanner_for("hid:usb-Newland*-event-kbd")
    assert isinstance(hid, HidScanner) and hid.pattern == "usb-Newland*-event-kbd"
    serial = scanner_for("serial:///dev/ttyACM0?baud=115200&suffix=crlf&strip_prefix=%5DQ1")
    assert isinstance(serial, SerialScanner) and (serial.port, serial.baudrate) == ("/dev/ttyACM0", 115200)
    assert serial.terminator == b"\r\n" and serial.rules.prefix == b"]Q1"


@pytest.mark.parametrize("uri", ["bogus:1", "serial:///dev/x?colour=red", "serial:///dev/x?baud=fast",
                                 "serial:///dev/x?suffix=tab", "hid:", "camera:0?x=1"])
def test_a_bad_uri_names_the_setting(uri: str) -> None:
    with pytest.raises(kiosk_config.ConfigError, match="scanner"):
        scanner_for(uri)


def test_devices_list_and_status_include_the_scanner(devices_cli: DevicesCli) -> None:
    with SerialScannerSimulator() as simulator:
        uri = f"serial://{simulator.port}?baud=9600"
        listed = json.loads(devices_cli("list", "--json", KIOSK24_SCANNER=uri).stdout)
        assert {"device": "scanner", "where": uri, "state": "configured"} in listed["devices"]
        result = devices_cli("status", "--json", KIOSK24_SCANNER=uri)
        scanner = next(d for d in json.loads(result.stdout)["devices"] if d["device"] == "scanner")
        assert scanner["state"] == "ok", result.stderr
    gone = devices_cli("status", "--json", KIOSK24_SCANNER=uri)
    assert gone.returncode == 1
    scanner = next(d for d in json.loads(gone.stdout)["devices"] if d["device"] == "scanner")
    assert scanner["state"] == "absent"
