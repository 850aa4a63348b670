"""The case store's HTTP JSON API: kiosks push applications here and pull the catalog.

Every answer to a push comes after the store's own commit, and a push is idempotent by the
kiosk's key, so a kiosk may retry anything it has no answer for. The handlers are plain
functions run in the server's thread pool; the database does the locking.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import AsyncIterator
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Response, status
from fastapi import Path as PathParam
from pydantic import UUID7, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from kiosk import catalog as catalog_model
from sync.casestore import auth, fleet
from sync.casestore.db import (
    Application,
    Base,
    Heartbeat,
    KioskSettings,
    StatusChange,
    StoredAttachment,
    TrackingToken,
    as_utc,
    case_number_for,
    make_engine,
)

log = logging.getLogger(__name__)

RECEIVED = "received"


# "Not blank" as a pattern rather than a validator, so the OpenAPI document states it too.
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"\S")]


class Applicant(BaseModel):
    """The person the application is for; further identity fields are kept as sent."""

    model_config = ConfigDict(extra="allow")

    name: ShortText = Field(description="Name as on the identity document (姓名).")
    id_number: ShortText = Field(description="Identity document number (证件号码).")
    card_type: ShortText = Field(description="Identity document type, as the kiosk names it (证件类型).")


UUID7_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class AttachmentMeta(BaseModel):
    name: ShortText = Field(description="The material as the catalog names it.")
    media_type: ShortText = Field(description="MIME type of the bytes, e.g. image/jpeg.")
    sha256: Sha256Hex = Field(description="SHA-256 of the bytes, lower-case hex.")


class AttachmentIn(AttachmentMeta):
    """A scanned material; the store refuses it when the bytes do not match the digest."""

    data: str = Field(description="The bytes, standard base64.", pattern=BASE64_PATTERN)

    def content(self) -> bytes:
        return base64.b64decode(self.data, validate=True)

    @model_validator(mode="after")
    def _digest_matches(self) -> AttachmentIn:
        try:
            data = self.content()
        except binascii.Error as exc:
            raise ValueError("data is not valid base64") from exc
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ValueError("sha256 does not match the data")
        return self


class AttachmentOut(AttachmentMeta):
    size: int = Field(description="Number of bytes stored.")


class MissingMaterialIn(BaseModel):
    """容缺受理: a material accepted as missing, to be supplied by the deadline."""

    name: ShortText = Field(description="The material as the catalog names it.")
    deadline: dt.date = Field(description="Last day to supply it (working days counted on the kiosk).")


class CommitmentIn(BaseModel):
    """告知承诺: the citizen's consent to the commitment text, bound to their signature."""

    text_sha256: Sha256Hex = Field(description="SHA-256 of the commitment text shown, UTF-8.")
    language: ShortText = Field(description="The language the text was shown in.")
    catalog_version: str = Field(max_length=64, description="The catalog the text came from.")
    accepted_at: AwareDatetime = Field(description="When the citizen pressed 我承诺.")
    signature_sha256: Sha256Hex | Literal[""] = Field(
        default="", description="SHA-256 of the signature attachment drawn after consenting.")


