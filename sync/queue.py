"""What the application outbox and the message queue share: the delivery states, atomic claims,
retries, dead letters, counts, and sealing a JSON value with sync.keyring before it touches the disk.

A table served by DeliveryQueue has the columns id, state, created_at, attempts, next_attempt_at,
claimed_at, claimed_by, last_error, delivered_at and key_id (see kiosk.storage). Several processes
may share the file; a claim is one UPDATE ... RETURNING so two workers never take the same row.
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import os
import sqlite3
from pathlib import Path
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.storage import Base, CounterRow
from sync.keyring import KEY_FILE, Keyring, KeyringError

PENDING, SENDING, DELIVERED, DEAD = "pending", "sending", "delivered", "dead"
CLAIM_TIMEOUT = dt.timedelta(minutes=2)
# No backoff waits longer than this; a timer further out means the clock went back, and is not trusted.
TIMER_LIMIT = dt.timedelta(hours=1)
# What a failing write to the kiosk database raises; callers turn it into a named Outcome.
STORE_ERRORS = (sa.exc.OperationalError, sqlite3.OperationalError, KeyringError, OSError)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclasses.dataclass(frozen=True)
class QueueStatus:
    pending: int
    dead: int
    delivered: int
    oldest_pending_age_s: float | None

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def done_values() -> dict[str, object]:
    return {"state": DELIVERED, "delivered_at": utcnow(), "last_error": None}


def retry_values(error: str, delay_s: float) -> dict[str, object]:
    return {"state": PENDING, "last_error": error, "next_attempt_at": utcnow() + dt.timedelta(seconds=delay_s)}


def dead_values(reason: str) -> dict[str, object]:
    return {"state": DEAD, "last_error": reason}


def keyring_beside(engine: sa.Engine) -> Keyring:
    """The key file beside kiosk.db, created on a kiosk's first start; the outbox and the message queue share it."""
    return Keyring.load_or_create(Path(engine.url.database or "").with_name(KEY_FILE))


def seal_json(keyring: Keyring, value: dict[str, Any], context: str) -> str:
    """The value as JSON, sealed for its row and column (context), as base64 text for a Text column."""
    plain = json.dumps(value, ensure_ascii=False).encode()
    return base64.b64encode(keyring.seal(plain, context)).decode("ascii")


def open_json(keyring: Keyring, text: str, key_id: str | None, context: str) -> dict[str, Any]:
    """The value seal_json stored; key_id None is a value queued before sealing existed (plain JSON)."""
    plain = text if key_id is None else keyring.open(base64.b64decode(text), context)
    value: dict[str, Any] = json.loads(plain)
    return value


def bump(conn: sa.Connection, name: str) -> int:
    """Advance a counter inside the caller's transaction. Taking SQLite's write lock before sealing makes
    a concurrent key rotation wait, so the key that seals is still in the key file when this commits."""
    return conn.execute(
        sqlite_insert(CounterRow).values(name=name, value=1)
        .on_conflict_do_update(index_elements=[CounterRow.name], set_={"value": CounterRow.value + 1})
        .returning(CounterRow.value)
    ).scalar_one()


def sealing_keys(conn: sa.Connection) -> set[str]:
    """Every key a sealed column of the kiosk database needs: key rotation keeps these in the key file."""
    used: set[str] = set()
    for table in Base.metadata.tables.values():
        if "key_id" in table.columns:
            used |= {k for k in conn.execute(sa.select(table.c.key_id).distinct()).scalars() if k}
    return used


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:             # another user's process: alive
        return True
    return True


