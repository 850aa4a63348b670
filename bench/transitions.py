"""Every screen change of a citizen's visit, timed from the tap to the new screen's first frame, in each mode.

The visit is bench.soak's (bench.taps' walk by touch to the receipt, then 好差评 and thanks), on the real kiosk at
1920x1080. A tap is the test driver's real mouse press and release on the real widget; the time runs until the
screen the tap brought has been painted: the new screen's Paint event is seen, and the clock stops when the event
loop next turns, that is once the whole window's paint and flush are done. Taps that keep the screen (a key of the
keypad, a choice on the form) change no screen and are not counted. Before each tap, the last screen's work after
its paint (ui.after_paint: deleting the screen before it, the guide's cards below the window's foot) is let run, off
the clock: a citizen reads a screen before the next tap, and that work is no part of the next change. The form
follows no tap but the card on the reader: it is timed from the card's identity reaching the UI thread to the form's
paint. Each visit sets its mode first with the header's chips, as a citizen does (those taps redraw the start screen
and count as "attract"). Before each visit and after its chips the kiosk's loop is left alone as between two
citizens (bench.soak's settle: READY_IN_MS and a little, in which the kiosk makes the next visit's keyboard): nobody
walks up and touches the start screen within half a second of the last citizen leaving, nor finds the start button
within it after changing the colours. Without that pause the keyboard's making (~40 ms) lands in whichever change
the walk has reached. The kiosk is measured as its citizens meet it, up for longer than start-up's settling: what
start-up left is frozen out of the garbage collector's walks (ui.collector), which a mode's run, shorter than
SETTLED_S, never saw.
Modes as the app calls them: normal, large (the largest text), assisted (长辈/无障碍: largest text, voice,
paged), contrast_dark.

Goal: p95 <= 50 ms on every screen in every mode.
Run: QT_QPA_PLATFORM=offscreen nice -n 10 .venv/bin/python -m bench.transitions [--visits N]   (JSON last line)
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

from bench.figures import median_ms
from bench.soak import settle, visit
from bench.taps import Finger
from tests.fixtures.kiosk import KioskUnderTest
from ui import collector

# The header chips that put a fresh visit into each mode (ui.mainwindow._header_buttons).
MODES: dict[str, list[tuple[str, dict[str, str]]]] = {
    "normal": [],
    "large": [("HeaderButton", {"role": "text_size"})] * 3,
    "assisted": [("Assist", {})],
    "contrast_dark": [("HeaderButton", {"role": "colours"})] * 2,
}
VISITS = 5                   # per mode
PAINT_TIMEOUT_MS = 5000
SAMPLES: dict[str, dict[str, list[float]]] = {}
CPU: dict[str, dict[str, list[float]]] = {}       # the UI thread's CPU time over the same span


class NextPaint(QObject):
    """Watches the window for the first paint of a screen other than the one shown before the tap. With
    arrival: also for the first call queued to that object from another thread (a device's news reaching
    the UI thread), when the clock starts (arrived_at, arrived_cpu).

    It watches objects, never the whole application: a filter on the application is asked about every
    event of a screen being built (thousands), and one written in Python cost the kiosk ~10 ms of each
    change it measured. The window's stage says when a child joins it (a new screen, put in its layout), and
    the window when a new stage does (a new stylesheet); that child is then watched for its paint, and a stage
    for its children. A screen the window kept (ui.kept) is on the stage already: the stage's children are
    watched from the start."""

    def __init__(self, window: QWidget, arrival: QObject | None = None) -> None:
        super().__init__()
        self.window, self.arrival = window, arrival
        self.arrived_at: float | None = None
        self.arrived_cpu = 0.0
        self.before = getattr(window, "screen_widget", None)
        self.loop = QEventLoop()
        self.painted_at: float | None = None
        self.cpu_at = 0.0
        self.seen = False
        stage = getattr(window, "stage", None)
        parents: list[QObject] = [window, *([] if stage is None else [stage])]       # where a screen joins
        # by address: a stage joins the window half made, and Python's object for it then is not the stage's own
        self.parents = {shiboken6.getCppPointer(parent)[0] for parent in parents}
        children = [child for parent in parents
                    for child in parent.findChildren(QWidget, options=Qt.FindDirectChildrenOnly)
                    if child is not self.before]
        self.watched: list[QObject] = [*parents, *children, *([] if arrival is None else [arrival])]

    def __enter__(self) -> NextPaint:
        for watched in self.watched:
            watched.installEventFilter(self)
        return self

    def __exit__(self, *_: object) -> None:
        for watched in self.watched:
            if shiboken6.isValid(watched):
                watched.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if watched is self.arrival and self.arrived_at is None and kind == QEvent.Type.MetaCall:
            self.arrived_at, self.arrived_cpu = time.perf_counter(), time.thread_time()
        elif kind == QEvent.Type.ChildAdded and shiboken6.getCppPointer(watched)[0] in self.parents:
            child = event.child()     # type: ignore[attr-defined]  (a QChildEvent)
            # isWidgetType, not isinstance: a widget made with the window as its parent (a stage) joins it half made,
            # still a QObject to Python
            if child.isWidgetType() and child is not self.before:
                child.installEventFilter(self)
                self.watched.append(child)
                if watched is self.window:
                    self.parents.add(shiboken6.getCppPointer(child)[0])     # a new stage, maybe: the screen joins it
        elif not self.seen and kind == QEvent.Type.Paint:
            screen = self.window.screen_widget
            if watched is screen and screen is not self.before:
                self.seen = True
                QTimer.singleShot(0, self._done)     # runs once this paint and its flush are over
        return False

    def _done(self) -> None:
        self.painted_at, self.cpu_at = time.perf_counter(), time.thread_time()
        self.loop.quit()

    def wait(self) -> None:
        if self.painted_at is None:
            QTimer.singleShot(PAINT_TIMEOUT_MS, self.loop.quit)
            self.loop.exec()
        if self.painted_at is None:
            raise AssertionError(f"no paint of the new screen within {PAINT_TIMEOUT_MS} ms")


class TimedFinger(Finger):
    """bench.taps' finger, with each tap that changes the screen timed to the new screen's paint."""

    def __init__(self, app: KioskUnderTest, mode: str) -> None:
        super().__init__(app)
        self.samples, self.cpu = SAMPLES.setdefault(mode, {}), CPU.setdefault(mode, {})

    def tap(self, name: str, **properties: str) -> None:
        self._timed(lambda: Finger.tap(self, name, **properties))

    def widget(self, widget: QWidget) -> None:
        self._timed(lambda: Finger.widget(self, widget))

    def card(self) -> None:
        """The form after the card, timed from the card's identity reaching the UI thread (the reader's call
        queued to the controller) to the form's paint: the reader's own protocol time is the device's."""
        self.app.settle()
        with NextPaint(self.app.window, arrival=self.app.kiosk.controller) as watch:
            Finger.card(self)
            watch.wait()
        assert watch.painted_at is not None and watch.arrived_at is not None
        self._record(watch.painted_at - watch.arrived_at, watch.cpu_at - watch.arrived_cpu)

    def _timed(self, touch: Callable[[], None]) -> None:
        window = self.app.window
        self.app.settle()       # the last screen's work after its paint done: a citizen reads before the next tap
        with NextPaint(window) as watch:
            started, cpu = time.perf_counter(), time.thread_time()
            touch()
            if window.screen_widget is watch.before:
                return                               # the same screen: a key, a choice, a page turned
            watch.wait()
        assert watch.painted_at is not None
        self._record(watch.painted_at - started, watch.cpu_at - cpu)

    def _record(self, wall: float, cpu: float) -> None:
        screen = self.app.session.state.value
        self.samples.setdefault(screen, []).append(wall)
        self.cpu.setdefault(screen, []).append(cpu)


