"""Printable layouts of the online services: a queried record, a certified document's slip and an
appointment slip. The printer port prints any kiosk.receipt.Receipt, so these are only lines; text
comes translated."""
from __future__ import annotations

from kiosk import hours as house_style
from kiosk.application import CHINA_TZ
from kiosk.catalog import Service
from kiosk.certified import grouped
from kiosk.i18n import Translator
from kiosk.identity import Identity
from kiosk.online import Booking, CertifiedDocument, Record
from kiosk.receipt import Kind, Line, Receipt


def record(rec: Record, service: Service, who: Identity, kiosk_id: str, tr: Translator) -> Receipt:
    """The record as the citizen saw it on the glass, with who asked, where and when, and its check code."""
    lines = [Line(Kind.TITLE, tr.local(rec.title)), Line(Kind.RULE),
             Line(Kind.FIELD, tr.local(service.department), tr.t("online.print.department")),
             Line(Kind.FIELD, who.masked_name(), tr.t("receipt.applicant")),
             Line(Kind.RULE)]
    lines += [Line(Kind.FIELD, tr.local(row.value), tr.local(row.label)) for row in rec.rows]
    lines += [Line(Kind.RULE),
              Line(Kind.FIELD, rec.verification_code, tr.t("online.print.verification")),
              Line(Kind.FIELD, rec.issued_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M"),
                   tr.t("online.print.issued_at")),
              Line(Kind.FIELD, kiosk_id, tr.t("receipt.kiosk"))]
    if rec.demo:
        lines.append(Line(Kind.TEXT, tr.t("online.demo_note")))
    lines += [Line(Kind.TEXT, tr.t("receipt.hotline")), Line(Kind.FEED)]
    return Receipt(tuple(lines))


def document_slip(document: CertifiedDocument, who: Identity, kiosk_id: str, hall_hours: str,
                  tr: Translator) -> Receipt:
    """When the A4 printer could not print it: the issued document's number and verification code on the
    receipt printer, with the centre's page that checks it (its QR) and where to get it on paper. It says
    first that it is not the document: it carries no data of the record, only what identifies the original."""
    return Receipt((
        Line(Kind.TITLE, tr.t("document.slip.title")),
        Line(Kind.TEXT, tr.t("document.slip.not_original")),
        Line(Kind.RULE),
        Line(Kind.FIELD, tr.local(document.title), tr.t("verify.type")),
        Line(Kind.FIELD, tr.local(document.issuer), tr.t("document.issuer")),
        Line(Kind.FIELD, who.masked_name(), tr.t("verify.holder")),
        Line(Kind.FIELD, grouped(document.document_id), tr.t("document.number")),
        Line(Kind.FIELD, grouped(document.code), tr.t("document.code")),
        Line(Kind.FIELD, document.issued_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M"),
             tr.t("document.issued_at")),
        Line(Kind.FIELD, kiosk_id, tr.t("receipt.kiosk")),
        Line(Kind.RULE),
        Line(Kind.QR, document.verify_url),
        Line(Kind.TEXT, tr.t("document.slip.check", url=document.verify_url)),
        Line(Kind.TEXT, tr.t("document.slip.paper", hours=hall_hours)),
        *([Line(Kind.TEXT, tr.t("online.demo_note"))] if document.demo else []),
        Line(Kind.TEXT, tr.t("receipt.hotline")),
        Line(Kind.FEED),
    ))


def appointment(booking: Booking, service: Service, who: Identity, mobile: str, tr: Translator) -> Receipt:
    """The slip to bring to the hall: number, place, time, and what to bring."""
    slot = booking.slot
    return Receipt((
        Line(Kind.TITLE, tr.t("online.slip.title")),
        Line(Kind.RULE),
        Line(Kind.FIELD, booking.booking_number, tr.t("online.slip.number")),
        Line(Kind.FIELD, tr.local(service.name), tr.t("receipt.service")),
        Line(Kind.FIELD, who.masked_name(), tr.t("receipt.applicant")),
        Line(Kind.FIELD, mobile[:3] + "****" + mobile[-4:], tr.t("online.slip.mobile")),
        Line(Kind.FIELD, tr.local(slot.hall), tr.t("online.slip.hall")),
        Line(Kind.FIELD, tr.local(slot.address), tr.t("online.slip.address")),
        Line(Kind.FIELD, house_style.time_span(slot.date, slot.starts, slot.ends, tr),
             tr.t("online.slip.time")),
        Line(Kind.RULE),
        Line(Kind.QR, f"K24B:{booking.booking_number}"),
        Line(Kind.TEXT, tr.t("online.slip.bring")),
        Line(Kind.TEXT, tr.t("receipt.hotline")),
        Line(Kind.FEED),
    ))
