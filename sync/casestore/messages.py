"""What kiosks tell the centre besides applications: ratings (好差评), complaints (投诉, 办不成事, 建议),
help calls (帮办代办) and technicians' audit events. The kiosk's message queue (sync/messages.py) posts
each once per its UUIDv7 id; a repeat gets the first record's time back, so a lost answer costs nothing.

A bad rating (score <= 2) and a "can't get it done" report are flagged follow_up: the centre's staff
call the citizen back (regulation articles 28 and 33). A kiosk reads back only what it sent.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import UUID7, AwareDatetime, BaseModel, Field, StringConstraints, field_validator
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sync.casestore.app import UUID7_PATTERN, ShortText
from sync.casestore.db import Application, AuditEvent, Base, Complaint, HelpCall, Rating, as_utc, case_of

FOLLOW_UP_SCORE = 2          # this score or lower is 差评: staff follow up
Key = Annotated[UUID7, Field(json_schema_extra={"pattern": UUID7_PATTERN},
                             description="The kiosk's key (UUIDv7); sending it again records nothing new.")]
CaseNumber = Annotated[str, StringConstraints(max_length=128)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"\S")]
Limit = Annotated[int, Query(ge=1, le=500, description="At most this many, newest first.")]
Row = TypeVar("Row", bound=Base)


def _blank_is_none(value: Any) -> Any:
    """A kiosk may send "" for "none" (no case, no comment): stored as null."""
    return None if isinstance(value, str) and not value.strip() else value


class RatingIn(BaseModel):
    """好差评 of one visit at the kiosk."""

    id: Key
    service_code: ShortText = Field(description="Service (事项) code from the catalog.")
    case_number: CaseNumber | None = Field(
        default=None, description="The kiosk case number on the receipt (or the central one); null when the "
        "visit left no case, e.g. a query-and-print.")
    score: int = Field(ge=1, le=5, description="5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意.")
    reasons: list[Code] = Field(default=[], max_length=16, description="Reason codes the citizen tapped.")
    comment: str | None = Field(default=None, max_length=1000, description="The citizen's own words, if any.")
    rated_at: AwareDatetime = Field(description="When the citizen rated, ISO-8601 with time zone.")

    _blank = field_validator("case_number", "comment", mode="before")(_blank_is_none)


class RatingOut(BaseModel):
    id: str
    service_code: str
    case_number: str | None = Field(description="As the kiosk sent it.")
    central_case_number: str | None = Field(description="The central case it concerns, once that case is here.")
    score: int
    reasons: list[str]
    comment: str | None
    rated_at: dt.datetime
    follow_up: bool = Field(description="Score 2 or lower: the centre's staff call the citizen back.")
    received_at: dt.datetime


class ComplaintIn(BaseModel):
    """投诉, 办不成事 (can't get it done) or 建议 (suggestion), made at the kiosk."""

    id: Key
    category: Literal["complaint", "cant_get_done", "suggestion"] = Field(
        default="complaint", description="cant_get_done (办不成事) is followed up by the centre's staff.")
    service_code: str | None = Field(default=None, max_length=128, description="The service it concerns, if any.")
    case_number: CaseNumber | None = Field(default=None, description="The case it concerns (kiosk or central number).")
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"\S")]
    contact_mobile: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 -]{4,19}$")] | None = Field(
        default=None, description="A number to call the citizen back on; null when they left none.")
    submitted_at: AwareDatetime | None = Field(default=None, description="When the citizen sent it at the kiosk.")

    _blank = field_validator("service_code", "case_number", "contact_mobile", mode="before")(_blank_is_none)


class HelpRequestIn(BaseModel):
    """A call for staff (帮办代办): where the citizen is stuck and what they may need."""

    id: Key
    kiosk_id: ShortText = Field(description="The calling kiosk.")
    location: str = Field(max_length=200, description="Where the kiosk stands, as configured.")
    screen: ShortText = Field(description="The screen the citizen was on.")
    service_code: str = Field(max_length=128, description="The chosen service; empty before one is chosen.")
    language: ShortText
    assisted: bool = Field(description="Accessible mode on: bring what an elderly or disabled citizen needs.")
    audio_only: bool = Field(description="The citizen may not see the screen: speak to them.")
    requested_at: AwareDatetime


class HelpRequestOut(HelpRequestIn):
    received_at: dt.datetime


class AuditEventIn(BaseModel):
    """What a technician did at the kiosk."""

    id: Key
    technician: ShortText
    action: ShortText
    detail: str = Field(default="", max_length=2000)
    at: AwareDatetime = Field(description="When it happened, by the kiosk's clock.")


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
            stored = session.get(type(row), row.id)       # type: ignore[attr-defined]
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


def router(sessions: sessionmaker[Session], calling_kiosk: Any, refused: dict) -> APIRouter:
    """The four collections, for enrolled kiosks only."""
    api = APIRouter(prefix="/api/v1")
    recorded = {409: {"description": "The id was used by another kiosk."}, **refused}

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

    @api.get("/ratings", responses=refused)
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
                          comment=r.Rating.comment, rated_at=as_utc(r.Rating.rated_at),
                          follow_up=r.Rating.follow_up, received_at=as_utc(r.Rating.at)) for r in rows]

    @api.post("/complaints", responses=recorded)
    def complain(body: ComplaintIn, kiosk: str = calling_kiosk) -> Recorded:
        """Record a complaint, report or suggestion once per id; "can't get it done" is flagged for follow-up."""
        with sessions() as session:
            application_id = _case_of(session, kiosk, body.case_number)
        return _record_once(sessions, Complaint(
            id=str(body.id), kiosk_id=kiosk, category=body.category, service_code=body.service_code,
            application_id=application_id, case_number=body.case_number, text=body.text,
            contact_mobile=body.contact_mobile, submitted_at=body.submitted_at,
            follow_up=body.category == "cant_get_done", at=now()), kiosk)

    @api.post("/help-requests", responses={403: {"description": "The body names another kiosk."}, **recorded})
    def call_for_help(body: HelpRequestIn, kiosk: str = calling_kiosk) -> Recorded:
        """Record a citizen's call for staff once per id."""
        if body.kiosk_id != kiosk:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "a kiosk calls for help only from itself")
        fields = body.model_dump(exclude={"id"})
        return _record_once(sessions, HelpCall(id=str(body.id), **fields, at=now()), kiosk)

    @api.get("/help-requests", responses=refused)
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

    @api.get("/audit-events", responses=refused)
    def audit_events(kiosk: str = calling_kiosk, limit: Limit = 100) -> list[AuditEventOut]:
        """This kiosk's audit trail, newest first."""
        with sessions() as session:
            rows = session.scalars(select(AuditEvent).where(AuditEvent.kiosk_id == kiosk)
                                   .order_by(AuditEvent.id.desc()).limit(limit)).all()
        return [AuditEventOut(id=r.id, technician=r.technician, action=r.action, detail=r.detail,
                              at=as_utc(r.happened_at), received_at=as_utc(r.at)) for r in rows]

    return api
