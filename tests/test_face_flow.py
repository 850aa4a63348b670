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
from tests.fixtures.common import wait_until
from tests.fixtures.kiosk import KioskUnderTest, identify, open_guide, sign_and_submit

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
    assert "不离开本机" in visible_text(app) and "只记录核验结果、相似度分数" in visible_text(app)
    assert app.session.face.used == 0                              # nothing captured before the tap
    try_once(app)                                                  # the other person
    assert app.session.state is State.FACE and app.session.problem == face.MISMATCH
    assert "与身份证照片不一致" in visible_text(app) and app.session.face.left == 2
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
    assert "未能核验为本人" in shown and "12345" in shown
    assert app.buttons("HelpMe") and app.buttons("back")
    app.tap("back")
    app.wait_state(State.DETAIL)
    assert app.session.identity is None
