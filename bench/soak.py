"""A day of citizens through the real widgets: memory and live Qt objects after visit 1, 100, 1,000 and 2,000.

Each visit is a whole one by touch (bench.taps' walk): touch to start, 无犯罪记录证明, the card on the reader,
the form typed on the on-screen keys, materials later, signature, review, submit, the receipt printed on
the simulator and pushed to the case store, 非常满意, thanks, back to the start. After the chosen visits,
with the event loop's deferred deletions done and a full garbage collection: the process's RSS, the
Python objects the collector tracks, the QObjects alive under the application (top-level widgets and the
application's own children, recursively) and the Python wrappers of Qt objects shiboken still holds.
A kiosk that runs for 24 hours must look the same at hour 23 as at hour 1: RSS within 10 % of the first
visit's, and no growth in Qt objects.

Run: QT_QPA_PLATFORM=offscreen nice -n 10 .venv/bin/python -m bench.soak --visits 2000   (JSON last line)
It is a pytest module so that it reuses the tests' fixtures (case store, card reader, printer simulators).
"""
from __future__ import annotations

import functools
import gc
import time

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea

from bench.taps import CRIMINAL_RECORD, Finger, choosers, walk_by_touch
from kiosk.identity import Identity
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest
from ui.keyboard import READY_IN_MS

CHECKPOINTS = (1, 100, 250, 500, 750, 1000, 1500, 2000)
VISITS = 50                  # while developing; --visits 2000 for the day
RESULTS: dict[str, object] = {}


def choose(app: KioskUnderTest, finger: Finger) -> None:
    """无犯罪记录证明 from the service list; in the assisted mode's list, its category first, each a page at a time."""
    if not app.session.profile.assisted:
        choosers(app, finger.tap)["criminal_record"]()
        return
    domain = app.session.catalog.get(CRIMINAL_RECORD).domain.value
    for name, properties in (("Category", {"category": domain}), ("Service", {"code": CRIMINAL_RECORD})):
        while not app.buttons(name, **properties):
            finger.tap("PageNext")
        finger.tap(name, **properties)


def visit(app: KioskUnderTest, finger: Finger) -> None:
    """One citizen from the start screen back to it, as bench.taps walks to the receipt, then 好差评 and thanks."""
    walk_by_touch(app, finger, lambda: choose(app, finger))
    app.qtbot.waitUntil(lambda: not app.kiosk.controller.printing, timeout=10_000)
    app.reader.remove()                            # the card and the receipt taken
    assert app.printer.take(), "no receipt came out"
    finger.tap("Primary")                          # 去评价
    app.wait_state(State.RATING)
    finger.tap("Score", score="5")
    app.wait_state(State.RATING_REASONS)
    finger.tap("Primary")                          # 提交评价
    app.wait_state(State.THANKS)
    finger.tap("Primary")                          # 完成
    app.wait_state(State.ATTRACT)


@functools.cache
def _gesture_probe() -> QScrollArea:
    """A scroll area kept for the whole run: its viewport, like every scroll area's, takes Qt's pan gesture."""
    return QScrollArea()


def settle() -> None:
    """What the kiosk's event loop does between two citizens: delete what was discarded, make the next
    visit's keyboard (ui.keyboard.READY_IN_MS), collect cycles. Then an event through a widget that takes
    gestures: Qt's gesture manager deletes the gestures of the scroll areas deleted since only once such an
    event goes through it, so without one their number depends on whether a tap came after the last screen's
    deletion (which waits for the next screen's paint, ui.after_paint), not on anything kept."""
    QTest.qWait(READY_IN_MS + 100)
    for _ in range(3):
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QApplication.sendEvent(_gesture_probe().viewport(), QEvent(QEvent.Type.User))
    gc.collect()


def live_qobjects() -> int:
    """QObjects alive under the application: each top-level widget and the application, with all their children."""
    app = QApplication.instance()
    roots: list[QObject] = [app, *QApplication.topLevelWidgets()]
    return sum(1 + len(root.findChildren(QObject)) for root in roots)


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def figures() -> dict[str, int]:
    settle()
    return {"rss_kib": rss_kib(), "python_objects": len(gc.get_objects()), "qobjects": live_qobjects(),
            "qt_wrappers": len(shiboken6.Shiboken.getAllValidWrappers()),
            "identities": sum(isinstance(o, Identity) for o in gc.get_objects())}


def checkpoints(visits: int) -> list[int]:
    return sorted({1, 2, visits, *(c for c in CHECKPOINTS if c <= visits)})


def test_soak(kiosk_app: KioskUnderTest) -> None:
    finger = Finger(kiosk_app)
    marks = checkpoints(VISITS)
    after: dict[int, dict[str, int]] = {}
    started = time.perf_counter()
    for number in range(1, VISITS + 1):
        visit(kiosk_app, finger)
        if number in marks:
            after[number] = figures()
            print(f"after visit {number}: {after[number]} ({time.perf_counter() - started:.0f} s)", flush=True)
    first, last = after[1], after[VISITS]
    RESULTS.update({
        "bench": "soak", "visits": VISITS, "seconds": round(time.perf_counter() - started, 1),
        "after": {str(n): f for n, f in after.items()},
        "rss_last_to_first": round(last["rss_kib"] / first["rss_kib"], 3),
        "qobjects_growth_from_visit_2": last["qobjects"] - after[2]["qobjects"],
        "wrappers_growth_from_visit_2": last["qt_wrappers"] - after[2]["qt_wrappers"],
    })


if __name__ == "__main__":
    from bench import visits

    visits.run("soak")
