"""The message queue on a real SQLite file: ratings, complaints, help calls and audit events kept sealed
until the centre has them."""
from __future__ import annotations

import datetime as dt
import functools
import json
import operator
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kiosk import feedback_sent
from kiosk.application import CHINA_TZ, new_key
from kiosk.help import HelpRequest
from kiosk.messages import AuditBody, ComplaintBody, RatingBody, help_body
from kiosk.storage import MessageRow, damaged_copies, open_database
from sync.casestore.db import Heartbeat, make_engine
from sync.casestore.follow_ups import follow_ups
from sync.client import CentreClient
from sync.messages import MessageOutbox
from sync.outbox import Outbox
from sync.signing import Signer
from sync.worker import Backoff, SyncWorker
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.common import wait_until
from tests.fixtures.core import NOW, make_application
from tests.fixtures.kiosk import KioskUnderTest
from tests.fixtures.proxy import FaultyProxy
from tests.test_cli import kiosk24
from tests.test_sync_storage import damage_table

KIOSK_ID = "XY-TEST-01"
COMMENT = "打印机卡纸两次，工作人员电话一直占线"


def rating(score: int = 2, case_number: str | None = None, comment: str | None = COMMENT) -> RatingBody:
    return RatingBody(id=new_key(), service_code="T-001", case_number=case_number, score=score,
                      reasons=["slow", "device_fault"], comment=comment, rated_at=NOW.isoformat())


def complaint(category: str = "cant_get_done") -> ComplaintBody:
    return ComplaintBody(id=new_key(), category=category, service_code="T-001",  # type: ignore[typeddict-item]
                         case_number=None, text="跑了三次还是办不成", contact_mobile="13812345678",
                         submitted_at=NOW.isoformat())


@pytest.fixture
def messages(tmp_path: Path) -> MessageOutbox:
    return MessageOutbox(open_database(tmp_path / "kiosk.db"), KIOSK_ID)


def test_a_message_is_queued_once_per_key(messages: MessageOutbox) -> None:
    body = rating()
    assert messages.send("rating", body["id"], dict(body)).ok
    assert messages.send("rating", body["id"], dict(body)).ok            # the screen's retry: nothing new
    [row] = messages.rows()
    assert (row.key, row.kind, row.state, row.attempts) == (body["id"], "rating", "pending", 0)
    assert messages.status().pending == 1


def test_the_body_is_sealed_at_rest(tmp_path: Path, messages: MessageOutbox) -> None:
    body = complaint()
    assert messages.send("complaint", body["id"], dict(body)).ok
    messages.engine.dispose()                                            # everything on disk, WAL included
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("kiosk.db*") if p.is_file())
    for secret in ("跑了三次还是办不成", "13812345678"):
        assert secret.encode() not in stored
    [claimed] = messages.claim()
    assert claimed.body == body and claimed.kind == "complaint"


def test_an_unknown_kind_or_a_mismatched_id_is_refused_plainly(messages: MessageOutbox) -> None:
    unknown = messages.send("postcard", new_key(), {"text": "hi"})
    wrong_id = messages.send("rating", new_key(), dict(rating()))
    not_json = messages.send("audit", new_key(), {"at": dt.datetime.now(CHINA_TZ)})
    assert [o.problem for o in (unknown, wrong_id, not_json)] == ["messages.store_failed"] * 3
    assert "postcard" in unknown.detail and "not the key" in wrong_id.detail
    assert "technician: Field required" in not_json.detail          # checked by the wire schema, here
    assert messages.rows() == []


def test_a_missing_key_file_is_a_named_failure_that_loses_nothing_queued(
        tmp_path: Path, messages: MessageOutbox) -> None:
    kept = rating()
    assert messages.send("rating", kept["id"], dict(kept)).ok
    (tmp_path / "outbox.key").rename(tmp_path / "outbox.key.away")
    lost = rating()
    outcome = messages.send("rating", lost["id"], dict(lost))
    assert outcome.problem == "messages.store_failed" and "key file" in outcome.detail
    (tmp_path / "outbox.key.away").rename(tmp_path / "outbox.key")
    assert [r.key for r in messages.rows()] == [kept["id"]] and messages.claim()[0].body == kept


def test_key_rotation_reseals_messages_and_keeps_them_readable(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "kiosk.db")
    outbox = Outbox(engine, KIOSK_ID)
    messages = MessageOutbox(engine, KIOSK_ID, outbox.keyring)
    body = rating()
    messages.send("rating", body["id"], dict(body))
    old_key = outbox.keyring.current_id
    resealed, dropped = outbox.rotate_key((messages,))
    assert resealed == 1 and dropped == [old_key]
    [claimed] = messages.claim()
    assert claimed.body["comment"] == COMMENT


