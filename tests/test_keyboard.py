"""The on-screen keyboard types letters and Chinese through pinyin into the form, inside the window."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.catalog import FieldType
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest, resident_card, walkable_service
from ui.keyboard import TextKeyboard

pytestmark = pytest.mark.gui
ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
OFFSETS = (0.0, 0.5, 1.5)        # where each row starts, in key widths, on the default layout


def tap(app: KioskUnderTest, keyboard: TextKeyboard, x: float, y: float) -> None:
    """A finger on a key: the panel reacts to the press and the release as separate turns of its loop."""
    point = QPoint(round(x), round(y))
    app.qtbot.mousePress(keyboard, Qt.LeftButton, pos=point)
    QApplication.processEvents()
    app.qtbot.mouseRelease(keyboard, Qt.LeftButton, pos=point)
    QApplication.processEvents()


def type_letters(app: KioskUnderTest, keyboard: TextKeyboard, letters: str) -> None:
    key_width, row_height = keyboard.width() / 10, keyboard.height() / 4
    for letter in letters:
        row = next(i for i, keys in enumerate(ROWS) if letter in keys)
        tap(app, keyboard, key_width * (OFFSETS[row] + ROWS[row].index(letter) + 0.5), row_height * (row + 0.5))


def test_pinyin_on_the_glass_types_chinese_into_the_address(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    service = walkable_service(app.session.catalog)
    text_field = next((f for f in service.fields if f.type is FieldType.TEXT), None)
    if text_field is None:
        pytest.skip("the walkable service asks for no free text")
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    app.reader.insert(resident_card())
    app.wait_state(State.FORM)
    [keyboard] = app.window.findChildren(TextKeyboard)
    assert not keyboard.isVisible()                  # digits first: the keypad shows
    field: QLineEdit = app.field(text_field.key)
    app.scroll_to(field)
    app.qtbot.mouseClick(field, Qt.LeftButton)
    app.qtbot.waitUntil(keyboard.isVisible, timeout=5000)
    type_letters(app, keyboard, "nihao")
    tap(app, keyboard, keyboard.width() / 2, keyboard.height() * 3.5 / 4)   # space: the first candidate
    app.qtbot.waitUntil(lambda: field.text() == "你好", timeout=5000)
    assert app.session.form[text_field.key] == "你好"
    assert field.hasFocus()                          # typing on the panel leaves the focus in the field
    app.qtbot.mouseClick(app.field("mobile"), Qt.LeftButton)
    app.qtbot.waitUntil(lambda: not keyboard.isVisible(), timeout=5000)   # digits again: the keypad is back
