"""Issue 13: the fleet page survives any one kiosk's report, and the centre's database file is the
service's own (0600). Against the real case store on 127.0.0.1."""
from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import requests
from sqlalchemy.orm import Session

from sync.casestore import operators
from sync.casestore.db import Heartbeat, make_engine
from tests.fixtures.casestore import CaseStoreFactory, CaseStoreServer

KIOSK = "XY-FLEET-01"
OFFICER = "duty-officer"


def fleet(server: CaseStoreServer, token: str) -> requests.Response:
    return requests.get(f"{server.url}/fleet", auth=(OFFICER, token), timeout=10)


def heartbeat(**queue: object) -> dict[str, object]:
    return {"at": "2026-11-25T10:00:00+00:00", "sync_state": "ok", "interval_s": 60,
            "queue": {"pending": 0, "dead": 0, "delivered": 0, "oldest_pending_age_s": None, **queue}}


def test_a_hostile_report_is_refused_at_the_door_and_a_bad_stored_row_is_shown_as_bad(
        casestore: CaseStoreServer) -> None:
    token = operators.create(casestore.db_url, OFFICER)
    client = casestore.client(KIOSK)
    refused = client.request("POST", "/heartbeats", json=heartbeat(oldest_pending_age_s=1e12))
    assert refused.status_code == 422
    assert fleet(casestore, token).status_code == 200

    assert client.request("POST", "/heartbeats", json=heartbeat(pending=3)).status_code == 200
    # A row written before the schema bounded reports (or by hand): the page must still answer.
    with Session(make_engine(casestore.db_url)) as session, session.begin():
        now = dt.datetime.now(dt.UTC)
        session.add(Heartbeat(kiosk_id="XY-OLD-ROW", received_at=now,
                              report='{"queue": {"oldest_pending_age_s": 1e12, "pending": "x"}}'))
        session.add(Heartbeat(kiosk_id="XY-NOT-JSON", received_at=now, report="{not json"))
    page = fleet(casestore, token)

    assert page.status_code == 200
    assert page.text.count('class="kiosk bad alerting"') == 2
    assert f'data-kiosk="{KIOSK}"' in page.text and '<td class="queue">3 / 0</td>' in page.text


def test_the_centres_database_file_is_created_0600(casestore_factory: CaseStoreFactory, tmp_path: Path) -> None:
    path = tmp_path / "centre" / "casestore.db"
    path.parent.mkdir()
    previous = os.umask(0o022)                  # the usual umask: files 0644 unless made otherwise
    try:
        server = casestore_factory(db_url=f"sqlite:///{path}")
        server.client(KIOSK).request("POST", "/heartbeats", json=heartbeat())    # the -wal file gets written
    finally:
        os.umask(previous)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.glob("casestore.db*")}
    assert modes["casestore.db"] == 0o600
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes
