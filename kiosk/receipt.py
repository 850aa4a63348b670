"""Receipts as printer-neutral layouts: the core says what a receipt holds; devices/ decide the bytes."""
from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING

from kiosk import hours
from kiosk.idnumber import mask
from kiosk.punctuation import pair

if TYPE_CHECKING:
    from kiosk.application import Application
    from kiosk.catalog import Bundle, Catalog, Service
    from kiosk.i18n import Translator


class Kind(enum.Enum):
    TITLE = "title"          # centred, double size
    TEXT = "text"            # a paragraph, wrapped by the renderer
    FIELD = "field"          # label + value on one line where it fits
    QR = "qr"                # value is the QR payload
    RULE = "rule"            # a separator line
    FEED = "feed"            # blank space


@dataclasses.dataclass(frozen=True)
class Line:
    kind: Kind
    value: str = ""
    label: str = ""


@dataclasses.dataclass(frozen=True)
class Receipt:
    """Lines in print order. Text is already translated; renderers never translate."""

    lines: tuple[Line, ...]

    def text(self, codes: bool = True) -> str:
        """Plain-text form, for the on-screen copy (codes=False: without the QR payloads) and for tests."""
        out = []
        for line in self.lines:
            if line.kind is Kind.QR and not codes:
                continue
            if line.kind is Kind.FIELD:
                out.append(pair(line.label, line.value))
            elif line.kind is Kind.RULE:
                out.append("-" * 32)
            elif line.kind is not Kind.FEED:
                out.append(line.value)
        return "\n".join(out)

    def qr_payloads(self) -> list[str]:
        return [line.value for line in self.lines if line.kind is Kind.QR]


def readable(case_number: str) -> str:
    """A case number grouped for reading aloud and typing back: runs of more than four digits split
    into fours (XY01-20261125-0007 → XY01-2026 1125-0007); the dashes stay, so what is read is what is typed."""
    groups = []
    for part in case_number.split("-"):
        if part.isdigit() and len(part) > 4:
            part = " ".join(part[i:i + 4] for i in range(0, len(part), 4))
        groups.append(part)
    return "-".join(groups)


# The form field that says how the citizen gets the result (领取方式): on the receipt, so the paper
# in their hand says where to go or what to wait for.
DELIVERY_FIELD = "delivery"


def tracking_payload(kiosk_case_number: str, tracking_token: str) -> str:
    """What the receipt's QR code holds: the case and the random token the centre asks for on a progress
    query (the idempotency key is no secret: it appears in logs and audit exports)."""
    return f"K24:{kiosk_case_number}:{tracking_token}"


def parse_tracking_payload(scanned: str) -> tuple[str, str] | None:
    """(kiosk case number, token) from a scanned receipt QR code, or None if it is not one of ours."""
    parts = scanned.strip().split(":")
    if len(parts) != 3 or parts[0] != "K24" or not (0 < len(parts[1]) <= 128) or not (16 <= len(parts[2]) <= 128):
        return None
    return parts[1], parts[2]


def compose(app: Application, service: Service, case_number: str, tr: Translator, location: str = "",
            provisional: bool = False, central_case_number: str = "") -> Receipt:
    """The acceptance receipt (受理回执) for a stored application. provisional: the promised date was counted
    in a year without a published holiday arrangement (kiosk.workdays), so it may still move.
    central_case_number: the department's own number, once the centre has given it (a reprint)."""
    L = Line
    promised = app.promised_date.isoformat() if app.promised_date else tr.t("receipt.on_the_spot")
    if app.promised_date and provisional:
        promised = tr.t("receipt.provisional_date", date=promised)
    return Receipt((
        L(Kind.TITLE, tr.t("receipt.title")),
        L(Kind.RULE),
        L(Kind.FIELD, case_number, tr.t("receipt.case_number")),
        *([L(Kind.FIELD, central_case_number, tr.t("receipt.central_case_number"))] if central_case_number else []),
        L(Kind.FIELD, tr.local(service.name), tr.t("receipt.service")),
        L(Kind.FIELD, tr.local(service.department), tr.t("receipt.department")),
        *delivery_lines(app, service, tr),
        L(Kind.FIELD, app.applicant.masked_name(), tr.t("receipt.applicant")),
        L(Kind.FIELD, mask(app.applicant.id_number), tr.t("receipt.id_number")),
        *agent_lines(app, tr),
        L(Kind.FIELD, app.submitted_at.strftime("%Y-%m-%d %H:%M"), tr.t("receipt.submitted_at")),
        L(Kind.FIELD, promised, tr.t("receipt.promised_date")),
        *([L(Kind.TEXT, tr.local(service.excluded_time))] if service.excluded_time.zh else []),
        L(Kind.FIELD, app.kiosk_id, tr.t("receipt.kiosk")),
        *location_lines(location, tr),
        *_missing_lines(app, service, tr),
        L(Kind.RULE),
        L(Kind.QR, tracking_payload(case_number, app.tracking_token)),
        L(Kind.TEXT, tr.t("receipt.tracking_hint")),
        L(Kind.TEXT, tr.t("receipt.hotline")),
        L(Kind.TEXT, tr.t("receipt.rate_later")),
        L(Kind.FEED),
    ))


