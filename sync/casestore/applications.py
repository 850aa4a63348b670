"""Applications at the centre: stored once per kiosk and idempotency key, read back by their kiosk as a
status only (a stolen kiosk credential reads no citizen's data), and the status changes kiosks pull.

Every answer to a push comes after the store's own commit, and a push is idempotent by the kiosk's
key, so a kiosk may retry anything it has no answer for. Keys are the kiosk's own: another kiosk's
key is another application, never an answer with someone else's case.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response, status
from fastapi import Path as PathParam
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from sync.casestore.answers import REFUSED, CaseStatus, Receipt, StatusChangeOut, StatusChanges
from sync.casestore.db import Application, StatusChange, StoredAttachment, TrackingToken, as_utc, case_number_for
from sync.wire import MAX_STATUS_CURSOR, ApplicationIn, AttachmentIn

log = logging.getLogger(__name__)

RECEIVED = "received"


class KeyTaken(Exception):
    """The key is stored for another kiosk in a database made before keys were scoped to their kiosk."""


def find(sessions: sessionmaker[Session], **where: str) -> Application | None:
    with sessions() as session:
        query = select(Application).filter_by(**where).options(
            selectinload(Application.history), selectinload(Application.attachments).defer(StoredAttachment.data))
        return session.scalars(query).one_or_none()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _stored_attachment(position: int, attachment: AttachmentIn) -> StoredAttachment:
    data = attachment.content()
    return StoredAttachment(position=position, name=attachment.name, media_type=attachment.media_type,
                            sha256=hashlib.sha256(data).hexdigest(), size=len(data), data=data)


def _insert(sessions: sessionmaker[Session], body: ApplicationIn) -> Application:
    received_at = dt.datetime.now(dt.UTC)
    with sessions.begin() as session:
        row = Application(
            idempotency_key=str(body.idempotency_key),
            kiosk_case_number=body.kiosk_case_number,
            kiosk_id=body.kiosk_id,
            service_code=body.service_code,
            payload=json.dumps(body.model_dump(mode="json", exclude={"attachments", "tracking_token"}),
                               ensure_ascii=False),
            submitted_at=body.submitted_at.astimezone(dt.UTC),
            received_at=received_at,
            history=[StatusChange(status=RECEIVED, at=received_at, note=None)],
            attachments=[_stored_attachment(position, a) for position, a in enumerate(body.attachments)],
        )
        session.add(row)
        session.flush()  # assigns row.id, which the case number is made from
        row.case_number = case_number_for(row.id, received_at)
        if body.tracking_token:
            session.add(TrackingToken(application_id=row.id, token_sha256=token_digest(body.tracking_token)))
    return row


def store(sessions: sessionmaker[Session], body: ApplicationIn) -> tuple[Application, bool]:
    """The stored application for this kiosk's key and whether it was there already."""
    where = {"idempotency_key": str(body.idempotency_key), "kiosk_id": body.kiosk_id}
    existing = find(sessions, **where)
    if existing is not None:
        return existing, True
    try:
        row = _insert(sessions, body)
    except IntegrityError:
        # Another thread or server process stored the same key since our lookup.
        existing = find(sessions, **where)
        if existing is None:
            raise KeyTaken(str(body.idempotency_key)) from None
        return existing, True
    log.info("stored case %s from kiosk %s", row.case_number, row.kiosk_id)
    return row, False


def case_status(row: Application) -> CaseStatus:
    return CaseStatus(case_number=row.case_number, idempotency_key=uuid.UUID(row.idempotency_key),
                      kiosk_id=row.kiosk_id, kiosk_case_number=row.kiosk_case_number, service_code=row.service_code,
                      received_at=as_utc(row.received_at), status=row.history[-1].status)


def router(sessions: sessionmaker[Session], calling_kiosk: Any) -> APIRouter:
    """Pushing applications, reading their status back, and the status changes after a cursor."""
    api = APIRouter(prefix="/api/v1")

    @api.post(
        "/applications",
        status_code=status.HTTP_201_CREATED,
        response_description="Stored as a new case.",
        responses={200: {"model": Receipt, "description": "Already stored under this key: the same case."},
                   403: {"description": "The body names another kiosk, or a receipt number not of this kiosk."},
                   409: {"description": "An old store holds the key for another kiosk."}, **REFUSED},
    )
    def submit_application(body: ApplicationIn, response: Response, kiosk: str = calling_kiosk) -> Receipt:
        """Store an application once per kiosk and idempotency key; answers only after the commit."""
        if body.kiosk_id != kiosk:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "a kiosk submits only its own applications")
        if not body.kiosk_case_number.startswith(f"{kiosk}-"):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "the kiosk case number must begin with the kiosk's id")
        try:
            row, duplicate = store(sessions, body)
        except KeyTaken:
            raise HTTPException(status.HTTP_409_CONFLICT, "this idempotency key is stored for another kiosk; "
                                "send the application under a new key") from None
        if duplicate:
            response.status_code = status.HTTP_200_OK
        return Receipt(case_number=row.case_number, idempotency_key=uuid.UUID(row.idempotency_key),
                       status=row.history[-1].status, duplicate=duplicate)

    @api.get("/applications/{case_number}",
             responses={404: {"description": "No case with this number from this kiosk."}, **REFUSED})
    def get_application(case_number: Annotated[str, PathParam(max_length=128)],
                        kiosk: str = calling_kiosk) -> CaseStatus:
        """The status of one of this kiosk's cases, by central case number: nothing personal."""
        row = find(sessions, case_number=case_number, kiosk_id=kiosk)
        if row is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown case number")
        return case_status(row)

    @api.get("/applications",
             responses={404: {"description": "No application with this key from this kiosk."}, **REFUSED})
    def find_application(
        idempotency_key: Annotated[uuid.UUID, Query(description="The key the kiosk pushed with.")],
        kiosk: str = calling_kiosk,
    ) -> CaseStatus:
        """Whether an application arrived, by the kiosk's idempotency key, for a kiosk unsure of its push."""
        row = find(sessions, idempotency_key=str(idempotency_key), kiosk_id=kiosk)
        if row is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no application with this idempotency key")
        return case_status(row)

    @api.get("/status-changes", responses=REFUSED)
    def status_changes(
        kiosk: str = calling_kiosk,
        after: Annotated[int, Query(ge=0, le=MAX_STATUS_CURSOR,
                                    description="The last_id of the previous answer; 0 at first.")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    ) -> StatusChanges:
        """Status changes of this kiosk's cases after a cursor, so the kiosk can answer progress queries offline."""
        query = (select(StatusChange, Application.case_number, Application.idempotency_key).join(Application)
                 .where(Application.kiosk_id == kiosk, StatusChange.id > after)
                 .order_by(StatusChange.id).limit(limit))
        with sessions() as session:
            rows = session.execute(query).all()
        changes = [StatusChangeOut(id=r.StatusChange.id, case_number=r.case_number,
                                   idempotency_key=uuid.UUID(r.idempotency_key), status=r.StatusChange.status,
                                   at=as_utc(r.StatusChange.at), note=r.StatusChange.note) for r in rows]
        return StatusChanges(changes=changes, last_id=changes[-1].id if changes else after)

    return api
