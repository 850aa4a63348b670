"""好差评, complaints and the printed guide through the real window, printer simulator and case store."""
from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, QMimeData, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QScrollArea
from pyzbar import pyzbar

from devices.printer.simulator import PrinterState
from kiosk import idnumber, receipt
from kiosk.session import State
from sync.casestore.db import make_engine
from tests.fixtures.common import wait_until
from tests.fixtures.keypad import Keypad
from tests.fixtures.kiosk import KioskUnderTest, resident_card
from tests.test_end_to_end import walk_to_review
from ui.keyboard import TextKeyboard
from ui.paging import Pages
from ui.screens import rating

pytestmark = pytest.mark.gui


def shown(app: KioskUnderTest) -> str:
    return "\n".join(w.text() for w in app.window.findChildren(QLabel) if w.isVisible())


def at_centre(app: KioskUnderTest, table: str) -> list[dict]:
    engine = make_engine(app.casestore.db_url)
    try:
        with engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(sa.text(f"SELECT * FROM {table}"))]
    finally:
        engine.dispose()


def to_receipt(app: KioskUnderTest) -> None:
    walk_to_review(app)
    app.tap("Primary")                                        # confirm
    app.wait_state(State.RECEIPT)
    app.qtbot.waitUntil(lambda: not app.kiosk.controller.printing, timeout=10_000)


def test_a_bad_rating_after_the_receipt_reaches_the_centre(kiosk_app: KioskUnderTest, monkeypatch) -> None:
    app = kiosk_app
    monkeypatch.setattr(rating, "THANKS_S", 0.5)
    to_receipt(app)
    case, code = app.session.case_number, app.session.service.code
    assert receipt.readable(case) in shown(app)                 # the case number grouped, in the panel
    app.tap("Primary")                                        # done: on to 好差评
    app.wait_state(State.RATING)
    scores = app.buttons("Score")
    assert [b.accessibleName() for b in scores] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert not any(b.isChecked() for b in scores) and app.window.focusWidget() not in scores   # nothing suggested
    assert {b.objectName() for b in scores} == {"Choice"}                 # choices, not primary-coloured buttons
    app.tap("Score", score="2")
    app.wait_state(State.RATING_REASONS)
    assert "不满意" in shown(app) and app.buttons("Complain")          # a bad score offers the complaint
    app.tap("Reason", code="long_wait")
    assert [b.property("code") for b in app.buttons("Reason") if b.isChecked()] == ["long_wait"]
    app.field("comment").insert("排队的人太多")
    app.tap("Primary")                                        # send
    app.wait_state(State.THANKS)
    assert app.session.case_number is None and app.session.service is None
    app.wait_state(State.ATTRACT, timeout=5)                  # the thank-you goes by itself

    [row] = wait_until(lambda: at_centre(app, "kiosk_ratings"), timeout=15)
    assert (row["score"], row["case_number"], row["service_code"]) == (2, case, code)
    assert json.loads(row["reasons"]) == ["long_wait"] and row["comment"] == "排队的人太多"


