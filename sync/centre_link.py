"""kiosk.ports.CentreLink over the signed CentreClient: the centre's answers as kiosk.online values,
every failure as a problem key the screens can show. Short timeouts: a citizen is waiting."""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import requests

from kiosk.catalog import Localized
from kiosk.config import Config
from kiosk.identity import Identity
from kiosk.online import Benefit, Booking, CertifiedDocument, DocumentCheck, Progress, Record, RecordRow, Slot, Step
from kiosk.outcome import Outcome
from sync import wire
from sync.client import CentreClient, client_for

log = logging.getLogger(__name__)
T = TypeVar("T")

TIMEOUT_S = 4.0
UNREACHABLE = "centre.unreachable"
BAD_ANSWER = "centre.error"
# What an answer's status means for the citizen, per operation; anything else is BAD_ANSWER.
PROGRESS_PROBLEMS = {404: "progress.not_found", 429: "progress.locked", 422: "progress.not_found"}
BOOKING_PROBLEMS = {409: "appointment.full", 404: "appointment.gone", 422: "online.card_not_supported"}
CHECK_PROBLEMS = {404: "verify.unknown_code"}
IDENTITY_PROBLEMS = {422: "online.card_not_supported", 404: "online.not_offered", 403: "online.card_not_read",
                     409: "online.name_mismatch"}


def _text(raw: Any) -> Localized:
    return Localized(str(raw["zh"]), str(raw.get("en", "")))


def parse_record(raw: dict[str, Any]) -> Record:
    return Record(service_code=str(raw["service_code"]), title=_text(raw["title"]),
                  rows=tuple(RecordRow(_text(r["label"]), _text(r["value"])) for r in raw["rows"]),
                  verification_code=str(raw["verification_code"]),
                  issued_at=dt.datetime.fromisoformat(raw["issued_at"]), demo=bool(raw["demo"]))


def parse_document(raw: dict[str, Any]) -> CertifiedDocument:
    """The signed PDF as the centre sent it; a PDF whose digest is not the one announced is no answer."""
    try:
        pdf = base64.b64decode(raw["pdf"], validate=True)
    except binascii.Error as exc:
        raise ValueError("pdf is not base64") from exc
    if hashlib.sha256(pdf).hexdigest() != raw["sha256"]:
        raise ValueError("pdf does not match its digest")
    return CertifiedDocument(document_id=str(raw["document_id"]), code=str(raw["code"]),
                             service_code=str(raw["service_code"]), title=_text(raw["title"]),
                             issuer=_text(raw["issuer"]), issued_at=dt.datetime.fromisoformat(raw["issued_at"]),
                             pages=int(raw["pages"]), verify_url=str(raw["verify_url"]), demo=bool(raw["demo"]),
                             pdf=pdf)


def parse_check(raw: dict[str, Any]) -> DocumentCheck:
    return DocumentCheck(code=str(raw["code"]), title=_text(raw["title"]), issuer=_text(raw["issuer"]),
                         issued_at=dt.datetime.fromisoformat(raw["issued_at"]), holder=str(raw["holder"]),
                         valid=bool(raw["valid"]) and not bool(raw["revoked"]))


def parse_progress(raw: dict[str, Any]) -> Progress:
    promised = raw.get("promised_date")
    return Progress(case_number=str(raw["case_number"]), kiosk_case_number=str(raw["kiosk_case_number"]),
                    service_code=str(raw["service_code"]), status=str(raw["status"]),
                    promised_date=dt.date.fromisoformat(promised) if promised else None,
                    history=tuple(Step(str(h["status"]), dt.datetime.fromisoformat(h["at"]), str(h.get("note") or ""))
                                  for h in raw["history"]))


def parse_benefits(raw: dict[str, Any]) -> tuple[Benefit, ...]:
    return tuple(Benefit(str(b["code"]), _text(b["name"]), _text(b["amount"]), _text(b["next_step"]),
                         _text(b["payment"]), demo=bool(raw.get("demo", False))) for b in raw["benefits"])


def parse_slot(raw: dict[str, Any]) -> Slot:
    return Slot(slot_id=str(raw["slot_id"]), hall=_text(raw["hall"]), address=_text(raw["address"]),
                date=dt.date.fromisoformat(raw["date"]), starts=str(raw["starts"]), ends=str(raw["ends"]),
                capacity=int(raw["capacity"]), left=int(raw["left"]))


def parse_slots(raw: dict[str, Any]) -> tuple[Slot, ...]:
    return tuple(parse_slot(s) for s in raw["slots"])


def parse_booking(raw: dict[str, Any]) -> Booking:
    return Booking(str(raw["booking_number"]), str(raw["service_code"]), parse_slot(raw["slot"]))


def decode(parse: Callable[[Any], T], raw: Any) -> Outcome[T]:
    """The centre's JSON as a value, or BAD_ANSWER: whatever a broken centre or a proxy sends, never an exception."""
    try:
        return Outcome.success(parse(raw))
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as exc:
        return Outcome.failure(BAD_ANSWER, repr(exc))


