"""Issue 13, "/queries and /benefits only with proof that the card was read in this visit", against the
real case store on 127.0.0.1: a stolen kiosk credential with a list of ID numbers gets 403 and uses up
nobody's look-ups; a valid number with a name that is not on record for it gets 409, counted; a real
card on the real reader, through the real session, gets its records."""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import HTTPException
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from devices.idcard.simulator import IdCardSimulator, demo_cards
from kiosk import catalog, ecredential, online_flow, workdays
from kiosk.catalog import ServiceKind
from kiosk.identity import Identity
from kiosk.session import Event, Intent, Session, State
from sync.casestore import card_proof, lookup_quota, people, records
from sync.casestore.db import Base, ChipBinding, LookupQuota, make_engine
from sync.centre_link import HttpCentreLink
from sync.client import CentreClient
from sync.signing import Signer
from sync.wire import SignedCredential
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.idcard import PollerReports
from tests.security.centre_attacks import made_up_proof

THIEF, KIOSK = "KIOSK-0666", "XY-TEST-01"
ID_NUMBER, OTHER = "11010519491231002X", "110105194912310038"


def lookup(server: CaseStoreServer, path: str, id_number: str, proof: dict[str, str] | None,
           name: str = "") -> requests.Response:
    """name: the one on record for id_number unless given."""
    body: dict[str, object] = {"id_number": id_number, "name": name or people.name_of(id_number)}
    if path == "/queries":
        body["service_code"] = records.TRAFFIC
    if proof is not None:
        body["proof"] = proof
    return server.client(THIEF).request("POST", path, json=body)


def count(server: CaseStoreServer, table: type) -> int:
    with make_engine(server.db_url).connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


@pytest.mark.parametrize("path", ["/queries", "/benefits"])
def test_an_id_number_without_proof_is_refused_and_counts_for_nobody(casestore: CaseStoreServer, path: str) -> None:
    answers = [lookup(casestore, path, ID_NUMBER, None) for _ in range(5)]
    assert [a.status_code for a in answers] == [403] * 5
    assert answers[0].json()["detail"] == card_proof.MISSING
    assert count(casestore, LookupQuota) == 0           # the victim's look-ups are not used up by refusals
    assert lookup(casestore, path, ID_NUMBER, made_up_proof(ID_NUMBER)).status_code == 200


@pytest.mark.parametrize("path", ["/queries", "/benefits"])
def test_a_read_from_before_this_visit_or_after_the_request_is_refused(casestore: CaseStoreServer, path: str) -> None:
    now = dt.datetime.now(dt.UTC)
    stale = lookup(casestore, path, ID_NUMBER, made_up_proof(ID_NUMBER, read_at=now - dt.timedelta(minutes=11)))
    ahead = lookup(casestore, path, ID_NUMBER, made_up_proof(ID_NUMBER, read_at=now + dt.timedelta(minutes=2)))
    recent = lookup(casestore, path, ID_NUMBER, made_up_proof(ID_NUMBER, read_at=now - dt.timedelta(minutes=9)))
    assert (stale.status_code, stale.json()["detail"]) == (403, card_proof.STALE)
    assert (ahead.status_code, ahead.json()["detail"]) == (403, card_proof.AHEAD_OF_REQUEST)
    assert recent.status_code == 200


def test_one_chip_digest_is_one_id_number(casestore: CaseStoreServer) -> None:
    chip = made_up_proof(ID_NUMBER)["chip_sha256"]
    first = lookup(casestore, "/queries", ID_NUMBER, made_up_proof(ID_NUMBER, chip=chip))
    other = lookup(casestore, "/benefits", OTHER, made_up_proof(OTHER, chip=chip))
    again = lookup(casestore, "/benefits", ID_NUMBER, made_up_proof(ID_NUMBER, chip=chip))
    assert first.status_code == 200 and again.status_code == 200
    assert (other.status_code, other.json()["detail"]) == (403, card_proof.BOUND_ELSEWHERE)
    assert count(casestore, ChipBinding) == 1


