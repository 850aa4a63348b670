"""What kiosks tell the centre besides applications: ratings (好差评), complaints (投诉, 办不成事, 建议),
help calls (帮办代办) and technicians' audit events. The kiosk's message queue (sync/messages.py) posts
each once per its UUIDv7 id; a repeat gets the first record's time back, so a lost answer costs nothing.

A bad rating (score <= 2) and every complaint, report or suggestion are flagged follow_up: the centre's
staff answer each (有诉必办, article 27; articles 28 and 33). A kiosk reads back only what it sent, and of a
rating not the citizen's words: those are for the centre's staff (`kiosk24 casestore follow-ups`).
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, cast

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sync.casestore.answers import REFUSED
from sync.casestore.db import Application, AuditEvent, Complaint, HelpCall, Rating, as_utc, case_of
from sync.wire import AuditEventIn, ComplaintIn, HelpRequestIn, RatingIn

FOLLOW_UP_SCORE = 2          # this score or lower is 差评: staff follow up
Limit = Annotated[int, Query(ge=1, le=500, description="At most this many, newest first.")]
Row = Rating | Complaint | HelpCall | AuditEvent       # what a kiosk sends once per id


class RatingOut(BaseModel):
    id: str
    service_code: str
    case_number: str | None = Field(description="As the kiosk sent it.")
    central_case_number: str | None = Field(description="The central case it concerns, once that case is here.")
    score: int
    reasons: list[str]
    rated_at: dt.datetime
    follow_up: bool = Field(description="Score 2 or lower: the centre's staff call the citizen back.")
    received_at: dt.datetime


class HelpRequestOut(HelpRequestIn):
    received_at: dt.datetime


class AuditEventOut(AuditEventIn):
    received_at: dt.datetime


class Recorded(BaseModel):
    at: dt.datetime = Field(description="When the store recorded it (UTC); the first time, for a repeat.")


def _record_once(sessions: sessionmaker[Session], row: Row, kiosk: str) -> Recorded:
    """Insert row unless its id is stored already (a kiosk's retry): the stored time either way."""
    try:
        with sessions.begin() as session:
            session.add(row)
        return Recorded(at=row.at)
    except IntegrityError:
        with sessions() as session:
            stored = cast(Row | None, session.get(type(row), row.id))     # the same class as row
        if stored is None or stored.kiosk_id != kiosk:
            raise HTTPException(status.HTTP_409_CONFLICT, "this id belongs to another kiosk") from None
        return Recorded(at=as_utc(stored.at))


def _case_of(session: Session, kiosk: str, number: str | None) -> int | None:
    """The stored application the kiosk's number names (its own number or the central one), if it is here."""
    if number is None:
        return None
    return session.scalar(select(Application.id).where(
        Application.kiosk_id == kiosk,
        or_(Application.kiosk_case_number == number, Application.case_number == number)).limit(1))


def router(sessions: sessionmaker[Session], calling_kiosk: Any) -> APIRouter:
    """The four collections, for enrolled kiosks only."""
    api = APIRouter(prefix="/api/v1")
    recorded = {409: {"description": "The id was used by another kiosk."}, **REFUSED}

    def now() -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    @api.post("/ratings", responses=recorded)
    def rate(body: RatingIn, kiosk: str = calling_kiosk) -> Recorded:
        """Record a citizen's rating once per id; a score of 2 or lower is flagged for follow-up."""
        with sessions() as session:
            application_id = _case_of(session, kiosk, body.case_number)
        return _record_once(sessions, Rating(
            id=str(body.id), kiosk_id=kiosk, application_id=application_id, case_number=body.case_number,
            service_code=body.service_code, score=body.score, reasons=json.dumps(body.reasons),
            comment=body.comment, rated_at=body.rated_at, follow_up=body.score <= FOLLOW_UP_SCORE, at=now()), kiosk)

    @api.get("/ratings", responses=REFUSED)
    def ratings(kiosk: str = calling_kiosk, limit: Limit = 100,
                follow_up: Annotated[bool | None, Query(description="Only those (not) flagged for follow-up.")]
                = None) -> list[RatingOut]:
        """This kiosk's ratings, newest first; follow_up=true lists the bad ones staff must call back about."""
        query = (select(Rating, Application.case_number.label("central")).outerjoin(Application, case_of(Rating))
                 .where(Rating.kiosk_id == kiosk).order_by(Rating.id.desc()).limit(limit))
        if follow_up is not None:
            query = query.where(Rating.follow_up == follow_up)
        with sessions() as session:
            rows = session.execute(query).all()
        return [RatingOut(id=r.Rating.id, service_code=r.Rating.service_code, case_number=r.Rating.case_number,
                          central_case_number=r.central, score=r.Rating.score, reasons=json.loads(r.Rating.reasons),
                          rated_at=as_utc(r.Rating.rated_at),
                          follow_up=r.Rating.follow_up, received_at=as_utc(r.Rating.at)) for r in rows]

    @api.post("/complaints", responses=recorded)
    def complain(body: ComplaintIn, kiosk: str = calling_kiosk) -> Recorded:
        """Record a complaint, report or suggestion once per id; each is flagged for follow-up (有诉必办)."""
        with sessions() as session:
            application_id = _case_of(session, kiosk, body.case_number)
        return _record_once(sessions, Complaint(
            id=str(body.id), kiosk_id=kiosk, category=body.category, service_code=body.service_code,
            application_id=application_id, case_number=body.case_number, text=body.text,
            contact_mobile=body.contact_mobile, submitted_at=body.submitted_at,
            follow_up=True, at=now()), kiosk)

    @api.post("/help-requests", responses={403: {"description": "The body names another kiosk."}, **recorded})
    def call_for_help(body: HelpRequestIn, kiosk: str = calling_kiosk) -> Recorded:
        """Record a citizen's call for staff once per id."""
        if body.kiosk_id != kiosk:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "a kiosk calls for help only from itself")
        fields = body.model_dump(exclude={"id"})
        return _record_once(sessions, HelpCall(id=str(body.id), **fields, at=now()), kiosk)

    @api.get("/help-requests", responses=REFUSED)
    def help_requests(kiosk: str = calling_kiosk, limit: Limit = 100) -> list[HelpRequestOut]:
        """This kiosk's calls for help, newest first."""
        with sessions() as session:
            rows = session.scalars(select(HelpCall).where(HelpCall.kiosk_id == kiosk)
                                   .order_by(HelpCall.id.desc()).limit(limit)).all()
        return [HelpRequestOut(id=r.id, kiosk_id=r.kiosk_id, location=r.location, screen=r.screen,
                               service_code=r.service_code, language=r.language, assisted=r.assisted,
                               audio_only=r.audio_only, requested_at=as_utc(r.requested_at),
                               received_at=as_utc(r.at)) for r in rows]

    @api.post("/audit-events", responses=recorded)
    def audit(body: AuditEventIn, kiosk: str = calling_kiosk) -> Recorded:
        """Record a technician's action at the kiosk once per id."""
        return _record_once(sessions, AuditEvent(
            id=str(body.id), kiosk_id=kiosk, technician=body.technician, action=body.action, detail=body.detail,
            happened_at=body.at, at=now()), kiosk)

    @api.get("/audit-events", responses=REFUSED)
    def audit_events(kiosk: str = calling_kiosk, limit: Limit = 100) -> list[AuditEventOut]:
        """This kiosk's audit trail, newest first."""
        with sessions() as session:
            rows = session.scalars(select(AuditEvent).where(AuditEvent.kiosk_id == kiosk)
                                   .order_by(AuditEvent.id.desc()).limit(limit)).all()
        return [AuditEventOut(id=r.id, technician=r.technician, action=r.action, detail=r.detail,
                              at=as_utc(r.happened_at), received_at=as_utc(r.at)) for r in rows]

    return api
