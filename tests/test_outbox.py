"""The outbox on a real SQLite file: one transaction per submission, atomic claims, restarts."""
import datetime as dt
import json
import threading
from pathlib import Path

import sqlalchemy as sa

from kiosk.storage import open_database
from sync import outbox as ob
from sync.outbox import Outbox
from tests.fixtures.core import NOW, make_application


def test_case_numbers_are_sequential_per_day(outbox: Outbox) -> None:
    numbers = [outbox.submit(make_application()).value for _ in range(3)]
    numbers.append(outbox.submit(make_application(when=NOW + dt.timedelta(days=1))).value)
    assert numbers == ["XY-TEST-01-20261125-0001", "XY-TEST-01-20261125-0002",
                       "XY-TEST-01-20261125-0003", "XY-TEST-01-20261126-0001"]


def test_row_holds_the_wire_payload(outbox: Outbox) -> None:
    application = make_application()
    case_number = outbox.submit(application).value
    [row] = outbox.rows()
    payload = json.loads(row.payload)
    assert row.id == application.idempotency_key == payload["idempotency_key"]
    assert payload["kiosk_case_number"] == case_number
    assert payload["applicant"]["name"] == "王秀英"


def test_claims_are_exclusive_across_threads(outbox: Outbox) -> None:
    for _ in range(40):
        outbox.submit(make_application())
    taken: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        while batch := outbox.claim(limit=3):
            with lock:
                taken.extend(item.key for item in batch)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 40 and len(set(taken)) == 40


def test_backoff_and_force(outbox: Outbox) -> None:
    outbox.submit(make_application())
    [item] = outbox.claim()
    outbox.retry_later(item.key, "ConnectionError", delay_s=3600)
    assert outbox.claim() == []
    [again] = outbox.claim(force=True)
    assert again.key == item.key and again.attempts == 2


def test_status_counts(outbox: Outbox) -> None:
    for _ in range(3):
        outbox.submit(make_application())
    first, second, _third = outbox.claim()
    outbox.delivered(first.key, "XY20261125-000001")
    outbox.dead(second.key, "HTTP 422")
    status = outbox.status()
    assert (status.pending, status.dead, status.delivered) == (1, 1, 1)
    assert status.oldest_pending_age_s is not None and status.oldest_pending_age_s >= 0
    assert outbox.retry_dead() == 1 and outbox.status().pending == 2


def test_stale_claim_of_a_dead_process_returns_to_pending(outbox: Outbox) -> None:
    outbox.submit(make_application())
    [item] = outbox.claim()
    assert outbox.release_stale() == 0                    # a fresh claim belongs to a live worker
    with outbox.engine.begin() as conn:
        conn.execute(sa.text("UPDATE outbox SET claimed_at = :t"),
                     {"t": ob.utcnow() - ob.CLAIM_TIMEOUT - dt.timedelta(seconds=1)})
    assert outbox.release_stale() == 1
    assert [c.key for c in outbox.claim()] == [item.key]


def test_queue_survives_reopen_and_migration(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    Outbox(open_database(path), "K").submit(make_application())
    reopened = Outbox(open_database(path), "K")             # start-up runs migrations again: a no-op
    assert reopened.status().pending == 1
    with reopened.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(sa.text("PRAGMA synchronous")).scalar() == 2        # FULL


def test_full_disk_is_a_named_failure_and_loses_nothing(outbox: Outbox) -> None:
    outbox.submit(make_application())
    with outbox.engine.begin() as conn:
        page_count = conn.execute(sa.text("PRAGMA page_count")).scalar()
    # cap the file at its current size: the next insert finds the "disk" full
    with outbox.engine.connect() as conn:
        conn.execute(sa.text(f"PRAGMA max_page_count = {page_count}"))
        conn.commit()
    limited = Outbox(outbox.engine, "XY-TEST-01")
    outcomes = [limited.submit(make_application()) for _ in range(50)]
    failed = [o for o in outcomes if not o.ok]
    assert failed and failed[0].problem == "error.store_failed" and "full" in failed[0].detail
    assert limited.status().pending == 1 + sum(o.ok for o in outcomes)
