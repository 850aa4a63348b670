"""How a kiosk signs its requests to the centre, and the centre its answers, shared by both sides.

A kiosk signs with its own Ed25519 private key over the kiosk id, method, path with query, a
timestamp, a nonce and the SHA-256 of the body; the centre holds only the public key, so a copy of
its database lets nobody act as a kiosk. It accepts a timestamp within WINDOW_S of its own clock
and each signature once, so a captured request can be replayed neither later nor at once.

A kiosk enrolled before keys existed still holds an HMAC-SHA256 credential (the same message); it
signs with it once more, to register its new public key, and never again (sync/identity.py).

The centre signs every answer with its own Ed25519 key, which kiosks pin (centre_public_key): the
message binds the answer to the request's nonce, so an answer can be neither forged on the path nor
replayed to another request. Each signed message starts with its purpose, so a signature made for
one purpose is worth nothing for another.
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import hmac
import secrets
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KIOSK_HEADER = "X-Kiosk-Id"
TIMESTAMP_HEADER = "X-Kiosk-Timestamp"
NONCE_HEADER = "X-Kiosk-Nonce"
SIGNATURE_HEADER = "X-Kiosk-Signature"
CENTRE_SIGNATURE_HEADER = "X-Centre-Signature"
WINDOW_S = 300

REQUEST = b"kiosk24 request v2\n"
ANSWER = b"kiosk24 answer v1\n"
TOKEN = b"kiosk24 technician token v2\n"
PEM_START = "-----BEGIN"


class BadKey(ValueError):
    """A key in text form cannot be read; the message says why, never the key."""


def request_message(kiosk_id: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return "\n".join([kiosk_id, method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest()]).encode()


def signature(credential: str, kiosk_id: str, method: str, path: str, timestamp: str, nonce: str,
              body: bytes) -> str:
    """The legacy HMAC signature (hex), for a kiosk that has not registered a key yet."""
    message = request_message(kiosk_id, method, path, timestamp, nonce, body)
    return hmac.new(credential.encode(), message, hashlib.sha256).hexdigest()


def answer_message(nonce: str, method: str, path: str, status: int, date: str, body: bytes) -> bytes:
    """What the centre signs of an answer: the request it answers (by its nonce), status, Date, body."""
    return ANSWER + "\n".join([nonce, method.upper(), path, str(status), date,
                               hashlib.sha256(body).hexdigest()]).encode()


def new_credential() -> str:
    """256 random bits, printable: one-time enrolment codes, typed as `kiosk24 enrol CODE`. Never led by "-":
    a command line reads that as an option, and one code in 64 was refused as "CODE required"."""
    while (code := secrets.token_urlsafe(32)).startswith("-"):
        continue
    return code


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BadKey("not base64") from exc


def public_text(key: Ed25519PublicKey) -> str:
    """A public key as config and the database hold it: 43 characters of base64url."""
    return b64(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def public_key(text: str) -> Ed25519PublicKey:
    raw = unb64(text.strip())
    if len(raw) != 32:
        raise BadKey("an Ed25519 public key is 32 bytes (43 characters of base64url)")
    return Ed25519PublicKey.from_public_bytes(raw)


def private_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def private_key(pem: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        raise BadKey("not a PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise BadKey("not an Ed25519 key")
    return key


def verifies(key: Ed25519PublicKey, sent: str, message: bytes) -> bool:
    try:
        key.verify(unb64(sent), message)
    except (InvalidSignature, BadKey, ValueError):
        return False
    return True


@dataclasses.dataclass
class Signer:
    """Signs for one kiosk with its private key (or, before migration, its HMAC credential).
    offset_s corrects a kiosk clock the centre found to be wrong."""

    kiosk_id: str
    credential: str = dataclasses.field(default="", repr=False)     # the legacy HMAC secret
    key: Ed25519PrivateKey | None = dataclasses.field(default=None, repr=False)
    offset_s: float = 0.0

    def __post_init__(self) -> None:
        if self.key is None and self.credential.startswith(PEM_START):     # a key given as text (demo, tests)
            self.key, self.credential = private_key(self.credential), ""

    def sign(self, message: bytes) -> str:
        if self.key is not None:
            return b64(self.key.sign(REQUEST + message))
        return hmac.new(self.credential.encode(), message, hashlib.sha256).hexdigest()

    def headers(self, method: str, path: str, body: bytes) -> dict[str, str]:
        timestamp = str(int(time.time() + self.offset_s))
        nonce = secrets.token_hex(12)
        message = request_message(self.kiosk_id, method, path, timestamp, nonce, body)
        return {KIOSK_HEADER: self.kiosk_id, TIMESTAMP_HEADER: timestamp, NONCE_HEADER: nonce,
                SIGNATURE_HEADER: self.sign(message)}


def key_proof(secret: str, kiosk_id: str, centre_key: str) -> str:
    """The centre's proof, with a secret only it and the kiosk hold (the legacy credential or the one-time
    enrolment code), that the centre key it hands over is its own: the kiosk pins it without a site visit."""
    message = "\n".join(["kiosk24 centre key v1", kiosk_id, centre_key]).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
