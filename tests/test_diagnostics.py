"""`kiosk24 devices ...` as a technician runs it: against the pty reader and TCP printer simulators,
as real processes where the CLI wiring matters, in-process for the long list of things that go wrong."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from devices import diagnostics
from devices.idcard import protocol
from devices.idcard.simulator import Fault, IdCardSimulator, demo_cards
from devices.printer.simulator import PrinterSimulator, PrinterState
from kiosk.config import Config
from tests.fixtures.common import wait_until
from tests.fixtures.devices_cli import DevicesCli, PhotographedPage
from tests.fixtures.printer import PrinterFactory
from tests.test_mrz import TD3
from tooling.cli import build_parser

RESIDENT, RESIDENT_2, _, FOREIGNER, HONG_KONG = demo_cards()


def run(capsys: pytest.CaptureFixture[str], *argv: str, config: Config | None = None) -> tuple[int, dict[str, Any]]:
    """A devices command in this process, as the CLI parses it: (exit code, its JSON object)."""
    args = build_parser().parse_args(["devices", *argv, "--json"])
    code = args.handler(args, config)
    return code, json.loads(capsys.readouterr().out)


def cli_json(result: Any) -> dict[str, Any]:
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout + result.stderr
    return json.loads(lines[0])


@pytest.fixture
def printer(printer_factory: PrinterFactory) -> PrinterSimulator:
    from devices.printer.profile import PROFILE_80MM
    return printer_factory(PROFILE_80MM)[0]


# -- idcard -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("card, expected", [
    (RESIDENT, {"card_type": "resident", "name": "刘桂芳", "name_en": None, "sex": "女", "nation": "汉",
                "nation_code": "01", "nationality": None, "birth_date": "1957-06-14", "valid_from": "2015-04-20",
                "valid_to": "长期", "address": "河南省信阳市浉河区民权街道胜利路58号院3号楼2单元501室",
                "id_number": "411502195706140321", "authority": "信阳市公安局浉河分局", "photo_bytes": 1024}),
    (FOREIGNER, {"card_type": "foreign_permanent", "name": "安娜", "name_en": "MUELLER, ANNA MARIA", "sex": "女",
                 "nation": None, "nation_code": None, "nationality": "DEU", "birth_date": "1988-03-12",
                 "valid_from": "2020-06-01", "valid_to": "2030-06-01", "address": None,
                 "id_number": "DEU411588031201", "authority": "1500", "photo_bytes": 1024}),
    (HONG_KONG, {"card_type": "hk_mo_tw_permit", "name": "陈家明", "name_en": None, "sex": "男", "nation": None,
                 "nation_code": None, "nationality": None, "birth_date": "1992-05-17", "valid_from": "2021-09-01",
                 "valid_to": "2026-09-01", "address": "河南省信阳市浉河区湖东街道新六大街88号",
                 "id_number": "810000199205170030", "authority": "信阳市公安局", "photo_bytes": 1024}),
], ids=["resident", "foreign_permanent", "hk_mo_tw_permit"])
def test_idcard_prints_one_json_object_with_the_issue_fields(
        devices_cli: DevicesCli, idcard_simulator: IdCardSimulator, card: Any, expected: dict[str, Any]) -> None:
    idcard_simulator.insert(card)
    result = devices_cli("idcard", "--port", idcard_simulator.port, "--json")
    assert result.returncode == 0, result.stderr
    assert cli_json(result) == expected
    assert card.id_number not in result.stderr          # the holder's data is never logged


def test_idcard_waits_for_a_card_to_be_placed(capsys: pytest.CaptureFixture[str],
                                              idcard_simulator: IdCardSimulator) -> None:
    import threading

    def place_once_polled() -> None:
        wait_until(lambda: idcard_simulator.requests >= 3)     # the command has found no card a few times
        idcard_simulator.insert(RESIDENT_2)

    placing = threading.Thread(target=place_once_polled)
    placing.start()
    code, fields = run(capsys, "idcard", "--port", idcard_simulator.port, "--timeout", "5")
    placing.join()
    assert (code, fields["name"], fields["nation"]) == (0, "张明远", "回")


def test_idcard_without_a_card_names_it(devices_cli: DevicesCli, idcard_simulator: IdCardSimulator) -> None:
    started = time.monotonic()
    result = devices_cli("idcard", "--port", idcard_simulator.port, "--timeout", "0.3", "--json")
    assert result.returncode == 1
    assert cli_json(result)["error"] == "idcard.no_card"
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("fault, error", [
    (Fault.BAD_CHECKSUM, "idcard.bad_frame"),
    (Fault.TRUNCATED, "idcard.bad_frame"),
    (Fault.CARD_MOVED, "idcard.read_failed"),
    (Fault.UNSELECTABLE, "idcard.select_failed"),
])
def test_idcard_faults_are_named(capsys: pytest.CaptureFixture[str], idcard_simulator: IdCardSimulator,
                                 fault: Fault, error: str) -> None:
    idcard_simulator.insert(RESIDENT)
    idcard_simulator.fault = fault
    code, fields = run(capsys, "idcard", "--port", idcard_simulator.port, "--timeout", "1")
    assert (code, fields["error"]) == (1, error) and fields["detail"]


def test_a_card_whose_number_fails_its_check_digit_is_a_bad_card(capsys: pytest.CaptureFixture[str],
                                                               idcard_simulator: IdCardSimulator) -> None:
    text = bytearray(protocol.encode_text(RESIDENT))
    text[122 + 34:122 + 36] = "9".encode("utf-16-le")        # the last character of the ID number
    idcard_simulator.insert(bytes(text))
    code, fields = run(capsys, "idcard", "--port", idcard_simulator.port)
    assert (code, fields) == (1, {"error": "idcard.bad_card", "detail": "text: id_number.check_digit"})


@pytest.mark.parametrize("reply, error, detail", [
    (protocol.PREAMBLE + b"\xff\xff" + bytes(8), "idcard.bad_frame", "bad_length"),
    (protocol.reply(protocol.Status.CARD_FOUND)[:-1] + b"\x00", "idcard.bad_frame", "bad_checksum"),
    (b"\x00\xffAT+OK\r\n" * 8, "idcard.reader_absent", "no reply within"),   # something, but no reader
], ids=["wrong length", "wrong checksum", "garbage"])
def test_whatever_a_port_sends_ends_in_a_named_error(capsys: pytest.CaptureFixture[str],
                                                     scripted_reader: Callable[[bytes], str],
                                                     reply: bytes, error: str, detail: str) -> None:
    code, fields = run(capsys, "idcard", "--port", scripted_reader(reply), "--timeout", "1")
    assert (code, fields["error"]) == (1, error) and detail in fields["detail"]


def test_idcard_with_no_reader_names_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, fields = run(capsys, "idcard", "--port", str(tmp_path / "ttyUSB9"))
    assert (code, fields["error"]) == (1, "idcard.reader_absent") and "ttyUSB9" in fields["detail"]


# -- printer ----------------------------------------------------------------------------------------

def test_print_test_prints_chinese_a_qr_code_and_cuts(devices_cli: DevicesCli, printer: PrinterSimulator) -> None:
    result = devices_cli("print-test", "--printer", f"tcp://127.0.0.1:{printer.port}", "--json")
    assert result.returncode == 0, result.stderr
    assert cli_json(result) == {"printed": True, "error": None, "detail": ""}
    [receipt] = printer.wait_for(1)        # a receipt is only kept once it is cut
    assert receipt.lines[0] == "打印测试"
    assert any("政务服务“一网通办”，标点" in line for line in receipt.lines)
    assert any("￥0.00" in line for line in receipt.lines)
    [payload] = receipt.qr_payloads
    assert payload.startswith("K24:PRINT-TEST:")
    assert receipt.png is not None and receipt.png.exists()


def test_print_test_on_a_stopped_or_write_only_printer(capsys: pytest.CaptureFixture[str], printer: PrinterSimulator,
                                                       tmp_path: Path) -> None:
    printer.state = PrinterState.PAPER_END
    code, fields = run(capsys, "print-test", "--printer", f"tcp://127.0.0.1:{printer.port}")
    assert (code, fields["printed"], fields["error"]) == (1, False, "printer.paper_out")
    device = tmp_path / "lp0"
    device.touch()
    code, fields = run(capsys, "print-test", "--printer", f"file://{device}", "--profile", "58mm")
    assert (code, fields["printed"], fields["error"]) == (0, None, None)
    assert b"\x1dV" in device.read_bytes()


@pytest.mark.parametrize("state, expected", [
    (PrinterState.OK, {"online": True, "paper": "ok", "cover_open": False, "error": None}),
    (PrinterState.PAPER_NEAR_END, {"online": True, "paper": "near_end", "cover_open": False, "error": None}),
    (PrinterState.PAPER_END, {"online": False, "paper": "end", "cover_open": False, "error": "printer.paper_out"}),
    (PrinterState.COVER_OPEN, {"online": False, "paper": "ok", "cover_open": True, "error": "printer.cover_open"}),
    (PrinterState.OFFLINE, {"online": False, "paper": "ok", "cover_open": False, "error": "printer.offline"}),
])
def test_printer_status_reports_each_state(capsys: pytest.CaptureFixture[str], printer: PrinterSimulator,
                                           state: PrinterState, expected: dict[str, Any]) -> None:
    printer.state = state
    code, fields = run(capsys, "printer-status", "--printer", f"tcp://127.0.0.1:{printer.port}")
    assert {key: fields[key] for key in expected} == expected
    assert code == (0 if expected["error"] is None else 1)


def test_a_silent_printer_is_named_within_two_seconds_never_paper_ok(
        capsys: pytest.CaptureFixture[str], printer: PrinterSimulator) -> None:
    printer.silent = True
    started = time.monotonic()
    code, fields = run(capsys, "printer-status", "--printer", f"tcp://127.0.0.1:{printer.port}")
    assert time.monotonic() - started < 2.0
    assert (code, fields["online"], fields["paper"], fields["error"]) == (1, False, "unknown", "printer.no_status")


def test_printer_status_over_the_cli(devices_cli: DevicesCli, printer: PrinterSimulator, port: int) -> None:
    printer.state = PrinterState.PAPER_NEAR_END
    result = devices_cli("printer-status", "--printer", f"tcp://127.0.0.1:{printer.port}", "--json")
    assert result.returncode == 0
    assert cli_json(result)["paper"] == "near_end"
    result = devices_cli("printer-status", "--printer", f"tcp://[::1]:{port}", "--json")
    assert result.returncode == 1
    assert cli_json(result) | {"detail": ""} == {"online": False, "paper": "unknown", "cover_open": None,
                                                  "error": "printer.unreachable", "detail": ""}
    result = devices_cli("printer-status", "--printer", "serial:/dev/ttyS0")
    assert result.returncode == 2 and "serial:///DEVICE[?baud=N]" in result.stderr


def test_a_write_only_printer_has_no_status(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "lp0").touch()
    code, fields = run(capsys, "printer-status", "--printer", f"file://{tmp_path / 'lp0'}")
    assert (code, fields["online"], fields["paper"], fields["error"]) == (1, None, "unknown", "printer.no_status")


# -- list and status --------------------------------------------------------------------------------

def test_status_and_list_show_every_configured_device(devices_cli: DevicesCli, idcard_simulator: IdCardSimulator,
                                                      printer: PrinterSimulator) -> None:
    env = {"KIOSK24_IDCARD_PORT": idcard_simulator.port, "KIOSK24_PRINTER": f"tcp://127.0.0.1:{printer.port}"}
    result = devices_cli("status", "--json", **env)
    assert result.returncode == 0, result.stderr
    devices = {d["device"]: d for d in cli_json(result)["devices"]}
    assert (devices["idcard"]["state"], devices["idcard"]["where"]) == ("ok", idcard_simulator.port)
    assert (devices["printer"]["state"], devices["printer"]["where"]) == ("ok", env["KIOSK24_PRINTER"])
    listed = cli_json(devices_cli("list", "--json", **env))["devices"]
    assert [(d["device"], d["state"]) for d in listed] == [("idcard", "configured"), ("printer", "configured"),
                                                           ("scanner", "absent"), ("a4printer", "absent")]
    plain = devices_cli("list", KIOSK24_PRINTER=env["KIOSK24_PRINTER"])
    assert plain.stdout.splitlines() == ["idcard   absent: not configured", f"printer  {env['KIOSK24_PRINTER']}",
                                         "scanner  absent: not configured", "a4printer absent: not configured"]


def test_status_of_devices_in_trouble(capsys: pytest.CaptureFixture[str], idcard_simulator: IdCardSimulator,
                                      printer: PrinterSimulator, tmp_path: Path) -> None:
    printer.state = PrinterState.COVER_OPEN
    config = Config(data_dir=tmp_path, idcard_port=str(tmp_path / "unplugged"),
                    printer=f"tcp://127.0.0.1:{printer.port}")
    code, fields = run(capsys, "status", config=config)
    devices = {d["device"]: d for d in fields["devices"]}
    assert code == 1
    assert devices["idcard"]["state"] == "absent" and "idcard.reader_absent" in devices["idcard"]["detail"]
    assert (devices["printer"]["state"], devices["printer"]["detail"]) == ("fault", "printer.cover_open")

    printer.state = PrinterState.PAPER_NEAR_END      # a warning still serves citizens
    code, fields = run(capsys, "status", config=Config(data_dir=tmp_path, printer=f"tcp://127.0.0.1:{printer.port}"))
    assert code == 0
    assert [(d["device"], d["state"], d["detail"]) for d in fields["devices"]] == \
        [("idcard", "absent", "not configured"), ("printer", "warning", "printer.paper_near_end"),
         ("scanner", "absent", "not configured"), ("a4printer", "absent", "not configured")]

    code, fields = run(capsys, "status", config=Config(data_dir=tmp_path, printer="lpt1"))
    assert code == 1 and fields["devices"][1]["state"] == "fault" and "lpt1" in fields["devices"][1]["detail"]


# -- MRZ and document camera ------------------------------------------------------------------------

def test_mrz_from_a_readers_lines_on_stdin(devices_cli: DevicesCli) -> None:
    result = devices_cli("mrz", "--json", stdin="\r\n".join(TD3) + "\r\n")
    assert result.returncode == 0, result.stderr
    fields = cli_json(result)
    assert (fields["card_type"], fields["name"], fields["nationality"], fields["id_number"], fields["valid_to"]) == \
        ("passport", "ERIKSSON, ANNA MARIA", "UTO", "L898902C3", "2012-04-15")


@pytest.mark.parametrize("text, error", [
    (TD3[0] + "\n" + TD3[1][:-1] + "9", "mrz.unreadable"),
    ("\x00\xff\ufffd" * 100, "mrz.unreadable"),
    ("", "mrz.unreadable"),
])
def test_mrz_that_does_not_check_out_is_named(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                              text: str, error: str) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8", "surrogateescape"))))
    code, fields = run(capsys, "mrz")
    assert (code, fields["error"]) == (1, error)


def test_doccam_straightens_a_file_and_writes_it(devices_cli: DevicesCli, photographed_page: PhotographedPage,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "page.webp"
    result = devices_cli("doccam", "--file", str(photographed_page.path), "--out", str(out), "--format", "webp",
                         "--json")
    assert result.returncode == 0, result.stderr
    fields = cli_json(result)
    assert (fields["file"], fields["mime"], fields["height"]) == (str(out), "image/webp", 1754)
    assert fields["bytes"] == out.stat().st_size and out.read_bytes()[8:12] == b"WEBP"


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n" + bytes(64)], ids=["empty", "corrupt"])
def test_doccam_with_a_bad_file_names_it(capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes) -> None:
    (tmp_path / "scan.png").write_bytes(data)
    code, fields = run(capsys, "doccam", "--file", str(tmp_path / "scan.png"))
    assert (code, fields["error"]) == (1, "doccam.bad_image")


def test_doccam_without_a_camera_names_it(devices_cli: DevicesCli, tmp_path: Path) -> None:
    result = devices_cli("doccam", "--camera", str(tmp_path / "video7"), "--json")
    assert result.returncode == 1
    assert cli_json(result)["error"] == "doccam.camera_absent"


def test_identity_fields_for_a_passport_have_no_nation() -> None:
    from devices import mrz

    identity = mrz.parse("\n".join(TD3)).value
    assert identity is not None
    fields = diagnostics.identity_fields(identity)
    assert (fields["nation"], fields["nation_code"], fields["nationality"], fields["sex"]) == (None, None, "UTO", "女")
