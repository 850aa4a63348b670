"""Several case store workers over one PostgreSQL, as a province runs them: whatever one worker knows
that another needs (signatures already used, wrong tries per case) is in the database, so a kiosk's
request meets the same rules whichever worker the load balancer or the kernel hands it to."""
from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from sync.casestore.citizen_progress import MAX_FAILURES
from sync.casestore.issue_credential import load_or_create_key
from sync.document_signature import DocumentKey, certificate_path
from sync.signing import Signer, public_text
from tests.fixtures.casestore import CaseStoreFactory, CaseStoreServer
from tests.fixtures.postgres import ThrowawayCluster
from tests.test_casestore import KIOSK, application

pytestmark = pytest.mark.slow         # a PostgreSQL cluster made and started for the module

_databases = itertools.count()
HEARTBEATS = "/api/v1/heartbeats"


@pytest.fixture
def database(postgres_cluster: ThrowawayCluster) -> str:
    return postgres_cluster.new_database(f"fleet{next(_databases)}")


def signed_heartbeat(server: CaseStoreServer) -> tuple[bytes, dict[str, str]]:
    """One heartbeat request as the kiosk signs it: sent twice, it is the same bytes twice."""
    body = json.dumps({"at": dt.datetime.now(dt.UTC).isoformat(), "sync_state": "ok",
                       "queue": {"pending": 0, "dead": 0, "delivered": 0}}).encode()
    headers = Signer(KIOSK, server.enrol(KIOSK)).headers("POST", HEARTBEATS, body)
    return body, {**headers, "Content-Type": "application/json"}


def send(server: CaseStoreServer, request: tuple[bytes, dict[str, str]]) -> requests.Response:
    body, headers = request
    return requests.post(f"{server.url}{HEARTBEATS}", data=body, headers=headers, timeout=30)


def workers_of(server: CaseStoreServer) -> list[int]:
    """The process ids of the server's spawned workers (Linux: the supervisor's children)."""
    assert server.pid is not None
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children
            if b"multiprocessing.spawn" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def test_two_servers_share_used_signatures_and_wrong_tries(casestore_factory: CaseStoreFactory,
                                                           database: str) -> None:
    servers = [casestore_factory(db_url=database), casestore_factory(db_url=database)]
    request = signed_heartbeat(servers[0])
    case = servers[0].client(KIOSK).push(application()).case_number
    lookup = {"case_number": case, "id_tail": "000000"}

    accepted, replayed = send(servers[0], request), send(servers[1], request)
    wrong = [servers[n % 2].client(KIOSK).request("POST", "/progress-lookups", json=lookup)
             for n in range(MAX_FAILURES)]
    right = [server.client(KIOSK).request("POST", "/progress-lookups", json={**lookup, "id_tail": "31002X"})
             for server in servers]

    assert accepted.status_code == 200
    assert replayed.status_code == 401 and replayed.json()["detail"] == "replayed request"
    assert send(servers[1], signed_heartbeat(servers[1])).status_code == 200     # the kiosk is welcome there
    assert [reply.status_code for reply in wrong] == [404] * MAX_FAILURES
    assert [reply.status_code for reply in right] == [429, 429]     # locked at both, though each saw fewer


def test_serve_with_two_workers_takes_each_signature_once(casestore_factory: CaseStoreFactory,
                                                          database: str) -> None:
    server = casestore_factory(db_url=database, workers=2)
    attempts = [(n, signed_heartbeat(server)) for n in range(12)] * 4       # each request sent 4 times at once

    with ThreadPoolExecutor(max_workers=12) as pool:
        replies = list(pool.map(lambda attempt: (attempt[0], send(server, attempt[1]).status_code), attempts))

    assert len(workers_of(server)) == 2
    assert sorted(replies) == sorted([(n, 200) for n in range(12)] + [(n, 401) for n in range(12)] * 3)
    workers = workers_of(server)
    server.stop()
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]      # gone with their supervisor


def test_workers_starting_at_once_make_one_centre_key(tmp_path: Path) -> None:
    path = tmp_path / "centre-signing.key"
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = list(pool.map(lambda _n: public_text(load_or_create_key(path).public_key()), range(32)))

    assert set(keys) == {public_text(load_or_create_key(path).public_key())}
    assert path.stat().st_mode & 0o777 == 0o600 and [p.name for p in tmp_path.iterdir()] == [path.name]


def test_workers_starting_at_once_make_one_document_key_and_its_certificate(tmp_path: Path) -> None:
    """Eight workers released together, each loading or making the key and certificate, four times over."""
    path = tmp_path / "centre-documents.key"
    start = threading.Barrier(8)

    def load(_n: int) -> tuple[bytes, bytes]:
        start.wait(timeout=30)
        made = DocumentKey.load_or_create(path, "Test centre")
        return made.key_pem, made.certificate_pem

    for _round in range(4):
        for made in tmp_path.iterdir():
            made.unlink()
        with ThreadPoolExecutor(max_workers=8) as pool:
            pairs = set(pool.map(load, range(8)))

        assert pairs == {(path.read_bytes(), certificate_path(path).read_bytes())}
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert x509.load_pem_x509_certificate(certificate_path(path).read_bytes()).public_key() == key.public_key()
        assert sorted(p.name for p in tmp_path.iterdir()) == [path.name, certificate_path(path).name]
        assert path.stat().st_mode & 0o777 == 0o600


def test_a_certificate_left_from_another_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "centre-documents.key"
    DocumentKey.load_or_create(path, "Test centre")
    path.unlink()
    with pytest.raises(ValueError, match="certificate is not"):
        DocumentKey.load_or_create(path, "Test centre")