class ApplicationIn(BaseModel):
    """One application as a kiosk submits it from its outbox."""

    idempotency_key: UUID7 = Field(
        json_schema_extra={"pattern": UUID7_PATTERN},
        description="UUIDv7 the kiosk gave the application when the citizen submitted it; "
        "pushing the same key again returns the stored case instead of a new one."
    )
    kiosk_id: ShortText = Field(description="The kiosk that took the application.")
    kiosk_case_number: ShortText = Field(description="The number printed on the citizen's receipt at the kiosk.")
    service_code: ShortText = Field(description="Service (事项) code from the catalog.")
    submitted_at: AwareDatetime = Field(description="When the citizen submitted, ISO-8601 with time zone.")
    applicant: Applicant
    agent: Applicant | None = Field(default=None, description="代为办理: the person who applied on the "
                                    "applicant's behalf, identified at the kiosk; null when the applicant came.")
    form: dict[str, Any] = Field(description="Form fields by key, as the catalog defines them.")
    materials: list[dict[str, Any]] = Field(description="Materials supplied or missing (容缺), one object each.")
    promised_date: dt.date | None = Field(
        default=None, description="Promised completion date (YYYY-MM-DD) from the receipt, or null."
    )
    attachments: list[AttachmentIn] = Field(default=[], description="Scanned materials, stored with the case.")
    missing_materials: list[MissingMaterialIn] = Field(default=[], description="Materials to follow (容缺).")
    commitment: CommitmentIn | None = Field(default=None, description="Consent to 告知承诺, if given.")
    tracking_token: str | None = Field(
        default=None, min_length=16, max_length=128,
        description="Random token printed on the citizen's receipt; the store keeps only its SHA-256, "
        "and a progress query must present it.",
    )


class Receipt(BaseModel):
    """The store's answer to a push: the central case number, new or already stored."""

    case_number: str = Field(description="Central case number, unique across all kiosks and server processes.")
    idempotency_key: uuid.UUID = Field(description="The key the kiosk sent.")
    status: str = Field(description="Current status of the case.")
    duplicate: bool = Field(description="True when the key was already stored; nothing new was created.")


class StatusEntry(BaseModel):
    status: str = Field(description="Status name, e.g. received.")
    at: dt.datetime = Field(description="When the case reached this status (UTC).")
    note: str | None = Field(description="Remark for the citizen, if any.")


class ApplicationOut(BaseModel):
    """A stored application with its status history, for progress queries."""

    case_number: str = Field(description="Central case number.")
    idempotency_key: uuid.UUID
    kiosk_id: str
    kiosk_case_number: str
    service_code: str
    submitted_at: AwareDatetime = Field(description="As the kiosk sent it.")
    received_at: dt.datetime = Field(description="When the store committed the application (UTC).")
    status: str = Field(description="The latest status in history.")
    applicant: Applicant
    agent: Applicant | None = None
    form: dict[str, Any]
    materials: list[dict[str, Any]]
    promised_date: dt.date | None
    attachments: list[AttachmentOut] = Field(description="Stored materials, without their bytes.")
    missing_materials: list[MissingMaterialIn] = Field(default=[], description="Materials to follow (容缺).")
    commitment: CommitmentIn | None = Field(default=None, description="Consent to 告知承诺, if given.")
    history: list[StatusEntry] = Field(description="Status changes, oldest first.")


class Progress(BaseModel):
    """What a citizen may see of a case with the token from their receipt: no personal data."""

    case_number: str
    kiosk_case_number: str
    service_code: str
    status: str
    promised_date: dt.date | None
    history: list[StatusEntry]


class StatusChangeOut(BaseModel):
    id: int = Field(description="Increasing cursor: ask for changes after the last one seen.")
    case_number: str
    idempotency_key: uuid.UUID
    status: str
    at: dt.datetime
    note: str | None


class StatusChanges(BaseModel):
    changes: list[StatusChangeOut] = Field(description="Oldest first, at most `limit`.")
    last_id: int = Field(description="The cursor to send next time (unchanged when there is nothing new).")


class QueueReport(BaseModel):
    pending: int = Field(ge=0)
    dead: int = Field(ge=0)
    delivered: int = Field(ge=0)
    oldest_pending_age_s: float | None = Field(default=None, ge=0)


class DeviceReport(BaseModel):
    model_config = ConfigDict(extra="allow")

    device: ShortText
    state: ShortText
    detail: str = Field(default="", max_length=500)


class AlertReport(BaseModel):
    """A device fault the kiosk raised, by stable code (printer.paper_out, idcard.absent ...)."""

    code: ShortText
    severity: Literal["fault", "warning"]
    device: ShortText
    detail: str = Field(default="", max_length=500)


