"""A kiosk that serves citizen after citizen does not grow: the short form of bench.soak (2,000 visits).

Whole visits by touch through the real widgets (bench.soak.visit): the live Qt objects after the last visit
are exactly those after the second (the first builds what every later visit reuses: caches, the keyboard's
style), and nothing of a citizen outlives their visit, neither in Python nor on a widget.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea

from bench.soak import figures, visit
from bench.taps import Finger
from kiosk.identity import Identity
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest, resident_card
from ui.widgets import typed_fields

VISITS = 6


def _gesture_types() -> int:
    """Gesture type numbers PySide holds, one each for every flick gesture ever grabbed (never given back)."""
    return sum(isinstance(o, Qt.GestureType) for o in gc.get_objects())


def test_visits_leave_nothing_behind(kiosk_app: KioskUnderTest) -> None:
    finger = Finger(kiosk_app)
    citizen = resident_card()
    # those alive already are not this kiosk's visits': test modules' sample citizens, a failed test's kiosk
    earlier = {id(o): o for o in gc.get_objects() if isinstance(o, Identity)}
    after: dict[int, dict[str, int]] = {}
    gestures: dict[int, int] = {}
    for number in range(1, VISITS + 1):
        visit(kiosk_app, finger)
        if number in (2, VISITS):
            after[number], gestures[number] = figures(), _gesture_types()
    assert after[VISITS]["qobjects"] == after[2]["qobjects"], after
    assert gestures[VISITS] == gestures[2]
    assert kiosk_app.session.state is State.ATTRACT
    left = [o for o in gc.get_objects() if isinstance(o, Identity) and o is not citizen and earlier.get(id(o)) is not o]
    assert not left, "a citizen's identity outlived the visit"
    shown = [w.text() for w in kiosk_app.window.findChildren(QLabel)] + \
        [w.text() for w in typed_fields(kiosk_app.window)]      # one-line fields and the complaint's words
    assert not [t for t in shown if citizen.name in t or citizen.id_number in t]


def test_only_an_area_with_more_than_the_glass_takes_the_drag(kiosk_app: KioskUnderTest) -> None:
    """The largest text makes the service list longer than the glass: a finger drags it. The start screen
    fits and grabs no gesture (each grab is kept by PySide for good, so areas that fit must not)."""
    areas = lambda: [a for a in kiosk_app.window.findChildren(QScrollArea) if a.isVisible()]  # noqa: E731
    kiosk_app.qtbot.wait(50)
    assert not [a for a in areas() if a.property("flicks")]
    for _ in range(3):
        kiosk_app.tap("HeaderButton", role="text_size")
    kiosk_app.tap("Primary")
    kiosk_app.wait_state(State.SERVICES)
    kiosk_app.qtbot.waitUntil(lambda: any(a.property("flicks") for a in areas()), timeout=5000)
    for area in areas():
        assert bool(area.property("flicks")) == (area.verticalScrollBar().maximum() > 0)
