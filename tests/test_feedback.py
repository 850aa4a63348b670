"""好差评, complaints, the printed guide and the receipt's contents, in the core and on the simulated printers."""
from __future__ import annotations

import dataclasses

import pytest

from devices.printer.profile import PROFILE_58MM, PROFILE_80MM
from devices.printer.simulator import PrinterState
from kiosk import catalog, feedback, guide, idnumber, receipt
from kiosk.application import PNG_MAGIC
from kiosk.feedback import Category, Score
from kiosk.i18n import Translator
from kiosk.print_status import Printing, PrintStatus
from kiosk.session import Event, Session, State
from kiosk.voice import announcement
from kiosk.workdays import Calendar
from sync.messages import MessageOutbox
from tests.fixtures.core import NOW
from tests.fixtures.printer import PrinterFactory

CASE = "XY-TEST-01-20261125-0001"
TR = Translator("zh_CN")
DEMO = catalog.load()
EXCLUDING = next(s for s in DEMO.services if s.excluded_time.zh)     # a time not counted in the limit


def served(session: Session, identity) -> None:
    """One whole application, to the receipt."""
    session.fire(Event.START)
    session.choose_service("T-001")
    session.fire(Event.APPLY)
    session.identified(identity)
    session.submit_form({"id_number": identity.id_number, "mobile": "13812345678"})
    session.signed(PNG_MAGIC + b"drawn")
    session.confirm()
    session.stored(CASE)
    assert session.state is State.RECEIPT


def test_a_rating_follows_the_receipt_names_case_and_service_and_ends_the_visit(session: Session, identity) -> None:
    served(session, identity)
    session.set_language("en")
    session.fire(Event.FINISH)
    assert session.state is State.RATING and session.identity is None and session.application is None
    assert session.rate(Score.DISSATISFIED) is State.RATING_REASONS
    for code in ("long_wait", "convenient", "device_fault"):      # "convenient" is not a reason for a bad score
        session.toggle_reason(code)
    session.toggle_reason("device_fault")                 # a second tap clears it
    session.edit_feedback("comment", "  等了很久  ")
    body = session.rating().body()
    assert set(body) == {"id", "service_code", "case_number", "score", "reasons", "comment", "rated_at"}
    assert (body["service_code"], body["case_number"], body["score"]) == ("T-001", CASE, 2)
    assert (body["reasons"], body["comment"], body["rated_at"]) == (["long_wait"], "等了很久", NOW.isoformat())
    assert session.feedback_sent() is State.THANKS
    assert (session.service, session.case_number, session.feedback) == (None, None, feedback.Draft())
    assert session.language == "en"                                  # the thank-you in the citizen's language
    session.fire(Event.FINISH)
    assert session.state is State.ATTRACT and session.language == "zh_CN"


def test_another_score_on_the_other_side_forgets_the_reasons(session: Session, identity) -> None:
    served(session, identity)
    session.fire(Event.FINISH)
    session.rate(Score.VERY_SATISFIED)
    session.toggle_reason("clear_guidance")
    session.fire(Event.BACK)
    session.rate(Score.SATISFIED)
    assert session.feedback.reasons == []                          # a different level starts afresh
    assert feedback.reasons_for(Score.BASICALLY_SATISFIED) == feedback.GOOD_REASONS
    assert feedback.reasons_for(Score.VERY_DISSATISFIED) == feedback.BAD_REASONS


@pytest.mark.parametrize("origin", [State.ATTRACT, State.SERVICES, State.DETAIL])
def test_the_complaint_screen_opens_from_start_services_and_a_guide_and_back_returns(session: Session,
                                                                                     origin: State) -> None:
    if origin is not State.ATTRACT:
        session.fire(Event.START)
    if origin is State.DETAIL:
        session.choose_service("T-001")
    assert session.fire(Event.COMPLAIN) is State.COMPLAINT
    session.edit_feedback("text", "指南里的材料和窗口要求不一致")
    expected = "T-001" if origin is State.DETAIL else None          # from a guide it names that service
    assert session.complaint().body()["service_code"] == expected
    assert session.fire(Event.BACK) is origin


def test_a_bad_rating_leads_to_a_complaint_about_the_same_case(session: Session, identity) -> None:
    served(session, identity)
    session.fire(Event.FINISH)
    session.rate(Score.VERY_DISSATISFIED)
    session.fire(Event.COMPLAIN)
    draft = session.feedback
    draft.category, draft.text, draft.mobile = Category.CANNOT_DO, "材料要求和窗口说的不一样", "1381234567"
    assert session.complaint() is None and draft.problems == {"mobile": "error.mobile"}
    draft.mobile = "13812345678"
    complaint = session.complaint()
    assert complaint is not None and draft.problems == {}
    body = complaint.body()
    assert set(body) == {"id", "category", "service_code", "case_number", "text", "contact_mobile", "submitted_at"}
    assert (body["category"], body["service_code"], body["case_number"]) == ("cant_get_done", "T-001", CASE)
    assert "13812345678" not in repr(complaint) and "材料" not in repr(complaint)
    assert session.fire(Event.BACK) is State.RATING_REASONS and draft.score is Score.VERY_DISSATISFIED
    draft.about_service = False                                      # the citizen unlinks the case
    session.fire(Event.COMPLAIN)
    assert session.complaint().body()["service_code"] is None and session.complaint().body()["case_number"] is None
    assert session.feedback_sent() is State.COMPLAINT_SENT and session.feedback == feedback.Draft()


def test_a_complaint_needs_words_and_a_mobile_only_if_given(session: Session) -> None:
    session.fire(Event.COMPLAIN)
    assert session.complaint() is None and session.feedback.problems == {"text": "feedback.text_required"}
    session.edit_feedback("text", "夜间打印机没纸")
    body = session.complaint().body()
    assert (body["category"], body["contact_mobile"], body["service_code"]) == ("complaint", None, None)


