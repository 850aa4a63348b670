"""Taps from the attract screen to the printed receipt, by touch and by the tactile keypad, on the real kiosk.

Two visits: 无犯罪记录证明 (one service) and 退休一件事 (a bundle of three). Each is walked twice: once with
a finger (a tap on a button, a field or a key of the on-screen keypad or keyboard is one tap; the signature
drawn on the pad counts as one), once with the keypad under the screen (each key press is one). The card
on the reader is the citizen's hand, not counted. Optional fields are left empty, as a citizen in a hurry
would; the bank card number is typed as the 19 digits it is.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.taps   (prints one JSON line)
It is a pytest module so that it reuses the tests' fixtures (case store, card reader, printer simulators).
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.catalog import FieldType, FormField
from kiosk.session import State
from tests.fixtures.keypad import LANGUAGE, SYMBOLS, Keypad
from tests.fixtures.kiosk import KioskUnderTest, resident_card, sign_on_the_pad
from ui.keyboard import TextKeyboard
from ui.paging import Pages

CRIMINAL_RECORD = "1141150041700231981000117011000"      # 无犯罪记录证明开具
BUNDLE = "bundle-retirement"                              # 退休一件事
BANK_CARD = "6222020200112233445"
RESULTS: dict[str, dict[str, int]] = {}


def _value(field: FormField) -> str:
    """What the citizen types: a mobile number, a bank card's digits, a name in pinyin."""
    if field.type is FieldType.MOBILE:
        return "13912345678"
    return BANK_CARD if field.key.endswith("bank_card") else "nihao"


def _to_fill(app: KioskUnderTest) -> list[FormField]:
    """The required fields the card did not fill already."""
    return [f for f in app.session.form_fields if f.required and not app.session.form.get(f.key)]


class Finger:
    """Taps as a citizen's finger does, counted."""

    def __init__(self, app: KioskUnderTest) -> None:
        self.app, self.count = app, 0

    def tap(self, name: str, **properties: str) -> None:
        self.app.press(name, **properties)
        self.count += 1

    def widget(self, widget: QWidget) -> None:
        self.app.scroll_to(widget)
        self.app.qtbot.mouseClick(widget, Qt.LeftButton)
        self.count += 1

    def card(self) -> None:
        """The card laid on the reader: the citizen's hand, not a tap (not counted)."""
        self.app.reader.insert(resident_card())

    def onward(self) -> None:
        """The primary as KioskUnderTest.onward presses it, each press counted: 继续 through a paged screen's
        pages (the assisted mode), then once more for its step."""
        while any(p.isVisible() and p.page < len(p.pages) - 1 for p in self.app.window.findChildren(Pages)):
            self.tap("Primary")
        self.tap("Primary")

    def to_page_of(self, name: str) -> None:
        """下一页, or the footer's 继续 where it turns the pages (ui.onward), until the form's page shows the
        control, as a finger turns it."""
        while not self.app.buttons(name) and not (self.app.field(name[6:]) or QWidget()).isVisible():
            footer = any(p.elsewhere and p.isVisible() and p.page < len(p.pages) - 1
                         for p in self.app.window.findChildren(Pages))
            self.tap("Primary" if footer else "PageNext")

    def type(self, field: FormField, text: str) -> None:
        """Into field: the digit keypad's keys if the screen gave the field one, else the on-screen keyboard."""
        app = self.app
        self.to_page_of(f"field_{field.key}")
        edit = app.field(field.key)
        QApplication.processEvents()        # the screen's own focus moves come on the loop's next turn
        if not edit.hasFocus():             # the form puts the cursor in the first field the keypad types into
            self.widget(edit)
        keys = [k for k in app.buttons("Key") if k.parentWidget().target is edit]
        if keys and text.isdigit():
            for char in text:
                self.tap("Key", key=char)
            return
        [keyboard] = [k for k in app.window.findChildren(TextKeyboard) if k.isVisible()]
        app.qtbot.waitUntil(lambda: bool(keyboard.keys()), timeout=5000)
        pinyin = not text.isdigit()
        for char in [*text, " "] if pinyin else text:
            for _ in range(4):
                if self._key(keyboard, lambda s, c=char: Keypad._types(s, c)):
                    break
                switch = LANGUAGE if char.isalpha() else SYMBOLS
                self._key(keyboard, lambda s, k=switch: s.kind == k)
            else:
                raise AssertionError(f"no key types {char!r}")
        app.qtbot.waitUntil(lambda: bool(edit.text()), timeout=5000)

    def _key(self, keyboard: TextKeyboard, wanted: Callable[[object], bool]) -> bool:
        stops = keyboard.keys()
        found = [s for s in stops if wanted(s)]
        if not found:
            return False
        keyboard.press(found[0])
        for _ in range(3):
            QApplication.processEvents()
        self.count += 1
        return True


