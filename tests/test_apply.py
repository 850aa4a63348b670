"""Applications as the citizen meets them, without a screen: the form's checks, the materials and
容缺受理 (art. 18), 告知承诺 with its consent, the signature, and what reaches the wire and the receipt."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

import pytest

from kiosk import application, catalog, materials
from kiosk.application import PNG_MAGIC, SIGNATURE, SIGNED_BY_KEYS
from kiosk.catalog import CatalogError, FieldType, FormField, Localized
from kiosk.session import Event, InvalidTransition, Session, State
from kiosk.workdays import Calendar
from sync.wire import application_body
from tests.fixtures.core import NOW, SMALL_CATALOG, make_identity

UNEMPLOYMENT = "1141150041700395201000117072000"      # 容缺 and 告知承诺
RENT_WITHDRAWAL = "12411500417008163P1000117126000"   # 告知承诺 item marked high-risk
CHRONIC = "11411500MB1C29607K1000117089000"           # materials that may not be missing
SIGNATURE_PNG = PNG_MAGIC + b"stand-in for the pad's image"
PAGE = b"\xff\xd8\xff\xe0 photographed page"


def field(kind: FieldType, **extra) -> FormField:
    return FormField("x", kind, Localized("测试"), **extra)


@pytest.mark.parametrize("kind, value, problem", [
    (FieldType.DATE, "20261101", None),
    (FieldType.DATE, "2026-11-01", None),
    (FieldType.DATE, "20261301", "apply.error.date"),
    (FieldType.DATE, "20260230", "apply.error.date"),
    (FieldType.DATE, "2026110", "apply.error.date"),
    (FieldType.DATE, "18991231", "apply.error.date"),
    (FieldType.NUMBER, "12", None),
    (FieldType.NUMBER, "1X", "apply.error.number"),
    (FieldType.ADDRESS, "民权路", "apply.error.address"),
    (FieldType.ADDRESS, "浉河区民权路1号", None),
    (FieldType.ADDRESS, "", "error.required"),
])
def test_each_field_type_says_what_is_wrong(kind: FieldType, value: str, problem: str | None) -> None:
    assert application.field_problem(kind, value, required=True) == problem


def test_the_catalog_limits_numbers_and_lengths() -> None:
    service = catalog.parse(SMALL_CATALOG).get("T-001")
    number = FormField("kw", FieldType.NUMBER, Localized("容量"), minimum=1, maximum=20)
    text = FormField("note", FieldType.TEXT, Localized("说明"), max_length=4)
    service = service.__class__(**{**service.__dict__, "fields": (number, text)})
    assert application.validate(service, {"kw": "21", "note": "四个字啊"}) == {"kw": "apply.error.range"}
    assert application.validate(service, {"kw": "0", "note": "五个字啊啊"}) == {
        "kw": "apply.error.range", "note": "apply.error.too_long"}
    assert application.validate(service, {"kw": "20", "note": ""}) == {"note": "error.required"}
    from kiosk.i18n import Translator
    message = Translator("zh_CN").t("apply.error.range", **application.problem_values(number))
    assert "1" in message and "20" in message


def test_a_date_is_stored_in_iso_form_whichever_way_it_was_typed() -> None:
    service = catalog.load().get(UNEMPLOYMENT)
    assert application.normalized(service, {"left_on": "20261101"})["left_on"] == "2026-11-01"


def test_the_bundled_catalog_uses_the_new_parts() -> None:
    bundled = catalog.load()
    kinds = {f.type for s in bundled.services for f in s.fields}
    assert {FieldType.DATE, FieldType.NUMBER, FieldType.ADDRESS} <= kinds
    assert any(s.notify_commit and s.high_risk and not s.offers_commitment for s in bundled.services)
    assert any(s.offers_commitment and s.to_capture and s.accept_missing for s in bundled.services)
    for s in bundled.services:
        if s.offers_commitment:
            assert s.commitment.zh and s.commitment.en, s.code


def test_a_commitment_without_its_text_or_missing_without_a_deadline_is_refused() -> None:
    document = {"version": "t", "services": [{**SMALL_CATALOG["services"][0], "notify_commit": True}]}
    with pytest.raises(CatalogError, match=r"T-001.*commitment"):
        catalog.parse(document)
    document["services"][0].update(high_risk=True)
    assert not catalog.parse(document).get("T-001").offers_commitment      # high risk: no commitment needed
    missing = {**SMALL_CATALOG["services"][0], "accept_missing": True,
               "materials": [{"name": "证明", "may_be_missing": True, "capture": True}]}
    with pytest.raises(CatalogError, match="missing_deadline_days"):
        catalog.parse({"services": [missing]})


def bundled_session() -> Session:
    return Session(catalog.load(), Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN", clock=lambda: NOW)


def to_form(session: Session, code: str) -> None:
    session.fire(Event.START)
    session.choose_service(code)
    session.fire(Event.APPLY)
    session.identified(make_identity())
    assert session.state is State.FORM


def filled(session: Session) -> dict[str, str]:
    values = {}
    for f in session.service.fields:
        values[f.key] = {FieldType.ID_NUMBER: session.form.get(f.key, ""), FieldType.MOBILE: "13812345678",
                         FieldType.DATE: "20261101", FieldType.NUMBER: "5",
                         FieldType.ADDRESS: "浉河区民权路1号"}.get(f.type, f.choices[0].zh if f.choices else "示例")
    return values


def test_missing_materials_rules() -> None:
    service = catalog.load().get(UNEMPLOYMENT)
    (proof, proof_material), (_card, card_material) = service.to_capture
    assert materials.may_follow(service, proof_material) and not materials.may_follow(service, card_material)
    assert materials.unmet(service, captured=(), later=()) == [proof]        # the optional card never blocks
    assert materials.unmet(service, captured=(), later=(proof,)) == []
    assert materials.unmet(service, captured=(proof,), later=()) == []
    chronic = catalog.load().get(CHRONIC)
    everything = [index for index, _ in chronic.to_capture]
    assert materials.unmet(chronic, captured=(), later=everything) == everything    # none may follow there
    holiday = Calendar(frozenset({dt.date(2026, 11, 27)}), frozenset())
    [owed] = materials.missing(service, later={proof}, captured=(), day=dt.date(2026, 11, 25), calendar=holiday)
    assert owed.name == proof_material.name.zh and owed.deadline == dt.date(2026, 12, 3)   # 5 working days, Fri off


def test_pages_of_a_material_are_added_and_retaken_up_to_a_limit() -> None:
    session = bundled_session()
    to_form(session, UNEMPLOYMENT)
    session.submit_form(filled(session))
    _, (card, material) = session.service.to_capture
    session.captured(card, b"front", "image/jpeg")
    session.captured(card, b"back, blurred", "image/jpeg", add_page=True)
    session.captured(card, b"back", "image/jpeg")                          # a retake replaces the last page
    assert [(a.name, a.data) for a in session.captures[card]] == [
        (material.name.zh, b"front"), (f"{material.name.zh}（第2页）", b"back")]
    for page in range(materials.MAX_PAGES + 2):
        session.captured(card, b"page %d" % page, "image/jpeg", add_page=True)
    assert len(session.captures[card]) == materials.MAX_PAGES
    assert session.captures[card][-1].name == f"{material.name.zh}（第{materials.MAX_PAGES}页）"


def test_the_whole_way_with_materials_missing_a_commitment_and_a_signature() -> None:
    session = bundled_session()
    to_form(session, UNEMPLOYMENT)
    assert session.submit_form({**filled(session), "left_on": "20261131"}) is State.FORM
    assert session.form_problems == {"left_on": "apply.error.date"}
    assert session.submit_form(filled(session)) is State.MATERIALS
    assert session.form["left_on"] == "2026-11-01"
    (proof, _), (card, _) = session.service.to_capture

    assert session.materials_done() is State.MATERIALS and session.problem == "apply.materials.required"
    session.supply_later(card, True)                  # not a material that may follow: nothing changes
    assert session.later == set()
    session.captured(card, PAGE, "image/jpeg")
    session.supply_later(proof, True)
    assert session.materials_done() is State.COMMITMENT

    assert session.fire(Event.BACK) is State.MATERIALS and session.captures.keys() == {card}   # kept going back
    session.materials_done()
    text = session.commitment_text()
    assert session.commit() is State.SIGN
    assert session.signed(b"not an image") is State.SIGN and session.problem == "apply.sign.empty"
    assert session.signed(SIGNATURE_PNG) is State.REVIEW

    submitted = session.confirm()
    wire = application_body(submitted, "XY-TEST-01-20261125-0001")
    assert [a["name"] for a in wire["attachments"]] == ["就业创业证", SIGNATURE]
    assert wire["missing_materials"] == [{"name": "与原用人单位解除或者终止劳动关系的证明", "deadline": "2026-12-02"}]
    assert {"name": "就业创业证", "supplied": True, "deadline": None} in wire["materials"]
    commitment = wire["commitment"]
    assert commitment["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert commitment["accepted_at"] == NOW.isoformat() and commitment["language"] == "zh_CN"
    assert commitment["signature_sha256"] == hashlib.sha256(SIGNATURE_PNG).hexdigest()

    session.stored("XY-TEST-01-20261125-0001")
    printed = session.receipt.text()
    assert "与原用人单位解除或者终止劳动关系的证明：2026-12-02 前补交" in printed
    session.fire(Event.HOME)
    assert (session.captures, session.later, session.commitment, session.signature) == ({}, set(), None, None)


def test_consent_and_signature_are_given_again_after_going_back() -> None:
    session = bundled_session()
    to_form(session, UNEMPLOYMENT)
    session.submit_form(filled(session))
    session.supply_later(session.service.to_capture[0][0], True)
    session.materials_done()
    session.commit()
    session.signed(SIGNATURE_PNG)
    assert session.fire(Event.BACK) is State.FORM                  # review → edit the form
    session.submit_form(filled(session))
    session.materials_done()
    assert session.commitment is None
    session.commit()
    assert session.signature is None
    with pytest.raises(InvalidTransition):
        session.confirm()


def test_a_high_risk_item_goes_the_normal_way_without_a_commitment() -> None:
    session = Session(catalog.load(), Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN",
                      clock=lambda: dt.datetime(2026, 11, 25, 10, 0, tzinfo=application.CHINA_TZ))
    to_form(session, RENT_WITHDRAWAL)
    assert session.submit_form(filled(session)) is State.MATERIALS
    [(card, _)] = session.service.to_capture
    session.supply_later(card, True)                               # not allowed here
    assert session.materials_done() is State.MATERIALS
    session.captured(card, PAGE, "image/jpeg")
    assert session.materials_done() is State.SIGN                  # no 告知承诺 screen
    assert session.fire(Event.BACK) is State.MATERIALS             # and none on the way back


def test_steps_a_service_does_not_have_are_passed_over_both_ways(session: Session, identity) -> None:
    session.fire(Event.START)
    session.choose_service("T-001")
    session.fire(Event.APPLY)
    session.identified(identity)
    assert session.submit_form({"id_number": identity.id_number, "mobile": "13812345678"}) is State.SIGN
    assert session.fire(Event.BACK) is State.FORM


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_steps_are_spoken_and_the_commitment_read_out_in_full(language: str) -> None:
    from kiosk.voice import announcement

    session = bundled_session()
    session.set_language(language)
    to_form(session, UNEMPLOYMENT)
    session.submit_form(filled(session))
    tr = session.translator
    heard = announcement(session, tr)
    assert all(tr.local(m.name) in heard for _, m in session.service.to_capture)
    session.materials_done()
    assert tr.t("apply.materials.required") in announcement(session, tr)     # the problem is read too
    session.supply_later(session.service.to_capture[0][0], True)
    session.materials_done()
    assert session.commitment_text() in announcement(session, tr)
    session.commit()
    assert announcement(session, tr) == tr.t("apply.voice.sign")
    session.signed(SIGNATURE_PNG)
    assert tr.t("apply.review.signed") in announcement(session, tr)


def test_a_citizen_who_cannot_write_signs_by_confirming_with_the_keys() -> None:
    """Blind or unable to write on the pad: the declaration read out, confirmed with the keypad, and
    recorded as that statement (not as ink), bound to the commitment like a drawn signature."""
    session = bundled_session()
    session.set_profile(session.profile.with_audio_only(True))
    to_form(session, UNEMPLOYMENT)
    session.submit_form(filled(session))
    (proof, _), (card, _) = session.service.to_capture
    session.captured(card, PAGE, "image/jpeg")
    session.supply_later(proof, True)
    session.materials_done()
    session.commit()
    assert session.signed_by_keys() is State.REVIEW
    wire = application_body(session.confirm(), "XY-TEST-01-20261125-0002")
    [signature] = [a for a in wire["attachments"] if a["name"] == SIGNATURE]
    assert signature["media_type"] == "application/json"
    statement = json.loads(base64.b64decode(signature["data"]))
    assert statement["method"] == SIGNED_BY_KEYS and statement["audio_only"] is True
    assert statement["declaration"].startswith("本人确认") and statement["at"] == NOW.isoformat()
    assert wire["commitment"]["signature_sha256"] == signature["sha256"]
