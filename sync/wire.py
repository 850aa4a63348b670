"""The one wire schema: what a kiosk sends the centre, as pydantic models both sides use.

The kiosk builds its bodies through these models (sync/outbox.py, sync/messages.py, sync/worker.py), so
what it sends was checked against what the centre accepts before it left; the case store's routes
(sync/casestore/*) take the same models as their request bodies. kiosk/application.py and
kiosk/messages.py hold the domain values; the functions at the end of this module convert them.

Every size is bounded here (string lengths, field and list counts, numbers' ranges) so a body the
centre has read cannot make it store or render something unbounded; NaN, Infinity, integers beyond 64
bits, lone surrogates, NULs and deep nesting are refused before validation, by the case store's request
limits (sync/casestore/limits.py).
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    UUID7,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from kiosk.messages import AUDIT, COMPLAINT, HELP, RATING

if TYPE_CHECKING:
    from kiosk.application import Application
    from kiosk.identity import Identity

UUID7_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"

MAX_ATTACHMENTS = 24                         # the longest material list of the catalog, scanned, and a signature
MAX_ATTACHMENT_BYTES = 4 * 1024 * 1024       # one scanned page as JPEG is well under 1 MiB
MAX_TOTAL_ATTACHMENT_BYTES = 32 * 1024 * 1024  # 2 materials x 10 pages and a signature, about 1 MiB each
MAX_FORM_FIELDS = 64                         # the catalog's longest form has 6
MAX_FORM_VALUE = 2000                        # the kiosk's longest field (an address) takes 120 characters
MAX_COUNT = 10**9                            # queue depths and the like
MAX_AGE_S = 10 * 366 * 86400.0               # ten years: an outbox older than that is a broken clock
MAX_EPOCH_S = 2.0**32                         # a Unix time before 2106 (a device's since: 1.7e9 now, over MAX_COUNT)
MAX_STATUS_CURSOR = 2**63 - 1                # a signed 64-bit row id, as every database stores it
MAX_DEVICE_VALUES = 8                        # a driver's own values beside a device's state


class Strict(BaseModel):
    """Unknown fields are refused and NaN or Infinity never reach a float: a body holds what the schema names."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


# "Not blank" as a pattern rather than a validator, so the OpenAPI document states it too; U+0085 and
# U+FEFF are named because ECMAScript's \s (the document's) and Python's differ on them.
NOT_BLANK = r"[^\s\u0085\ufeff]"
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=NOT_BLANK)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=NOT_BLANK)]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
CaseNumber = Annotated[str, StringConstraints(max_length=128)]
IdNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{17}[0-9X]$")]
Mobile = Annotated[str, StringConstraints(pattern=r"^1[0-9]{10}$")]
IdTail = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}[0-9Xx]$")]
Key = Annotated[UUID7, Field(json_schema_extra={"pattern": UUID7_PATTERN},
                             description="The kiosk's key (UUIDv7); sending it again records nothing new.")]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


def _blank_is_none(value: Any) -> Any:
    """A kiosk may send "" for "none" (no case, no comment): stored as null."""
    return None if isinstance(value, str) and not value.strip() else value


# -- applications ---------------------------------------------------------------------------------------------

class Person(Strict):
    """An applicant or an agent as identified at the kiosk."""

    name: ShortText = Field(description="Name as on the identity document (姓名).")
    id_number: ShortText = Field(description="Identity document number (证件号码).")
    card_type: ShortText = Field(description="Identity document type, as the kiosk names it (证件类型).")
    sex: Annotated[str, StringConstraints(max_length=16)] | None = Field(default=None, description="As on the card.")
    birth_date: dt.date | None = Field(default=None, description="As on the card.")
    credential: Code | None = Field(
        default=None, description="How the person was identified: resident, foreign, hmt, passport, e_credential, "
        "or typed for a principal the agent typed in (unverified until acceptance).")


class AttachmentMeta(Strict):
    name: ShortText = Field(description="The material as the catalog names it.")
    media_type: ShortText = Field(description="MIME type of the bytes, e.g. image/jpeg.")
    sha256: Sha256Hex = Field(description="SHA-256 of the bytes, lower-case hex.")