@pytest.mark.parametrize("path", ["/queries", "/benefits"])
def test_a_valid_id_number_with_another_name_is_refused_and_counted(casestore: CaseStoreServer, path: str) -> None:
    wrong = lookup(casestore, path, ID_NUMBER, made_up_proof(ID_NUMBER), name="任何人")
    assert (wrong.status_code, wrong.json()["detail"]) == (409, people.MISMATCH)
    assert "任何人" not in wrong.text and ID_NUMBER not in wrong.text
    with make_engine(casestore.db_url).connect() as conn:       # the guess used up a look-up of both counts
        used = conn.execute(select(LookupQuota.used)).scalars().all()
    assert used == [1, 1]
    guesses = [lookup(casestore, path, ID_NUMBER, made_up_proof(ID_NUMBER), name=f"猜{n}").status_code
               for n in range(lookup_quota.PER_PERSON)]
    assert guesses == [409] * (lookup_quota.PER_PERSON - 1) + [429]
    assert lookup(casestore, path, ID_NUMBER, made_up_proof(ID_NUMBER)).status_code == 429


def test_the_demo_register_holds_the_demo_cardholders_by_the_names_on_their_cards() -> None:
    assert {card.id_number: card.name for card in demo_cards()} == people.DEMO_CARDHOLDERS


def test_a_proof_of_two_kinds_or_half_of_one_is_malformed(casestore: CaseStoreServer) -> None:
    proof = made_up_proof(ID_NUMBER)
    assert lookup(casestore, "/benefits", ID_NUMBER, {**proof, "ecredential": "K24ID1.x.y"}).status_code == 422
    assert lookup(casestore, "/benefits", ID_NUMBER, {"read_at": proof["read_at"]}).status_code == 422


def read_at_the_kiosk(simulator: IdCardSimulator, reports: PollerReports, card: Identity) -> Identity:
    """The card laid on the simulated reader (again) and read by the real driver's poller."""
    before = len(reports.identities)
    simulator.insert(card)
    assert reports.poller is not None
    reports.poller.rearm()
    deadline = time.monotonic() + 10
    while len(reports.identities) == before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(reports.identities) > before, "the reader reported no card"
    return reports.identities[-1]


def test_a_real_visit_gets_its_records_and_benefits(casestore: CaseStoreServer, idcard_simulator: IdCardSimulator,
                                                     idcard_poller: PollerReports) -> None:
    who = read_at_the_kiosk(idcard_simulator, idcard_poller, demo_cards()[0])
    assert who.read_at is not None and len(who.chip_sha256) == 64
    # the kiosk signs with the centre's time as it learned it: 200 s behind its own clock, say
    link = HttpCentreLink(CentreClient(casestore.url, Signer(KIOSK, casestore.enrol(KIOSK), offset_s=-200),
                                       timeout_s=4, centre_key=lambda: casestore.centre_public_key))
    session = Session(catalog.load(), workdays.Calendar(frozenset(), frozenset()), KIOSK, "zh_CN")
    session.fire(Event.START)
    query = next(s for s in session.catalog.services if s.kind is ServiceKind.QUERY_PRINT and s.code == records.TRAFFIC)
    session.choose_service(query.code)
    session.update_online(centre_online=True)
    session.apply_as(Intent.APPLY)
    session.identified(who)
    session.submit_form({f.key: f.choices[0].zh for f in query.fields if f.choices})
    assert session.state is State.QUERY_RESULT and session.identity is not None

    answered = link.query(query.code, session.identity, dict(session.form))
    online_flow.record_answered(session, answered)
    assert answered.ok, answered
    assert session.online.record is not None and session.online.record.service_code == records.TRAFFIC

    session.fire(Event.HOME)
    session.fire(Event.START)
    session.begin(Intent.BENEFITS, Event.BENEFITS)
    session.identified(read_at_the_kiosk(idcard_simulator, idcard_poller, demo_cards()[0]))
    assert session.identity is not None
    online_flow.benefits_answered(session, link.benefits(session.identity))
    assert session.online.benefits is not None and session.problem is None
    link.close()


