"""What the centre answers while a citizen waits at the kiosk: records to print (查询打印), a case's
progress, benefits without application (免申即享) and hall appointments (预约), as plain values.

These services exist only online: the kiosk keeps none of it, and a session forgets what it was
shown when it ends (Session.wipe).
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from kiosk.catalog import Localized
from kiosk.credentials import Credential

# 免申即享 goes by the resident ID number: the cards and e-credential that carry one.
BENEFITS_CREDENTIALS = (Credential.RESIDENT, Credential.E_CREDENTIAL)
ID_TAIL_LENGTH = 6


@dataclasses.dataclass(frozen=True)
class RecordRow:
    label: Localized
    value: Localized


@dataclasses.dataclass(frozen=True, repr=False)
class Record:
    """A query-and-print record; demo is True while the centre serves made-up data."""

    service_code: str
    title: Localized
    rows: tuple[RecordRow, ...]
    verification_code: str
    issued_at: dt.datetime
    demo: bool

    def __repr__(self) -> str:       # the rows are the citizen's data: never in a log
        return f"Record({self.service_code}, {len(self.rows)} rows)"


@dataclasses.dataclass(frozen=True, repr=False)
class CertifiedDocument:
    """A document (证明) the centre made and signed for the citizen: the kiosk prints pdf as it is."""

    document_id: str
    code: str                  # the verification code printed with its QR
    service_code: str
    title: Localized
    issuer: Localized
    issued_at: dt.datetime
    pages: int
    verify_url: str            # the centre's public page of the code (the QR's): anyone can check it there
    demo: bool
    pdf: bytes

    def __repr__(self) -> str:       # the PDF is the citizen's data: never in a log
        return f"CertifiedDocument({self.service_code}, {self.document_id}, {len(self.pdf)} bytes)"


@dataclasses.dataclass(frozen=True)
class DocumentCheck:
    """What a scanned verification code says of its document (the holder masked by the centre)."""

    code: str
    title: Localized
    issuer: Localized
    issued_at: dt.datetime
    holder: str
    valid: bool


@dataclasses.dataclass(frozen=True)
class Step:
    status: str               # received, accepted, done, rejected ... (online.status.<name> when known)
    at: dt.datetime
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Progress:
    case_number: str           # the central one
    kiosk_case_number: str     # the one on the receipt
    service_code: str
    status: str
    promised_date: dt.date | None
    history: tuple[Step, ...]


@dataclasses.dataclass(frozen=True)
class Benefit:
    code: str
    name: Localized
    amount: Localized
    next_step: Localized
    payment: Localized
    demo: bool = False          # the centre answered with made-up data: the screen says so


@dataclasses.dataclass(frozen=True)
class Slot:
    slot_id: str
    hall: Localized
    address: Localized
    date: dt.date
    starts: str
    ends: str
    capacity: int
    left: int

    @property
    def full(self) -> bool:
        return self.left <= 0


@dataclasses.dataclass(frozen=True)
class Booking:
    booking_number: str
    service_code: str
    slot: Slot


def id_tail_problem(tail: str) -> str | None:
    """The last six characters of an ID number as typed: digits, X last; None when acceptable."""
    tail = tail.strip().upper()
    if len(tail) != ID_TAIL_LENGTH or not tail[:-1].isdigit() or not (tail[-1].isdigit() or tail[-1] == "X"):
        return "progress.id_tail_invalid"
    return None