class AttachmentIn(AttachmentMeta):
    """A scanned material; the store refuses it when the bytes do not match the digest."""

    data: str = Field(description="The bytes, standard base64.", pattern=BASE64_PATTERN,
                      max_length=(MAX_ATTACHMENT_BYTES + 2) // 3 * 4)

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


class Material(Strict):
    """A material of the service: supplied (scanned), or missing (容缺) with the day it is owed."""

    name: ShortText
    supplied: bool
    deadline: dt.date | None = None


class MissingMaterialIn(Strict):
    """容缺受理: a material accepted as missing, to be supplied by the deadline."""

    name: ShortText = Field(description="The material as the catalog names it.")
    deadline: dt.date = Field(description="Last day to supply it (working days counted on the kiosk).")


class CommitmentIn(Strict):
    """告知承诺: the citizen's consent to the commitment text, bound to their signature."""

    text_sha256: Sha256Hex = Field(description="SHA-256 of the commitment text shown, UTF-8.")
    language: ShortText = Field(description="The language the text was shown in.")
    catalog_version: str = Field(max_length=64, description="The catalog the text came from.")
    accepted_at: AwareDatetime = Field(description="When the citizen pressed 我承诺.")
    signature_sha256: Sha256Hex | Literal[""] = Field(
        default="", description="SHA-256 of the signature attachment drawn after consenting.")


FormKey = Annotated[str, StringConstraints(min_length=1, max_length=64)]
FormValue = Annotated[str, StringConstraints(max_length=MAX_FORM_VALUE)]


class ApplicationIn(Strict):
    """One application as a kiosk submits it from its outbox."""

    idempotency_key: UUID7 = Field(
        json_schema_extra={"pattern": UUID7_PATTERN},
        description="UUIDv7 the kiosk gave the application when the citizen submitted it; "
        "pushing the same key again from the same kiosk returns the stored case instead of a new one."
    )
    kiosk_id: ShortText = Field(description="The kiosk that took the application.")
    kiosk_case_number: ShortText = Field(
        description="The number printed on the citizen's receipt at the kiosk; it begins with the kiosk's id.")
    service_code: ShortText = Field(description="Service (事项) code from the catalog.")
    submitted_at: AwareDatetime = Field(description="When the citizen submitted, ISO-8601 with time zone.")
    applicant: Person
    agent: Person | None = Field(default=None, description="代为办理: the person who applied on the "
                                 "applicant's behalf, identified at the kiosk; null when the applicant came.")
    form: dict[FormKey, FormValue] = Field(max_length=MAX_FORM_FIELDS,
                                           description="Form fields by key, as the catalog defines them.")
    materials: list[Material] = Field(max_length=2 * MAX_ATTACHMENTS,
                                      description="Materials supplied or missing (容缺), one object each.")
    promised_date: dt.date | None = Field(
        default=None, description="Promised completion date (YYYY-MM-DD) from the receipt, or null."
    )
    attachments: list[AttachmentIn] = Field(default=[], max_length=MAX_ATTACHMENTS,
                                            description="Scanned materials, stored with the case.")
    missing_materials: list[MissingMaterialIn] = Field(default=[], max_length=MAX_ATTACHMENTS,
                                                       description="Materials to follow (容缺).")
    commitment: CommitmentIn | None = Field(default=None, description="Consent to 告知承诺, if given.")
    tracking_token: str | None = Field(
        default=None, min_length=16, max_length=128,
        description="Random token printed on the citizen's receipt; the store keeps only its SHA-256, "
        "and a progress query must present it.",
    )

    @field_validator("attachments")
    @classmethod
    def _attachments_fit(cls, attachments: list[AttachmentIn]) -> list[AttachmentIn]:
        if sum(len(a.data) // 4 * 3 for a in attachments) > MAX_TOTAL_ATTACHMENT_BYTES:
            raise ValueError(f"attachments hold more than {MAX_TOTAL_ATTACHMENT_BYTES} bytes together")
        return attachments


# -- heartbeats -----------------------------------------------------------------------------------------------

class QueueReport(Strict):
    pending: Count
    dead: Count
    delivered: Count
    oldest_pending_age_s: float | None = Field(default=None, ge=0, le=MAX_AGE_S)


DeviceValue = (Annotated[str, StringConstraints(max_length=200)] | bool | None
               | Annotated[int, Field(ge=-MAX_COUNT, le=MAX_COUNT)]
               | Annotated[float, Field(ge=-MAX_COUNT, le=MAX_COUNT)])


class DeviceReport(BaseModel):
    """One device's state; a driver may add a few plain values of its own (paper level, firmware ...)."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False, json_schema_extra={
        "maxProperties": 4 + MAX_DEVICE_VALUES, "propertyNames": {"maxLength": 64}})
    __pydantic_extra__: dict[str, DeviceValue] = Field(init=False)

    device: ShortText
    state: ShortText
    detail: str = Field(default="", max_length=500)
    since: float | None = Field(default=None, ge=0, le=MAX_EPOCH_S,
                                description="When the device came to this state (Unix time), as devices.health says.")

    @model_validator(mode="before")
    @classmethod
    def _few_extras(cls, data: Any) -> Any:
        if isinstance(data, dict):
            extra = [key for key in data if key not in ("device", "state", "detail", "since")]
            if len(extra) > MAX_DEVICE_VALUES:
                raise ValueError(f"at most {MAX_DEVICE_VALUES} further values per device")
            if any(len(key) > 64 for key in extra):
                raise ValueError("a device value's name is at most 64 characters")
        return data


class AlertReport(Strict):
    """A device fault the kiosk raised, by stable code (printer.paper_out, idcard.absent ...)."""

    code: ShortText
    severity: Literal["fault", "warning"]
    device: ShortText
    detail: str = Field(default="", max_length=500)


class HeartbeatIn(Strict):
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


# -- messages: ratings, complaints, help calls, audit events ---------------------------------------------------

class RatingIn(Strict):
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


class ComplaintIn(Strict):
    """投诉, 办不成事 (can't get it done) or 建议 (suggestion), made at the kiosk."""

    id: Key
    category: Literal["complaint", "cant_get_done", "suggestion"] = Field(
        default="complaint", description="cant_get_done (办不成事) is followed up by the centre's staff.")
    service_code: str | None = Field(default=None, max_length=128, description="The service it concerns, if any.")
    case_number: CaseNumber | None = Field(default=None, description="The case it concerns (kiosk or central number).")
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=NOT_BLANK)]
    contact_mobile: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 -]{4,19}$")] | None = Field(
        default=None, description="A number to call the citizen back on; null when they left none.")
    submitted_at: AwareDatetime | None = Field(default=None, description="When the citizen sent it at the kiosk.")

    _blank = field_validator("service_code", "case_number", "contact_mobile", mode="before")(_blank_is_none)


