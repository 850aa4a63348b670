"""`kiosk24 demo`: everything on one machine — a local case store, simulated devices, the kiosk.

The simulators speak the real protocols (GA/T 467 on a pty, ESC/POS over TCP), so the demo runs
the same drivers as a kiosk in a station; only the hardware is imaginary. Receipts are rendered
to PNG files under the data directory, and A4 documents go through a cupsd of the demo's own
(devices/cups_sandbox.py) to PDF files beside them; without cupsd installed the demo has no A4 printer.
"""
from __future__ import annotations

import ctypes
import dataclasses
import datetime as dt
import itertools
import logging
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from kiosk import config as kiosk_config
from kiosk import ecredential, receipt
from kiosk.session import State

if TYPE_CHECKING:
    from devices.cups_sandbox import CupsSandbox

log = logging.getLogger(__name__)
STARTUP_TIMEOUT_S = 30.0
PR_SET_PDEATHSIG = 1            # linux/prctl.h


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop_with_parent() -> None:
    """In the case store's process before it starts: SIGTERM when the demo dies, even by SIGKILL."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_casestore(data_dir: Path, ecredential_keys: str = "") -> tuple[subprocess.Popen, str]:
    """The reference case store as its own process, as it would run at the centre. In a session of its
    own, so a terminal's Ctrl+C reaches only the demo, which stops the kiosk first and then the store.
    ecredential_keys: the demo centre's e-credential key, so a scanned e-credential proves a visit."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_file = open(data_dir / "casestore.log", "ab")    # noqa: SIM115 — lives as long as the process
    process = subprocess.Popen(
        [sys.executable, "-m", "sync.casestore.serve", "--port", str(port),
         "--db", f"sqlite:///{data_dir / 'casestore.db'}", "--ecredential-public-keys", ecredential_keys],
        stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_stop_with_parent)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the case store exited at start; see {data_dir / 'casestore.log'}")
        try:
            if requests.get(f"{url}/api/v1/health", timeout=1).ok:
                return process, url
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the case store did not answer within {STARTUP_TIMEOUT_S:.0f}s")


def demo_centre_key(data_dir: Path) -> str:
    """The key the demo's case store signs with (made beside its database at its start), pinned by the kiosk."""
    from sync import signing
    from sync.casestore.enrol import centre_key
    return signing.public_text(centre_key(f"sqlite:///{data_dir / 'casestore.db'}").public_key())


def start_a4_printer(out: Path) -> CupsSandbox | None:
    """The demo's A4 printer: a throwaway cupsd whose queue writes each job's PDF to out, or None (said
    once) when this machine has no cupsd or pycups; the kiosk then says its documents cannot be printed."""
    from devices import cups_sandbox

    reason = cups_sandbox.missing()
    if not reason:
        try:
            return cups_sandbox.CupsSandbox(out, preexec=_stop_with_parent)
        except (OSError, RuntimeError) as error:
            reason = f"cupsd did not start: {error}"
    log.warning("demo: no A4 printer, so no certified documents printed: %s", reason)
    return None


def run(config: kiosk_config.Config, data_dir: Path | None, check: bool = False) -> int:
    """The configured kiosk, with its centre and devices replaced by local, simulated ones."""
    from devices.idcard.simulator import IdCardSimulator, demo_cards
    from devices.printer.simulator import PrinterSimulator
    from devices.scanner.simulator import SerialScannerSimulator
    from sync.casestore.enrol import enrol
    from sync.casestore.issue_credential import load_or_create_key
    from ui import runner

    data_dir = Path(data_dir or tempfile.mkdtemp(prefix="kiosk24-demo-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    centre_key = load_or_create_key(data_dir / "ecredential.pem")   # the demo centre signs e-credentials
    casestore, url = start_casestore(data_dir, ecredential.public_key_text(centre_key.public_key()))
    printer = PrinterSimulator(output_dir=data_dir / "receipts").start()
    reader = IdCardSimulator()
    scanner = SerialScannerSimulator()
    residents = itertools.cycle([c for c in demo_cards() if c.card_type.value == "resident"])
    a4 = start_a4_printer(data_dir / "documents")
    log.info("demo: case store %s, printer 127.0.0.1:%d, ID-card reader %s, receipts in %s, A4 printer %s",
             url, printer.port, reader.port, data_dir / "receipts",
             f"{a4.queue} printing to {a4.out}" if a4 is not None else "none")
    try:
        credential = enrol(f"sqlite:///{data_dir / 'casestore.db'}", config.kiosk_id)   # the demo enrols itself
        config = dataclasses.replace(config, data_dir=data_dir / "kiosk", centre_url=url, credential=credential,
                                     credential_file="", idcard_port=reader.port,
                                     centre_public_key=demo_centre_key(data_dir),
                                     printer=f"tcp://127.0.0.1:{printer.port}", fullscreen=False,
                                     a4_printer=a4.queue if a4 is not None else "",
                                     doccam=config.doccam or "simulator",
                                     face_camera=config.face_camera or "simulator",
                                     scanner=f"serial://{scanner.port}?suffix=cr",
                                     ecredential_public_keys=ecredential.public_key_text(centre_key.public_key()))

        shown: list[Any] = []          # the kiosk, once built: what the scan button holds up depends on its screen

        def show_e_credential() -> None:
            """Held to the scanner: on the progress screen the slip the printer gave last (its QR code, as
            printed), elsewhere a citizen's phone showing a code the demo centre just issued."""
            slips = [p for r in printer.receipts() for p in r.qr_payloads if receipt.parse_tracking_payload(p)]
            if shown and shown[0].controller.session.state is State.PROGRESS and slips:
                scanner.scan(slips[-1].encode())
                return
            payload = ecredential.issue(centre_key, next(residents), dt.datetime.now(dt.UTC), dt.timedelta(minutes=10))
            scanner.scan(payload.encode())

        def built(kiosk: Any) -> None:
            shown.append(kiosk)
            kiosk.bridge.identity_read.connect(lambda _: reader.remove())
        return runner.run(config, check=check, demo=True, demo_insert=lambda: reader.insert(next(residents)),
                          demo_scan=show_e_credential, on_built=built)
    finally:
        reader.close()
        scanner.close()
        printer.stop()
        if a4 is not None:
            a4.stop()
        casestore.terminate()
        try:
            casestore.wait(timeout=10)
        except subprocess.TimeoutExpired:
            casestore.kill()
