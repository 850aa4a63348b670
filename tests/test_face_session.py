"""人证核验 in the session: where the catalog asks for it, three tries, the way out, proxies passed over,
and only the verdict (result, score, frame hash) carried into the application for the centre."""
from __future__ import annotations

import dataclasses

import pytest

from kiosk import catalog, face
from kiosk.face import Match
from kiosk.outcome import Outcome
from kiosk.session import Event, Intent, Session, State, application_steps
from kiosk.voice import announcement
from kiosk.workdays import Calendar
from tests.fixtures.core import NOW, make_identity

PENSION = "1141150041700395201000117068000"        # 社会保险待遇领取资格认证: face_check in the catalog
CRIMINAL_RECORD = "1141150041700231981000117011000"   # may be done for someone else
PNG = b"\x89PNG\r\n\x1a\n" + b"drawn"
HASH = "c0ffee" * 10 + "abcd"


@pytest.fixture
def bundled() -> catalog.Catalog:
    return catalog.load()


def session_for(cat: catalog.Catalog) -> Session:
    return Session(cat, Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN", clock=lambda: NOW)


def to_face(session: Session, code: str = PENSION, intent: Intent = Intent.APPLY) -> None:
    session.fire(Event.START)
    session.choose_service(code)
    session.apply_as(intent)


def test_the_pension_check_asks_for_the_face_before_the_form(bundled: catalog.Catalog) -> None:
    pension = bundled.get(PENSION)
    assert pension.face_check and pension.kind is catalog.ServiceKind.APPLICATION and pension.hours.always
    assert application_steps(pension)[:3] == [State.IDENTIFY, State.FACE, State.FORM]
    assert State.FACE not in application_steps(bundled.get(CRIMINAL_RECORD))
    session = session_for(bundled)
    to_face(session)
    assert session.identified(make_identity("41150219570614032")) is State.FACE
    assert session.form["id_number"].startswith("41150219570614032")     # prefilled already, shown after


def test_a_pass_goes_on_and_its_verdict_alone_reaches_the_application(bundled: catalog.Catalog) -> None:
    session = session_for(bundled)
    to_face(session)
    session.identified(make_identity())
    assert session.face_checked(Outcome.success(Match(0.71, HASH))) is State.FACE
    assert session.problem == face.MISMATCH and session.face.left == 2
    assert session.face_checked(Outcome.success(Match(0.42, HASH))) is State.FORM
    session.submit_form({**session.form, "mobile": "13812345678", "benefit": "企业职工基本养老保险"})
    assert session.state is State.COMMITMENT
    session.commit()
    session.signed(PNG)
    made = session.confirm()
    assert {k: v for k, v in made.form.items() if k.startswith("face_")} == {
        "face_result": "passed", "face_score": "0.580", "face_threshold": "0.450",
        "face_frame_sha256": HASH, "face_tries": "2"}
    assert not any(isinstance(v, bytes) for v in made.form.values())


def test_three_failed_tries_leave_the_citizen_on_the_way_out(bundled: catalog.Catalog) -> None:
    session = session_for(bundled)
    to_face(session)
    session.identified(make_identity())
    for measured in (Outcome.failure(face.NO_FACE), Outcome.success(Match(0.8, HASH)),
                     Outcome.failure(face.NO_FACE)):
        assert session.face_checked(measured) is State.FACE
    assert session.face.exhausted and session.problem is None       # the way out, no "try again"
    assert announcement(session, session.translator) == session.translator.t("voice.face_way_out")
    assert session.face_checked(Outcome.success(Match(0.1, HASH))) is State.FACE     # no fourth try
    session.fire(Event.BACK)
    assert session.state is State.DETAIL and session.identity is None       # the next person sees nothing


def test_no_camera_or_an_undecodable_chip_photo_ends_the_tries_at_once(bundled: catalog.Catalog) -> None:
    for problem in (face.NO_CAMERA, face.NO_DECODER, face.NO_REFERENCE):
        session = session_for(bundled)
        to_face(session)
        session.identified(make_identity())
        session.face_checked(Outcome.failure(problem))
        assert session.face.exhausted and session.face.used == face.TRIES and session.problem == problem


def test_a_proxy_is_never_face_checked_as_the_principal(bundled: catalog.Catalog) -> None:
    checked = dataclasses.replace(bundled.get(CRIMINAL_RECORD), face_check=True)
    cat = dataclasses.replace(bundled, services=tuple(checked if s.code == CRIMINAL_RECORD else s
                                                      for s in bundled.services))
    session = session_for(cat)
    to_face(session, CRIMINAL_RECORD, Intent.PROXY_AGENT)
    assert session.identified(make_identity("41150219850312123", "李建国")) is State.IDENTIFY   # the agent
    assert session.identified(make_identity("41150219570614032", "刘桂芳")) is State.FORM      # the principal
    assert session.face.used == 0 and session.agent is not None
    alone = session_for(cat)
    to_face(alone, CRIMINAL_RECORD)
    assert alone.identified(make_identity()) is State.FACE          # the same service for oneself: checked


def test_a_new_visit_starts_with_fresh_tries(bundled: catalog.Catalog) -> None:
    session = session_for(bundled)
    to_face(session)
    session.identified(make_identity())
    session.face_checked(Outcome.failure(face.NO_FACE))
    session.fire(Event.HOME)
    to_face(session)
    session.identified(make_identity())
    assert session.face.used == 0 and session.face.verdict is None


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_voice_guides_the_face_and_cues_the_camera(bundled: catalog.Catalog, language: str) -> None:
    """Accessible mode: where to look before the camera turns on, a spoken cue while it is on, and the
    reason of a failed try read out with the tries left."""
    session = session_for(bundled)
    session.set_language(language)
    tr = session.translator
    to_face(session)
    session.identified(make_identity())
    before = announcement(session, tr)
    assert before.startswith(tr.t("voice.face", tries=3)) and "3" in before
    assert session.face_started() and not session.face_started()        # one try at a time
    assert announcement(session, tr) == tr.t("voice.face_checking")
    session.face_checked(Outcome.failure(face.NO_FACE))
    after = announcement(session, tr)
    assert tr.t("voice.face", tries=2) in after and tr.t(face.NO_FACE) in after
    assert session.face_started(turning=True)           # liveness on a plain camera: the turn is asked for
    assert announcement(session, tr) == tr.t("voice.face_turning")
    session.face_checked(Outcome.failure(face.NOT_LIVE))
    assert session.face.left == 1 and tr.t(face.NOT_LIVE) in announcement(session, tr)