def test_a_complaint_from_the_start_screen_is_checked_sent_and_answered_with_the_hotline(
        kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    app.tap("Complain")
    app.wait_state(State.COMPLAINT)
    assert not app.buttons("AboutService")                   # no service chosen: nothing to link
    app.tap("Category", category="cant_get_done")
    app.tap("Primary")                                        # nothing written yet
    assert app.session.state is State.COMPLAINT and "请写下您要反映的内容" in shown(app)
    app.field("text").insert("跑了两次都说材料不对")
    app.type_digits("mobile", "1381234")
    app.tap("Primary")
    assert "请输入 11 位手机号码" in shown(app) and app.field("text").text() == "跑了两次都说材料不对"
    app.type_digits("mobile", "5678")
    app.tap("Primary")
    app.wait_state(State.COMPLAINT_SENT)
    sent = app.session.acknowledgement
    assert "已收到您反映的办不成事" in shown(app) and "投诉已保存" not in shown(app)     # in the citizen's word
    assert receipt.readable(sent.reference) in shown(app) and "12345" in shown(app) and "跑了两次" not in shown(app)
    [slip] = app.printer.wait_for(1, timeout=10)              # the reference on paper too, without the words
    printed = "".join(line.strip() for line in slip.lines)
    assert receipt.readable(sent.reference).replace(" ", "") in printed.replace(" ", "") and "12345" in printed
    assert "跑了两次" not in printed and "13812345678" not in printed
    app.qtbot.waitUntil(lambda: "凭条已打印" in shown(app), timeout=10_000)
    app.tap("Primary")
    app.wait_state(State.ATTRACT)

    [row] = wait_until(lambda: at_centre(app, "kiosk_complaints"), timeout=15)
    assert (row["category"], row["text"], row["contact_mobile"]) == ("cant_get_done", "跑了两次都说材料不对",
                                                                     "13812345678")


def test_each_complaint_field_opens_the_keys_it_takes(kiosk_app: KioskUnderTest) -> None:
    """The words field (Chinese) opens with the cursor in it and the pinyin keyboard, not the digit keypad;
    the mobile field brings the keypad; the field the keys type into is the focused one (its border)."""
    app = kiosk_app
    app.tap("Complain")
    app.wait_state(State.COMPLAINT)
    [keyboard] = app.window.screen_widget.findChildren(TextKeyboard)
    app.qtbot.waitUntil(lambda: QApplication.focusWidget() is app.field("text"), timeout=5_000)
    app.qtbot.waitUntil(keyboard.isVisible, timeout=5_000)
    assert not app.buttons("Key")
    app.type_digits("mobile", "138")
    assert QApplication.focusWidget() is app.field("mobile") and not keyboard.isVisible()
    assert app.field("mobile").text() == "138"


def test_the_guide_prints_without_a_card_and_stays_on_screen_when_paper_runs_out(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    service = next(s for s in app.session.catalog.services if s.excluded_time.zh and s.hours.always)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.wait_state(State.DETAIL)
    assert service.excluded_time.zh in shown(app)
    app.tap("PrintGuide")
    [paper] = app.printer.wait_for(1, timeout=10)
    printed = "".join(line.strip() for line in paper.lines)
    assert "办事指南" in printed and all(m.name.zh in printed for m in service.materials)
    app.qtbot.waitUntil(lambda: "办事指南已打印" in shown(app), timeout=10_000)

    app.printer.state = PrinterState.PAPER_END
    app.tap("PrintGuide")
    app.qtbot.waitUntil(lambda: "打印机缺纸" in shown(app), timeout=10_000)
    assert app.session.state is State.DETAIL and service.materials[0].name.zh in shown(app)
    assert len(app.printer.receipts) == 1
    [again] = app.buttons("PrintGuide")             # no second tap that would fail the same way (review i, M5)
    assert not again.isEnabled() and again.text() == "打印办事指南：暂不能打印"

    app.tap("Complain")                                       # 办不成事 about this very service
    app.wait_state(State.COMPLAINT)
    [about] = app.buttons("AboutService")
    assert about.isChecked() and service.name.zh in about.accessibleName()
    app.tap("back")
    app.wait_state(State.DETAIL)


def test_without_paper_the_whole_receipt_is_on_the_screen(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    app.printer.state = PrinterState.PAPER_END
    to_receipt(app)
    assert app.session.print_problem == "printer.paper_out"
    text = shown(app)
    assert "回执内容" in text and idnumber.mask(resident_card().id_number) in text and "12345" in text
    assert app.session.case_number in text and resident_card().id_number not in text
    code = app.window.screen_widget.findChild(QLabel, "TrackingQR")                 # the tracking code, to photograph
    image = Image.open(io.BytesIO(_png(code.pixmap())))
    [found] = pyzbar.decode(image, symbols=[pyzbar.ZBarSymbol.QRCODE])
    assert found.data.decode() == app.session.receipt.qr_payloads()[0]

    app.printer.state = PrinterState.OK                     # staff put paper in: the same receipt, once more
    app.tap("PrintAgain")
    [paper] = app.printer.wait_for(1, timeout=10)
    app.qtbot.waitUntil(lambda: not app.kiosk.controller.printing and app.session.print_problem is None,
                        timeout=10_000)
    assert any(app.session.case_number in line for line in paper.lines) and not app.buttons("PrintAgain")


def _png(pixmap) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    pixmap.save(buffer, "PNG")
    return bytes(buffer.data())


def test_the_complaint_screen_works_with_the_keypad_alone(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    keys.press("next")                                        # the first key turns voice on
    keys.choose("Complain")
    app.wait_state(State.COMPLAINT)
    keys.choose("Category", category="suggestion")
    assert [b.property("category") for b in app.buttons("Category") if b.isChecked()] == ["suggestion"]
    keys.move_to(lambda w: w.objectName() == "field_mobile")
    for digit in "13812345678":
        keys.choose("Key", key=digit)
    assert app.field("mobile").text() == "138 1234 5678" and app.session.feedback.mobile == "13812345678"
    keys.press("back")                                        # back where the citizen came from
    app.wait_state(State.ATTRACT)
    assert app.session.feedback.mobile == ""                  # and nothing of it kept


def sent_without_a_slip(app: KioskUnderTest) -> tuple[Pages, QLabel]:
    """A complaint sent with the receipt printer out of paper, shown in the accessible mode on the smallest
    glass; returns its pages and the reference number's label."""
    app.printer.state = PrinterState.PAPER_END
    app.tap("Complain")
    app.wait_state(State.COMPLAINT)
    app.tap("Category", category="cant_get_done")
    app.field("text").insert("跑了两次都说材料不对")
    app.tap("Primary")
    app.wait_state(State.COMPLAINT_SENT)
    app.qtbot.waitUntil(lambda: "凭条未能打印" in shown(app), timeout=10_000)
    app.window.resize(1366, 768)
    app.kiosk.controller.set_profile(app.session.profile.with_assisted(True))
    [pages] = [p for p in app.window.findChildren(Pages) if p.isVisible()]
    [number] = [w for w in app.window.findChildren(QLabel, "PanelReference") if w.isVisible()]
    return pages, number


def test_assisted_complaint_sent_keeps_the_reference_to_note_on_the_first_page(kiosk_app: KioskUnderTest) -> None:
    """Review 2026-12-06-b, 18-complaint-sent: with no slip and the accessible mode on the smallest glass, the
    number the citizen is told to write down is on the first page, whole, in the confirmation panel's type."""
    app = kiosk_app
    pages, number = sent_without_a_slip(app)
    assert pages.page == 0 and number.text() == receipt.readable(app.session.acknowledgement.reference)
    bottom = number.mapTo(pages, QPoint(0, number.height())).y()
    assert 0 < bottom <= pages.height()                               # whole, on the page


def test_the_complaint_sent_says_how_to_follow_it_up_under_the_number_and_what_happens_next_on_one_page(
        kiosk_app: KioskUnderTest) -> None:
    """Review g, M4: in the accessible mode the number, the 12345 line and the slip's fate come in that order as
    plain information under the panel (never a red alert over the green panel); review j, M10: what happens next
    on the same page, even on the smallest glass, and the one button ends the visit (下一页 there read as a
    page turn away from the moment)."""
    app = kiosk_app
    pages, number = sent_without_a_slip(app)
    [follow_up] = [w for w in app.window.findChildren(QLabel) if w.isVisible() and "拨打 12345 查询" in w.text()]
    [slip] = [w for w in app.window.findChildren(QLabel) if w.isVisible() and "凭条未能打印" in w.text()]
    [after] = [w for w in app.window.findChildren(QLabel) if w.isVisible() and w.text() == "接下来"]
    assert pages.pages == [list(range(len(pages.blocks)))]
    assert number.mapToGlobal(QPoint(0, 0)).y() < follow_up.mapToGlobal(QPoint(0, 0)).y() \
        < slip.mapToGlobal(QPoint(0, 0)).y() < after.mapToGlobal(QPoint(0, 0)).y()
    assert slip.objectName() != "Problem" and not app.window.findChildren(QLabel, "Problem")
    [onward] = app.buttons("Primary")
    assert onward.text() == "返回首页"
    app.tap("Primary")
    app.wait_state(State.ATTRACT)


def test_the_accessible_complaint_asks_one_question_a_page_and_opens_on_the_first_problem(
        kiosk_app: KioskUnderTest) -> None:
    """Review g, B2: in the accessible mode nothing scrolls, so the complaint asks a question a page, turned from
    the footer (继续 until the last, then 提交); a failed 提交 opens the page of the first problem, said there."""
    app = kiosk_app
    app.kiosk.controller.set_profile(app.session.profile.with_assisted(True))
    app.tap("Complain")
    app.wait_state(State.COMPLAINT)
    assert not [a for a in app.window.findChildren(QScrollArea) if a.isVisible()]
    [pages] = [p for p in app.window.findChildren(Pages) if p.isVisible()]
    assert (pages.page, len(pages.pages)) == (0, 3) and "第 1 题，共 3 题" in shown(app)
    app.tap("Category", category="suggestion")
    for page in (1, 2):
        [onward] = app.buttons("Primary")
        assert onward.text() == "继续"
        app.tap("Primary")
        assert pages.page == page and app.session.state is State.COMPLAINT
    [send] = app.buttons("Primary")
    assert send.text() == "提交"
    app.tap("Primary")                                        # nothing written: the page that asks for it
    [pages] = [p for p in app.window.findChildren(Pages) if p.isVisible()]
    assert pages.page == 1 and "请写下您要反映的内容" in shown(app) and app.field("text").isVisible()
    app.field("text").insert("大厅的座椅太少")
    app.tap("Primary")
    app.tap("Primary")
    app.wait_state(State.COMPLAINT_SENT)


def open_complaint_words(app: KioskUnderTest) -> tuple[TextKeyboard, QPlainTextEdit]:
    """The complaint, a kind chosen, a finger in its words field; returns the keyboard once slid in, and the field."""
    app.tap("Complain")
    app.wait_state(State.COMPLAINT)
    app.tap("Category", category="cant_get_done")
    [keyboard] = app.window.screen_widget.findChildren(TextKeyboard)
    field = app.field("text")
    assert isinstance(field, QPlainTextEdit)
    app.turn_to(field)
    app.qtbot.mouseClick(field.viewport(), Qt.LeftButton)     # a finger lands on the field's viewport
    panel = QGuiApplication.inputMethod()
    app.qtbot.waitUntil(lambda: keyboard.isVisible() and panel.isVisible() and not panel.isAnimating()
                        and bool(keyboard.keys()), timeout=5_000)
    assert field.hasFocus()
    return keyboard, field


def press_on_glass(app: KioskUnderTest, keyboard: TextKeyboard, wanted: str | int) -> None:
    """A finger on the key labelled wanted, or on the special key of that kind (KeyStop.kind)."""
    def found() -> list:
        stops = keyboard.keys()
        return [s for s in stops if (s.text == wanted and s.kind == 8) or s.kind == wanted]

    app.qtbot.waitUntil(lambda: bool(found()), timeout=5_000)
    keyboard.press(found()[0])
    QApplication.processEvents()


def type_on_glass(app: KioskUnderTest, keyboard: TextKeyboard, pinyin: str) -> None:
    """Pinyin letter by letter, the space key taking the first candidate."""
    for letter in pinyin:
        press_on_glass(app, keyboard, letter)
    press_on_glass(app, keyboard, 12)


def visual_lines(field: QPlainTextEdit) -> int:
    document = field.document()
    return sum(document.findBlockByNumber(n).layout().lineCount() for n in range(document.blockCount()))


def test_sentences_typed_on_the_glass_wrap_in_sight_and_reach_the_centre_whole(kiosk_app: KioskUnderTest) -> None:
    """Review h, M2: a complaint is several sentences; typed on the pinyin keyboard they land in a field of several
    lines that wraps them (no line runs out of sight sideways), ⌫ takes back the last character, the keyboard's
    enter key starts a new line and sends nothing, and the centre gets every word, the line break too."""
    app = kiosk_app
    app.window.resize(1366, 768)
    keyboard, field = open_complaint_words(app)
    assert field.height() >= 4 * field.fontMetrics().lineSpacing()        # four lines in sight
    times = field.viewport().width() // field.fontMetrics().horizontalAdvance("你好") + 1    # a line and more
    for _ in range(times):
        type_on_glass(app, keyboard, "nihao")
    app.qtbot.waitUntil(lambda: field.text() == "你好" * times, timeout=5_000)
    assert visual_lines(field) > 1 and field.horizontalScrollBar().maximum() == 0      # wrapped, not scrolled
    app.qtbot.waitUntil(lambda: field.verticalScrollBar().maximum() == 0, timeout=5_000)   # every line in sight
    press_on_glass(app, keyboard, 3)                                  # enter: a new line
    type_on_glass(app, keyboard, "nihao")
    press_on_glass(app, keyboard, 1)                                  # ⌫
    written = "你好" * times + "\n你"
    app.qtbot.waitUntil(lambda: field.text() == written, timeout=5_000)
    assert app.session.state is State.COMPLAINT and not app.session.profile.voice    # enter sent nothing
    assert app.session.feedback.text == written and f"已写 {len(written)} 字，最多 500 字" in shown(app)
    app.tap("Primary")
    app.wait_state(State.COMPLAINT_SENT)
    [row] = wait_until(lambda: at_centre(app, "kiosk_complaints"), timeout=15)
    assert row["text"] == written


def test_the_complaint_field_holds_its_bound_and_takes_nothing_pasted(kiosk_app: KioskUnderTest) -> None:
    """At most feedback.TEXT_MAX characters, as the one-line field held, every line of them in sight (the field
    grows, the page scrolls); locked as every field is."""
    app = kiosk_app
    app.tap("Complain")
    app.wait_state(State.COMPLAINT)
    field = app.field("text")
    assert isinstance(field, QPlainTextEdit) and field.contextMenuPolicy() == Qt.NoContextMenu
    assert not field.acceptDrops() and not field.canInsertFromMimeData(QMimeData())
    field.insert("很" * 400)
    field.insert("多" * 200)
    assert field.text() == "很" * 400 + "多" * 100 and app.session.feedback.text == field.text()
    assert "已写 500 字，最多 500 字" in shown(app)
    assert visual_lines(field) > 4                                    # more than its four lines: it grows,
    app.qtbot.waitUntil(lambda: field.verticalScrollBar().maximum() == 0, timeout=5_000)   # the page scrolls
    field.selectAll()
    assert not field.createMimeDataFromSelection().hasText()          # nothing leaves by a drag or a copy


def test_a_failed_send_puts_the_cursor_in_the_words_with_the_keyboard_in_either_orientation(
        kiosk_app: KioskUnderTest) -> None:
    """Review h, M2: after a failed 提交 the field to fix has the cursor and its keyboard, in the accessible mode's
    portrait as in landscape (within reach a summary took the focus and left the keys shut over an empty band),
    the problem said at its question, in the error colour's border."""
    app = kiosk_app
    app.kiosk.controller.set_profile(app.session.profile.with_assisted(True))
    for size in ((1920, 1080), (1080, 1920)):
        app.window.resize(*size)
        if app.session.state is not State.COMPLAINT:
            app.tap("Complain")
            app.wait_state(State.COMPLAINT)
        while app.buttons("Primary")[0].text() != "提交":    # 继续 through the questions
            app.tap("Primary")
        app.tap("Primary")                                    # nothing written
        [keyboard] = app.window.screen_widget.findChildren(TextKeyboard)
        app.qtbot.waitUntil(lambda: QApplication.focusWidget() is app.field("text"), timeout=5_000)
        app.qtbot.waitUntil(keyboard.isVisible, timeout=5_000)
        assert app.field("text").property("problem") is True and "请写下您要反映的内容" in shown(app)
        assert not app.buttons("ProblemLink")
