"""Certified documents (证明) on A4: made at the centre from its records, signed, kept, and checkable by anyone.

DEMO DATA, as records.py: the rows are that module's made-up records; the issuing bodies are named for
what they would be in Xinyang and marked as demo on the document and its seal.

- `POST /api/v1/documents` (a kiosk, signed, with proof the card was read in this visit, counted like
  /queries): the signed PDF. One document per kiosk and key: a retry or a reprint in the same visit
  gets the same document id and the same bytes, never a second original.
- `GET /api/v1/documents/{code}` (a kiosk, signed): what a scanned code says, for the kiosk's check.
- `GET /verify/{code}` (anyone, the QR's page): type, issuer, issue time, masked holder, valid or
  revoked, and nothing else; an unknown code is a 404 page. Counted per address (lookup_quota).
- `POST /verify/{code}/pdf` (the holder, from that page's form): the signed PDF as issued, for the
  holder's whole ID number (the page shows its last four; the code alone is printed on the document
  and on a kiosk's slip). Counted per address and per code, so the number cannot be searched for.
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import html
import re
import secrets
import urllib.parse
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import DateTime, Integer, LargeBinary, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from kiosk import idnumber
from kiosk.application import CHINA_TZ
from kiosk.certified import CODE_ALPHABET, CODE_LENGTH
from sync.casestore import document_pdf, people
from sync.casestore.answers import REFUSED
from sync.casestore.card_proof import CardProofs
from sync.casestore.db import Base, as_utc
from sync.casestore.demo_data import Text, t
from sync.casestore.lookup_quota import Quota
from sync.casestore.records import LICENCE_AUTHORITY, record_for
from sync.document_signature import DocumentKey, fingerprint
from sync.signing import TIMESTAMP_HEADER
from sync.wire import DocumentIn

CODE_PATTERN = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
VERIFY_PER_ADDRESS = 120                               # page views an hour from one address
DOWNLOADS_PER_CODE = 5                                 # tries an hour at one document's PDF: a holder mistyping
MAX_FORM_BYTES = 256                                   # the download form: one ID number
ISSUER = "信阳市政务服务中心（演示）"
LOCATION = "河南省信阳市"


@dataclasses.dataclass(frozen=True)
class Kind:
    """A document a query service issues, and who issues it."""

    title: Text
    issuer: Text
    licence: bool = False       # an electronic licence (电子证照): laid out as one, naming its legal representative


# The query services whose record is issued as a certified document, by catalog code (records.RECORDS).
DOCUMENTS: dict[str, Kind] = {
    "1141150041700395202000117061000": Kind(t("社会保险参保缴费证明", "Social insurance contribution certificate"),
                                            t("信阳市社会保险中心", "Xinyang Social Insurance Centre")),
    "12411500417008163P2000117121000": Kind(t("住房公积金缴存证明", "Housing provident fund contribution certificate"),
                                            t("信阳市住房公积金管理中心", "Xinyang Housing Provident Fund Centre")),
    "1241150041710562532000117101000": Kind(t("不动产登记信息查询结果", "Real estate registration record"),
                                            t("信阳市不动产登记中心", "Xinyang Real Estate Registration Centre")),
    "1241150041710562532000117104000": Kind(t("不动产登记信息查询结果（有房/无房证明）",
                                              "Property ownership status certificate"),
                                            t("信阳市不动产登记中心", "Xinyang Real Estate Registration Centre")),
    "11411500417004883P2000117021000": Kind(t("个人所得税纳税记录", "Individual income tax payment record"),
                                            t("国家税务总局信阳市税务局", "Xinyang Municipal Tax Service, STA")),
    "11411500MB1D00000X2000117391000": Kind(t("营业执照", "Business licence"), LICENCE_AUTHORITY, licence=True),
}


class IssuedDocument(Base):
    """A signed document as issued: kept whole (the archive, article 22) and for its verification page."""

    __tablename__ = "issued_documents"
    __table_args__ = (UniqueConstraint("kiosk_id", "key", name="uq_document_kiosk_key"),)

    code: Mapped[str] = mapped_column(String(CODE_LENGTH), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(32), unique=True)
    kiosk_id: Mapped[str] = mapped_column(String(128), index=True)
    key: Mapped[str] = mapped_column(String(36))
    service_code: Mapped[str] = mapped_column(String(128))
    person_sha256: Mapped[str] = mapped_column(String(64))
    holder_masked: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    pages: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


class Document(BaseModel):
    """The signed PDF for a kiosk to print as it is."""

    document_id: str = Field(description="Printed on the document; the same for a retry with the same key.")
    code: str = Field(description="The verification code printed with its QR.")
    service_code: str
    title: Text
    issuer: Text
    issued_at: dt.datetime
    pages: int
    verify_url: str = Field(description="The public page of the code, as the QR on the document opens it.")
    demo: bool
    sha256: str = Field(description="SHA-256 of the PDF, hex.")
    pdf: str = Field(description="The signed PDF, base64.")


class DocumentCertificate(BaseModel):
    certificate: str = Field(description="PEM; pin it: documents are signed with its key.")
    sha256: str = Field(description="SHA-256 of the certificate's DER, hex, to compare by hand.")


class DocumentStatus(BaseModel):
    """What a verification code says of its document; the holder masked, nothing else personal."""

    code: str
    title: Text
    issuer: Text
    issued_at: dt.datetime
    holder: str
    valid: bool
    revoked: bool


def _person(id_number: str) -> str:
    return hashlib.sha256(id_number.encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _masked(name: str, id_number: str) -> str:
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)} {idnumber.mask(id_number)}"


def _answer(row: IssuedDocument, base_url: str) -> Document:
    """base_url: where citizens reach the verification page, as the document's QR names it."""
    kind = DOCUMENTS[row.service_code]
    return Document(document_id=row.document_id, code=row.code, service_code=row.service_code, title=kind.title,
                    issuer=kind.issuer, issued_at=as_utc(row.issued_at), pages=row.pages,
                    verify_url=verify_url(base_url, row.code), demo=True,
                    sha256=row.sha256, pdf=base64.b64encode(row.pdf).decode("ascii"))


