"""The on-screen keyboard types letters and Chinese through pinyin into the form, inside the window."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import shiboken6
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.catalog import FieldType
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest, resident_card, walkable_service
from tooling import painted
from ui.keyboard import TextKeyboard

if TYPE_CHECKING:      # the qtlog fixture's class, a private name of pytest-qt: for the annotation only
    from pytestqt.logging import _QtMessageCapture as QtMessages

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
    [keyboard] = app.window.screen_widget.findChildren(TextKeyboard)
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


def to_the_form(app: KioskUnderTest, size: tuple[int, int]) -> None:
    """From the attract screen to the walkable service's form, the card on the reader, at this window size."""
    service = walkable_service(app.session.catalog)
    app.window.resize(*size)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    app.reader.insert(resident_card())
    app.wait_state(State.FORM)


def open_letters(app: KioskUnderTest) -> tuple[TextKeyboard, QLineEdit]:
    """A finger in the form's first free-text field; returns the keyboard once slid in and the field."""
    text_field = next((f for f in walkable_service(app.session.catalog).fields if f.type is FieldType.TEXT), None)
    if text_field is None:
        pytest.skip("the walkable service asks for no free text")
    [keyboard] = app.window.screen_widget.findChildren(TextKeyboard)
    field: QLineEdit = app.field(text_field.key)
    app.turn_to(field)
    app.qtbot.mouseClick(field, Qt.LeftButton)
    panel = QGuiApplication.inputMethod()
    app.qtbot.waitUntil(lambda: keyboard.isVisible() and panel.isVisible() and not panel.isAnimating(), timeout=5000)
    app.qtbot.waitUntil(lambda: bool(keyboard.keys()), timeout=5000)
    return keyboard, field


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_whole_pinyin_keyboard_is_on_the_glass(kiosk_app: KioskUnderTest, size: tuple[int, int]) -> None:
    """Every key, the bottom row too (space, &123, globe, hide), inside the keyboard's widget and the window:
    the panel grows by its candidate bar once active, and a widget kept at its first height cut that row."""
    app = kiosk_app
    to_the_form(app, size)
    keyboard, _ = open_letters(app)
    assert QGuiApplication.inputMethod().locale().name() == "zh_CN"      # pinyin for a Chinese session
    stops = keyboard.keys()
    assert {13, 2, 12, 6} <= {s.kind for s in stops}, "the bottom row's keys: &123, globe, space, hide"
    for stop in stops:
        corner = stop.item.mapToScene(QPointF(stop.item.width(), stop.item.height()))
        assert corner.x() <= keyboard.width() + 1 and corner.y() <= keyboard.height() + 1, stop.text or stop.kind
    bottom = keyboard.mapTo(app.window, QPoint(keyboard.width(), keyboard.height()))
    assert bottom.y() <= app.window.height() and bottom.x() <= app.window.width()


def test_a_disabled_key_is_not_drawn_as_a_blank_key(kiosk_app: KioskUnderTest) -> None:
    """Pinyin's syllable mark (') is disabled until pinyin is typed: the built-in style faded its label to
    5 % and drew the key, a blank key that does nothing; the keyboard's background shows there instead."""
    app = kiosk_app
    to_the_form(app, (1920, 1080))
    keyboard, _ = open_letters(app)
    [mark] = [item for item in keyboard.rootObject().findChildren(QQuickItem)
              if item.metaObject().className().startswith("Key_") and item.property("displayText") == "'"]
    assert not mark.isEnabled()
    image = keyboard.grabFramebuffer()
    corner = mark.mapToScene(QPointF(0, 0))
    box = [image.pixelColor(round(corner.x() + x), round(corner.y() + y)).rgb()
           for x in range(2, round(mark.width()) - 2, 3) for y in range(2, round(mark.height()) - 2, 3)]
    behind = image.pixelColor(round(corner.x()) + 1, round(corner.y()) + 1).rgb()
    assert set(box) == {behind}, "a key's border, face or label is drawn where the disabled key sits"
    [z] = [item for item in keyboard.rootObject().findChildren(QQuickItem)
           if item.metaObject().className().startswith("Key_") and item.property("displayText") == "z"]
    start = z.mapToScene(QPointF(0, 0))
    drawn = {image.pixelColor(round(start.x() + x), round(start.y() + z.height() / 2)).rgb() for x in range(2, 30)}
    assert len(drawn) > 1, "the enabled key beside it is drawn (its border)"



def test_the_space_bar_names_its_language_in_full_ink_while_it_stays(kiosk_app: KioskUnderTest) -> None:
    """The space bar says which language the keys type (简体中文). Qt's style fades that to half a second after
    the keyboard shows (3.4:1 on the kiosk's keys); a keyboard is on the glass for minutes, and made ahead of
    its visit, so the faded label was what citizens saw. Measured from the pixels after the fade would be over."""
    app = kiosk_app
    to_the_form(app, (1920, 1080))
    keyboard, _ = open_letters(app)
    [space] = [item for item in keyboard.rootObject().findChildren(QQuickItem)
               if item.metaObject().className().startswith("SpaceKey_")]
    QTest.qWait(1600)                                # the style's timer (1 s) and its fade (250 ms)
    corner = space.mapToScene(QPointF(0, 0))
    image = keyboard.grabFramebuffer().copy(round(corner.x()), round(corner.y()), round(space.width()),
                                            round(space.height()))
    [line] = painted.measure(painted.rgb_array(image))
    assert line.contrast >= 4.5, line.describe()

