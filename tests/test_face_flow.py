"""人证核验 through the real widgets, liveness on as configured by default: 养老金资格认证 with the demo
card's genuine photo, the cardholder's photo on a phone turned before the camera refused first and the
cardholder turning their head (the simulated camera) passed next, the verdict at the real case store; three
failed tries and the way out; the accessible mode's spoken guidance and cue for the head turn."""
from __future__ import annotations

from pathlib import Path

import cv2
import pytest
from PySide6.QtWidgets import QLabel

from devices.doccam import ImageFiles
from devices.face import samples
from devices.face.model import FaceModel
from devices.face.reference import ReferenceDecoder
from devices.face.variants import held_turned, on_screen
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
    """The demo's camera: the cardholder (刘桂芳's demo card) turning their head, then facing it; no
    face_liveness given, so it is on as by default."""
    return {"face_camera": "simulator"}


def to_face_check(app: KioskUnderTest, face_model_68: FaceModel) -> None:
    assert app.kiosk.controller.face.verifier.liveness
    app.kiosk.controller.face.verifier._model = face_model_68       # the session's model: loaded once
    open_guide(app, PENSION)
    app.tap("Primary")
    identify(app, State.FACE)


def visible_text(app: KioskUnderTest) -> str:
    return "\n".join(w.text() for w in app.window.findChildren(QLabel) if w.isVisible())


def try_once(app: KioskUnderTest) -> None:
    used = app.session.face.used
    app.tap("FaceStart")
    app.qtbot.waitUntil(lambda: app.session.face.used > used, timeout=20_000)


def held_up(tmp_path: Path) -> ImageFiles:
    """The cardholder's photo on a phone, turned before the camera as someone faking a head turn would."""
    shown = on_screen(cv2.imread(str(samples.live_frame("obama"))))
    paths = []
    for degrees in (-35, -20, 0, 20, 35):
        paths.append(tmp_path / f"held{degrees}.jpg")
        cv2.imwrite(str(paths[-1]), held_turned(shown, degrees))
    return ImageFiles(paths)


def test_pension_confirmation_by_face_reaches_the_centre(kiosk_app: KioskUnderTest, face_model_68: FaceModel,
                                                         tmp_path: Path) -> None:
    app = kiosk_app
    to_face_check(app, face_model_68)
    assert "不离开本机" in visible_text(app) and "只记下核验结果、相似度" in visible_text(app)
    assert app.session.face.used == 0                              # nothing captured before the tap
    assert [b.text() for b in app.buttons("FaceStart")] == ["开始核验"] and app.buttons("HelpMe") == []
    camera = app.kiosk.controller.face.verifier
    app.kiosk.controller.face.verifier = CameraFaceVerifier(held_up(tmp_path), ReferenceDecoder(), face_model_68,
                                                            liveness=True)
    try_once(app)                                                  # the cardholder's photo, held up
    assert app.session.state is State.FACE and app.session.problem == face.NOT_LIVE
    shown = visible_text(app)
    assert "不要使用照片或手机屏幕" in shown and app.session.face.left == 2
    assert shown.count("眼镜") == 1                                 # one instruction about hats and glasses
    assert [b.text() for b in app.buttons("FaceStart")] == ["再试一次"]
    [ask] = app.buttons("HelpMe")                                  # staff already now, beside the retry
    assert ask.text() == "请工作人员帮我" and ask.objectName() != "Primary"
    app.kiosk.controller.face.verifier = camera
    try_once(app)                                                  # the cardholder, turning their head
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


def test_three_failed_tries_offer_staff_the_hall_and_12345(kiosk_app: KioskUnderTest, face_model_68: FaceModel) -> None:
    """Another person's face: the matcher alone (liveness off), since only one photo of another person is
    packaged and no head turn of theirs can be shown."""
    app = kiosk_app
    to_face_check(app, face_model_68)
    other = ImageFiles([samples.live_frame("biden")])                   # a camera that never sees them
    app.kiosk.controller.face.verifier = CameraFaceVerifier(other, ReferenceDecoder(), face_model_68, liveness=False)
    try_once(app)
    assert app.session.problem == face.MISMATCH
    shown = visible_text(app)
    assert "未能确认是本人，请正对摄像头再试一次" in shown and "不一致" not in shown
    for _ in range(face.TRIES - 1):
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
        kiosk_app: KioskUnderTest, face_model_68: FaceModel) -> None:
    """Accessible mode on the smallest glass: the words that the picture stays here come on the first page,
    with the button that turns the camera on; no page holds the face cue without words. While the camera is
    on, the head turn is asked for on the screen and aloud."""
    app = kiosk_app
    to_face_check(app, face_model_68)
    app.window.resize(1366, 768)
    app.kiosk.controller.set_profile(app.session.profile.with_assisted(True))
    tr = app.session.translator
    still = ImageFiles([samples.live_frame("biden")])                   # one photo, never turning
    app.kiosk.controller.face.verifier = CameraFaceVerifier(still, ReferenceDecoder(), face_model_68, liveness=True)
    for failed in range(2):
        if failed:
            app.tap("FaceStart")
            assert app.session.face.checking and app.session.face.turning
            assert tr.t("face.turn_head") in visible_text(app)
            assert app.session.profile.voice and app.window.announced == tr.t("voice.face_turning")   # said aloud
            app.qtbot.waitUntil(lambda: not app.session.face.checking, timeout=20_000)
            assert app.session.problem == face.NOT_LIVE and tr.t(face.NOT_LIVE) in announcement(app.session, tr)
        [pages] = [p for p in app.window.findChildren(Pages) if p.isVisible()]
        assert pages.page == 0 and "不离开本机" in visible_text(app) and app.buttons("FaceStart")
        for number in range(len(pages.pages)):
            pages.show_page(number)
            words = [w for w in pages.findChildren(QLabel) if w.isVisible() and w.text() and w is not pages.where]
            assert words, f"page {number + 1} holds no words"