class HeartbeatIn(BaseModel):
    """A kiosk's periodic sign of life: what waits in its outbox and how its devices are."""

    at: AwareDatetime = Field(description="The kiosk's clock when it sent this.")
    sync_state: ShortText = Field(description="ok, offline, unauthorised, disk_full, database_error ...")
    queue: QueueReport
    messages: QueueReport | None = Field(default=None, description="Ratings, complaints, help calls and audit "
                                         "events waiting in the kiosk's message queue, and its dead letters.")
    devices: list[DeviceReport] = Field(default=[], max_length=32)
    storage_alert: str = Field(default="", max_length=500, description="Damaged local database set aside, if any.")
    alerts: list[AlertReport] = Field(default=[], max_length=32, description="Device faults (sync/alerts.py).")
    version: str = Field(default="", max_length=64, description="The kiosk software's version.")
    interval_s: float | None = Field(default=None, gt=0, le=86400,
                                     description="Seconds to the kiosk's next heartbeat: the fleet view's clock.")
    out_of_service: bool | None = Field(default=None, description="The kiosk says it serves no citizens now.")


class HeartbeatAck(BaseModel):
    received_at: dt.datetime
    settings: dict[str, float] = Field(
        default={}, description="Settings pushed to this kiosk by an operator (names and bounds: sync/pushed.py).")


class Health(BaseModel):
    status: Literal["ok"]
    applications: int = Field(description="Number of stored applications.")


class CatalogUnavailable(Exception):
    """The catalog file is missing or would be rejected by the kiosks."""


class CatalogFile:
    """The catalog document for kiosks, re-read per request so an operator can replace the file.

    The bytes are served unchanged so the ETag names exactly what the kiosk caches; they are
    checked with the kiosk's own parser first, because a catalog the kiosks reject must not spread.
    """

    def __init__(self, path: Path | None) -> None:
        self._source: Traversable | Path = path or resources.files("kiosk").joinpath("data/catalog.json")
        self._checked_etag = ""

    def read(self) -> tuple[bytes, str]:
        try:
            data = self._source.read_bytes()
        except OSError as exc:
            raise CatalogUnavailable(f"catalog file cannot be read: {exc.strerror}") from exc
        etag = f'"{hashlib.sha256(data).hexdigest()}"'
        if etag != self._checked_etag:
            self._check(data)
            self._checked_etag = etag
        return data, etag

    @staticmethod
    def _check(data: bytes) -> None:
        try:
            document = json.loads(data)
            if not isinstance(document, dict):
                raise catalog_model.CatalogError("catalog is not a JSON object")
            catalog_model.parse(document)
        except ValueError as exc:  # JSON, encoding and CatalogError are all ValueErrors
            raise CatalogUnavailable(f"catalog rejected: {exc}") from exc