def test_after_a_failed_next_the_phone_number_opens_the_keypad(kiosk_app: KioskUnderTest) -> None:
    """Typing in the address, then 下一步 with the phone number short: the rebuilt form puts the focus back
    in the address, which is no citizen's move, so no letter keyboard opens under the problem summary; its
    link leads to the phone number and to the 3x4 keypad."""
    app = kiosk_app
    to_the_form(app, (1080, 1920))
    app.type_digits("mobile", "1234")
    open_letters(app)
    app.tap("Primary")
    app.qtbot.waitUntil(lambda: bool(app.buttons("ProblemLink")), timeout=5000)
    for _ in range(5):
        QApplication.processEvents()
    [keyboard] = app.window.screen_widget.findChildren(TextKeyboard)
    assert not keyboard.isVisible()
    [link] = app.buttons("ProblemLink", key="mobile")
    assert link.text() == "请输入 11 位手机号码"            # what is wrong, GOV.UK's way: it names the question
    app.tap("ProblemLink", key="mobile")
    app.qtbot.waitUntil(lambda: app.field("mobile").hasFocus(), timeout=5000)
    assert not keyboard.isVisible()
    assert app.buttons("Key", key="5"), "the 3x4 digit keypad shows for the phone number"


def test_a_keyboard_serves_one_visit_and_the_next_gets_one_made_ahead(kiosk_app: KioskUnderTest) -> None:
    """Qt makes a keyboard in tens of milliseconds: the form built again (a failed 下一步) borrows the same
    one; when the visit ends it goes (the pinyin typed and its candidates with it), and the next citizen's
    form gets one made while the start screen waited, never the last citizen's."""
    app = kiosk_app
    to_the_form(app, (1920, 1080))
    keyboard, _ = open_letters(app)
    app.tap("Primary")                       # 下一步 with the form empty: the form is built anew
    app.qtbot.waitUntil(lambda: bool(app.buttons("ProblemLink")), timeout=5000)
    assert app.window.screen_widget.isAncestorOf(keyboard)
    app.tap("HeaderButton", role="home")
    app.tap("NoticeHome")                   # asked first: the visit held the citizen's unsent work
    app.wait_state(State.ATTRACT)
    app.qtbot.waitUntil(lambda: not shiboken6.isValid(keyboard), timeout=5000)
    app.qtbot.waitUntil(lambda: bool(app.window.findChildren(TextKeyboard)), timeout=5000)
    [ahead] = app.window.findChildren(TextKeyboard)
    assert not ahead.isVisible()
    to_the_form(app, (1920, 1080))
    assert app.window.findChildren(TextKeyboard) == [ahead] and app.window.screen_widget.isAncestorOf(ahead)


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_letters_grow_with_the_text_size(kiosk_app: KioskUnderTest, size: tuple[int, int]) -> None:
    """字号 largest: a key's letter as tall as the body's Latin letters (a "k" is three quarters of its font size).
    Qt sizes its labels by the panel's width alone: beside a form, 17 px letters under a 35 px body."""
    app = kiosk_app
    app.kiosk.controller.set_profile(app.session.profile.toggled(text_size=4))
    to_the_form(app, size)
    keyboard, _ = open_letters(app)
    [k] = [item for item in keyboard.rootObject().findChildren(QQuickItem)
           if item.metaObject().className().startswith("Key_") and item.property("displayText") == "k"]
    corner = k.mapToScene(QPointF(0, 0))
    image = keyboard.grabFramebuffer().copy(round(corner.x()), round(corner.y()), round(k.width()), round(k.height()))
    face = painted.rgb_array(image)[8:-8, 8:-8].sum(axis=2)      # inside the key's border
    rows = (face < face.max() / 2).any(axis=1).nonzero()[0]       # the letter's ink, dark on the key's face
    assert rows.size, "no letter drawn on the key"
    assert rows[-1] - rows[0] + 1 >= 0.7 * app.window.theme.text_px, (rows[-1] - rows[0] + 1, app.window.theme.text_px)
    [space] = [item for item in keyboard.rootObject().findChildren(QQuickItem)
               if item.metaObject().className().startswith("SpaceKey_")]
    corner = space.mapToScene(QPointF(0, 0))
    image = keyboard.grabFramebuffer().copy(round(corner.x()), round(corner.y()), round(space.width()),
                                            round(space.height()))
    [name] = painted.measure(painted.rgb_array(image))
    assert name.rect[0] > 0 and name.rect[0] + name.rect[2] < space.width(), "the language's name within its key"


def test_the_keyboards_style_gives_qt_no_size_it_cannot_take(kiosk_app: KioskUnderTest, qtlog: QtMessages) -> None:
    """Before the panel is laid out its scale is 0: a label's size then came out NaN, which QML refuses with a
    warning each time a key's preview or a label is made."""
    app = kiosk_app
    to_the_form(app, (1920, 1080))
    keyboard, _field = open_letters(app)
    for letter in "ab":
        tap(app, keyboard, letter)

    assert not [record.message for record in qtlog.records if "Unable to assign" in record.message]
