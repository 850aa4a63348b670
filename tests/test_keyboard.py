"""The on-screen keyboard types letters and Chinese through pinyin into the form, inside the window."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.catalog import FieldType
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest, resident_card, walkable_service
from ui.keyboard import TextKeyboard

pytestmark = pytest.mark.gui


def key_at(keyboard: TextKeyboard, text: str) -> QPoint | None:
    """Where the panel draws the key labelled text, in the widget's coordinates (None until laid out)."""
    for item in keyboard.rootObject().findChildren(QQuickItem):
        kind = item.metaObject().className()
        wanted = kind.startswith("SpaceKey_") if text == " " else \
            kind.startswith("Key_") and item.property("displayText") == text
        if wanted and item.isVisible() and item.width() > 0:
            centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
            return QPoint(round(centre.x()), round(centre.y()))
    return None


def tap(app: KioskUnderTest, keyboard: TextKeyboard, text: str) -> None:
    """A finger on a key: the panel reacts to the press and the release as separate turns of its loop."""
    app.qtbot.waitUntil(lambda: key_at(keyboard, text) is not None, timeout=5000)
    point = key_at(keyboard, text)
    app.qtbot.mousePress(keyboard, Qt.LeftButton, pos=point)
    QApplication.processEvents()
    app.qtbot.mouseRelease(keyboard, Qt.LeftButton, pos=point)
    QApplication.processEvents()


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
    panel = QGuiApplication.inputMethod()
    app.qtbot.waitUntil(lambda: panel.isVisible() and not panel.isAnimating(), timeout=5000)   # slid in, keys still
    for letter in "nihao":
        tap(app, keyboard, letter)
    tap(app, keyboard, " ")                          # space: the first candidate
    app.qtbot.waitUntil(lambda: field.text() == "你好", timeout=5000)
    assert app.session.form[text_field.key] == "你好"
    assert field.hasFocus()                          # typing on the panel leaves the focus in the field
    app.qtbot.mouseClick(app.field("mobile"), Qt.LeftButton)
    app.qtbot.waitUntil(lambda: not keyboard.isVisible(), timeout=5000)   # digits again: the keypad is back
