"""What the technician's outbox and network pages, the USB export and nightly housekeeping report: the
queues (applications and messages), dead letters with their reasons, the sync worker's state and when
the centre last answered. Plain values, no citizen data: case numbers and service codes only.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.config import Config
from kiosk.storage import damaged_copies
from sync.identity import key_path
from sync.outbox import Outbox
from sync.queue import DEAD, QueueStatus, utcnow

if TYPE_CHECKING:
    from sync.worker import SyncWorker


class Queue(Protocol):
    """The message queue as far as technicians' tools need it (sync.messages.MessageOutbox)."""

    def status(self) -> QueueStatus: ...

    def rows(self, state: str | None = None) -> list[Any]: ...

    def retry_dead(self) -> int: ...

    def purge_delivered(self, older_than: dt.timedelta = dt.timedelta(0)) -> int: ...


@dataclasses.dataclass(frozen=True)
class DeadLetter:
    """An application or message the centre refused (or the kiosk could not open): for a technician to fix."""

    what: str            # the kiosk case number, or the message's kind
    kind: str            # the service code, or "message"
    reason: str
    attempts: int


@dataclasses.dataclass(frozen=True)
class SyncReport:
    kiosk_id: str
    at: dt.datetime
    applications: QueueStatus
    messages: QueueStatus | None
    dead_letters: list[DeadLetter]
    state: str                        # the worker's one word (ok, offline, disk_full ...); "" without a worker
    detail: str
    storage_alert: str
    clock_jump: str                   # the wall clock's last jump seen by the worker, "" if none
    last_sync_at: dt.datetime | None  # the centre last took an application or answered a status pull
    last_heartbeat_at: dt.datetime | None
    credential_present: bool
    disk_free_bytes: int | None

    def as_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            return value.isoformat() if isinstance(value, dt.datetime) else value
        return {name: plain(value) for name, value in dataclasses.asdict(self).items()}


def credential_present(config: Config) -> bool:
    """Whether the kiosk has a key (or a credential still to be moved to one) to sign with; the secret
    itself is never read out."""
    if key_path(config).exists():
        return True
    if config.credential_file:
        try:
            return bool(Path(config.credential_file).read_text(encoding="utf-8").strip())
        except OSError:
            return False
    return bool(config.credential)


def dead_letters(outbox: Outbox, messages: Queue | None) -> list[DeadLetter]:
    found = [DeadLetter(r.kiosk_case_number, r.service_code, r.last_error or "", r.attempts)
             for r in outbox.rows(DEAD)]
    if messages is not None:
        found += [DeadLetter(m.kind, "message", m.last_error or "", m.attempts) for m in messages.rows(DEAD)]
    return found


def _free_bytes(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def report(config: Config, outbox: Outbox, messages: Queue | None = None,
           worker: SyncWorker | None = None) -> SyncReport:
    """Reads the database: call it off the UI thread."""
    contacts = dict(worker.contacts) if worker is not None else {}
    synced = [contacts[name] for name in ("push", "pull_statuses") if name in contacts]
    alert = worker.storage_alert if worker is not None else ""
    if not alert and damaged_copies(config.database_path):
        alert = ", ".join(p.name for p in damaged_copies(config.database_path))
    return SyncReport(
        kiosk_id=config.kiosk_id, at=utcnow(), applications=outbox.status(),
        messages=messages.status() if messages is not None else None,
        dead_letters=dead_letters(outbox, messages),
        state=worker.state if worker is not None else "", detail=worker.detail if worker is not None else "",
        storage_alert=alert, clock_jump=worker.clock_jump if worker is not None else "",
        last_sync_at=max(synced) if synced else None,
        last_heartbeat_at=contacts.get("heartbeat"), credential_present=credential_present(config),
        disk_free_bytes=_free_bytes(config.data_dir))
