"""Milliseconds to durably enqueue one application (case number, sealed payload and attachment in one
transaction, synchronous=FULL), on an empty outbox and with 50,000 pending; the cost must not grow
with the queue. The baseline, measured in the same run on the same disk, is the floor any durable
queue pays: one bare sqlite3 INSERT of the same number of bytes, committed in WAL mode with
synchronous=FULL.
"""
from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from kiosk.application import Attachment
from kiosk.storage import AttachmentRow, OutboxRow, open_database
from sync.outbox import Outbox, utcnow
from tests.fixtures.core import make_application

RUNS = 300
BACKLOG = 50_000
SCAN = Attachment("居民身份证", "image/jpeg", bytes(range(256)) * 16)      # 4 KB, a small camera image


def milliseconds(samples: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(samples) * 1000, 3),
            "p99_ms": round(statistics.quantiles(samples, n=100)[-1] * 1000, 3)}


def enqueue_times(outbox: Outbox) -> list[float]:
    applications = [make_application(attachments=(SCAN,)) for _ in range(RUNS)]
    times = []
    for application in applications:
        start = time.perf_counter()
        if not outbox.submit(application).ok:
            raise RuntimeError("submission failed")
        times.append(time.perf_counter() - start)
    return times


def fill(outbox: Outbox, count: int) -> None:
    """count pending applications in one transaction: copies of a real sealed row under new keys."""
    outbox.submit(make_application(attachments=(SCAN,)))
    with outbox.engine.begin() as conn:
        row = conn.execute(sa.select(OutboxRow)).first()._asdict()
        scan = conn.execute(sa.select(AttachmentRow)).first()._asdict()
        rows, scans = [], []
        for n in range(count):
            key = f"00000000-0000-7000-8000-{n:012d}"
            rows.append({**row, "id": key, "kiosk_case_number": f"BACKLOG-{n:08d}", "created_at": utcnow()})
            scans.append({**scan, "application_id": key})
        conn.execute(sa.insert(OutboxRow), rows)
        conn.execute(sa.insert(AttachmentRow), scans)


def baseline_times(path: Path, size: int) -> list[float]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE queue (id INTEGER PRIMARY KEY, body BLOB)")
    body = b"x" * size
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        db.execute("BEGIN")
        db.execute("INSERT INTO queue (body) VALUES (?)", (body,))
        db.execute("COMMIT")
        times.append(time.perf_counter() - start)
    db.close()
    return times


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kiosk24-bench-queue-") as directory:
        root = Path(directory)
        empty = Outbox(open_database(root / "empty" / "kiosk.db"), "XY-BENCH-01")
        loaded = Outbox(open_database(root / "loaded" / "kiosk.db"), "XY-BENCH-01")
        fill(loaded, BACKLOG)
        with empty.engine.connect() as conn:
            size = len(conn.execute(sa.select(OutboxRow.payload)).scalar() or "") + len(SCAN.data)
        baseline, on_empty, on_backlog = [], [], []
        for _ in range(2):                              # alternate, so disk noise hits all alike
            baseline += baseline_times(root / f"baseline-{len(baseline)}.db", size)
            on_empty += enqueue_times(empty)
            on_backlog += enqueue_times(loaded)
        pending = loaded.status().pending
    result = {
        "bench": "queue",
        "runs": len(on_empty),
        "backlog_pending": pending,
        "enqueue_empty": milliseconds(on_empty),
        "enqueue_with_50k_pending": milliseconds(on_backlog),
        "baseline_bare_insert": milliseconds(baseline),
        "ratio_50k_to_empty_median": round(statistics.median(on_backlog) / statistics.median(on_empty), 2),
        "ratio_empty_to_baseline_median": round(statistics.median(on_empty) / statistics.median(baseline), 2),
    }
    print(f"enqueue: {result['enqueue_empty']} empty, {result['enqueue_with_50k_pending']} with {pending} pending; "
          f"bare durable insert {result['baseline_bare_insert']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