def test_ratings_and_complaints_queue_in_the_real_message_outbox(session: Session, identity, outbox) -> None:
    messages = MessageOutbox(outbox.engine, "XY-TEST-01", outbox.keyring)
    served(session, identity)
    session.fire(Event.FINISH)
    session.rate(Score.BASICALLY_SATISFIED)
    rating = session.rating()
    session.fire(Event.COMPLAIN)
    session.edit_feedback("category", Category.SUGGESTION)
    session.edit_feedback("text", "希望增加夜间照明")
    complaint = session.complaint()
    assert messages.send("rating", rating.id, dict(rating.body())).ok
    assert messages.send("complaint", complaint.id, dict(complaint.body())).ok
    assert sorted((row.kind, row.key) for row in messages.rows()) == sorted(
        [("rating", rating.id), ("complaint", complaint.id)])
    claimed = {m.kind: m.body for m in messages.claim()}
    assert claimed["rating"]["score"] == 3 and claimed["complaint"]["text"] == "希望增加夜间照明"


# -- the printed guide (一次性告知) and the receipt ---------------------------------------------------------

def test_the_guide_tells_everything_at_once_and_names_nobody() -> None:
    service = EXCLUDING
    text = guide.compose(service, TR, "XY-TEST-01", NOW).text()
    for material in service.materials:
        assert material.name.zh in text
        assert f"原件 {material.originals} 份，复印件 {material.copies} 份" in text
    for value in (service.conditions.zh, service.legal_basis.zh, service.department.zh, service.fee.zh,
                  service.excluded_time.zh, "12345", "个工作日" if service.time_limit_days else "即时办结"):
        assert value in text, value
    assert "可容缺后补" in text or not any(m.may_be_missing for m in service.materials)


def _application(session: Session, identity):
    served(session, identity)
    return session.application


def test_the_receipt_holds_masked_identity_place_excluded_time_and_how_to_rate(session: Session, identity) -> None:
    app = _application(session, identity)
    service = dataclasses.replace(session.service, excluded_time=EXCLUDING.excluded_time)
    text = receipt.compose(app, service, CASE, TR, location="信阳市政务服务中心一楼", provisional=False).text()
    for value in (CASE, "王**", idnumber.mask(identity.id_number), "信阳市政务服务中心一楼", "2026-11-30",
                  EXCLUDING.excluded_time.zh, "12345", "评价", "XY-TEST-01"):
        assert value in text, value
    assert identity.id_number not in text and "秀英" not in text
    assert "暂定" not in text
    assert "2026-11-30（暂定" in receipt.compose(app, service, CASE, TR, provisional=True).text()


def test_a_date_in_a_year_without_an_arrangement_is_printed_provisional(small_catalog, identity) -> None:
    known = Session(small_catalog, Calendar(frozenset(), frozenset(), frozenset({2026})), "XY-TEST-01", "zh_CN",
                    clock=lambda: NOW, location="浉河区")
    served(known, identity)
    assert "暂定" not in known.receipt.text() and "浉河区" in known.receipt.text()
    unknown = Session(small_catalog, Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN", clock=lambda: NOW)
    served(unknown, identity)
    assert "2026-11-30（暂定" in unknown.receipt.text()


@pytest.mark.parametrize("profile", [PROFILE_80MM, PROFILE_58MM], ids=lambda p: p.name)
def test_receipt_and_guide_print_in_chinese_on_both_paper_widths(printer_factory: PrinterFactory, profile,
                                                                  session: Session, identity) -> None:
    app = _application(session, identity)
    service = dataclasses.replace(session.service, excluded_time=EXCLUDING.excluded_time)
    paper = receipt.compose(app, service, CASE, TR, location="信阳市政务服务中心")
    simulator, driver = printer_factory(profile)
    assert driver.print(paper).ok and driver.print(guide.compose(EXCLUDING, TR, "XY-TEST-01", NOW)).ok
    printed_receipt, printed_guide = simulator.wait_for(2)
    lines = "".join(line.strip() for line in printed_receipt.lines)     # wrapped differently on 58 and 80 mm
    assert all(len(line.encode("gbk")) <= profile.columns for line in printed_receipt.lines)
    for value in (CASE, idnumber.mask(identity.id_number), "王**", "信阳市政务服务中心", EXCLUDING.excluded_time.zh,
                  "12345"):
        assert value in lines, value
    assert printed_receipt.qr_payloads == tuple(paper.qr_payloads())
    guide_text = "".join(line.strip() for line in printed_guide.lines)
    assert "办事指南" in guide_text and all(m.name.zh in guide_text for m in EXCLUDING.materials)


def test_the_paper_out_printer_refuses_the_guide_with_its_reason(printer_factory: PrinterFactory) -> None:
    simulator, driver = printer_factory(PROFILE_58MM)
    simulator.state = PrinterState.PAPER_END
    assert driver.print(guide.compose(EXCLUDING, TR, "XY-TEST-01", NOW)).problem == "printer.paper_out"
    assert simulator.receipts == []


def test_what_became_of_the_printed_guide_is_said_with_the_guide(session: Session) -> None:
    session.fire(Event.START)
    session.choose_service("T-001")
    assert "打印" not in announcement(session, TR)
    session.set_guide_print(PrintStatus(Printing.NOT_PRINTED, "printer.paper_out"))
    assert "办事指南未能打印：打印机缺纸" in announcement(session, TR)
    session.fire(Event.BACK)
    assert session.guide_print is None                               # it was about the screen left
