"""The case store as kiosks see it: a real server process over HTTP on 127.0.0.1."""
from __future__ import annotations

import base64
import hashlib
import json
import re
import signal
import subprocess
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any

import requests
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from uuid6 import uuid7

from sync.casestore.catalog_file import etag_matches
from sync.casestore.db import Application, StoredAttachment, make_engine
from sync.casestore.export import run_export
from tests.fixtures.casestore import CaseStoreFactory, CaseStoreServer

CASE_NUMBER = re.compile(r"XY\d{8}-\d{8}")
CATALOG = {
    "version": "2025.1",
    "services": [
        {
            "code": "TAX-001",
            "name": {"zh": "个人所得税纳税记录打印", "en": "Print individual income tax record"},
            "domain": "tax",
            "department": "税务局",
            "kind": "query_print",
            "legal_basis": "《中华人民共和国税收征收管理法》",
            "conditions": "本人办理",
            "materials": [],
            "time_limit_days": 0,
            "fee": "免费",
        }
    ],
}


KIOSK = "KIOSK-0101"


def application(**changes: Any) -> dict[str, Any]:
    """A body as the kiosk named by kiosk_id (KIOSK unless changed) sends it; its receipt number is its own."""
    kiosk_id = changes.get("kiosk_id") or KIOSK
    body: dict[str, Any] = {
        "idempotency_key": str(uuid7()),
        "kiosk_id": KIOSK,
        "kiosk_case_number": f"{kiosk_id}-20250301-0001",
        "service_code": "SS-017",
        "submitted_at": "2025-03-01T23:40:00+08:00",
        "applicant": {
            "name": "张三", "id_number": "11010519491231002X", "card_type": "resident", "sex": "2",
            "birth_date": "1949-12-31", "credential": "resident",
        },
        "form": {"reason": "退休", "count": "2"},
        "materials": [{"name": "户口簿", "supplied": True, "deadline": None},
                      {"name": "退休证", "supplied": False, "deadline": "2025-03-10"}],
        "promised_date": "2025-03-14",
        "attachments": [attachment(b"\xff\xd8 scan of the household register")],
    }
    body.update(changes)
    return body


def attachment(data: bytes, name: str = "户口簿") -> dict[str, str]:
    return {"name": name, "media_type": "image/jpeg", "sha256": hashlib.sha256(data).hexdigest(),
            "data": base64.b64encode(data).decode()}


def post(server: CaseStoreServer, body: dict[str, Any]) -> requests.Response:
    kiosk_id = body.get("kiosk_id") if isinstance(body, dict) else None
    return server.client(kiosk_id or KIOSK).request("POST", "/applications", json=body)


def get(server: CaseStoreServer, path: str, kiosk_id: str = "KIOSK-0101", **params: str) -> requests.Response:
    return server.client(kiosk_id).request("GET", path, params=params)


def stored_count(server: CaseStoreServer) -> int:
    return requests.get(f"{server.url}/api/v1/health", timeout=5).json()["applications"]


def test_new_application_is_stored_once_and_a_repeat_gets_the_same_case(casestore: CaseStoreServer) -> None:
    body = application()

    first = post(casestore, body)
    again = post(casestore, body)

    assert first.status_code == 201
    assert first.json()["duplicate"] is False
    assert first.json()["status"] == "received"
    assert first.json()["idempotency_key"] == body["idempotency_key"]
    assert CASE_NUMBER.fullmatch(first.json()["case_number"])
    assert again.status_code == 200
    assert again.json() == {**first.json(), "duplicate": True}
    assert stored_count(casestore) == 1


def test_invalid_bodies_get_422_and_store_nothing(casestore: CaseStoreServer) -> None:
    without_kiosk = application()
    del without_kiosk["kiosk_id"]
    invalid = {
        "missing kiosk_id": without_kiosk,
        "not a uuid": application(idempotency_key="not-a-uuid"),
        "uuid4, not uuid7": application(idempotency_key=str(uuid.uuid4())),
        "empty kiosk_id": application(kiosk_id=""),
        "blank kiosk_case_number": application(kiosk_case_number="   "),
        "time without zone": application(submitted_at="2025-03-01T23:40:00"),
        "applicant without id_number": application(applicant={"name": "张三", "card_type": "resident"}),
        "materials not a list": application(materials={"name": "户口簿"}),
        "bad promised_date": application(promised_date="14/03/2025"),
        "attachment digest mismatch": application(attachments=[{**attachment(b"a"), "sha256": "0" * 64}]),
        "attachment not base64": application(attachments=[{**attachment(b"a"), "data": "%%%"}]),
        "attachment digest upper-case": application(attachments=[{**attachment(b"a"),
                                                                   "sha256": attachment(b"a")["sha256"].upper()}]),
        "not an object": [application()],
    }

    answers = {name: post(casestore, body).status_code for name, body in invalid.items()}
    not_json = casestore.client(KIOSK).request(
        "POST", "/applications", data=b"{", headers={"Content-Type": "application/json"})

    assert answers == dict.fromkeys(invalid, 422)
    assert (not_json.status_code, not_json.json()["detail"]) == (400, "body is not JSON (at byte 1)")
    assert stored_count(casestore) == 0


