"""The centre's side of the kiosk link's security, added by `casestore serve` to the case store's app:
enrolment by one-time code, an HMAC-enrolled kiosk's move to its own key, and signed answers.

Both registrations answer with the centre's public key and a proof made with the secret the kiosk
already holds (the code, or its old credential), so the kiosk pins the right key without a site visit
even before it can check the centre's signatures.
"""
from __future__ import annotations

import datetime as dt
import hmac

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, Depends, FastAPI, HTTPException, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp

from sync import signing
from sync.casestore import auth
from sync.casestore.db import Kiosk, as_utc
from sync.casestore.enrol import Enrolment, KioskKey, code_digest, register

PublicKey = Field(min_length=43, max_length=44, pattern=r"^[A-Za-z0-9_-]+=?$",
                  description="The kiosk's Ed25519 public key, 32 bytes as base64url.")


class EnrolmentIn(BaseModel):
    kiosk_id: str = Field(min_length=1, max_length=128)
    code: str = Field(min_length=1, max_length=128, description="From `kiosk24 casestore enrol`.")
    public_key: str = PublicKey


class KeyIn(BaseModel):
    public_key: str = PublicKey


class CentreKey(BaseModel):
    centre_public_key: str = Field(description="Pin this: the centre signs answers, settings and tokens with it.")
    proof: str = Field(description="HMAC-SHA256 of the key with the secret the kiosk used (sync/signing.py).")


def router(sessions: sessionmaker[Session], verifier: auth.Verifier, centre_public: str) -> APIRouter:
    routes = APIRouter()
    calling_kiosk = Depends(auth.dependency(verifier))

    @routes.post("/api/v1/enrolments", responses={401: {"description": "Unknown, used or expired code."}})
    def enrol(body: EnrolmentIn) -> CentreKey:
        """A kiosk registers the public key it just made, with the one-time code an operator gave it."""
        try:
            with sessions.begin() as session:
                pending = session.get(Enrolment, body.kiosk_id)
                if pending is None or as_utc(pending.expires_at) < dt.datetime.now(dt.UTC) or \
                        not hmac.compare_digest(pending.code_sha256, code_digest(body.code)):
                    raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown, used or expired enrolment code")
                register(session, body.kiosk_id, body.public_key)
        except signing.BadKey as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from None
        auth.log.info("kiosk %s enrolled with its own key", body.kiosk_id)
        return CentreKey(centre_public_key=centre_public, proof=signing.key_proof(body.code, body.kiosk_id,
                                                                                   centre_public))

    @routes.post("/api/v1/kiosk-keys", responses={401: {"description": "Not signed by the kiosk's credential."},
                                                  409: {"description": "This kiosk has a key already."}})
    def move_to_key(body: KeyIn, kiosk: str = calling_kiosk) -> CentreKey:
        """An HMAC-enrolled kiosk's one request: signed with its credential, it registers its new public key;
        the credential is deleted in the same transaction."""
        try:
            with sessions.begin() as session:
                legacy = session.get(Kiosk, kiosk)
                if session.get(KioskKey, kiosk) is not None or legacy is None:
                    raise HTTPException(status.HTTP_409_CONFLICT, "this kiosk has a key already")
                credential = legacy.credential
                register(session, kiosk, body.public_key)
        except signing.BadKey as exc:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from None
        auth.log.info("kiosk %s moved from its HMAC credential to its own key; the credential is deleted", kiosk)
        return CentreKey(centre_public_key=centre_public, proof=signing.key_proof(credential, kiosk, centre_public))

    return routes


def secure(app: FastAPI, key: Ed25519PrivateKey) -> ASGIApp:
    """The app (sync/casestore/app.py) with the enrolment routes on its database, every /api/ answer
    signed with the centre's key."""
    sessions: sessionmaker[Session] = app.state.sessions
    app.include_router(router(sessions, auth.Verifier(sessions), signing.public_text(key.public_key())))
    return auth.SignedAnswers(app, key)
