"""The durable message queue: ratings, complaints, help calls and audit events, kept on the kiosk until
the centre has them (kiosk.ports.MessageQueue).

It shares the application outbox's file, keyring and delivery rules (sync.queue): the body is sealed at
rest because a complaint or comment may hold a citizen's words and mobile number; a claim is atomic
across processes; the centre deduplicates by the message's key, so a repeat after a lost answer is harmless.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.messages import AUDIT, COMPLAINT, HELP, RATING
from kiosk.outcome import Outcome
from kiosk.storage import MessageRow
from sync.keyring import Keyring, KeyringError
from sync.queue import PENDING, STORE_ERRORS, DeliveryQueue, bump, keyring_beside, open_json, seal_json, utcnow
from sync.wire import WireError, message_body

log = logging.getLogger(__name__)

# The centre's collection for each kind of message (paths under /api/v1).
ROUTES = {RATING: "/ratings", COMPLAINT: "/complaints", HELP: "/help-requests", AUDIT: "/audit-events"}
STORE_FAILED = "messages.store_failed"


@dataclasses.dataclass(frozen=True)
class ClaimedMessage:
    key: str
    kind: str
    body: dict[str, Any] = dataclasses.field(repr=False)      # the citizen's words: never in a log line
    attempts: int = 0


@dataclasses.dataclass(frozen=True)
class MessageSummary:
    """What the technician screen and `kiosk24 queue` show of a message: never its body."""

    key: str
    kind: str
    state: str
    attempts: int
    last_error: str | None
    created_at: dt.datetime

    def as_dict(self) -> dict[str, object]:
        return {**dataclasses.asdict(self), "created_at": self.created_at.isoformat()}


class MessageOutbox(DeliveryQueue):
    table = MessageRow

    def __init__(self, engine: sa.Engine, kiosk_id: str, keyring: Keyring | None = None,
                 on_queued: Callable[[], None] | None = None) -> None:
        """keyring: the outbox's (the same key file); on_queued wakes the sync worker after each send."""
        super().__init__(engine, keyring or keyring_beside(engine))
        self.kiosk_id = kiosk_id
        self.on_queued = on_queued

    def send(self, kind: str, key: str, body: dict[str, object]) -> Outcome[None]:
        """Store in one transaction, sealed; sending a key again is a success that stores nothing new."""
        if kind not in ROUTES:
            return Outcome.failure(STORE_FAILED, f"no route to the centre for message kind {kind!r}")
        if body.get("id", key) != key:
            return Outcome.failure(STORE_FAILED, f"body id {body.get('id')!r} is not the key {key!r}")
        try:
            wire = message_body(kind, {**body, "id": key})
        except WireError as exc:        # the centre would refuse it: said now, at the kiosk, not as a dead letter
            log.error("%s message %s does not fit the wire schema: %s", kind, key, exc)
            return Outcome.failure(STORE_FAILED, str(exc))
        now = utcnow()
        try:
            with self.engine.begin() as conn:
                bump(conn, "messages-queued")       # the write lock first: see sync.queue.bump
                conn.execute(sqlite_insert(MessageRow).values(
                    id=key, kind=kind, body=seal_json(self.keyring, wire, f"{key}/body"),
                    key_id=self.keyring.current_id, state=PENDING, created_at=now, attempts=0, next_attempt_at=now,
                ).on_conflict_do_nothing(index_elements=[MessageRow.id]))
        except STORE_ERRORS as exc:
            log.error("could not queue %s message %s: %s", kind, key, exc)
            return Outcome.failure(STORE_FAILED, str(exc))
        log.info("queued %s message %s", kind, key)
        if self.on_queued is not None:
            self.on_queued()
        return Outcome.success(None)

    def claim(self, limit: int = 10, force_since: dt.datetime | None = None) -> list[ClaimedMessage]:
        """Take up to `limit` due messages, oldest first (see DeliveryQueue.claim_statement); one no key
        opens is set aside as dead for a technician, never sent."""
        statement = self.claim_statement(limit, force_since, MessageRow.id, MessageRow.kind, MessageRow.body,
                                         MessageRow.key_id, MessageRow.attempts)
        with self.engine.begin() as conn:
            rows = conn.execute(statement).all()
        claimed = []
        for row in sorted(rows, key=lambda r: r.id):
            try:
                body = open_json(self.keyring, row.body, row.key_id, f"{row.id}/body")
            except (KeyringError, ValueError) as exc:
                log.error("cannot send queued message %s: %s", row.id, exc)
                self.dead(row.id, f"cannot open: {exc}")
                continue
            claimed.append(ClaimedMessage(row.id, row.kind, body, row.attempts))
        return claimed

    def reseal(self, batch: int = 200) -> int:
        """Seal with the newest key what an older key sealed; a body no key opens is left as it is."""
        current, done, unreadable = self.keyring.current_id, 0, set[int]()
        stale = sa.select(MessageRow).where(sa.or_(MessageRow.key_id.is_(None), MessageRow.key_id != current))
        while True:
            with self.engine.begin() as conn:
                rows = conn.execute(stale.where(MessageRow.id.not_in(unreadable)).limit(batch)).all()
                for row in rows:
                    context = f"{row.id}/body"
                    try:
                        body = open_json(self.keyring, row.body, row.key_id, context)
                    except (KeyringError, ValueError) as exc:
                        log.error("cannot re-seal queued message %s: %s", row.id, exc)
                        unreadable.add(row.id)
                        continue
                    conn.execute(sa.update(MessageRow).where(MessageRow.id == row.id).values(
                        body=seal_json(self.keyring, body, context), key_id=current))
                    done += 1
            if not rows:
                return done

    def rows(self, state: str | None = None) -> list[MessageSummary]:
        """Every message (or those in one state), oldest first, without bodies."""
        query = sa.select(MessageRow.id, MessageRow.kind, MessageRow.state, MessageRow.attempts,
                          MessageRow.last_error, MessageRow.created_at).order_by(MessageRow.id)
        if state:
            query = query.where(MessageRow.state == state)
        with self.engine.connect() as conn:
            return [MessageSummary(r.id, r.kind, r.state, r.attempts, r.last_error, r.created_at)
                    for r in conn.execute(query)]
