"""An application as the citizen submits it, and the validation of its form (its wire format is sync/wire.py)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping

from kiosk import idnumber
from kiosk.catalog import FieldType, FormField, Service
from kiosk.hours import CHINA_TZ as CHINA_TZ  # its importers' name for it: defined with the hours
from kiosk.identity import Identity

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_DIGITS = re.compile(r"^\d{1,9}$")
# the longest text each free-text type takes when the catalog does not say; an address needs a street
MAX_LENGTH = {FieldType.TEXT: 50, FieldType.ADDRESS: 120, FieldType.MOBILE: 11, FieldType.ID_NUMBER: 18,
              FieldType.DATE: 8, FieldType.NUMBER: 9}
ADDRESS_MIN = 5


def new_key() -> str:
    """A time-ordered unique id (UUIDv7): the application's idempotency key everywhere."""
    import uuid6  # it reads every installed package's metadata for its own version: not at start-up
    return str(uuid6.uuid7())


def field_problem(kind: FieldType, value: str, required: bool) -> str | None:
    """None if the value is acceptable, else the i18n key of what to tell the citizen."""
    value = value.strip()
    if not value:
        return "error.required" if required else None
    if kind is FieldType.MOBILE and not _MOBILE.match(value):
        return "error.mobile"
    if kind is FieldType.ID_NUMBER:
        return idnumber.problem(value)
    if kind is FieldType.DATE and parse_date(value) is None:
        return "apply.error.date"
    if kind is FieldType.NUMBER and not _DIGITS.match(value):
        return "apply.error.number"
    if kind is FieldType.ADDRESS and len(value) < ADDRESS_MIN:
        return "apply.error.address"
    return None


def max_length(field: FormField) -> int:
    return field.max_length or MAX_LENGTH.get(field.type, 0)


def _bounds_problem(field: FormField, value: str) -> str | None:
    """The catalog's limits on one field: a length for texts, a range for numbers."""
    if 0 < max_length(field) < len(value):
        return "apply.error.too_long"
    if field.type is FieldType.NUMBER and (
            (field.minimum is not None and int(value) < field.minimum) or
            (field.maximum is not None and int(value) > field.maximum)):
        return "apply.error.range"
    return None


def problem_values(field: FormField) -> dict[str, object]:
    """The placeholders a field's problem message may name (its limits), for tr.t(key, **values)."""
    return {"minimum": field.minimum, "maximum": field.maximum, "max_length": max_length(field)}


def parse_date(value: str) -> dt.date | None:
    """YYYYMMDD (as typed on the keypad) or YYYY-MM-DD, a real day from 1900 on; else None."""
    match = _DATE.match(value.strip())
    if match is None:
        return None
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return day if day.year >= 1900 else None


def validate(service: Service, values: Mapping[str, str]) -> dict[str, str]:
    """Problems by field key; empty when the form can go to review. A field the other answers leave out (a
    postal address with pickup chosen) is not asked, so it has none, required or not."""
    problems = {}
    for field in service.fields:
        if not field.applies(values):
            continue
        value = values.get(field.key, "").strip()
        problem = field_problem(field.type, value, field.required) or (value and _bounds_problem(field, value))
        if problem:
            problems[field.key] = problem
    return problems


def normalized(service: Service, values: Mapping[str, str]) -> dict[str, str]:
    """A valid form as stored and sent: dates in ISO form whichever way they were typed, and without the answers
    of fields the other answers left out (an address typed before pickup was chosen is not sent)."""
    out = {key: value for key, value in values.items()
           if all(field.applies(values) for field in service.fields if field.key == key)}
    for field in service.fields:
        day = parse_date(out.get(field.key, "")) if field.type is FieldType.DATE else None
        if day is not None:
            out[field.key] = day.isoformat()
    return out


def new_tracking_token() -> str:
    """128 random bits for the receipt's QR code: whoever holds the receipt may ask how the case is going."""
    # here, as hashlib below: OpenSSL's library is not loaded before the attract screen is painted
    import secrets

    return secrets.token_urlsafe(16)


@dataclasses.dataclass(frozen=True, repr=False)
class Attachment:
    """A material the citizen supplied (a document-camera scan), stored and sent with the application."""

    name: str            # the material as the catalog names it
    media_type: str      # "image/jpeg", "application/pdf", ...
    data: bytes

    def __repr__(self) -> str:
        return f"Attachment({self.name!r}, {len(self.data)} bytes)"

    @property
    def sha256(self) -> str:
        """The digest the centre checks on arrival and lists in its export, for audits."""
        import hashlib

        return hashlib.sha256(self.data).hexdigest()


SIGNATURE = "signature"      # the attachment holding the citizen's signature drawn on the screen
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SIGNED_BY_KEYS = "confirmed-with-keypad"   # the signature statement of a citizen who cannot write on the pad


@dataclasses.dataclass(frozen=True)
class MissingMaterial:
    """容缺受理 (art. 18): a material accepted as missing, and the last day to supply it."""

    name: str
    deadline: dt.date


@dataclasses.dataclass(frozen=True)
class Commitment:
    """告知承诺 (art. 18): which text the citizen consented to (its digest, in the language shown) and when."""

    text_sha256: str
    language: str
    catalog_version: str
    accepted_at: dt.datetime

    @classmethod
    def of(cls, text: str, language: str, catalog_version: str, at: dt.datetime) -> Commitment:
        import hashlib

        return cls(hashlib.sha256(text.encode("utf-8")).hexdigest(), language, catalog_version, at)


@dataclasses.dataclass(frozen=True)
class Answers:
    """What review showed, kept while one answer is changed (修改), so that 返回 puts it back."""

    form: dict[str, str]
    captures: dict[int, list[Attachment]]
    later: set[int]
    commitment: Commitment | None
    signature: Attachment | None


@dataclasses.dataclass(frozen=True, repr=False)
class Application:
    idempotency_key: str
    kiosk_id: str
    service_code: str
    applicant: Identity
    form: Mapping[str, str]
    submitted_at: dt.datetime
    promised_date: dt.date | None
    attachments: tuple[Attachment, ...] = ()
    tracking_token: str = dataclasses.field(default_factory=new_tracking_token)
    agent: Identity | None = None     # 代为办理 (articles 11, 24): who applied on the applicant's behalf
    missing: tuple[MissingMaterial, ...] = ()
    commitment: Commitment | None = None

    @property
    def signature(self) -> Attachment | None:
        return next((a for a in self.attachments if a.name == SIGNATURE), None)

    def __repr__(self) -> str:
        return f"Application({self.idempotency_key}, {self.service_code})"
