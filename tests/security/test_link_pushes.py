"""What the centre sends that changes a kiosk is taken only when the centre's pinned key signed it:
a man in the middle rewriting the catalog or pushing retention_hours=2160 is refused and alerted."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kiosk import config as kiosk_config
from kiosk.storage import open_database
from sync.casestore import configure
from sync.catalog_cache import CatalogCache
from sync.client import Unverified
from sync.outbox import Outbox
from sync.worker import SyncWorker, worker_for
from tests.fixtures.casestore import CaseStoreFactory, CaseStoreServer
from tests.fixtures.mitm import Mitm, Rewrite
from tests.test_casestore import CATALOG

KIOSK_ID = "XY-LINK-01"
FORGED = "give your ID card to the staff"


def rewrite_everything(path: str, body: bytes) -> bytes:
    """The attack of issue 13: the catalog's text replaced, a 90-day retention pushed."""
    if path.startswith("/api/v1/catalog") and body:
        document = json.loads(body)
        document["services"][0]["name"]["en"] = FORGED
        return json.dumps(document).encode()
    if path.startswith("/api/v1/heartbeats"):
        answer = json.loads(body)
        answer["settings"] = {"retention_hours": 2160}
        return json.dumps(answer).encode()
    return body


@pytest.fixture
def served(tmp_path: Path, casestore_factory: CaseStoreFactory) -> CaseStoreServer:
    catalog = tmp_path / "served.json"
    catalog.write_text(json.dumps(CATALOG), encoding="utf-8")
    return casestore_factory(catalog=catalog)


def worker_through(tmp_path: Path, server: CaseStoreServer, url: str, **settings: object) -> SyncWorker:
    config = kiosk_config.load(None, {}, data_dir=tmp_path / "kiosk", centre_url=url, kiosk_id=KIOSK_ID,
                               credential=server.enrol(KIOSK_ID),
                               **{"centre_public_key": server.centre_public_key, **settings})
    return worker_for(config, Outbox(open_database(config.database_path), KIOSK_ID))


@pytest.fixture
def mitm_factory() -> Iterator[type[Mitm]]:
    made: list[Mitm] = []

    def make(upstream: str, rewrite: Rewrite) -> Mitm:
        made.append(Mitm(upstream, rewrite))
        return made[-1]

    yield make  # type: ignore[misc]
    for proxy in made:
        proxy.close()


def stored_report(server: CaseStoreServer) -> dict:
    engine = sa.create_engine(server.db_url)
    with engine.connect() as conn:
        report = conn.execute(sa.text("SELECT report FROM heartbeats WHERE kiosk_id = :k"), {"k": KIOSK_ID}).scalar()
    engine.dispose()
    return json.loads(report)


def test_a_rewritten_catalog_and_pushed_retention_are_refused_and_alerted(
        tmp_path: Path, served: CaseStoreServer, mitm_factory) -> None:
    configure.configure(served.db_url, KIOSK_ID, {"heartbeat_interval_s": 60.0}, [])   # a real setting, signed
    proxy = mitm_factory(served.url, rewrite_everything)
    worker = worker_through(tmp_path, served, proxy.url)
    try:
        worker.tend(force=True)
        assert CatalogCache(tmp_path / "kiosk").load() is None                 # the forged catalog never kept
        assert worker.duties.retention.total_seconds() == 72 * 3600           # nor the forged retention
        assert worker.duties.heartbeat_interval_s == 30.0                     # nor anything in that answer
        assert set(worker.link_alerts) == {"pull_catalog", "heartbeat"}
        worker.tend(force=True)                                               # the next beat tells the centre
    finally:
        worker.client.close()
    codes = [alert["code"] for alert in stored_report(served)["alerts"]]
    assert codes.count("link.unverified") == 2


def test_the_same_answers_unchanged_through_the_same_path_are_taken(
        tmp_path: Path, served: CaseStoreServer, mitm_factory) -> None:
    """The control for the test above: the proxy itself is no reason for refusal, the rewriting is."""
    configure.configure(served.db_url, KIOSK_ID, {"retention_hours": 12.0}, [])
    proxy = mitm_factory(served.url, lambda _path, body: body)
    worker = worker_through(tmp_path, served, proxy.url)
    try:
        worker.tend(force=True)
    finally:
        worker.client.close()
    assert CatalogCache(tmp_path / "kiosk").load() is not None
    assert worker.duties.retention.total_seconds() == 12 * 3600 and not worker.link_alerts


def test_a_signed_answer_replayed_to_another_request_is_refused(
        tmp_path: Path, served: CaseStoreServer, mitm_factory) -> None:
    """An old, genuinely signed catalog answer cannot stand in for a new one: the signature names the
    request's nonce."""
    worker = worker_through(tmp_path, served, served.url)
    first = worker.client.request("GET", "/catalog")
    worker.client.close()

    replaying = worker_through(tmp_path, served, served.url)
    reply = replaying.client.request("GET", "/catalog")
    reply.headers["X-Centre-Signature"] = first.headers["X-Centre-Signature"]
    reply.headers["Date"] = first.headers["Date"]
    try:
        assert replaying.client.verified(first) and not replaying.client.verified(reply)
    finally:
        replaying.client.close()


def test_a_kiosk_without_a_pinned_centre_key_takes_no_catalog(tmp_path: Path, served: CaseStoreServer) -> None:
    worker = worker_through(tmp_path, served, served.url, centre_public_key="")
    try:
        with pytest.raises(Unverified):
            worker.client.catalog(None)
    finally:
        worker.client.close()


def test_an_answer_signed_by_another_centre_key_is_refused(tmp_path: Path, served: CaseStoreServer) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sync import signing
    impostor = signing.public_text(Ed25519PrivateKey.generate().public_key())
    worker = worker_through(tmp_path, served, served.url, centre_public_key=impostor)
    try:
        with pytest.raises(Unverified):
            worker.client.catalog(None)
    finally:
        worker.client.close()