def status_of(row: IssuedDocument) -> DocumentStatus:
    kind = DOCUMENTS[row.service_code]
    return DocumentStatus(code=row.code, title=kind.title, issuer=kind.issuer, issued_at=as_utc(row.issued_at),
                          holder=row.holder_masked, valid=row.revoked_at is None, revoked=row.revoked_at is not None)


def verify_url(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/verify/{code}"


class Issuer:
    """Makes, signs and stores documents; public_url is where citizens reach the verification page."""

    def __init__(self, sessions: sessionmaker[Session], key: DocumentKey, public_url: str) -> None:
        self.sessions = sessions
        self.key = key
        self.public_url = public_url

    def existing(self, kiosk: str, key: str) -> IssuedDocument | None:
        with self.sessions() as session:
            return session.scalar(select(IssuedDocument).where(IssuedDocument.kiosk_id == kiosk,
                                                               IssuedDocument.key == key))

    def issue(self, kiosk: str, body: DocumentIn, base_url: str, now: dt.datetime) -> IssuedDocument:
        record = record_for(body, now)
        kind = DOCUMENTS[body.service_code]
        assert record is not None
        code = _new_code()
        document_id = f"ZM{now.astimezone(CHINA_TZ):%Y%m%d}{secrets.randbelow(10 ** 10):010d}"
        sheet = document_pdf.Sheet(
            title=kind.title.zh, issuer=kind.issuer.zh, holder_name=body.name, holder_id=body.id_number,
            rows=tuple((row.label.zh, row.value.zh) for row in record.rows), document_id=document_id, code=code,
            verify_url=verify_url(self.public_url or base_url, code), issued_at=now, demo=record.demo,
            licence=kind.licence)
        pdf = self.key.sign(document_pdf.render(sheet), reason=f"{kind.title.zh} {document_id}", location=LOCATION)
        row = IssuedDocument(code=code, document_id=document_id, kiosk_id=kiosk, key=str(body.key),
                             service_code=body.service_code, person_sha256=_person(body.id_number),
                             holder_masked=_masked(body.name, body.id_number), issued_at=now, revoked_at=None,
                             pages=document_pdf.PAGES, sha256=hashlib.sha256(pdf).hexdigest(), pdf=pdf)
        try:
            with self.sessions.begin() as session:
                session.add(row)
        except IntegrityError:              # the same key at once from a retry: the first one stands
            first = self.existing(kiosk, str(body.key))
            if first is None:
                raise
            return first
        return row

    def find(self, code: str) -> IssuedDocument | None:
        if not CODE_PATTERN.match(code):
            return None
        with self.sessions() as session:
            return session.get(IssuedDocument, code)


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
            f'<style>body{{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em;line-height:1.6}}'
            f'dt{{font-weight:bold}}.valid{{color:#0a6b2d}}.revoked{{color:#b00020}}</style></head>'
            f'<body><h1>{html.escape(title)}</h1>{body}</body></html>')


