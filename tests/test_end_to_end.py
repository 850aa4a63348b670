"""The citizen path through the real widgets, to the real case store, exactly once — also across an outage."""
from __future__ import annotations

import pytest

from kiosk import idnumber
from kiosk.session import State
from tests.fixtures.common import wait_until
from tests.fixtures.kiosk import KioskUnderTest, resident_card, sign_on_the_pad, walkable_service

pytestmark = pytest.mark.gui


def walk_to_review(app: KioskUnderTest, mobile: str = "13912345678") -> None:
    service = walkable_service(app.session.catalog)
    app.tap("Primary")                                        # attract: touch to start
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.wait_state(State.DETAIL)
    app.tap("Primary")                                        # start: identify
    app.wait_state(State.IDENTIFY)
    app.tap("demo_insert")                                    # a card on the simulated reader, over the pty
    app.wait_state(State.FORM)
    id_key = next(f.key for f in service.fields if f.type.value == "id_number")
    assert app.shows_read_number(resident_card().id_number, id_key)   # filled from the card, masked
    for field in service.fields:                              # fill the rest of the catalog's form
        if field.type.value == "choice":
            app.tap(f"choice_{field.key}_0")
        elif field.type.value == "text":
            app.field(field.key).insert("示例")                # Chinese arrives committed from the input method
    app.type_digits("mobile", "1391234")                      # too short: refused with a reason
    app.onward()
    assert app.session.state is State.FORM and app.session.form_problems == {"mobile": "error.mobile"}
    app.type_digits("mobile", mobile[7:])
    app.onward()                                              # the problems make it two pages: 继续, 下一步
    app.wait_state(State.SIGN)                                # every application is signed on the glass
    sign_on_the_pad(app)
    app.tap("Primary")
    app.wait_state(State.REVIEW)


def test_whole_path_arrives_once_with_a_printed_receipt(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    walk_to_review(app)
    app.tap("Primary")                                        # confirm
    app.wait_state(State.RECEIPT)
    case_number = app.session.case_number
    key = app.session.application.idempotency_key
    [printed] = app.printer.wait_for(1, timeout=10)
    assert any(case_number in line for line in printed.lines)
    assert printed.qr_payloads == (f"K24:{case_number}:{app.session.application.tracking_token}",)
    assert resident_card().id_number not in "\n".join(printed.lines)     # the receipt masks the citizen
    app.qtbot.waitUntil(lambda: not app.kiosk.controller.printing, timeout=10_000)
    assert app.session.print_problem is None

    records = wait_until(lambda: app.centre_records(key), timeout=15)
    assert len(records) == 1 and records[0]["kiosk_case_number"] == case_number
    wait_until(lambda: app.kiosk.outbox.status().delivered == 1)

    app.tap("Primary")                                        # done: on to the rating (好差评)
    app.wait_state(State.RATING)
    app.tap("Skip")                                           # skipping it ends the visit
    app.wait_state(State.ATTRACT)
    assert app.session.identity is None and app.session.application is None and app.session.form == {}
    texts = " ".join(w.text() for w in app.window.findChildren(type(app.buttons()[0])) if w.isVisible())
    assert case_number not in texts


def test_outage_in_the_middle_delivers_exactly_once_when_back(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    walk_to_review(app)
    app.casestore.stop()                                      # the centre goes away mid-visit
    app.tap("Primary")
    app.wait_state(State.RECEIPT)                             # the citizen is served anyway
    key = app.session.application.idempotency_key
    wait_until(lambda: app.kiosk.outbox.rows()[0].last_error)         # the worker tried and failed
    status = app.kiosk.outbox.status()
    assert status.pending == 1 and status.delivered == 0
    assert app.kiosk.outbox.rows()[0].last_error

    app.casestore.start()
    wait_until(lambda: app.kiosk.outbox.status().delivered == 1, timeout=20)
    [record] = app.centre_records(key)

    # the acknowledgement is lost and the kiosk sends again: still one application at the centre
    with app.kiosk.outbox.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE outbox SET state = 'pending'")
    wait_until(lambda: app.kiosk.outbox.status().delivered == 1, timeout=20)
    assert app.centre_records(key) == [record]
    assert app.kiosk.outbox.rows()[0].central_case_number == record["case_number"]


def test_idle_timeout_wipes_the_session(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    walk_to_review(app)
    idle = app.window.idle
    idle.timeout_s, idle.warning_s = 3, 2
    idle.arm(True)
    app.qtbot.waitUntil(lambda: app.window.overlay.isVisible(), timeout=5000)
    app.wait_state(State.ATTRACT, timeout=5)
    assert app.session.identity is None and app.session.form == {}
    assert not app.window.overlay.isVisible()
    shown = [w.text() for w in app.window.findChildren(type(app.field("mobile") or app.window))]
    assert all("1391234" not in "".join(str(text).split()) for text in shown)     # shown grouped: 139 1234 5678


def test_language_switch_keeps_typed_values_and_back_forgets_the_citizen(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    walk_to_review(app)
    app.tap("back")                                           # review → form
    app.wait_state(State.FORM)
    app.tap("HeaderButton", role="language")
    assert app.window.header_button("language").text() == "中文"
    assert app.field("mobile").text() == "139 1234 5678" and app.session.form["mobile"] == "13912345678"
    app.tap("back")                                           # form → detail: the card data is gone
    app.wait_state(State.DETAIL)
    assert app.session.identity is None
    assert idnumber.mask(resident_card().id_number) != resident_card().id_number


def test_a_card_laid_down_early_is_read_when_the_kiosk_asks_for_it(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    service = walkable_service(app.session.catalog)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.reader.insert(resident_card())                        # on the reader before it is wanted
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    wait_until(lambda: app.reader.requests > 10)              # the poller has seen (and dropped) it
    assert app.session.identity is None
    app.tap("Primary")
    app.wait_state(State.FORM)
    assert app.session.identity.id_number == resident_card().id_number