def test_rotation_never_drops_a_key_a_message_still_needs(tmp_path: Path) -> None:
    """Even a caller that forgets the message queue cannot make its bodies unreadable."""
    engine = open_database(tmp_path / "kiosk.db")
    outbox = Outbox(engine, KIOSK_ID)
    messages = MessageOutbox(engine, KIOSK_ID, outbox.keyring)
    body = rating()
    messages.send("rating", body["id"], dict(body))
    _resealed, dropped = outbox.rotate_key()
    assert dropped == []
    assert messages.claim()[0].body == body


def test_claims_are_exclusive_across_processes_sharing_the_file(tmp_path: Path, messages: MessageOutbox) -> None:
    for _ in range(30):
        body = rating()
        messages.send("rating", body["id"], dict(body))
    taken: list[str] = []
    lock = threading.Lock()

    def worker() -> None:        # its own engine and connections, as another process has
        mine = MessageOutbox(open_database(tmp_path / "kiosk.db"), KIOSK_ID, messages.keyring)
        while batch := mine.claim(limit=3):
            with lock:
                taken.extend(item.key for item in batch)
        mine.engine.dispose()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == len(set(taken)) == 30


def test_a_dead_process_claim_returns_to_the_queue(messages: MessageOutbox) -> None:
    body = rating()
    messages.send("rating", body["id"], dict(body))
    [claimed] = messages.claim()
    with messages.engine.begin() as conn:           # as if a sync process was killed holding the claim
        conn.execute(sa.update(MessageRow).values(claimed_by=2 ** 22 + 1))     # above any pid Linux gives
    assert messages.claim() == [] and messages.release_stale() == 1
    [again] = messages.claim()
    assert (again.key, again.attempts) == (claimed.key, 2)


def test_messages_survive_a_damaged_database(tmp_path: Path, messages: MessageOutbox) -> None:
    kept = [rating() for _ in range(5)]
    for body in kept:
        messages.send("rating", body["id"], dict(body))
    messages.engine.dispose()                                  # checkpoints the WAL into the file
    damage_table(tmp_path / "kiosk.db", "attachments")        # another table fails; the file is set aside
    salvaged = MessageOutbox(open_database(tmp_path / "kiosk.db"), KIOSK_ID)
    assert damaged_copies(tmp_path / "kiosk.db")
    assert [c.body for c in salvaged.claim(limit=10)] == kept


def test_rows_never_carry_the_body(messages: MessageOutbox) -> None:
    body = rating()
    messages.send("rating", body["id"], dict(body))
    [row] = messages.rows()
    assert COMMENT not in repr(row) and set(row.as_dict()) == {
        "key", "kind", "state", "attempts", "last_error", "created_at"}


# -- delivery to a real case store ------------------------------------------------------------------------

def help_call(kiosk_id: str = KIOSK_ID) -> dict[str, object]:
    request = HelpRequest.new(kiosk_id=kiosk_id, location="信阳市政务服务中心", screen="form", service_code="T-001",
                              language="zh_CN", assisted=True, audio_only=False, requested_at=NOW)
    return dict(help_body(request))


def audit_event() -> AuditBody:
    return AuditBody(id=new_key(), technician="tech-07", action="queue.retry", detail="2 dead letters",
                     at=NOW.isoformat())


def one_of_each(messages: MessageOutbox) -> dict[str, dict[str, object]]:
    bodies = {"rating": dict(rating()), "complaint": dict(complaint()), "help": help_call(),
              "audit": dict(audit_event())}
    for kind, body in bodies.items():
        assert messages.send(kind, str(body["id"]), body).ok
    return bodies


def worker_to(url: str, server: CaseStoreServer, messages: MessageOutbox) -> SyncWorker:
    outbox = Outbox(messages.engine, KIOSK_ID, messages.keyring)
    client = CentreClient(url, Signer(KIOSK_ID, server.enrol(KIOSK_ID)), timeout_s=5,
                          centre_key=lambda: server.centre_public_key)
    return SyncWorker(outbox, client, backoff=Backoff(0.01, 0.05), messages=messages)


def at_centre(server: CaseStoreServer) -> dict[str, list[str]]:
    """The ids each collection holds, whichever kiosk sent them, straight from the centre's database."""
    engine = make_engine(server.db_url)
    try:
        with engine.connect() as conn:
            return {table: conn.execute(sa.text(f"SELECT id FROM {table}")).scalars().all()
                    for table in ("kiosk_ratings", "kiosk_complaints", "help_requests", "audit_events")}
    finally:
        engine.dispose()


@pytest.fixture
def worker(messages: MessageOutbox, casestore: CaseStoreServer) -> Iterator[SyncWorker]:
    made = worker_to(casestore.url, casestore, messages)
    yield made
    made.client.close()