def _person(identity: Identity) -> dict[str, str]:
    return {"id_number": identity.id_number, "name": identity.name}


def _proven(identity: Identity, offset_s: float) -> dict[str, Any]:
    """The person with the proof that their card was read in this visit, as /queries and /benefits need."""
    proof = wire.card_proof(identity, offset_s)
    return {**_person(identity), "proof": None if proof is None else wire.body(proof)}


class HttpCentreLink:
    """One client of its own (the sync worker keeps its own), used by one request at a time."""

    def __init__(self, client: CentreClient) -> None:
        self.client = client
        self._lock = threading.Lock()

    def _ask(self, method: str, path: str, parse: Callable[[dict[str, Any]], T], problems: dict[int, str] | None = None,
             signed: bool = False, **kwargs: Any) -> Outcome[T]:
        """signed: take the answer only if the pinned centre key signed it (what the kiosk will print as official)."""
        try:
            with self._lock:
                reply = self.client.request(method, path, **kwargs)
                genuine = not signed or self.client.verified(reply)
        except requests.RequestException as exc:
            return Outcome.failure(UNREACHABLE, type(exc).__name__)
        if not genuine:
            log.error("centre answered %s %s without the pinned key's signature: refused", method, path.split("?")[0])
            return Outcome.failure(BAD_ANSWER, "answer not signed by the centre")
        if reply.status_code in (problems or {}):
            return Outcome.failure((problems or {})[reply.status_code], f"HTTP {reply.status_code}")
        if reply.status_code not in (200, 201):
            log.warning("centre answered %s %s with HTTP %s", method, path.split("?")[0], reply.status_code)
            return Outcome.failure(BAD_ANSWER, f"HTTP {reply.status_code}")
        try:
            raw = reply.json()
        except ValueError as exc:        # not the centre's answer (a portal's page?)
            return Outcome.failure(BAD_ANSWER, repr(exc))
        return decode(parse, raw)

    def reachable(self) -> bool:
        with self._lock:
            return self.client.reachable()

    def query(self, service_code: str, identity: Identity, form: dict[str, str]) -> Outcome[Record]:
        body = {"service_code": service_code, **_proven(identity, self.client.signer.offset_s), "form": dict(form)}
        return self._ask("POST", "/queries", parse_record, IDENTITY_PROBLEMS, json=body)

    def document(self, service_code: str, identity: Identity, form: dict[str, str],
                 key: str) -> Outcome[CertifiedDocument]:
        body = {"service_code": service_code, **_proven(identity, self.client.signer.offset_s), "form": dict(form),
                "key": key}
        return self._ask("POST", "/documents", parse_document, IDENTITY_PROBLEMS, signed=True, json=body)

    def check_document(self, code: str) -> Outcome[DocumentCheck]:
        return self._ask("GET", f"/documents/{code}", parse_check, CHECK_PROBLEMS)

    def progress(self, case_number: str, token: str = "", id_tail: str = "") -> Outcome[Progress]:
        if token:       # in the body: a receipt's token belongs in no URL (access logs keep URLs)
            return self._ask("POST", "/progress", parse_progress, PROGRESS_PROBLEMS,
                             json={"case_number": case_number, "token": token})
        return self._ask("POST", "/progress-lookups", parse_progress, PROGRESS_PROBLEMS,
                         json={"case_number": case_number, "id_tail": id_tail.upper()})

    def benefits(self, identity: Identity) -> Outcome[tuple[Benefit, ...]]:
        return self._ask("POST", "/benefits", parse_benefits, IDENTITY_PROBLEMS,
                         json=_proven(identity, self.client.signer.offset_s))

    def slots(self, service_code: str) -> Outcome[tuple[Slot, ...]]:
        """Every hall of the reference store serves every service, so it is asked for all slots."""
        return self._ask("GET", "/slots", parse_slots)

    def book(self, key: str, slot_id: str, service_code: str, identity: Identity, mobile: str) -> Outcome[Booking]:
        body = {"key": key, "slot_id": slot_id, "service_code": service_code, **_person(identity), "mobile": mobile}
        return self._ask("POST", "/appointments", parse_booking, BOOKING_PROBLEMS, json=body)

    def call_for_help(self, body: dict[str, object]) -> Outcome[None]:
        """帮办代办 told to the centre now; success only when the centre recorded it."""
        return self._ask("POST", "/help-requests", lambda _raw: None, json=body)

    def help_answered(self, key: str) -> Outcome[bool]:
        """Whether an operator acknowledged the call (sync/casestore/help_desk.py)."""
        return self._ask("GET", f"/help-requests/{key}/answer", lambda raw: bool(raw["acknowledged"]))

    def close(self) -> None:
        self.client.close()


def for_config(config: Config) -> HttpCentreLink:
    return HttpCentreLink(client_for(config, timeout_s=TIMEOUT_S))
