"""Identities from the code scanner: the centre's signed e-credentials and passports' MRZ lines.

Kiosk code scanners and document readers are often one device on one port: a QR code arrives as one
payload, a passport's machine-readable zone as two or three lines (the reader does the OCR, which is
dependable where a general-purpose OCR of a camera frame is not). Both end here, on the scanner's
thread or the UI's; nothing here touches the network: e-credentials are checked with the centre's
public keys configured on the kiosk.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from devices.mrz import LineAssembler
from kiosk import ecredential
from kiosk.credentials import Credential
from kiosk.identity import Identity
from kiosk.outcome import Outcome

Read = Outcome[tuple[Identity, Credential]]
_MRZ_LINE = re.compile(r"[0-9A-Z<]{30}|[0-9A-Z<]{36}|[0-9A-Z<]{44}")


class CredentialCodes:
    """feed() a scanned text: an identity, a named problem, or None when it is no identity (yet)."""

    def __init__(self, keys: dict[str, Ed25519PublicKey],
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.keys = keys
        self._now = now
        self._mrz = LineAssembler(lambda: self._now().date())

    def feed(self, text: str) -> Read | None:
        text = text.strip()
        if ecredential.is_ours(text):
            verified = ecredential.verify(text, self.keys, self._now())
            if not verified.ok:
                return Outcome.failure(verified.problem or ecredential.MALFORMED, verified.detail)
            return Outcome.success((verified.unwrap().identity, Credential.E_CREDENTIAL))
        if _MRZ_LINE.fullmatch(text):
            results = self._mrz.feed(text.encode("ascii") + b"\r")
            if not results:
                return None              # the first line of a passport: the next one completes it
            last = results[-1]
            if not last.ok:
                return Outcome.failure(last.problem or "mrz.unreadable", last.detail)
            return Outcome.success((last.unwrap(), Credential.PASSPORT))
        return None
