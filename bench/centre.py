"""What one case store process takes, on SQLite and on PostgreSQL: signed heartbeats and submissions
per second from 8 kiosks at once, and so how many kiosks it serves at one heartbeat per 30 s.

The baseline, measured in the same run against the same process, is a revalidated catalog (304: no
database, no signature): the most the server framework answers, so the ratios show what signing and
storing cost. PostgreSQL runs on a throwaway local cluster when its server binaries are installed.
"""
from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sync.client import CentreClient, Delivery
from sync.signing import Signer
from sync.wire import application_body
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.core import make_application
from tests.fixtures.postgres import start_cluster

KIOSKS = 8
HEARTBEAT_INTERVAL_S = 30
PER_KIOSK = {"catalog": 150, "heartbeat": 100, "submission": 40}


def heartbeat_body() -> dict:
    return {"at": dt.datetime.now(dt.UTC).isoformat(), "sync_state": "ok",
            "queue": {"pending": 3, "dead": 0, "delivered": 120, "oldest_pending_age_s": 12.5},
            "devices": [{"device": "printer", "state": "ok"}, {"device": "idcard", "state": "ok"}]}


def rate(clients: list[CentreClient], requests_per_kiosk: int, one: Callable[[CentreClient, int], None]) -> float:
    """Requests per second with every kiosk sending at once, each on its own keep-alive connection."""
    def kiosk(client: CentreClient) -> None:
        for n in range(requests_per_kiosk):
            one(client, n)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        list(pool.map(kiosk, clients))
    return len(clients) * requests_per_kiosk / (time.perf_counter() - start)


def heartbeat(client: CentreClient, _n: int) -> None:
    client.heartbeat(heartbeat_body())


def submission(client: CentreClient, n: int) -> None:
    kiosk = client.signer.kiosk_id
    body = {**application_body(make_application(), f"{kiosk}-{n:05d}"), "kiosk_id": kiosk}
    if client.push(body).kind is not Delivery.DELIVERED:
        raise RuntimeError("submission refused")


def measure(db_url: str, root: Path) -> dict[str, float]:
    server = CaseStoreServer(db_url, root / f"casestore-{abs(hash(db_url))}.log")
    server.start()
    clients = []
    try:
        for number in range(KIOSKS):
            kiosk_id = f"XY-BENCH-{number:02d}"
            clients.append(CentreClient(server.url, Signer(kiosk_id, server.enrol(kiosk_id))))
        etag = clients[0].http.get(f"{server.url}/api/v1/catalog").headers["ETag"]

        def catalog(client: CentreClient, _n: int) -> None:
            if client.catalog(etag) is not None:
                raise RuntimeError("catalog changed during the bench")

        catalog_rate = rate(clients, PER_KIOSK["catalog"], catalog)
        heartbeat_rate = rate(clients, PER_KIOSK["heartbeat"], heartbeat)
        submission_rate = rate(clients, PER_KIOSK["submission"], submission)
    finally:
        for client in clients:
            client.close()
        server.kill()
    return {
        "heartbeats_per_s": round(heartbeat_rate, 1),
        "submissions_per_s": round(submission_rate, 1),
        "baseline_catalog_304_per_s": round(catalog_rate, 1),
        "ratio_heartbeat_to_baseline": round(heartbeat_rate / catalog_rate, 2),
        "ratio_submission_to_baseline": round(submission_rate / catalog_rate, 2),
        "kiosks_at_one_heartbeat_per_30s": int(heartbeat_rate * HEARTBEAT_INTERVAL_S),
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kiosk24-bench-centre-") as directory:
        root = Path(directory)
        result: dict[str, object] = {"bench": "centre", "kiosks_sending_at_once": KIOSKS,
                                     "sqlite": measure(f"sqlite:///{root / 'casestore.db'}", root)}
        cluster = start_cluster()
        if isinstance(cluster, str):
            result["postgresql"] = None
            result["postgresql_skipped"] = cluster
        else:
            try:
                result["postgresql"] = measure(cluster.new_database("bench"), root)
            finally:
                cluster.stop()
    for backend in ("sqlite", "postgresql"):
        figures = result.get(backend)
        if isinstance(figures, dict):
            print(f"{backend}: {figures['heartbeats_per_s']} heartbeats/s "
                  f"({figures['kiosks_at_one_heartbeat_per_30s']} kiosks at one per 30 s), "
                  f"{figures['submissions_per_s']} submissions/s; "
                  f"304 catalog {figures['baseline_catalog_304_per_s']}/s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
