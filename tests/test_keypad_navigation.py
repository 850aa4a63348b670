"""The whole citizen path with the tactile keypad's keys alone, on the real kiosk, focus always visible."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.catalog import FieldType
from kiosk.certified import CODE_ALPHABET
from kiosk.session import State
from tests.fixtures.keypad import Keypad
from tests.fixtures.kiosk import KioskUnderTest, resident_card, walkable_service
from ui.theme import Palette

pytestmark = pytest.mark.gui


def focus_ring_shown(widget: QWidget, palette: Palette) -> bool:
    """The ring is drawn: the focused control's left edge has the theme's focus colour; a header chip's, the
    focus yellow (a dark ring vanished against the dark header)."""
    on_header = widget.objectName() in ("Assist", "HeaderButton")
    image = widget.grab().toImage()
    return image.pixelColor(2, image.height() // 2) == QColor(palette.focus_fill if on_header else palette.focus)


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
    keys.type_digits(mobile, "13912345678")      # the keys follow the field: previous/next within them
    assert app.field(mobile).text() == "139 1234 5678" and app.session.form[mobile] == "13912345678"
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
    palette = app.window.theme.palette
    seen = set()
    for _ in range(len(keys.app.window.navigator.controls())):
        keys.press("next")
        widget = keys.focused
        seen.add(widget)
        if isinstance(widget, QPushButton):
            assert focus_ring_shown(widget, palette), widget.accessibleName()
    assert any(w.property("role") == "assist" for w in seen) and any(w.objectName() == "Service" for w in seen)
    keys.press("back")
    app.wait_state(State.ATTRACT)


def test_help_key_calls_staff_and_back_closes_the_message(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    keys.press("help")                            # voice on
    keys.press("help")
    app.qtbot.waitUntil(lambda: app.window.help.isVisible(), timeout=5000)
    assert keys.focused is app.window.help.more
    app.qtbot.waitUntil(lambda: app.window.help.message.text() == app.session.translator.t("help.call.notified"),
                        timeout=10_000)                         # the centre of the test confirmed receipt
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


def test_the_code_keypad_is_walked_and_spoken_as_the_digit_keys_are(kiosk_app: KioskUnderTest) -> None:
    """文书核验 with the keys alone: the code keypad's keys come right after the code's field, each said with
    what it is, select types it (in fours, as printed), and 删除 takes the last one back."""
    app, keys = kiosk_app, Keypad(kiosk_app)
    keys.press("select")                          # voice on
    keys.press("select")
    app.wait_state(State.SERVICES)
    keys.choose("VerifyDocument")
    app.wait_state(State.VERIFY_DOCUMENT)
    keys.type_digits("check_code", "7KQ3M")
    field = app.field("check_code")
    assert field.text() == "7KQ3 M" and app.session.online.check_code == "7KQ3M"
    controls = app.window.navigator.controls()
    after = controls[controls.index(field) + 1:][:len(CODE_ALPHABET) + 1]
    assert [w.property("key") for w in after] == [k for k in "1234567890QWERTYUIOPASDFGHJKLZXCVBNM⌫"
                                                  if k in CODE_ALPHABET + "⌫"]       # no 0, 1, I, O in a code
    tr = app.session.translator
    delete = after[-1]
    keys.move_to(lambda w: w is delete)
    said = app.window.navigator.describe(delete)
    assert tr.t("form.delete") in said and tr.t("desc.code_key") in said
    keys.press("select")
    assert field.text() == "7KQ3" and app.session.online.check_code == "7KQ3"