class HelpRequestIn(Strict):
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


class AuditEventIn(Strict):
    """What a technician did at the kiosk."""

    id: Key
    technician: ShortText
    action: ShortText
    detail: str = Field(default="", max_length=2000)
    at: AwareDatetime = Field(description="When it happened, by the kiosk's clock.")


# The body model of each kind of message the kiosk queues (kiosk/messages.py names the kinds).
MESSAGES: dict[str, type[Strict]] = {RATING: RatingIn, COMPLAINT: ComplaintIn, HELP: HelpRequestIn, AUDIT: AuditEventIn}


# -- online services: asked while the citizen waits ----------------------------------------------------------

class ChipRead(Strict):
    """A card's chip read by the kiosk's reader in this visit (sync/casestore/card_proof.py). Forgeable with a
    stolen kiosk key: docs/security.md, "Card proof"."""

    read_at: AwareDatetime = Field(description="When the reader read the chip, on the clock the request's "
                                   "signed timestamp uses.")
    chip_sha256: Sha256Hex = Field(description="SHA-256 of the chip's text and photo blocks as the reader sent "
                                   "them (GA/T 467).")


class SignedCredential(Strict):
    """An e-credential the centre signed, as the kiosk scanned it: the centre checks its own signature."""

    ecredential: Annotated[str, StringConstraints(min_length=1, max_length=2048)] = Field(
        description="The QR payload (K24ID1...).")


CardProof = ChipRead | SignedCredential     # that the credential was presented in this visit


class QueryIn(Strict):
    service_code: ShortText = Field(description="A query_print service (查询打印事项) of the catalog.")
    id_number: IdNumber = Field(description="The identified citizen's resident ID number, read from the card.")
    name: ShortText = Field(description="Name as on the card.")
    form: dict[FormKey, Annotated[str, StringConstraints(max_length=128)]] = Field(
        default={}, max_length=16, description="The service's form fields by key, as the catalog defines them.")
    proof: CardProof | None = Field(default=None, description="Refused with 403 when missing or not holding.")


class DocumentIn(QueryIn):
    """A certified A4 document (证明) of a query service, made and signed by the centre for the identified
    citizen; the kiosk prints the bytes it gets and composes nothing itself."""

    key: Key = Field(description="The kiosk's UUIDv7 for this document; a retry returns the same document.")


