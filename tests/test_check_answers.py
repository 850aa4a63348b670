"""Check your answers (review), 修改 and back, the steps of applying, the privacy notice and the
complaint's acknowledgement: in the core, on the bundled catalog's 无犯罪记录证明."""
from __future__ import annotations

import pytest

from kiosk import catalog, feedback_sent, privacy, review
from kiosk.accessibility import Profile
from kiosk.application import PNG_MAGIC
from kiosk.catalog import Service
from kiosk.credentials import Credential
from kiosk.feedback import Category
from kiosk.i18n import Translator
from kiosk.idnumber import mask
from kiosk.session import Event, InvalidTransition, Session, State, application_steps
from kiosk.voice import announcement
from kiosk.workdays import Calendar
from tests.fixtures.core import NOW, make_identity

TR = Translator("zh_CN")
CRIMINAL_RECORD = "无犯罪记录证明开具"
UNEMPLOYMENT = "失业登记"


@pytest.fixture(scope="module")
def bundled() -> catalog.Catalog:
    return catalog.load()


def service_named(cat: catalog.Catalog, name: str) -> Service:
    return next(s for s in cat.services if s.name.zh == name)


@pytest.fixture
def at_review(bundled: catalog.Catalog) -> Session:
    return reviewing(bundled)


def reviewing(bundled: catalog.Catalog, via: Credential | None = None) -> Session:
    """A citizen at review for 无犯罪记录证明: form filled, optional detail left empty, signed."""
    session = Session(bundled, Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN", clock=lambda: NOW)
    service = service_named(bundled, CRIMINAL_RECORD)
    session.fire(Event.START)
    session.choose_service(service.code)
    session.fire(Event.APPLY)
    identity = make_identity()
    session.identified(identity, via)
    choices = {f.key: f.choices[0].zh for f in service.fields if f.choices}
    assert session.submit_form({**session.form, "mobile": "13812345678", **choices}) is State.SIGN
    assert session.signed(PNG_MAGIC + b"first") is State.REVIEW
    return session


def test_review_shows_the_id_number_once_and_no_empty_optional_field(at_review: Session) -> None:
    rows = review.rows(at_review, TR)
    shown = [row.value for row in rows]
    assert shown.count(mask(at_review.identity.id_number)) == 1
    labels = [row.label for row in rows]
    assert "用途说明" not in labels and not any(row.key == "purpose_detail" for row in rows)
    assert {row.key for row in rows if row.step is State.FORM} == {"mobile", "purpose", "delivery"}
    assert [row.step for row in rows if row.label == TR.t("apply.review.signature")] == [State.SIGN]
    assert all(row.step is None for row in rows[:3])         # service, name and card number: not changed here
    assert [row.value for row in rows if row.key == "mobile"] == ["138 1234 5678"]    # grouped, as printed


def test_changing_an_answer_returns_to_review_through_the_signature(at_review: Session) -> None:
    assert at_review.revise(State.FORM) is State.FORM and at_review.revising is not None
    form = {**at_review.form, "mobile": "13900000000"}
    assert at_review.submit_form(form) is State.SIGN           # the signature covers what stands now
    assert at_review.signature is None
    assert at_review.signed(PNG_MAGIC + b"again") is State.REVIEW
    assert at_review.revising is None and at_review.form["mobile"] == "13900000000"
    assert at_review.signature.data == PNG_MAGIC + b"again"


def test_back_while_changing_puts_every_answer_back_as_review_showed_it(at_review: Session) -> None:
    before, signature = dict(at_review.form), at_review.signature
    at_review.revise(State.FORM)
    at_review.edit_field("mobile", "1")
    assert at_review.fire(Event.BACK) is State.REVIEW
    assert at_review.form == before and at_review.signature is signature and at_review.identity is not None
    at_review.revise(State.SIGN)
    assert at_review.signature is None
    assert at_review.fire(Event.BACK) is State.REVIEW and at_review.signature is signature


def test_only_reviews_answers_can_be_changed(at_review: Session) -> None:
    with pytest.raises(InvalidTransition):
        at_review.revise(State.IDENTIFY)
    at_review.revise(State.SIGN)
    with pytest.raises(InvalidTransition):
        at_review.revise(State.FORM)                          # only from review


def test_the_steps_come_from_the_transition_table(bundled: catalog.Catalog) -> None:
    assert application_steps(service_named(bundled, CRIMINAL_RECORD)) == [
        State.IDENTIFY, State.FORM, State.SIGN, State.REVIEW]
    assert application_steps(service_named(bundled, UNEMPLOYMENT)) == [
        State.IDENTIFY, State.FORM, State.MATERIALS, State.COMMITMENT, State.SIGN, State.REVIEW]


def test_the_privacy_notice_names_the_department_and_is_read_aloud_only_in_the_accessible_mode(
        bundled: catalog.Catalog) -> None:
    session = Session(bundled, Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN", clock=lambda: NOW)
    service = service_named(bundled, CRIMINAL_RECORD)
    session.fire(Event.START)
    session.choose_service(service.code)
    session.fire(Event.APPLY)
    lines = dict(privacy.notice(session, TR))
    assert service.department.zh in lines[TR.t("privacy.who_label")]
    assert set(lines) == {TR.t(f"privacy.{k}_label") for k in ("collected", "why", "who", "kept")}
    assert TR.t("privacy.title") not in announcement(session, TR, False)
    session.set_profile(Profile(assisted=True))
    said = announcement(session, TR, False)
    assert TR.t("privacy.title") in said and service.department.zh in said


@pytest.mark.parametrize(("category", "word"), [(Category.CANNOT_DO, "办不成事"), (Category.COMPLAINT, "投诉")])
def test_the_acknowledgement_names_what_was_sent_and_gives_a_reference(bundled: catalog.Catalog,
                                                                       category: Category, word: str) -> None:
    session = Session(bundled, Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN", clock=lambda: NOW)
    session.fire(Event.COMPLAIN)
    session.edit_feedback("category", category)
    session.edit_feedback("text", "夜里打印机没纸")
    complaint = session.complaint()
    assert complaint is not None
    assert session.feedback_sent() is State.COMPLAINT_SENT
    sent = session.acknowledgement
    assert sent == feedback_sent.Acknowledgement(category, feedback_sent.reference(complaint.id), call_back=False)
    assert len(sent.reference) == 10 and sent.reference.isdigit()
    title = TR.t(f"complaint.sent.{category.value}")
    assert word in title and ("投诉" not in title if category is Category.CANNOT_DO else True)
    said = announcement(session, TR, False)
    assert title in said and " ".join(sent.reference[:3]) in said
    assert session.feedback.text == ""                            # nothing the citizen wrote is kept
    session.fire(Event.FINISH)
    assert session.acknowledgement is None


def test_references_differ_for_complaints_sent_in_the_same_millisecond() -> None:
    ids = {feedback_sent.new_complaint(Category.COMPLAINT, "", "", "x", "", NOW).id for _ in range(200)}
    assert len({feedback_sent.reference(i) for i in ids}) == 200


def test_a_closed_service_says_when_it_opens_next(bundled: catalog.Catalog) -> None:
    from kiosk import opening
    from kiosk.workdays import Calendar as Days
    weekdays = next(s for s in bundled.services if s.hours.weekdays_only and s.hours.opens is not None)
    calendar = Days(frozenset(), frozenset())
    friday_night = NOW.replace(day=27, hour=21)                      # 2026-11-27 is a Friday
    assert opening.next_opening(weekdays.hours, friday_night, calendar) == friday_night.replace(
        day=30, hour=weekdays.hours.opens.hour, minute=weekdays.hours.opens.minute)
    said = opening.closed_reason(weekdays.hours, friday_night, calendar, TR)
    assert "11 月 30 日（星期一）08:30" in said and "工作日 08:30–17:30" in said
    wednesday_night = NOW                                             # 2026-11-25 21:30
    assert "明天 08:30" in opening.closed_reason(weekdays.hours, wednesday_night, calendar, TR)
    early = NOW.replace(hour=7)
    assert "今天 08:30" in opening.closed_reason(weekdays.hours, early, calendar, TR)
    english = opening.closed_reason(weekdays.hours, friday_night, calendar, Translator("en"))
    assert "08:30 on Monday 30 November" in english
    assert opening.next_opening(service_named(bundled, CRIMINAL_RECORD).hours, NOW, calendar) is not None


def test_no_postal_address_on_review_when_the_card_is_collected_in_person(bundled: catalog.Catalog) -> None:
    service = service_named(bundled, "居民身份证补领、换领申请")
    session = Session(bundled, Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN",
                      clock=lambda: NOW.replace(day=26, hour=10))              # a Thursday morning: open
    session.fire(Event.START)
    session.choose_service(service.code)
    session.fire(Event.APPLY)
    session.identified(make_identity())
    delivery = next(f for f in service.fields if f.key == "delivery")
    answers = {**session.form, "mobile": "13812345678", "reason": "丢失", "address": "浉河区民权路1号3单元201室"}
    for choice, shown in ((delivery.choices[0].zh, False), (delivery.choices[1].zh, True)):
        session.submit_form({**answers, "delivery": choice})
        if session.state is State.SIGN:
            session.signed(PNG_MAGIC + b"x")
        assert session.state is State.REVIEW
        assert any(row.key == "address" for row in review.rows(session, TR)) is shown, choice
        session.fire(Event.BACK)


def test_the_materials_step_reads_the_photo_consent_until_it_is_given(bundled: catalog.Catalog) -> None:
    session = Session(bundled, Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN", clock=lambda: NOW)
    service = service_named(bundled, UNEMPLOYMENT)
    session.fire(Event.START)
    session.choose_service(service.code)
    session.fire(Event.APPLY)
    session.identified(make_identity())
    choices = {f.key: f.choices[0].zh for f in service.fields if f.choices}
    form = {**session.form, **choices, "mobile": "13812345678", "left_on": "20261101", "address": "浉河区民权路1号"}
    assert session.submit_form(form) is State.MATERIALS
    consent = privacy.photo_consent(session, TR)
    assert service.department.zh in consent and consent in announcement(session, TR, False)
    session.consent_to_photographs(True)
    assert consent not in announcement(session, TR, False)


def test_taking_the_photo_consent_back_drops_the_pages_taken(bundled: catalog.Catalog) -> None:
    session = Session(bundled, Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN", clock=lambda: NOW)
    service = service_named(bundled, UNEMPLOYMENT)
    session.fire(Event.START)
    session.choose_service(service.code)
    session.fire(Event.APPLY)
    session.identified(make_identity())
    choices = {f.key: f.choices[0].zh for f in service.fields if f.choices}
    session.submit_form({**session.form, **choices, "mobile": "13812345678", "left_on": "20261101",
                         "address": "浉河区民权路1号"})
    session.consent_to_photographs(True)
    (index, _), *_ = service.to_capture
    session.captured(index, b"\xff\xd8page", "image/jpeg")
    assert session.captures
    session.consent_to_photographs(False)
    assert session.captures == {} and not session.photo_consent


def test_what_happens_next_is_on_the_glass_and_in_the_voice(at_review: Session) -> None:
    from kiosk import success
    at_review.confirm()
    at_review.stored("XY-TEST-01-20261125-0001")
    lines = success.next_steps(at_review, TR)
    assert lines[0] == "请取回您放在读卡区的证件。"          # the card on the reader first: the commonest loss
    assert lines[1].startswith(at_review.service.department.zh) and "星期" in lines[1]
    assert any(line.startswith("领取方式：") for line in lines)
    said = announcement(at_review, TR, False)
    assert all(line in said for line in lines) and "接下来" in said


def test_a_phone_credential_leaves_no_card_to_take_back(bundled: catalog.Catalog) -> None:
    from kiosk import success
    by_phone = reviewing(bundled, Credential.E_CREDENTIAL)
    assert by_phone.identity is not None and by_phone.identity.credential == Credential.E_CREDENTIAL.value
    by_phone.confirm()
    by_phone.stored("XY-TEST-01-20261125-0001")
    assert not success.left_on_the_kiosk(by_phone)
    assert not any("证件" in line for line in success.next_steps(by_phone, TR))


def test_without_paper_next_steps_send_to_the_number_on_the_glass_not_to_a_code(at_review: Session) -> None:
    from kiosk import success
    at_review.confirm()
    at_review.stored("XY-TEST-01-20261125-0001")
    assert "二维码" in success.next_steps(at_review, TR)[-1]
    at_review.printed("printer.paper_out")
    assert "二维码" not in success.next_steps(at_review, TR)[-1]
    assert "屏幕上的受理编号" in success.next_steps(at_review, TR)[-1]
