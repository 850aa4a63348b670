"""Time to compose an acceptance receipt and print it on the TCP printer simulator through the real
driver, against sending the same bytes on a raw socket.

The driver's run is what the kiosk does after a submission: compose (kiosk.receipt), render to
ESC/POS, connect, read the real-time status, send, read the status again after the cut. The baseline
connects, sends the rendered bytes and one status request, and waits for its answer, which the
simulator gives only once it has taken in the whole receipt. Runs alternate, so machine noise hits
both alike.
"""
from __future__ import annotations

import datetime as dt
import json
import socket
import statistics
import time

from bench.figures import median_ms, p95_ms
from devices.idcard.simulator import demo_cards
from devices.printer.driver import DLE_EOT, NetworkConnection, ReceiptPrinter
from devices.printer.escpos_render import render
from devices.printer.profile import PROFILE_80MM
from devices.printer.simulator import PrinterSimulator
from kiosk import catalog
from kiosk.application import CHINA_TZ, Application, new_key
from kiosk.i18n import Translator
from kiosk.receipt import Receipt, compose

RUNS = 50


def composed(service: catalog.Service, translator: Translator) -> tuple[float, Receipt]:
    """A receipt for a fresh application of a demo citizen, and the seconds compose took."""
    submitted = dt.datetime(2026, 11, 25, 21, 30, tzinfo=CHINA_TZ)
    application = Application(idempotency_key=new_key(), kiosk_id="XY-BENCH-01", service_code=service.code,
                              applicant=demo_cards()[0], form={}, submitted_at=submitted,
                              promised_date=submitted.date() + dt.timedelta(days=5))
    started = time.perf_counter()
    receipt = compose(application, service, "XY-20261125-0007", translator)
    return time.perf_counter() - started, receipt


def raw_send(port: int, data: bytes) -> float:
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(data + DLE_EOT + b"\x01")
        if len(sock.recv(1)) != 1:
            raise RuntimeError("the simulator did not answer after the receipt")
    return time.perf_counter() - started


def main() -> None:
    service, translator = catalog.load().services[0], Translator("zh_CN")
    compose_times, print_times, raw_times = [], [], []
    with PrinterSimulator(PROFILE_80MM) as simulator:
        printer = ReceiptPrinter(NetworkConnection("127.0.0.1", simulator.port), PROFILE_80MM)
        for _ in range(RUNS):
            compose_s, receipt = composed(service, translator)
            started = time.perf_counter()
            outcome = printer.print(receipt)
            print_times.append(compose_s + time.perf_counter() - started)
            if not outcome.ok:
                raise RuntimeError(f"the driver did not print: {outcome.problem} {outcome.detail}")
            compose_times.append(compose_s)
            data = render(receipt, PROFILE_80MM)
            raw_times.append(raw_send(simulator.port, data))
        if len(simulator.wait_for(2 * RUNS)) != 2 * RUNS:
            raise RuntimeError("a receipt went missing")
    result = {
        "bench": "receipt",
        "runs": RUNS,
        "receipt_bytes": len(data),
        "compose_median_ms": median_ms(compose_times),
        "compose_and_print_median_ms": median_ms(print_times),
        "compose_and_print_p95_ms": p95_ms(print_times),
        "raw_send_median_ms": median_ms(raw_times),
        "ratio_compose_and_print_to_raw": round(statistics.median(print_times) / statistics.median(raw_times), 2),
    }
    print(f"compose {result['compose_median_ms']} ms; compose, render, status, send, status "
          f"{result['compose_and_print_median_ms']} ms; the same {len(data)} bytes on a raw socket "
          f"{result['raw_send_median_ms']} ms (medians of {RUNS})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