class DeliveryQueue:
    """Claims, outcomes and counts over one table of rows waiting for delivery to the centre."""

    table: ClassVar[Any]                # the ORM class (kiosk.storage.OutboxRow, MessageRow)

    def __init__(self, engine: sa.Engine, keyring: Keyring) -> None:
        self.engine = engine
        self.keyring = keyring

    def claim_statement(self, limit: int, force_since: dt.datetime | None, *returning: Any) -> sa.Update:
        """Take up to `limit` due rows, oldest first, marking them sending by this process.

        force_since ignores backoff timers for what was not claimed since that moment, so a forced
        pass (`kiosk24 sync --once`) takes batches until each pending row was tried once.
        """
        t, now = self.table, utcnow()
        due = sa.select(t.id).where(t.state == PENDING)
        if force_since is not None:
            due = due.where(sa.or_(t.claimed_at.is_(None), t.claimed_at < force_since))
        else:
            due = due.where(sa.or_(t.next_attempt_at <= now, t.next_attempt_at > now + TIMER_LIMIT))
        return (sa.update(t).where(t.id.in_(due.order_by(t.id).limit(limit).scalar_subquery()))
                .values(state=SENDING, claimed_at=now, claimed_by=os.getpid(), attempts=t.attempts + 1)
                .returning(*returning))

    def release_stale(self) -> int:
        """Return to pending the claims of processes that died mid-delivery, those older than CLAIM_TIMEOUT
        and those "from the future" (the clock went back). Releasing a live claim only risks a repeat,
        which the centre absorbs."""
        t, now = self.table, utcnow()
        with self.engine.begin() as conn:
            owners = conn.execute(sa.select(t.claimed_by).where(t.state == SENDING).distinct())
            dead = [pid for pid in owners.scalars() if pid is not None and not _alive(pid)]
            return conn.execute(
                sa.update(t).where(t.state == SENDING, sa.or_(
                    t.claimed_by.in_(dead), t.claimed_at < now - CLAIM_TIMEOUT, t.claimed_at > now + CLAIM_TIMEOUT))
                .values(state=PENDING)
            ).rowcount

    def unclaim(self, keys: list[str]) -> None:
        """Give claims back untried, their timers untouched."""
        if not keys:
            return
        with self.engine.begin() as conn:
            conn.execute(sa.update(self.table).where(self.table.id.in_(keys), self.table.state == SENDING)
                         .values(state=PENDING))

    def settle(self, outcomes: list[tuple[str, dict[str, object]]]) -> None:
        """Record a batch's outcomes in one transaction (one disk sync, not one per row).
        A crash before it only means the batch is sent again, which the centre absorbs."""
        with self.engine.begin() as conn:
            for key, values in outcomes:
                conn.execute(sa.update(self.table).where(self.table.id == key).values(**values))

    def retry_later(self, key: str, error: str, delay_s: float) -> None:
        self.settle([(key, retry_values(error, delay_s))])

    def dead(self, key: str, reason: str) -> None:
        self.settle([(key, dead_values(reason))])

    def retry_dead(self) -> int:
        """Technician action: give dead letters another chance after the cause was fixed."""
        with self.engine.begin() as conn:
            return conn.execute(
                sa.update(self.table).where(self.table.state == DEAD)
                .values(state=PENDING, next_attempt_at=utcnow(), attempts=0)
            ).rowcount

    def purge_delivered(self, older_than: dt.timedelta = dt.timedelta(0)) -> int:
        """Forget what the centre acknowledged once its retention has passed: personal data leaves the kiosk."""
        cutoff = utcnow() - older_than
        with self.engine.begin() as conn:
            return conn.execute(
                sa.delete(self.table).where(self.table.state == DELIVERED, self.table.delivered_at <= cutoff)
            ).rowcount

    def reseal(self, batch: int = 200) -> int:
        """Seal with the newest key what an older key (or none) sealed; returns how many rows."""
        raise NotImplementedError

    def status(self) -> QueueStatus:
        """Counts per state (sending counts as pending) and the age of the oldest row not yet delivered."""
        t = self.table
        with self.engine.connect() as conn:
            counts: dict[str, int] = dict(conn.execute(sa.select(t.state, sa.func.count()).group_by(t.state)).all())
            oldest = conn.execute(sa.select(sa.func.min(t.created_at)).where(t.state.in_((PENDING, SENDING)))).scalar()
        return QueueStatus(
            pending=counts.get(PENDING, 0) + counts.get(SENDING, 0),
            dead=counts.get(DEAD, 0),
            delivered=counts.get(DELIVERED, 0),
            oldest_pending_age_s=max((utcnow() - oldest).total_seconds(), 0.0) if oldest else None,
        )
