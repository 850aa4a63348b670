"""The centre's online services through the kiosk's CentreLink, against a real case store: records,
benefits, slots and bookings, the progress query by ID-number tail and its guard against guessing."""
from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import hashlib

from hypothesis import given
from hypothesis import strategies as st

from devices.idcard import protocol
from kiosk import catalog, idnumber, printouts
from kiosk.application import CHINA_TZ, new_key
from kiosk.catalog import ServiceKind
from kiosk.i18n import Translator
from kiosk.identity import Identity
from kiosk.online import id_tail_problem
from sync import centre_link
from sync.casestore import appointments, citizen_progress, people, records
from sync.centre_link import HttpCentreLink
from sync.outbox import Outbox
from sync.worker import SyncWorker
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.core import make_application, make_identity

KIOSK = "XY-TEST-01"


def card(first17: str = "41150219850312123") -> Identity:
    """An identity as the reader hands it over: read just now, with its chip's digest (card proof), in the
    name the centre's demo register holds for the number (sync/casestore/people.py)."""
    number = first17 + idnumber.check_digit(first17)
    who = make_identity(first17, people.name_of(number))
    return dataclasses.replace(who, read_at=dt.datetime.now(dt.UTC),
                               chip_sha256=hashlib.sha256(protocol.encode_text(who)).hexdigest())


def link_to(casestore: CaseStoreServer, kiosk: str = KIOSK) -> HttpCentreLink:
    """The fixture's client for kiosk: closed at teardown, so no pooled socket is left to the collector."""
    return HttpCentreLink(casestore.client(kiosk))


def test_every_query_print_service_has_a_record_and_the_same_person_gets_the_same(casestore: CaseStoreServer) -> None:
    link, who = link_to(casestore), card()
    query_services = [s for s in catalog.load().services if s.kind is ServiceKind.QUERY_PRINT]
    assert records.TRAFFIC in {s.code for s in query_services}
    assert {s.code for s in query_services} == set(records.RECORDS)
    people = (who, card("41150219520101123"))     # taking turns: a person's lookups are bounded (30 an hour)
    for index, service in enumerate(query_services):
        asker = people[index % 2]
        form = {f.key: f.choices[0].zh for f in service.fields if f.choices}
        first, again = link.query(service.code, asker, form), link.query(service.code, asker, form)
        assert first.ok, (service.code, first)
        assert first.value.rows == again.value.rows and first.value.demo
        printed = printouts.record(first.value, service, asker, KIOSK, Translator("zh_CN")).text()
        assert first.value.rows[0].value.zh in printed and asker.id_number not in printed
    other = link.query(records.TRAFFIC, card("41150219520101123"), {})
    assert other.value.rows != link.query(records.TRAFFIC, who, {}).value.rows


def test_a_query_for_an_unknown_service_or_a_passport_is_refused_plainly(casestore: CaseStoreServer) -> None:
    link = link_to(casestore)
    assert link.query("not-a-service", card(), {}).problem == "online.not_offered"
    passport = make_identity().__class__(**{**make_identity().__dict__, "id_number": "E12345678"})
    assert link.query(records.TRAFFIC, passport, {}).problem == "online.card_not_supported"


def test_benefits_follow_age_and_none_is_an_empty_list(casestore: CaseStoreServer) -> None:
    link = link_to(casestore)
    today = dt.datetime.now(CHINA_TZ).date()
    old = card(f"411502{today.year - 85}0101123")
    codes = {b.code for b in link.benefits(old).value}
    assert "elderly_allowance" in codes
    young = [card(f"41150219990101{n:03d}") for n in range(20)]
    answers = [link.benefits(who).value for who in young]
    assert all("elderly_allowance" not in {b.code for b in a} for a in answers)
    assert () in answers            # someone young with nothing at all