def test_each_kind_reaches_its_collection_once_though_answers_are_lost(
        messages: MessageOutbox, casestore: CaseStoreServer, faulty_proxy: type[FaultyProxy]) -> None:
    proxy = faulty_proxy(casestore.port, seed=24, weights={"drop_answer": 3, "pass": 1, "error_500": 1})
    bodies = one_of_each(messages)
    worker = worker_to(proxy.url, casestore, messages)
    try:
        for _ in range(40):
            worker.run_once(force=True)
            if messages.status().pending == 0:
                break
    finally:
        worker.client.close()
    assert proxy.fates["drop_answer"] >= 1                      # the centre committed and the kiosk never heard
    assert messages.status().as_dict() | {"oldest_pending_age_s": None} == {
        "pending": 0, "dead": 0, "delivered": 4, "oldest_pending_age_s": None}
    assert at_centre(casestore) == {"kiosk_ratings": [bodies["rating"]["id"]],
                                    "kiosk_complaints": [bodies["complaint"]["id"]],
                                    "help_requests": [bodies["help"]["id"]], "audit_events": [bodies["audit"]["id"]]}


def test_messages_wait_while_the_centre_is_down_then_arrive(
        messages: MessageOutbox, casestore: CaseStoreServer, worker: SyncWorker) -> None:
    casestore.stop()
    bodies = one_of_each(messages)
    worker.run_once()
    assert worker.state == "offline" and messages.status().pending == 4
    assert all(row.last_error and row.state == "pending" for row in messages.rows())
    casestore.start()
    worker.run_once(force=True)
    assert {row.state for row in messages.rows()} == {"delivered"}
    stored = functools.reduce(operator.iadd, at_centre(casestore).values(), [])
    assert sorted(stored) == sorted(str(b["id"]) for b in bodies.values())


def test_a_body_the_wire_schema_refuses_stays_at_the_kiosk_with_its_reason(messages: MessageOutbox) -> None:
    refused = rating()
    refused["comment"] = COMMENT * 80                              # longer than the centre takes
    outcome = messages.send("rating", refused["id"], dict(refused))
    assert outcome.problem == "messages.store_failed" and "comment" in outcome.detail and "1000" in outcome.detail
    assert COMMENT not in outcome.detail                           # the citizen's words are in no reason
    assert messages.rows() == []


def test_a_body_the_centre_refuses_becomes_a_dead_letter_with_its_reason(
        messages: MessageOutbox, casestore: CaseStoreServer, worker: SyncWorker) -> None:
    refused, fine = help_call("XY-SOMEONE-ELSE"), rating(score=4)     # fits the schema; the centre refuses it
    messages.send("help", refused["id"], dict(refused))
    messages.send("rating", fine["id"], dict(fine))
    worker.run_once()
    dead = {row.key: row for row in messages.rows("dead")}
    assert list(dead) == [refused["id"]]
    assert "HTTP 403" in dead[refused["id"]].last_error
    assert at_centre(casestore)["kiosk_ratings"] == [fine["id"]]
    assert messages.retry_dead() == 1 and messages.status().pending == 1      # a technician may try again


def test_a_bad_rating_of_a_kiosk_case_is_flagged_for_follow_up_at_the_centre(
        messages: MessageOutbox, casestore: CaseStoreServer, worker: SyncWorker) -> None:
    case_number = worker.outbox.submit(make_application()).value
    bad, good, no_case = rating(score=1, case_number=case_number), rating(score=5, case_number=case_number), \
        rating(score=2, case_number=None, comment=None)
    for body in (bad, good, no_case):
        messages.send("rating", body["id"], dict(body))
    report = complaint("cant_get_done")
    messages.send("complaint", report["id"], dict(report))
    worker.run_once()
    [application] = worker.outbox.rows()
    listed = casestore.client(KIOSK_ID).request("GET", "/ratings", params={"follow_up": "true"}).json()
    assert [(r["id"], r["central_case_number"]) for r in listed] == [
        (no_case["id"], None), (bad["id"], application.central_case_number)]
    assert listed[1]["reasons"] == ["slow", "device_fault"] and "comment" not in listed[1]   # words: staff only
    everything = casestore.client(KIOSK_ID).request("GET", "/ratings").json()
    assert [r["follow_up"] for r in everything] == [True, False, True]
    calls = follow_ups(casestore.db_url)                       # the staff's list, every kiosk's
    assert [(c["kind"], c["id"]) for c in calls] == [
        ("rating", bad["id"]), ("rating", no_case["id"]), ("complaint", report["id"])]
    assert calls[0]["central_case_number"] == application.central_case_number and calls[0]["text"] == COMMENT
    assert (calls[2]["category"], calls[2]["contact_mobile"]) == ("cant_get_done", "13812345678")



