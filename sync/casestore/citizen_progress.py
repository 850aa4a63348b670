"""A citizen's progress query at a kiosk: by the receipt's number with its QR token, or with the last six
characters of the applicant's ID number. Status and history only, never anything personal.

Wrong ID tails are counted per case, whichever kiosk and whichever of the case's two numbers they came
with: after MAX_FAILURES within FAILURE_WINDOW the case answers 429 everywhere, so six characters cannot
be guessed by spreading tries over kiosks. The count is one row per case (ProgressLockout), so the table
is bounded by the cases the store holds.
"""
from __future__ import annotations

import datetime as dt
import hmac
import json
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from sync.casestore.answers import REFUSED, Progress, StatusEntry
from sync.casestore.applications import token_digest
from sync.casestore.db import Application, ProgressLockout, TrackingToken, as_utc
from sync.wire import ProgressByTokenIn, ProgressLookupIn

MAX_FAILURES = 5                          # wrong ID tails per case ...
FAILURE_WINDOW = dt.timedelta(hours=1)    # ... within this long, then the case is locked at every kiosk


def progress_of(row: Application) -> Progress:
    """What a citizen sees of a case (history loaded): status and history, nothing personal."""
    return Progress(case_number=row.case_number, kiosk_case_number=row.kiosk_case_number,
                    service_code=row.service_code, status=row.history[-1].status,
                    promised_date=json.loads(row.payload)["promised_date"],
                    history=[StatusEntry(status=h.status, at=as_utc(h.at), note=h.note) for h in row.history])


def _cases(session: Session, number: str) -> Sequence[Application]:
    """The cases a receipt's number names: the central number, or a kiosk's own (unique per kiosk)."""
    return session.scalars(select(Application)
                           .where(or_(Application.case_number == number, Application.kiosk_case_number == number))
                           .options(selectinload(Application.history))).all()


def _by_token(sessions: sessionmaker[Session], number: str, token: str) -> Progress | None:
    """The case if the token is its own; the same None for an unknown case and a wrong token."""
    digest = token_digest(token)
    with sessions() as session:
        candidates = session.execute(
            select(Application, TrackingToken.token_sha256).join(TrackingToken)
            .where(or_(Application.case_number == number, Application.kiosk_case_number == number))
            .options(selectinload(Application.history))
        ).all()
        row = next((c.Application for c in candidates if hmac.compare_digest(c.token_sha256, digest)), None)
        return None if row is None else progress_of(row)


def _tail_matches(row: Application, tail: str) -> bool:
    own = str(json.loads(row.payload)["applicant"]["id_number"])[-6:].upper()
    return hmac.compare_digest(own.encode(), tail.upper().encode())


class Lockouts:
    """Wrong tries per case in the database, shared by every server process."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def locked(self, session: Session, ids: list[int], now: dt.datetime) -> bool:
        since = now - FAILURE_WINDOW
        return session.scalar(select(ProgressLockout.application_id).where(
            ProgressLockout.application_id.in_(ids), ProgressLockout.since > since,
            ProgressLockout.failures >= MAX_FAILURES).limit(1)) is not None

    def fail(self, ids: list[int], now: dt.datetime) -> None:
        """One more wrong try for each case; a count older than the window starts again."""
        since = now - FAILURE_WINDOW
        for application_id in ids:
            for _attempt in range(2):
                try:
                    with self.sessions.begin() as session:
                        row = session.get(ProgressLockout, application_id, with_for_update=True)
                        if row is None:
                            session.add(ProgressLockout(application_id=application_id, failures=1, since=now))
                        elif as_utc(row.since) <= since:
                            row.failures, row.since = 1, now
                        else:
                            session.execute(update(ProgressLockout)
                                            .where(ProgressLockout.application_id == application_id)
                                            .values(failures=ProgressLockout.failures + 1))
                    break
                except IntegrityError:      # two first failures at once: the second counts as an update
                    continue


def router(sessions: sessionmaker[Session], calling_kiosk: Any) -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    lockouts = Lockouts(sessions)
    not_found: dict[int | str, dict[str, Any]] = {
        404: {"description": "Unknown case, or not the token printed on its receipt."}}

    @api.post("/progress", responses=not_found)
    def progress_by_token(body: ProgressByTokenIn) -> Progress:
        """A citizen's progress query, by the number on the receipt (or the central one), for the holder of
        the receipt. The token travels in the body, so it is in no URL and no access log."""
        progress = _by_token(sessions, body.case_number, body.token)
        if progress is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no case with this number and token")
        return progress

    @api.post("/progress-lookups",
              responses={404: {"description": "Unknown case, or not the applicant's ID number."},
                         429: {"description": "Too many wrong tries for this case; try later."}, **REFUSED})
    def progress_by_id_tail(body: ProgressLookupIn, kiosk: str = calling_kiosk) -> Progress:
        """A progress query with the receipt's number and the last six characters of the applicant's ID
        number, for a citizen without the receipt's QR code."""
        now = dt.datetime.now(dt.UTC)
        with sessions() as session:
            cases = _cases(session, body.case_number)
            ids = [row.id for row in cases]
            if ids and lockouts.locked(session, ids, now):
                raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "too many wrong tries for this case")
            found = next((row for row in cases if _tail_matches(row, body.id_tail)), None)
            progress = None if found is None else progress_of(found)
        if progress is None:
            lockouts.fail(ids, now)
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no case with this number and ID number")
        return progress

    return api
