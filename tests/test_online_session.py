"""The online flows in the Qt-free core: where each tap and each answer of the centre leads, what the
kiosk says on each screen, and that nothing the centre told a citizen outlives their visit."""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk import catalog, online_flow, workdays
from kiosk.application import CHINA_TZ
from kiosk.catalog import ServiceKind
from kiosk.feedback import Score
from kiosk.i18n import Translator
from kiosk.online_visit import Visit
from kiosk.outcome import Outcome
from kiosk.session import Event, Intent, Session, State
from kiosk.voice import announcement
from tests.fixtures.core import make_identity
from tooling import online_samples

ONLINE_STATES = {State.QUERY_RESULT, State.PROGRESS, State.PROGRESS_RESULT, State.BENEFITS, State.APPOINTMENT,
                 State.APPOINTMENT_DONE}


@pytest.fixture
def visit() -> Session:
    at = dt.datetime(2026, 11, 25, 10, 30, tzinfo=CHINA_TZ)
    session = Session(catalog.load(), workdays.Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN",
                      clock=lambda: at)
    session.fire(Event.START)
    return session


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_online_screen_is_reached_and_says_where_the_citizen_is(visit: Session, language: str) -> None:
    visit.set_language(language)
    said: dict[State, str] = {}
    for _name, step in online_samples.steps(visit, make_identity()):
        step()
        said[visit.state] = announcement(visit, Translator(language))
    assert set(said) >= ONLINE_STATES and all(said[s].strip() for s in ONLINE_STATES)
    assert make_identity().id_number not in " ".join(said.values())


def test_a_query_print_service_queries_instead_of_applying_and_a_failure_returns_to_the_form(visit: Session) -> None:
    query = next(s for s in visit.catalog.services if s.kind is ServiceKind.QUERY_PRINT and s.fields)
    visit.choose_service(query.code)
    visit.apply_as(Intent.APPLY)
    assert visit.intent is Intent.QUERY
    visit.identified(make_identity())
    visit.submit_form({f.key: f.choices[0].zh for f in query.fields if f.choices})
    assert visit.state is State.QUERY_RESULT
    assert online_flow.record_answered(visit, Outcome.failure("centre.unreachable")) is None
    assert visit.state is State.FORM and visit.problem == "centre.unreachable"


def test_benefits_start_from_the_list_and_back_returns_there_forgetting_the_card(visit: Session) -> None:
    visit.begin(Intent.BENEFITS, Event.BENEFITS)
    assert visit.state is State.IDENTIFY and visit.fire(Event.BACK) is State.SERVICES
    visit.begin(Intent.BENEFITS, Event.BENEFITS)
    visit.identified(make_identity())
    online_flow.benefits_answered(visit, Outcome.success(online_samples.benefits()))
    assert visit.state is State.BENEFITS and len(visit.online.benefits) == 2
    visit.fire(Event.BACK)
    assert visit.identity is None and visit.online.benefits is None


def test_booking_needs_a_free_slot_and_a_mobile_and_a_full_slot_is_dropped(visit: Session) -> None:
    visit.choose_service(visit.catalog.services[0].code)
    visit.begin(Intent.APPOINTMENT, Event.BOOK)
    visit.identified(make_identity())
    online_flow.slots_answered(visit, Outcome.success(online_samples.slots()))
    assert online_flow.booking_problem(visit) == "appointment.choose_slot"
    full = next(s for s in visit.online.slots if s.full)
    online_flow.choose_slot(visit, full.slot_id)
    assert visit.online.slot_id == ""                     # a full slot cannot be chosen
    online_flow.choose_slot(visit, online_samples.slots()[0].slot_id)
    visit.update_online(mobile="1381234")
    assert online_flow.booking_problem(visit) == "error.mobile"
    visit.update_online(mobile="13812345678")
    assert online_flow.booking_problem(visit) is None
    assert online_flow.booked(visit, Outcome.failure("appointment.full")) is None
    assert visit.state is State.APPOINTMENT and visit.problem == "appointment.full" and visit.online.slot_id == ""


def test_progress_typed_values_are_checked_and_a_foreign_scan_is_named(visit: Session) -> None:
    visit.fire(Event.PROGRESS)
    assert online_flow.typed_progress_problem(visit) == "progress.case_number_missing"
    visit.update_online(case_number="XY-1", id_tail="12345x")
    assert online_flow.typed_progress_problem(visit) is None
    assert online_flow.scanned_progress(visit, "hello") is None and visit.problem == "progress.scan_unknown"
    assert online_flow.scanned_progress(visit, "K24:XY-1:" + "a" * 20) == ("XY-1", "a" * 20)


def test_the_visit_ends_and_everything_the_centre_said_is_gone(visit: Session) -> None:
    for _name, step in online_samples.steps(visit, make_identity()):
        step()
    visit.fire(Event.HOME)
    assert visit.online == Visit() and visit.identity is None


def test_every_flow_ends_in_a_rating_about_its_service_and_case_that_forgets_the_citizen(visit: Session) -> None:
    """好差评 after every flow (art. 28): query-print, progress, 免申即享 and booking lead to the five levels,
    and the rating names the flow's service (and the case a progress query found), never the citizen."""
    rated: dict[str, tuple[str, str]] = {}
    ends = {"42-query-result": "query", "44-progress-result": "progress", "45-benefits": "benefits",
            "48-appointment-done": "booking"}
    for name, step in online_samples.steps(visit, make_identity()):
        step()
        if name not in ends:
            continue
        state_before = visit.state
        assert visit.fire(Event.FINISH) is State.RATING, state_before
        assert visit.identity is None and visit.online.progress is None and visit.online.booking is None
        visit.rate(Score.SATISFIED)
        rating = visit.rating()
        rated[ends[name]] = (rating.service_code, rating.case_number)
        assert visit.fire(Event.BACK) is State.RATING and visit.rating().service_code == rating.service_code
    found = online_samples.progress()
    assert rated["progress"] == (found.service_code, found.kiosk_case_number)
    assert rated["benefits"] == ("benefits", "")
    assert rated["query"][0] and rated["query"][1] == "" and rated["booking"][0]
