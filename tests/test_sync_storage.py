"""A damaged kiosk database: set aside, salvaged, and the kiosk serves on; nothing is deleted."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.storage import damaged_copies, open_database
from sync.outbox import Outbox
from tests.fixtures.core import make_application


def test_a_file_that_is_no_database_is_kept_aside_and_a_fresh_one_serves(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    path.write_bytes(b"this is not SQLite at all" * 100)
    outbox = Outbox(open_database(path), "XY-TEST-01")
    assert outbox.submit(make_application()).ok
    [kept] = damaged_copies(path)
    assert kept.read_bytes().startswith(b"this is not SQLite")


def damage_table(path: Path, table: str) -> bytes:
    """Break the b-tree page at the root of table, as a failing flash cell would; returns the file's bytes."""
    with sqlite3.connect(path) as db:
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with open(path, "r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 16)
    return path.read_bytes()


def test_a_damaged_table_loses_nothing_that_can_still_be_read(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    outbox = Outbox(open_database(path), "XY-TEST-01")
    applications = [make_application() for _ in range(30)]
    for application in applications:
        outbox.submit(application)
    outbox.engine.dispose()                                  # checkpoints the WAL into the file
    before = damage_table(path, "attachments")

    reopened = Outbox(open_database(path), "XY-TEST-01")

    [kept] = damaged_copies(path)
    assert kept.read_bytes() == before                       # the damaged file itself is kept as it was
    assert {row.id for row in reopened.rows()} == {a.idempotency_key for a in applications}
    assert reopened.claim(limit=100) == []                   # never sent without the scans they listed
    dead = reopened.rows("dead")
    assert len(dead) == 30 and all("attachments missing" in row.last_error for row in dead)
    assert reopened.submit(make_application()).value == "XY-TEST-01-20261125-0031"


def test_the_worker_reports_a_damaged_database_until_it_is_moved_away(tmp_path: Path) -> None:
    from kiosk import config as kiosk_config
    from sync.worker import worker_for

    config = kiosk_config.load(None, {}, data_dir=tmp_path)
    config.database_path.write_bytes(b"garbage" * 1000)
    worker = worker_for(config, Outbox(open_database(config.database_path), config.kiosk_id))
    worker.client.close()
    assert "kiosk.db.damaged-" in worker.storage_alert


def test_processes_starting_together_migrate_one_at_a_time(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from kiosk.storage import open_database; from sync.outbox import Outbox; "
            "Outbox(open_database(__import__('pathlib').Path(sys.argv[1])), 'XY-TEST-01')")
    starts = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "kiosk.db")], stderr=subprocess.PIPE,
                               text=True) for _ in range(6)]
    errors = [process.communicate(timeout=120)[1] for process in starts]
    assert [process.returncode for process in starts] == [0] * 6, errors
