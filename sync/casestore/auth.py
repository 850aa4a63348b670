"""Which kiosk sent a request: its signature checked against its enrolled credential, once, in time.

Kiosks are looked up per request, so one enrolled while the store runs is accepted at once, by
every server process sharing the database.
"""
from __future__ import annotations

import datetime as dt
import hmac
import logging
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Header, HTTPException, Request, status
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from sync import signing
from sync.casestore.db import Kiosk, SeenSignature

log = logging.getLogger(__name__)
PRUNE_EVERY_S = 60.0


def _refuse(reason: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, reason)


class Verifier:
    def __init__(self, sessions: sessionmaker[Session], window_s: float = signing.WINDOW_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.sessions = sessions
        self.window_s = window_s
        self.clock = clock
        self._pruned_at = 0.0

    def verify(self, method: str, path: str, kiosk_id: str, timestamp: str, nonce: str, sent: str,
               body: bytes) -> str:
        """The kiosk id, or HTTPException 401 naming what is wrong (never which part of a signature)."""
        now = self.clock()
        try:
            skew = abs(now - int(timestamp))
        except ValueError:
            raise _refuse("timestamp is not an integer") from None
        if skew > self.window_s:
            raise _refuse("stale timestamp: check the kiosk's clock")
        with self.sessions() as session:
            kiosk = session.get(Kiosk, kiosk_id)
        expected = signing.signature(kiosk.credential if kiosk else "", kiosk_id, method, path, timestamp, nonce, body)
        if kiosk is None or not hmac.compare_digest(expected, sent):
            log.warning("refused a request signed as kiosk %r", kiosk_id[:64])
            raise _refuse("unknown kiosk or bad signature")
        self._remember(sent, now)
        return kiosk_id

    def _remember(self, sent: str, now: float) -> None:
        at = dt.datetime.fromtimestamp(now, dt.UTC)
        try:
            with self.sessions.begin() as session:
                session.add(SeenSignature(signature=sent, at=at))
                if now - self._pruned_at > PRUNE_EVERY_S:
                    self._pruned_at = now
                    cutoff = at - dt.timedelta(seconds=2 * self.window_s)
                    session.execute(delete(SeenSignature).where(SeenSignature.at < cutoff))
        except IntegrityError:
            raise _refuse("replayed request") from None


def dependency(verifier: Verifier) -> Callable[..., object]:
    """A FastAPI dependency that yields the calling kiosk's id; the headers appear in the OpenAPI document."""

    async def authenticated_kiosk(
        request: Request,
        x_kiosk_id: Annotated[str, Header(description="The kiosk's enrolled id.")] = "",
        x_kiosk_timestamp: Annotated[str, Header(description="Unix time in seconds when signed.")] = "",
        x_kiosk_nonce: Annotated[str, Header(description="Random, new for every request.")] = "",
        x_kiosk_signature: Annotated[str, Header(description="HMAC-SHA256, see sync/signing.py.")] = "",
    ) -> str:
        if not (x_kiosk_id and x_kiosk_timestamp and x_kiosk_nonce and x_kiosk_signature):
            raise _refuse("request is not signed")
        query = request.scope.get("query_string", b"").decode("latin-1")
        path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        path += f"?{query}" if query else ""
        body = await request.body()
        return await run_in_threadpool(verifier.verify, request.method, path, x_kiosk_id, x_kiosk_timestamp,
                                       x_kiosk_nonce, x_kiosk_signature, body)

    return authenticated_kiosk
