"""Issue 13, "limits before work": each attack of the table against the real case store on 127.0.0.1,
passing because it now fails. sync/casestore/limits.py and sync/wire.py hold the limits."""
from __future__ import annotations

import json
import time

import requests
from sqlalchemy import func, select

from sync.casestore.db import Application, make_engine
from tests.fixtures.casestore import CaseStoreServer
from tests.security.centre_attacks import MIB, closed_by_server, rss_bytes, send_body, signature_headers, stall
from tests.test_casestore import application, attachment

KIOSK = "KIOSK-0101"
MARKER = "ZZ-CITIZEN-DATA-ZZ"       # stands for a citizen's data: never in an answer or the log


def stored(server: CaseStoreServer) -> int:
    with make_engine(server.db_url).connect() as conn:
        return conn.execute(select(func.count()).select_from(Application)).scalar_one()


def test_a_200_mib_unsigned_body_is_refused_unread_and_costs_no_memory(casestore: CaseStoreServer) -> None:
    casestore.client(KIOSK)                                 # enrolled, so its id is a known one
    before = rss_bytes(casestore)
    answers = [send_body(casestore, "/api/v1/applications", {}, 200 * MIB, chunked=chunked)
               for chunked in (False, True, False, True)]   # the four: announced and chunked
    after = rss_bytes(casestore)
    print(f"\ncase store RSS before {before / MIB:.1f} MiB, after four 200 MiB unsigned bodies {after / MIB:.1f} MiB; "
          f"body bytes let in: {[a.sent for a in answers]}")
    assert [a.status for a in answers] == [413, 401, 413, 401]
    assert all(a.sent <= 8 * MIB for a in answers)          # refused at once, not after reading it
    assert after - before < 20 * MIB


def test_a_body_past_the_cap_is_refused_while_it_streams(casestore: CaseStoreServer) -> None:
    """Well-formed signature headers (anyone can write them) let a body in, up to the endpoint's cap."""
    casestore.client(KIOSK)
    before = rss_bytes(casestore)
    big = send_body(casestore, "/api/v1/applications", signature_headers(KIOSK), 200 * MIB, chunked=True)
    small = send_body(casestore, "/api/v1/heartbeats", signature_headers(KIOSK), 10 * MIB, chunked=True)
    after = rss_bytes(casestore)
    print(f"\ncase store RSS before {before / MIB:.1f} MiB, after a signed-looking 200 MiB body {after / MIB:.1f} MiB")
    assert (big.status, small.status) == (413, 413)
    # The caps are 48 MiB and 64 KiB; what "sent" counts beyond them sat in the sockets' buffers, unread.
    assert big.sent <= 64 * MIB and small.sent <= 8 * MIB
    assert after - before < 120 * MIB
    assert stored(casestore) == 0


def test_connections_stalled_mid_body_are_let_go(casestore: CaseStoreServer) -> None:
    casestore.client(KIOSK)
    stalled = [stall(casestore, "/api/v1/heartbeats", signature_headers(KIOSK), 1000, b'{"at": "20')
               for _ in range(300)]
    try:
        deadline = time.monotonic() + 30                    # the issue saw all still open after 40 s
        open_ = stalled
        while open_ and time.monotonic() < deadline:
            time.sleep(0.5)
            open_ = [sock for sock in open_ if not closed_by_server(sock)]
        assert open_ == []
        assert requests.get(f"{casestore.url}/api/v1/health", timeout=5).ok
    finally:
        for sock in stalled:
            sock.close()


def signed(server: CaseStoreServer, method: str, path: str, raw: bytes = b"", **params: str) -> requests.Response:
    return server.client(KIOSK).request(method, path, data=raw or None, params=params or None,
                                        headers={"Content-Type": "application/json"})


def heartbeat(**changes: object) -> dict[str, object]:
    return {"at": "2026-11-25T10:00:00+00:00", "sync_state": "ok",
            "queue": {"pending": 0, "dead": 0, "delivered": 0, "oldest_pending_age_s": None}, **changes}


def test_malformed_requests_are_4xx_naming_the_problem_never_500_nor_the_input(casestore: CaseStoreServer) -> None:
    good = json.dumps(heartbeat(version=MARKER))
    deep = "[" * 300 + "]" * 300
    bodies = {
        "NaN": good.replace('"pending": 0', '"pending": NaN'),
        "Infinity": good.replace('"oldest_pending_age_s": null', '"oldest_pending_age_s": Infinity'),
        "lone surrogate": good.replace(MARKER, MARKER + "\\ud800"),
        "NUL": good.replace(MARKER, MARKER + "\\u0000"),
        "1e400": good.replace('"oldest_pending_age_s": null', '"oldest_pending_age_s": 1e400'),
        "nested 300 deep": json.dumps(heartbeat(version=MARKER))[:-1] + f', "devices": {deep}}}',
        "integer past 64 bits": good.replace('"pending": 0', f'"pending": {10**30}'),
        "oldest_pending_age_s 1e12": good.replace('"oldest_pending_age_s": null', '"oldest_pending_age_s": 1e12'),
        "not JSON": MARKER + "{",
    }
    answers = {name: signed(casestore, "POST", "/heartbeats", body.encode()) for name, body in bodies.items()}
    cursor = signed(casestore, "GET", "/status-changes", after=str(2**64))
    nul_path = signed(casestore, "GET", "/applications/XY%00")

    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses == {"NaN": 400, "Infinity": 400, "lone surrogate": 400, "NUL": 400, "1e400": 400,
                        "nested 300 deep": 400,
                        "integer past 64 bits": 400, "oldest_pending_age_s 1e12": 422, "not JSON": 400}
    assert (cursor.status_code, nul_path.status_code) == (422, 400)
    for name, answer in answers.items():
        assert MARKER not in answer.text, name
    assert "NaN" in answers["NaN"].json()["detail"] and "surrogate" in answers["lone surrogate"].json()["detail"]
    assert "deeper" in answers["nested 300 deep"].json()["detail"]
    assert answers["oldest_pending_age_s 1e12"].json()["detail"][0]["loc"][-1] == "oldest_pending_age_s"
    assert MARKER not in casestore.log_text() and str(2**64) not in cursor.text
    assert " 500 " not in casestore.log_text()


def test_oversized_applications_are_refused_and_nothing_is_stored(casestore: CaseStoreServer) -> None:
    scan = attachment(b"\xff\xd8 page")
    bodies = {
        "2,000 attachments": application(attachments=[scan] * 2000),
        "10,000 form fields": application(form={f"f{n}": "x" for n in range(10_000)}),
        "a 1 MB applicant field": application(applicant={"name": "张" * 1_000_000, "id_number": "11010519491231002X",
                                                          "card_type": "resident"}),
        "a field the schema does not name": application(surplus=MARKER),
    }
    answers = {name: signed(casestore, "POST", "/applications", json.dumps(body).encode())
               for name, body in bodies.items()}
    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(bodies, 422)
    assert all("张" * 100 not in a.text and MARKER not in a.text for a in answers.values())
    assert stored(casestore) == 0
