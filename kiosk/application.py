"""An application as the citizen submits it, and the validation of its form."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import re
import secrets
from typing import Any, Mapping

import uuid6

from kiosk import idnumber
from kiosk.catalog import FieldType, Service
from kiosk.identity import Identity

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def new_key() -> str:
    """A time-ordered unique id (UUIDv7): the application's idempotency key everywhere."""
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
    return None


def validate(service: Service, values: Mapping[str, str]) -> dict[str, str]:
    """Problems by field key; empty when the form can go to review."""
    problems = {}
    for field in service.fields:
        problem = field_problem(field.type, values.get(field.key, ""), field.required)
        if problem:
            problems[field.key] = problem
    return problems


def new_tracking_token() -> str:
    """128 random bits for the receipt's QR code: whoever holds the receipt may ask how the case is going."""
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
        return hashlib.sha256(self.data).hexdigest()

    def to_wire(self) -> dict[str, str]:
        return {"name": self.name, "media_type": self.media_type, "sha256": self.sha256,
                "data": base64.b64encode(self.data).decode("ascii")}


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

    def __repr__(self) -> str:
        return f"Application({self.idempotency_key}, {self.service_code})"

    def to_wire(self, kiosk_case_number: str) -> dict[str, Any]:
        """The JSON body the case store receives (sync/casestore's contract)."""
        person = self.applicant
        return {
            "idempotency_key": self.idempotency_key,
            "kiosk_id": self.kiosk_id,
            "kiosk_case_number": kiosk_case_number,
            "service_code": self.service_code,
            "submitted_at": self.submitted_at.isoformat(),
            "applicant": {
                "name": person.name,
                "id_number": person.id_number,
                "card_type": person.card_type.value,
                "sex": person.sex.value,
                "birth_date": person.birth_date.isoformat(),
            },
            "form": dict(self.form),
            "materials": [],
            "attachments": [attachment.to_wire() for attachment in self.attachments],
            "tracking_token": self.tracking_token,
            "promised_date": self.promised_date.isoformat() if self.promised_date else None,
        }
