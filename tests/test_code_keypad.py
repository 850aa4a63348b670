"""The code keypad: Latin capitals and digits (a certificate's number, a case number, a verification code) on
the kiosk's own keys, one layout with the digits on top; Qt's keyboard is left for Chinese text."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from kiosk import accessibility as a11y
from kiosk.catalog import Input
from kiosk.certified import CODE_ALPHABET
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest, identify, open_guide
from ui.keyboard import TextKeyboard
from ui.widgets import CODE_KEYS, CodeField, Keypad

pytestmark = pytest.mark.gui
BIRTH = "1141150041700231981000117201000"      # 新生儿出生登记: a phone number, a name, a certificate's number


def to_birth_form(app: KioskUnderTest, size: tuple[int, int]) -> None:
    app.window.resize(*size)
    open_guide(app, BIRTH)
    app.tap("Primary")
    identify(app, State.FORM)


def shown_keypads(app: KioskUnderTest) -> list[Keypad]:
    return [k for k in app.window.findChildren(Keypad) if k.isVisible()]


def code_keys(app: KioskUnderTest) -> list[QPushButton]:
    """The shown code keypad's keys, row by row."""
    [keypad] = [k for k in shown_keypads(app) if any(b.property("key") == "Q" for b in k.findChildren(QPushButton))]
    return keypad.findChildren(QPushButton, "Key")


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_each_field_of_a_form_opens_the_keys_it_takes(kiosk_app: KioskUnderTest, size: tuple[int, int]) -> None:
    app = kiosk_app
    to_birth_form(app, size)
    fields = app.session.service.fields
    number, mobile, name = (next(f.key for f in fields if f.input is kind)
                            for kind in (Input.LATIN, Input.PHONE, Input.PINYIN))
    [keyboard] = app.window.screen_widget.findChildren(TextKeyboard)

    app.turn_to(app.field(name))
    app.qtbot.mouseClick(app.field(name), Qt.LeftButton)            # a name: pinyin on Qt's keyboard
    app.qtbot.waitUntil(keyboard.isVisible, timeout=5000)
    assert not shown_keypads(app)

    app.type_code(number, "M35")                                      # a certificate's number: the code keypad
    assert app.field(number).text() == "M35" and app.session.form[number] == "M35"
    assert isinstance(app.field(number), CodeField) and len(code_keys(app)) == 37 and len(shown_keypads(app)) == 1
    assert not keyboard.isVisible()
    assert not app.field(number).testAttribute(Qt.WA_InputMethodEnabled)    # it asks Qt for no panel
    app.qtbot.waitUntil(lambda: not QGuiApplication.inputMethod().isVisible(), timeout=5000)
    digits = "".join(CODE_KEYS)[:10]
    assert [b.property("key") for b in code_keys(app)][:10] == list(digits)     # the digits on the top row
    top = {b.property("key"): b.geometry().top() for b in code_keys(app)}
    assert len({top[d] for d in digits}) == 1 and top["1"] < top["Q"] < top["A"] < top["Z"]

    app.type_digits(mobile, "139")                                    # a phone number: the phone keypad
    assert app.field(mobile).text() == "139"
    [phone] = shown_keypads(app)
    assert len(phone.findChildren(QPushButton, "Key")) == 12 and not app.buttons("Key", key="Q")
    assert not keyboard.isVisible()


def test_delete_takes_the_last_character_and_the_field_takes_no_more_than_it_holds(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    to_birth_form(app, (1920, 1080))
    number = next(f.key for f in app.session.service.fields if f.input is Input.LATIN)
    field = app.field(number)
    typed = "M350012345" * 6                                            # 60: ten more than the field holds
    app.type_code(number, typed)
    assert field.text() == typed[:field.maxLength()] and field.maxLength() == 50
    app.tap("Key", key="⌫")
    app.tap("Key", key="⌫")
    assert field.text() == typed[:48] and app.session.form[number] == typed[:48]


def test_the_code_keys_grow_with_the_text_and_are_never_below_the_floor(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("VerifyDocument")
    app.wait_state(State.VERIFY_DOCUMENT)
    sizes = {}
    for assisted in (False, True):
        if assisted:
            app.tap("Assist")                                         # 长辈/无障碍模式: larger text
            app.qtbot.waitUntil(lambda: app.session.profile.assisted and app.field("check_code") is not None,
                                timeout=5000)
        app.qtbot.waitUntil(lambda: bool(app.buttons("Key", key="Q")), timeout=5000)
        keys = code_keys(app)
        ppi, theme = app.window.ppi, app.window.theme
        assert all(min(a11y.mm(k.width(), ppi), a11y.mm(k.height(), ppi)) >= a11y.MIN_TARGET_MM for k in keys)
        assert all(k.height() >= theme.target_px and k.fontInfo().pixelSize() >= theme.text_px for k in keys)
        sizes[assisted] = (keys[0].fontInfo().pixelSize(), keys[0].width())
    assert sizes[True][0] > sizes[False][0] and sizes[True][1] > sizes[False][1]


def test_a_verification_code_is_typed_on_its_alphabets_keys_each_in_its_usual_place(kiosk_app: KioskUnderTest) -> None:
    """The centre's codes never hold 0, 1, I or O (read for one another): the keypad for one offers none
    of them, the rest of each row in the keyboard's order, closed up (review j, M9: the holes read as broken
    keys) and centred under the digits."""
    app = kiosk_app
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("VerifyDocument")
    app.wait_state(State.VERIFY_DOCUMENT)
    app.qtbot.waitUntil(lambda: bool(app.buttons("Key", key="Q")), timeout=5000)
    at = {k.property("key"): k.x() for k in code_keys(app)}
    assert set(at) == set(CODE_ALPHABET) | {"⌫"}
    step = at["Y"] - at["T"]
    assert abs(at["P"] - at["U"] - step) <= 2 and abs(at["9"] - at["2"] - 7 * step) <= 4     # no hole for I, O
    assert abs(at["Q"] - at["2"]) <= 2                  # 2-9 over Q-P: both rows of eight, centred alike
