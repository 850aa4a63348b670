"""Technician access without Qt: the PIN (a slow salted hash and a lockout that survives restarts),
the centre-signed QR token, and the audit trail of what technicians do.

The PIN file holds only an scrypt hash, so a copied disk does not give the PIN away; failures are
counted in the same file, so pulling the plug does not reset the lockout. A token is signed by the
centre with a key derived from the kiosk's own credential, so a token for one kiosk opens no other
and nobody without the centre's database can make one.
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path

from kiosk.application import new_key
from kiosk.outcome import Outcome
from kiosk.ports import MessageQueue

log = logging.getLogger(__name__)

PIN_FILE = "technician-pin.json"
AUDIT_FILE = "technician-audit.jsonl"
PIN_DIGITS = (6, 12)
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
# scrypt at 2^15 takes ~0.1 s and 32 MiB: nothing for one entry, slow for a guesser with the file
SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}
TOKEN_PREFIX = "K24TECH1."
TOKEN_CONTEXT = b"kiosk24 technician token v1"

# problems (i18n keys), shown to the technician on the PIN pad
NO_PIN = "technician.problem.no_pin"
WRONG_PIN = "technician.problem.wrong_pin"
LOCKED = "technician.problem.locked"
BAD_TOKEN = "technician.problem.bad_token"
EXPIRED_TOKEN = "technician.problem.expired_token"

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def valid_pin(pin: str) -> bool:
    return pin.isdigit() and PIN_DIGITS[0] <= len(pin) <= PIN_DIGITS[1]


def _scrypt(pin: str, salt: bytes, params: dict[str, int]) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, maxmem=128 * 1024 * 1024, dklen=32, **params)


@dataclasses.dataclass(frozen=True)
class Attempt:
    """What a PIN check found; `left` failures before the lockout, `until` when a lockout ends."""

    ok: bool
    problem: str | None = None
    left: int = 0
    until: dt.datetime | None = None
    fresh: bool = False          # this attempt started the lockout


class PinStore:
    """One PIN per kiosk in the data directory; checks count failures and lock out after MAX_FAILURES."""

    def __init__(self, path: Path, clock: Clock = utcnow) -> None:
        self.path = path
        self.clock = clock
        self._lock = threading.Lock()

    def _read(self) -> dict:
        """A damaged file counts as no PIN: nobody gets in by the PIN until `set-pin` writes a new one."""
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (ValueError, OSError) as exc:
            log.error("technician PIN file %s unreadable (%s): set a new PIN with kiosk24 technician set-pin",
                      self.path, exc)
            return {}
        if not isinstance(state, dict) or not {"salt", "hash", *SCRYPT} <= state.keys():
            log.error("technician PIN file %s incomplete: set a new PIN with kiosk24 technician set-pin", self.path)
            return {}
        return state

    def _write(self, state: dict) -> None:
        """Atomically and readable by the kiosk's user only: a crash leaves the old file or the new one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(state, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)

    @property
    def is_set(self) -> bool:
        return "hash" in self._read()

    def set_pin(self, pin: str) -> None:
        """A new PIN clears failures and any lockout; ValueError for a PIN that is not 6-12 digits."""
        if not valid_pin(pin):
            raise ValueError(f"a PIN is {PIN_DIGITS[0]} to {PIN_DIGITS[1]} digits")
        salt = secrets.token_bytes(16)
        with self._lock:
            self._write({"scheme": "scrypt", **SCRYPT, "salt": salt.hex(), "hash": _scrypt(pin, salt, SCRYPT).hex(),
                         "failures": 0, "locked_until": None})

    def locked_until(self) -> dt.datetime | None:
        until = self._read().get("locked_until")
        if until is None:
            return None
        moment = dt.datetime.fromisoformat(until)
        return moment if moment > self.clock() else None

    def check(self, pin: str) -> Attempt:
        with self._lock:
            state = self._read()
            if "hash" not in state:
                return Attempt(False, NO_PIN)
            now = self.clock()
            until = dt.datetime.fromisoformat(state["locked_until"]) if state.get("locked_until") else None
            if until is not None and until > now:
                return Attempt(False, LOCKED, until=until)
            params = {name: state[name] for name in SCRYPT}
            good = hmac.compare_digest(_scrypt(pin, bytes.fromhex(state["salt"]), params), bytes.fromhex(state["hash"]))
            if good:
                self._write({**state, "failures": 0, "locked_until": None})
                return Attempt(True)
            failures = (0 if until is not None else state.get("failures", 0)) + 1   # a lockout served starts afresh
            if failures >= MAX_FAILURES:
                until = now + LOCKOUT
                self._write({**state, "failures": failures, "locked_until": until.isoformat()})
                return Attempt(False, LOCKED, until=until, fresh=True)
            self._write({**state, "failures": failures, "locked_until": None})
            return Attempt(False, WRONG_PIN, left=MAX_FAILURES - failures)


