"""`kiosk24 devices decode` (images through the camera's pipeline) and `kiosk24 devices scanner-test`."""
from __future__ import annotations

import argparse
import json
import queue
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devices.health import Health
from devices.scanner.framing import TERMINATORS
from devices.scanner.payload import Code, Gate, PayloadRules, display_text
from devices.scanner.pipeline import Pipeline
from devices.scanner.source import ThreadedScanner


def register(sub: Any, with_config: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    decode = sub.add_parser("decode", help="decode QR codes and barcodes in image files as the camera would")
    decode.add_argument("files", nargs="+", type=Path, metavar="FILE")
    decode.add_argument("--json", action="store_true", help='one JSON object per file: {"file", "codes", "ms"}')
    decode.set_defaults(handler=cmd_decode, needs_config=False)

    test = sub.add_parser("scanner-test", help="read from one scanner and print what it reports")
    source = test.add_mutually_exclusive_group(required=True)
    source.add_argument("--camera", metavar="DEVICE", help="camera index, or a video file or image sequence")
    source.add_argument("--hid", metavar="PATTERN", help="input device, e.g. '/dev/input/by-id/usb-*-event-kbd'")
    source.add_argument("--serial", metavar="PORT", help="serial port, e.g. /dev/serial/by-id/...")
    test.add_argument("--baud", type=int, default=9600, help="serial baud rate (default 9600)")
    test.add_argument("--suffix", choices=sorted(TERMINATORS), default="cr", help="serial frame end (default cr)")
    test.add_argument("--seconds", type=float, default=30.0, help="stop after this long (default 30)")
    test.add_argument("--count", type=int, default=1, help="stop after this many codes (default 1)")
    test.add_argument("--reveal", action="store_true",
                      help="print what the codes say (default: format and length only; payloads may be credentials)")
    test.add_argument("--json", action="store_true", help="one JSON object per event")
    test.set_defaults(handler=cmd_scanner_test, needs_config=False)


# -- decode ----------------------------------------------------------------------------------------

def decode_file(path: Path, pipeline: Pipeline) -> dict[str, Any]:
    """{"file", "codes": [{"text", "format"}], "ms"}, or {"file", "error"} when it is no readable image."""
    import cv2
    import numpy as np
    try:
        data = path.read_bytes()
    except OSError as error:
        return {"file": str(path), "error": f"cannot read: {error.strerror or error}"}
    started = time.perf_counter()
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE) if data else None
    if image is None:
        return {"file": str(path), "error": "not an image, or a damaged one" if data else "empty file"}
    gate = Gate(PayloadRules(), "file")     # drops the same payload found twice in one image
    codes, problems = [], []
    for symbol in pipeline.decode(image).symbols:
        outcome = gate.admit(symbol.raw, symbol.format, 0.0, symbol.declared)
        if outcome is None:
            continue
        if outcome.ok:
            codes.append(_code_json(outcome.unwrap()))
        else:
            problems.append(outcome.problem)
    line: dict[str, Any] = {"file": str(path), "codes": codes, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if problems:
        line["problems"] = problems
    return line


def _code_json(code: Code) -> dict[str, Any]:
    """text is null for a binary payload, whose bytes are then given as hex."""
    shown: dict[str, Any] = {"text": code.text, "format": code.format.value}
    if code.binary:
        shown["hex"] = code.raw.hex()
    return shown


def cmd_decode(args: argparse.Namespace, config: None) -> int:
    """Exit 0 when every file was a readable image, found codes or not; 1 otherwise."""
    pipeline = Pipeline()
    readable = True
    for path in args.files:
        line = decode_file(path, pipeline)
        readable &= "error" not in line
        print(json.dumps(line) if args.json else _decode_human(line), flush=True)
    return 0 if readable else 1


def _decode_human(line: dict[str, Any]) -> str:
    if "error" in line:
        return f"{line['file']}: {line['error']}"
    rows = [f"{line['file']}: {len(line['codes'])} code(s) in {line['ms']} ms"]
    for code in line["codes"]:
        shown = display_text(code["text"]) if code["text"] is not None else f"binary {code['hex'][:32]}"
        rows.append(f"  {code['format']}: {shown}")
    return "\n".join(rows + [f"  problem: {problem}" for problem in line.get("problems", [])])


# -- scanner-test ----------------------------------------------------------------------------------

def _scanner(args: argparse.Namespace) -> ThreadedScanner:
    if args.camera is not None:
        from devices.scanner.camera import CameraScanner
        return CameraScanner(int(args.camera) if args.camera.isdigit() else args.camera)
    if args.hid is not None:
        from devices.scanner.hid import HidScanner
        return HidScanner(args.hid)
    from devices.scanner.serial_port import SerialScanner
    return SerialScanner(args.serial, args.baud, args.suffix)


def cmd_scanner_test(args: argparse.Namespace, config: None) -> int:
    """Print codes, problems and health changes until --count codes or --seconds; exit 0 when
    at least one code was read."""
    events: queue.Queue[Code | Health | str] = queue.Queue()
    scanner = _scanner(args)
    scanner.start(events.put, events.put, events.put)
    codes = 0
    deadline = time.monotonic() + args.seconds
    try:
        while codes < args.count and time.monotonic() < deadline:
            try:
                event = events.get(timeout=min(0.2, max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                continue
            codes += isinstance(event, Code)
            shown = _event_json(event, args.reveal)
            print(json.dumps(shown) if args.json else " ".join(f"{key}={value}" for key, value in shown.items()),
                  flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        scanner.stop()
    return 0 if codes else 1


def _event_json(event: Code | Health | str, reveal: bool) -> dict[str, Any]:
    if isinstance(event, Health):
        return {"event": "health", "state": event.state.value, "detail": event.detail}
    if isinstance(event, str):
        return {"event": "problem", "problem": event}
    shown: dict[str, Any] = {"event": "code", "format": event.format.value, "source": event.source,
                             "bytes": len(event.raw), "binary": event.binary}
    if reveal:
        shown["text"] = event.display
    return shown