class BenefitsIn(Strict):
    id_number: IdNumber
    name: ShortText
    proof: CardProof | None = Field(default=None, description="Refused with 403 when missing or not holding.")


class AppointmentIn(Strict):
    key: Key = Field(description="The kiosk's UUIDv7 for this booking; a retry returns the same booking.")
    slot_id: Annotated[str, StringConstraints(max_length=64)]
    service_code: ShortText
    id_number: IdNumber
    name: ShortText
    mobile: Mobile


class ProgressLookupIn(Strict):
    case_number: Annotated[str, StringConstraints(min_length=1, max_length=128)] = Field(
        description="The number on the receipt (the kiosk's) or the central one.")
    id_tail: IdTail = Field(description="The last six characters of the applicant's ID number.")


class ProgressByTokenIn(Strict):
    """A progress query with the receipt's QR token: in the body, so the token is in no URL or access log."""

    case_number: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    token: Annotated[str, StringConstraints(min_length=1, max_length=128)] = Field(
        description="The token from the receipt's QR code.")


# -- from the kiosk's domain values ---------------------------------------------------------------------------

def person(who: Identity) -> Person:
    return Person(name=who.name, id_number=who.id_number, card_type=who.card_type.value, sex=who.sex.value,
                  birth_date=who.birth_date, credential=who.credential or who.card_type.value)


def card_proof(who: Identity, offset_s: float) -> CardProof | None:
    """The proof an identity carries, its read time moved by offset_s onto the clock the kiosk signs with
    (the centre's, as the kiosk knows it); None for a credential with none (typed, a passport's MRZ)."""
    if who.ecredential:
        return SignedCredential(ecredential=who.ecredential)
    if who.read_at is None or not who.chip_sha256:
        return None
    return ChipRead(read_at=who.read_at + dt.timedelta(seconds=offset_s), chip_sha256=who.chip_sha256)


def application(app: Application, kiosk_case_number: str) -> ApplicationIn:
    """The body the case store receives for an application, checked as the centre will check it."""
    from kiosk.application import SIGNATURE

    signature = app.signature
    commitment = None if app.commitment is None else CommitmentIn(
        text_sha256=app.commitment.text_sha256, language=app.commitment.language,
        catalog_version=app.commitment.catalog_version, accepted_at=app.commitment.accepted_at,
        signature_sha256=signature.sha256 if signature else "")
    return ApplicationIn(
        idempotency_key=app.idempotency_key, kiosk_id=app.kiosk_id, kiosk_case_number=kiosk_case_number,
        service_code=app.service_code, submitted_at=app.submitted_at, applicant=person(app.applicant),
        agent=None if app.agent is None else person(app.agent), form=dict(app.form),
        materials=[Material(name=a.name, supplied=True) for a in app.attachments if a.name != SIGNATURE]
        + [Material(name=m.name, supplied=False, deadline=m.deadline) for m in app.missing],
        attachments=[attachment(a.name, a.media_type, a.data) for a in app.attachments],
        missing_materials=[MissingMaterialIn(name=m.name, deadline=m.deadline) for m in app.missing],
        commitment=commitment, tracking_token=app.tracking_token, promised_date=app.promised_date)


def attachment(name: str, media_type: str, data: bytes) -> AttachmentIn:
    return AttachmentIn(name=name, media_type=media_type, sha256=hashlib.sha256(data).hexdigest(),
                        data=base64.b64encode(data).decode("ascii"))


class WireError(ValueError):
    """A body the centre would refuse, naming each field and what is wrong, never the value (a citizen's)."""

    @classmethod
    def of(cls, error: ValidationError) -> WireError:
        return cls("; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in error.errors()))


def body(model: BaseModel) -> dict[str, Any]:
    """The JSON object a model is sent as."""
    return model.model_dump(mode="json")


def application_body(app: Application, kiosk_case_number: str) -> dict[str, Any]:
    """The JSON object of an application, as the outbox queues and sends it (WireError if it would not do)."""
    try:
        return body(application(app, kiosk_case_number))
    except ValidationError as exc:
        raise WireError.of(exc) from None


def message_body(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A queued message's body as the centre takes it (WireError naming the fields that do not fit)."""
    try:
        return body(MESSAGES[kind].model_validate(fields))
    except ValidationError as exc:
        raise WireError.of(exc) from None
