"""The durable outbox: applications written in one transaction, claimed atomically for delivery.

Several processes (the app, `kiosk24 sync`, `kiosk24 simulate`) may share the file; a claim is one
UPDATE ... RETURNING so two workers never take the same row, and a claim left by a dead process
returns to pending as soon as another sees that process gone (or after CLAIM_TIMEOUT). Delivering
twice is harmless: the centre deduplicates by idempotency key, so at-least-once here is exactly-once
there.

The payload (the citizen's identity and form) and attachments are sealed with sync.keyring before
they touch the disk; case numbers, states and times stay plain so technicians can read the queue.
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import logging
import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.application import Application, Attachment
from kiosk.outcome import Outcome
from kiosk.storage import AttachmentRow, CounterRow, OutboxRow
from sync.keyring import KEY_FILE, Keyring, KeyringError

log = logging.getLogger(__name__)

PENDING, SENDING, DELIVERED, DEAD = "pending", "sending", "delivered", "dead"
CLAIM_TIMEOUT = dt.timedelta(minutes=2)
# No backoff waits longer than this; a timer further out means the clock went back, and is not trusted.
TIMER_LIMIT = dt.timedelta(hours=1)
STATUS_CURSOR = "status-cursor"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclasses.dataclass(frozen=True)
class Claimed:
    key: str
    payload: dict
    attempts: int


@dataclasses.dataclass(frozen=True)
class QueueStatus:
    pending: int
    dead: int
    delivered: int
    oldest_pending_age_s: float | None

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def delivered_values(central_case_number: str) -> dict[str, object]:
    return {"state": DELIVERED, "central_case_number": central_case_number, "delivered_at": utcnow(),
            "last_error": None}


def retry_values(error: str, delay_s: float) -> dict[str, object]:
    return {"state": PENDING, "last_error": error, "next_attempt_at": utcnow() + dt.timedelta(seconds=delay_s)}


def dead_values(reason: str) -> dict[str, object]:
    return {"state": DEAD, "last_error": reason}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:             # another user's process: alive
        return True
    return True


def _listed(attachment: dict[str, str]) -> dict[str, str]:
    """What the sealed payload records of an attachment: everything but the bytes."""
    return {"name": attachment["name"], "media_type": attachment["media_type"], "sha256": attachment["sha256"]}


def _bump(conn: sa.Connection, name: str) -> int:
    """Advance a counter inside the caller's transaction (and take SQLite's write lock)."""
    return conn.execute(
        sqlite_insert(CounterRow).values(name=name, value=1)
        .on_conflict_do_update(index_elements=[CounterRow.name], set_={"value": CounterRow.value + 1})
        .returning(CounterRow.value)
    ).scalar_one()


class Outbox:
    def __init__(self, engine: sa.Engine, kiosk_id: str, keyring: Keyring | None = None) -> None:
        """Opening the outbox seals whatever an older version left plain; the key file sits beside kiosk.db."""
        self.engine = engine
        self.kiosk_id = kiosk_id
        self.keyring = keyring or Keyring.load_or_create(Path(engine.url.database or "").with_name(KEY_FILE))
        self.reseal()

    def _payload(self, row: sa.Row) -> dict:
        if row.key_id is None:                          # queued before sealing existed
            return json.loads(row.payload)
        return json.loads(self.keyring.open(base64.b64decode(row.payload), f"{row.id}/payload"))

    def _attachment_data(self, row: sa.Row) -> bytes:
        if row.key_id is None:
            return row.data
        return self.keyring.open(row.data, f"{row.application_id}/attachment/{row.position}")

    def submit(self, application: Application) -> Outcome[str]:
        """One transaction: the next case number of the day, the application and its attachments, or nothing."""
        day = application.submitted_at.strftime("%Y%m%d")
        now = utcnow()
        try:
            with self.engine.begin() as conn:
                # The counter comes first: its write lock makes a concurrent key rotation wait, so the
                # key sealing below is still in the key file when this commits.
                seq = _bump(conn, f"case-{day}")
                case_number = f"{self.kiosk_id}-{day}-{seq:04d}"
                key = application.idempotency_key
                wire = application.to_wire(case_number)
                # The bytes go to their own table; the sealed payload lists what must be there when sent.
                wire["attachments"] = [_listed(a) for a in wire["attachments"]]
                plain = json.dumps(wire, ensure_ascii=False).encode()
                conn.execute(sa.insert(OutboxRow).values(
                    id=key,
                    kiosk_case_number=case_number,
                    service_code=application.service_code,
                    payload=base64.b64encode(self.keyring.seal(plain, f"{key}/payload")).decode("ascii"),
                    key_id=self.keyring.current_id,
                    state=PENDING, created_at=now, attempts=0, next_attempt_at=now,
                ))
                if application.attachments:
                    conn.execute(sa.insert(AttachmentRow), [
                        {"application_id": key, "position": position, "name": a.name, "media_type": a.media_type,
                         "sha256": a.sha256, "data": self.keyring.seal(a.data, f"{key}/attachment/{position}"),
                         "key_id": self.keyring.current_id}
                        for position, a in enumerate(application.attachments)])
        except (sa.exc.OperationalError, sqlite3.OperationalError, KeyringError, OSError) as exc:
            log.error("could not queue application %s: %s", application.idempotency_key, exc)
            return Outcome.failure("error.store_failed", str(exc))
        log.info("queued application %s as %s", application.idempotency_key, case_number)
        return Outcome.success(case_number)

    def claim(self, limit: int = 10, force_since: dt.datetime | None = None) -> list[Claimed]:
        """Take up to `limit` due applications, oldest first.

        force_since ignores backoff timers for what was not claimed since that moment, so a forced
        pass (`kiosk24 sync --once`) takes batches until each pending application was tried once.
        """
        now = utcnow()
        due = sa.select(OutboxRow.id).where(OutboxRow.state == PENDING)
        if force_since is not None:
            due = due.where(sa.or_(OutboxRow.claimed_at.is_(None), OutboxRow.claimed_at < force_since))
        else:
            due = due.where(sa.or_(OutboxRow.next_attempt_at <= now, OutboxRow.next_attempt_at > now + TIMER_LIMIT))
        statement = (
            sa.update(OutboxRow)
            .where(OutboxRow.id.in_(due.order_by(OutboxRow.id).limit(limit).scalar_subquery()))
            .values(state=SENDING, claimed_at=now, claimed_by=os.getpid(), attempts=OutboxRow.attempts + 1)
            .returning(OutboxRow.id, OutboxRow.payload, OutboxRow.key_id, OutboxRow.attempts)
        )
        with self.engine.begin() as conn:
            rows = conn.execute(statement).all()
            attachments = conn.execute(
                sa.select(AttachmentRow).where(AttachmentRow.application_id.in_([r.id for r in rows]))
                .order_by(AttachmentRow.position)).all()
        claimed = []
        for row in sorted(rows, key=lambda r: r.id):
            try:
                payload = self._payload(row)
                listed = payload.get("attachments")         # absent in rows queued before revision 0002
                payload["attachments"] = [
                    Attachment(a.name, a.media_type, self._attachment_data(a)).to_wire()
                    for a in attachments if a.application_id == row.id]
                if listed is not None and listed != [_listed(a) for a in payload["attachments"]]:
                    raise KeyringError("attachments missing or changed since the application was queued")
            except KeyringError as exc:     # a lost key, a damaged file: set aside for a technician, never sent
                log.error("cannot send queued application %s: %s", row.id, exc)
                self.dead(row.id, f"cannot open: {exc}")
                continue
            claimed.append(Claimed(row.id, payload, row.attempts))
        return claimed

    def reseal(self, batch: int = 200) -> int:
        """Seal with the newest key what an older key (or none) sealed; returns how many applications.

        A value no key opens is left as it is (claim sets its application aside): nothing is deleted.
        """
        current, done, unreadable = self.keyring.current_id, 0, set()
        stale_rows = sa.select(OutboxRow).where(sa.or_(OutboxRow.key_id.is_(None), OutboxRow.key_id != current))
        stale_scans = sa.select(AttachmentRow).where(
            sa.or_(AttachmentRow.key_id.is_(None), AttachmentRow.key_id != current))
        while True:
            with self.engine.begin() as conn:
                rows = conn.execute(stale_rows.where(OutboxRow.id.not_in(unreadable)).limit(batch)).all()
                scans = conn.execute(
                    stale_scans.where(AttachmentRow.application_id.not_in(unreadable)).limit(batch)).all()
                for row in rows:
                    try:
                        plain = json.dumps(self._payload(row), ensure_ascii=False).encode()
                    except KeyringError as exc:
                        log.error("cannot re-seal queued application %s: %s", row.id, exc)
                        unreadable.add(row.id)
                        continue
                    conn.execute(sa.update(OutboxRow).where(OutboxRow.id == row.id).values(
                        payload=base64.b64encode(self.keyring.seal(plain, f"{row.id}/payload")).decode("ascii"),
                        key_id=current))
                    done += 1
                for scan in scans:
                    context = f"{scan.application_id}/attachment/{scan.position}"
                    try:
                        data = self._attachment_data(scan)
                    except KeyringError as exc:
                        log.error("cannot re-seal an attachment of %s: %s", scan.application_id, exc)
                        unreadable.add(scan.application_id)
                        continue
                    conn.execute(sa.update(AttachmentRow).where(
                        AttachmentRow.application_id == scan.application_id, AttachmentRow.position == scan.position,
                    ).values(data=self.keyring.seal(data, context), key_id=current))
            if not rows and not scans:
                return done

    def rotate_key(self) -> tuple[int, list[str]]:
        """A new key seals everything; keys nothing uses any more leave the file. Safe to interrupt and rerun."""
        self.keyring.add_key()
        resealed = self.reseal()
        with self.engine.begin() as conn:
            _bump(conn, "key-rotations")            # hold the write lock: no submission seals meanwhile
            used = set(conn.execute(sa.select(OutboxRow.key_id).distinct()).scalars()) | \
                set(conn.execute(sa.select(AttachmentRow.key_id).distinct()).scalars())
            dropped = self.keyring.keep_only({k for k in used if k})
        log.info("outbox key rotated: %d application(s) re-sealed, %d old key(s) dropped", resealed, len(dropped))
        return resealed, dropped

    def release_stale(self) -> int:
        """Return to pending the claims of processes that died mid-delivery, those older than CLAIM_TIMEOUT
        and those "from the future" (the clock went back). Releasing a live claim only risks a repeat,
        which the centre absorbs."""
        now = utcnow()
        with self.engine.begin() as conn:
            owners = conn.execute(sa.select(OutboxRow.claimed_by).where(OutboxRow.state == SENDING).distinct())
            dead = [pid for pid in owners.scalars() if pid is not None and not _alive(pid)]
            return conn.execute(
                sa.update(OutboxRow).where(OutboxRow.state == SENDING, sa.or_(
                    OutboxRow.claimed_by.in_(dead),
                    OutboxRow.claimed_at < now - CLAIM_TIMEOUT, OutboxRow.claimed_at > now + CLAIM_TIMEOUT))
                .values(state=PENDING)
            ).rowcount

    def unclaim(self, keys: list[str]) -> None:
        """Give claims back untried, their timers untouched."""
        if not keys:
            return
        with self.engine.begin() as conn:
            conn.execute(sa.update(OutboxRow).where(OutboxRow.id.in_(keys), OutboxRow.state == SENDING)
                         .values(state=PENDING))

    def settle(self, outcomes: list[tuple[str, dict[str, object]]]) -> None:
        """Record a batch's outcomes in one transaction (one disk sync, not one per application).
        A crash before it only means the batch is sent again, which the centre absorbs."""
        with self.engine.begin() as conn:
            for key, values in outcomes:
                conn.execute(sa.update(OutboxRow).where(OutboxRow.id == key).values(**values))

    def delivered(self, key: str, central_case_number: str) -> None:
        self.settle([(key, delivered_values(central_case_number))])

    def retry_later(self, key: str, error: str, delay_s: float) -> None:
        self.settle([(key, retry_values(error, delay_s))])

    def dead(self, key: str, reason: str) -> None:
        self.settle([(key, dead_values(reason))])

    def retry_dead(self) -> int:
        """Technician action: give dead letters another chance after the cause was fixed."""
        with self.engine.begin() as conn:
            return conn.execute(
                sa.update(OutboxRow).where(OutboxRow.state == DEAD)
                .values(state=PENDING, next_attempt_at=utcnow(), attempts=0)
            ).rowcount

    def purge_delivered(self, older_than: dt.timedelta = dt.timedelta(0)) -> int:
        """Forget applications the centre acknowledged once the retention for reprints has passed:
        personal data leaves the kiosk. Attachments go with them (ON DELETE CASCADE)."""
        cutoff = utcnow() - older_than
        with self.engine.begin() as conn:
            return conn.execute(
                sa.delete(OutboxRow).where(OutboxRow.state == DELIVERED, OutboxRow.delivered_at <= cutoff)
            ).rowcount

    def status_cursor(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(CounterRow.value).where(CounterRow.name == STATUS_CURSOR)).scalar() or 0

    def record_statuses(self, changes: list[tuple[str, str, dt.datetime]], cursor: int) -> None:
        """The centre's status changes (key, status, when) and the cursor after them, in one transaction."""
        with self.engine.begin() as conn:
            for key, central_status, at in changes:
                conn.execute(sa.update(OutboxRow).where(OutboxRow.id == key)
                             .values(central_status=central_status, status_at=at))
            conn.execute(sqlite_insert(CounterRow).values(name=STATUS_CURSOR, value=cursor)
                         .on_conflict_do_update(index_elements=[CounterRow.name], set_={"value": cursor}))

    def status(self) -> QueueStatus:
        with self.engine.connect() as conn:
            counts = dict(conn.execute(
                sa.select(OutboxRow.state, sa.func.count()).group_by(OutboxRow.state)).all())
            oldest = conn.execute(
                sa.select(sa.func.min(OutboxRow.created_at)).where(OutboxRow.state.in_((PENDING, SENDING)))
            ).scalar()
        return QueueStatus(
            pending=counts.get(PENDING, 0) + counts.get(SENDING, 0),
            dead=counts.get(DEAD, 0),
            delivered=counts.get(DELIVERED, 0),
            oldest_pending_age_s=max((utcnow() - oldest).total_seconds(), 0.0) if oldest else None,
        )

    def rows(self, state: str | None = None) -> list[OutboxRow]:
        with self.engine.connect() as conn:
            query = sa.select(OutboxRow).order_by(OutboxRow.id)
            if state:
                query = query.where(OutboxRow.state == state)
            return [OutboxRow(**row._mapping) for row in conn.execute(query)]
