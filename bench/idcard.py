"""Time from an ID card laid on the reader to its Identity delivered by the CardPoller, against one
raw frame round trip on the same pty.

The simulator answers on a real pty, so the driver's serial I/O, framing and decoding all count.
The baseline sends the read-base-information request and reads its 1295-byte reply with bare
pyserial: the least any driver could take for the largest frame. The poller runs at the kiosk's
interval (devices.factory), and each card is laid at a random moment between two polls, as a
citizen would; the poll interval therefore dominates, and the driver's own cost is reported apart.
"""
from __future__ import annotations

import json
import queue
import random
import statistics
import time

from bench.figures import median_ms, p95_ms
from devices import factory
from devices.idcard import protocol
from devices.idcard.protocol import Command
from devices.idcard.reader import IdCardReader
from devices.idcard.simulator import IdCardSimulator, demo_cards
from kiosk.config import Config

RUNS = 20


def raw_round_trips(simulator: IdCardSimulator, runs: int) -> list[float]:
    import serial

    request = protocol.request(Command.READ_BASE_INFO)
    with serial.Serial(simulator.port, 115200, timeout=2) as port:
        port.write(protocol.request(Command.SELECT_CARD))
        port.read(len(protocol.reply(protocol.Status.SUCCESS)))
        size = len(protocol.reply(protocol.Status.SUCCESS, protocol.base_info(bytes(256), bytes(1024))))
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            port.write(request)
            if len(port.read(size)) != size:
                raise RuntimeError("the simulator sent a short reply")
            times.append(time.perf_counter() - started)
    return times


def driver_reads(simulator: IdCardSimulator, runs: int) -> list[float]:
    times = []
    with IdCardReader(simulator.port) as reader:
        for _ in range(runs):
            started = time.perf_counter()
            if not reader.read_card().ok:
                raise RuntimeError("the driver could not read the simulator's card")
            times.append(time.perf_counter() - started)
    return times


def placed_to_identity(simulator: IdCardSimulator, runs: int) -> tuple[list[float], float]:
    """Latencies, and the poll interval of the poller the kiosk builds."""
    delivered: queue.Queue[float] = queue.Queue()
    poller = factory.card_poller(Config(idcard_port=simulator.port), lambda _: delivered.put(time.perf_counter()),
                                 lambda _: None, lambda _: None)
    assert poller is not None
    card = demo_cards()[0]
    times = []
    poller.start()
    try:
        for _ in range(runs):
            simulator.remove()
            seen = simulator.requests
            while simulator.requests < seen + 3:        # two empty polls: the poller knows the card left
                time.sleep(0.01)
            time.sleep(random.uniform(0, poller.interval))
            placed = time.perf_counter()
            simulator.insert(card)
            times.append(delivered.get(timeout=5) - placed)
    finally:
        poller.stop()
    return times, poller.interval


def placed_to_screen(simulator: IdCardSimulator, runs: int) -> list[float]:
    """Card placed to the form on screen with the fields filled from it: the whole kiosk, offscreen."""
    import os
    import tempfile
    from pathlib import Path

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QLineEdit

    from kiosk.catalog import FieldType
    from kiosk.session import State
    from ui import bootstrap

    application = QApplication.instance() or QApplication([])
    card = demo_cards()[0]
    times = []
    with tempfile.TemporaryDirectory() as data:
        kiosk = bootstrap.build(Config(data_dir=Path(data), idcard_port=simulator.port, centre_url="http://127.0.0.1:9"))
        controller, session = kiosk.controller, kiosk.controller.session
        service = next(s for s in session.catalog.services
                       if s.hours.always and any(f.type is FieldType.ID_NUMBER for f in s.fields))
        key = next(f.key for f in service.fields if f.type is FieldType.ID_NUMBER)
        kiosk.window.resize(1920, 1080)
        kiosk.window.show()
        kiosk.start()
        try:
            for _ in range(runs):
                simulator.remove()
                controller.home()
                controller.start()
                controller.choose_service(service.code)
                controller.apply()
                seen = simulator.requests
                while simulator.requests < seen + 3:        # the poller has seen the empty reader
                    application.processEvents()
                placed = time.perf_counter()
                simulator.insert(card)
                while True:
                    application.processEvents()
                    field = kiosk.window.screen_widget.findChild(QLineEdit, f"field_{key}")
                    if session.state is State.FORM and field is not None and field.isVisible() and field.text():
                        break
                times.append(time.perf_counter() - placed)
        finally:
            kiosk.stop()
    return times


def main() -> None:
    random.seed(467)
    with IdCardSimulator() as simulator:
        simulator.insert(demo_cards()[0])
        raw = raw_round_trips(simulator, RUNS * 5)
        read = driver_reads(simulator, RUNS * 5)
        placed, interval = placed_to_identity(simulator, RUNS)
        on_screen = placed_to_screen(simulator, RUNS)
    result = {
        "bench": "idcard",
        "runs": RUNS,
        "poll_interval_ms": interval * 1000,
        "raw_frame_round_trip_median_ms": median_ms(raw),
        "driver_read_card_median_ms": median_ms(read),
        "placed_to_identity_median_ms": median_ms(placed),
        "placed_to_identity_p95_ms": p95_ms(placed),
        "placed_to_fields_on_screen_median_ms": median_ms(on_screen),
        "placed_to_fields_on_screen_p95_ms": p95_ms(on_screen),
        "ratio_driver_read_to_raw": round(statistics.median(read) / statistics.median(raw), 2),
        "ratio_placed_to_raw": round(statistics.median(placed) / statistics.median(raw), 2),
    }
    print(f"raw 1295-byte frame round trip {result['raw_frame_round_trip_median_ms']} ms; driver find+select+read "
          f"{result['driver_read_card_median_ms']} ms; card placed to Identity {result['placed_to_identity_median_ms']}"
          f" ms median, {result['placed_to_identity_p95_ms']} ms p95 (poll every {result['poll_interval_ms']:g} ms)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