def test_booking_respects_capacity_under_concurrency_and_a_retry_books_once(casestore: CaseStoreServer) -> None:
    link, who = link_to(casestore), make_identity()
    slots = link.slots("any").value
    small = next(s for s in slots if s.capacity == 2)
    assert small.left == 2 and len({s.date for s in slots}) == appointments.BOOKING_DAYS
    key = new_key()
    first = link.book(key, small.slot_id, "svc", who, "13812345678")
    assert first.ok and first.value.slot.left == 1
    assert link.book(key, small.slot_id, "svc", who, "13812345678").value.booking_number == first.value.booking_number
    clients = [link_to(casestore, f"XY-TEST-{n:02d}") for n in range(2, 6)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        tries = list(pool.map(lambda c: c.book(new_key(), small.slot_id, "svc", who, "13812345678"), clients))
    assert sum(t.ok for t in tries) == 1
    assert {t.problem for t in tries if not t.ok} == {"appointment.full"}
    assert next(s for s in link.slots("any").value if s.slot_id == small.slot_id).left == 0
    assert link.book(new_key(), "XYZX-20000101-0900", "svc", who, "13812345678").problem == "appointment.gone"


def test_progress_by_id_tail_and_guessing_is_stopped(outbox: Outbox, casestore: CaseStoreServer) -> None:
    application = make_application()
    number = outbox.submit(application).value
    SyncWorker(outbox, casestore.client(KIOSK)).run_once()
    link, tail = link_to(casestore), application.applicant.id_number[-6:]
    found = link.progress(number, id_tail=tail)
    assert found.ok and found.value.status == "received" and found.value.kiosk_case_number == number
    assert link.progress(number, token=application.tracking_token).value == found.value
    for _ in range(citizen_progress.MAX_FAILURES):
        assert link.progress(number, id_tail="000000").problem == "progress.not_found"
    assert link.progress(number, id_tail=tail).problem == "progress.locked"      # even the right one, now
    # The count is the case's, not the kiosk's nor the number string's: another kiosk, or the central
    # number, does not start it again.
    assert link_to(casestore, "XY-TEST-09").progress(number, id_tail=tail).problem == "progress.locked"
    central = outbox.rows()[0].central_case_number
    assert link_to(casestore, "XY-TEST-09").progress(central, id_tail=tail).problem == "progress.locked"
    assert id_tail_problem(tail) is None and id_tail_problem("12345") and id_tail_problem("1234X5")


def test_a_centre_that_is_down_is_one_plain_problem(casestore: CaseStoreServer) -> None:
    link = link_to(casestore)
    casestore.stop()
    assert not link.reachable()
    assert link.query(records.TRAFFIC, make_identity(), {}).problem == "centre.unreachable"
    assert link.slots("any").problem == "centre.unreachable"


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=6),
                    max_leaves=20)
PARSERS = (centre_link.parse_record, centre_link.parse_progress, centre_link.parse_benefits,
           centre_link.parse_slots, centre_link.parse_booking)


@given(raw=JSON, which=st.sampled_from(PARSERS))
def test_any_answer_is_a_value_or_a_plain_problem(raw: object, which) -> None:
    outcome = centre_link.decode(which, raw)
    assert outcome.ok or outcome.problem == "centre.error"


@given(slot=st.fixed_dictionaries({
    "slot_id": st.text(max_size=20), "hall": st.fixed_dictionaries({"zh": st.text(max_size=8)}),
    "address": st.fixed_dictionaries({"zh": st.text(max_size=8), "en": st.text(max_size=8)}),
    "date": st.dates().map(dt.date.isoformat), "starts": st.text(max_size=5), "ends": st.text(max_size=5),
    "capacity": st.integers(0, 9), "left": st.integers(0, 9)}))
def test_a_wellformed_slot_list_reads_back(slot: dict) -> None:
    outcome = centre_link.decode(centre_link.parse_slots, {"slots": [slot]})
    assert outcome.ok and outcome.value[0].slot_id == slot["slot_id"] and outcome.value[0].left == slot["left"]
