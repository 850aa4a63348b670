"""Technician diagnostics: `kiosk24 devices list|status|idcard|print-test|printer-status|mrz|doccam`
(list and status include the A4 printer's CUPS queue).

Run them with the kiosk app stopped: a reader's serial port serves one program at a time. Each
prints plain text, or with --json one JSON object that scripts and monitoring parse (a stable
surface). The idcard and mrz commands print the holder's data unmasked, since checking it is what
they are for: to stdout only, never to a log. Every failure is a non-zero exit and a named error.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devices.health import Health, State
from kiosk.config import Config, ConfigError
from kiosk.identity import CardType, Identity, Sex
from kiosk.outcome import Outcome

_CARD_TYPES = {CardType.RESIDENT: "resident", CardType.FOREIGN_PERMANENT: "foreign_permanent",
               CardType.HMT_RESIDENCE: "hk_mo_tw_permit", CardType.PASSPORT: "passport"}
_SEXES = {Sex.MALE: "男", Sex.FEMALE: "女"}      # 0 unknown and 9 unspecified both print as 未知
_CARD_POLL_S = 0.1
_STATUS_TIMEOUT_S = 0.9     # to connect, then per reply: a silent printer is named within two seconds
_SCANNER_PROBE_S = 3.0     # a camera may take a moment to open
_MAX_MRZ_INPUT = 4096       # bytes read from stdin: three lines of 44 with room for noise


def register(sub: Any, with_config: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    from devices.doccam import QUALITY
    from devices.printer.profile import PROFILES

    for name, handler, text in (("list", cmd_list, "configured devices and where they are"),
                                ("status", cmd_status, "every configured device's health")):
        parser = with_config(sub.add_parser(name, help=text))
        parser.add_argument("--json", action="store_true", help="one JSON object")
        parser.set_defaults(handler=handler, needs_config=True)

    idcard = sub.add_parser("idcard", help="wait for one ID card, read it and print its fields (unmasked)")
    idcard.add_argument("--port", required=True, help="the reader's serial device")
    idcard.add_argument("--baud", type=_at_least(1, int), default=115200)
    idcard.add_argument("--timeout", type=_at_least(0, float), default=10.0,
                        help="seconds to wait for a card (default 10)")

    print_test = sub.add_parser("print-test", help="a test receipt with Chinese text, a QR code and a cut")
    print_test.add_argument("--profile", choices=sorted(PROFILES), default="80mm")

    status = sub.add_parser("printer-status", help="the printer's real-time status (DLE EOT)")

    mrz = sub.add_parser("mrz", help="check an MRZ (passport, travel permit) and print its fields (unmasked)")
    mrz.add_argument("lines", nargs="*", help="the MRZ lines (default: read from standard input)")

    doccam = sub.add_parser("doccam", help="capture a page, straighten and compress it as for upload")
    source = doccam.add_mutually_exclusive_group(required=True)
    source.add_argument("--camera", help="camera index, /dev/videoN or a video file")
    source.add_argument("--file", type=Path, help="an image file, as the simulator reads them")
    doccam.add_argument("--out", type=Path, help="write the compressed page here")
    doccam.add_argument("--format", choices=("jpeg", "webp"), default="jpeg")
    doccam.add_argument("--quality", type=int, choices=range(1, 101), default=QUALITY, metavar="1-100",
                        help=f"encoder quality (default {QUALITY}, the kiosk's)")

    for parser in (print_test, status):
        parser.add_argument("--printer", required=True, type=_printer_uri,
                            help="tcp://HOST[:PORT], serial:///DEVICE[?baud=N], usb://VID:PID or file:///PATH")
    for parser, without_config in ((idcard, cmd_idcard), (print_test, cmd_print_test), (status, cmd_printer_status),
                                   (mrz, cmd_mrz), (doccam, cmd_doccam)):
        parser.add_argument("--json", action="store_true", help="one JSON object")
        parser.set_defaults(handler=without_config, needs_config=False)


def _at_least(minimum: float, kind: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse type: a finite number not below minimum (pyserial raises on a bad baud rate)."""
    def convert(text: str) -> Any:
        value = kind(text)
        if not (math.isfinite(value) and value >= minimum):
            raise argparse.ArgumentTypeError(f"{text} is not a number of at least {minimum}")
        return value
    convert.__name__ = kind.__name__        # argparse names the type in its error message
    return convert


