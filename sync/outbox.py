"""The durable outbox: applications written in one transaction, claimed atomically for delivery.

Several processes (the app, `kiosk24 sync`, `kiosk24 simulate`) may share the file; a claim is one
UPDATE ... RETURNING so two workers never take the same row, and a claim left by a dead process
returns to pending after CLAIM_TIMEOUT. Delivering twice is harmless: the centre deduplicates
by idempotency key, so at-least-once here is exactly-once there.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import sqlite3

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.application import Application, Attachment
from kiosk.outcome import Outcome
from kiosk.storage import AttachmentRow, CounterRow, OutboxRow

log = logging.getLogger(__name__)

PENDING, SENDING, DELIVERED, DEAD = "pending", "sending", "delivered", "dead"
CLAIM_TIMEOUT = dt.timedelta(minutes=2)


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


class Outbox:
    def __init__(self, engine: sa.Engine, kiosk_id: str) -> None:
        self.engine = engine
        self.kiosk_id = kiosk_id

    def submit(self, application: Application) -> Outcome[str]:
        """One transaction: the next case number of the day, the application and its attachments, or nothing."""
        day = application.submitted_at.strftime("%Y%m%d")
        now = utcnow()
        try:
            with self.engine.begin() as conn:
                counter = f"case-{day}"
                seq = conn.execute(
                    sqlite_insert(CounterRow).values(name=counter, value=1)
                    .on_conflict_do_update(index_elements=[CounterRow.name],
                                           set_={"value": CounterRow.value + 1})
                    .returning(CounterRow.value)
                ).scalar_one()
                case_number = f"{self.kiosk_id}-{day}-{seq:04d}"
                wire = application.to_wire(case_number)
                del wire["attachments"]                 # kept as bytes in their own table, not as base64
                conn.execute(sa.insert(OutboxRow).values(
                    id=application.idempotency_key,
                    kiosk_case_number=case_number,
                    service_code=application.service_code,
                    payload=json.dumps(wire, ensure_ascii=False),
                    state=PENDING, created_at=now, attempts=0, next_attempt_at=now,
                ))
                if application.attachments:
                    conn.execute(sa.insert(AttachmentRow), [
                        {"application_id": application.idempotency_key, "position": position, "name": a.name,
                         "media_type": a.media_type, "sha256": a.sha256, "data": a.data}
                        for position, a in enumerate(application.attachments)])
        except (sa.exc.OperationalError, sqlite3.OperationalError) as exc:
            log.error("could not queue application %s: %s", application.idempotency_key, exc)
            return Outcome.failure("error.store_failed", str(exc))
        log.info("queued application %s as %s", application.idempotency_key, case_number)
        return Outcome.success(case_number)

    def claim(self, limit: int | None = 10, force: bool = False) -> list[Claimed]:
        """Take up to `limit` (None: all) due applications; `force` ignores backoff timers."""
        now = utcnow()
        due = sa.select(OutboxRow.id).where(OutboxRow.state == PENDING)
        if not force:
            due = due.where(OutboxRow.next_attempt_at <= now)
        statement = (
            sa.update(OutboxRow)
            .where(OutboxRow.id.in_(due.order_by(OutboxRow.id).limit(limit).scalar_subquery()))
            .values(state=SENDING, claimed_at=now, attempts=OutboxRow.attempts + 1)
            .returning(OutboxRow.id, OutboxRow.payload, OutboxRow.attempts)
        )
        with self.engine.begin() as conn:
            rows = conn.execute(statement).all()
            attachments = self._attachments(conn, [r.id for r in rows])
        claimed = []
        for row in rows:
            payload = json.loads(row.payload)
            payload["attachments"] = [a.to_wire() for a in attachments.get(row.id, [])]
            claimed.append(Claimed(row.id, payload, row.attempts))
        return sorted(claimed, key=lambda c: c.key)

    @staticmethod
    def _attachments(conn: sa.Connection, keys: list[str]) -> dict[str, list[Attachment]]:
        found: dict[str, list[Attachment]] = {}
        query = (sa.select(AttachmentRow).where(AttachmentRow.application_id.in_(keys))
                 .order_by(AttachmentRow.application_id, AttachmentRow.position))
        for row in conn.execute(query):
            found.setdefault(row.application_id, []).append(Attachment(row.name, row.media_type, row.data))
        return found

    def release_stale(self) -> int:
        """Return claims left by a process that died mid-delivery to pending."""
        cutoff = utcnow() - CLAIM_TIMEOUT
        with self.engine.begin() as conn:
            return conn.execute(
                sa.update(OutboxRow).where(OutboxRow.state == SENDING, OutboxRow.claimed_at < cutoff)
                .values(state=PENDING)
            ).rowcount

    def _finish(self, key: str, **values: object) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.update(OutboxRow).where(OutboxRow.id == key).values(**values))

    def delivered(self, key: str, central_case_number: str) -> None:
        self._finish(key, state=DELIVERED, central_case_number=central_case_number,
                     delivered_at=utcnow(), last_error=None)

    def retry_later(self, key: str, error: str, delay_s: float) -> None:
        self._finish(key, state=PENDING, last_error=error,
                     next_attempt_at=utcnow() + dt.timedelta(seconds=delay_s))

    def dead(self, key: str, reason: str) -> None:
        self._finish(key, state=DEAD, last_error=reason)

    def retry_dead(self) -> int:
        """Technician action: give dead letters another chance after the cause was fixed."""
        with self.engine.begin() as conn:
            return conn.execute(
                sa.update(OutboxRow).where(OutboxRow.state == DEAD)
                .values(state=PENDING, next_attempt_at=utcnow(), attempts=0)
            ).rowcount

    def purge_delivered(self, older_than: dt.timedelta = dt.timedelta(0)) -> int:
        """Forget applications the centre acknowledged: personal data leaves the kiosk."""
        cutoff = utcnow() - older_than
        with self.engine.begin() as conn:
            return conn.execute(
                sa.delete(OutboxRow).where(OutboxRow.state == DELIVERED, OutboxRow.delivered_at <= cutoff)
            ).rowcount

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
            oldest_pending_age_s=(utcnow() - oldest).total_seconds() if oldest else None,
        )

    def rows(self, state: str | None = None) -> list[OutboxRow]:
        with self.engine.connect() as conn:
            query = sa.select(OutboxRow).order_by(OutboxRow.id)
            if state:
                query = query.where(OutboxRow.state == state)
            return [OutboxRow(**row._mapping) for row in conn.execute(query)]
