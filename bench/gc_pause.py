"""How long the kiosk's UI thread stops for a full garbage collection, with the heap as it is and with what
start-up made frozen (gc.freeze, as ui.collector does at the first full collection).

ui.collector runs Python's collector on the UI thread; a full (generation 2) collection walks every object the
collector tracks (~400,000 after start-up: Qt's wrappers, the catalog, the strings) and stops the screen while
it does, about once in a hundred quick passes. Frozen, the objects that live as long as the kiosk are left out.
After the chosen number of whole visits through the real widgets (bench.soak's), each figure is the median of
three full collections, each right after one more visit, first with the heap as it is, then with what was alive
before those visits frozen; both in this run. Then the kiosk's own collector's tick (every 100 ms, ui.collector)
with the heap frozen, the median of TICKS: it once asked gc how many objects were frozen, a walk of all of them,
24.6 ms a tick.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.gc_pause [--visits 20]   (JSON last line)
"""
from __future__ import annotations

import gc
import statistics
import time

from bench.soak import Finger, settle, visit
from tests.fixtures.kiosk import KioskUnderTest
from ui.collector import UiThreadCollector

VISITS = 20
TICKS = 50
RESULTS: dict[str, object] = {}


def pause_after_a_visit(app: KioskUnderTest, finger: Finger, times: int = 3) -> float:
    """The median pause of the full collection that follows a whole visit (its garbage and what lives on)."""
    pauses = []
    for _ in range(times):
        visit(app, finger)
        started = time.perf_counter()
        gc.collect()
        pauses.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(pauses), 1)


def tick_ms(collector: UiThreadCollector) -> float:
    """The median time of the collector's tick, the heap frozen."""
    ticks = []
    for _ in range(TICKS):
        started = time.perf_counter()
        collector.collect()
        ticks.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(ticks), 3)


def test_gc_pause(kiosk_app: KioskUnderTest) -> None:
    finger = Finger(kiosk_app)
    for _ in range(VISITS):
        visit(kiosk_app, finger)
    settle()
    tracked = len(gc.get_objects())
    as_is = pause_after_a_visit(kiosk_app, finger)
    gc.collect()
    gc.freeze()
    try:
        frozen = pause_after_a_visit(kiosk_app, finger)
        left = len(gc.get_objects())
        tick = tick_ms(kiosk_app.kiosk.collector)
    finally:
        gc.unfreeze()
    RESULTS.update({"bench": "gc_pause", "visits": VISITS, "tracked_objects": tracked, "tracked_after_freeze": left,
                    "full_collection_ms": as_is, "full_collection_frozen_ms": frozen,
                    "frozen_to_as_is": round(frozen / as_is, 3), "collector_tick_frozen_ms": tick})


if __name__ == "__main__":
    from bench import visits

    visits.run("gc_pause")