@pytest.mark.parametrize("mode", list(MODES))
def test_transitions(kiosk_app: KioskUnderTest, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the kiosk as its citizens meet it: up for longer than start-up's settling, what start-up left frozen out of
    # the garbage collector's walks (ui.collector, on the first wait on the start screen); a mode's run is shorter
    # than SETTLED_S, and measured the first half-minute after a restart instead
    monkeypatch.setattr(collector, "SETTLED_S", 0.0)
    for _ in range(VISITS):
        settle()
        finger = TimedFinger(kiosk_app, mode)
        for name, properties in MODES[mode]:
            finger.tap(name, **properties)
        settle()
        visit(kiosk_app, finger)


def p95_ms(seconds: list[float]) -> float:
    """Nearest rank: a time that was measured, also for a screen met only a few times (bench.figures' p95
    interpolates beyond the largest of few samples)."""
    ordered = sorted(seconds)
    return round(ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000, 2)


def _figures(times: list[float]) -> dict[str, float]:
    return {"n": len(times), "p50_ms": median_ms(times), "p95_ms": p95_ms(times), "max_ms": round(max(times) * 1000, 2)}


def summary() -> dict[str, object]:
    """p50/p95/max per screen and mode (wall clock, and the UI thread's CPU time: on a machine shared with
    other work the wall clock also counts the waits for a core), the worst screen of each mode, and whether
    every p95 meets the goal."""
    modes: dict[str, object] = {}
    worst_p95 = 0.0
    for mode, screens in SAMPLES.items():
        figures = {screen: {**_figures(times), "cpu": _figures(CPU[mode][screen])}
                   for screen, times in sorted(screens.items())}
        worst = max(figures, key=lambda s: figures[s]["p95_ms"])
        worst_p95 = max(worst_p95, figures[worst]["p95_ms"])
        modes[mode] = {"all": {**_figures([t for times in screens.values() for t in times]),
                               "cpu": _figures([t for times in CPU[mode].values() for t in times])},
                       "worst_screen": worst, "screens": figures}
    return {"bench": "transitions", "visits_per_mode": VISITS, "goal_p95_ms": 50, "worst_p95_ms": worst_p95,
            "every_p95_within_goal": worst_p95 <= 50, "modes": modes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=VISITS, help="visits per mode")
    args, rest = parser.parse_known_args()
    from bench import transitions  # pytest imports this file as bench.transitions, not as __main__
    transitions.VISITS = args.visits
    code = pytest.main([str(Path(__file__)), "-q", "-p", "tests.conftest", "-p", "no:cacheprovider",
                        "--assert=plain", "--timeout=0", "-o", "python_files=transitions.py", *rest])
    result = transitions.summary()
    for mode, figures in result["modes"].items():
        every = figures["all"]
        cpu, worst = every["cpu"], figures["worst_screen"]
        print(f"{mode:14} p50 {every['p50_ms']:7.1f} ms  p95 {every['p95_ms']:7.1f} ms  max {every['max_ms']:7.1f} ms"
              f"  (UI thread CPU p50 {cpu['p50_ms']:6.1f} p95 {cpu['p95_ms']:6.1f})  worst: {worst} "
              f"(p95 {figures['screens'][worst]['p95_ms']} ms, CPU {figures['screens'][worst]['cpu']['p95_ms']} ms)")
    print(json.dumps(result, sort_keys=True))
    sys.exit(code)


if __name__ == "__main__":
    main()
