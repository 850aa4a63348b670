"""An application as the citizen submits it, and the validation of its form."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
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


@dataclasses.dataclass(frozen=True, repr=False)
class Application:
    idempotency_key: str
    kiosk_id: str
    service_code: str
    applicant: Identity
    form: Mapping[str, str]
    submitted_at: dt.datetime
    promised_date: dt.date | None

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
            "promised_date": self.promised_date.isoformat() if self.promised_date else None,
        }
