"""The outbox on a real SQLite file: one transaction per submission, atomic claims, restarts."""
import base64
import datetime as dt
import json
import threading
from pathlib import Path

import sqlalchemy as sa

from kiosk.application import Attachment
from kiosk.storage import engine_for, migrate, open_database
from sync import outbox as ob
from sync.outbox import Outbox
from sync.wire import application_body
from tests.fixtures.core import NOW, make_application


def test_case_numbers_are_sequential_per_day(outbox: Outbox) -> None:
    numbers = [outbox.submit(make_application()).value for _ in range(3)]
    numbers.append(outbox.submit(make_application(when=NOW + dt.timedelta(days=1))).value)
    assert numbers == ["XY-TEST-01-20261125-0001", "XY-TEST-01-20261125-0002",
                       "XY-TEST-01-20261125-0003", "XY-TEST-01-20261126-0001"]


def test_a_claim_holds_the_wire_payload(outbox: Outbox) -> None:
    application = make_application()
    case_number = outbox.submit(application).value
    [row] = outbox.rows()
    [item] = outbox.claim()
    assert row.id == item.key == application.idempotency_key == item.payload["idempotency_key"]
    assert item.payload == application_body(application, case_number)
    assert item.payload["applicant"]["name"] == "王秀英"


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
    forced_pass = ob.utcnow()
    [again] = outbox.claim(force_since=forced_pass)
    assert again.key == item.key and again.attempts == 2
    outbox.retry_later(item.key, "ConnectionError", delay_s=3600)
    assert outbox.claim(force_since=forced_pass) == []          # a forced pass tries each application once


def test_timers_and_claims_from_before_the_clock_went_back_are_not_trusted(outbox: Outbox) -> None:
    outbox.submit(make_application())
    outbox.submit(make_application())
    first, second = outbox.claim()
    outbox.retry_later(first.key, "ConnectionError", delay_s=0)
    with outbox.engine.begin() as conn:                      # as if written when the clock ran a day ahead
        tomorrow = ob.utcnow() + dt.timedelta(days=1)
        conn.execute(sa.text("UPDATE outbox SET next_attempt_at = :t WHERE id = :k"), {"t": tomorrow, "k": first.key})
        conn.execute(sa.text("UPDATE outbox SET claimed_at = :t WHERE id = :k"), {"t": tomorrow, "k": second.key})
    assert outbox.release_stale() == 1
    assert sorted(c.key for c in outbox.claim()) == sorted([first.key, second.key])


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


def test_attachments_travel_with_the_application(outbox: Outbox) -> None:
    scans = (Attachment("户口簿", "image/jpeg", b"\xff\xd8 first page"),
             Attachment("证明", "application/pdf", b"%PDF"))
    application = make_application(attachments=scans)
    outbox.submit(application)
    [item] = outbox.claim()
    sent = item.payload["attachments"]
    assert [(a["name"], a["media_type"], a["sha256"]) for a in sent] == \
        [(s.name, s.media_type, s.sha256) for s in scans]
    assert [base64.b64decode(a["data"]) for a in sent] == [s.data for s in scans]
    assert item.payload == {**application_body(application, item.payload["kiosk_case_number"])}


def test_an_application_whose_attachments_do_not_fit_is_not_stored_at_all(outbox: Outbox) -> None:
    outbox.submit(make_application())
    with outbox.engine.connect() as conn:
        pages = conn.execute(sa.text("PRAGMA page_count")).scalar()
        conn.execute(sa.text(f"PRAGMA max_page_count = {pages + 4}"))    # room for a row, not for a big scan
        conn.commit()
    limited = Outbox(outbox.engine, "XY-TEST-01")
    outcome = limited.submit(make_application(attachments=(Attachment("大图", "image/png", b"\0" * 200_000),)))
    assert outcome.problem == "error.store_failed"
    assert limited.status().pending == 1
    with outbox.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM attachments")).scalar() == 1
        assert conn.execute(sa.text("SELECT value FROM counters")).scalar() == 1     # the number was not used up


def test_a_queue_written_before_attachments_existed_survives_the_upgrade(tmp_path: Path) -> None:
    engine = engine_for(tmp_path / "kiosk.db")
    migrate(engine, "0001")
    with engine.begin() as connection:
        wire = application_body(make_application(attachments=()), "XY-TEST-01-20261125-0001")
        del wire["attachments"]                         # the 0001 wire format had none
        connection.execute(sa.text(
            "INSERT INTO outbox (id, kiosk_case_number, service_code, payload, state, created_at, attempts, "
            "next_attempt_at) VALUES (:id, :number, 'T-001', :payload, 'pending', :now, 0, :now)"),
            {"id": wire["idempotency_key"], "number": wire["kiosk_case_number"],
             "payload": json.dumps(wire, ensure_ascii=False), "now": ob.utcnow()})
    engine.dispose()
    upgraded = Outbox(open_database(tmp_path / "kiosk.db"), "XY-TEST-01")
    [row] = upgraded.rows()
    assert row.key_id == upgraded.keyring.current_id and "王秀英" not in row.payload      # sealed on opening
    [item] = upgraded.claim()
    assert item.payload == {**wire, "attachments": []}


def test_claims_of_a_killed_process_return_at_once(outbox: Outbox) -> None:
    import subprocess
    import sys

    outbox.submit(make_application())
    outbox.submit(make_application())
    _mine, theirs = outbox.claim()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    with outbox.engine.begin() as conn:
        conn.execute(sa.text("UPDATE outbox SET claimed_by = :pid WHERE id = :k"),
                     {"pid": int(finished.stdout), "k": theirs.key})
    assert outbox.release_stale() == 1                    # ours is alive: kept
    assert [c.key for c in outbox.claim()] == [theirs.key]
