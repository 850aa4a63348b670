"""Receipts as printer-neutral layouts: the core says what a receipt holds; devices/ decide the bytes."""
from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.application import Application
    from kiosk.catalog import Service
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

    def text(self) -> str:
        """Plain-text form, for the on-screen copy and for tests."""
        out = []
        for line in self.lines:
            if line.kind is Kind.FIELD:
                out.append(f"{line.label}: {line.value}")
            elif line.kind is Kind.RULE:
                out.append("-" * 32)
            elif line.kind is not Kind.FEED:
                out.append(line.value)
        return "\n".join(out)

    def qr_payloads(self) -> list[str]:
        return [line.value for line in self.lines if line.kind is Kind.QR]


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


def compose(app: "Application", service: "Service", case_number: str, tr: "Translator") -> Receipt:
    """The acceptance receipt (受理回执) for a stored application."""
    L = Line
    promised = app.promised_date.isoformat() if app.promised_date else tr.t("receipt.on_the_spot")
    return Receipt((
        L(Kind.TITLE, tr.t("receipt.title")),
        L(Kind.RULE),
        L(Kind.FIELD, case_number, tr.t("receipt.case_number")),
        L(Kind.FIELD, tr.local(service.name), tr.t("receipt.service")),
        L(Kind.FIELD, tr.local(service.department), tr.t("receipt.department")),
        L(Kind.FIELD, app.applicant.masked_name(), tr.t("receipt.applicant")),
        L(Kind.FIELD, app.submitted_at.strftime("%Y-%m-%d %H:%M"), tr.t("receipt.submitted_at")),
        L(Kind.FIELD, promised, tr.t("receipt.promised_date")),
        L(Kind.FIELD, app.kiosk_id, tr.t("receipt.kiosk")),
        L(Kind.RULE),
        L(Kind.QR, tracking_payload(case_number, app.tracking_token)),
        L(Kind.TEXT, tr.t("receipt.tracking_hint")),
        L(Kind.TEXT, tr.t("receipt.hotline")),
        L(Kind.FEED),
    ))
