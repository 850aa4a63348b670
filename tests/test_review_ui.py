"""Check your answers, 修改 and back, the step indicator and the privacy notice, through the real window."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from kiosk import idnumber
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest, resident_card, sign_on_the_pad, walkable_service
from tests.test_end_to_end import walk_to_review

pytestmark = pytest.mark.gui


def shown(app: KioskUnderTest) -> str:
    return "\n".join(w.text() for w in app.window.findChildren(QLabel) if w.isVisible())


def test_the_privacy_notice_is_on_the_glass_before_a_card_is_read(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    service = walkable_service(app.session.catalog)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.wait_state(State.DETAIL)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    text = shown(app)
    assert "您的个人信息这样使用" in text and service.department.zh in text and "第 1 步，共" in text


def test_change_one_answer_and_come_back_to_review(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    walk_to_review(app)
    assert "第 4 步，共 4 步" in shown(app)                    # identify, form, sign, review
    assert shown(app).count(idnumber.mask(resident_card().id_number)) == 1      # the card's number once
    app.tap("Change", answer="mobile")
    app.wait_state(State.FORM)
    [back] = app.buttons("back")
    assert back.text() == "不修改，返回核对"
    app.field("mobile").setText("13800000000")
    app.tap("back")                                           # not changed after all: review as it was
    app.wait_state(State.REVIEW)
    assert "13912345678" in shown(app) and app.session.signature is not None

    app.tap("Change", answer="mobile")
    app.wait_state(State.FORM)
    app.field("mobile").setText("13800000000")
    app.tap("Primary")                                        # 下一步: signed again, it covers what stands now
    app.wait_state(State.SIGN)
    sign_on_the_pad(app)
    app.tap("Primary")
    app.wait_state(State.REVIEW)
    assert "13800000000" in shown(app) and "13912345678" not in shown(app)
    app.tap("Primary")                                        # submit
    app.wait_state(State.RECEIPT)
    assert app.session.application.form["mobile"] == "13800000000"
