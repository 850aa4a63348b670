"""The kiosk database as it was before an update migrated it, and putting it back for a rollback.

An update migrates kiosk.db at its first start; the release before it cannot open the result.
So before migrating, the file is copied (SQLite's online backup, consistent even mid-write) to
kiosk.db.rev-<revision>.bak, the revision it was at. Rolling back restores that copy, but never
at the cost of an application: anything queued since the update and not yet delivered (it is not
in the copy) makes the restore refuse, until `kiosk24 sync --once` has delivered it. Applications
the copy still holds as pending but the newer release delivered are safe to send again: the
centre answers a repeated idempotency key with the case it already stored.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import re
import sqlite3
from pathlib import Path

from kiosk.database_lock import exclusive

log = logging.getLogger(__name__)

BACKUP = re.compile(r"\.rev-(?P<revision>[0-9A-Za-z_]+)\.bak$")
ROLLED_BACK = ".rolled-back-"          # kiosk.db.rolled-back-<time>: the migrated file, kept after a restore
QUEUES = ("outbox", "messages")        # tables of things the kiosk owes the centre, each row with a state
DELIVERED = "delivered"


class RestoreRefused(Exception):
    """The restore would lose something or has nothing to restore; the message says what to do."""


@dataclasses.dataclass(frozen=True)
class Restored:
    revision: str
    kept_as: Path                      # the migrated database, set aside rather than deleted


def backup_path(path: Path, revision: str) -> Path:
    return path.with_name(f"{path.name}.rev-{revision}.bak")


def backups(path: Path) -> dict[str, Path]:
    """Every backup beside path, by the revision it was taken at."""
    found = {}
    for candidate in path.parent.glob(f"{path.name}.rev-*.bak"):
        match = BACKUP.search(candidate.name)
        if match:
            found[match["revision"]] = candidate
    return dict(sorted(found.items()))


def _copy(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API, written beside target and renamed over it."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    reader = sqlite3.connect(source)
    writer = sqlite3.connect(partial)
    try:
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode=DELETE")     # one self-contained file, no -wal beside it
    finally:
        writer.close()
        reader.close()
    with open(partial, "rb") as file:
        os.fsync(file.fileno())
    os.replace(partial, target)


def take(path: Path, revision: str) -> Path:
    """Copy the database at path, currently at revision, before it is migrated; the newest copy per revision."""
    target = backup_path(path, revision)
    _copy(path, target)
    log.info("database at revision %s backed up to %s before migrating", revision, target.name)
    return target


def _undelivered(connection: sqlite3.Connection) -> dict[str, set[str]]:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {table: {row[0] for row in connection.execute(f"SELECT id FROM {table} WHERE state != ?", (DELIVERED,))}
            for table in QUEUES if table in tables}


def _all_ids(connection: sqlite3.Connection, table: str) -> set[str]:
    exists = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    return {row[0] for row in connection.execute(f"SELECT id FROM {table}")} if exists else set()


def missing_from(path: Path, backup: Path) -> dict[str, int]:
    """Per queue table, how many rows the kiosk still owes the centre that the backup does not hold."""
    current = sqlite3.connect(path)
    saved = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        owed = _undelivered(current)
        return {table: len(ids - _all_ids(saved, table)) for table, ids in owed.items() if ids - _all_ids(saved, table)}
    finally:
        current.close()
        saved.close()


def revision_of(path: Path) -> str | None:
    """The schema revision of the database at path (None: no file, or never migrated)."""
    if not path.exists():
        return None
    connection = sqlite3.connect(path)
    try:
        return next(iter(connection.execute("SELECT version_num FROM alembic_version")), (None,))[0]
    except sqlite3.OperationalError:
        return None
    finally:
        connection.close()


def restore(path: Path, revision: str) -> Restored | None:
    """Put back the database as it was at revision; the migrated one is kept beside it, renamed.

    None when the database is at that revision already (the update did not migrate it): nothing to
    undo. Run with the kiosk stopped. Refuses when no backup of that revision exists, or when the
    current database owes the centre something the backup lacks.
    """

    if revision_of(path) == revision:
        log.info("database already at revision %s: nothing to restore", revision)
        return None
    backup = backup_path(path, revision)
    if not backup.exists():
        have = ", ".join(backups(path)) or "none"
        raise RestoreRefused(f"no backup of revision {revision} beside {path} (backups: {have})")
    with exclusive(path):
        if path.exists():
            missing = missing_from(path, backup)
            if missing:
                counts = ", ".join(f"{count} in {table}" for table, count in missing.items())
                raise RestoreRefused(f"not delivered yet and not in the backup: {counts}; deliver them first "
                                     "(kiosk24 sync --once) or stay on this release")
        kept = path.with_name(f"{path.name}{ROLLED_BACK}{dt.datetime.now():%Y%m%dT%H%M%S}")
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{path}{suffix}").exists():
                Path(f"{path}{suffix}").rename(f"{kept}{suffix}")
        _copy(backup, path)
    log.warning("database restored to revision %s from %s; the migrated one kept as %s", revision, backup.name,
                kept.name)
    return Restored(revision, kept)
