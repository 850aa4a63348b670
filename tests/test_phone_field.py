"""A mobile number shows in groups as it is typed (138 1234 5678), as the review and the receipt print it, so an
old citizen can check it back; what the kiosk keeps and sends is the digits (review j, minor 6)."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.catalog import FieldType
from kiosk.grouping import FOURS, MOBILE, in_groups
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest, identify, open_guide
from ui.widgets import Keypad, PhoneField

pytestmark = pytest.mark.gui
NO_CRIMINAL_RECORD = "1141150041700231981000117011000"


def test_numbers_are_grouped_as_far_as_they_are_typed() -> None:
    assert [in_groups("13812345678"[:n], MOBILE) for n in (0, 3, 4, 7, 8, 11)] == \
        ["", "138", "138 1", "138 1234", "138 1234 5", "138 1234 5678"]
    assert in_groups("7KQ3MX9DPA2HW5TR", FOURS) == "7KQ3 MX9D PA2H W5TR"


def test_the_phone_field_groups_as_typed_deletes_through_a_group_and_holds_eleven_digits(qtbot) -> None:
    keypad = Keypad("删除", "", gap=8)
    field = PhoneField(keypad, 11)
    qtbot.addWidget(field)
    keypad.attach(field)
    seen: list[str] = []
    field.textChanged.connect(lambda _text: seen.append(field.value()))
    for key in "138123456789":                     # one more than a mobile number has
        keypad.press(key)
    assert field.text() == "138 1234 5678" and field.value() == "13812345678" and seen[-1] == "13812345678"
    for _ in range(4):                              # back through the last group and its space
        keypad.press("⌫")
    assert field.text() == "138 1234" and field.value() == "1381234"
    keypad.press("⌫")
    assert field.text() == "138 123" and field.cursorPosition() == len("138 123")
    field.setText("13900001111")                    # a number kept from before the screen was built again
    assert field.text() == "139 0000 1111" and field.value() == "13900001111"


def test_the_form_keeps_the_digits_while_the_field_shows_them_grouped(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    open_guide(app, NO_CRIMINAL_RECORD)
    app.tap("Primary")
    identify(app, State.FORM)
    mobile = next(f.key for f in app.session.service.fields if f.type is FieldType.MOBILE)
    app.field(mobile).setFocus()
    app.qtbot.waitUntil(lambda: QApplication.focusWidget() is app.field(mobile), timeout=5000)
    for digit in "1391234":
        app.tap("Key", key=digit)
    assert app.field(mobile).text() == "139 1234" and app.session.form[mobile] == "1391234"
