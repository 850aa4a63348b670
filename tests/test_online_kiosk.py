"""The online services from the attract screen through the real widgets to the real case store:
query-and-print (and with the centre down), progress by a scanned receipt and by typed number,
免申即享, and an appointment that takes a slot's last place."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from devices.scanner.simulator import SerialScannerSimulator
from kiosk.application import CHINA_TZ, new_key
from kiosk.catalog import ServiceKind
from kiosk.receipt import readable, tracking_payload
from kiosk.session import State
from kiosk.voice import announcement
from sync.casestore import benefits, records
from sync.centre_link import HttpCentreLink
from tests.fixtures.common import wait_until
from tests.fixtures.core import make_application, make_identity
from tests.fixtures.kiosk import KioskUnderTest, identify, open_guide, resident_card
from tests.test_feedback_ui import at_centre
from ui.keyboard import TextKeyboard
from ui.widgets import WORD_JOINER

pytestmark = pytest.mark.gui


@pytest.fixture
def kiosk_overrides(serial_scanner_simulator: SerialScannerSimulator) -> dict[str, object]:
    """A serial code scanner (the simulator on a pty) beside the card reader."""
    return {"scanner": f"serial://{serial_scanner_simulator.port}?suffix=cr"}




def test_a_query_with_the_centre_down_says_so_before_anyone_identifies(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    app.casestore.stop()
    open_guide(app, records.TRAFFIC)
    app.qtbot.waitUntil(lambda: app.session.online.centre_online is False, timeout=10_000)
    [start] = app.buttons("Primary")
    [book] = app.buttons("BookAtHall")
    assert not start.isEnabled() and not book.isEnabled()
    assert book.text() == "预约：网络不通"          # why, on the glass (review i, M6)
    assert app.session.problem == "online.query_offline"
    assert "12345" in app.texts() and "网络暂时不通" in app.texts()


def test_the_guide_takes_the_centres_answer_in_place(kiosk_app: KioskUnderTest) -> None:
    """The guide shows at once and asks the centre; its answer enables 开始办理 and 预约到大厅办理 on the
    same widgets, not on a guide built a second time (tens of milliseconds, and a flash, on every guide)."""
    app = kiosk_app
    guides: list[object] = []
    app.kiosk.controller.changed.connect(    # after the window's own slot: the screen it has just built
        lambda: guides.append(app.window.screen_widget) if app.session.state is State.DETAIL else None)
    open_guide(app, records.TRAFFIC)
    app.qtbot.waitUntil(lambda: app.session.online.centre_online is True, timeout=10_000)
    [start], [book] = app.buttons("Primary"), app.buttons("BookAtHall")
    assert start.isEnabled() and book.isEnabled() and book.text() == "预约到大厅办理"     # no longer "正在连接"
    assert guides == [app.window.screen_widget]


def test_a_record_is_shown_printed_and_the_visit_ends_with_a_rating(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    open_guide(app, records.TRAFFIC)
    app.qtbot.waitUntil(lambda: app.session.online.centre_online is True, timeout=10_000)
    app.tap("Primary")
    identify(app, State.FORM)
    app.tap("choice_scope_0")
    app.tap("Primary")                                        # 下一步: the centre is asked
    app.wait_state(State.QUERY_RESULT)
    app.qtbot.waitUntil(lambda: app.session.online.record is not None, timeout=10_000)
    record = app.session.online.record
    assert "交通违法记录" in app.texts() and record.rows[1].value.zh in app.texts()
    [paper] = app.printer.wait_for(1, timeout=10)
    printed = "\n".join(paper.lines)
    assert "交通违法记录" in printed and record.verification_code in printed
    assert resident_card().id_number not in printed          # the printout names the citizen masked
    app.qtbot.waitUntil(lambda: app.session.online.printed, timeout=10_000)
    app.tap("Primary")                                        # 完成
    app.wait_state(State.RATING)
    assert app.session.identity is None and app.session.online.record is None


def submitted_case(app: KioskUnderTest) -> tuple[str, str, str]:
    """An application from this kiosk, delivered to the centre: (receipt number, token, ID number)."""
    application = dataclasses.replace(make_application(), kiosk_id=app.kiosk.config.kiosk_id)
    number = app.kiosk.outbox.submit(application).value
    app.kiosk.worker.wake()
    wait_until(lambda: app.kiosk.outbox.status().delivered == 1, timeout=15)
    return number, application.tracking_token, application.applicant.id_number


def test_progress_by_a_scanned_receipt_and_by_typed_number(kiosk_app: KioskUnderTest,
                                                           serial_scanner_simulator: SerialScannerSimulator) -> None:
    app = kiosk_app
    number, token, id_number = submitted_case(app)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("ProgressQuery")
    app.wait_state(State.PROGRESS)
    serial_scanner_simulator.scan(b"https://example.com/not-a-receipt")
    app.qtbot.waitUntil(lambda: app.session.problem == "progress.scan_unknown", timeout=10_000)
    serial_scanner_simulator.scan(tracking_payload(number, token).encode())
    app.wait_state(State.PROGRESS_RESULT)
    assert app.session.online.progress.status == "received"
    # what a reader sees: the number grouped (XY-SH-01-2026 1122-0003), the dashes glued by invisible word joiners
    assert readable(number) in app.texts().replace(WORD_JOINER, "")
    [shown] = [w for w in app.window.findChildren(QLabel, "CaseNumber") if w.isVisible()]
    assert shown.accessibleName() == number                 # a screen reader and the voice get clean text
    assert WORD_JOINER not in announcement(app.session, app.session.translator)
    assert "已接收" in app.texts()
    [status] = [w for w in app.window.findChildren(QLabel) if w.isVisible() and w.text() == "已接收"]
    assert status.fontInfo().pixelSize() > shown.fontInfo().pixelSize()    # the answer is the largest, not the number

    app.tap("back")                                           # 再查一件: now typed, as without a scanner
    app.wait_state(State.PROGRESS)
    app.qtbot.waitUntil(lambda: QApplication.focusWidget() is app.field("case_number"), timeout=5_000)
    assert app.buttons("Key", key="Q")                        # the keys the case number takes
    assert not app.window.screen_widget.findChildren(TextKeyboard)     # the code keypad: no Qt keyboard
    app.type_code("case_number", number.replace("-", ""))     # it has no dash key: none needed
    assert app.session.online.case_number == number          # asked for as printed
    app.type_digits("id_tail", "00000")
    app.tap("Primary")
    assert app.session.problem == "progress.id_tail_invalid"  # five characters: refused on the kiosk
    app.type_digits("id_tail", "1")
    app.tap("Primary")                                        # six, wrong: the centre does not find it
    app.qtbot.waitUntil(lambda: app.session.problem == "progress.not_found", timeout=10_000)
    app.type_digits("id_tail", "")                            # the field again: the keypad follows it
    for _ in range(6):
        app.tap("Key", key="⌫")
    app.type_digits("id_tail", id_number[-6:])
    app.tap("Primary")
    app.wait_state(State.PROGRESS_RESULT)
    assert app.session.online.progress.kiosk_case_number == number
    app.tap("Primary")                                        # 完成: 好差评 of the query, about the case it found
    app.wait_state(State.RATING)
    assert app.session.identity is None and app.session.online.progress is None
    app.tap("Score", score="4")
    app.wait_state(State.RATING_REASONS)
    app.tap("Primary")
    app.wait_state(State.THANKS)
    [row] = wait_until(lambda: at_centre(app, "kiosk_ratings"), timeout=15)
    assert (row["score"], row["case_number"]) == (4, number)


def test_benefits_without_application_are_listed_with_what_happens_next(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Benefits")
    identify(app, State.BENEFITS)
    app.qtbot.waitUntil(lambda: app.session.online.benefits is not None, timeout=10_000)
    expected = benefits.benefits_for(resident_card().id_number, dt.datetime.now(CHINA_TZ).date())
    shown = app.texts()
    if expected:
        assert all(b.name.zh in shown and b.next_step.zh in shown for b in expected)
        assert "演示数据" in shown and all(b.demo for b in app.session.online.benefits)   # the store's are made up
    else:
        assert "目前没有查到" in shown
    app.tap("back")
    app.wait_state(State.SERVICES)
    assert app.session.identity is None and app.session.online.benefits is None


def test_an_appointment_takes_a_slots_last_place(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    other = HttpCentreLink(app.casestore.client("XY-TEST-07"))
    small = next(s for s in other.slots("any").value if s.capacity == 2)
    assert other.book(new_key(), small.slot_id, "svc", make_identity(), "13812345678").ok     # one place left
    service = next(s for s in app.session.catalog.services if s.kind is ServiceKind.APPLICATION)
    open_guide(app, service.code)
    app.qtbot.waitUntil(lambda: app.session.online.centre_online is True, timeout=10_000)
    app.tap("BookAtHall")
    identify(app, State.APPOINTMENT)
    app.qtbot.waitUntil(lambda: app.session.online.slots is not None, timeout=10_000)
    [confirm] = app.buttons("Primary")                       # nothing chosen for the citizen: the reason on the glass
    assert not confirm.isEnabled() and confirm.text() == "请先选择时段"
    assert app.session.online.slot_id == "" and not any(b.isChecked() for b in app.buttons("Slot"))
    slot = next(b for b in app.window.screen_widget.findChildren(QPushButton) if b.property("slot") == small.slot_id)
    app.turn_to(slot)                                         # slots are paged, never scrolled out of sight
    app.tap("Slot", slot=small.slot_id)
    [confirm] = app.buttons("Primary")
    assert confirm.isEnabled() and confirm.text() == "确认预约"
    [chosen] = app.buttons("ChosenSlot")                     # then the number, under the slot (tap to choose again)
    assert chosen.text().startswith("✓") and not app.buttons("Slot")
    app.tap("ChosenSlot")
    assert [b.text().startswith("✓") for b in app.buttons("Slot", slot=small.slot_id)] == [True]
    app.tap("Primary")
    assert app.session.problem == "error.required"           # no number yet: asked for on the kiosk
    app.type_digits("mobile", "13912345678")
    app.tap("Primary")
    app.wait_state(State.APPOINTMENT_DONE)
    booking = app.session.online.booking
    assert booking.booking_number in app.texts()
    [slip] = app.printer.wait_for(1, timeout=10)
    assert booking.booking_number in "\n".join(slip.lines)
    assert other.book(new_key(), small.slot_id, "svc", make_identity(), "13812345678").problem == "appointment.full"

    app.tap("Primary")                                        # 完成: to 好差评, skipped; a second citizen finds it full
    app.wait_state(State.RATING)
    app.tap("Skip")
    app.wait_state(State.ATTRACT)
    app.reader.remove()             # the first citizen takes their card back: left on, it was read for the second
    open_guide(app, service.code)
    app.qtbot.waitUntil(lambda: app.session.online.centre_online is True, timeout=10_000)
    app.tap("BookAtHall")
    identify(app, State.APPOINTMENT)
    app.qtbot.waitUntil(lambda: app.session.online.slots is not None, timeout=10_000)
    app.turn_to(next(b for b in app.window.screen_widget.findChildren(QPushButton)
                     if b.property("slot") == small.slot_id))
    [full] = app.buttons("Slot", slot=small.slot_id)
    assert not full.isEnabled() and "已约满" in full.text()
