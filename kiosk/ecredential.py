"""Electronic identity credentials (电子身份凭证) the centre issues as QR codes, verified offline.

A citizen shows the code on a phone; the kiosk's scanner reads it. The centre signs the holder's
identity with an Ed25519 key; each kiosk is configured with the centre's public key(s), so it checks
the signature and the expiry without the network, and a code edited on a phone or copied after it
expired is refused with a message saying which.

Format: ``K24ID1.<claims>.<signature>``, both parts base64url without padding; the signature covers
``K24ID1.<claims>``. Claims are JSON: kid (which key), name, id_number, card_type, sex, birth_date,
iat and exp (Unix seconds) and jti (a random id, for the centre's audit).
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.identity import CardType, Identity, Sex
from kiosk.outcome import Outcome

PREFIX = "K24ID1."
NOT_OURS = "identity.ecredential.not_ours"        # some other code: no message of ours applies
MALFORMED = "identity.ecredential.malformed"      # ours in shape but damaged: show it again
FORGED = "identity.ecredential.forged"            # the signature does not hold, or an unknown key signed it
EXPIRED = "identity.ecredential.expired"          # signed and intact, but its time is over: fetch a fresh one
NOT_CONFIGURED = "identity.ecredential.not_configured"   # this kiosk has no key to check codes with

_MAX_PAYLOAD = 2048
# a phone's clock and the centre's may differ a little: a code "issued" this far ahead is still taken
_CLOCK_SKEW_S = 300


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """Derived from the key itself, so configuration lists keys only and rotation needs no naming."""
    return hashlib.sha256(raw_public_key(key)).hexdigest()[:8]


def public_key_text(key: Ed25519PublicKey) -> str:
    """The form a kiosk's configuration holds (ecredential_public_keys)."""
    return base64.b64encode(raw_public_key(key)).decode("ascii")


def parse_public_keys(text: str) -> dict[str, Ed25519PublicKey]:
    """Comma-separated base64 raw Ed25519 keys, by key id; ValueError names a bad one."""
    keys = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(item, validate=True))
        except (ValueError, binascii.Error) as exc:
            raise ValueError(f"{item[:12]}…: not a base64 Ed25519 public key ({exc})") from None
        keys[key_id(key)] = key
    return keys


def issue(private_key: Ed25519PrivateKey, identity: Identity, issued_at: dt.datetime,
          valid_for: dt.timedelta) -> str:
    """The QR payload for identity, valid from issued_at for valid_for (the centre's side)."""
    claims = {
        "kid": key_id(private_key.public_key()),
        "name": identity.name, "id_number": identity.id_number, "card_type": identity.card_type.value,
        "sex": identity.sex.value, "birth_date": identity.birth_date.isoformat(),
        "iat": int(issued_at.timestamp()), "exp": int((issued_at + valid_for).timestamp()),
        "jti": secrets.token_hex(8),
    }
    signed = PREFIX + _b64(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    return signed + "." + _b64(private_key.sign(signed.encode("ascii")))


@dataclasses.dataclass(frozen=True)
class Verified:
    identity: Identity
    expires_at: dt.datetime


def is_ours(payload: str) -> bool:
    return payload.startswith(PREFIX)


def verify(payload: str, keys: dict[str, Ed25519PublicKey], now: dt.datetime) -> Outcome[Verified]:
    """The identity in a scanned payload if a configured key signed it and it has not expired."""
    payload = payload.strip()
    if not is_ours(payload):
        return Outcome.failure(NOT_OURS)
    if not keys:
        return Outcome.failure(NOT_CONFIGURED, "no ecredential_public_keys configured")
    if len(payload) > _MAX_PAYLOAD or payload.count(".") != 2:
        return Outcome.failure(MALFORMED, "shape")
    signed, _, signature = payload.rpartition(".")
    try:
        claims_part = signed[len(PREFIX):]
        claims: dict[str, Any] = json.loads(_unb64(claims_part))
        sig = _unb64(signature)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        return Outcome.failure(MALFORMED, f"encoding: {exc}")
    if not isinstance(claims, dict):
        return Outcome.failure(MALFORMED, "claims are not an object")
    key = keys.get(str(claims.get("kid")))
    if key is None:
        return Outcome.failure(FORGED, "signed by an unknown key")
    try:
        key.verify(sig, signed.encode("ascii"))
    except (InvalidSignature, UnicodeEncodeError):
        return Outcome.failure(FORGED, "signature does not verify")
    try:
        issued = dt.datetime.fromtimestamp(int(claims["iat"]), dt.UTC)
        expires = dt.datetime.fromtimestamp(int(claims["exp"]), dt.UTC)
        identity = Identity(name=str(claims["name"]), sex=Sex(claims["sex"]),
                            birth_date=dt.date.fromisoformat(claims["birth_date"]),
                            id_number=str(claims["id_number"]), card_type=CardType(claims["card_type"]),
                            ecredential=payload)       # forwarded as is: the centre checks its own signature
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        return Outcome.failure(MALFORMED, f"claims: {exc!r}")
    if now >= expires:
        return Outcome.failure(EXPIRED, f"expired {expires.isoformat()}")
    if issued - dt.timedelta(seconds=_CLOCK_SKEW_S) > now:
        return Outcome.failure(FORGED, "issued in the future")
    return Outcome.success(Verified(identity, expires))