def test_every_complaint_reaches_the_follow_up_list_with_the_reference_the_citizen_holds(
        messages: MessageOutbox, casestore: CaseStoreServer, worker: SyncWorker, tmp_path: Path) -> None:
    """有诉必办 (art. 27): a complaint and a suggestion are followed up like 办不成事, and staff find each
    by the reference printed on the citizen's slip."""
    sent = [complaint(category) for category in ("complaint", "suggestion", "cant_get_done")]
    for body in sent:
        messages.send("complaint", body["id"], dict(body))
    worker.run_once()
    calls = follow_ups(casestore.db_url)
    assert sorted((c["category"], c["reference"]) for c in calls) == sorted(
        (body["category"], feedback_sent.reference(body["id"])) for body in sent)
    assert kiosk24("casestore", "follow-ups", "--db", casestore.db_url, data_dir=tmp_path).stdout.count(
        feedback_sent.reference(sent[0]["id"])) == 1


def test_help_calls_and_audit_events_are_each_kiosks_own(
        messages: MessageOutbox, casestore: CaseStoreServer, worker: SyncWorker) -> None:
    bodies = one_of_each(messages)
    worker.run_once()
    mine, other = casestore.client(KIOSK_ID), casestore.client("XY-OTHER-02")
    [call] = mine.request("GET", "/help-requests").json()
    assert call["id"] == bodies["help"]["id"] and call["screen"] == "form" and call["assisted"] is True
    assert [e["action"] for e in mine.request("GET", "/audit-events").json()] == ["queue.retry"]
    assert other.request("GET", "/help-requests").json() == other.request("GET", "/audit-events").json() == []
    posing = other.request("POST", "/help-requests", json=help_call(kiosk_id=KIOSK_ID))
    stolen_id = other.request("POST", "/audit-events", json=bodies["audit"])
    again = mine.request("POST", "/audit-events", json=bodies["audit"])
    assert (posing.status_code, stolen_id.status_code, again.status_code) == (403, 409, 200)


def test_the_heartbeat_reports_the_message_queue(
        messages: MessageOutbox, casestore: CaseStoreServer, worker: SyncWorker) -> None:
    refused = help_call("XY-SOMEONE-ELSE")                 # the centre refuses it: a dead letter
    messages.send("help", str(refused["id"]), refused)
    worker.run_once()
    waiting = complaint()
    messages.send("complaint", waiting["id"], dict(waiting))
    worker.heartbeat()
    engine = make_engine(casestore.db_url)
    with engine.connect() as conn:
        report = json.loads(conn.execute(sa.select(Heartbeat.report)).scalar_one())
    engine.dispose()
    assert (report["messages"]["pending"], report["messages"]["dead"]) == (1, 1)


def test_the_queue_commands_show_messages_beside_applications(tmp_path: Path, casestore: CaseStoreServer) -> None:
    messages = MessageOutbox(open_database(tmp_path / "kiosk.db"), KIOSK_ID)
    body = rating()
    messages.send("rating", body["id"], dict(body))
    status = json.loads(kiosk24("queue", "status", "--json", data_dir=tmp_path).stdout)
    assert {"pending", "dead", "delivered", "oldest_pending_age_s"} <= set(status) and status["pending"] == 0
    assert status["messages"]["pending"] == 1 and status["messages"]["oldest_pending_age_s"] >= 0
    synced = kiosk24("sync", "--once", data_dir=tmp_path, KIOSK24_CENTRE_URL=casestore.url,
                     KIOSK24_CREDENTIAL=casestore.enrol(KIOSK_ID))
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout.splitlines()[-1])["messages"]["delivered"] == 1
    [listed] = [json.loads(line) for line in
                kiosk24("queue", "list", "--messages", "--json", data_dir=tmp_path).stdout.splitlines()]
    assert (listed["key"], listed["kind"], listed["state"]) == (body["id"], "rating", "delivered")
    assert COMMENT not in json.dumps(listed, ensure_ascii=False)


@pytest.mark.gui
def test_a_help_call_from_the_screen_reaches_the_centres_staff(kiosk_app: KioskUnderTest) -> None:
    from PySide6.QtCore import Qt

    app = kiosk_app
    app.kiosk.controller.start()                                  # past the attract screen, as a touch would
    app.qtbot.mouseClick(app.window.header_button("help"), Qt.LeftButton)
    app.qtbot.waitUntil(app.window.help.isVisible, timeout=5000)
    centre = app.casestore.client(app.kiosk.config.kiosk_id)
    wait_until(lambda: centre.request("GET", "/help-requests").json(), timeout=10)
    # the centre may hold the call before the kiosk has marked its queued copy delivered: wait for both
    wait_until(lambda: [row.state for row in app.kiosk.worker.messages.rows()] == ["delivered"], timeout=10)
    [call] = centre.request("GET", "/help-requests").json()      # and still one call, not two
    assert (call["kiosk_id"], call["location"]) == (app.kiosk.config.kiosk_id, app.kiosk.config.location)
