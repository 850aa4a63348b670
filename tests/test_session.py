"""The citizen flow as a state machine, without a screen."""
import dataclasses
import datetime as dt

import pytest

from kiosk.application import PNG_MAGIC
from kiosk.outcome import Outcome
from kiosk.print_status import Printing, PrintStatus
from kiosk.receipt import Kind
from kiosk.session import TRANSITIONS, Event, InvalidTransition, Session, State
from tests.fixtures.core import make_identity


def walk_to_form(session: Session, identity) -> None:
    session.fire(Event.START)
    session.choose_service("T-001")
    session.fire(Event.APPLY)
    session.identified(identity)


def test_whole_path_and_wipe(session: Session, identity) -> None:
    walk_to_form(session, identity)
    assert session.state is State.FORM
    assert session.form["id_number"] == identity.id_number          # prefilled from the card
    assert session.submit_form({"id_number": identity.id_number, "mobile": "12345"}) is State.FORM
    assert session.form_problems == {"mobile": "error.mobile"}
    assert session.submit_form({"id_number": identity.id_number, "mobile": "13812345678"}) is State.SIGN
    assert session.signed(PNG_MAGIC + b"drawn") is State.REVIEW       # every application is signed
    application = session.confirm()
    assert session.state is State.SUBMITTING
    assert application.promised_date == dt.date(2026, 11, 30)       # 3 working days after Wed 25th
    assert session.stored("XY-TEST-01-20261125-0001") is State.RECEIPT
    assert session.receipt is not None
    assert session.receipt.qr_payloads() == [f"K24:XY-TEST-01-20261125-0001:{application.tracking_token}"]
    assert "王**" in session.receipt.text() and identity.id_number not in session.receipt.text()
    session.fire(Event.FINISH)
    assert session.state is State.RATING                         # 好差评 follows every transaction
    assert (session.identity, session.form, session.application, session.receipt) == (None, {}, None, None)
    assert (session.service.code, session.case_number) == ("T-001", "XY-TEST-01-20261125-0001")   # what is rated
    session.fire(Event.SKIP)
    assert session.state is State.ATTRACT and (session.service, session.case_number) == (None, None)


def test_timeout_wipes_from_any_screen_with_a_citizen(session: Session, identity) -> None:
    walk_to_form(session, identity)
    session.set_language("en")
    session.set_profile(session.profile.with_assisted(True))
    session.fire(Event.TIMEOUT)
    assert session.state is State.ATTRACT
    assert session.identity is None and session.language == "zh_CN" and not session.profile.assisted


def test_no_timeout_while_writing(session: Session) -> None:
    assert (State.SUBMITTING, Event.TIMEOUT) not in TRANSITIONS
    assert (State.SUBMITTING, Event.HOME) not in TRANSITIONS


def test_expired_card_is_refused(session: Session) -> None:
    session.fire(Event.START)
    session.choose_service("T-001")
    session.fire(Event.APPLY)
    session.identified(make_identity(valid_to=dt.date(2020, 1, 1)))
    assert session.state is State.IDENTIFY and session.problem == "idcard.expired"


def test_back_from_form_forgets_the_citizen(session: Session, identity) -> None:
    walk_to_form(session, identity)
    session.fire(Event.BACK)
    assert session.state is State.DETAIL and session.identity is None and session.form == {}


def test_card_on_another_screen_is_ignored(session: Session, identity) -> None:
    session.fire(Event.START)
    assert session.identified(identity) is State.SERVICES and session.identity is None


def test_impossible_event_is_refused(session: Session) -> None:
    with pytest.raises(InvalidTransition):
        session.fire(Event.CONFIRM)


def test_store_failure_returns_to_review_with_the_reason(session: Session, identity) -> None:
    walk_to_form(session, identity)
    session.submit_form({"id_number": identity.id_number, "mobile": "13812345678"})
    session.signed(PNG_MAGIC + b"drawn")
    session.confirm()
    session.store_failed("error.store_failed")
    assert session.state is State.REVIEW and session.problem == "error.store_failed"


def test_every_state_is_reachable_and_can_go_home() -> None:
    targets = set(TRANSITIONS.values())
    assert targets | {State.ATTRACT} == set(State)
    for state in State:
        if state not in (State.ATTRACT, State.SUBMITTING):
            assert TRANSITIONS[(state, Event.HOME)] is State.ATTRACT


def test_receipt_layout_in_english(session: Session, identity) -> None:
    walk_to_form(session, identity)
    session.set_language("en")
    session.submit_form({"id_number": identity.id_number, "mobile": "13812345678"})
    session.signed(PNG_MAGIC + b"drawn")
    session.confirm()
    session.stored("N-1")
    kinds = [line.kind for line in session.receipt.lines]
    assert kinds[0] is Kind.TITLE and Kind.QR in kinds
    assert "Receipt for your application" in session.receipt.text() and "Test certificate" in session.receipt.text()


def test_identity_repr_is_masked(identity) -> None:
    assert identity.name not in repr(identity) and identity.id_number not in repr(identity)
    assert "王秀英" not in repr(dataclasses.replace(identity))


def test_staffed_services_close_on_holidays_and_open_on_make_up_days(small_catalog) -> None:
    import datetime as dt

    from kiosk.application import CHINA_TZ
    from kiosk.workdays import Calendar

    staffed = small_catalog.get("T-002")                              # weekdays 08:30-17:30
    national_day = dt.datetime(2026, 10, 1, 10, 0, tzinfo=CHINA_TZ)   # a Thursday, a holiday
    make_up = dt.datetime(2026, 10, 10, 10, 0, tzinfo=CHINA_TZ)       # a Saturday, a working day
    calendar = Calendar(frozenset({national_day.date()}), frozenset({make_up.date()}))
    for at, expected in ((national_day, False), (make_up, True)):
        session = Session(small_catalog, calendar, "K", "zh_CN", clock=lambda at=at: at)
        assert session.is_open(staffed) is expected
    assert staffed.hours.is_open(national_day) is True                # without a calendar: weekdays only


def test_a_print_status_carries_a_problem_exactly_when_the_paper_did_not_come_out() -> None:
    assert PrintStatus.after(Outcome.success(None)) == PrintStatus(Printing.PRINTED)
    assert PrintStatus.after(Outcome.failure("printer.paper_out")) == PrintStatus(Printing.NOT_PRINTED,
                                                                                  "printer.paper_out")
    with pytest.raises(ValueError):
        PrintStatus(Printing.PRINTED, "printer.paper_out")
    with pytest.raises(ValueError):
        PrintStatus(Printing.NOT_PRINTED)


def test_the_guide_print_changes_only_through_the_session_and_is_forgotten_with_the_screen(
        session: Session) -> None:
    session.fire(Event.START)
    session.choose_service("T-001")
    session.set_guide_print(PrintStatus(Printing.PRINTING))
    assert session.guide_print is not None and session.guide_print.stage is Printing.PRINTING
    with pytest.raises(AttributeError):
        session.guide_print = PrintStatus(Printing.PRINTED)  # type: ignore[misc]
    session.fire(Event.BACK)
    assert session.guide_print is None