def test_stored_application_is_read_back_by_its_kiosk_as_a_status_only(casestore: CaseStoreServer) -> None:
    body = application()
    case_number = post(casestore, body).json()["case_number"]

    by_number = get(casestore, f"/applications/{case_number}")
    by_key = get(casestore, "/applications", idempotency_key=body["idempotency_key"])

    assert by_number.status_code == 200
    assert by_number.json() == by_key.json() == {
        "case_number": case_number, "idempotency_key": body["idempotency_key"], "kiosk_id": KIOSK,
        "kiosk_case_number": body["kiosk_case_number"], "service_code": body["service_code"],
        "received_at": by_number.json()["received_at"], "status": "received"}
    # What the kiosk sent is at the centre, for its staff, not for a kiosk credential to read back.
    with make_engine(casestore.db_url).connect() as conn:
        stored = conn.execute(select(Application.payload, Application.submitted_at)).one()
        scans = conn.execute(select(StoredAttachment.name, StoredAttachment.size, StoredAttachment.sha256)).all()
    payload = json.loads(stored.payload)
    for field in ("idempotency_key", "kiosk_id", "kiosk_case_number", "service_code", "submitted_at",
                  "applicant", "form", "materials", "promised_date"):
        assert payload[field] == body[field], field
    sent = body["attachments"][0]
    assert [tuple(scan) for scan in scans] == [(sent["name"], len(base64.b64decode(sent["data"])), sent["sha256"])]
    # The server's log may name cases, never the citizen.
    assert body["applicant"]["id_number"] not in casestore.log_text()
    assert body["applicant"]["name"] not in casestore.log_text()


def test_unknown_cases_are_404(casestore: CaseStoreServer) -> None:
    unknown_number = get(casestore, "/applications/XY20250301-00000001")
    unknown_key = get(casestore, "/applications", idempotency_key=str(uuid7()))
    bad_key = get(casestore, "/applications", idempotency_key="x")

    assert (unknown_number.status_code, unknown_key.status_code, bad_key.status_code) == (404, 404, 422)


def test_two_servers_on_one_database_store_each_key_once(casestore_factory: CaseStoreFactory) -> None:
    first = casestore_factory()
    second = casestore_factory(db_url=first.db_url)
    bodies = [application(kiosk_case_number=f"{KIOSK}-{n:04d}") for n in range(30)]
    # Every application is pushed twice to each server at the same instant, as retrying kiosks
    # behind a balancer would; the barrier makes the four pushes race past the duplicate lookup.
    barriers = {body["idempotency_key"]: threading.Barrier(4) for body in bodies}
    attempts = [(server, body) for body in bodies for server in (first, second, first, second)]
    first.client(KIOSK), second.client(KIOSK)        # enrolled once, before the race

    def push(attempt: tuple[CaseStoreServer, dict[str, Any]]) -> requests.Response:
        server, body = attempt
        barriers[body["idempotency_key"]].wait(timeout=10)
        return post(server, body)

    # Workers take attempts in order, so each group of four always gets its four threads.
    with ThreadPoolExecutor(max_workers=24) as pool:
        answers = list(pool.map(push, attempts))

    by_key: dict[str, list[requests.Response]] = {}
    for (_server, body), answer in zip(attempts, answers, strict=True):
        by_key.setdefault(body["idempotency_key"], []).append(answer)
    for key, key_answers in by_key.items():
        assert sorted(a.status_code for a in key_answers) == [200, 200, 200, 201], key
        assert len({a.json()["case_number"] for a in key_answers}) == 1, key
    case_numbers = {a.json()["case_number"] for a in answers}
    assert len(case_numbers) == len(bodies)
    exported = list(run_export(first.db_url))
    assert sorted(row["idempotency_key"] for row in exported) == sorted(by_key)
    assert {row["case_number"] for row in exported} == case_numbers
    assert stored_count(first) == stored_count(second) == len(bodies)