def _printer_uri(value: str) -> Any:
    from devices.printer.driver import connection_for
    try:
        return connection_for(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# -- output -----------------------------------------------------------------------------------------

def _report(args: argparse.Namespace, fields: dict[str, Any], ok: bool = True) -> int:
    """One JSON object with --json, else one `key: value` line per field; 0 when ok, else 1."""
    if args.json:
        print(json.dumps(fields, ensure_ascii=False))
    else:
        print("\n".join(f"{key}: {'' if value is None else value}" for key, value in fields.items()),
              file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def _failed(args: argparse.Namespace, outcome: Outcome[Any]) -> int:
    return _report(args, {"error": outcome.problem, "detail": outcome.detail}, ok=False)


def identity_fields(identity: Identity) -> dict[str, Any]:
    """The fields of `devices idcard --json` (and `devices mrz`), as the issue fixed them."""
    from devices.idcard.protocol import LONG_TERM
    from kiosk import nations

    foreign = identity.card_type in (CardType.FOREIGN_PERMANENT, CardType.PASSPORT)
    code = "" if foreign else identity.nation        # foreigners' cards hold their nationality there
    nation = nations.lookup(code) if code else None
    return {
        "card_type": _CARD_TYPES[identity.card_type],
        "name": identity.name,
        "name_en": identity.english_name or None,
        "sex": _SEXES.get(identity.sex, "未知"),
        "nation": nation.zh if nation else None,
        "nation_code": code or None,
        "nationality": (identity.nation or None) if foreign else None,
        "birth_date": identity.birth_date.isoformat(),
        "valid_from": identity.valid_from.isoformat() if identity.valid_from else None,
        "valid_to": identity.valid_to.isoformat() if identity.valid_to else LONG_TERM,
        "address": identity.address or None,
        "id_number": identity.id_number,
        "authority": identity.authority or None,
        "photo_bytes": len(identity.photo),
    }


# -- list and status --------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class _Device:
    name: str
    setting: Callable[[Config], str]     # where the device is; "" when the kiosk has none
    probe: Callable[[Config], Health]


def _idcard_health(config: Config) -> Health:
    from devices.idcard.reader import READER_ABSENT, IdCardReader

    with IdCardReader(config.idcard_port) as reader:
        outcome = reader.sam_status()
        if outcome.ok:
            return Health("idcard", State.OK)
        # a port that opens but does not answer holds something, just not a working reader
        absent = outcome.problem == READER_ABSENT and not reader.is_open
        return Health("idcard", State.ABSENT if absent else State.FAULT, f"{outcome.problem}: {outcome.detail}")


def _printer_health(config: Config) -> Health:
    from devices import factory

    try:
        printer = factory.receipt_printer(config)
    except ConfigError as exc:
        return Health("printer", State.FAULT, str(exc))
    assert printer is not None      # only probed when configured
    return printer.status()


def _a4_printer_health(config: Config) -> Health:
    """The A4 printer's CUPS queue: its state and IPP reasons, as the kiosk reads them before a job."""
    from devices import factory
    from devices.a4printer import DEVICE, health_of

    try:
        printer = factory.a4_printer(config)
    except ConfigError as exc:
        return Health(DEVICE, State.FAULT, str(exc))
    assert printer is not None      # only probed when configured
    return health_of(printer.queue, printer.status())


def _scanner_health(config: Config) -> Health:
    """Start the scanner as the kiosk would and take its first health report."""
    import threading

    from devices import factory

    try:
        scanner = factory.code_scanner(config)
    except ConfigError as exc:
        return Health("scanner", State.FAULT, str(exc))
    assert scanner is not None      # only probed when configured
    reports: list[Health] = []
    reported = threading.Event()

    def report(health: Health) -> None:
        reports.append(health)
        reported.set()

    scanner.start(lambda code: None, lambda problem: None, report)
    try:
        reported.wait(_SCANNER_PROBE_S)
    finally:
        scanner.stop()
    return reports[0] if reports else Health("scanner", State.FAULT, "no report within "
                                             f"{_SCANNER_PROBE_S:.0f} s")


_DEVICES = (
    _Device("idcard", lambda config: config.idcard_port, _idcard_health),
    _Device("printer", lambda config: config.printer, _printer_health),
    _Device("scanner", lambda config: config.scanner, _scanner_health),
    _Device("a4printer", lambda config: config.a4_printer, _a4_printer_health),
)


def cmd_list(args: argparse.Namespace, config: Config) -> int:
    devices = [{"device": d.name, "where": d.setting(config) or None,
                "state": "configured" if d.setting(config) else State.ABSENT.value} for d in _DEVICES]
    if args.json:
        print(json.dumps({"devices": devices}, ensure_ascii=False))
    else:
        for device in devices:
            print(f"{device['device']:<8} {device['where'] or 'absent: not configured'}")
    return 0


def cmd_status(args: argparse.Namespace, config: Config) -> int:
    """Exit 1 when a configured device is not usable: monitoring alarms on the exit code alone."""
    devices: list[dict[str, object]] = []
    for kind in _DEVICES:
        where = kind.setting(config)
        health = kind.probe(config) if where else Health(kind.name, State.ABSENT, "not configured")
        devices.append({**health.as_dict(), "where": where or None})
    usable = all(d["state"] in (State.OK.value, State.WARNING.value) for d in devices if d["where"])
    if args.json:
        print(json.dumps({"devices": devices}, ensure_ascii=False))
    else:
        for device in devices:
            print(f"{device['device']:<8} {device['state']:<8} {device['where'] or ''} {device['detail']}".rstrip())
    return 0 if usable else 1


# -- ID card ------------------------------------------------------------------------------------------

def cmd_idcard(args: argparse.Namespace, config: None) -> int:
    from devices.idcard.reader import IdCardReader

    with IdCardReader(args.port, args.baud) as reader:
        outcome = wait_for_card(reader, args.timeout)
    if not outcome.ok:
        return _failed(args, outcome)
    assert outcome.value is not None
    return _report(args, identity_fields(outcome.value))


def wait_for_card(reader: Any, timeout: float) -> Outcome[Identity]:
    """Poll for a card until one is read or timeout passes; any other failure ends the wait at once."""
    from devices.idcard.reader import NO_CARD

    deadline = time.monotonic() + timeout
    while True:
        found = reader.find_card()
        if found.ok:
            return reader.read_card()
        if found.problem != NO_CARD:
            return Outcome.failure(found.problem, found.detail)
        if time.monotonic() >= deadline:
            return Outcome.failure(NO_CARD, f"no card placed within {timeout:g}s")
        time.sleep(_CARD_POLL_S)


# -- printer ------------------------------------------------------------------------------------------

def print_test_receipt(when: dt.datetime) -> Any:
    """What a technician checks by eye: Chinese text and punctuation, the yuan sign, a QR code, the cut."""
    from kiosk.receipt import Kind, Line, Receipt

    stamp = when.strftime("%Y-%m-%d %H:%M:%S")
    return Receipt((
        Line(Kind.TITLE, "打印测试"),
        Line(Kind.RULE),
        Line(Kind.FIELD, stamp, "时间"),
        Line(Kind.TEXT, "中文：政务服务“一网通办”，标点（，。：；！？）《》"),
        Line(Kind.TEXT, "全角￥0.00  ASCII 0123456789 abc XYZ"),
        Line(Kind.QR, f"K24:PRINT-TEST:{when:%Y%m%d%H%M%S}"),
        Line(Kind.TEXT, "扫描上方二维码应得到 K24:PRINT-TEST"),
        Line(Kind.FEED),
    ))


def cmd_print_test(args: argparse.Namespace, config: None) -> int:
    from devices.printer.driver import UNVERIFIED, ReceiptPrinter
    from devices.printer.profile import PROFILES

    outcome = ReceiptPrinter(args.printer, PROFILES[args.profile]).print(print_test_receipt(dt.datetime.now()))
    if outcome.problem == UNVERIFIED:       # a write-only device file: sent, and that is all it can say
        return _report(args, {"printed": None, "error": None, "detail": outcome.detail})
    if not outcome.ok:
        return _report(args, {"printed": False, "error": outcome.problem, "detail": outcome.detail}, ok=False)
    return _report(args, {"printed": True, "error": None, "detail": ""})


def cmd_printer_status(args: argparse.Namespace, config: None) -> int:
    from devices.printer.driver import NO_STATUS, ReceiptPrinter
    from devices.printer.profile import PROFILE_80MM

    # the paper width does not matter here; every profile reads status where the link can
    read = ReceiptPrinter(args.printer, PROFILE_80MM, timeout=_STATUS_TIMEOUT_S).read_status()
    unknown = {"online": None, "paper": "unknown", "cover_open": None}
    if not read.ok:
        fields = {**unknown, "online": False, "error": read.problem, "detail": read.detail}
    elif read.value is None:
        fields = {**unknown, "error": NO_STATUS, "detail": "this connection is write-only"}
    else:
        status = read.value
        paper = "end" if status.paper_end else "near_end" if status.paper_near_end else "ok"
        fields = {"online": not status.offline, "paper": paper, "cover_open": status.cover_open,
                  "error": status.problem, "detail": str(status)}
    return _report(args, fields, ok=fields["error"] is None)


# -- MRZ and document camera -------------------------------------------------------------------------

def cmd_mrz(args: argparse.Namespace, config: None) -> int:
    from devices import mrz

    # bytes, not text: whatever a reader or a pipe sends must not stop at a decoding error
    text = "\n".join(args.lines) if args.lines else sys.stdin.buffer.read(_MAX_MRZ_INPUT).decode("ascii", "replace")
    outcome = mrz.parse(text)
    if not outcome.ok:
        return _failed(args, outcome)
    assert outcome.value is not None
    return _report(args, identity_fields(outcome.value))


def cmd_doccam(args: argparse.Namespace, config: None) -> int:
    from devices import doccam

    if args.camera is not None:
        source: doccam.FrameSource = doccam.Camera(int(args.camera) if args.camera.isdigit() else args.camera)
    else:
        source = doccam.ImageFiles([args.file])
    started = time.perf_counter()
    try:
        frame = source.read()
    finally:
        source.close()
    if not frame.ok:
        return _failed(args, frame)
    assert frame.value is not None
    scanned = doccam.scan(frame.value, args.format, args.quality)
    if not scanned.ok:
        return _failed(args, scanned)
    page = scanned.value
    assert page is not None
    if args.out is not None:
        try:
            args.out.write_bytes(page.data)
        except OSError as exc:
            return _report(args, {"error": "write_failed", "detail": f"{args.out}: {exc}"}, ok=False)
    return _report(args, {
        "file": str(args.out) if args.out else None, "mime": page.mime, "bytes": len(page.data),
        "width": page.width, "height": page.height, "corners": [[round(x), round(y)] for x, y in page.corners],
        "ms": round((time.perf_counter() - started) * 1000),
    })
