"""Technician access without Qt: the PIN (a slow salted hash and a lockout that survives restarts),
the centre-signed QR token, and the audit trail of what technicians do.

The PIN file holds only an scrypt hash, so a copied disk does not give the PIN away; failures are
counted in the same file, so pulling the plug does not reset the lockout, and the lockout runs on
the clock since boot (with the boot's id), so setting the wall clock forward does not end it.

A token is signed by the centre's own Ed25519 key, which the kiosk pins (centre_public_key): nothing
on a kiosk, and nothing in the centre's database, can make one. It names one kiosk, lives at most
MAX_TOKEN_MINUTES, opens once (the kiosk records used token ids), and is checked against the
centre's time as the kiosk last heard it (CentreTime), never against the kiosk's own wall clock:
a kiosk that has not heard the centre's signed time since boot refuses every token.
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk import atomic
from kiosk.application import new_key
from kiosk.outcome import Outcome
from kiosk.ports import MessageQueue

log = logging.getLogger(__name__)

PIN_FILE = "technician-pin.json"
AUDIT_FILE = "technician-audit.jsonl"
USED_TOKENS_FILE = "technician-tokens-used.json"
CENTRE_TIME_FILE = "centre-time.json"
PIN_DIGITS = (6, 12)
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
# scrypt at 2^15 takes ~0.1 s and 32 MiB: nothing for one entry, slow for a guesser with the file
SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}
TOKEN_PREFIX = "K24TECH2."
TOKEN_CONTEXT = b"kiosk24 technician token v2\n"
MAX_TOKEN_MINUTES = 60
BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")
_PROCESS_BOOT = secrets.token_hex(8)    # where the system has no boot id: this process counts as the boot

# problems (i18n keys), shown to the technician on the PIN pad
NO_PIN = "technician.problem.no_pin"
WRONG_PIN = "technician.problem.wrong_pin"
LOCKED = "technician.problem.locked"
BAD_TOKEN = "technician.problem.bad_token"
EXPIRED_TOKEN = "technician.problem.expired_token"
UNTRUSTED_CLOCK = "technician.problem.untrusted_clock"

Clock = Callable[[], dt.datetime]
Ticks = Callable[[], float]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def since_boot() -> float:
    """Seconds since boot, suspend included, whatever anyone does to the wall clock."""
    return time.clock_gettime(time.CLOCK_BOOTTIME) if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic()


def boot_id() -> str:
    """This boot's id: since_boot() values compare only within one boot."""
    try:
        return BOOT_ID_FILE.read_text(encoding="ascii").strip()
    except OSError:
        return _PROCESS_BOOT


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
    """One PIN per kiosk in the data directory; checks count failures and lock out after MAX_FAILURES.

    A lockout ends when LOCKOUT has passed on the clock since boot (ticks), in the boot that began it;
    `clock` only dates it for people. A restart during a lockout starts it again: the time the kiosk
    was off cannot be measured without the wall clock, which is what an attacker would move."""

    def __init__(self, path: Path, clock: Clock = utcnow, ticks: Ticks = since_boot,
                 boot: Callable[[], str] = boot_id) -> None:
        self.path = path
        self.clock = clock
        self.ticks = ticks
        self.boot = boot
        self._lock = threading.Lock()

    def _read(self) -> dict[str, Any]:
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

    def _write(self, state: dict[str, Any]) -> None:
        atomic.write(self.path, json.dumps(state))

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

    def _lockout(self, state: dict[str, Any]) -> tuple[dict[str, Any], dt.datetime | None]:
        """The state with a lockout carried into this boot if need be, and when it ends (None: not locked)."""
        if not state.get("locked_until"):
            return state, None
        ticks, boot = self.ticks(), self.boot()
        if state.get("locked_boot") != boot or not isinstance(state.get("locked_ticks"), (int, float)):
            state = self._locked(state, ticks)       # restarted (or an older file): the lockout starts again
            self._write(state)
        left = state["locked_ticks"] - ticks
        if left <= 0:
            return state, None
        return state, self.clock() + dt.timedelta(seconds=left)

    def _locked(self, state: dict[str, Any], ticks: float) -> dict[str, Any]:
        until = self.clock() + LOCKOUT
        return {**state, "locked_until": until.isoformat(), "locked_boot": self.boot(),
                "locked_ticks": ticks + LOCKOUT.total_seconds()}

    def locked_until(self) -> dt.datetime | None:
        with self._lock:
            return self._lockout(self._read())[1]

    def check(self, pin: str) -> Attempt:
        with self._lock:
            state = self._read()
            if "hash" not in state:
                return Attempt(False, NO_PIN)
            served = bool(state.get("locked_until"))
            state, until = self._lockout(state)
            if until is not None:
                return Attempt(False, LOCKED, until=until)
            params = {name: state[name] for name in SCRYPT}
            good = hmac.compare_digest(_scrypt(pin, bytes.fromhex(state["salt"]), params), bytes.fromhex(state["hash"]))
            if good:
                self._write({**state, "failures": 0, "locked_until": None})
                return Attempt(True)
            failures = (0 if served else state.get("failures", 0)) + 1   # a lockout served starts afresh
            if failures >= MAX_FAILURES:
                locked = self._locked({**state, "failures": failures}, self.ticks())
                self._write(locked)
                return Attempt(False, LOCKED, until=dt.datetime.fromisoformat(locked["locked_until"]), fresh=True)
            self._write({**state, "failures": failures, "locked_until": None})
            return Attempt(False, WRONG_PIN, left=MAX_FAILURES - failures)