# -- tokens ----------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Token:
    kiosk_id: str
    name: str
    expires: dt.datetime


def _token_key(credential: str) -> bytes:
    """Not the request-signing key itself: a token seen on a screen must not sign requests to the centre."""
    return hmac.new(credential.encode(), TOKEN_CONTEXT, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(credential: str, kiosk_id: str, name: str, minutes: int, now: dt.datetime | None = None) -> str:
    """The text of a technician's QR code for one kiosk, valid for `minutes`."""
    expires = (now or utcnow()) + dt.timedelta(minutes=minutes)
    body = _b64(json.dumps({"k": kiosk_id, "n": name, "exp": int(expires.timestamp()),
                            "id": secrets.token_hex(6)}, ensure_ascii=False).encode())
    mac = hmac.new(_token_key(credential), body.encode(), hashlib.sha256).digest()
    return f"{TOKEN_PREFIX}{body}.{_b64(mac)}"


def is_token(text: str) -> bool:
    return text.startswith(TOKEN_PREFIX)


def verify_token(text: str, credential: str, kiosk_id: str, now: dt.datetime | None = None) -> Outcome[Token]:
    """A token signed for this kiosk and not expired; anything else is refused, saying only bad or expired."""
    if not credential or not is_token(text):
        return Outcome.failure(BAD_TOKEN, "not a technician token, or no credential on this kiosk")
    body, _, mac = text[len(TOKEN_PREFIX):].partition(".")
    try:
        expected = hmac.new(_token_key(credential), body.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            return Outcome.failure(BAD_TOKEN, "signature does not match")
        claims = json.loads(_unb64(body))
        expires = dt.datetime.fromtimestamp(int(claims["exp"]), dt.UTC)
        token = Token(str(claims["k"]), str(claims["n"]), expires)
    except (ValueError, KeyError, TypeError) as exc:
        return Outcome.failure(BAD_TOKEN, f"malformed: {exc}")
    if token.kiosk_id != kiosk_id:
        return Outcome.failure(BAD_TOKEN, f"issued for kiosk {token.kiosk_id}")
    if token.expires <= (now or utcnow()):
        return Outcome.failure(EXPIRED_TOKEN, f"expired at {token.expires.isoformat()}")
    return Outcome.success(token)


# -- audit -----------------------------------------------------------------------------------------
class AuditTrail:
    """Every entry, failure, lockout and action: one JSON line on the kiosk, and the same event queued
    for the centre (kind "audit") so it arrives even when the network is down now."""

    def __init__(self, path: Path, messages: MessageQueue | None, clock: Clock = utcnow) -> None:
        self.path = path
        self.messages = messages
        self.clock = clock
        self._lock = threading.Lock()

    def record(self, technician: str, action: str, detail: str = "") -> dict[str, object]:
        event = {"id": new_key(), "technician": technician, "action": action, "detail": detail,
                 "at": self.clock().isoformat()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self.path.open("a", encoding="utf-8") as file:
                file.write(json.dumps(event, ensure_ascii=False) + "\n")
                file.flush()
                os.fsync(file.fileno())
        except OSError:
            log.exception("technician audit log not written: %s", event)
        if self.messages is not None:
            sent = self.messages.send("audit", str(event["id"]), event)
            if not sent.ok:
                log.error("technician audit event not queued for the centre: %s (%s)", sent.problem, sent.detail)
        log.info("technician %s: %s %s", technician or "-", action, detail)
        return event

    def events(self) -> list[dict[str, object]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]
