"""Every flow added for issue #7 done with the tactile keypad's keys alone on the real kiosk (real window,
real case store, simulated card reader, printer and document camera), and what reaches the centre.

Laying the card on the reader is the citizen's hand, not a key; everything else is a key press, signing
too (the declaration confirmed with select, as a citizen who cannot write on the pad does).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from kiosk import browsing, catalog, receipt
from kiosk.application import CHINA_TZ, SIGNATURE, SIGNED_BY_KEYS
from kiosk.catalog import Domain, FieldType, Input, ServiceKind
from kiosk.closure import Closure
from kiosk.print_status import Printing, PrintStatus
from kiosk.session import State
from sync.casestore import benefits, records
from tests.fixtures.common import wait_until
from tests.fixtures.keypad import Keypad
from tests.fixtures.kiosk import KioskUnderTest, resident_card
from tests.test_feedback_ui import at_centre
from tests.test_online_kiosk import submitted_case
from ui.widgets import WORD_JOINER

pytestmark = [pytest.mark.gui, pytest.mark.slow]     # whole visits by keys alone, key by key

SHORT_FORM = "11411500MB1C29607K1000117205000"       # 退休人员医保待遇核定: ID number and mobile only
UNEMPLOYMENT = "1141150041700395201000117072000"      # materials with 容缺, 告知承诺


def shown(app: KioskUnderTest) -> str:
    return "\n".join(w.text() for w in app.window.findChildren(QLabel) if w.isVisible())


def start(keys: Keypad) -> None:
    keys.press("select")                              # the first key turns voice on
    keys.press("select")                              # touch to start
    keys.app.wait_state(State.SERVICES)


def open_guide(keys: Keypad, code: str) -> None:
    service = keys.app.session.catalog.get(code)
    start(keys)
    keys.choose("Domain", domain=service.domain.value)
    keys.choose("Service", code=code)
    keys.app.wait_state(State.DETAIL)


def identify(keys: Keypad, then: State) -> None:
    keys.app.wait_state(State.IDENTIFY)
    keys.app.reader.insert(resident_card())           # the citizen lays the card on the reader
    keys.app.wait_state(then)


def fill_form(keys: Keypad) -> None:
    for field in keys.app.session.service.fields:
        if field.type is FieldType.CHOICE:
            keys.choose(f"choice_{field.key}_0")
        elif field.type is FieldType.TEXT and field.input is Input.DIGITS:    # a number kept as text: a bank card
            keys.type_digits(field.key, "6222020200112233445")
        elif field.input is Input.LATIN:             # a certificate's number: on the code keypad
            keys.type_digits(field.key, "M350012345")
        elif field.type is FieldType.TEXT:
            keys.move_to(lambda w, k=field.key: w.objectName() == f"field_{k}")
            keys.type_pinyin("nihao")
        elif field.type is FieldType.ADDRESS:
            keys.move_to(lambda w, k=field.key: w.objectName() == f"field_{k}")
            keys.type_text("Room 201")
        elif field.type is FieldType.MOBILE:
            keys.type_digits(field.key, "13912345678")
        elif field.type is FieldType.DATE:
            keys.type_digits(field.key, "20261101")
        elif field.type is FieldType.NUMBER:
            keys.type_digits(field.key, "5")
    keys.choose("Primary")                            # next
    assert not keys.app.session.form_problems, keys.app.session.form_problems


def sign_and_submit(keys: Keypad) -> None:
    app = keys.app
    app.wait_state(State.SIGN)
    keys.choose("SignByKeys")                         # the declaration read out, confirmed with select
    app.wait_state(State.REVIEW)
    keys.choose("Primary")                            # confirm
    app.wait_state(State.RECEIPT)
    app.qtbot.waitUntil(lambda: not app.kiosk.controller.printing, timeout=10_000)


def rate(keys: Keypad, score: str, reason: str) -> None:
    keys.app.wait_state(State.RATING)
    keys.choose("Score", score=score)
    keys.app.wait_state(State.RATING_REASONS)
    keys.choose("Reason", code=reason)
    keys.choose("Primary")                            # send
    keys.app.wait_state(State.THANKS)


def test_a_rating_after_the_receipt_reaches_the_centre(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    open_guide(keys, SHORT_FORM)
    keys.choose("Primary")                            # apply
    identify(keys, State.FORM)
    fill_form(keys)
    sign_and_submit(keys)
    case = app.session.case_number
    keys.choose("Primary")                            # done: on to 好差评
    rate(keys, "5", "convenient")
    keys.choose("Primary")                            # back to the start
    app.wait_state(State.ATTRACT)
    [row] = wait_until(lambda: at_centre(app, "kiosk_ratings"), timeout=15)
    assert (row["score"], row["case_number"], row["service_code"]) == (5, case, SHORT_FORM)


def test_a_complaint_typed_and_sent_with_keys(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    keys.press("next")                                # voice on
    keys.choose("Complain")
    app.wait_state(State.COMPLAINT)
    keys.choose("Category", category="cant_get_done")
    keys.move_to(lambda w: w.objectName() == "field_text")
    keys.type_pinyin("nihao")
    keys.type_digits("mobile", "13812345678")
    keys.choose("Primary")                            # send
    app.wait_state(State.COMPLAINT_SENT)
    keys.choose("Primary")
    app.wait_state(State.ATTRACT)
    [row] = wait_until(lambda: at_centre(app, "kiosk_complaints"), timeout=15)
    assert (row["category"], row["text"], row["contact_mobile"]) == ("cant_get_done", "你好", "13812345678")


def test_the_keypad_walks_into_the_complaint_words_and_out(kiosk_app: KioskUnderTest) -> None:
    """Review h, M2: the words field of several lines is a stop on the keypad's walk as a one-line field is: select
    walks into the letter keyboard, its enter key (reached and selected there) starts a new line and is not taken
    for the keypad's select, back returns to the field with what was typed, next goes on out of it (never typed
    into it, as Tab is in a plain multi-line field) and previous comes back."""
    app, keys = kiosk_app, Keypad(kiosk_app)
    keys.press("next")                                # voice on
    keys.choose("Complain")
    app.wait_state(State.COMPLAINT)
    field = keys.move_to(lambda w: w.objectName() == "field_text")
    assert isinstance(field, QPlainTextEdit)
    keys.type_pinyin("nihao")
    keys._enter_keyboard()
    assert keys._key(lambda stop: stop.kind == 3)     # the keyboard's enter key
    keys.press("back")                                # out of the keys, back at the field
    keys.type_pinyin("nihao")
    assert field.text() == "你好\n你好" == app.session.feedback.text and keys.focused is field
    keys.press("next")
    onward = keys.focused
    assert onward is not field and onward in app.window.navigator.controls() and field.text() == "你好\n你好"
    keys.press("previous")
    assert keys.focused is field and app.session.state is State.COMPLAINT
    field.insert("。I came twice.")                    # said as written, not spelled out letter by letter
    said = app.window.navigator.describe(field)
    assert "你好\n你好。I came twice." in said and "c a m e" not in said


def test_progress_typed_on_the_code_keypad_and_the_digit_keypad(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    number, _, id_number = submitted_case(app)
    start(keys)
    keys.choose("ProgressQuery")
    app.wait_state(State.PROGRESS)
    keys.type_digits("case_number", number.replace("-", ""))     # capitals and digits; no dash key, none needed
    assert app.session.online.case_number == number
    keys.type_digits("id_tail", id_number[-6:])
    keys.choose("Primary")                            # search
    app.wait_state(State.PROGRESS_RESULT)
    assert app.session.online.progress.kiosk_case_number == number
    assert receipt.readable(number) in shown(app).replace(WORD_JOINER, "")     # grouped, breaking only at spaces
    keys.press("back")                                # 再查一件
    app.wait_state(State.PROGRESS)


def test_benefits_with_keys(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    start(keys)
    keys.choose("Benefits")
    identify(keys, State.BENEFITS)
    app.qtbot.waitUntil(lambda: app.session.online.benefits is not None, timeout=10_000)
    expected = benefits.benefits_for(resident_card().id_number, dt.datetime.now(CHINA_TZ).date())
    assert all(b.name.zh in shown(app) for b in expected) and (expected or "目前没有查到" in shown(app))
    keys.press("back")
    app.wait_state(State.SERVICES)
    assert app.session.identity is None


def test_a_query_print_then_its_rating_with_keys(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    open_guide(keys, records.TRAFFIC)
    app.qtbot.waitUntil(lambda: app.session.online.centre_online is True, timeout=10_000)
    keys.choose("Primary")
    identify(keys, State.FORM)
    fill_form(keys)                                   # 下一步: the centre is asked
    app.wait_state(State.QUERY_RESULT)
    app.qtbot.waitUntil(lambda: app.session.online.printed, timeout=10_000)
    [paper] = app.printer.wait_for(1, timeout=10)
    assert app.session.online.record.verification_code in "\n".join(paper.lines)
    keys.choose("Primary")                            # 完成
    rate(keys, "4", "convenient")
    [row] = wait_until(lambda: at_centre(app, "kiosk_ratings"), timeout=15)
    assert (row["score"], row["service_code"]) == (4, records.TRAFFIC)


def test_an_appointment_booked_with_keys(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    service = next(s for s in app.session.catalog.services if s.kind is ServiceKind.APPLICATION)
    open_guide(keys, service.code)
    app.qtbot.waitUntil(lambda: app.session.online.centre_online is True, timeout=10_000)
    keys.choose("BookAtHall")
    identify(keys, State.APPOINTMENT)
    app.qtbot.waitUntil(lambda: app.session.online.slots is not None, timeout=10_000)
    keys.choose("Slot")                               # the first free one
    keys.type_digits("mobile", "13912345678")
    keys.choose("Primary")
    app.wait_state(State.APPOINTMENT_DONE)
    booking = app.session.online.booking
    [row] = [r for r in at_centre(app, "bookings") if r["booking_number"] == booking.booking_number]
    assert row["mobile"] == "13912345678"
    keys.choose("Primary")                            # 完成: 好差评 of the booking
    rate(keys, "5", "convenient")
    [rated] = wait_until(lambda: at_centre(app, "kiosk_ratings"), timeout=15)
    assert (rated["score"], rated["service_code"]) == (5, service.code)


def test_materials_and_commitment_with_keys(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    service = app.session.catalog.get(UNEMPLOYMENT)
    (owed, owed_material), (card, card_material) = service.to_capture
    open_guide(keys, UNEMPLOYMENT)
    keys.choose("Primary")
    identify(keys, State.FORM)
    fill_form(keys)
    app.wait_state(State.MATERIALS)
    keys.choose("PhotoConsent")                        # the separate consent to photographs first
    keys.choose("capture", material=str(card))        # the simulated document camera, off the UI thread
    app.qtbot.waitUntil(lambda: card in app.session.captures, timeout=10_000)
    keys.choose("later", material=str(owed))          # 容缺: supplied later
    keys.choose("Primary")
    app.wait_state(State.COMMITMENT)
    keys.choose("Primary", role="commit")             # 我承诺
    sign_and_submit(keys)
    submitted = app.session.application
    commitment = submitted.commitment
    [record] = wait_until(lambda: app.centre_records(submitted.idempotency_key), timeout=15)
    assert record["missing_materials"][0]["name"] == owed_material.name.zh
    assert record["commitment"]["text_sha256"] == commitment.text_sha256
    signature = next(a for a in submitted.attachments if a.name == SIGNATURE)
    assert json.loads(signature.data)["method"] == SIGNED_BY_KEYS and card_material.name.zh in {
        a.name for a in submitted.attachments}
    assert record["commitment"]["signature_sha256"] == hashlib.sha256(signature.data).hexdigest()


def test_a_bundle_with_keys(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    bundle = app.session.catalog.bundle("bundle-retirement")
    start(keys)
    keys.choose("Bundle", code=bundle.code)
    app.wait_state(State.DETAIL)
    keys.choose("Primary")
    identify(keys, State.FORM)
    fill_form(keys)
    sign_and_submit(keys)
    applications = app.session.applications
    records = [wait_until(lambda a=a: app.centre_records(a.idempotency_key), timeout=15)[0] for a in applications]
    assert [r["service_code"] for r in records] == list(bundle.members)


def test_the_simpler_service_list_with_keys(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    keys.press("next")                                # voice on
    keys.choose("Assist")
    assert app.session.profile.assisted
    keys.choose("Primary")
    app.wait_state(State.SERVICES)
    domain = max(Domain, key=lambda d: len(app.session.catalog.by_domain(d)))
    while not app.buttons("Category", category=domain.value):
        keys.choose("PageNext")
    keys.choose("Category", category=domain.value)
    services = app.session.catalog.by_domain(domain)
    for _ in range(browsing.page_count(len(services)) - 1):
        keys.choose("PageNext")                       # to the last page, four at a time
    last = app.buttons("Service")[-1].property("code")
    keys.choose("Service", code=last)
    app.wait_state(State.DETAIL)
    assert app.session.service.code == last


def test_the_guide_printed_with_keys(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    service = next(s for s in app.session.catalog.services if s.excluded_time.zh and s.hours.always)
    open_guide(keys, service.code)
    keys.choose("PrintGuide")                         # 一次性告知, on paper, before anyone identifies
    [paper] = app.printer.wait_for(1, timeout=10)
    assert all(m.name.zh in "".join(paper.lines) for m in service.materials)
    app.qtbot.waitUntil(lambda: app.session.guide_print == PrintStatus(Printing.PRINTED), timeout=10_000)
    assert app.session.state is State.DETAIL


def test_the_out_of_service_notice_with_keys(kiosk_app: KioskUnderTest) -> None:
    app, keys = kiosk_app, Keypad(kiosk_app)
    app.kiosk.technician.ops.closure_changed(
        Closure(catalog.load().hall("SHQ"), dt.datetime.now(CHINA_TZ)))
    keys.press("repeat")                              # voice on
    for _ in range(len(app.window.navigator.controls())):
        keys.press("select")                          # no key starts a visit while it is out of service
        keys.press("next")
    assert app.session.state is State.ATTRACT and app.session.closure is not None
    assert app.session.translator.local(catalog.load().hall("SHQ").name) in shown(app)
    keys.press("help")                                # staff can still be called
    app.qtbot.waitUntil(lambda: app.window.help.isVisible(), timeout=5000)