# -- tokens ----------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Token:
    kiosk_id: str
    name: str
    expires: dt.datetime
    token_id: str = ""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def centre_key(text: str) -> Ed25519PublicKey | None:
    """The pinned centre key (base64url or base64 of the raw 32 bytes), None when there is none or it is
    malformed (kiosk.config refuses a malformed one at start-up)."""
    try:
        raw = _unb64(text.strip().replace("+", "-").replace("/", "_"))
        return Ed25519PublicKey.from_public_bytes(raw) if len(raw) == 32 else None
    except (ValueError, binascii.Error):
        return None


def issue_token(key: Ed25519PrivateKey, kiosk_id: str, name: str, minutes: int,
                now: dt.datetime | None = None) -> str:
    """The text of a technician's QR code for one kiosk, valid for `minutes` (the centre's command keeps
    it within MAX_TOKEN_MINUTES; a kiosk refuses a longer one)."""
    issued = now or utcnow()
    body = _b64(json.dumps({"k": kiosk_id, "n": name, "iat": int(issued.timestamp()),
                            "exp": int((issued + dt.timedelta(minutes=minutes)).timestamp()),
                            "id": secrets.token_hex(8)}, ensure_ascii=False).encode())
    return f"{TOKEN_PREFIX}{body}.{_b64(key.sign(TOKEN_CONTEXT + body.encode()))}"


def is_token(text: str) -> bool:
    return text.startswith(TOKEN_PREFIX)


def verify_token(text: str, key: Ed25519PublicKey | None, kiosk_id: str, now: dt.datetime) -> Outcome[Token]:
    """A token signed by the centre for this kiosk, live at `now`; anything else is refused, saying only
    bad or expired."""
    if key is None or not is_token(text):
        return Outcome.failure(BAD_TOKEN, "not a technician token, or no centre key on this kiosk")
    body, _, signature = text[len(TOKEN_PREFIX):].partition(".")
    try:
        key.verify(_unb64(signature), TOKEN_CONTEXT + body.encode())
        claims = json.loads(_unb64(body))
        issued = dt.datetime.fromtimestamp(int(claims["iat"]), dt.UTC)
        token = Token(str(claims["k"]), str(claims["n"]), dt.datetime.fromtimestamp(int(claims["exp"]), dt.UTC),
                      str(claims["id"]))
    except InvalidSignature:
        return Outcome.failure(BAD_TOKEN, "signature does not match")
    except (ValueError, KeyError, TypeError, OverflowError, OSError, binascii.Error) as exc:
        return Outcome.failure(BAD_TOKEN, f"malformed: {type(exc).__name__}")
    if token.kiosk_id != kiosk_id:
        return Outcome.failure(BAD_TOKEN, f"issued for kiosk {token.kiosk_id}")
    if token.expires - issued > dt.timedelta(minutes=MAX_TOKEN_MINUTES) or not token.token_id:
        return Outcome.failure(BAD_TOKEN, f"lives longer than {MAX_TOKEN_MINUTES} minutes")
    if token.expires <= now:
        return Outcome.failure(EXPIRED_TOKEN, f"expired at {token.expires.isoformat()}")
    if issued > now + dt.timedelta(minutes=5):
        return Outcome.failure(BAD_TOKEN, f"issued in the future, at {issued.isoformat()}")
    return Outcome.success(token)


class CentreTime:
    """The centre's time as the kiosk last heard it in a signed answer, carried forward on the clock since
    boot: what tokens are checked against. Kept in a file, so every process of the kiosk shares it, with
    the boot's id, so it counts for this boot only."""

    def __init__(self, path: Path, ticks: Ticks = since_boot, boot: Callable[[], str] = boot_id) -> None:
        self.path = path
        self.ticks = ticks
        self.boot = boot

    def heard(self, centre_time: float) -> None:
        try:
            atomic.write(self.path, json.dumps({"boot": self.boot(), "offset": centre_time - self.ticks()}))
        except OSError as exc:
            log.error("the centre's time not kept (%s): technician tokens will be refused", exc)

    def now(self) -> dt.datetime | None:
        """The centre's time now, or None when the kiosk has not heard it since boot."""
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
            if state["boot"] != self.boot():
                return None
            return dt.datetime.fromtimestamp(self.ticks() + float(state["offset"]), dt.UTC)
        except (OSError, ValueError, KeyError, TypeError, OverflowError):
            return None


class TokenGate:
    """Tokens as the technician's entry takes them: verified against the centre's time, each once."""

    def __init__(self, data_dir: Path, kiosk_id: str, centre_public_key: Callable[[], str],
                 centre_time: CentreTime) -> None:
        self.used_path = data_dir / USED_TOKENS_FILE
        self.kiosk_id = kiosk_id
        self.centre_public_key = centre_public_key
        self.centre_time = centre_time
        self._lock = threading.Lock()

    def check(self, text: str) -> Outcome[Token]:
        now = self.centre_time.now()
        if now is None:
            return Outcome.failure(UNTRUSTED_CLOCK, "the centre's time not heard since boot: use the PIN")
        checked = verify_token(text, centre_key(self.centre_public_key()), self.kiosk_id, now)
        if not checked.ok or checked.value is None:
            return checked
        token = checked.value
        with self._lock:
            used = self._used(now)
            if token.token_id in used:
                return Outcome.failure(BAD_TOKEN, f"token {token.token_id} was used already")
            used[token.token_id] = int(token.expires.timestamp())
            atomic.write(self.used_path, json.dumps(used))
        return checked

    def _used(self, now: dt.datetime) -> dict[str, int]:
        """Ids of tokens used and not yet expired (an expired one is refused anyway)."""
        try:
            used = json.loads(self.used_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.error("used-token list %s unreadable: starting a new one", self.used_path)
            return {}
        return {k: v for k, v in used.items() if isinstance(v, int) and v > now.timestamp()}


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
        event: dict[str, object] = {"id": new_key(), "technician": technician, "action": action, "detail": detail,
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