def verification_page(found: DocumentStatus) -> str:
    verdict = ('<p class="valid">有效 · Valid</p>' if found.valid else '<p class="revoked">已撤销 · Revoked</p>')
    issued = found.issued_at.astimezone(CHINA_TZ)
    pairs = (("文书类型 Document", f"{found.title.zh} · {found.title.en}"),
             ("出具单位 Issuer", f"{found.issuer.zh} · {found.issuer.en}"),
             ("出具时间 Issued", f"{issued:%Y-%m-%d %H:%M} (UTC+8)"), ("持有人 Holder", found.holder),
             ("验证码 Code", found.code))
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in pairs)
    note = "<p>演示系统：本页由参考实现根据演示数据生成。Demo system: made-up data.</p>"
    return _page("文书核验 · Document verification",
                 f"{verdict}<dl>{rows}</dl>{download_form(found.code) if found.valid else ''}{note}")


def download_form(code: str) -> str:
    """The holder's way to the electronic copy: their whole ID number, never shown on the page."""
    return (f'<form method="post" action="{html.escape(code)}/pdf"><p>持有人下载电子版（带电子签名的 PDF）'
            '· The holder can download the signed PDF</p><label>持有人身份证号码 Holder\'s ID number '
            '<input name="id_number" maxlength="18" autocomplete="off" required></label> '
            '<button type="submit">下载 · Download</button></form>')


def typed_id_number(form: bytes) -> str:
    """The ID number from the download form's body (application/x-www-form-urlencoded); the caller has
    refused a body longer than MAX_FORM_BYTES (cut, its number could have been read short)."""
    fields = urllib.parse.parse_qs(form.decode("ascii", "replace"))
    return fields.get("id_number", [""])[0].strip().upper()


NOT_FOUND_PAGE = _page("文书核验 · Document verification",
                       "<p>未找到该验证码对应的文书。请核对验证码，或向出具单位核实。</p>"
                       "<p>No document has this code. Check the code, or ask the issuing body.</p>")
BUSY_PAGE = _page("文书核验 · Document verification", "<p>查询过于频繁，请稍后再试。Too many checks; try later.</p>")
TOO_LONG_PAGE = _page("文书核验 · Document verification",
                      "<p>提交的内容过长：这里只需填写持有人的身份证号码。</p>"
                      "<p>The form sent is too long: only the holder's ID number is asked for.</p>")
WRONG_HOLDER_PAGE = _page("文书核验 · Document verification",
                          "<p>身份证号码与这份证明的持有人不符。请核对后重试。</p>"
                          "<p>That ID number is not the holder's. Check it and try again.</p>")