def etag_matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix does not matter, * matches all."""
    candidates = [candidate.strip() for candidate in if_none_match.split(",")]
    return "*" in candidates or any(candidate.removeprefix("W/") == etag for candidate in candidates)


def _find(sessions: sessionmaker[Session], **where: str) -> Application | None:
    with sessions() as session:
        query = select(Application).filter_by(**where).options(
            selectinload(Application.history), selectinload(Application.attachments).defer(StoredAttachment.data))
        return session.scalars(query).one_or_none()


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
            session.add(TrackingToken(application_id=row.id, token_sha256=_digest(body.tracking_token)))
    return row


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _progress_for(sessions: sessionmaker[Session], number: str, token: str) -> Progress | None:
    """The case, by its central number or the kiosk's (the one on the receipt), if the token is its own;
    the same None for an unknown case and a wrong token."""
    digest = _digest(token)
    with sessions() as session:
        candidates = session.execute(
            select(Application, TrackingToken.token_sha256).join(TrackingToken)
            .where(or_(Application.case_number == number, Application.kiosk_case_number == number))
            .options(selectinload(Application.history))
        ).all()
        row = next((c.Application for c in candidates if hmac.compare_digest(c.token_sha256, digest)), None)
        return None if row is None else progress_of(row)


def progress_of(row: Application) -> Progress:
    """What a citizen sees of a case (history loaded): status and history, nothing personal."""
    return Progress(case_number=row.case_number, kiosk_case_number=row.kiosk_case_number,
                    service_code=row.service_code, status=row.history[-1].status,
                    promised_date=json.loads(row.payload)["promised_date"],
                    history=[StatusEntry(status=h.status, at=as_utc(h.at), note=h.note) for h in row.history])


def _stored_attachment(position: int, attachment: AttachmentIn) -> StoredAttachment:
    data = attachment.content()
    return StoredAttachment(position=position, name=attachment.name, media_type=attachment.media_type,
                            sha256=hashlib.sha256(data).hexdigest(), size=len(data), data=data)


def store(sessions: sessionmaker[Session], body: ApplicationIn) -> tuple[Application, bool]:
    """The stored application for this key and whether it was there already."""
    key = str(body.idempotency_key)
    existing = _find(sessions, idempotency_key=key)
    if existing is not None:
        return existing, True
    try:
        row = _insert(sessions, body)
    except IntegrityError:
        # Another thread or server process stored the same key since our lookup.
        existing = _find(sessions, idempotency_key=key)
        if existing is None:
            raise
        return existing, True
    log.info("stored case %s from kiosk %s", row.case_number, row.kiosk_id)
    return row, False


def _receipt(row: Application, duplicate: bool) -> Receipt:
    return Receipt(
        case_number=row.case_number,
        idempotency_key=uuid.UUID(row.idempotency_key),
        status=row.history[-1].status,
        duplicate=duplicate,
    )


def _application_out(row: Application) -> ApplicationOut:
    sent = json.loads(row.payload)
    return ApplicationOut(
        case_number=row.case_number,
        idempotency_key=uuid.UUID(row.idempotency_key),
        kiosk_id=row.kiosk_id,
        kiosk_case_number=row.kiosk_case_number,
        service_code=row.service_code,
        submitted_at=sent["submitted_at"],
        received_at=as_utc(row.received_at),
        status=row.history[-1].status,
        applicant=sent["applicant"],
        agent=sent.get("agent"),
        form=sent["form"],
        materials=sent["materials"],
        missing_materials=sent.get("missing_materials", []),
        commitment=sent.get("commitment"),
        promised_date=sent["promised_date"],
        attachments=[AttachmentOut(name=a.name, media_type=a.media_type, sha256=a.sha256, size=a.size)
                     for a in row.attachments],
        history=[StatusEntry(status=h.status, at=as_utc(h.at), note=h.note) for h in row.history],
    )


def create_app(db_url: str, catalog_path: Path | None = None, silent_beats: float = fleet.SILENT_BEATS) -> FastAPI:
    """The case store over the database at db_url; tables are created if missing.

    silent_beats: heartbeat intervals without a heartbeat after which the fleet view marks a kiosk silent.
    """
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    catalog = CatalogFile(catalog_path)
    calling_kiosk = Depends(auth.dependency(auth.Verifier(sessions)))
    refused = {401: {"description": "Not signed, signed by an unknown kiosk, out of the time window, or replayed."}}

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="Kiosk24 case store",
        version=metadata.version("kiosk24"),
        description="Central case store for Kiosk24 government self-service kiosks (政务服务24小时自助终端).",
        lifespan=lifespan,
    )

    @app.post(
        "/api/v1/applications",
        status_code=status.HTTP_201_CREATED,
        response_description="Stored as a new case.",
        responses={200: {"model": Receipt, "description": "Already stored under this key: the same case."},
                   403: {"description": "The body names another kiosk."}, **refused},
    )
    def submit_application(body: ApplicationIn, response: Response, kiosk: str = calling_kiosk) -> Receipt:
        """Store an application once per idempotency key; answers only after the commit."""
        if body.kiosk_id != kiosk:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "a kiosk submits only its own applications")
        row, duplicate = store(sessions, body)
        if duplicate:
            response.status_code = status.HTTP_200_OK
        return _receipt(row, duplicate)

    @app.get("/api/v1/applications/{case_number}",
             responses={404: {"description": "No case with this number from this kiosk."}, **refused})
    def get_application(case_number: str, kiosk: str = calling_kiosk) -> ApplicationOut:
        """An application and its status history, by central case number; a kiosk sees only its own."""
        row = _find(sessions, case_number=case_number, kiosk_id=kiosk)
        if row is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown case number")
        return _application_out(row)

    @app.get("/api/v1/applications",
             responses={404: {"description": "No application with this key from this kiosk."}, **refused})
    def find_application(
        idempotency_key: Annotated[uuid.UUID, Query(description="The key the kiosk pushed with.")],
        kiosk: str = calling_kiosk,
    ) -> ApplicationOut:
        """An application by the kiosk's idempotency key, for a kiosk unsure whether its push arrived."""
        row = _find(sessions, idempotency_key=str(idempotency_key), kiosk_id=kiosk)
        if row is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no application with this idempotency key")
        return _application_out(row)

    @app.get("/api/v1/status-changes", responses=refused)
    def status_changes(
        kiosk: str = calling_kiosk,
        after: Annotated[int, Query(ge=0, description="The last_id of the previous answer; 0 at first.")] = 0,
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

    @app.post("/api/v1/heartbeats", responses=refused)
    def heartbeat(body: HeartbeatIn, kiosk: str = calling_kiosk) -> HeartbeatAck:
        """Keep the kiosk's latest report; one row per kiosk, however often it beats."""
        received_at = dt.datetime.now(dt.UTC)
        for attempt in range(2):
            try:
                with sessions.begin() as session:
                    session.merge(Heartbeat(kiosk_id=kiosk, received_at=received_at, report=body.model_dump_json()))
                    pushed = session.get(KioskSettings, kiosk)
                break
            except IntegrityError:      # two first beats at once both inserted: the second now updates
                if attempt:
                    raise
        return HeartbeatAck(received_at=received_at, settings=json.loads(pushed.settings) if pushed else {})

    @app.get("/api/v1/progress/{case_number}",
             responses={404: {"description": "Unknown case, or not the token printed on its receipt."}})
    def get_progress(
        case_number: Annotated[str, PathParam(max_length=128)],
        token: Annotated[str, Query(min_length=1, max_length=128, description="The token from the receipt's QR code.")],
    ) -> Progress:
        """A citizen's progress query, by the number on the receipt (or the central one), for the holder
        of the receipt: status and history of the case, nothing personal."""
        progress = _progress_for(sessions, case_number, token)
        if progress is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no case with this number and token")
        return progress

    @app.get(
        "/api/v1/catalog",
        response_class=Response,
        responses={
            200: {"content": {"application/json": {}}, "description": "The service catalog, with a strong ETag."},
            304: {"description": "The kiosk's copy (If-None-Match) is current."},
            503: {"description": "The catalog file is missing or invalid."},
        },
    )
    def get_catalog(if_none_match: Annotated[str | None, Header()] = None) -> Response:
        """The service catalog; kiosks revalidate with If-None-Match and usually get 304."""
        try:
            data, etag = catalog.read()
        except CatalogUnavailable as exc:
            log.warning("%s", exc)
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from exc
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if if_none_match is not None and etag_matches(if_none_match, etag):
            return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(content=data, media_type="application/json", headers=headers)

    from sync.casestore import services  # here, not on top: it builds on this module's models
    app.include_router(services.router(sessions, calling_kiosk, refused))
    from sync.casestore import messages  # likewise: ratings, complaints, help calls, audit events
    app.include_router(messages.router(sessions, calling_kiosk, refused))

    @app.get("/api/v1/health")
    def health() -> Health:
        """Liveness that also proves the database answers."""
        with sessions() as session:
            count = session.scalar(select(func.count()).select_from(Application)) or 0
        return Health(status="ok", applications=count)

    fleet.register(app, sessions, silent_beats)
    return app
