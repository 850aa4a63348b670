"""Limits before work: what the case store checks of a request before it reads, parses or stores it.

A pure ASGI middleware, in this order, each refusal a short JSON answer naming the problem (never the
input) and each cheap before the next:

1. the body's declared size against the endpoint's cap (413), without reading a byte of it;
2. for a signed endpoint, the signature headers and the timestamp (401), still without reading;
3. the body, read with a deadline per chunk and in all (408), counted as it streams (413 past the cap,
   chunked or not), at most BIG_BODIES_AT_ONCE large ones at a time per process;
4. for a signed endpoint, the signature over the body (401): only then is the body parsed;
5. the JSON itself (400): no NaN or Infinity, no integer beyond 64 bits, no lone surrogate or NUL, no
   nesting deeper than MAX_DEPTH, no more than MAX_VALUES values (and no NUL in the URL either).

Sizes of fields, lists and numbers are the schema's (sync/wire.py). The verified kiosk is handed to the
route's auth dependency in the scope (auth.VERIFIED_KIOSK), so the signature is checked once.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
from collections.abc import AsyncIterator
from typing import Any

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import signing
from sync.casestore import auth

log = logging.getLogger(__name__)

KIB, MIB = 1024, 1024 * 1024
DEFAULT_CAP = 64 * KIB
# Per endpoint (method, path prefix): the largest body it takes. An application carries its scans
# (sync/wire.py: MAX_TOTAL_ATTACHMENT_BYTES, base64), everything else is small JSON.
CAPS: tuple[tuple[str, str, int], ...] = (
    ("POST", "/api/v1/applications", 48 * MIB),
)
# Open to callers without a kiosk signature; every other /api/ endpoint is signed.
OPEN: tuple[tuple[str, str], ...] = (
    ("GET", "/api/v1/health"), ("GET", "/api/v1/catalog"), ("POST", "/api/v1/progress"),
    ("POST", "/api/v1/enrolments"),
)
BIG_BODY = 1 * MIB
CHECKED_ON_LOOP = 4 * KIB      # JSON this small is checked without a thread: at worst ~1.5 ms (4 KiB of ints)
BIG_BODIES_AT_ONCE = 4          # 4 x 48 MiB at most held at once per process
CHUNK_TIMEOUT_S = 10.0          # a client that sends nothing for this long mid-body is let go
BODY_TIMEOUT_S = 120.0          # the whole body, even a large one on a slow line
MAX_DEPTH = 32
MAX_VALUES = 200_000
MAX_INT_DIGITS = 19             # a signed 64-bit integer


def documented(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with the answers this middleware may give before any route runs."""
    answers = {"400": "Not JSON, or JSON this API never takes (NaN, a lone surrogate, a NUL, nesting ...).",
               "408": "The body did not arrive in time.", "413": "The body is larger than this endpoint takes."}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, description in answers.items():
                responses.setdefault(code, {"description": description})
            if is_signed(method.upper(), path):
                responses.setdefault("401", {"description": "Not signed, or not by an enrolled kiosk."})
    return schema


class Refused(Exception):
    def __init__(self, status: int, problem: str) -> None:
        super().__init__(problem)
        self.status = status
        self.problem = problem


def cap_for(method: str, path: str) -> int:
    return next((cap for m, prefix, cap in CAPS if m == method and path == prefix), DEFAULT_CAP)


def is_signed(method: str, path: str) -> bool:
    return path.startswith("/api/") and (method, path) not in OPEN


def _reject_constant(name: str) -> Any:
    raise Refused(400, f"JSON {name} is not a number this API takes")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Refused(400, "a JSON number is out of range")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise Refused(400, "a JSON integer is out of range")
    return int(text)


