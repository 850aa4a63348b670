"""Chooses each device's implementation from configuration, in one place.

Drivers import their heavy libraries (python-escpos, pyserial) only when first used, so building
them here costs nothing on the path to the first frame.
"""
from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from devices.a4printer import CupsA4Printer, parse_queue
from devices.health import Health
from devices.idcard.reader import CardPoller, IdCardReader
from devices.printer.driver import ReceiptPrinter, connection_for
from devices.printer.profile import PROFILES
from devices.scanner.camera import CameraScanner
from devices.scanner.hid import HidScanner
from devices.scanner.payload import PayloadRules
from devices.scanner.serial_port import SerialScanner
from kiosk.config import Config, ConfigError
from kiosk.identity import Identity

if TYPE_CHECKING:
    from devices.document_camera import DocumentCamera
    from devices.face.verifier import CameraFaceVerifier
    from devices.scanner.source import Scanner


def receipt_printer(config: Config) -> ReceiptPrinter | None:
    """None when the kiosk has no printer: the receipt is then shown on screen only."""
    if not config.printer:
        return None
    if config.printer_profile not in PROFILES:
        raise ConfigError(f"printer_profile: {config.printer_profile!r} is not one of {', '.join(PROFILES)}")
    try:
        connection = connection_for(config.printer)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    return ReceiptPrinter(connection, PROFILES[config.printer_profile])


def a4_printer(config: Config, on_health: Callable[[Health], None] | None = None) -> CupsA4Printer | None:
    """The A4 printer's CUPS queue, or None: printing services then say before identification that this
    kiosk cannot print them."""
    if not config.a4_printer:
        return None
    try:
        queue, server = parse_queue(config.a4_printer)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    return CupsA4Printer(queue, server, on_health=on_health)


def code_scanner(config: Config) -> Scanner | None:
    """The configured code scanner, or None: citizens then type case numbers instead."""
    if not config.scanner:
        return None
    kind, _, rest = config.scanner.partition(":")
    parts = urllib.parse.urlsplit(config.scanner)
    query = dict(urllib.parse.parse_qsl(parts.query))
    rules = PayloadRules(prefix=query.pop("strip_prefix", "").encode(), suffix=query.pop("strip_suffix", "").encode(),
                         duplicate_window_s=config.scanner_duplicate_window_s)
    try:
        if kind == "camera" and not query:
            where = parts.path if rest.startswith("//") else rest
            return CameraScanner(int(where) if where.isdigit() else where, rules)
        if kind == "hid" and rest and not query:
            return HidScanner(rest, rules)
        if kind == "serial" and parts.path:
            baud = int(query.pop("baud", "9600"))
            suffix = query.pop("suffix", "cr")
            if not query:
                return SerialScanner(parts.path, baud, suffix, rules)
    except ValueError as exc:
        raise ConfigError(f"scanner: {config.scanner!r}: {exc}") from exc
    raise ConfigError(f"scanner: {config.scanner!r} is not camera:INDEX|PATH, hid:PATTERN or "
                      "serial:///DEVICE?baud=N&suffix=cr|lf|crlf")


def document_camera(config: Config) -> DocumentCamera | None:
    """The configured document camera, or None: the materials step then says to supply them at a window."""
    from devices import doccam
    from devices.document_camera import DocumentCamera

    kind, _, rest = config.doccam.partition(":")
    if not config.doccam:
        return None
    if config.doccam == "simulator":
        from devices.doccam_simulator import PhotographedPages

        return DocumentCamera(PhotographedPages())
    if kind == "camera" and rest:
        where = urllib.parse.urlsplit(config.doccam).path if rest.startswith("//") else rest
        return DocumentCamera(doccam.Camera(int(where) if where.isdigit() else where))
    if kind == "files" and rest:
        return DocumentCamera(doccam.ImageFiles([Path(p) for p in rest.split(",")]))
    raise ConfigError(f"doccam: {config.doccam!r} is not camera:INDEX|PATH, files:PATH,PATH or simulator")


def face_verifier(config: Config) -> CameraFaceVerifier | None:
    """The camera facing the citizen and the face matcher, or None: services that ask for a face check
    then send the citizen to staff. The model itself loads on the first comparison."""
    from devices import doccam
    from devices.face.reference import ReferenceDecoder, WltLibrary
    from devices.face.verifier import CameraFaceVerifier

    kind, _, rest = config.face_camera.partition(":")
    decoder = ReferenceDecoder(WltLibrary(config.wlt_library) if config.wlt_library else None)
    if not config.face_camera:
        return None
    if config.face_camera == "simulator":
        from devices.face import samples

        return CameraFaceVerifier(doccam.ImageFiles(samples.turning_frames()), decoder,
                                  liveness=config.face_liveness)
    if kind == "camera" and rest:
        where = urllib.parse.urlsplit(config.face_camera).path if rest.startswith("//") else rest
        return CameraFaceVerifier(doccam.Camera(int(where) if where.isdigit() else where, 1280, 720), decoder,
                                  liveness=config.face_liveness)
    if kind == "files" and rest:
        return CameraFaceVerifier(doccam.ImageFiles([Path(p) for p in rest.split(",")]), decoder,
                                  liveness=config.face_liveness)
    raise ConfigError(f"face_camera: {config.face_camera!r} is not camera:INDEX|PATH, files:PATH,PATH or simulator")


def card_poller(config: Config, on_identity: Callable[[Identity], None], on_problem: Callable[[str], None],
                on_health: Callable[[Health], None], interval: float = 0.25) -> CardPoller | None:
    """None when no reader is configured: citizens then identify another way."""
    if not config.idcard_port:
        return None
    return CardPoller(IdCardReader(config.idcard_port), on_identity, on_problem, on_health, interval=interval)
