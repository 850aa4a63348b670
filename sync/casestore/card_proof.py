"""Proof that the citizen's credential was presented at the kiosk in this visit, before /queries and
/benefits look anyone up: a stolen kiosk credential with a list of ID numbers alone gets nothing.

A chip read (devices/idcard/reader.py stamps it) holds when
- it was read at most MAX_AGE before the request was signed, and not after: both times are on the clock
  the kiosk signs with, so its offset from the centre's (bounded by the signature's window,
  sync/casestore/auth.py) cancels out;
- its digest came with no other ID number: one chip digest is bound to one person (chip_bindings, the
  number as its SHA-256), the binding kept BINDING_TTL after its last use, the table at most MAX_BINDINGS rows.
An e-credential holds when the centre's own key signed it, it has not expired and it names the same ID number.

The limit (docs/security.md, "Card proof"): a stolen kiosk key can make up a fresh digest for each ID
number. Real assurance needs the public-security identity check service, which the reference store lacks.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import HTTPException, status
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kiosk import ecredential
from sync.casestore.db import ChipBinding, as_utc
from sync.wire import CardProof, SignedCredential

MAX_AGE = dt.timedelta(minutes=10)
AHEAD = dt.timedelta(seconds=2)         # the signed timestamp is whole seconds, the read time is not
BINDING_TTL = dt.timedelta(days=30)
MAX_BINDINGS = 100_000
PRUNE_EVERY = dt.timedelta(minutes=1)

MISSING = "no card proof: read the ID card or scan the e-credential in this visit"
STALE = "card proof too old: the card was read over 10 minutes before this request"
AHEAD_OF_REQUEST = "card proof from the future: read after the request was signed"
BOUND_ELSEWHERE = "card proof refused: this chip digest belongs to another ID number"
ECREDENTIAL = "card proof refused: e-credential {}"


def _refuse(reason: str) -> HTTPException:
    return HTTPException(status.HTTP_403_FORBIDDEN, reason)


class CardProofs:
    """check() before a look-up; the bindings live in the database, so every server process shares them."""

    def __init__(self, sessions: sessionmaker[Session], ecredential_keys: dict[str, Ed25519PublicKey]) -> None:
        self.sessions = sessions
        self.ecredential_keys = ecredential_keys
        self._pruned_at = dt.datetime.min.replace(tzinfo=dt.UTC)

    def check(self, id_number: str, proof: CardProof | None, signed_timestamp: str, now: dt.datetime) -> None:
        """Nothing when the proof holds for id_number; HTTPException 403 naming the reason otherwise.
        signed_timestamp: the request's X-Kiosk-Timestamp, which the signature check already bounded."""
        if proof is None:
            raise _refuse(MISSING)
        if isinstance(proof, SignedCredential):
            self._check_ecredential(id_number, proof.ecredential, now)
            return
        try:
            signed_at = dt.datetime.fromtimestamp(int(signed_timestamp), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise _refuse(MISSING) from None
        if proof.read_at > signed_at + AHEAD:
            raise _refuse(AHEAD_OF_REQUEST)
        if signed_at - proof.read_at > MAX_AGE:
            raise _refuse(STALE)
        if not self._bind(proof.chip_sha256, hashlib.sha256(id_number.encode()).hexdigest(), now):
            raise _refuse(BOUND_ELSEWHERE)

    def _check_ecredential(self, id_number: str, payload: str, now: dt.datetime) -> None:
        verified = ecredential.verify(payload, self.ecredential_keys, now)
        if not verified.ok:       # the problem key's last part: not_configured, malformed, forged, expired
            raise _refuse(ECREDENTIAL.format((verified.problem or "").rsplit(".", 1)[-1]))
        if verified.unwrap().identity.id_number != id_number:
            raise _refuse(ECREDENTIAL.format("for another ID number"))

    def _bind(self, chip: str, person: str, now: dt.datetime) -> bool:
        """Whether chip is (now) bound to person; a binding unused for BINDING_TTL is free again."""
        for _attempt in range(3):
            try:
                with self.sessions.begin() as session:
                    self._prune(session, now)
                    row = session.get(ChipBinding, chip)
                    if row is None:
                        session.add(ChipBinding(chip_sha256=chip, person_sha256=person, bound_at=now))
                        session.flush()
                        return True
                    if row.person_sha256 != person and as_utc(row.bound_at) > now - BINDING_TTL:
                        return False
                    row.person_sha256, row.bound_at = person, now
                    return True
            except IntegrityError:      # the same chip's first proof twice at once: look again
                continue
        return False

    def _prune(self, session: Session, now: dt.datetime) -> None:
        """Expired rows go; beyond MAX_BINDINGS the least recently used go too, so the table stays bounded."""
        if now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        session.execute(delete(ChipBinding).where(ChipBinding.bound_at <= now - BINDING_TTL))
        excess = (session.scalar(select(func.count()).select_from(ChipBinding)) or 0) - MAX_BINDINGS
        if excess > 0:
            oldest = select(ChipBinding.chip_sha256).order_by(ChipBinding.bound_at).limit(excess)
            session.execute(delete(ChipBinding).where(ChipBinding.chip_sha256.in_(oldest.scalar_subquery())))