def test_catalog_has_a_strong_etag_and_answers_304_when_unchanged(
    casestore_factory: CaseStoreFactory, tmp_path: Path
) -> None:
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(json.dumps(CATALOG, ensure_ascii=False), encoding="utf-8")
    server = casestore_factory(catalog=catalog_file)
    url = f"{server.url}/api/v1/catalog"

    fresh = requests.get(url, timeout=5)
    etag = fresh.headers["ETag"]
    unchanged = requests.get(url, headers={"If-None-Match": etag}, timeout=5)
    weak_form = requests.get(url, headers={"If-None-Match": f'"other", W/{etag}'}, timeout=5)
    other = requests.get(url, headers={"If-None-Match": '"other"'}, timeout=5)

    assert fresh.status_code == 200
    assert fresh.headers["Content-Type"] == "application/json"
    assert fresh.content == catalog_file.read_bytes()
    assert re.fullmatch(r'"[0-9a-f]{64}"', etag)
    assert (unchanged.status_code, unchanged.content, unchanged.headers["ETag"]) == (304, b"", etag)
    assert weak_form.status_code == 304
    assert (other.status_code, other.content) == (200, fresh.content)


def test_catalog_defaults_to_the_one_bundled_with_the_kiosk(casestore: CaseStoreServer) -> None:
    served = requests.get(f"{casestore.url}/api/v1/catalog", timeout=5)

    assert served.status_code == 200
    assert served.content == resources.files("kiosk").joinpath("data/catalog.json").read_bytes()


def test_catalog_is_reread_and_a_broken_one_is_not_served(casestore_factory: CaseStoreFactory, tmp_path: Path) -> None:
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(json.dumps(CATALOG), encoding="utf-8")
    server = casestore_factory(catalog=catalog_file)
    url = f"{server.url}/api/v1/catalog"
    old_etag = requests.get(url, timeout=5).headers["ETag"]

    catalog_file.write_text(json.dumps({**CATALOG, "version": "2025.2"}), encoding="utf-8")
    updated = requests.get(url, headers={"If-None-Match": old_etag}, timeout=5)
    catalog_file.write_text(json.dumps({"services": [{"code": "TAX-001"}]}), encoding="utf-8")
    invalid = requests.get(url, timeout=5)
    catalog_file.unlink()
    missing = requests.get(url, timeout=5)

    assert updated.status_code == 200
    assert updated.json()["version"] == "2025.2"
    assert updated.headers["ETag"] != old_etag
    assert invalid.status_code == 503
    assert "TAX-001" in invalid.json()["detail"]
    assert missing.status_code == 503


def test_export_prints_one_json_line_per_application(casestore: CaseStoreServer) -> None:
    scans = [[], [attachment(b"one")], [attachment(b"two", "身份证正面"), attachment(b"three", "身份证反面")]]
    receipts = [post(casestore, application(kiosk_case_number=f"{KIOSK}-{n:04d}", attachments=scans[n])).json()
                for n in range(3)]

    result = subprocess.run(
        [sys.executable, "-m", "sync.casestore.export", "--db", casestore.db_url, "--json"],
        capture_output=True, text=True, timeout=30, check=True,
    )

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["case_number"] for line in lines] == [r["case_number"] for r in receipts]
    assert [line["idempotency_key"] for line in lines] == [r["idempotency_key"] for r in receipts]
    assert [line["kiosk_case_number"] for line in lines] == [f"{KIOSK}-{n:04d}" for n in range(3)]
    assert all(set(line) == {"case_number", "kiosk_case_number", "kiosk_id", "idempotency_key", "received_at",
                             "attachments", "missing_materials"} for line in lines)
    assert [line["missing_materials"] for line in lines] == [[], [], []]
    assert [line["attachments"] for line in lines] == [
        [{"name": a["name"], "sha256": a["sha256"], "size": len(base64.b64decode(a["data"]))} for a in sent]
        for sent in scans]


def test_an_application_without_attachments_is_still_accepted(casestore: CaseStoreServer) -> None:
    body = application()
    del body["attachments"]
    assert post(casestore, body).status_code == 201