def walk_by_touch(app: KioskUnderTest, finger: Finger, choose: Callable[[], None]) -> None:
    finger.tap("Primary")                                  # touch to start
    app.wait_state(State.SERVICES)
    choose()
    app.wait_state(State.DETAIL)
    finger.tap("Primary")                                  # apply
    app.wait_state(State.IDENTIFY)
    finger.card()
    app.wait_state(State.FORM)
    for field in _to_fill(app):
        if field.type is FieldType.CHOICE:
            finger.to_page_of(f"choice_{field.key}_0")
            finger.tap(f"choice_{field.key}_0")
        else:
            finger.type(field, _value(field))
    finger.onward()                                        # 下一步
    assert not app.session.form_problems, app.session.form_problems
    while app.session.state is not State.RECEIPT:
        state = app.session.state
        if state is State.MATERIALS:
            for index, _ in app.session.service.to_capture:
                if index not in app.session.captures:
                    finger.tap("later", material=str(index))
            finger.onward()
        elif state is State.SIGN:
            sign_on_the_pad(app)
            finger.count += 1
            finger.onward()
        elif state in (State.REVIEW, State.COMMITMENT):
            finger.onward()
        elif state is not State.SUBMITTING:
            raise AssertionError(f"the walk does not know {state}")
        app.qtbot.waitUntil(lambda s=state: app.session.state is not s, timeout=10_000)


def _walk_by_keys(app: KioskUnderTest, keys: Keypad, choose: Callable[[], None]) -> None:
    keys.press("select")                                   # the first key turns voice on
    keys.press("select")                                   # touch to start
    app.wait_state(State.SERVICES)
    choose()
    app.wait_state(State.DETAIL)
    keys.choose("Primary")
    app.wait_state(State.IDENTIFY)
    app.reader.insert(resident_card())
    app.wait_state(State.FORM)
    for field in _to_fill(app):
        if field.type is FieldType.CHOICE:
            keys.choose(f"choice_{field.key}_0")
            continue
        text = _value(field)
        keys.move_to(lambda w, k=field.key: w.objectName() == f"field_{k}")
        has_keys = any(k.parentWidget().target is app.field(field.key) for k in app.buttons("Key"))
        if has_keys and text.isdigit():
            keys.type_digits(field.key, text)
        elif text.isdigit():
            keys.type_text(text)
        else:
            keys.type_pinyin(text)
    keys.choose("Primary")
    assert not app.session.form_problems, app.session.form_problems
    while app.session.state is not State.RECEIPT:
        state = app.session.state
        if state is State.MATERIALS:
            for index, _ in app.session.service.to_capture:
                if index not in app.session.captures:
                    keys.choose("later", material=str(index))
            keys.choose("Primary")
        elif state is State.SIGN:
            keys.choose("SignByKeys")
        elif state is State.COMMITMENT:
            keys.choose("Primary", role="commit")
        elif state is State.REVIEW:
            keys.choose("Primary")
        elif state is not State.SUBMITTING:
            raise AssertionError(f"the walk does not know {state}")
        app.qtbot.waitUntil(lambda s=state: app.session.state is not s, timeout=10_000)


class CountingKeypad(Keypad):
    def __init__(self, app: KioskUnderTest) -> None:
        super().__init__(app)
        self.count = 0

    def press(self, action: str) -> None:
        self.count += 1
        super().press(action)


def choosers(app: KioskUnderTest, tap: Callable[..., None]) -> dict[str, Callable[[], None]]:
    service = app.session.catalog.get(CRIMINAL_RECORD)
    return {
        "criminal_record": lambda: (tap("Domain", domain=service.domain.value), tap("Service", code=CRIMINAL_RECORD)),
        "bundle": lambda: tap("Bundle", code=BUNDLE),
    }


@pytest.mark.parametrize("visit", ["criminal_record", "bundle"])
def test_by_touch(kiosk_app: KioskUnderTest, visit: str) -> None:
    finger = Finger(kiosk_app)
    walk_by_touch(kiosk_app, finger, choosers(kiosk_app, finger.tap)[visit])
    RESULTS.setdefault(visit, {})["touch"] = finger.count


@pytest.mark.parametrize("visit", ["criminal_record", "bundle"])
def test_by_keys(kiosk_app: KioskUnderTest, visit: str) -> None:
    keys = CountingKeypad(kiosk_app)
    _walk_by_keys(kiosk_app, keys, choosers(kiosk_app, keys.choose)[visit])
    RESULTS.setdefault(visit, {})["keypad"] = keys.count


def main() -> None:
    code = pytest.main([str(Path(__file__)), "-q", "-p", "tests.conftest", "-p", "no:cacheprovider", "--assert=plain",
                        "-o", "python_files=taps.py", *sys.argv[1:]])
    from bench import taps  # pytest ran this file as bench.taps, not as __main__: its results are there
    print(json.dumps(taps.RESULTS, sort_keys=True))
    sys.exit(code)


if __name__ == "__main__":
    main()
