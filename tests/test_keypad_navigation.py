"""The whole citizen path with the tactile keypad's keys alone, on the real kiosk, focus always visible."""
from __future__ import annotations

from typing import Callable

import pytest
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.catalog import FieldType
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest, resident_card, walkable_service

pytestmark = pytest.mark.gui


class Keypad:
    """Presses the kiosk's configured keys, as a citizen presses the keypad under the screen."""

    def __init__(self, app: KioskUnderTest) -> None:
        self.app = app
        self.keys = app.window.access.keys

    def press(self, action: str) -> None:
        key = QKeySequence.fromString(self.keys[action][0])[0].key()
        target = self.app.window.focusWidget() or self.app.window
        self.app.qtbot.keyClick(target, key)

    @property
    def focused(self) -> QWidget | None:
        return self.app.window.focusWidget()

    def move_to(self, wanted: Callable[[QWidget], bool], limit: int = 60) -> QWidget:
        for _ in range(limit):
            if self.focused is not None and wanted(self.focused):
                return self.focused
            self.press("next")
        raise AssertionError(f"next never reached the control; stuck on {self.focused and self.focused.objectName()}")

    def type_pinyin(self, letters: str) -> None:
        """Into the focused text field through the on-screen keyboard: select walks in, next reaches each
        letter, select types it, the space key takes the first candidate, back returns to the field."""
        navigator = self.app.window.navigator
        self.press("select")
        assert navigator.typing is not None, "select on a text field did not enter the keyboard"
        self.app.qtbot.waitUntil(lambda: bool(navigator.typing.keys()), timeout=5000)   # the panel slides in
        for wanted in [*letters, " "]:
            for _ in range(60):
                stop = navigator.typing.keys()[navigator.key_index % len(navigator.typing.keys())]
                if (stop.text == wanted and stop.kind == 8) or (wanted == " " and stop.kind == 12):
                    break
                self.press("next")
            else:
                raise AssertionError(f"next never reached the key {wanted!r}")
            self.press("select")
            for _ in range(3):          # the key goes down on the next turn of the loop
                QApplication.processEvents()
        self.press("back")
        assert navigator.typing is None

    def choose(self, name: str, **properties: str) -> None:
        self.move_to(lambda w: w.objectName() == name and all(w.property(k) == v for k, v in properties.items()))
        self.press("select")


def focus_ring_shown(widget: QWidget, colour: str) -> bool:
    """The ring is drawn: the focused control's left edge has the theme's focus colour."""
    image = widget.grab().toImage()
    return image.pixelColor(2, image.height() // 2) == QColor(colour)


def test_whole_path_with_keys_only(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    service = walkable_service(app.session.catalog)
    keys.press("select")                          # the first key turns voice guidance on, and does nothing else
    assert app.session.profile.voice and app.session.state is State.ATTRACT
    assert keys.focused.objectName() == "Primary"
    keys.press("select")
    app.wait_state(State.SERVICES)
    keys.choose("Domain", domain=service.domain.value)
    assert keys.focused.property("domain") == service.domain.value          # still there after the redraw
    keys.choose("Service", code=service.code)
    app.wait_state(State.DETAIL)
    keys.choose("Primary")
    app.wait_state(State.IDENTIFY)
    app.reader.insert(resident_card())            # the citizen lays the card on the reader
    app.wait_state(State.FORM)
    for field in service.fields:
        if field.type is FieldType.CHOICE:
            keys.choose(f"choice_{field.key}_0")
        elif field.type is FieldType.TEXT:
            keys.move_to(lambda w, k=field.key: w.objectName() == f"field_{k}")
            keys.type_pinyin("nihao")
            assert keys.focused.text() == "你好"
    mobile = next(f.key for f in service.fields if f.type is FieldType.MOBILE)
    keys.move_to(lambda w: w.objectName() == f"field_{mobile}")
    for digit in "13912345678":
        keys.choose("Key", key=digit)
    assert app.field(mobile).text() == "13912345678"
    keys.choose("Primary")                        # next
    app.wait_state(State.SIGN)
    keys.choose("SignByKeys")                     # no key writes a name: the declaration, confirmed with select
    app.wait_state(State.REVIEW)
    keys.choose("Primary")                        # confirm
    app.wait_state(State.RECEIPT)
    assert app.session.case_number
    app.qtbot.waitUntil(lambda: not app.kiosk.controller.printing, timeout=10_000)
    keys.choose("Primary")                        # done
    app.wait_state(State.RATING)
    keys.choose("Score", score="5")               # 好差评 by keypad: 非常满意
    app.wait_state(State.RATING_REASONS)
    keys.choose("Reason", code="convenient")
    keys.choose("Primary")                        # send the rating
    app.wait_state(State.THANKS)
    keys.choose("Primary")                        # back to the start
    app.wait_state(State.ATTRACT)
    assert app.session.identity is None and not app.session.profile.voice     # the kiosk's defaults again


def test_focus_is_always_visible_and_back_goes_back(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    keys.press("next")                            # voice on
    keys.press("select")
    app.wait_state(State.SERVICES)
    focus = app.window.theme.palette.focus
    seen = set()
    for _ in range(len(keys.app.window.navigator.controls())):
        keys.press("next")
        widget = keys.focused
        seen.add(widget)
        if isinstance(widget, QPushButton):
            assert focus_ring_shown(widget, focus), widget.accessibleName()
    assert any(w.property("role") == "assist" for w in seen) and any(w.objectName() == "Service" for w in seen)
    keys.press("back")
    app.wait_state(State.ATTRACT)


def test_help_key_calls_staff_and_back_closes_the_message(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    keys.press("help")                            # voice on
    keys.press("help")
    app.qtbot.waitUntil(lambda: app.window.help.isVisible(), timeout=5000)
    assert keys.focused is app.window.help.more
    assert app.window.help.message.text() == app.session.translator.t("help.sent")
    calls = [m for m in app.kiosk.worker.messages.rows() if m.kind == "help"]
    assert len(calls) == 1                                      # queued on the kiosk for sync to deliver
    keys.press("back")
    assert not app.window.help.isVisible()


def test_screen_key_blanks_the_glass_and_the_flow_goes_on(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    keys.press("screen")                          # voice on
    keys.press("screen")
    assert app.session.profile.audio_only and app.window.blank.isVisible()
    assert app.window.blank.geometry() == app.window.rect()
    keys.press("select")
    app.wait_state(State.SERVICES)
    assert app.window.blank.isVisible()           # still private on the next screen
    keys.press("volume_down")
    assert app.session.profile.volume == pytest.approx(0.6)
    keys.press("rate")
    assert app.session.profile.rate == 2
    keys.press("back")
    app.wait_state(State.ATTRACT)
    assert not app.window.blank.isVisible()       # the visit ended: the kiosk's defaults again