def test_answered_applications_survive_a_killed_server(casestore: CaseStoreServer) -> None:
    body = application()
    before = post(casestore, body).json()

    casestore.kill()
    casestore.start()
    after_restart = post(casestore, body)
    another = post(casestore, application())

    assert (after_restart.status_code, after_restart.json()["case_number"]) == (200, before["case_number"])
    assert another.status_code == 201
    assert another.json()["case_number"] != before["case_number"]
    assert stored_count(casestore) == 2


def test_graceful_stop_exits_zero(casestore: CaseStoreServer) -> None:
    casestore.stop()

    assert casestore.returncode == 0
    assert f"case store listening on {casestore.url}" in casestore.log_text()


def test_serve_on_port_zero_names_the_port_it_got(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "sync.casestore.serve", "--db", f"sqlite:///{tmp_path / 'cs.db'}", "--port", "0"]
    with subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True) as process:
        try:
            assert process.stderr is not None
            ready = next(line for line in process.stderr if "case store listening on" in line)
            url = ready.split("listening on ")[1].strip()
            health = requests.get(f"{url}/api/v1/health", timeout=5).json()
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=10)
        finally:
            process.kill()

    assert health == {"status": "ok", "applications": 0}
    assert process.returncode == 0


def test_openapi_documents_the_contract(casestore: CaseStoreServer) -> None:
    spec = requests.get(f"{casestore.url}/openapi.json", timeout=5).json()

    assert spec["info"]["title"] == "Kiosk24 case store"
    assert {"/api/v1/applications", "/api/v1/applications/{case_number}", "/api/v1/catalog", "/api/v1/health"} <= set(
        spec["paths"]
    )
    assert set(spec["paths"]["/api/v1/applications"]["post"]["responses"]) >= {"200", "201", "422"}
    submitted = spec["components"]["schemas"]["ApplicationIn"]["properties"]
    assert "UUIDv7" in submitted["idempotency_key"]["description"]


@given(
    etag=st.from_regex(r'"[0-9a-f]{8}"', fullmatch=True),
    others=st.lists(st.from_regex(r'(W/)?"[g-z]{1,8}"', fullmatch=True), max_size=3),
    position=st.integers(min_value=0, max_value=3),
    weak=st.booleans(),
    space=st.sampled_from(["", " ", "  "]),
)
def test_if_none_match_finds_the_etag_among_others(
    etag: str, others: list[str], position: int, weak: bool, space: str
) -> None:
    listed = [*others[:position], ("W/" if weak else "") + etag, *others[position:]]

    assert etag_matches(f",{space}".join(listed), etag)
    assert not etag_matches(",".join(others), etag)


def test_a_kiosks_first_heartbeats_arriving_together_are_both_kept(casestore: CaseStoreServer) -> None:
    """The app's worker and a technician's check may beat at the same moment; the first beat of a kiosk
    inserts its row, so two at once raced to insert it (500 for the loser)."""
    from concurrent.futures import ThreadPoolExecutor

    from sync.client import CentreClient
    from sync.signing import Signer

    report = {"at": "2026-11-25T10:00:00+00:00", "sync_state": "online", "devices": [],
              "queue": {"pending": 0, "dead": 0, "delivered": 0, "oldest_pending_age_s": None}}
    for round_number in range(10):
        kiosk_id = f"XY-RACE-{round_number:02d}"
        signer = Signer(kiosk_id, casestore.enrol(kiosk_id))
        clients = [CentreClient(casestore.url, signer, centre_key=lambda: casestore.centre_public_key)
                   for _ in range(4)]
        with ThreadPoolExecutor(len(clients)) as pool:
            answers = list(pool.map(lambda client: client.heartbeat(report), clients))
        assert all("received_at" in answer for answer in answers)
        for client in clients:
            client.close()


def test_export_and_follow_ups_without_a_store_say_so_and_create_nothing(tmp_path: Path) -> None:
    """Issue 14: run without --db in a folder without the store, they made an empty casestore.db and crashed."""
    empty = tmp_path / "empty.db"
    empty.touch()                                       # a file that is no case store
    kiosk24 = Path(sys.executable).with_name("kiosk24")
    for command in ("export", "follow-ups"):
        for extra in ((), ("--db", f"sqlite:///{empty}")):
            result = subprocess.run([str(kiosk24), "casestore", command, *extra], cwd=tmp_path,
                                    capture_output=True, text=True, timeout=60)
            assert result.returncode == 2, (command, extra, result.stderr)
            assert "give --db the URL `kiosk24 casestore serve` uses" in result.stderr
            assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]