def _check_tree(document: Any) -> None:
    """Depth, count and lone surrogates, walked without recursion so any depth is safe here."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise Refused(400, f"JSON body has more than {MAX_VALUES} values")
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise Refused(400, f"JSON nested deeper than {MAX_DEPTH}")
            if isinstance(value, dict):
                for key in value:
                    _check_text(key)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused(400, "JSON text holds a lone surrogate (\\ud800-\\udfff unpaired)") from None
    if "\x00" in text:             # PostgreSQL stores no NUL in text: refused here, not a 500 there
        raise Refused(400, "JSON text holds a NUL character")


def check_json(body: bytes) -> None:
    """Refused(400) naming what is wrong with a JSON body; nothing for an empty one."""
    if not body.strip():
        return
    try:
        document = json.loads(body, parse_constant=_reject_constant, parse_int=_bounded_int,
                              parse_float=_finite_float)
    except RecursionError:
        raise Refused(400, f"JSON nested deeper than {MAX_DEPTH}") from None
    except UnicodeDecodeError:
        raise Refused(400, "body is not UTF-8") from None
    except ValueError as exc:      # JSONDecodeError: the position only, never the text around it
        position = getattr(exc, "pos", None)
        raise Refused(400, "body is not JSON" + (f" (at byte {position})" if position is not None else "")) from None
    _check_tree(document)


class Limits:
    """The middleware; verifier checks signatures (sync/casestore/auth.py)."""

    def __init__(self, app: ASGIApp, verifier: auth.Verifier) -> None:
        self.app = app
        self.verifier = verifier
        self.big_bodies = asyncio.Semaphore(BIG_BODIES_AT_ONCE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            body = await self._admit(scope, receive)
        except Refused as refused:
            log.info("refused %s %s: %s", scope["method"], scope["path"][:80], refused.problem)
            response = JSONResponse({"detail": refused.problem}, status_code=refused.status,
                                    headers={"Connection": "close"} if refused.status in (408, 413) else None)
            await response(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()          # after the body: the disconnect, when it comes

        await self.app(scope, replay, send)

    async def _admit(self, scope: Scope, receive: Receive) -> bytes:
        method, path = scope["method"], scope["path"]
        if "\x00" in path or "%00" in scope.get("query_string", b"").decode("latin-1"):
            raise Refused(400, "a NUL character in the URL")
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        cap = cap_for(method, path)
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit() or len(declared) > 18:
                raise Refused(400, "Content-Length is not a number")
            if int(declared) > cap:
                raise Refused(413, f"body larger than this endpoint takes ({cap} bytes)")
        signed = is_signed(method, path)
        if signed:
            self._check_headers(headers)
        async with self._room(int(declared or 0) > BIG_BODY or declared is None):
            body = await self._read(receive, cap)
        if signed:
            scope.setdefault("state", {})[auth.VERIFIED_KIOSK] = await self._verify(scope, headers, body)
        if body and "json" in headers.get("content-type", ""):
            if len(body) > CHECKED_ON_LOOP:
                await run_in_threadpool(check_json, body)
            else:           # a heartbeat's: handing it to a thread costs more than the check
                check_json(body)
        return body

    def _check_headers(self, headers: dict[str, str]) -> None:
        names = (signing.KIOSK_HEADER, signing.TIMESTAMP_HEADER, signing.NONCE_HEADER, signing.SIGNATURE_HEADER)
        values = [headers.get(name.lower(), "") for name in names]
        if not all(values):
            raise Refused(401, "request is not signed")
        if any(len(value) > 256 for value in values):
            raise Refused(401, "signature headers too long")
        try:
            self.verifier.check_time(values[1])
        except HTTPException as exc:
            raise Refused(exc.status_code, str(exc.detail)) from None

    @contextlib.asynccontextmanager
    async def _room(self, big: bool) -> AsyncIterator[None]:
        """Large (or unannounced) bodies wait their turn: memory is bounded by BIG_BODIES_AT_ONCE caps."""
        if not big:
            yield
            return
        async with self.big_bodies:
            yield

    async def _read(self, receive: Receive, cap: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BODY_TIMEOUT_S
        while True:
            left = min(CHUNK_TIMEOUT_S, deadline - loop.time())
            try:
                message = await asyncio.wait_for(receive(), timeout=max(left, 0.001))
            except TimeoutError:
                raise Refused(408, "body not received in time") from None
            if message["type"] == "http.disconnect":
                raise Refused(400, "client went away mid-body")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                raise Refused(413, f"body larger than this endpoint takes ({cap} bytes)")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _verify(self, scope: Scope, headers: dict[str, str], body: bytes) -> str:
        query = scope.get("query_string", b"").decode("latin-1")
        path = scope.get("raw_path", scope["path"].encode()).decode("latin-1") + (f"?{query}" if query else "")
        try:
            return await run_in_threadpool(
                self.verifier.verify, scope["method"], path, headers[signing.KIOSK_HEADER.lower()],
                headers[signing.TIMESTAMP_HEADER.lower()], headers[signing.NONCE_HEADER.lower()],
                headers[signing.SIGNATURE_HEADER.lower()], body)
        except HTTPException as exc:
            raise Refused(exc.status_code, str(exc.detail)) from None
