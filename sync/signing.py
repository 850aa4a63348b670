"""How a kiosk signs its requests to the centre, shared by the client and the case store.

HMAC-SHA256 with the kiosk's credential over the kiosk id, method, path with query, a timestamp, a
nonce and the SHA-256 of the body. The centre accepts a timestamp within WINDOW_S of its own clock
and each signature once, so a captured request can be replayed neither later nor at once.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
import time

KIOSK_HEADER = "X-Kiosk-Id"
TIMESTAMP_HEADER = "X-Kiosk-Timestamp"
NONCE_HEADER = "X-Kiosk-Nonce"
SIGNATURE_HEADER = "X-Kiosk-Signature"
WINDOW_S = 300


def signature(credential: str, kiosk_id: str, method: str, path: str, timestamp: str, nonce: str,
              body: bytes) -> str:
    message = "\n".join([kiosk_id, method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    return hmac.new(credential.encode(), message.encode(), hashlib.sha256).hexdigest()


def new_credential() -> str:
    """256 random bits, printable, for `kiosk24 casestore enrol`."""
    return secrets.token_urlsafe(32)


@dataclasses.dataclass
class Signer:
    """Signs for one kiosk; offset_s corrects a kiosk clock the centre found to be wrong."""

    kiosk_id: str
    credential: str
    offset_s: float = 0.0

    def headers(self, method: str, path: str, body: bytes) -> dict[str, str]:
        timestamp = str(int(time.time() + self.offset_s))
        nonce = secrets.token_hex(12)
        return {KIOSK_HEADER: self.kiosk_id, TIMESTAMP_HEADER: timestamp, NONCE_HEADER: nonce,
                SIGNATURE_HEADER: signature(self.credential, self.kiosk_id, method, path, timestamp, nonce, body)}