def location_lines(location: str, tr: Translator) -> list[Line]:
    """Where the kiosk stands, in the receipt's language (a place configured as "中文 | English")."""
    return [Line(Kind.FIELD, hours.place(location, tr.language), tr.t("receipt.location"))] if location else []


def delivery_lines(app: Application, service: Service, tr: Translator) -> list[Line]:
    """领取方式 as chosen, in the receipt's language; nothing for a service that does not ask."""
    field = next((f for f in service.fields if f.key == DELIVERY_FIELD), None)
    chosen = app.form.get(DELIVERY_FIELD, "")
    if field is None or not chosen:
        return []
    value = next((tr.local(c) for c in field.choices if c.zh == chosen), chosen)
    return [Line(Kind.FIELD, value, tr.local(field.label))]


def _named(name: str, service: Service, tr: Translator) -> str:
    """A material in the receipt's language (the application records the catalog's Chinese name)."""
    return next((tr.local(m.name) for m in service.materials if m.name.zh == name), name)


def _missing_lines(app: Application, service: Service, tr: Translator) -> list[Line]:
    """容缺受理: what the citizen still owes and by when, so the paper in their hand says it."""
    if not app.missing:
        return []
    return [Line(Kind.RULE), Line(Kind.TEXT, tr.t("apply.receipt.missing_title")),
            *(Line(Kind.FIELD, tr.t("apply.receipt.deadline", date=m.deadline.isoformat()), _named(m.name, service, tr))
              for m in app.missing),
            Line(Kind.TEXT, tr.t("apply.receipt.missing_hint"))]


def agent_lines(app: Application, tr: Translator) -> list[Line]:
    """代为办理: the agent beside the applicant, masked like them."""
    if app.agent is None:
        return []
    return [Line(Kind.FIELD, app.agent.masked_name(), tr.t("identity.receipt.agent")),
            Line(Kind.FIELD, mask(app.agent.id_number), tr.t("identity.receipt.agent_id_number"))]


def compose_bundle(bundle: Bundle, apps: list[Application], case_numbers: list[str], catalog: Catalog,
                   tr: Translator, location: str = "") -> Receipt:
    """一件事一次办: one receipt for the whole visit, each department's case with its number, deadline
    and tracking code, so the citizen keeps one paper."""
    L, first = Line, apps[0]
    cases: list[Line] = []
    for app, number in zip(apps, case_numbers, strict=True):
        service = catalog.get(app.service_code)
        promised = app.promised_date.isoformat() if app.promised_date else tr.t("receipt.on_the_spot")
        cases += [L(Kind.RULE),
                  L(Kind.FIELD, tr.local(service.name), tr.t("receipt.service")),
                  L(Kind.FIELD, tr.local(service.department), tr.t("receipt.department")),
                  L(Kind.FIELD, number, tr.t("receipt.case_number")),
                  L(Kind.FIELD, promised, tr.t("receipt.promised_date")),
                  L(Kind.QR, tracking_payload(number, app.tracking_token))]
    return Receipt((
        L(Kind.TITLE, tr.t("receipt.title")),
        L(Kind.RULE),
        L(Kind.FIELD, tr.local(bundle.name), tr.t("identity.receipt.bundle")),
        L(Kind.FIELD, tr.t("identity.receipt.case_count", count=len(apps)), tr.t("identity.receipt.cases")),
        L(Kind.FIELD, first.applicant.masked_name(), tr.t("receipt.applicant")),
        L(Kind.FIELD, mask(first.applicant.id_number), tr.t("receipt.id_number")),
        *agent_lines(first, tr),
        L(Kind.FIELD, first.submitted_at.strftime("%Y-%m-%d %H:%M"), tr.t("receipt.submitted_at")),
        L(Kind.FIELD, first.kiosk_id, tr.t("receipt.kiosk")),
        *location_lines(location, tr),
        *cases,
        L(Kind.RULE),
        L(Kind.TEXT, tr.t("receipt.tracking_hint")),
        L(Kind.TEXT, tr.t("receipt.hotline")),
        L(Kind.FEED),
    ))
