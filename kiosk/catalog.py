"""The service catalog (政务服务事项): what a kiosk offers, modelled on the national item elements.

The catalog is data (JSON), bundled for the demo and pulled from the centre in the field; this
module turns it into frozen values and rejects a malformed catalog with a message naming the item.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from importlib import resources
from pathlib import Path
from typing import Any

from kiosk.workdays import Calendar


class Domain(enum.Enum):
    """The six domains of the kiosk's service list, in display order."""

    PUBLIC_SECURITY = "public_security"
    TAX = "tax"
    SOCIAL_SECURITY = "social_security"
    MEDICAL_INSURANCE = "medical_insurance"
    REAL_ESTATE = "real_estate"
    UTILITIES = "utilities"


class ServiceKind(enum.Enum):
    QUERY_PRINT = "query_print"   # 查询打印
    APPLICATION = "application"   # 申请
    FILING = "filing"             # 备案


class FieldType(enum.Enum):
    TEXT = "text"
    MOBILE = "mobile"
    ID_NUMBER = "id_number"
    CHOICE = "choice"


@dataclasses.dataclass(frozen=True)
class Localized:
    """One text in every language the kiosk speaks; Chinese is the fallback."""

    zh: str
    en: str = ""

    def get(self, lang: str) -> str:
        return self.en if lang.startswith("en") and self.en else self.zh

    @classmethod
    def parse(cls, raw: Any) -> "Localized":
        if isinstance(raw, str):
            return cls(raw)
        return cls(str(raw["zh"]), str(raw.get("en", "")))


@dataclasses.dataclass(frozen=True)
class Material:
    name: Localized
    originals: int = 1
    copies: int = 0
    mandatory: bool = True
    may_be_missing: bool = False     # 容缺: may be supplied after acceptance
    note: Localized = Localized("")


@dataclasses.dataclass(frozen=True)
class FormField:
    key: str
    type: FieldType
    label: Localized
    required: bool = True
    choices: tuple[Localized, ...] = ()
    help: Localized = Localized("")


@dataclasses.dataclass(frozen=True)
class Hours:
    """When a service can be done at the kiosk. None bounds mean around the clock."""

    opens: dt.time | None = None
    closes: dt.time | None = None
    weekdays_only: bool = False

    @property
    def always(self) -> bool:
        return self.opens is None and not self.weekdays_only

    def is_open(self, at: dt.datetime, calendar: Calendar | None = None) -> bool:
        """Working-day services follow the calendar when given: closed on a statutory holiday,
        open on a make-up Saturday, as the staff behind them are."""
        working = calendar.is_working_day(at.date()) if calendar else at.weekday() < 5
        if self.weekdays_only and not working:
            return False
        if self.opens is None or self.closes is None:
            return True
        return self.opens <= at.time() < self.closes


@dataclasses.dataclass(frozen=True)
class Service:
    code: str
    name: Localized
    domain: Domain
    department: Localized
    kind: ServiceKind
    legal_basis: Localized
    conditions: Localized
    materials: tuple[Material, ...]
    time_limit_days: int             # promised completion, in working days; 0 = on the spot
    fee: Localized
    notify_commit: bool = False      # 告知承诺
    accept_missing: bool = False     # 容缺受理
    proxy_allowed: bool = False      # 代为办理
    hours: Hours = Hours()
    fields: tuple[FormField, ...] = ()


@dataclasses.dataclass(frozen=True)
class Catalog:
    version: str
    services: tuple[Service, ...]

    def by_domain(self, domain: Domain) -> list[Service]:
        return [s for s in self.services if s.domain is domain]

    def get(self, code: str) -> Service:
        for service in self.services:
            if service.code == code:
                return service
        raise KeyError(code)


class CatalogError(ValueError):
    """The catalog cannot be used; the message names the item and the field."""


def _time(raw: str | None) -> dt.time | None:
    return dt.time.fromisoformat(raw) if raw else None


def _material(raw: dict[str, Any]) -> Material:
    return Material(
        name=Localized.parse(raw["name"]),
        originals=int(raw.get("originals", 1)),
        copies=int(raw.get("copies", 0)),
        mandatory=bool(raw.get("mandatory", True)),
        may_be_missing=bool(raw.get("may_be_missing", False)),
        note=Localized.parse(raw.get("note", "")),
    )


def _field(raw: dict[str, Any]) -> FormField:
    return FormField(
        key=str(raw["key"]),
        type=FieldType(raw["type"]),
        label=Localized.parse(raw["label"]),
        required=bool(raw.get("required", True)),
        choices=tuple(Localized.parse(c) for c in raw.get("choices", ())),
        help=Localized.parse(raw.get("help", "")),
    )


def _service(raw: dict[str, Any]) -> Service:
    hours = raw.get("hours") or {}
    return Service(
        code=str(raw["code"]),
        name=Localized.parse(raw["name"]),
        domain=Domain(raw["domain"]),
        department=Localized.parse(raw["department"]),
        kind=ServiceKind(raw["kind"]),
        legal_basis=Localized.parse(raw["legal_basis"]),
        conditions=Localized.parse(raw["conditions"]),
        materials=tuple(_material(m) for m in raw["materials"]),
        time_limit_days=int(raw["time_limit_days"]),
        fee=Localized.parse(raw["fee"]),
        notify_commit=bool(raw.get("notify_commit", False)),
        accept_missing=bool(raw.get("accept_missing", False)),
        proxy_allowed=bool(raw.get("proxy_allowed", False)),
        hours=Hours(_time(hours.get("opens")), _time(hours.get("closes")), bool(hours.get("weekdays_only", False))),
        fields=tuple(_field(f) for f in raw.get("fields", ())),
    )


def parse(document: Any) -> Catalog:
    if not isinstance(document, dict) or not isinstance(document.get("services", []), list):
        raise CatalogError("catalog must be an object with a list of services")
    services = []
    for index, raw in enumerate(document.get("services", ())):
        try:
            services.append(_service(raw))
        except (KeyError, ValueError, TypeError, AttributeError, OverflowError) as exc:
            code = raw.get("code", f"#{index}") if isinstance(raw, dict) else f"#{index}"
            raise CatalogError(f"catalog item {code}: {exc!r}") from exc
    codes = [s.code for s in services]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise CatalogError(f"catalog has duplicate service codes: {', '.join(repeated)}")
    return Catalog(version=str(document.get("version", "")), services=tuple(services))


def load(path: Path | None = None) -> Catalog:
    """The catalog at path, or the bundled demo catalog."""
    if path is None:
        text = resources.files("kiosk").joinpath("data/catalog.json").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        return parse(json.loads(text))
    except json.JSONDecodeError as exc:
        raise CatalogError(f"catalog is not valid JSON: {exc}") from exc