def router(sessions: sessionmaker[Session], calling_kiosk: Any, proofs: CardProofs, issuer: Issuer) -> APIRouter:
    routes = APIRouter()
    quota = Quota(sessions)

    @routes.post("/api/v1/documents", responses={
        403: {"description": "No proof that the card was read in this visit."},
        404: {"description": "Not a service of this centre that issues a document."},
        409: {"description": "This kiosk used the key for another person's or service's document, or the name is "
                            "not the one on record for the ID number."},
        429: {"description": "Too many look-ups from this kiosk or for this person."}, **REFUSED})
    def document(body: DocumentIn, request: Request, kiosk: str = calling_kiosk) -> Document:
        """The signed PDF of a certified document for the identified citizen (demo data, see the module)."""
        now = dt.datetime.now(dt.UTC)
        if body.service_code not in DOCUMENTS:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "not a document service")
        proofs.check(body.id_number, body.proof, request.headers.get(TIMESTAMP_HEADER, ""), now)
        public = issuer.public_url or str(request.base_url)
        first = issuer.existing(kiosk, str(body.key))
        if first is not None:
            if first.person_sha256 != _person(body.id_number) or first.service_code != body.service_code:
                raise HTTPException(status.HTTP_409_CONFLICT, "this key was used for another document")
            return _answer(first, public)
        exhausted = quota.take(kiosk, body.id_number, now)
        if exhausted:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, exhausted)
        people.check(body.id_number, body.name)
        return _answer(issuer.issue(kiosk, body, str(request.base_url), now), public)

    @routes.get("/api/v1/document-certificate", responses=REFUSED)
    def certificate(kiosk: str = calling_kiosk) -> DocumentCertificate:
        """The certificate documents are signed with, for kiosks to pin (the answer is signed by the centre's key)."""
        pem = issuer.key.certificate_pem
        return DocumentCertificate(certificate=pem.decode("ascii"), sha256=fingerprint(pem))

    @routes.get("/api/v1/documents/{code}", responses={404: {"description": "No document has this code."},
                                                        **REFUSED})
    def check(code: str, kiosk: str = calling_kiosk) -> DocumentStatus:
        """What a scanned verification code says, for a kiosk's check of a printed document."""
        found = issuer.find(code)
        if found is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no document has this code")
        return status_of(found)

    @routes.get("/verify/{code}", response_class=HTMLResponse, include_in_schema=False)
    def verify(code: str, request: Request) -> HTMLResponse:
        """The QR's page: public, so counted per address before anything is looked up."""
        address = request.client.host if request.client else "unknown"
        if not quota.take_one(f"verify:{_person(address)}", VERIFY_PER_ADDRESS, dt.datetime.now(dt.UTC)):
            return HTMLResponse(BUSY_PAGE, status_code=status.HTTP_429_TOO_MANY_REQUESTS)
        found = issuer.find(code.upper())
        if found is None:
            return HTMLResponse(NOT_FOUND_PAGE, status_code=status.HTTP_404_NOT_FOUND)
        return HTMLResponse(verification_page(status_of(found)))

    def electronic_copy(code: str, typed: str, address: str) -> Response:
        now = dt.datetime.now(dt.UTC)
        if not quota.take_one(f"verify:{_person(address)}", VERIFY_PER_ADDRESS, now):
            return HTMLResponse(BUSY_PAGE, status_code=status.HTTP_429_TOO_MANY_REQUESTS)
        found = issuer.find(code.upper())
        if found is None or found.revoked_at is not None:
            return HTMLResponse(NOT_FOUND_PAGE, status_code=status.HTTP_404_NOT_FOUND)
        if not quota.take_one(f"download:{found.code}", DOWNLOADS_PER_CODE, now):
            return HTMLResponse(BUSY_PAGE, status_code=status.HTTP_429_TOO_MANY_REQUESTS)
        if not secrets.compare_digest(_person(typed), found.person_sha256):
            return HTMLResponse(WRONG_HOLDER_PAGE, status_code=status.HTTP_403_FORBIDDEN)
        return Response(found.pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{found.document_id}.pdf"',
                                 "Cache-Control": "no-store"})

    @routes.post("/verify/{code}/pdf", include_in_schema=False)
    async def download(code: str, request: Request) -> Response:
        """The holder's electronic copy, from the verification page's form (the database is asked off the loop)."""
        body = await request.body()            # at most limits.DEFAULT_CAP, refused unread beyond it
        if len(body) > MAX_FORM_BYTES:
            return HTMLResponse(TOO_LONG_PAGE, status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        typed = typed_id_number(body)
        address = request.client.host if request.client else "unknown"
        return await run_in_threadpool(electronic_copy, code, typed, address)

    return routes
