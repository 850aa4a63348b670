"""Applications per second from the kiosk's outbox to a case store on 127.0.0.1 (claim, open the sealed
payload, sign, push, settle), against the case store's own ingest rate measured in the same run by a
direct client that pushes ready-made bodies, signed, on one keep-alive connection: the most one kiosk
worker could get. Goal: the outbox reaches at least 70% of it. Runs alternate, the store is one
`python -m sync.casestore.serve` process on SQLite.
"""
from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from kiosk.storage import open_database
from sync.client import CentreClient, Delivery
from sync.outbox import Outbox
from sync.signing import Signer
from sync.wire import application_body
from sync.worker import SyncWorker
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.core import make_application

PER_RUN = 200
ROUNDS = 3
KIOSK_ID = "XY-TEST-01"


def direct_rate(client: CentreClient) -> float:
    bodies = [application_body(make_application(), f"{KIOSK_ID}-DIRECT-{n:05d}") for n in range(PER_RUN)]
    start = time.perf_counter()
    for body in bodies:
        if client.push(body).kind is not Delivery.DELIVERED:
            raise RuntimeError("direct push failed")
    return PER_RUN / (time.perf_counter() - start)


def outbox_rate(worker: SyncWorker) -> float:
    for _ in range(PER_RUN):
        worker.outbox.submit(make_application())
    start = time.perf_counter()
    delivered = worker.run_once()
    elapsed = time.perf_counter() - start
    if delivered != PER_RUN:
        raise RuntimeError(f"delivered {delivered} of {PER_RUN}")
    return PER_RUN / elapsed


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kiosk24-bench-drain-") as directory:
        root = Path(directory)
        server = CaseStoreServer(f"sqlite:///{root / 'casestore.db'}", root / "casestore.log")
        server.start()
        try:
            signer = Signer(KIOSK_ID, server.enrol(KIOSK_ID))
            direct = CentreClient(server.url, signer)
            worker = SyncWorker(Outbox(open_database(root / "kiosk.db"), KIOSK_ID), CentreClient(server.url, signer))
            direct_rates, outbox_rates = [], []
            for _ in range(ROUNDS):
                direct_rates.append(direct_rate(direct))
                outbox_rates.append(outbox_rate(worker))
            direct.close()
            worker.client.close()
        finally:
            server.kill()
    result = {
        "bench": "drain",
        "applications": PER_RUN * ROUNDS,
        "outbox_per_s": round(statistics.median(outbox_rates), 1),
        "direct_client_per_s": round(statistics.median(direct_rates), 1),
        "ratio_outbox_to_direct": round(statistics.median(outbox_rates) / statistics.median(direct_rates), 2),
        "goal_ratio": 0.7,
    }
    print(f"outbox drains {result['outbox_per_s']}/s; the store takes {result['direct_client_per_s']}/s "
          f"from a direct client (medians of {ROUNDS} runs of {PER_RUN})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
