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

import dataclasses
import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.application import Application
from kiosk.outcome import Outcome
from kiosk.storage import AttachmentRow, CounterRow, OutboxRow
from sync.keyring import Keyring, KeyringError

# The queue's states and outcomes are re-exported: the worker, the CLI and tests name them from here.
from sync.queue import (  # noqa: F401
    CLAIM_TIMEOUT,
    DEAD,
    DELIVERED,
    PENDING,
    SENDING,
    STORE_ERRORS,
    TIMER_LIMIT,
    DeliveryQueue,
    QueueStatus,
    bump,
    dead_values,
    done_values,
    keyring_beside,
    open_json,
    retry_values,
    seal_json,
    sealing_keys,
    utcnow,
)
from sync.wire import WireError, application_body, attachment, body

log = logging.getLogger(__name__)

STATUS_CURSOR = "status-cursor"


@dataclasses.dataclass(frozen=True)
class Claimed:
    key: str
    payload: dict[str, Any]
    attempts: int


def delivered_values(central_case_number: str) -> dict[str, object]:
    return {**done_values(), "central_case_number": central_case_number}


def _listed(attachment: dict[str, str]) -> dict[str, str]:
    """What the sealed payload records of an attachment: everything but the bytes."""
    return {"name": attachment["name"], "media_type": attachment["media_type"], "sha256": attachment["sha256"]}


class Outbox(DeliveryQueue):
    table = OutboxRow

    def __init__(self, engine: sa.Engine, kiosk_id: str, keyring: Keyring | None = None) -> None:
        """Opening the outbox seals whatever an older version left plain; the key file sits beside kiosk.db."""
        super().__init__(engine, keyring or keyring_beside(engine))
        self.kiosk_id = kiosk_id
        self.reseal()

    def _payload(self, row: sa.Row[Any]) -> dict[str, Any]:
        return open_json(self.keyring, row.payload, row.key_id, f"{row.id}/payload")

    def _attachment_data(self, row: sa.Row[Any]) -> bytes:
        if row.key_id is None:
            return bytes(row.data)
        return self.keyring.open(row.data, f"{row.application_id}/attachment/{row.position}")

    def submit(self, application: Application) -> Outcome[str]:
        """One transaction: the next case number of the day, the application and its attachments, or nothing."""
        outcome = self.submit_many([application])
        if not outcome.ok:
            return Outcome.failure(outcome.problem or "error.store_failed", outcome.detail)
        return Outcome.success(outcome.unwrap()[0])

    def submit_many(self, applications: list[Application]) -> Outcome[list[str]]:
        """Several applications in one transaction (一件事一次办: one per department), each with its own
        case number and idempotency key, so each syncs like any other; all are queued, or none."""
        now = utcnow()
        try:
            with self.engine.begin() as conn:
                case_numbers = [self._queue(conn, application, now) for application in applications]
        except WireError as exc:        # a bug in the kiosk: the centre would refuse it, so keep the citizen here
            log.error("application(s) %s do not fit the wire schema: %s",
                      ", ".join(a.idempotency_key for a in applications), exc)
            return Outcome.failure("error.store_failed", str(exc))
        except STORE_ERRORS as exc:
            log.error("could not queue application(s) %s: %s",
                      ", ".join(a.idempotency_key for a in applications), exc)
            return Outcome.failure("error.store_failed", str(exc))
        for application, case_number in zip(applications, case_numbers, strict=True):
            log.info("queued application %s as %s", application.idempotency_key, case_number)
        return Outcome.success(case_numbers)

    def _queue(self, conn: sa.Connection, application: Application, now: dt.datetime) -> str:
        """Write one application inside the caller's transaction; its kiosk case number."""
        day = application.submitted_at.strftime("%Y%m%d")
        # The counter comes first: its write lock makes a concurrent key rotation wait, so the
        # key sealing below is still in the key file when this commits.
        seq = bump(conn, f"case-{day}")
        case_number = f"{self.kiosk_id}-{day}-{seq:04d}"
        key = application.idempotency_key
        wire = application_body(application, case_number)
        # The bytes go to their own table; the sealed payload lists what must be there when sent.
        wire["attachments"] = [_listed(a) for a in wire["attachments"]]
        conn.execute(sa.insert(OutboxRow).values(
            id=key,
            kiosk_case_number=case_number,
            service_code=application.service_code,
            payload=seal_json(self.keyring, wire, f"{key}/payload"),
            key_id=self.keyring.current_id,
            state=PENDING, created_at=now, attempts=0, next_attempt_at=now,
        ))
        if application.attachments:
            conn.execute(sa.insert(AttachmentRow), [
                {"application_id": key, "position": position, "name": a.name, "media_type": a.media_type,
                 "sha256": a.sha256, "data": self.keyring.seal(a.data, f"{key}/attachment/{position}"),
                 "key_id": self.keyring.current_id}
                for position, a in enumerate(application.attachments)])
        return case_number

    def claim(self, limit: int = 10, force_since: dt.datetime | None = None) -> list[Claimed]:
        """Take up to `limit` due applications with their attachments, oldest first (see claim_statement)."""
        statement = self.claim_statement(limit, force_since,
                                         OutboxRow.id, OutboxRow.payload, OutboxRow.key_id, OutboxRow.attempts)
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
                    body(attachment(a.name, a.media_type, self._attachment_data(a)))
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
        current, done, unreadable = self.keyring.current_id, 0, set[int]()
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
                        payload = self._payload(row)
                    except KeyringError as exc:
                        log.error("cannot re-seal queued application %s: %s", row.id, exc)
                        unreadable.add(row.id)
                        continue
                    conn.execute(sa.update(OutboxRow).where(OutboxRow.id == row.id).values(
                        payload=seal_json(self.keyring, payload, f"{row.id}/payload"), key_id=current))
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

    def rotate_key(self, others: tuple[DeliveryQueue, ...] = ()) -> tuple[int, list[str]]:
        """A new key seals everything (this outbox and the `others` sharing its keyring, e.g. the message
        queue); keys no sealed column of the database uses any more leave the file. Safe to interrupt and rerun."""
        self.keyring.add_key()
        resealed = self.reseal() + sum(other.reseal() for other in others)
        with self.engine.begin() as conn:
            bump(conn, "key-rotations")             # hold the write lock: no submission seals meanwhile
            dropped = self.keyring.keep_only(sealing_keys(conn))
        log.info("outbox key rotated: %d row(s) re-sealed, %d old key(s) dropped", resealed, len(dropped))
        return resealed, dropped

    def delivered(self, key: str, central_case_number: str) -> None:
        self.settle([(key, delivered_values(central_case_number))])

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

    def rows(self, state: str | None = None) -> list[OutboxRow]:
        with self.engine.connect() as conn:
            query = sa.select(OutboxRow).order_by(OutboxRow.id)
            if state:
                query = query.where(OutboxRow.state == state)
            return [OutboxRow(**row._mapping) for row in conn.execute(query)]
