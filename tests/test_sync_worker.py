"""The worker's duties besides delivery, against a real case store: pulls, heartbeats, retention, states."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import config as kiosk_config
from kiosk.storage import open_database
from sync import pushed
from sync import worker as sync_worker
from sync.casestore import progress
from sync.casestore.db import Heartbeat, make_engine
from sync.catalog_cache import CatalogCache
from sync.outbox import Outbox
from sync.wire import application_body
from sync.worker import SyncWorker, worker_for
from tests.fixtures.casestore import CaseStoreFactory, CaseStoreServer
from tests.fixtures.core import make_application
from tests.test_casestore import CATALOG

KIOSK_ID = "XY-TEST-01"
# As devices.health reports a device: its state and since when (Unix time)
PRINTER_REPORT = {"device": "printer", "state": "warning", "detail": "paper_near_end", "since": 1_764_000_000.0}


def make_worker(tmp_path: Path, server: CaseStoreServer, **settings: object) -> SyncWorker:
    config = kiosk_config.load(None, {}, data_dir=tmp_path / "kiosk", centre_url=server.url, kiosk_id=KIOSK_ID,
                               credential=server.enrol(KIOSK_ID), centre_public_key=server.centre_public_key,
                               **settings)
    return worker_for(config, Outbox(open_database(config.database_path), KIOSK_ID),
                        device_health=lambda: [dict(PRINTER_REPORT)])


@pytest.fixture
def worker(tmp_path: Path, casestore: CaseStoreServer):
    made = make_worker(tmp_path, casestore)
    yield made
    made.client.close()


def test_the_catalog_is_pulled_once_then_revalidated_with_its_etag(
        tmp_path: Path, casestore_factory: CaseStoreFactory) -> None:
    catalog_file = tmp_path / "served.json"
    catalog_file.write_text(json.dumps(CATALOG), encoding="utf-8")
    server = casestore_factory(catalog=catalog_file)
    worker = make_worker(tmp_path, server)
    try:
        worker.pull_catalog()
        worker.pull_catalog()
    finally:
        worker.client.close()
    cache = CatalogCache(tmp_path / "kiosk")
    assert cache.load().version == "2025.1" and cache.etag().startswith('"')
    assert server.log_text().count('"GET /api/v1/catalog HTTP/1.1" 304') == 1


def test_a_catalog_the_kiosk_cannot_use_is_not_kept(tmp_path: Path) -> None:
    cache = CatalogCache(tmp_path)
    cache.store(json.dumps(CATALOG).encode(), '"one"')
    with pytest.raises(ValueError):
        cache.store(b'{"services": [{"code": "X"}]}', '"two"')
    assert (cache.load().version, cache.etag()) == ("2025.1", '"one"')


def test_status_changes_reach_the_outbox_and_only_our_own(worker: SyncWorker, casestore: CaseStoreServer) -> None:
    application = make_application()
    worker.outbox.submit(application)
    worker.run_once()
    [row] = worker.outbox.rows()
    other = "XY-OTHER-02"
    body = {**application_body(make_application(), f"{other}-1"), "kiosk_id": other}
    other_kiosk = casestore.client(other).push(body)
    assert progress.record(casestore.db_url, row.central_case_number, "accepted", "材料齐全")
    assert progress.record(casestore.db_url, other_kiosk.case_number, "done")

    worker.pull_statuses()
    cursor = worker.outbox.status_cursor()
    worker.pull_statuses()                                    # nothing new: the cursor stays

    [row] = worker.outbox.rows()
    assert row.central_status == "accepted" and row.status_at is not None
    assert worker.outbox.status_cursor() == cursor > 0


def test_the_heartbeat_carries_queue_depth_and_device_health(worker: SyncWorker, casestore: CaseStoreServer) -> None:
    worker.outbox.submit(make_application())
    worker.heartbeat()
    engine = make_engine(casestore.db_url)
    with engine.connect() as conn:
        [beat] = conn.execute(sa.select(Heartbeat)).all()
    engine.dispose()
    report = json.loads(beat.report)
    assert beat.kiosk_id == KIOSK_ID
    assert report["queue"]["pending"] == 1 and report["sync_state"] == "ok"
    assert report["devices"] == [PRINTER_REPORT]


def test_retention_purges_only_what_the_centre_acknowledged_long_enough_ago(
        tmp_path: Path, casestore: CaseStoreServer) -> None:
    worker = make_worker(tmp_path, casestore, retention_hours=1.0)
    try:
        for _ in range(3):
            worker.outbox.submit(make_application())
        worker.run_once()
        worker.outbox.submit(make_application())              # queued, never purged
        old, _recent, _ = worker.outbox.rows("delivered")
        with worker.outbox.engine.begin() as conn:
            conn.execute(sa.text("UPDATE outbox SET delivered_at = :t WHERE id = :k"),
                         {"t": dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=2), "k": old.id})
        worker.tend(force=True)
    finally:
        worker.client.close()
    status = worker.outbox.status()
    assert (status.delivered, status.pending) == (2, 1)
    assert old.id not in {row.id for row in worker.outbox.rows()}
    with worker.outbox.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM attachments WHERE application_id = :k"),
                            {"k": old.id}).scalar() == 0


def test_an_unenrolled_kiosk_keeps_its_queue_and_says_why(tmp_path: Path, casestore: CaseStoreServer) -> None:
    config = kiosk_config.load(None, {}, data_dir=tmp_path, centre_url=casestore.url, kiosk_id="XY-NEW-09")
    worker = worker_for(config, Outbox(open_database(config.database_path), "XY-NEW-09"))
    try:
        worker.outbox.submit(make_application())
        assert worker.run_once() == 0
    finally:
        worker.client.close()
    assert worker.state == sync_worker.UNAUTHORISED and "401" in worker.detail
    assert worker.outbox.status().pending == 1 and worker.outbox.status().dead == 0


def test_a_full_disk_is_named_as_such(outbox: Outbox) -> None:
    with outbox.engine.connect() as conn:
        conn.execute(sa.text(f"PRAGMA max_page_count = {conn.execute(sa.text('PRAGMA page_count')).scalar()}"))
        with pytest.raises(sa.exc.OperationalError) as full:
            conn.execute(sa.text("INSERT INTO counters VALUES (:n, 1)"), [{"n": f"c{i}"} for i in range(5000)])
    assert sync_worker.storage_state(full.value) == sync_worker.DISK_FULL


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_from_the_centre_as_catalog_are_kept_only_if_they_load(tmp_path: Path, data: bytes) -> None:
    cache = CatalogCache(tmp_path / "any")
    cache.store(json.dumps(CATALOG).encode(), '"good"')
    try:
        cache.store(data, '"new"')
    except ValueError:
        assert (cache.load().version, cache.etag()) == ("2025.1", '"good"')
    else:
        assert cache.etag() == '"new"' and cache.load() is not None


def test_an_answer_that_is_not_the_centres_is_retried_not_trusted(tmp_path: Path) -> None:
    """A captive portal or proxy answering 200 with its own page must not mark anything delivered."""
    import http.server
    import threading

    class Portal(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>please log in to the station wifi</html>")

        def log_message(self, *args: object) -> None:
            pass

    portal = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    config = kiosk_config.load(None, {}, data_dir=tmp_path, kiosk_id=KIOSK_ID, credential="x",
                               centre_url=f"http://127.0.0.1:{portal.server_address[1]}")
    worker = worker_for(config, Outbox(open_database(config.database_path), KIOSK_ID))
    try:
        worker.outbox.submit(make_application())
        assert worker.run_once() == 0
    finally:
        worker.client.close()
        portal.shutdown()
        portal.server_close()
    assert worker.outbox.status().pending == 1 and worker.state == sync_worker.OFFLINE


def test_settings_pushed_by_the_centre_apply_with_the_next_heartbeat(
        worker: SyncWorker, casestore: CaseStoreServer) -> None:
    from sync.casestore import configure

    values, removed = configure.parse(["retention_hours=12", "sync_interval_s=30", "pull_interval_s="])
    assert configure.configure(casestore.db_url, KIOSK_ID, values, removed) == {"retention_hours": 12.0,
                                                                                   "sync_interval_s": 30.0}
    worker.heartbeat()
    assert worker.duties.retention == dt.timedelta(hours=12) and worker.interval_s == 30.0
    with pytest.raises(configure.SettingError):
        configure.parse(["retention_hours=-1"])
    with pytest.raises(configure.SettingError):
        configure.parse(["fullscreen=1"])


@given(raw=st.dictionaries(st.sampled_from([*pushed.BOUNDS, "fullscreen", "credential"]),
                           st.one_of(st.none(), st.booleans(), st.floats(), st.integers(), st.text(max_size=5))))
def test_whatever_settings_arrive_only_known_ones_within_bounds_are_kept(raw: dict) -> None:
    kept = pushed.accepted(raw)
    assert set(kept) <= set(pushed.BOUNDS)
    assert all(pushed.BOUNDS[name][0] <= value <= pushed.BOUNDS[name][1] for name, value in kept.items())
