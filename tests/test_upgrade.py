"""Updating a kiosk whose outbox was written by an older release, and rolling the update back:
real SQLite files at real Alembic revisions, the real `kiosk24 sync --once`, a real case store."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from kiosk import backup
from kiosk.migrations import HEAD
from kiosk.storage import engine_for, migrate, open_database
from sync import outbox as ob
from sync.outbox import Outbox
from sync.wire import application_body
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.core import make_application

KIOSK_ID = "XY-TEST-01"
OLD = "0002"          # a release from before sealing (0003): its queue holds plain JSON


def old_release_queue(path: Path, count: int) -> list[str]:
    """The kiosk database as a release at revision OLD left it: count applications waiting to be sent."""
    engine = engine_for(path)
    migrate(engine, OLD)
    keys = []
    with engine.begin() as connection:
        for n in range(1, count + 1):
            wire = application_body(make_application(attachments=()), f"{KIOSK_ID}-20261125-{n:04d}")
            connection.execute(sa.text(
                "INSERT INTO outbox (id, kiosk_case_number, service_code, payload, state, created_at, attempts, "
                "next_attempt_at) VALUES (:id, :number, 'T-001', :payload, 'pending', :now, 0, :now)"),
                {"id": wire["idempotency_key"], "number": wire["kiosk_case_number"],
                 "payload": json.dumps(wire, ensure_ascii=False), "now": ob.utcnow()})
            keys.append(wire["idempotency_key"])
        connection.execute(sa.text("INSERT INTO counters (name, value) VALUES ('case-20261125', :n)"), {"n": count})
    engine.dispose()
    return keys


def kiosk24(data_dir: Path, casestore: CaseStoreServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK24_DATA_DIR": str(data_dir), "KIOSK24_CENTRE_URL": casestore.url,
           "KIOSK24_KIOSK_ID": KIOSK_ID, "KIOSK24_CREDENTIAL": casestore.enrol(KIOSK_ID)}
    return subprocess.run([sys.executable, "-m", "tooling.cli", *args], capture_output=True, text=True, env=env,
                          timeout=60)


def test_an_update_migrates_at_start_keeps_the_queue_and_delivers_it(tmp_path: Path,
                                                                      casestore: CaseStoreServer) -> None:
    keys = old_release_queue(tmp_path / "kiosk.db", 2)

    sent = kiosk24(tmp_path, casestore, "sync", "--once")        # the new release's first start

    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout.splitlines()[-1])["delivered"] == 2
    assert backup.revision_of(tmp_path / "kiosk.db") == HEAD
    saved = backup.backups(tmp_path / "kiosk.db")
    assert list(saved) == [OLD] and backup.revision_of(saved[OLD]) == OLD
    for key in keys:
        assert casestore.client(KIOSK_ID).find(key)["kiosk_id"] == KIOSK_ID


def test_a_rollback_restores_the_old_database_but_never_loses_an_undelivered_application(
        tmp_path: Path, casestore: CaseStoreServer, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kiosk.db"
    [old_key] = old_release_queue(path, 1)
    outbox = Outbox(open_database(path), KIOSK_ID)              # the update: backed up, then migrated
    assert outbox.submit(make_application()).ok                  # queued after the update, not yet sent
    assert len({row.id for row in outbox.rows()} - {old_key}) == 1
    outbox.engine.dispose()

    with pytest.raises(backup.RestoreRefused, match="1 in outbox"):
        backup.restore(path, OLD)                               # the new application is in no backup
    with pytest.raises(backup.RestoreRefused, match=f"backups: {OLD}"):
        backup.restore(path, "0001")
    assert backup.revision_of(path) == HEAD                     # refused: nothing was touched

    assert kiosk24(tmp_path, casestore, "sync", "--once").returncode == 0    # delivered with the new release
    from tooling import cli
    assert cli.main(["storage", "restore", OLD], {"KIOSK24_DATA_DIR": str(tmp_path)}) == 0
    assert "restored revision 0002" in capsys.readouterr().out

    assert backup.revision_of(path) == OLD
    [kept] = tmp_path.glob(f"kiosk.db{backup.ROLLED_BACK}*[0-9]")
    assert backup.revision_of(kept) == HEAD                     # the migrated file is kept, not deleted
    with sqlite3.connect(path) as connection:                   # what the old release finds and will send again:
        assert connection.execute("SELECT id, state FROM outbox").fetchall() == [(old_key, "pending")]
    assert backup.restore(path, OLD) is None                    # at that revision already: nothing to do

    # the old release re-sends the one it had; the centre answers with the case it already stored
    first = casestore.client(KIOSK_ID).find(old_key)["case_number"]
    again = casestore.client(KIOSK_ID).push(json.loads(
        sqlite3.connect(path).execute("SELECT payload FROM outbox").fetchone()[0]))
    assert again.case_number == first


def test_the_backup_is_a_consistent_copy_taken_while_the_database_is_open(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    old_release_queue(path, 3)
    engine = engine_for(path)
    with engine.connect() as reader:                             # another process reading, WAL open
        reader.exec_driver_sql("SELECT count(*) FROM outbox").scalar()
        copy = backup.take(path, OLD)
    engine.dispose()
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM outbox").fetchone() == (3,)
    assert not Path(f"{copy}-wal").exists()
