"""Which kiosk sent a request, and the centre's signature on every answer.

A request is signed with the kiosk's Ed25519 key, whose public half alone the centre keeps
(kiosk_keys): a copy of the database impersonates nobody. A kiosk enrolled before keys existed is
checked against its HMAC credential until it registers a key (sync/casestore/enrol.py), after which
the credential is deleted; a kiosk with a key is never checked by HMAC, so there is no downgrade.
Each signature is accepted once, within the time window. Kiosks are looked up per request, so one
enrolled while the store runs is accepted at once, by every server process sharing the database.

SignedAnswers signs each answer under /api/ with the centre's key, bound to the request's nonce
(sync/signing.py): kiosks refuse a catalog, settings or a time they cannot verify.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from typing import Annotated, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Header, HTTPException, Request, status
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import signing
from sync.casestore.db import Kiosk, SeenSignature
from sync.casestore.enrol import KioskKey

log = logging.getLogger(__name__)
PRUNE_EVERY_S = 60.0
# Where sync/casestore/limits.py leaves the kiosk whose signature it checked before the body was parsed.
VERIFIED_KIOSK = "verified_kiosk"


def _refuse(reason: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, reason)


class Verifier:
    def __init__(self, sessions: sessionmaker[Session], window_s: float = signing.WINDOW_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.sessions = sessions
        self.window_s = window_s
        self.clock = clock
        self._pruned_at = 0.0

    def check_time(self, timestamp: str) -> None:
        """Before anything else, and before the body is read: a stale request costs nothing."""
        try:
            skew = abs(self.clock() - int(timestamp))
        except ValueError:
            raise _refuse("timestamp is not an integer") from None
        if skew > self.window_s:
            raise _refuse("stale timestamp: check the kiosk's clock")

    def verify(self, method: str, path: str, kiosk_id: str, timestamp: str, nonce: str, sent: str,
               body: bytes) -> str:
        """The kiosk id, or HTTPException 401 naming what is wrong (never which part of a signature)."""
        self.check_time(timestamp)
        message = signing.request_message(kiosk_id, method, path, timestamp, nonce, body)
        try:
            # One transaction for the key and the signature's one use, in plain statements: every request of a
            # province passes here, and the ORM's identity map and unit of work cost more than the queries.
            with self.sessions.begin() as session:
                key = session.scalar(select(KioskKey.public_key).where(KioskKey.kiosk_id == kiosk_id))
                legacy = (session.scalar(select(Kiosk.credential).where(Kiosk.kiosk_id == kiosk_id))
                          if key is None else None)
                if key is not None:
                    good = signing.verifies(signing.public_key(key), sent, signing.REQUEST + message)
                else:
                    expected = signing.signature(legacy or "", kiosk_id, method, path, timestamp, nonce, body)
                    good = legacy is not None and hmac.compare_digest(expected, sent)
                if not good:
                    log.warning("refused a request signed as kiosk %r", kiosk_id[:64])
                    raise _refuse("unknown kiosk or bad signature")
                self._remember(session, sent, self.clock())
        except IntegrityError:
            raise _refuse("replayed request") from None
        return kiosk_id

    def _remember(self, session: Session, sent: str, now: float) -> None:
        """The signature as used (a second use fails its insert); rows past twice the window pruned."""
        at = dt.datetime.fromtimestamp(now, dt.UTC)
        session.execute(insert(SeenSignature).values(signature=hashlib.sha256(sent.encode()).hexdigest(), at=at))
        if now - self._pruned_at > PRUNE_EVERY_S:
            self._pruned_at = now
            cutoff = at - dt.timedelta(seconds=2 * self.window_s)
            session.execute(delete(SeenSignature).where(SeenSignature.at < cutoff))


def signed_path(request: Request) -> str:
    """The path with its query exactly as sent, which both signatures cover."""
    query: str = request.scope.get("query_string", b"").decode("latin-1")
    path: str = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
    return path + (f"?{query}" if query else "")


def dependency(verifier: Verifier) -> Callable[..., object]:
    """A FastAPI dependency that yields the calling kiosk's id; the headers appear in the OpenAPI document."""

    async def authenticated_kiosk(
        request: Request,
        x_kiosk_id: Annotated[str, Header(description="The kiosk's enrolled id.")] = "",
        x_kiosk_timestamp: Annotated[str, Header(description="Unix time in seconds when signed.")] = "",
        x_kiosk_nonce: Annotated[str, Header(description="Random, new for every request.")] = "",
        x_kiosk_signature: Annotated[str, Header(description="Ed25519 by the kiosk's key, see sync/signing.py.")] = "",
    ) -> str:
        verified = request.scope.get("state", {}).get(VERIFIED_KIOSK)
        if verified:                # checked by the limits middleware, before the body was parsed
            return str(verified)
        if not (x_kiosk_id and x_kiosk_timestamp and x_kiosk_nonce and x_kiosk_signature):
            raise _refuse("request is not signed")
        verifier.check_time(x_kiosk_timestamp)
        body = await request.body()
        return await run_in_threadpool(verifier.verify, request.method, signed_path(request), x_kiosk_id,
                                       x_kiosk_timestamp, x_kiosk_nonce, x_kiosk_signature, body)

    return authenticated_kiosk


class SignedAnswers:
    """ASGI middleware: every answer gets a Date header (uvicorn's own is turned off, one Date only)
    and, under /api/, the centre's signature over the request's nonce, method, path, status, Date and
    body. Answers are JSON of bounded size, so holding one whole before sending costs little."""

    def __init__(self, app: ASGIApp, key: Ed25519PrivateKey) -> None:
        self.app = app
        self.key = key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        nonce = headers.get(signing.NONCE_HEADER.lower().encode(), b"").decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        path = scope.get("raw_path", scope["path"].encode()).decode("latin-1") + (f"?{query}" if query else "")
        api = scope["path"].startswith("/api/")
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def signing_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            date = email.utils.formatdate(usegmt=True)
            extra = [(b"date", date.encode())]
            if api:
                signed = signing.answer_message(nonce, scope["method"], path, start["status"], date, body)
                extra.append((signing.CENTRE_SIGNATURE_HEADER.lower().encode(),
                              signing.b64(self.key.sign(signed)).encode()))
            await send({**start, "headers": [*start.get("headers", []), *extra]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, signing_send)
