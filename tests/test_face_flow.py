"""人证核验 through the real widgets: 养老金资格认证 with the demo card's genuine photo, the simulated
camera showing another person first and the cardholder next, the verdict at the real case store; three
failed tries and the way out; the accessible mode's spoken guidance and frame cue."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from devices.doccam import ImageFiles
from devices.face import samples
from devices.face.reference import ReferenceDecoder
from devices.face.verifier import CameraFaceVerifier
from kiosk import face
from kiosk.session import State
from kiosk.voice import announcement
from tests.fixtures.common import wait_until
from tests.fixtures.kiosk import KioskUnderTest, identify, open_guide, sign_and_submit
from ui.paging import Pages

pytestmark = pytest.mark.gui

PENSION = "1141150041700395201000117068000"


@pytest.fixture
def kiosk_overrides() -> dict[str, object]:
    """The camera sees another person, then the cardholder (刘桂芳's demo card), round and round."""
    return {"face_camera": f"files:{samples.live_frame('biden')},{samples.live_frame('obama')}"}


def to_face_check(app: KioskUnderTest, face_model) -> None:
    app.kiosk.controller.face.verifier._model = face_model       # the session's model: loaded once
    open_guide(app, PENSION)
    app.tap("Primary")
    identify(app, State.FACE)


def visible_text(app: KioskUnderTest) -> str:
    return "\n".join(w.text() for w in app.window.findChildren(QLabel) if w.isVisible())


def try_once(app: KioskUnderTest) -> None:
    used = app.session.face.used
    app.tap("FaceStart")
    app.qtbot.waitUntil(lambda: app.session.face.used > used, timeout=20_000)


def test_pension_confirmation_by_face_reaches_the_centre(kiosk_app: KioskUnderTest, face_model) -> None:
    app = kiosk_app
    to_face_check(app, face_model)
    assert "不离开本机" in visible_text(app) and "只记下核验结果、相似度" in visible_text(app)
    assert app.session.face.used == 0                              # nothing captured before the tap
    assert [b.text() for b in app.buttons("FaceStart")] == ["开始核验"] and app.buttons("HelpMe") == []
    try_once(app)                                                  # the other person
    assert app.session.state is State.FACE and app.session.problem == face.MISMATCH
    shown = visible_text(app)
    assert "未能确认是本人，请正对摄像头再试一次" in shown and "不一致" not in shown and app.session.face.left == 2
    assert shown.count("眼镜") == 1                                 # one instruction about hats and glasses
    assert [b.text() for b in app.buttons("FaceStart")] == ["再试一次"]
    [ask] = app.buttons("HelpMe")                                  # staff already now, beside the retry
    assert ask.text() == "请工作人员帮我" and ask.objectName() != "Primary"
    try_once(app)                                                  # the cardholder
    app.wait_state(State.FORM)
    app.tap("choice_benefit_0")
    app.type_digits("mobile", "13912345678")
    app.tap("Primary")
    app.wait_state(State.COMMITMENT)
    app.tap("Primary", role="commit")
    sign_and_submit(app)
    key = app.session.application.idempotency_key
    [record] = wait_until(lambda: app.centre_records(key), timeout=15)
    form = record["form"]
    assert form["face_result"] == "passed" and form["face_tries"] == "2"
    assert float(form["face_score"]) >= float(form["face_threshold"]) and len(form["face_frame_sha256"]) == 64
    assert not any(a["name"].startswith("face") for a in record.get("attachments", []))   # no image leaves


def test_three_failed_tries_offer_staff_the_hall_and_12345(kiosk_app: KioskUnderTest, face_model) -> None:
    app = kiosk_app
    to_face_check(app, face_model)
    other = ImageFiles([samples.live_frame("biden")])                   # a camera that never sees them
    app.kiosk.controller.face.verifier = CameraFaceVerifier(other, ReferenceDecoder(), face_model)
    for _ in range(face.TRIES):
        try_once(app)
    assert app.session.face.exhausted and app.buttons("FaceStart") == []
    shown = visible_text(app)
    assert "未能确认是您本人" in shown and "12345" in shown
    assert "再试" not in shown and app.session.problem is None       # no try offered when none is left
    assert "再试" not in announcement(app.session, app.session.translator)
    assert app.buttons("HelpMe") and app.buttons("back")
    app.tap("back")
    app.wait_state(State.DETAIL)
    assert app.session.identity is None


def test_assisted_face_check_asks_consent_on_the_first_page_and_pages_no_bare_icon(
        kiosk_app: KioskUnderTest, face_model) -> None:
    """Accessible mode on the smallest glass: the words that the picture stays here come on the first page,
    with the button that turns the camera on; no page holds the face cue without words."""
    app = kiosk_app
    to_face_check(app, face_model)
    app.window.resize(1366, 768)
    app.kiosk.controller.set_profile(app.session.profile.with_assisted(True))
    other = ImageFiles([samples.live_frame("biden")])
    app.kiosk.controller.face.verifier = CameraFaceVerifier(other, ReferenceDecoder(), face_model)
    for failed in range(2):
        if failed:
            try_once(app)
        [pages] = [p for p in app.window.findChildren(Pages) if p.isVisible()]
        assert pages.page == 0 and "不离开本机" in visible_text(app) and app.buttons("FaceStart")
        for number in range(len(pages.pages)):
            pages.show_page(number)
            words = [w for w in pages.findChildren(QLabel) if w.isVisible() and w.text() and w is not pages.where]
            assert words, f"page {number + 1} holds no words"