def test_a_card_laid_again_renews_the_proof_of_a_visit_that_took_too_long(
        casestore: CaseStoreServer, idcard_simulator: IdCardSimulator, idcard_poller: PollerReports) -> None:
    card = demo_cards()[0]
    read = read_at_the_kiosk(idcard_simulator, idcard_poller, card)
    long_ago = dataclasses.replace(read, read_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11))
    link = HttpCentreLink(casestore.client(KIOSK))
    session = Session(catalog.load(), workdays.Calendar(frozenset(), frozenset()), KIOSK, "zh_CN")
    session.fire(Event.START)
    session.choose_service(records.TRAFFIC)
    session.update_online(centre_online=True)
    session.apply_as(Intent.APPLY)
    session.identified(long_ago)
    traffic = session.catalog.get(records.TRAFFIC)
    form = {f.key: f.choices[0].zh for f in traffic.fields if f.choices}
    session.submit_form(form)
    assert session.state is State.QUERY_RESULT and session.identity is not None

    online_flow.record_answered(session, link.query(records.TRAFFIC, session.identity, form))
    assert (session.state, session.problem) == (State.FORM, "online.card_not_read")
    someone_else = read_at_the_kiosk(idcard_simulator, idcard_poller, demo_cards()[1])
    assert not session.read_again(someone_else)
    assert session.read_again(read_at_the_kiosk(idcard_simulator, idcard_poller, card))
    session.submit_form(form)
    assert session.state is State.QUERY_RESULT and session.identity is not None
    answered = link.query(records.TRAFFIC, session.identity, form)
    assert answered.ok, answered


def test_the_same_visit_an_hour_later_is_refused_by_name(casestore: CaseStoreServer) -> None:
    """What the citizen sees when the proof no longer holds: a message, not a generic centre error."""
    link = HttpCentreLink(casestore.client(KIOSK))
    card = demo_cards()[0]
    old = dataclasses.replace(card, read_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), chip_sha256="a" * 64)
    assert link.query(records.TRAFFIC, old, {}).problem == "online.card_not_read"
    assert link.benefits(card).problem == "online.card_not_read"         # typed in, never read: no proof


def test_a_card_whose_name_is_not_on_record_is_told_so_at_the_kiosk(casestore: CaseStoreServer) -> None:
    link = HttpCentreLink(casestore.client(KIOSK))
    renamed = dataclasses.replace(demo_cards()[1], name="张明", read_at=dt.datetime.now(dt.UTC), chip_sha256="b" * 64)
    assert link.query(records.TRAFFIC, renamed, {}).problem == "online.name_mismatch"
    assert link.benefits(renamed).problem == "online.name_mismatch"
    link.close()


def test_an_ecredential_is_proof_when_the_centre_signed_it_for_that_id_number(tmp_path: Path) -> None:
    """The centre checks its own signature (a real SQLite store behind CardProofs; the HTTP path is the
    chip's, above)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'casestore.db'}")
    Base.metadata.create_all(engine)
    key, stranger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    proofs = card_proof.CardProofs(sessionmaker(engine), ecredential.parse_public_keys(
        ecredential.public_key_text(key.public_key())))
    now = dt.datetime.now(dt.UTC)
    holder = demo_cards()[0]

    def refusal(signer: Ed25519PrivateKey, id_number: str, issued: dt.datetime) -> str:
        payload = ecredential.issue(signer, holder, issued, dt.timedelta(minutes=10))
        try:
            proofs.check(id_number, SignedCredential(ecredential=payload), str(int(now.timestamp())), now)
        except HTTPException as refused:
            assert refused.status_code == 403
            return str(refused.detail)
        return ""

    assert refusal(key, holder.id_number, now) == ""
    assert refusal(stranger, holder.id_number, now) == card_proof.ECREDENTIAL.format("forged")
    assert refusal(key, holder.id_number, now - dt.timedelta(minutes=11)) == card_proof.ECREDENTIAL.format("expired")
    assert refusal(key, ID_NUMBER, now) == card_proof.ECREDENTIAL.format("for another ID number")
    engine.dispose()
