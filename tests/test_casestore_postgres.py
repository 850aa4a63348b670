"""The case store on PostgreSQL, as a city or province runs it: several server processes, one database."""
from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest

from sync.casestore import progress
from sync.casestore.export import run_export
from sync.client import Delivery
from tests.fixtures.casestore import CaseStoreFactory
from tests.fixtures.postgres import ThrowawayCluster
from tests.test_casestore import KIOSK, application, attachment, get

pytestmark = pytest.mark.slow         # a PostgreSQL cluster made and started for the module

_databases = itertools.count()


def test_servers_sharing_postgres_store_each_key_once(casestore_factory: CaseStoreFactory,
                                                      postgres_cluster: ThrowawayCluster) -> None:
    url = postgres_cluster.new_database(f"cs{next(_databases)}")
    servers = [casestore_factory(db_url=url), casestore_factory(db_url=url)]
    clients = [server.client(KIOSK) for server in servers]
    bodies = [application(kiosk_case_number=f"{KIOSK}-{n:04d}", attachments=[attachment(bytes([n]) * 300)])
              for n in range(40)]
    attempts = [(client, body) for body in bodies for client in clients * 2]

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda attempt: attempt[0].push(attempt[1]), attempts))

    assert all(result.kind is Delivery.DELIVERED for result in results)
    exported = list(run_export(url))
    assert sorted(row["idempotency_key"] for row in exported) == sorted(body["idempotency_key"] for body in bodies)
    assert len({row["case_number"] for row in exported}) == len(bodies)
    by_key = {row["idempotency_key"]: row for row in exported}
    for body in bodies:
        assert [a["sha256"] for a in by_key[body["idempotency_key"]]["attachments"]] == \
            [a["sha256"] for a in body["attachments"]]


def test_status_history_and_progress_on_postgres(casestore_factory: CaseStoreFactory,
                                                 postgres_cluster: ThrowawayCluster) -> None:
    url = postgres_cluster.new_database(f"cs{next(_databases)}")
    server = casestore_factory(db_url=url)
    case_number = server.client(KIOSK).push(application(tracking_token="a-token-of-sixteen+")).case_number
    assert progress.record(url, case_number, "accepted", "受理")
    assert get(server, f"/applications/{case_number}").json()["status"] == "accepted"
    changes = get(server, "/status-changes", after="0").json()["changes"]
    assert [c["status"] for c in changes] == ["received", "accepted"]
